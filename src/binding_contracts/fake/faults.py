"""Fault injection for the fake: errors, delays, truncated bodies, rule-breaking payloads, and bodies
with every member null that Twilio's published spec lets be null (``nulls``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Final, Literal

from ..errors import UsageError, did_you_mean
from ..spec.routes import OPERATIONS, ascii_int

FaultKind = Literal["status", "delay", "truncate", "break", "nulls"]
STATUSES: Final = (429, 500, 503)

FORMS: Final = ("429[:RETRY_AFTER]", "500", "503", "delay:SECONDS", "truncate", "break:RULE", "nulls")
"""Every fault's text form: ``serve --inject``'s help and docs/fake.md list them too (a test holds
the three together)."""
SYNTAX: Final = (
    f"[OPERATION=]FAULT, FAULT one of {', '.join(FORMS)}; OPERATION one of {', '.join(OPERATIONS)}"
)


@dataclass(frozen=True)
class Fault:
    """One injected fault, on every operation or on one (``operation``)."""

    kind: FaultKind
    operation: str | None = None
    status: int = 0
    retry_after: int = 1
    seconds: float = 0.0
    rule: str = ""

    @classmethod
    def parse(cls, text: str) -> Fault:
        """A fault from its command-line form, e.g. ``read-bindings=429:2`` or ``break:page.key``."""
        operation, _, spec = text.rpartition("=")
        if operation and operation not in OPERATIONS:
            raise UsageError(f"Got operation {operation!r} in --inject {text!r}, but expected {SYNTAX}")
        op = operation or None
        name, _, arg = spec.partition(":")
        if name == "break" and arg:
            return cls("break", op, rule=_rule_id(arg, text))
        try:
            if ascii_int(name) in STATUSES:
                return cls("status", op, status=int(name), retry_after=int(arg or 1))
            if name == "delay":
                return cls("delay", op, seconds=float(arg))
            if name == "truncate" and not arg:
                return cls("truncate", op)
            if name == "nulls" and not arg:
                return cls("nulls", op)
        except ValueError:
            pass
        raise UsageError(f"Got --inject {text!r}, but expected {SYNTAX}")


def _rule_id(rule: str, text: str) -> str:
    from ..checking.catalogue import RULES

    if rule not in RULES:
        hint = did_you_mean(rule, RULES)
        raise UsageError(f"Got rule {rule!r} in --inject {text!r}, but it is not a rule id{hint}")
    return rule


class Faults:
    """The active faults, thread-safe. A request meets its operation's faults and the global ones in the
    order they were added: each delay sleeps, and the first status fault answers (``500`` then
    ``503`` answers 500; the faults after it are not reached); without one, ``nulls`` loosens the
    answer, then each ``break:RULE`` and ``truncate`` changes it in turn."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def for_operation(self, operation: str) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if f.operation in (None, operation)]
