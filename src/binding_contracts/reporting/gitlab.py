"""GitLab Code Quality: a JSON array of issues (docs.gitlab.com, "Code Quality", the report format)
that GitLab shows on the merge request, each with a fingerprint that stays the same across runs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, Final

from .located import Located

SEVERITY: Final = {"error": "major", "warning": "minor"}


def fingerprint(finding: Located) -> str:
    """A stable hash of the file, the pointer (within its interaction, for a cassette) and the rule:
    the same finding keeps its fingerprint however the file's lines move."""
    parts = (finding.path or finding.file, finding.key + finding.pointer, finding.rule)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def issue(finding: Located) -> dict[str, Any]:
    return {
        "description": f"{finding.pointed()}: {finding.described()}",
        "check_name": finding.rule,
        "fingerprint": fingerprint(finding),
        "severity": SEVERITY[finding.level],
        "location": {"path": finding.path or finding.file, "lines": {"begin": finding.line or 1}},
    }


def render(findings: Iterable[Located]) -> str:
    return json.dumps([issue(f) for f in findings], indent=2, ensure_ascii=False)
