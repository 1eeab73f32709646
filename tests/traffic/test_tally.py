"""The tally the plugin and ``binding-contracts check`` share: it adds up in any grouping, survives
pytest-xdist's wire, renders each output as before, and both front ends count the same cassettes alike."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts.errors import InputError
from binding_contracts.report import Report, Violation
from binding_contracts.traffic.interactions import Interaction
from binding_contracts.traffic.tally import CheckedCassette, Tally, check_cassette
from clirun import call
from conftest import ROOT

RULES = ("binding.url-sid", "schema.enum", "field.unknown", "sequence.unique-sids")
PATHS = ("a.yaml", "b.yaml", "c.yaml", "d.yaml")
OPERATIONS = ("read-bindings", "fetch-binding", "delete-binding")


@st.composite
def reports(draw: st.DrawFn) -> Report:
    errors = draw(st.lists(st.sampled_from(RULES), max_size=3))
    warnings = draw(st.lists(st.sampled_from(RULES), max_size=2))
    findings = [Violation(rule, f"/{n}", "m") for n, rule in enumerate(errors)]
    findings += [Violation.warning(rule, f"/w{n}", "m", None) for n, rule in enumerate(warnings)]
    return Report.of(findings, kind="binding", profile="strict", source=None)


@st.composite
def cassettes(draw: st.DrawFn) -> tuple[CheckedCassette, bool, bool]:
    """A checked cassette, and how it is added: whether warnings are errors, whether reports are kept."""
    checked = CheckedCassette(
        path=draw(st.sampled_from(PATHS)),
        reports=draw(st.lists(reports(), max_size=4)),
        operations=draw(st.dictionaries(st.sampled_from(OPERATIONS), st.integers(1, 5), max_size=3)),
        ignored=draw(st.integers(0, 3)),
    )
    return checked, draw(st.booleans()), draw(st.booleans())


def tally_of(inputs: list[tuple[CheckedCassette, bool, bool]], unreadable: int = 0) -> Tally:
    tally = Tally()
    for checked, promote, keep in inputs:
        tally.add(checked, promote=promote, keep=keep)
    for _ in range(unreadable):
        tally.add_unreadable()
    return tally


def same(left: Tally, right: Tally) -> None:
    """Equal counts, and the cassettes in the same order (every output lists them in that order)."""
    assert left == right
    assert list(left.traffic) == list(right.traffic)
    assert left.summary_text() == right.summary_text()
    assert left.session_lines() == right.session_lines()


tallies = st.builds(tally_of, st.lists(cassettes(), max_size=4), st.integers(0, 2))


class TestAddingUp:
    @given(tallies, tallies, tallies)
    def test_adding_tallies_up_is_associative(self, a: Tally, b: Tally, c: Tally) -> None:
        same((a + b) + c, a + (b + c))

    @given(st.lists(cassettes(), max_size=8), st.data())
    def test_the_tallies_of_parts_add_up_to_the_tally_of_the_whole(
        self, inputs: list[tuple[CheckedCassette, bool, bool]], data: st.DataObject
    ) -> None:
        cuts = sorted(data.draw(st.lists(st.integers(0, len(inputs)), max_size=3)))
        parts = [inputs[i:j] for i, j in zip([0, *cuts], [*cuts, len(inputs)], strict=True)]
        total = Tally()
        for part in parts:
            total.update(tally_of(part))
        same(total, tally_of(inputs))

    @given(tallies)
    def test_nothing_added_to_a_tally_leaves_it_as_it_is(self, tally: Tally) -> None:
        same(tally + Tally(), tally)
        same(Tally() + tally, tally)

    @given(tallies)
    def test_a_tally_crosses_the_wire_as_plain_json(self, tally: Tally) -> None:
        same(Tally.from_wire(json.loads(json.dumps(tally.to_wire()))), tally)

    @given(st.lists(cassettes(), max_size=6))
    def test_a_cassette_is_without_traffic_only_if_it_never_held_a_report(
        self, inputs: list[tuple[CheckedCassette, bool, bool]]
    ) -> None:
        tally = tally_of(inputs)
        busy = {checked.path for checked, _, _ in inputs if checked.reports}
        assert set(tally.without_binding_traffic) == {c.path for c, _, _ in inputs} - busy
        assert tally.checked == sum(len(c.reports) for c, _, _ in inputs)
        assert tally.violations == sum(tally.rules_fired.values())


def report(*findings: Violation) -> Report:
    return Report.of(findings, kind="binding", profile="strict", source=None)


SAMPLE = [
    CheckedCassette("z.yaml", [], {}, 1),
    CheckedCassette(
        "a.yaml",
        [
            report(Violation("binding.url-sid", "/url", "m")),
            report(Violation.warning("field.unknown", "", "m", None)),
        ],
        {"read-bindings": 1, "fetch-binding": 1},
        2,
    ),
]


class TestRendering:
    """The outputs, byte for byte as each front end printed them before they shared the tally."""

    def test_check_s_text_and_json_summary(self) -> None:
        tally = tally_of([(c, False, False) for c in SAMPLE], unreadable=1)
        assert tally.summary_text() == (
            "3 cassette(s), 2 Binding interaction(s) checked (fetch-binding 1, read-bindings 1),"
            " 3 other(s) ignored\n"
            "1 violating the contract: binding.url-sid x1\n"
            "warnings: field.unknown x1\n"
            "no Binding traffic: z.yaml"
        )
        assert json.dumps(tally.summary()) == json.dumps(
            {
                "cassettes": 3,
                "unreadable": 1,
                "interactions_checked": 2,
                "operations": {"fetch-binding": 1, "read-bindings": 1},
                "ignored": 3,
                "violating": 1,
                "rules_fired": {"binding.url-sid": 1},
                "warnings": {"field.unknown": 1},
                "without_binding_traffic": ["z.yaml"],
            }
        )

    def test_check_s_text_when_nothing_was_found(self) -> None:
        assert Tally().summary_text() == (
            "0 cassette(s), 0 Binding interaction(s) checked (none), 0 other(s) ignored\n"
            "0 violating the contract"
        )

    def test_the_plugin_s_lines_and_report_with_warnings_as_errors(self) -> None:
        tally = tally_of([(c, True, True) for c in SAMPLE])
        assert tally.session_lines() == [
            "interactions checked: 2 (fetch-binding 1, read-bindings 1); other(s) ignored: 3",
            "rules fired: binding.url-sid x1, field.unknown x1",
            "cassettes with no Binding traffic: z.yaml",
        ]
        doc = tally.session_report()
        assert list(doc) == [
            "operations",
            "ignored",
            "rules_fired",
            "warnings",
            "without_binding_traffic",
            "results",
        ]
        assert (doc["rules_fired"], doc["warnings"]) == ({"binding.url-sid": 1, "field.unknown": 1}, {})
        assert [r["ok"] for r in doc["results"]] == [False, True]
        assert (tally.violating, tally.violations) == (2, 2)

    def test_the_plugin_sorts_the_cassettes_without_traffic_and_check_keeps_their_order(self) -> None:
        tally = tally_of([(CheckedCassette(p, [], {}, 0), False, False) for p in ("b.yaml", "a.yaml")])
        assert tally.session_lines()[-1] == "cassettes with no Binding traffic: a.yaml, b.yaml"
        assert tally.session_report()["without_binding_traffic"] == ["a.yaml", "b.yaml"]
        assert tally.summary_text().endswith("no Binding traffic: b.yaml, a.yaml")
        assert tally.session_lines()[:2] == [
            "interactions checked: 0 (none); other(s) ignored: 0",
            "rules fired: none",
        ]


class TestCheckCassette:
    def test_an_unreadable_interaction_is_a_response_json_finding_and_other_traffic_is_ignored(self) -> None:
        other = Interaction("GET", "https://api.twilio.com/2010-04-01/Accounts.json", 200, b"{}")
        broken = InputError("c.yaml#1", "has status 'x', expected an integer")
        checked = check_cassette("c.yaml", [other, broken], profile="strict", strict_fields=False)
        assert checked.ignored == 1
        assert dict(checked.operations) == {}
        (only,) = checked.reports
        assert [(v.rule, v.source) for v in only.violations] == [("response.json", "c.yaml#1")]


PER_CASSETTE = """
import pytest, vcr

