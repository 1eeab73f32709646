"""The output formats every judging command shares: text with each finding's file, line and column,
and the formats CI systems read (``github``, ``sarif``, ``gitlab``).

Positions are computed here, after judging, and only for files with findings: a valid file is
never read a second time nor scanned.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Final

from .. import __version__
from .._inputs import MAX_BYTES, open_file, read_file
from ..errors import BindingContractsError, InputError
from ..locating import jsontext
from ..locating.positions import Lines, Position
from ..report import SOURCE_CAP, Report, Violation, clip
from ..reporting.located import STDIN, Located, RuleInfo, Tool, Unread
from .common import BAD_INPUT, ERROR_CAP, OK, PROG, VIOLATION, Result

if TYPE_CHECKING:
    from ..drift import DriftReport
    from ..locating.blockyaml import Layout
    from ..locating.cassette_places import Key
    from ..traffic.interactions import Interaction

# What only a command with findings, or a CI format, needs is imported where it is needed: every
# command starts by importing this module, and a file with no finding costs none of it.

CI_FORMATS: Final = {
    "github": "workflow commands (annotations)",
    "sarif": "SARIF 2.1.0",
    "gitlab": "GitLab Code Quality JSON",
}
"""The formats CI systems read, each rendered by its module of :mod:`..reporting` (see
:func:`print_located`), with what ``--format``'s help says of it."""
LOCATED: Final = ("text", *CI_FORMATS)
"""The formats that show where each finding is (JSON and JUnit keep their shape)."""


