"""The README and the docs pages: the README stays a few screens whose links resolve, and docs/rules.md
is what docs/render_rules.py writes from the rule catalogue today.

``make test`` builds the docs with warnings as errors: that is where a broken link between pages, a
missing heading or a page in no toctree fails; a test here shows that build catching each.
"""

from __future__ import annotations

import re
import runpy
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from binding_contracts import RULES
from conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
RULES_PAGE = DOCS / "rules.md"
README_LIMIT = 10 * 1024


@pytest.fixture(scope="module")
def render_rules() -> dict[str, Any]:
    return runpy.run_path(str(DOCS / "render_rules.py"), run_name="render_rules")


def slug(heading: str) -> str:
    """A heading's anchor as GitHub and MyST (``myst_heading_anchors``) write it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text("utf-8"), flags=re.DOTALL | re.MULTILINE)
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


class TestTheReadme:
    def test_is_at_most_10_kb(self) -> None:
        size = len(README.read_bytes())
        assert size <= README_LIMIT, f"README.md is {size} bytes: move the detail to a page of docs/"

    def test_every_relative_link_names_a_file_and_heading_that_exist(self) -> None:
        links = re.findall(r"\]\(([^)#\s]+)(?:#([^)\s]+))?\)", README.read_text("utf-8"))
        relative = [(target, anchor) for target, anchor in links if "://" not in target]
        assert len(relative) >= 10
        for target, anchor in relative:
            path = ROOT / target
            assert path.is_file(), f"README.md links to {target}, which does not exist"
            if anchor:
                assert anchor in anchors(path), f"README.md links to {target}#{anchor}: no such heading"

    def test_links_every_docs_page(self) -> None:
        text = README.read_text("utf-8")
        pages = {p.name for p in DOCS.glob("*.md")} - {"index.md", "changelog.md", "architecture.md"}
        assert {p for p in pages if f"(docs/{p}" not in text} == set()

    @pytest.mark.parametrize("marker", ["install", "check example", "vcr config"])
    def test_holds_the_parts_the_docs_include_once(self, marker: str) -> None:
        text = README.read_text("utf-8")
        assert text.count(f"<!-- {marker}: start -->") == text.count(f"<!-- {marker}: end -->") == 1


class TestTheRulesPage:
    def test_is_what_the_rule_catalogue_renders_today(self, render_rules: dict[str, Any]) -> None:
        render: Callable[[], str] = render_rules["render"]
        assert RULES_PAGE.read_text("utf-8") == render(), (
            "docs/rules.md differs from the rule catalogue: run `make docs` "
            "(or `.venv/bin/python docs/render_rules.py`) and commit docs/rules.md"
        )

    def test_every_rule_has_a_section_whose_sample_finds_that_rule(self) -> None:
        text = RULES_PAGE.read_text("utf-8")
        sections = dict(re.findall(r"^## `([^`]+)`\n(.*?)(?=^\(rule-|\Z)", text, flags=re.M | re.S))
        assert sorted(sections) == sorted(RULES)
        for rule_id, body in sections.items():
            (sample,) = re.findall(r"```text\n(.*?)```", body, flags=re.S)
            found = re.findall(r": ([a-z]+\.[a-zA-Z-]+)(?: \(warning\))?: ", sample)
            assert found, rule_id
            assert set(found) == {rule_id}, rule_id

    def test_a_rule_without_a_sample_is_refused_by_name(
        self, render_rules: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        context: dict[str, Any] = render_rules["CONTEXT"]
        monkeypatch.delitem(context, "request.sid")
        with pytest.raises(SystemExit, match=r"request\.sid: no kind can break it alone"):
            render_rules["render"]()


class TestTheDocsBuild:
    """The build ``make test`` runs (its flags read from the Makefile, the real conf.py) on a small site
    with one mistake of each kind: every one fails it, by name."""

    def flags(self) -> list[str]:
        makefile = (ROOT / "Makefile").read_text("utf-8")
        found = re.search(r"^SPHINX := \$\(BIN\)/sphinx-build (.*)$", makefile, flags=re.M)
        assert found is not None
        return shlex.split(found.group(1))

    def test_a_broken_link_a_missing_heading_and_a_page_in_no_toctree_each_fail_it(
        self, tmp_path: Path
    ) -> None:
        site = tmp_path / "docs"
        site.mkdir()
        shutil.copy(DOCS / "conf.py", site / "conf.py")
        (site / "index.md").write_text("# Home\n\n```{toctree}\npage\n```\n", "utf-8")
        (site / "page.md").write_text(
            "# Page\n\n## A heading\n\n[ok](#a-heading) [gone](missing.md) [no anchor](index.md#nowhere)\n",
            "utf-8",
        )
        (site / "orphan.md").write_text("# Orphan\n", "utf-8")
        command = [
            sys.executable,
            "-m",
            "sphinx",
            *self.flags(),
            "-b",
            "html",
            str(site),
            str(tmp_path / "out"),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode != 0
        assert "orphan.md: WARNING: document isn't included in any toctree" in done.stderr
        assert "cross-reference target not found: 'missing.md'" in done.stderr
        assert "local id not found in doc 'index': 'nowhere'" in done.stderr
        assert "a-heading" not in done.stderr
