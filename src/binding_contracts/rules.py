"""The rule catalogue: every rule id, the kinds it applies to, and the function that checks it.

A rule sees one payload, its kind and a :class:`Context` (the request and HTTP status when known, the
previous page of a listing walk when there is one) and yields :class:`Finding`\\ s. It checks
one relation and returns quietly when its inputs are missing or mistyped: reporting those is
the schema's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from .report import Severity
from .resources import KINDS

Needs = Literal["payload", "request", "sequence", "interaction"]
"""What a rule needs beyond the payload; ``interaction`` rules judge the HTTP exchange itself
(status, empty body) and are applied by :func:`binding_contracts.check_interaction`."""


@dataclass(frozen=True)
class Request:
    """The request a response answered: method and absolute URL (query string included)."""

    method: str
    url: str


@dataclass(frozen=True)
class Context:
    """What a rule may know beyond the payload. Every member is optional."""

    request: Request | None = None
    status: int | None = None
    walk: tuple[Mapping[str, Any], ...] = ()
    """The pages fetched before this one in a listing walk, oldest first."""
    strict_fields: bool = False

    @property
    def previous(self) -> Mapping[str, Any] | None:
        """The page whose next_page_url led to this one, when in a walk."""
        return self.walk[-1] if self.walk else None


@dataclass(frozen=True)
class Finding:
    """A rule's finding, its pointer relative to the payload the rule was given."""

    path: str
    message: str
    value: Any = None
    severity: Severity | None = None


RuleFunc = Callable[[dict[str, Any], str, Context], Iterable[Finding]]
"""``func(payload, kind, context)``: the payload is a dict of the given kind."""


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple[str, ...]
    summary: str
    severity: Severity = "error"
    needs: Needs = "payload"
    func: RuleFunc | None = None
    per_item: bool = True
    """Whether a rule of an item kind also runs on each item of a page of that kind."""


RULES: dict[str, Rule] = {}
"""Every rule by id: the schema keywords' and the semantic rules' (stable public API)."""

SCHEMA_KEYWORDS: Final = {
    "required": "a documented member is missing (pointer: the member)",
    "type": "a value has the wrong JSON type",
    "pattern": "a string does not match its pattern (SIDs)",
    "format": "a date-time is not RFC 3339, or a URL is not an absolute URI",
    "enum": "a value is not one of the documented values (binding_type)",
    "minimum": "a number is below its minimum (meta.page, error status)",
    "maximum": "a number is above its maximum (error status)",
    "minLength": "a string is empty where a value is required (identity, endpoint)",
}
_ALL: Final = KINDS

for _keyword, _summary in SCHEMA_KEYWORDS.items():
    RULES[f"schema.{_keyword}"] = Rule(f"schema.{_keyword}", _ALL, _summary)
RULES["kind.undetected"] = Rule(
    "kind.undetected", _ALL, "kind='auto' could not tell which kind the payload is"
)


def rule(
    rule_id: str,
    kinds: Iterable[str],
    summary: str,
    *,
    severity: Severity = "error",
    needs: Needs = "payload",
    per_item: bool = True,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under a stable id."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule id {rule_id!r} is registered twice")
        RULES[rule_id] = Rule(rule_id, tuple(kinds), summary, severity, needs, func, per_item)
        return func

    return register


def rules_for(kind: str) -> list[Rule]:
    """The semantic rules that apply to a kind, in id order."""
    return sorted((r for r in RULES.values() if r.func is not None and kind in r.kinds), key=lambda r: r.id)
