"""A finding with the file, line and column it is at: what every located format renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from .._printable import printable
from ..report import SOURCE_CAP, clip, short_pointer

Level = Literal["error", "warning"]

STDIN: Final = "<stdin>"
"""The source name of standard input: a finding there has a line, but no file a CI system can open."""


@dataclass(frozen=True)
class Located:
    """One finding of any command (a rule's violation, a drift difference) and where it is.

    ``file`` is the path as the command was given it; ``line`` and ``column`` are 1-based (None when
    the file could not be read again to place it); ``key`` tells apart findings of the same pointer
    and rule in one file (a cassette's interaction: ``#3``); ``context`` is what the finding's source
    says beyond the file (``#3 GET https://…``: the interaction and its request line)."""

    rule: str
    level: Level
    message: str
    pointer: str
    file: str
    line: int | None = None
    column: int | None = None
    key: str = ""
    context: str = ""
    tag: str = ""
    """What the text line adds to the rule (`` (warning)``, `` (additive)``)."""

    @property
    def path(self) -> str | None:
        """The file a CI system can open: None for standard input."""
        return None if self.file == STDIN else self.file

    def text(self) -> str:
        """``FILE:LINE:COL: POINTER: RULE: message`` (``FILE: POINTER: …`` when not placed), and the
        context in brackets (as drift's text names the schema: ``[#3 GET https://…]``); one
        :func:`~.._printable.printable` line."""
        where = clip(self.file, SOURCE_CAP)
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return printable(f"{where}: {self.pointed()}: {self.rule}{self.tag}: {self.described()}")

    def pointed(self) -> str:
        """The pointer as every output prints it: shortened, ``(root)`` for the whole document,
        :func:`~.._printable.printable`."""
        return printable(short_pointer(self.pointer)) or "(root)"

    def described(self) -> str:
        """The message, and the context in brackets, :func:`~.._printable.printable`."""
        return printable(f"{self.message} [{self.context}]" if self.context else self.message)


UNREADABLE: Final = "input.unreadable"
"""What the CI formats that name a finding's rule (``github``'s title, ``gitlab``'s check name) name
an input that could not be read."""


@dataclass(frozen=True)
class Unread:
    """An input a command could not read, which the CI formats report as such (a run that read
    nothing must not look like a clean scan): the file as given (:data:`STDIN`; None when the run
    failed before reading any file) and the one-line error the command printed."""

    file: str | None
    message: str

    @property
    def path(self) -> str | None:
        """The file a CI system can open: None for standard input or no file."""
        return None if self.file in (None, STDIN) else self.file


@dataclass(frozen=True)
class RuleInfo:
    """What a format says about a rule: its id, summary and default level, a full description
    (plain text) and its help (Markdown), written from the rule's declaration."""

    id: str
    summary: str
    level: Level
    description: str = ""
    help: str = ""


@dataclass(frozen=True)
class Tool:
    """The program that found the findings, as SARIF describes it (no URI: the project has no
    public home yet, and a URI that does not resolve is worse than none)."""

    name: str
    version: str
    rules: tuple[RuleInfo, ...]