def add_format(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument(
        "--format",
        default="text",
        choices=(*formats, *CI_FORMATS),
        help="default: text; " + ", ".join(f"{name}: {what}" for name, what in CI_FORMATS.items()),
    )


def anchor(rule_id: str) -> str:
    """The anchor of a rule's section in docs/rules.md (its label, ``rule-`` and the id with dots
    as hyphens, the way MyST slugs a heading: lower case, no punctuation but hyphens)."""
    return "rule-" + re.sub(r"[^\w-]", "", rule_id.replace(".", "-").lower())


_NEEDS: Final = {
    "payload": "the payload alone",
    "request": "the request (method and URL) or the HTTP status",
    "sequence": "the pages before this one in a listing walk",
    "interaction": "the whole HTTP exchange, as a cassette or live checking has it",
}


def rules_tool() -> Tool:
    """This tool as SARIF describes it for ``validate`` and ``check``: every rule of the catalogue,
    its help written from its declaration (as docs/rules.md heads the rule's section)."""
    from ..rules import RULES
    from ..spec.kinds import KINDS

    infos = []
    for r in sorted(RULES.values(), key=lambda r: r.id):
        kinds = "every kind" if set(r.kinds) >= set(KINDS) else ", ".join(f"`{k}`" for k in r.kinds)
        facts = f"Severity {r.severity}; judged with {_NEEDS.get(r.needs, r.needs)}; kinds: {kinds}."
        description = f"{r.summary}. {facts}".replace("`", "")
        help_ = (
            f"**{r.summary}** (`{r.id}`)\n\n{facts}\n\n"
            f"The rule's section in the documentation: `docs/rules.md#{anchor(r.id)}`."
        )
        infos.append(RuleInfo(r.id, r.summary, r.severity, description, help_))
    return Tool(PROG, __version__, tuple(infos))


def drift_tool() -> Tool:
    """This tool as SARIF describes it for ``drift``: every difference type (each one drift, an error)."""
    from ..drift.differences import DIFFERENCE_TYPES

    infos = []
    for t in sorted(DIFFERENCE_TYPES.values(), key=lambda t: t.id):
        summary = f"{t.summary} ({t.impact})"
        description = f"{summary}: Twilio's published OpenAPI differs from the contract's schemas."
        help_ = f"**{summary}** (`{t.id}`)\n\n{description}\n\nThe difference types: `docs/drift.md`."
        infos.append(RuleInfo(t.id, summary, "error", description, help_))
    return Tool(PROG, __version__, tuple(infos))


def _located(v: Violation, file: str, at: Position | None, key: str = "", context: str = "") -> Located:
    return Located(
        v.rule,
        v.severity,
        v.message,
        v.path,
        file,
        at.line if at else None,
        at.column if at else None,
        key,
        context,
        "" if v.severity == "error" else " (warning)",
    )


def place_payload(report: Report, data: bytes) -> list[Located]:
    """The findings of one JSON payload file at the members their pointers name."""
    text = data.decode("utf-8-sig", "replace")
    file = report.source or STDIN
    lines, index = Lines(text), jsontext.Index(text)
    out = [_located(v, file, lines.position(index.locate(v.path).start)) for v in report.findings]
    return sorted(out, key=_by_line)


def place_cassette(
    path: str, interactions: Sequence[Interaction], reports: Iterable[Report], layout: Layout | None = None
) -> list[Located]:
    """The findings of one cassette's interactions, each at the place of its fact: a member of the
    response body, or the part of the interaction it names (see :mod:`..locating.cassette_places`); the
    cassette is read again, only when it has findings (its nodes taken from ``layout``, the load's,
    when the file is still what was loaded)."""
    findings: list[tuple[int | None, Violation]] = []
    for report in reports:
        findings += [(_interaction(path, v.source or report.source), v) for v in report.findings]
    if not findings:
        return []
    wanted: dict[int, tuple[bytes | str | None, list[Key]]] = {}
    for index, v in findings:
        if index is not None and index < len(interactions):
            wanted.setdefault(index, (interactions[index].body, []))[1].append(v.part or v.path)
    from ..locating.cassette_places import locate_findings, locate_in_file, locate_regular
    from ..traffic.cassette_files import MAX_FILE_BYTES, is_json

    places: Mapping[tuple[int, Key], Position] | None = None
    if layout is not None:  # the load's nodes: the file read a chunk at a time, never whole
        try:
            with open_file(path, MAX_FILE_BYTES, "a cassette") as file:
                places = locate_in_file(file, layout, wanted)
        except InputError:  # changed since it was judged: the findings unplaced
            places = {}
    data = None
    if places is None:
        try:
            data = read_file(path, MAX_FILE_BYTES, "a cassette")
        except InputError:  # changed since it was judged: the findings unplaced
            places = {}
    if data is not None:
        # a flow-style YAML cassette starts with "{" too: JSON only where the loader read JSON
        json_text = is_json(path, data)
        if not json_text:  # vcrpy's regular layout: placed from the bytes, never decoded whole
            places = locate_regular(data, wanted)
        if places is None:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:  # changed since it was judged
                text = None
            del data  # the text is what is read now: the file is not held twice
            places = locate_findings(text, is_json=json_text, findings=wanted) if text is not None else {}
    places = places if places is not None else {}
    out = []
    for index, v in findings:
        at = places.get((index, v.part or v.path)) if index is not None else None
        context = clip((v.source or "")[len(path) :], SOURCE_CAP)
        part = v.part.pointer if v.part else ""
        out.append(_located(v, path, at, f"#{index}{part}", context))
    return sorted(out, key=_by_line)


def _by_line(finding: Located) -> tuple[int, int]:
    """A file's findings in the order of its lines (a stable sort: the report's order within one)."""
    return finding.line or 0, finding.column or 0


def _interaction(path: str, source: str | None) -> int | None:
    """The index of the interaction a source names (``PATH#3 GET https://…``)."""
    if source is None or not source.startswith(path + "#"):
        return None
    digits = source[len(path) + 1 :].partition(" ")[0]
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


def place_drift(report: DriftReport) -> list[Located]:
    """The differences of one spec, each at the spec's member its pointer names."""
    file = report.source or STDIN
    try:
        text = read_file(file, MAX_BYTES, "a JSON file").decode("utf-8-sig", "replace")
    except InputError:
        text = None
    lines = Lines(text) if text is not None else None
    out = []
    for d in report.differences:
        at = lines.position(jsontext.locate(text, d.pointer).start) if text is not None and lines else None
        out.append(
            Located(
                d.type,
                "error",
                f"{d.message} [schemas/{d.schema}]",
                d.pointer,
                file,
                at.line if at else None,
                at.column if at else None,
                tag=f" ({d.impact})",
            )
        )
    return out


def print_located(
    placed: Sequence[Located],
    fmt: str,
    summary: str,
    out: IO[str],
    tool: Tool | None = None,
    unread: Sequence[Unread] = (),
) -> None:
    """Print findings in a CI format: ``sarif`` and ``gitlab`` one JSON document, ``github`` a
    command per finding and then the summary line (the runner shows it in the log). An input that
    could not be read is said in the format itself (see :mod:`..reporting`), never left out."""
    from ..reporting import github, gitlab, sarif

    if fmt == "sarif":
        print(sarif.render(placed, tool or rules_tool(), unread), file=out)
    elif fmt == "gitlab":
        print(gitlab.render(placed, unread), file=out)
    else:
        if placed or unread:
            print(github.render(placed, unread), file=out)
        print(summary, file=out)


def print_failure(args: argparse.Namespace, problem: BindingContractsError, out: IO[str]) -> None:
    """A run that failed before it judged anything (bad input: exit 2), in the CI format asked for:
    the error in the format's own terms, so that an upload of it is no clean scan. Nothing for
    the other formats (the error line on stderr says it)."""
    fmt = getattr(args, "format", "")
    if fmt in CI_FORMATS:
        source = problem.source if isinstance(problem, InputError) else None
        unread = Unread(source, clip(str(problem), ERROR_CAP))
        tool = drift_tool() if args.command == "drift" else rules_tool()
        print_located([], fmt, f"{PROG}: error: {unread.message}", out, tool, [unread])


def emit(
    results: Sequence[tuple[Result, list[Located]]],
    failures: Sequence[dict[str, str]],
    fmt: str,
    summary: str,
    tool: Tool,
    out: IO[str],
) -> int:
    """Print the results in a located format (text: each finding's line, or the file's own line when
    it has none, then the summary; the CI formats: :func:`print_located`) and return the exit status."""
    summary += f", {len(failures)} unreadable" if failures else ""
    if fmt in CI_FORMATS:
        unread = [Unread(f["source"], f"{f['source']}: {f['error']}") for f in failures]
        print_located([f for _, located in results for f in located], fmt, summary, out, tool, unread)
    else:
        for result, located in results:
            print("\n".join(f.text() for f in located) if located else result.render_text(), file=out)
        print(summary, file=out)
    if failures:
        return BAD_INPUT
    return OK if all(r.ok for r, _ in results) else VIOLATION
