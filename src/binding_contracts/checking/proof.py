"""What a quiet-proof is: a cheap test, declared beside the rules it proves (:func:`proves`), that
those rules find nothing in a schema-valid document; and :class:`Seen`, what the proofs of one
document share, each computed once.

A proof may give up (returns False: its rules then run as written), never lie (returns True only
where its rules find nothing). The catalogue gathers the proofs from the rule modules as it gathers
the rules; :mod:`.fastpath.proofs` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

from ..spec.routes import split_url
from ..spec.schemas import known_properties
from ..spec.urls import DEPRECATED_HOSTS
from .rule import RULE_ATTRIBUTE, RuleFunc

_ORIGIN: Final = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?")


def clean_path(url: str) -> str | None:
    """The path (and query) of a URL whose origin is plain (scheme, letters-digits-dots host, port) on
    a host that is not deprecated; None for any other URL."""
    cut = url.find("/", url.find("://") + 3)
    if cut < 0:
        return None
    return url[cut:] if _plain_origin(url[:cut]) else None


@lru_cache(maxsize=256)
def _plain_origin(origin: str) -> bool:
    return _ORIGIN.fullmatch(origin) is not None and split_url(origin).hostname not in DEPRECATED_HOSTS


@cache
def _known(kind: str) -> dict[str, frozenset[str]]:
    return known_properties(kind)


class Seen:
    """One schema-valid document as its proofs see it: the document, its kind, and the facts more than
    one proof reads, computed when first asked."""

    __slots__ = ("_known", "doc", "kind")

    def __init__(self, doc: dict[str, Any], kind: str) -> None:
        self.doc, self.kind = doc, kind
        self._known: bool | None = None

    @property
    def documented(self) -> dict[str, frozenset[str]]:
        """The member names the kind documents, by role (:func:`.known_properties`)."""
        return _known(self.kind)

    @property
    def known(self) -> bool:
        """Whether every member of the document (and of its links, its meta) is documented."""
        if self._known is None:
            doc = self.doc
            self._known = all(
                not isinstance(obj := (doc.get(role) if role else doc), dict) or names.issuperset(obj)
                for role, names in _known(self.kind).items()
            )
        return self._known


ProofFunc = Callable[[Seen], bool]
"""``func(seen)``: True only when every rule the proof names finds nothing in ``seen.doc``."""


@dataclass(frozen=True)
class Proof:
    """A quiet-proof: the ids of the rules it proves quiet and the kinds it is tried on (by default
    every kind of those rules; a document of another kind runs them as written)."""

    rules: tuple[str, ...]
    kinds: tuple[str, ...]
    func: ProofFunc


PROOF_ATTRIBUTE: Final = "binding_contracts_proof"
"""Where :func:`proves` keeps a proof function's declaration, read by the catalogue."""


def proves(*rules: RuleFunc, kinds: Iterable[str] | None = None) -> Callable[[ProofFunc], ProofFunc]:
    """Declare a function a quiet-proof of the given rule functions (named by function, so the ids are
    their declarations'); ``kinds`` narrows the kinds it is tried on."""
    declared = [getattr(f, RULE_ATTRIBUTE) for f in rules]
    ids = tuple(d.id for d in declared)
    on = tuple(kinds) if kinds is not None else tuple(dict.fromkeys(k for d in declared for k in d.kinds))

    def declare(func: ProofFunc) -> ProofFunc:
        setattr(func, PROOF_ATTRIBUTE, Proof(ids, on, func))
        return func

    return declare
