"""``--usage FILE`` and ``--fail-on used|any``, which ``drift`` and ``stale`` share: each change marked
as touching a member the code reads (with the tests that read it) or not, and the exit status decided
by the changes that count. docs/freshness.md ("Ranked by use")."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ..spec.kinds import ITEMS_KEY, KINDS

if TYPE_CHECKING:
    from ..traffic.usage import Usage

FAIL_ON: Final = ("used", "any")
SHOWN_TESTS: Final = 3
"""Tests named in a finding's mark; the rest counted."""


def add_usage(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--usage",
        metavar="FILE",
        help="a usage file (pytest --binding-contracts-usage): mark each change as touching a member "
        "the code reads, with the tests that read it, or not",
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="which changes fail: 'used' those touching a member the code reads, 'any' every one "
        "(default: used with --usage, else any)",
    )


@dataclass(frozen=True)
class Ranking:
    """The usage read and which changes fail."""

    usage: Usage | None
    fail_on: str

    def read_by(self, member: tuple[str, str] | None) -> tuple[str, ...] | None:
        """The tests that read a member (none: an empty tuple); None when no usage was given."""
        if self.usage is None:
            return None
        return self.usage.read_by(*member) if member is not None else ()

    def counts(self, member: tuple[str, str] | None, *, always: bool = False) -> bool:
        """Whether a change fails the run: any change under ``any``; under ``used``, one touching a
        member some test reads (``always``: one the code made itself, a recorded request)."""
        return self.fail_on == "any" or always or bool(self.read_by(member))

    def mark(self, member: tuple[str, str] | None) -> str:
        """What a finding's message adds: who reads the member it touches."""
        tests = self.read_by(member)
        if tests is None:
            return ""
        if not tests:
            return " {not read by the tests}"
        more = f" and {len(tests) - SHOWN_TESTS} more" if len(tests) > SHOWN_TESTS else ""
        return f" {{read by {', '.join(tests[:SHOWN_TESTS])}{more}}}"


def ranking(args: argparse.Namespace) -> Ranking:
    """The ranking the options ask for (the usage file read: a bad one is one line, exit 2)."""
    usage = None
    if args.usage:
        from ..traffic.usage import read_usage

        usage = read_usage(args.usage)
    return Ranking(usage, args.fail_on or ("used" if usage is not None else "any"))


def subject_member(subject: str) -> tuple[str, str] | None:
    """The (kind, member) a drift difference's subject names (``binding.binding_type``,
    ``conversations-binding.binding_type=twilsock``); None for an operation's or a parameter's."""
    kind, _, rest = subject.partition(".")
    if kind not in KINDS or not rest:
        return None
    return kind, re.split(r"[.=\[]", rest, maxsplit=1)[0]


def pointer_member(kind: str | None, pointer: str) -> tuple[str, str] | None:
    """The (kind, member) a finding's pointer names in a body of ``kind`` (a page's item's member
    for ``/bindings/N/member``)."""
    parts: Sequence[str] = pointer.split("/")[1:]
    if kind is None or not parts:
        return None
    if kind.endswith("-page") and parts[0] == ITEMS_KEY and len(parts) > 2:
        return kind.removesuffix("-page"), parts[2]
    return kind, parts[0]