@pytest.mark.binding_contract
@pytest.mark.parametrize("path", {paths!r})
def test_cassette(path):
    with vcr.use_cassette(path, record_mode="none"):
        pass  # vcrpy loads the cassette as the block opens: the plugin checks all it holds
"""


@pytest.mark.slow
class TestThePluginAndCheckAgree:
    def test_on_the_same_cassettes_they_fire_the_same_rules_and_name_the_same_silent_ones(
        self, pytester: pytest.Pytester, tmp_path: Path
    ) -> None:
        folder = tmp_path / "cassettes"
        shutil.copytree(ROOT / "cassettes", folder)
        self.add_variants(folder)
        paths = sorted(str(p) for p in folder.glob("*.yaml"))
        _, out, _ = call("check", "--format", "json", str(folder))
        by_check = json.loads(out)["summary"]

        pytester.makepyfile(test_it=PER_CASSETTE.format(paths=paths))
        report = tmp_path / "plugin.json"
        result = pytester.runpytest_inprocess(
            "-p", "no:cacheprovider", f"--binding-contracts-report={report}"
        )
        by_plugin = json.loads(report.read_text())

        failed = {p for p, r in zip(paths, self.verdicts(by_plugin, paths), strict=True) if r}
        assert len(failed) == by_check["violating"] == 3
        result.assert_outcomes(passed=len(paths) - 3, failed=3)
        for key in ("rules_fired", "warnings", "without_binding_traffic", "operations", "ignored"):
            assert by_plugin[key] == by_check[key], key
        assert by_check["without_binding_traffic"] == [str(folder / "other.yaml")]
        assert by_check["rules_fired"] == {"binding.url-sid": 1, "schema.enum": 1, "sequence.unique-sids": 1}
        assert by_check["warnings"] == {"field.unknown": 1}

    @staticmethod
    def verdicts(doc: dict[str, Any], paths: list[str]) -> list[bool]:
        """Per cassette, whether one of its reports failed."""
        failing = Counter(r["source"].split("#")[0] for r in doc["results"] if not r["ok"])
        return [bool(failing[p]) for p in paths]

    @staticmethod
    def add_variants(folder: Path) -> None:
        """Beside the bundled recordings: one with no Binding traffic, and breaks of a body's schema,
        of a listing's sequence, and an undocumented member (a warning)."""
        doc = yaml.safe_load((folder / "list-paging.yaml").read_text())
        other = {**doc, "interactions": [dict(doc["interactions"][0])]}
        other["interactions"][0]["request"] = {
            **doc["interactions"][0]["request"],
            "uri": "https://api.twilio.com/2010-04-01/Accounts.json",
        }
        (folder / "other.yaml").write_text(yaml.safe_dump(other))

        def edited(name: str, target: str, change: Any) -> None:
            doc = yaml.safe_load((folder / name).read_text())
            change(doc["interactions"])
            (folder / target).write_text(yaml.safe_dump(doc))

        def body(item: dict[str, Any]) -> Any:
            return json.loads(item["response"]["body"]["string"])

        def put(item: dict[str, Any], value: Any) -> None:
            item["response"]["body"]["string"] = json.dumps(value)

        def enum(items: list[Any]) -> None:
            first = body(items[0])
            first["bindings"][0]["binding_type"] = "sms"
            first["bindings"][1]["extra"] = 1
            put(items[0], first)

        def repeat(items: list[Any]) -> None:
            first, second = body(items[0]), body(items[1])
            second["bindings"][0] = first["bindings"][0]
            put(items[1], second)

        edited("list-paging.yaml", "broken-enum.yaml", enum)
        edited("list-paging.yaml", "broken-sequence.yaml", repeat)
