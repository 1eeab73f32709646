"""The fixtures command: every file it writes passes validate (or fails with exactly its rule)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pytest

from binding_contracts import KINDS, RULES, UsageError
from binding_contracts.cli.fixtures import PIN_OPTIONS
from binding_contracts.spec import facts
from binding_contracts.spec.kinds import PAGE_ITEM_KIND, service_member
from binding_contracts.strategies import payloads, targetable_rules
from clirun import call, write

FILE_RULES = [
    (kind, rule) for kind in KINDS for rule in targetable_rules(kind) if rule != "error.status-match"
]


def fixtures(tmp_path: Path, *argv: str) -> list[Path]:
    code, out, err = call("fixtures", *argv, "--out", str(tmp_path))
    assert (code, err) == (0, ""), err
    paths = [Path(line) for line in out.splitlines()]
    assert sorted(paths) == sorted(tmp_path.glob("*.json"))
    return paths


def validated(paths: list[Path]) -> tuple[int, list[dict[str, Any]]]:
    code, out, _ = call("validate", "--format", "json", *map(str, paths))
    return code, json.loads(out)["results"]


class TestRoundTripThroughValidate:
    @pytest.mark.parametrize("kind", KINDS)
    def test_every_file_written_passes_validate(self, kind: str, tmp_path: Path) -> None:
        code, results = validated(fixtures(tmp_path, "--kind", kind, "--count", "5", "--seed", "3"))
        assert code == 0
        assert [r["kind"] for r in results] == [kind] * 5

    def test_a_listing_is_a_consistent_walk_of_valid_pages(self, tmp_path: Path) -> None:
        paths = fixtures(tmp_path, "--kind", "listing", "--count", "120", "--page-size", "50")
        assert [p.name for p in paths] == [f"listing-page-000{n}.json" for n in range(3)]
        assert validated(paths)[0] == 0
        pages = [json.loads(p.read_text("utf-8")) for p in paths]
        assert [len(p["bindings"]) for p in pages] == [50, 50, 20]
        assert [p["meta"]["url"] for p in pages[1:]] == [p["meta"]["next_page_url"] for p in pages[:-1]]

    @pytest.mark.parametrize(("kind", "rule"), FILE_RULES, ids=[f"{k}:{r}" for k, r in FILE_RULES])
    def test_every_invalid_file_fails_validate_with_exactly_its_rule(
        self, kind: str, rule: str, tmp_path: Path
    ) -> None:
        paths = fixtures(tmp_path, "--kind", kind, "--invalid", rule, "--count", "3")
        code, results = validated(paths)
        warning = RULES[rule].severity == "warning"
        assert code == (0 if warning else 1)
        for result in results:
            found = result["warnings"] if warning else result["violations"]
            assert {v["rule"] for v in found} == {rule}
            assert result["violations" if warning else "warnings"] == []


class TestOutput:
    def test_the_same_seed_writes_the_same_bytes(self, tmp_path: Path) -> None:
        first = fixtures(tmp_path / "a", "--kind", "binding-page", "--count", "3", "--seed", "9")
        second = fixtures(tmp_path / "b", "--kind", "binding-page", "--count", "3", "--seed", "9")
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
        other = fixtures(tmp_path / "c", "--kind", "binding-page", "--count", "3", "--seed", "10")
        assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]

    def test_one_payload_on_stdout_is_one_json_document(self) -> None:
        code, out, _ = call("fixtures", "--kind", "error")
        assert code == 0
        assert json.loads(out)["status"] >= 400

    def test_several_payloads_on_stdout_are_a_json_array(self) -> None:
        code, out, _ = call("fixtures", "--kind", "binding", "--count", "2")
        assert (code, len(json.loads(out))) == (0, 2)

    def test_json_lines_are_one_payload_a_line_each_of_which_validates(self) -> None:
        code, out, _ = call("fixtures", "--kind", "user-binding", "--count", "4", "--format", "jsonl")
        assert code == 0
        lines = out.splitlines()
        assert len(lines) == 4
        assert all(call("validate", "-", stdin=line.encode())[0] == 0 for line in lines)

    def test_an_existing_file_is_never_replaced_without_force(self, tmp_path: Path) -> None:
        (tmp_path / "binding-0001.json").write_text("mine", encoding="utf-8")
        code, _, err = call("fixtures", "--kind", "binding", "--out", str(tmp_path))
        assert code == 2
        assert "binding-0001.json: exists; pass --force" in err
        assert (tmp_path / "binding-0001.json").read_text(encoding="utf-8") == "mine"
        assert call("fixtures", "--kind", "binding", "--out", str(tmp_path), "--force")[0] == 0
        assert json.loads((tmp_path / "binding-0001.json").read_text(encoding="utf-8"))["sid"]

    def test_a_file_that_cannot_be_written_is_one_line_and_leaves_no_temporary_file(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "error-0001.json").mkdir()
        code, _, err = call("fixtures", "--kind", "error", "--out", str(tmp_path), "--force")
        assert code == 2
        assert "error-0001.json: cannot be written" in err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["error-0001.json"]

    def test_other_files_in_the_directory_are_left_alone(self, tmp_path: Path) -> None:
        (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
        fixtures_written = call("fixtures", "--kind", "error", "--out", str(tmp_path))
        assert fixtures_written[0] == 0
        assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep"


BAD_ARGS = {
    "no kind": ([], "--kind"),
    "unknown kind": (["--kind", "bindings"], "invalid choice"),
    "count 0": (["--kind", "binding", "--count", "0"], "from 1 to 100000"),
    "count not a number": (["--kind", "binding", "--count", "many"], "from 1 to 100000"),
    "unknown rule": (["--kind", "binding", "--invalid", "binding.url-sd"], "did you mean 'binding.url-sid'"),
    "rule of another kind": (["--kind", "error", "--invalid", "schema.pattern"], "nothing in an error"),
    "status-match": (["--kind", "error", "--invalid", "error.status-match"], "HTTP status"),
    "invalid listing": (["--kind", "listing", "--invalid", "page.key"], "only single payloads"),
    "page size of a binding": (["--kind", "binding", "--page-size", "5"], "only pages and listings"),
    "page size 0": (["--kind", "listing", "--page-size", "0"], "page.size-min"),
    "jsonl to a directory": (["--kind", "binding", "--format", "jsonl", "--out", "DIR"], "one .json file"),
    "out is a file": (["--kind", "binding", "--out", "FILE"], "cannot be made a directory"),
}


class TestBadInput:
    @pytest.mark.parametrize("name", sorted(BAD_ARGS))
    def test_each_is_one_line_on_stderr_and_exit_2(self, name: str, tmp_path: Path) -> None:
        argv, problem = BAD_ARGS[name]
        (tmp_path / "file").write_text("x", encoding="utf-8")
        swap = {"DIR": str(tmp_path / "out"), "FILE": str(tmp_path / "file")}
        code, out, err = call("fixtures", *(swap.get(a, a) for a in argv))
        assert (code, out) == (2, "")
        assert err.startswith("binding-contracts: error: ")
        assert err.count("\n") == 1
        assert problem in err


SERVICE, ACCOUNT, USER = "IS" + "0" * 31 + "1", "AC" + "0" * 31 + "2", "US" + "0" * 31 + "3"
PINS = {
    "--service-sid": SERVICE,
    "--account-sid": ACCOUNT,
    "--user-sid": USER,
    "--identity": "kim&lee",
    "--binding-type": "apn",
}


def items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = doc.get("bindings", [doc])
    return found


class TestPins:
    @pytest.mark.parametrize("kind", [k for k in KINDS if k != "error"] + ["listing"])
    def test_every_pin_a_kind_has_is_in_every_payload_and_every_file_passes(
        self, kind: str, tmp_path: Path
    ) -> None:
        item = PAGE_ITEM_KIND.get(kind, "binding" if kind == "listing" else kind)
        members = {option: member for member, option in PIN_OPTIONS.items()}
        argv = [
            arg
            for option, value in PINS.items()
            if (service_member(item) if option == "--service-sid" else members[option])
            in facts.properties(item)
            for arg in (option, value)
        ]
        size = ["--page-size", "3"] if item != kind else []
        paths = fixtures(tmp_path, "--kind", kind, "--count", "7", *size, *argv)
        code, results = validated(paths)
        assert code == 0, results
        pinned = dict(zip(argv[::2], argv[1::2], strict=True))
        for doc in (json.loads(p.read_text("utf-8")) for p in paths):
            for binding in items(doc):
                assert binding[service_member(item)] == SERVICE
                for option, value in pinned.items():
                    if option != "--service-sid":
                        assert binding[members[option]] == value

    @pytest.mark.parametrize(
        ("kind", "pins"),
        [
            ("binding", {"service_sid": "IS1"}),
            ("binding", {"binding_type": "apns"}),
            ("conversations-binding", {"chat_service_sid": "BS" + "0" * 32}),
            ("user-binding", {"user_sid": "kim"}),
            ("binding-page", {"account_sid": ""}),
            ("user-binding-page", {"identity": ""}),
        ],
    )
    def test_a_pin_that_breaks_a_rule_is_refused_with_the_python_pins_message(
        self, kind: str, pins: dict[str, str]
    ) -> None:
        with pytest.raises(UsageError) as python:
            payloads(kind, **pins)
        argv = [a for m, v in pins.items() for a in (PIN_OPTIONS.get(m, "--service-sid"), v)]
        code, out, err = call("fixtures", "--kind", kind, *argv)
        assert (code, out) == (2, "")
        assert err == f"binding-contracts: error: {python.value}\n"

    @pytest.mark.parametrize(
        ("kind", "option", "which"),
        [
            ("binding", "--user-sid", "a binding has no user_sid"),
            ("conversations-binding-page", "--user-sid", "a conversations-binding has no user_sid"),
            ("error", "--service-sid", "an error has no service_sid"),
            ("error", "--identity", "an error has no identity"),
        ],
    )
    def test_a_pin_the_kind_does_not_have_is_refused_naming_the_option(
        self, kind: str, option: str, which: str
    ) -> None:
        code, out, err = call("fixtures", "--kind", kind, option, PINS[option])
        assert (code, out) == (2, "")
        assert err == f"binding-contracts: error: Got {option} with --kind {kind}, but {which}\n"

    def test_pins_leave_the_rest_as_the_seed_draws_it(self) -> None:
        _, plain, _ = call("fixtures", "--kind", "binding", "--seed", "5")
        _, pinned, _ = call("fixtures", "--kind", "binding", "--seed", "5", "--identity", "kim")
        drawn, fixed = json.loads(plain), json.loads(pinned)
        assert fixed["identity"] == "kim"
        assert fixed["sid"] == drawn["sid"]


class TestPublishedProfile:
    @pytest.mark.parametrize("kind", [*KINDS, "listing"])
    def test_every_published_file_passes_validate_under_that_profile(self, kind: str, tmp_path: Path) -> None:
        paths = fixtures(tmp_path, "--kind", kind, "--count", "20", "--profile", "published")
        code, out, err = call("validate", "--profile", "published", *map(str, paths))
        assert (code, err) == (0, ""), out

    def test_published_files_hold_nulls_and_are_reproducible(self, tmp_path: Path) -> None:
        argv = ("--kind", "binding", "--count", "30", "--seed", "5", "--profile", "published")
        first = [p.read_bytes() for p in fixtures(tmp_path / "a", *argv)]
        assert first == [p.read_bytes() for p in fixtures(tmp_path / "b", *argv)]
        docs = [json.loads(b) for b in first]
        assert any(None in d.values() for d in docs)

    def test_a_rule_the_published_profile_does_not_judge_is_refused(self) -> None:
        code, _, err = call(
            "fixtures", "--kind", "binding", "--profile", "published", "--invalid", "schema.required"
        )
        assert code == 2
        assert "that profile does not judge it" in err


LOOSE: Final = {
    "binding_contracts_profile": 1,
    "base": "strict",
    "loosen": {"binding": {"nullable": ["credential_sid"], "optional": ["endpoint"]}},
}
"""A profile file: strict, but a binding's credential_sid may be null and its endpoint missing."""


class TestProfileFile:
    def test_files_drawn_under_a_profile_file_pass_validate_under_it_alone(self, tmp_path: Path) -> None:
        profile = write(tmp_path, "profile.json", LOOSE)
        paths = fixtures(tmp_path / "out", "--kind", "binding", "--count", "40", "--profile", profile)
        docs = [json.loads(p.read_bytes()) for p in paths]
        assert any(d.get("credential_sid", "") is None for d in docs)
        assert any("endpoint" not in d for d in docs)
        code, out, err = call("validate", "--profile", profile, *map(str, paths))
        assert (code, err) == (0, ""), out
        assert call("validate", *map(str, paths))[0] == 1  # the strict profile refuses what it loosens

    def test_a_profile_file_that_cannot_be_read_is_one_line_and_exit_2(self, tmp_path: Path) -> None:
        code, out, err = call("fixtures", "--kind", "binding", "--profile", str(tmp_path / "nope.json"))
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert "nope.json" in err
