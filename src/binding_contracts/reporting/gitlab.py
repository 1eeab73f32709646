"""GitLab Code Quality: a JSON array of issues (docs.gitlab.com, "Code Quality", the report format)
that GitLab shows on the merge request, each with a fingerprint that stays the same across runs."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any, Final

from .._printable import json_text
from .located import STDIN, UNREADABLE, Located, Unread

SEVERITY: Final = {"error": "major", "warning": "minor"}


def fingerprint(finding: Located, occurrence: int = 0) -> str:
    """A stable hash of all that tells findings apart but their line: the file, the pointer (within
    its interaction, for a cassette), the rule, the message and the context (the interaction's
    request), and ``occurrence`` (how many findings of the same hash came before it in the report,
    which keeps its order from run to run). The same finding keeps its fingerprint however the file's
    lines move; two findings never share one (GitLab shows one issue per fingerprint)."""
    parts = (
        finding.path or finding.file,
        finding.key + finding.pointer,
        finding.rule,
        finding.message,
        finding.context,
    )
    text = "\0".join(parts) + (f"\0{occurrence}" if occurrence else "")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def issue(finding: Located, occurrence: int = 0) -> dict[str, Any]:
    return {
        "description": f"{finding.pointed()}: {finding.described()}",
        "check_name": finding.rule,
        "fingerprint": fingerprint(finding, occurrence),
        "severity": SEVERITY[finding.level],
        "location": {"path": finding.path or finding.file, "lines": {"begin": finding.line or 1}},
    }


def render(findings: Iterable[Located], unread: Iterable[Unread] = ()) -> str:
    """The issues, each fingerprint told apart from the alike findings' before it."""
    before: Counter[str] = Counter()
    issues = []
    for f in findings:
        alike = fingerprint(f)
        issues.append(issue(f, before[alike]))
        before[alike] += 1
    return json_text(issues + [unread_issue(u) for u in unread])


def unread_issue(unread: Unread) -> dict[str, Any]:
    """An input that could not be read, as a ``blocker`` issue on that file (line 1): Code Quality
    has no other way to say a scan did not happen, and an empty report reads as a clean one."""
    path = unread.path or unread.file or STDIN
    parts = (path, UNREADABLE, unread.message)
    return {
        "description": unread.message,
        "check_name": UNREADABLE,
        "fingerprint": hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest(),
        "severity": "blocker",
        "location": {"path": path, "lines": {"begin": 1}},
    }
