"""The drift check's entry: read a spec, compare it with schemas/, set the baseline's differences aside."""

from __future__ import annotations

from .._inputs import read_json
from .api_diff import compare_spec
from .baseline import Baseline, shipped_baseline
from .differences import Collector, DriftReport
from .openapi import Spec
from .schema_diff import Published


def check_spec(
    document: object, source: str | None = None, baseline: Baseline | None = None, base: str = "published"
) -> DriftReport:
    """The drift of one OpenAPI document from schemas/ and the Binding operations (spec/routes.py);
    ``base``: from the profile of another revision instead (:func:`.profile.profile_from_spec`), so
    that the differences are what changed between the two.

    Differences the shipped baseline or ``baseline`` (a user's, on top of it) lists are
    reported as accepted, not as drift. Raises :class:`~binding_contracts.InputError` (naming
    ``source``) when the document is not OpenAPI 3 or describes no Binding path.
    """
    spec = Spec(document, source or "(spec)")
    found = Collector(source)
    hosts = compare_spec(spec, found, Published(base))
    accepted = shipped_baseline() | (baseline or Baseline())
    return DriftReport.of(found.found.values(), accepted.ids, source=source, hosts=hosts)


def check_spec_file(path: str, baseline: Baseline | None = None, base: str = "published") -> DriftReport:
    """:func:`check_spec` of a file (read as the validate command reads payloads)."""
    source, document = read_json(path)
    return check_spec(document, source, baseline, base)
