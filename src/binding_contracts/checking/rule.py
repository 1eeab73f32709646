"""What a rule is: its declaration (id, kinds, summary, severity, what it needs), the context it sees
and the findings it yields. The catalogue of every rule is :mod:`.rules`.

A rule sees one payload, its kind and a :class:`Context` (the request and HTTP status when known, the
previous page of a listing walk when there is one) and yields :class:`Finding`\\ s. It checks
one relation and returns quietly when its inputs are missing or mistyped: reporting those is
the schema's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from ..report import Severity

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


RULE_ATTRIBUTE: Final = "binding_contracts_rule"
"""Where :func:`rule` keeps a rule function's declaration: the catalogue (:mod:`.rules`) reads it from
the functions of the rule modules, so a module of rules is its own registry."""


def rule(
    rule_id: str,
    kinds: Iterable[str],
    summary: str,
    *,
    severity: Severity = "error",
    needs: Needs = "payload",
    per_item: bool = True,
) -> Callable[[RuleFunc], RuleFunc]:
    """Declare a function a rule under a stable id (the function is returned unchanged but for the
    declaration it carries)."""

    def declare(func: RuleFunc) -> RuleFunc:
        setattr(func, RULE_ATTRIBUTE, Rule(rule_id, tuple(kinds), summary, severity, needs, func, per_item))
        return func

    return declare
