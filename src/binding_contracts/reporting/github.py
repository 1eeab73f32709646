"""GitHub Actions workflow commands: one ``::error`` or ``::warning`` line per finding, which the
runner shows as an annotation on the file and line (docs.github.com, "Workflow commands")."""

from __future__ import annotations

from collections.abc import Iterable

from .._printable import printable
from .located import UNREADABLE, Located, Unread


def escape_data(text: str) -> str:
    """A command's message escaped as the runner unescapes it: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value escaped: as a message, and ``:`` and ``,`` too."""
    return escape_data(printable(text)).replace(":", "%3A").replace(",", "%2C")


def command(finding: Located) -> str:
    """``::error file=F,line=L,col=C,title=RULE::POINTER: message``: what a finding quotes
    :func:`~.._printable.printable` (one line, no control character), then ``%``-escaped."""
    props = []
    if finding.path is not None:
        props.append(f"file={escape_property(finding.path)}")
        if finding.line is not None:
            props += [f"line={finding.line}", f"col={finding.column or 1}"]
    props.append(f"title={escape_property(finding.rule)}")
    message = printable(f"{finding.pointed()}: {finding.described()}")
    return f"::{finding.level} {','.join(props)}::{escape_data(message)}"


def unread_command(unread: Unread) -> str:
    """``::error file=F,title=input.unreadable::the one-line error`` (no ``file`` for standard
    input): the run's log and the file show it, and the step's exit status 2 fails the job."""
    props = [f"file={escape_property(unread.path)}"] if unread.path is not None else []
    props.append(f"title={UNREADABLE}")
    return f"::error {','.join(props)}::{escape_data(unread.message)}"


def render(findings: Iterable[Located], unread: Iterable[Unread] = ()) -> str:
    return "\n".join([*(command(f) for f in findings), *(unread_command(u) for u in unread)])
