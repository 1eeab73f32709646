"""Rewrite the rule table in README.md from the rule catalogue (run after adding a rule)."""

from __future__ import annotations

import re
from pathlib import Path

from binding_contracts import KINDS, RULES

README = Path(__file__).resolve().parents[1] / "README.md"
HEADER = "| rule | severity | needs | kinds | what it checks |\n|---|---|---|---|---|\n"


def table() -> str:
    rows = []
    for r in sorted(RULES.values(), key=lambda r: r.id):
        kinds = "all" if set(r.kinds) == set(KINDS) else ", ".join(r.kinds)
        rows.append(f"| `{r.id}` | {r.severity} | {r.needs} | {kinds} | {r.summary} |")
    return HEADER + "\n".join(rows) + "\n"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    new = re.sub(r"\| rule \| severity \|.*?\n(?=\n)", table(), text, count=1, flags=re.S)
    README.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
