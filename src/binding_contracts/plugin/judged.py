"""The cassettes a checked test opened, judged after its body, each interaction named by the file
it came from (:mod:`.opened`). Imported when a test opts in: this is where vcrpy and the checking
modules come in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from ..report import Report
from ..spec.schemas import check_profile
from ..traffic.cassette_files import from_vcr
from ..traffic.interactions import Interaction
from ..traffic.tally import Tally, check_cassette
from .opened import Opened
from .options import Settings

__all__ = ["by_file", "check"]


def by_file(opened: Iterable[Opened]) -> dict[str, list[tuple[int, Any, Any]]]:
    """A test's interactions by the file they are in, each with its index there: every file a
    cassette read (once, however often the test opened it), then what the test recorded, under the
    file vcrpy saves it to (after that file's loaded interactions: vcrpy saves them in that order)."""
    files: dict[str, list[tuple[int, Any, Any]]] = {}
    read: set[str] = set()
    for cassette in opened:
        for file in cassette.files:
            if file.path not in read:
                read.add(file.path)
                found = files.setdefault(file.path, [])
                found.extend(zip(range(len(file.requests)), file.requests, file.responses, strict=False))
        recorded = cassette.recorded()
        if recorded:
            found = files.setdefault(cassette.path, [])
            found.extend((cassette.loaded + i, req, resp) for i, (req, resp) in enumerate(recorded))
    return files


def check(opened: list[Opened], settings: Settings, *, keep: bool) -> tuple[list[Report], Tally]:
    """Every interaction of the cassettes a test opened judged, file by file (one session each: a
    file is judged as ``binding-contracts check`` judges it); the tally keeps the reports as JSON when
    ``keep`` (only the JSON report file wants them)."""
    reports: list[Report] = []
    tally = Tally()
    for path, interactions in by_file(opened).items():
        checked = check_cassette(
            path,
            _records(path, interactions),
            profile=check_profile(settings["profile"]),
            strict_fields=settings["strict_fields"],
            require_redacted=bool(settings["require_redacted"]),
        )
        # A warning that fails the test (warnings as errors) is counted where the errors are: the
        # summary's "rules fired" lists what failed tests, "warnings" what was only reported.
        tally.add(checked, promote=bool(settings["warnings_as_errors"]), keep=keep)
        reports.extend(checked.reports)
    return reports, tally


def _records(path: str, interactions: list[tuple[int, Any, Any]]) -> Iterator[Interaction | InputError]:
    for index, request, response in interactions:
        try:
            yield from_vcr(path, index, request, response)
        except InputError as exc:
            yield exc
