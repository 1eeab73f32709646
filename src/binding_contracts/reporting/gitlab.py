"""GitLab Code Quality: a JSON array of issues (docs.gitlab.com, "Code Quality", the report format)
that GitLab shows on the merge request, each with a fingerprint that stays the same across runs."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Final

from .located import STDIN, Located, Unread

SEVERITY: Final = {"error": "major", "warning": "minor"}


def fingerprint(finding: Located) -> str:
    """A stable hash of the file, the pointer (within its interaction, for a cassette) and the rule:
    the same finding keeps its fingerprint however the file's lines move."""
    parts = (finding.path or finding.file, finding.key + finding.pointer, finding.rule)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def issue(finding: Located, stamp: str | None = None) -> dict[str, Any]:
    return {
        "description": f"{finding.pointed()}: {finding.described()}",
        "check_name": finding.rule,
        "fingerprint": stamp or fingerprint(finding),
        "severity": SEVERITY[finding.level],
        "location": {"path": finding.path or finding.file, "lines": {"begin": finding.line or 1}},
    }


def fingerprints(findings: Iterable[Located]) -> Iterator[tuple[Located, str]]:
    """Each finding with a fingerprint of its own: GitLab keeps one issue per fingerprint, so a
    finding of the same file, place and rule as one before it (two secrets in one URI) has its
    fingerprint hashed with how many came before, in the report's order."""
    seen: Counter[str] = Counter()
    for finding in findings:
        first = fingerprint(finding)
        seen[first] += 1
        n = seen[first]
        yield finding, first if n == 1 else hashlib.sha256(f"{first}\0{n}".encode()).hexdigest()


UNREADABLE: Final = "input.unreadable"
"""The check name of the issue of an input that could not be read."""


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


def render(findings: Iterable[Located], unread: Iterable[Unread] = ()) -> str:
    issues = [issue(f, p) for f, p in fingerprints(findings)] + [unread_issue(u) for u in unread]
    return json.dumps(issues, indent=2, ensure_ascii=False)
