"""What every command of ``binding-contracts`` shares: its name, exit statuses, parser, error line."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import IO, Any, Final, NoReturn, Protocol, TypeVar

from .._printable import json_text, printable
from ..errors import InputError
from ..report import SOURCE_CAP, clip
from ..spec.profiles import PROFILES, profile_arg
from .jobs import caught, in_order

T = TypeVar("T")

PROG: Final = "binding-contracts"
OK, VIOLATION, BAD_INPUT = 0, 1, 2
"""Exit statuses: nothing wrong; a contract violated (or drift found); usage error or unreadable input."""


class UsageExit(Exception):
    """argparse found the command line wrong; the message is its one-line reason."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageExit(message)


def add_profile(parser: argparse.ArgumentParser, doing: str = "") -> None:
    """``--profile``: a profile's name, or a profile file (read when the command runs: a file that
    cannot be used is one error line, exit 2); ``doing`` says what the command does with it."""
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--profile",
        default="strict",
        type=profile_arg,
        metavar="PROFILE",
        help=f"{' or '.join(PROFILES)}, or a profile file{doing} (default: strict)",
    )
    chosen.add_argument(
        "--spec",
        metavar="FILE",
        help="the profile of a Twilio OpenAPI file (any revision of the Chat v2 or Conversations v1 "
        "spec), read as 'published' is read from the bundled spec",
    )


ERROR_CAP: Final = 600
"""Longest reason an error line prints: a reason may quote a name or a path of any length."""


def print_error(problem: object, err: IO[str]) -> None:
    """The one line on stderr that bad input gets: ``binding-contracts: error: FILE: problem``,
    the reason capped at :data:`ERROR_CAP` characters, :func:`~.._printable.printable` (a file name
    or a YAML tag may hold anything)."""
    print(printable(f"{PROG}: error: {clip(str(problem), ERROR_CAP)}"), file=err)


def read_each(
    paths: Sequence[str], read: Callable[[str], T], err: IO[str], jobs: int = 1
) -> tuple[list[T], list[dict[str, str]]]:
    """``read`` every path (in ``jobs`` processes, see :mod:`.jobs`): the results in the paths' order,
    and for each unreadable one ``{"source", "error"}`` (its one line already printed), so that one
    bad file does not hide the others' findings."""
    results: list[T] = []
    failures: list[dict[str, str]] = []
    for outcome in in_order(partial(caught, read), paths, jobs):
        if isinstance(outcome, InputError):
            print_error(outcome, err)
            failures.append(
                {"source": clip(outcome.source, SOURCE_CAP), "error": clip(outcome.problem, ERROR_CAP)}
            )
        else:
            results.append(outcome)
    return results, failures


class Result(Protocol):
    """What a command reports per file: a validation :class:`~.report.Report`, a drift report."""

    @property
    def ok(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...

    def render_text(self) -> str: ...


def emit(
    results: Sequence[Result],
    failures: Sequence[dict[str, str]],
    fmt: str,
    summary: tuple[Mapping[str, int], str],
    out: IO[str],
) -> int:
    """Print the results (``text``: each, then the summary line; ``json``: one document
    ``{"results": [...], "summary": {...}}``) and return the exit status."""
    counts, line = summary
    if fmt == "json":
        body = {"results": [r.to_dict() for r in results] + list(failures), "summary": counts}
        print(json_text(body), file=out)
    else:
        for result in results:
            print(result.render_text(), file=out)
        print(line + (f", {len(failures)} unreadable" if failures else ""), file=out)
    if failures:
        return BAD_INPUT
    return OK if all(r.ok for r in results) else VIOLATION
