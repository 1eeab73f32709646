"""Baselines: the differences accepted as intended, each by id with its reason; the shipped one
(``baseline.json`` beside this module) and a user's, read from a file."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources
from typing import Final

from .._inputs import parse_json, read_json
from .._json import a_type
from ..errors import InputError
from .differences import DIFFERENCE_TYPES

SHIPPED: Final = "baseline.json"


@dataclass(frozen=True)
class Accepted:
    """One accepted difference: its id (``TYPE SUBJECT``, as a report shows it) and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class Baseline:
    entries: tuple[Accepted, ...] = ()

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.entries)

    def __or__(self, other: Baseline) -> Baseline:
        return Baseline(self.entries + other.entries)


def parse_baseline(document: object, source: str) -> Baseline:
    """A baseline document: ``{"accepted": [{"id": "TYPE SUBJECT", "reason": "..."}, ...]}``."""
    if not isinstance(document, dict) or not isinstance(document.get("accepted"), list):
        raise InputError(
            source, 'is not a baseline: expected an object {"accepted": [{"id": ..., "reason": ...}]}'
        )
    entries = []
    for i, entry in enumerate(document["accepted"]):
        where = f"accepted[{i}]"
        if not isinstance(entry, dict) or set(entry) != {"id", "reason"}:
            found = sorted(entry) if isinstance(entry, dict) else a_type(entry)
            raise InputError(source, f"{where} is {found}, expected an object with exactly 'id' and 'reason'")
        ident, reason = entry["id"], entry["reason"]
        if not (isinstance(ident, str) and isinstance(reason, str) and reason.strip()):
            raise InputError(source, f"{where}: 'id' and 'reason' must be strings, the reason not empty")
        type_, _, subject = ident.partition(" ")
        if type_ not in DIFFERENCE_TYPES or not subject.strip():
            close = difflib.get_close_matches(type_, DIFFERENCE_TYPES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(source, f"{where}: id {ident!r} is not 'TYPE SUBJECT' with a known type{hint}")
        entries.append(Accepted(ident, reason))
    return Baseline(tuple(entries))


def load_baseline(path: str) -> Baseline:
    """A user's baseline file; :class:`~binding_contracts.InputError` names it when it is unusable."""
    source, document = read_json(path)
    return parse_baseline(document, source)


def shipped_baseline() -> Baseline:
    """The differences between Twilio's spec and schemas/ that the project intends."""
    data = resources.files("binding_contracts.drift").joinpath(SHIPPED).read_bytes()
    return parse_baseline(parse_json(SHIPPED, data), SHIPPED)
