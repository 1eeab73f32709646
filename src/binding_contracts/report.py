"""Violation and Report: what a check found, in a stable order, rendered as text, JSON or JUnit."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from ._json import sort_key
from ._printable import json_text, printable

__all__ = [
    "FAILURE_HEAD",
    "MESSAGE_CAP",
    "Part",
    "Report",
    "Severity",
    "Violation",
    "brief",
    "clip",
    "failure_text",
    "render_junit",
    "shorten",
]

Severity = Literal["error", "warning"]

_VALUE_CAP = 60
FAILURE_HEAD = "Binding contract violated:"
MESSAGE_CAP = 400
"""Longest message kept: a rule quoting a value it did not shorten still gives one readable line."""
POINTER_CAP = 200
"""Longest pointer any output prints (a member name can be megabytes long): see :func:`short_pointer`."""
TOKEN_CAP = 40
"""Longest reference token a shortened pointer keeps whole."""
SOURCE_CAP = 300
"""Longest source (a file, a cassette interaction, a request) any output prints."""
_WARNING: Final = {"severity": "warning", "value": None, "part": None}
"""The fields every warning of the checking paths has alike (:meth:`Violation.warning`)."""
CUT: Final = "~…"
"""What marks a shortened pointer where it was cut: ``~`` followed by anything but ``0`` or ``1`` is
no JSON Pointer (RFC 6901), so a shortened pointer is never mistaken for one naming a real member."""


def clip(text: str, cap: int) -> str:
    """``text`` cut to ``cap`` characters, the last one ``…`` when cut."""
    return text if len(text) <= cap else text[: cap - 1] + "…"


def short_pointer(path: str) -> str:
    """``path`` as every output prints it (text, JSON, JUnit, the plugin's failures), at most
    :data:`POINTER_CAP` characters; the :class:`Violation` itself keeps the whole pointer.

    Deterministic, in two steps: a reference token longer than :data:`TOKEN_CAP` keeps its first
    ``TOKEN_CAP - 2`` characters and ends with :data:`CUT` (``/aaaa…aa~…``); a pointer still
    longer keeps its leading and trailing tokens and one ``/~…`` where the middle ones were
    (``/a/b/~…/y/z``). A pointer that fits is printed as it is.
    """
    if len(path) <= POINTER_CAP:
        return path
    first, *rest = path.split("/")  # first: "" in a pointer
    tokens = [t if len(t) <= TOKEN_CAP else t[: TOKEN_CAP - 2] + CUT for t in rest]
    first = first if len(first) <= TOKEN_CAP else first[: TOKEN_CAP - 2] + CUT
    short = first + "".join("/" + t for t in tokens)
    if len(short) <= POINTER_CAP:
        return short
    room = (POINTER_CAP - len(CUT) - 1) // 2  # each side; both sides are whole tokens
    head, tail = first, ""
    for t in tokens:
        if len(head) + len(t) + 1 > room:
            break
        head += "/" + t
    for t in reversed(tokens):
        if len(tail) + len(t) + 1 > room:
            break
        tail = "/" + t + tail
    return f"{head}/{CUT}{tail}"


def shorten(value: object, cap: int = _VALUE_CAP) -> str:
    """``repr``-like text of a value, capped so that messages stay one readable line (a string is cut
    before it is quoted; an integer too long to write is described)."""
    if isinstance(value, str):
        text = repr(value[:cap])
        quote = '"' if "'" in value and '"' not in value else "'"  # the quote repr(value) opens with
        if text[0] != quote:
            text = quote + text[1:-1].replace(quote, "\\" + quote) + quote
        # A string keeps its closing quote ('abc…'), so a message never holds an unclosed quote.
        return text if len(text) <= cap else text[: cap - 2] + "…" + text[-1]
    try:
        text = json.dumps(value, ensure_ascii=False)
    except ValueError:  # an integer of more digits than Python writes
        text = _long_int(value)
    except TypeError:  # not a JSON value: pins and other misuse messages quote those too
        text = repr(value)
    return clip(text, cap)


def brief(value: object, cap: int = _VALUE_CAP) -> str:
    """A value as a message shows it bare (a sid, a page number: no quotes), capped like
    :func:`shorten`; every value a message takes from a payload goes through one or the other."""
    if isinstance(value, str):
        return clip(value[:cap], cap)
    try:
        return clip(str(value), cap)
    except ValueError:  # an integer of more digits than Python writes
        return _long_int(value)


def _source(source: str | None) -> str | None:
    return printable(clip(source, SOURCE_CAP)) if source is not None else None


def _long_int(value: object) -> str:
    return f"<an integer of {value.bit_length() if isinstance(value, int) else '?'} bits>"


@dataclass(frozen=True)
class Part:
    """The part of an HTTP interaction a finding is about, when it is not the response body: what
    places the finding in a cassette (a body's finding has none, and is placed at its ``path``).

    ``pointer`` names the part in the interaction as vcrpy records it (RFC 6901):
    ``/request/uri``, ``/request/headers/Authorization/0``, ``/request/body``,
    ``/response/headers/X-Twilio-Signature/0``, ``/response/status/code``. ``text`` is the fact as
    that part's string holds it (a query pair ``AuthToken=…``, a path segment), found at its first
    occurrence after ``lead`` (written just before it, to tell it from an earlier one); or
    ``member``, a JSON pointer to it in that string read as JSON (a JSON request body's member);
    neither: the part itself."""

    pointer: str
    text: str = ""
    lead: str = ""
    member: str | None = None


@dataclass(frozen=True)
class Violation:
    """One finding: which rule, where (a JSON pointer into the checked document), and why; for an
    HTTP interaction, ``part`` when the finding is about its request or headers, not its body."""

    rule: str
    path: str
    message: str
    severity: Severity = "error"
    value: Any = field(default=None, compare=False, hash=False)
    source: str | None = None
    part: Part | None = None

    @classmethod
    def warning(cls, rule: str, path: str, message: str, source: str | None) -> Violation:
        """A warning, built without the dataclass ``__init__`` (a page may hold fifty)."""
        if len(message) > MESSAGE_CAP:
            return cls.found(rule, path, message, "warning", None, source)
        found = object.__new__(cls)
        fields = found.__dict__
        fields.update(_WARNING)
        fields["rule"], fields["path"], fields["message"], fields["source"] = rule, path, message, source
        return found

    @classmethod
    def found(
        cls, rule: str, path: str, message: str, severity: Severity, value: Any, source: str | None = None
    ) -> Violation:
        """A finding of the checking paths, built without the dataclass ``__init__`` (a third of the
        cost of a report with errors went to it): the same violation, its message capped alike."""
        found = object.__new__(cls)
        fields = found.__dict__
        fields["rule"], fields["path"], fields["message"] = rule, path, message
        fields["severity"], fields["value"], fields["source"] = severity, value, source
        fields["part"] = None
        if len(message) > MESSAGE_CAP:
            fields["message"] = clip(message, MESSAGE_CAP)
        return found

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_CAP:
            object.__setattr__(self, "message", clip(self.message, MESSAGE_CAP))

    def sort_key(self) -> tuple[Any, ...]:
        return (self.source or "", sort_key(self.path), self.rule, self.message)

    def line(self) -> str:
        """``SOURCE: PATH: RULE: message`` (source left out when unknown; the pointer shortened by
        :func:`short_pointer`, the source capped), :func:`~._printable.printable`."""
        where = short_pointer(self.path) or "(root)"
        head = f"{clip(self.source, SOURCE_CAP)}: " if self.source else ""
        tag = "" if self.severity == "error" else " (warning)"
        return printable(f"{head}{where}: {self.rule}{tag}: {self.message}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``path`` shortened and ``source`` capped as :meth:`line` prints them, each
        string :func:`~._printable.printable`."""
        return {
            "rule": self.rule,
            "path": printable(short_pointer(self.path)),
            "message": printable(self.message),
            "severity": self.severity,
            "source": _source(self.source),
        }


@dataclass(frozen=True)
class Report:
    """The violations of one checked document, sorted; ``ok`` when none is an error.

    There is deliberately no ``__bool__``: write ``report.ok``.
    """

    kind: str | None
    profile: str
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    source: str | None = None

    @classmethod
    def of(
        cls, findings: Iterable[Violation], *, kind: str | None, profile: str, source: str | None
    ) -> Report:
        ordered = sorted(set(findings), key=Violation.sort_key)
        report = object.__new__(cls)  # as clean() builds one
        fields = report.__dict__
        fields["kind"], fields["profile"] = kind, profile  # in the order of the dataclass's fields
        fields["violations"] = [v for v in ordered if v.severity == "error"]
        fields["warnings"] = [v for v in ordered if v.severity == "warning"]
        fields["source"] = source
        return report

    @classmethod
    def clean(
        cls, *, kind: str | None, profile: str, source: str | None, warnings: list[Violation] | None = None
    ) -> Report:
        """A report without errors (``warnings`` already in order), built without the dataclass
        ``__init__``: it is what most checks return, and the cheapest part of them to make."""
        report = object.__new__(cls)
        fields = report.__dict__
        fields["kind"], fields["profile"] = kind, profile  # in the order of the dataclass's fields
        fields["violations"], fields["warnings"], fields["source"] = [], warnings or [], source
        return report

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def findings(self) -> list[Violation]:
        """Errors and warnings together, in report order."""
        return sorted([*self.violations, *self.warnings], key=Violation.sort_key)

    def rules(self) -> set[str]:
        """The rule ids of the errors."""
        return {v.rule for v in self.violations}

    def render_text(self) -> str:
        if not self.findings:  # the kind judged, when there was one (a DELETE's empty answer has none)
            return printable(
                f"{_source(self.source) or '(payload)'}: ok" + (f" ({self.kind})" if self.kind else "")
            )
        return "\n".join(v.line() for v in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": _source(self.source),
            "kind": self.kind,
            "profile": self.profile,
            "ok": self.ok,
            "violations": [v.to_dict() for v in self.violations],
            "warnings": [v.to_dict() for v in self.warnings],
        }

    def render_json(self) -> str:
        return json_text(self.to_dict())


def failure_text(findings: Iterable[Violation]) -> str:
    """What a failed test shows, whoever found the violations (the plugin after the test body, or the
    recording hooks as vcrpy records or loads an interaction): a head line, then one line a finding."""
    return "\n".join([FAILURE_HEAD, *(v.line() for v in findings)])


def render_junit(reports: Sequence[Report], suite: str = "binding-contracts") -> str:
    """A JUnit XML document with one test case per report, failed when it has errors; every text in
    it :func:`~._printable.printable`, so it holds XML 1.0's characters only."""
    failures = sum(not r.ok for r in reports)
    from xml.etree import ElementTree as ET  # the JUnit format alone needs it

    root = ET.Element("testsuite", name=suite, tests=str(len(reports)), failures=str(failures))
    for report in reports:
        name = printable((_source(report.source) or "payload") + (f" [{report.kind}]" if report.kind else ""))
        case = ET.SubElement(root, "testcase", classname=suite, name=name)
        if not report.ok:
            failure = ET.SubElement(
                case, "failure", message=f"{len(report.violations)} contract violation(s)"
            )
            failure.text = "\n".join(v.line() for v in report.violations)
        if report.warnings:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(v.line() for v in report.warnings)
    return ET.tostring(root, encoding="unicode")
