"""What the code under test reads of each Binding kind (``--binding-contracts-usage FILE``): the twilio
SDK's Binding instances traced while tests run, and the versioned usage file (kind -> member -> the
tests that read it) that ``drift --usage`` and ``stale --usage`` rank changes by. docs/freshness.md.

Imported only when usage is recorded or read: a run without it patches and imports nothing."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .._files import replace_file
from .._inputs import parse_json, read_file
from ..errors import InputError
from ..spec import facts
from ..spec.kinds import ITEMS_KEY, PAGE_ITEM_KIND
from .exchanges import OBSERVERS

FILE_KEY: Final = "binding_contracts_usage"
FILE_VERSION: Final = 1
"""A usage file is ``{"binding_contracts_usage": 1, "kinds": {KIND: {MEMBER: [TEST...]}}}``."""
MAX_FILE_BYTES: Final = 16 * 1024 * 1024

SDK_CLASSES: Final = (
    ("twilio.rest.chat.v2.service.binding", "BindingInstance", "binding"),
    ("twilio.rest.chat.v2.service.user.user_binding", "UserBindingInstance", "user-binding"),
    ("twilio.rest.conversations.v1.service.binding", "BindingInstance", "conversations-binding"),
)
"""The twilio SDK's instance classes of each Binding kind: (module, class, kind). The SDK builds an
instance from a body by setting one plain attribute per member (``self.binding_type = ...``), for
``fetch`` and ``fetch_async``, and for every item of ``list``/``stream`` and their async forms."""


@dataclass
class Usage:
    """Kind -> member -> the tests that read it (node ids), as a usage file holds it."""

    kinds: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def add(self, kind: str, member: str, test: str) -> None:
        self.kinds.setdefault(kind, {}).setdefault(member, set()).add(test)

    def update(self, other: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        for kind, members in other.items():
            for member, tests in members.items():
                for test in tests:
                    self.add(kind, member, test)

    def read_by(self, kind: str, member: str) -> tuple[str, ...]:
        """The tests that read ``member`` of ``kind``, sorted."""
        return tuple(sorted(self.kinds.get(kind, {}).get(member, ())))

    def to_json(self) -> dict[str, Any]:
        kinds = {
            kind: {member: sorted(tests) for member, tests in sorted(members.items())}
            for kind, members in sorted(self.kinds.items())
        }
        return {FILE_KEY: FILE_VERSION, "kinds": kinds}


def read_usage(path: str) -> Usage:
    """A usage file read and its shape checked; :class:`InputError` names the file and the problem."""
    doc = parse_json(path, read_file(path, MAX_FILE_BYTES, "a usage file"))
    if not isinstance(doc, dict) or FILE_KEY not in doc:
        raise InputError(
            path, f"is not a usage file (expected a JSON object with {FILE_KEY!r}: {FILE_VERSION})"
        )
    if doc[FILE_KEY] != FILE_VERSION:
        raise InputError(
            path, f"is a usage file of version {doc[FILE_KEY]!r}; version {FILE_VERSION} is supported"
        )
    kinds = doc.get("kinds")
    ok = isinstance(kinds, dict) and all(
        isinstance(members, dict)
        and all(
            isinstance(tests, list) and all(isinstance(t, str) for t in tests) for tests in members.values()
        )
        for members in kinds.values()
    )
    if not ok or not isinstance(kinds, dict):
        raise InputError(path, "has 'kinds' that is not an object of kind -> member -> list of tests")
    usage = Usage()
    usage.update(kinds)
    return usage


def write_usage(path: str, usage: Usage) -> None:
    """Write a usage file atomically (a reader never sees half of it); a failure is one
    :class:`InputError` naming the file."""
    replace_file(Path(path), json.dumps(usage.to_json(), indent=2) + "\n")


class Tracer:
    """Notes each read of a Binding member by code outside the twilio package while a test runs."""

    def __init__(self) -> None:
        self.test: str | None = None
        self.reads: dict[str, set[str]] = {}
        """The reads of the running test: kind -> members."""

    def note(self, kind: str, member: str) -> None:
        if self.test is not None:
            self.reads.setdefault(kind, set()).add(member)

    def start(self, test: str) -> None:
        self.test, self.reads = test, {}

    def finish(self) -> dict[str, list[str]]:
        """The running test's reads (plain lists: a pytest-xdist worker sends them with its report)."""
        reads = {kind: sorted(members) for kind, members in sorted(self.reads.items())}
        self.test, self.reads = None, {}
        return reads


TRACER: Final = Tracer()
"""The one tracer of the process: the SDK's classes are patched once, whichever session asks."""


def trace_sdk(tracer: Tracer = TRACER) -> list[str]:
    """Trace attribute reads of the twilio SDK's Binding instances into ``tracer``; the kinds whose
    class could be traced (none when the SDK is not installed). What the code sees is unchanged:
    each read is answered by the class's own attribute lookup."""
    traced = []
    for module_name, class_name, kind in SDK_CLASSES:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        if "_binding_contracts_kind" not in cls.__dict__:
            cls.__getattribute__ = _reader(
                cls.__getattribute__, kind, frozenset(facts.properties(kind)), tracer
            )
            cls._binding_contracts_kind = kind
        traced.append(kind)
    return traced


def _reader(
    lookup: Callable[[Any, str], Any], kind: str, members: frozenset[str], tracer: Tracer
) -> Callable[[Any, str], Any]:
    def __getattribute__(self: Any, name: str) -> Any:
        if name in members and tracer.test is not None:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if not caller.startswith("twilio."):  # the SDK's own reads are not the code's
                tracer.note(kind, name)
        return lookup(self, name)

    return __getattribute__


def trace_responses() -> None:
    """Trace the reads of the JSON bodies that ``requests``/``httpx`` responses checked by the
    checking hooks (:mod:`.exchanges`) hand out by ``response.json()``."""
    if _observe not in OBSERVERS:
        OBSERVERS.append(_observe)


def _observe(response: Any, kind: str) -> None:
    if TRACER.test is None:
        return
    original = response.json

    def json(*args: Any, **kwargs: Any) -> Any:
        return traced(original(*args, **kwargs), kind)

    response.json = json


def traced(doc: Any, kind: str, tracer: Tracer = TRACER) -> Any:
    """A body whose member reads (``doc[name]``, ``doc.get(name)``) are noted: a dict of the same
    items (of a page, its items traced as their kind); anything else as it is."""
    if not isinstance(doc, dict):
        return doc
    item_kind = PAGE_ITEM_KIND.get(kind)
    items = doc.get(ITEMS_KEY)
    if item_kind is not None and isinstance(items, list):
        doc = {**doc, ITEMS_KEY: [traced(item, item_kind, tracer) for item in items]}
    return _Traced(doc, kind, tracer)


class _Traced(dict[str, Any]):
    """A JSON object that notes the members read by subscript or ``get``: equal to the dict it
    copies, and a dict (``isinstance``); only ``type(body) is dict`` tells them apart."""

    def __init__(self, doc: Mapping[str, Any], kind: str, tracer: Tracer) -> None:
        super().__init__(doc)
        self._kind, self._tracer = kind, tracer

    def __getitem__(self, key: str) -> Any:
        if key in self:
            self._tracer.note(self._kind, key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            self._tracer.note(self._kind, key)
        return super().get(key, default)
