"""docs/rules.md is what docs/render_rules.py writes from the rule catalogue today."""

from __future__ import annotations

import re
import runpy
from collections.abc import Callable
from typing import Any

import pytest

from binding_contracts import RULES
from conftest import ROOT

DOCS = ROOT / "docs"
RULES_PAGE = DOCS / "rules.md"


@pytest.fixture(scope="module")
def render_rules() -> dict[str, Any]:
    return runpy.run_path(str(DOCS / "render_rules.py"), run_name="render_rules")


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
