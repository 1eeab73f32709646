"""The cassettes a checked test opens, noted as vcrpy loads them and judged after its body.
Imported when a test opts in: this is where vcrpy and the checking modules come in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..report import Report
from ..spec.schemas import check_profile
from ..traffic.cassettes import from_vcr
from ..traffic.interactions import Interaction
from ..traffic.tally import Tally, check_cassette
from .options import Settings

__all__ = ["check", "patch_vcr"]


def patch_vcr(active: list[list[Any]]) -> None:
    """Note every cassette a test opens, whichever way (pytest-recording, use_cassette), in the
    innermost list of ``active``: the cassette lists of the tests now running."""
    try:
        from vcr.cassette import Cassette
    except ImportError:  # pragma: no cover  (vcrpy is optional for the plugin)
        return
    if getattr(Cassette.load, "_binding_contracts", False):
        return
    original = Cassette.load.__func__

    def load(cls: Any, /, **kwargs: Any) -> Any:
        cassette = original(cls, **kwargs)
        if active:
            active[-1].append(cassette)
        return cassette

    load._binding_contracts = True  # type: ignore[attr-defined]
    Cassette.load = classmethod(load)


def check(cassettes: list[Any], settings: Settings, *, keep: bool) -> tuple[list[Report], Tally]:
    """Every interaction of a test's vcrpy cassettes judged, cassette by cassette; the tally keeps
    the reports as JSON when ``keep`` (only the JSON report file wants them)."""
    reports: list[Report] = []
    tally = Tally()
    for cassette in cassettes:
        path = str(getattr(cassette, "_path", "cassette"))
        checked = check_cassette(
            path,
            _records(path, cassette),
            profile=check_profile(settings["profile"]),
            strict_fields=settings["strict_fields"],
            require_redacted=bool(settings["require_redacted"]),
        )
        # A warning that fails the test (warnings as errors) is counted where the errors are: the
        # summary's "rules fired" lists what failed tests, "warnings" what was only reported.
        tally.add(checked, promote=bool(settings["warnings_as_errors"]), keep=keep)
        reports.extend(checked.reports)
    return reports, tally


def _records(path: str, cassette: Any) -> Iterator[Interaction | InputError]:
    for index, (request, response) in enumerate(list(cassette.data)):
        try:
            yield from_vcr(path, index, request, response)
        except InputError as exc:
            yield exc
