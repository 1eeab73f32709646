"""The fake's in-memory state: services, users and bindings, guarded by one lock that every read
and write of them takes (a dict that another thread grows cannot be iterated)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BindingRecord:
    """One binding as stored; urls are rendered per request from the server's base URL."""

    seq: int
    sid: str
    account_sid: str
    service_sid: str
    user_sid: str
    identity: str
    endpoint: str
    credential_sid: str
    binding_type: str
    message_types: tuple[str, ...]
    date_created: str
    date_updated: str


@dataclass(frozen=True)
class Snapshot:
    services: dict[str, dict[str, BindingRecord]]
    users: dict[str, dict[str, str]]
    seq: int


class Store:
    """Services, users (identity <-> user sid per service) and bindings, in creation order."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.services: dict[str, dict[str, BindingRecord]] = {}
        self.users: dict[str, dict[str, str]] = {}  # service -> identity -> user sid
        self._seq = 0

    def snapshot(self) -> Snapshot:
        """Everything stored, to :meth:`restore` later (records are frozen: copying the dicts suffices)."""
        with self.lock:
            return Snapshot(
                {service: dict(bindings) for service, bindings in self.services.items()},
                {service: dict(users) for service, users in self.users.items()},
                self._seq,
            )

    def restore(self, snapshot: Snapshot) -> None:
        with self.lock:
            self.services = {service: dict(bindings) for service, bindings in snapshot.services.items()}
            self.users = {service: dict(users) for service, users in snapshot.users.items()}
            self._seq = snapshot.seq

    def add_service(self, sid: str) -> str:
        with self.lock:
            self.services.setdefault(sid, {})
            self.users.setdefault(sid, {})
        return sid

    def has_service(self, service: str) -> bool:
        with self.lock:
            return service in self.services

    def add_user(self, service: str, identity: str, user_sid: str) -> str:
        with self.lock:
            return self.users[service].setdefault(identity, user_sid)

    def user_sid(self, service: str, identity: str) -> str | None:
        with self.lock:
            return self.users.get(service, {}).get(identity)

    def identity_of(self, service: str, user: str) -> str | None:
        """The identity of a user named by sid or by identity, as the API accepts both."""
        with self.lock:
            users = self.users.get(service, {})
            if user in users:
                return user
            return next((identity for identity, sid in users.items() if sid == user), None)

    def add_binding(self, **fields: Any) -> BindingRecord:
        with self.lock:
            self._seq += 1
            record = BindingRecord(seq=self._seq, **fields)
            self.services[record.service_sid][record.sid] = record
            return record

    def get(self, service: str, sid: str) -> BindingRecord | None:
        with self.lock:
            return self.services.get(service, {}).get(sid)

    def delete(self, service: str, sid: str) -> bool:
        with self.lock:
            return self.services.get(service, {}).pop(sid, None) is not None

    def listing(
        self,
        service: str,
        *,
        identity: str | None = None,
        binding_types: Iterable[str] = (),
        identities: Iterable[str] = (),
    ) -> list[BindingRecord]:
        """Bindings of a service in creation order, filtered: OR within a filter, AND across."""
        types, names = set(binding_types), set(identities)
        with self.lock:
            records = list(self.services.get(service, {}).values())
        return [
            r
            for r in records
            if (identity is None or r.identity == identity)
            and (not types or r.binding_type in types)
            and (not names or r.identity in names)
        ]
