"""Runs the quiet-proofs on a schema-valid document: the rules so proven are skipped, every other rule
runs as written. A proof may give up (the rule then runs), never lie.

The proofs themselves are declared beside the rules they prove (:func:`.proof.proves` in the rule
family modules) and gathered by the catalogue; here they are only grouped by kind and run, the facts
they share computed once per document (:class:`.proof.Seen`).
"""

from __future__ import annotations

from typing import Any, Final

from ..catalogue import PROOFS
from ..proof import ProofFunc, Seen

Quiet = frozenset[str]
NONE: Final[Quiet] = frozenset()

_BY_KIND: dict[str, tuple[tuple[ProofFunc, tuple[str, ...]], ...]] = {}


def _of(kind: str) -> tuple[tuple[ProofFunc, tuple[str, ...]], ...]:
    found = _BY_KIND.get(kind)
    if found is None:
        found = _BY_KIND[kind] = tuple((p.func, p.rules) for p in PROOFS if kind in p.kinds)
    return found


def quiet(doc: dict[str, Any], kind: str) -> Quiet:
    """The ids of the rules proven to find nothing in ``doc``, a schema-valid document of ``kind``."""
    proofs = _of(kind)
    if not proofs:
        return NONE
    seen = Seen(doc, kind)
    proven: list[str] = []
    for func, rules in proofs:
        if func(seen):
            proven += rules
    return frozenset(proven)
