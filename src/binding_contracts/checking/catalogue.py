"""The rule catalogue: every rule id, the kinds it applies to, and the function that checks it; and
the quiet-proofs declared beside the rules.

Complete on any import: the rule modules are read here, so ``from binding_contracts.checking.catalogue import
RULES`` lists every rule whatever was imported before (a rule function carries its declaration,
see :func:`.rule.rule`, a proof function its own, see :func:`.proof.proves`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields
from functools import cache
from types import ModuleType
from typing import Any, Final

from ..spec.kinds import KINDS
from .proof import PROOF_ATTRIBUTE, Proof
from .rule import RULE_ATTRIBUTE, Context, Finding, Request, Rule, RuleFunc, rule
from .rules import document, item
from .rules import page as page
from .rules import request as request

__all__ = [
    "RULES",
    "SCHEMA_KEYWORDS",
    "Context",
    "Finding",
    "Request",
    "Rule",
    "RuleFunc",
    "rule",
    "rules_for",
]

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
"""The schema keywords the schemas use, each reported under its own rule id ``schema.<keyword>``."""

RULE_MODULES: Final = (item, document, page, request)
"""The modules whose functions are rules and quiet-proofs."""


def _declared(module: ModuleType) -> Iterator[Rule]:
    for value in vars(module).values():
        declared = getattr(value, RULE_ATTRIBUTE, None)
        if declared is not None and getattr(declared, "func", None) is value:
            yield _own(declared)


def _proofs(module: ModuleType) -> Iterator[Proof]:
    for value in vars(module).values():
        declared = getattr(value, PROOF_ATTRIBUTE, None)
        if declared is not None and getattr(declared, "func", None) is value:
            yield (
                declared
                if type(declared) is Proof
                else Proof(*(getattr(declared, f.name) for f in fields(Proof)))
            )


def _own(declared: Any) -> Rule:
    """A declaration as this module's :class:`.Rule`, read by its fields, not trusted by its class: a
    rule module imported afresh beside an older :mod:`.rule`, or the other way round
    (pytester's in-process runs drop the modules a run imported; reload re-executes one), declares
    with another copy of the class."""
    if type(declared) is Rule:
        return declared
    return Rule(*(getattr(declared, f.name) for f in fields(Rule)))


def catalogue(rules: Iterable[Rule]) -> dict[str, Rule]:
    """Rules by id; an id declared twice (by two different rules) is a mistake and raises."""
    out: dict[str, Rule] = {}
    for r in rules:
        if out.get(r.id, r) is not r:
            raise ValueError(f"rule id {r.id!r} is declared twice")
        out[r.id] = r
    return out


RULES: Final[dict[str, Rule]] = catalogue(
    [
        *(Rule(f"schema.{keyword}", KINDS, summary) for keyword, summary in SCHEMA_KEYWORDS.items()),
        Rule("kind.undetected", KINDS, "kind='auto' could not tell which kind the payload is"),
        *(r for module in RULE_MODULES for r in _declared(module)),
        *map(_own, request.INTERACTION_RULES),
    ]
)
"""Every rule by id: the schema keywords' and the semantic rules' (stable public API)."""


PROOFS: Final[tuple[Proof, ...]] = tuple(p for module in RULE_MODULES for p in _proofs(module))
"""Every quiet-proof, each naming the rules it proves (ids of :data:`RULES`)."""
if unknown := {i for p in PROOFS for i in p.rules} - set(RULES):  # pragma: no cover - a mistake
    raise ValueError(f"a proof names rules that are not declared: {sorted(unknown)}")


def rules_for(kind: str) -> list[Rule]:
    """The semantic rules that apply to a kind, in id order."""
    return list(rules_of(kind))


@cache
def rules_of(kind: str) -> tuple[Rule, ...]:
    """:func:`rules_for`, kept (the checking paths ask it for every document)."""
    return tuple(
        sorted((r for r in RULES.values() if r.func is not None and kind in r.kinds), key=lambda r: r.id)
    )
