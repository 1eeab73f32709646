"""The cassettes a checked test opened, judged after its body, each interaction named by the file
it is in as the test leaves it (:mod:`.opened`). Imported when a test opts in: this is where vcrpy
and the checking modules come in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from ..report import Report
from ..spec.schemas import check_profile
from ..traffic.cassette_files import from_vcr
from ..traffic.interactions import Interaction
from ..traffic.tally import Tally, check_cassette
from .opened import File, Opened
from .options import Settings

__all__ = ["by_file", "check"]


def by_file(opened: Iterable[Opened]) -> dict[str, list[tuple[int, Any, Any]]]:
    """A test's interactions by the file they are in, each with its index there: every file as the
    test leaves it. A file a cassette saved (or, still open, would save now: :meth:`.Opened.left`)
    holds what vcrpy wrote, in the order written, whatever vcrpy left out or reordered as it saved
    (record mode ``all`` over a cassette, ``drop_unused_requests``, a hook that drops an interaction);
    a file no cassette wrote, as it was read (once, however often the test opened it)."""
    files: dict[str, File] = {}
    for cassette in opened:
        for file in cassette.files:
            files.setdefault(file.path, file)
    for cassette in sorted(opened, key=lambda c: c.saved_at):  # the last save of a file is what it holds
        left = cassette.left()
        if left is not None:
            files[left.path] = left
    return {
        path: list(zip(range(len(file.requests)), file.requests, file.responses, strict=False))
        for path, file in files.items()
    }


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
