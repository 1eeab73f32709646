"""What a rule is: its declaration (id, kinds, summary, severity, what it needs, how the text shapes
hold it), the context it sees and the findings it yields. The catalogue of every rule is
:mod:`.catalogue`; a rule's quiet-proof is declared beside it (:mod:`.proof`).

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
"""What a rule needs beyond the payload. The engine runs a ``request`` rule only when the request or
the HTTP status is known, a ``sequence`` rule only in a walk (the pages before this one): without
them such a rule has nothing to compare, so it is skipped, never proven. ``interaction`` rules judge
the HTTP exchange itself (status, empty body) and are applied by
:func:`binding_contracts.interactions.check_interaction`."""

Shaped = Literal["spelt", "groups", "reported", "declined"]
"""How the text shapes (:mod:`.fastpath.shapes`) hold a rule that needs only the payload: ``spelt``,
a text in which the rule would find something does not fit the pattern (the members, SIDs, enums,
hosts and url templates are spelt out in it); ``groups``, the shape checks it on the pattern's
groups; ``reported``, a warning that reads only ``identity`` and finds nothing in an identity without
URI-reserved characters (:data:`.rules.item.URI_RESERVED`): a shape returns each identity that holds
one, and the rule runs on that identity alone; ``declined``, the shapes do not hold
it, so no kind it applies to has a shape (its documents take the other paths). A payload rule that
does not say (None) is declined too, and a test asks for a word."""


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
    """Whether a rule of an item kind also runs on each item of a page of that kind. A rule that runs
    once per document but applies to a page's item kind too judges the items as well
    (url.deprecated-host): it is proven quiet on a page only where proven on every item."""
    shape: Shaped | None = None
    reads: tuple[str, ...] | None = None
    """The members of a binding (a document of an item kind) the rule reads, named as the document
    names them (``links`` for ``links.user``): a binding whose text fits its shape but for some
    members (:mod:`.fastpath.members`) runs the rule only when one of these is among them (a
    ``groups`` rule's relation checked on the groups of the members that fit, a ``reported`` rule's
    identity looked at as the shapes look at it). None: not said, so the rule always runs there;
    ``()``: a rule that reads only the member names, which a text that fits at all spells out."""
    compares: bool = True
    """Whether the rule compares the members it :attr:`reads` with each other (the SIDs a url
    repeats): then each must fit its piece with the shape's references to the others; a rule that
    judges each on its own (a url's template, its host) is quiet where each fits its piece alone."""


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
    shape: Shaped | None = None,
    reads: Iterable[str] | None = None,
    compares: bool = True,
) -> Callable[[RuleFunc], RuleFunc]:
    """Declare a function a rule under a stable id (the function is returned unchanged but for the
    declaration it carries)."""

    def declare(func: RuleFunc) -> RuleFunc:
        read = tuple(reads) if reads is not None else None
        declared = Rule(
            rule_id, tuple(kinds), summary, severity, needs, func, per_item, shape, read, compares
        )
        setattr(func, RULE_ATTRIBUTE, declared)
        return func

    return declare


def id_of(rule: str | RuleFunc) -> str:
    """The id of a rule named by its function (the id its declaration gives, see :func:`rule`), or
    an id as it is: code that names a semantic rule names its function, so that the id is written
    once, in the declaration."""
    if isinstance(rule, str):
        return rule
    declared: Rule = getattr(rule, RULE_ATTRIBUTE)
    return declared.id
