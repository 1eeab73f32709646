"""observe: what payloads show of each kind's members, and the profile file written from them, which
accepts every payload it was observed from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binding_contracts import KINDS, check
from binding_contracts.generation.drawing import loosening
from binding_contracts.spec.kinds import ITEMS_KEY, PAGE_ITEM_KIND
from binding_contracts.spec.profile_files import DETECTED_BY
from binding_contracts.spec.schemas import check_profile, raw_schemas, schema_file
from binding_contracts.strategies import payloads
from binding_contracts.traffic.observe import Observed, observe_paths
from conftest import ROOT, example


@st.composite
def loosened(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """A valid payload of ``kind`` with some members null and some left out (never every member that
    tells the kind), its items too when it is a page."""
    doc: dict[str, Any] = draw(payloads(kind))
    item_kind = PAGE_ITEM_KIND.get(kind)
    if item_kind is not None:
        doc[ITEMS_KEY] = [draw(_loosen(item, item_kind)) for item in doc[ITEMS_KEY]]
    return draw(_loosen(doc, kind))


@st.composite
def _loosen(draw: st.DrawFn, doc: dict[str, Any], kind: str) -> dict[str, Any]:
    out = dict(doc)
    for member in sorted(doc):
        how = draw(st.sampled_from(["keep", "keep", "null", "drop"]))
        if how == "null":
            out[member] = None
        elif how == "drop" and not any(member in group for group in DETECTED_BY[kind]):
            del out[member]
    return out


class TestProfileWritten:
    @settings(max_examples=max(10, settings.default.max_examples // 3))  # each example compiles its schemas
    @given(st.lists(st.sampled_from(KINDS).flatmap(lambda k: st.tuples(st.just(k), loosened(k))), max_size=6))
    def test_a_profile_written_from_payloads_accepts_every_one_of_them(
        self, tmp_path_factory: pytest.TempPathFactory, seen: list[tuple[str, dict[str, Any]]]
    ) -> None:
        observed = Observed()
        for kind, doc in seen:
            observed.add(doc, kind)
        path = tmp_path_factory.mktemp("observed") / "profile.json"
        profile, kept = observed.profile(str(path))
        assert kept == []
        path.write_text(json.dumps(profile.to_json()))
        for kind, doc in seen:
            report = check(doc, kind, profile=path)
            assert report.violations == [], report.render_text()

    @given(st.sampled_from(KINDS).flatmap(payloads))
    def test_a_profile_written_from_strict_payloads_loosens_nothing(self, doc: dict[str, Any]) -> None:
        observed = Observed()
        from binding_contracts import detect_kind

        observed.add(doc, detect_kind(doc))
        assert observed.profile("p.json")[0].to_json()["loosen"] == {}


class TestCounts:
    def test_present_null_types_values_identities_and_hosts_are_counted(self) -> None:
        observed = Observed()
        first, second = example("binding"), example("binding")
        second["credential_sid"], second["identity"] = None, "maria@example.org"
        del second["endpoint"]
        observed.add(first, "binding")
        observed.add(second, "binding")
        seen = observed.members["binding"]
        assert (seen["credential_sid"].present, seen["credential_sid"].null) == (2, 1)
        assert seen["credential_sid"].types == {"string": 1, "null": 1}
        assert seen["endpoint"].present == 1
        assert seen["identity"].reserved == 1
        assert seen["binding_type"].values == {first["binding_type"]: 2}
        assert seen["url"].hosts == {"chat.twilio.com": 2}
        assert seen["links"].hosts == {"chat.twilio.com": 2}
        profile = observed.profile("p.json")[0].to_json()
        assert profile["loosen"] == {"binding": {"nullable": ["credential_sid"], "optional": ["endpoint"]}}

    def test_a_member_no_schema_documents_is_shown_and_never_loosened(self) -> None:
        observed = Observed()
        observed.add({**example("binding"), "later": None}, "binding")
        assert "later (undocumented)" in observed.render_text()
        assert observed.profile("p.json")[0].to_json()["loosen"] == {}

    def test_a_kind_told_only_by_members_missing_keeps_them_and_says_so(self) -> None:
        observed = Observed()
        doc = {k: v for k, v in example("binding").items() if k not in ("sid", "binding_type", "links")}
        observed.add(doc, "binding")
        profile, kept = observed.profile("p.json")
        assert profile.optional == {}
        assert kept == ["binding: sid, binding_type, links kept required (the kind is told by it)"]

    def test_the_bundled_cassettes_are_read_whole(self) -> None:
        observed = Observed()
        assert list(observe_paths([str(ROOT / "cassettes")], observed)) == []
        assert observed.files == len(list((ROOT / "cassettes").glob("*.yaml")))
        assert set(observed.payloads) == set(KINDS)
        assert observed.unread == []

    def test_payload_files_are_read_by_their_kind(self, tmp_path: Path) -> None:
        (tmp_path / "b.json").write_text(json.dumps(example("user-binding")))
        (tmp_path / "list.json").write_text("[]")
        observed = Observed()
        assert list(observe_paths([str(tmp_path)], observed)) == []
        assert observed.payloads == {"user-binding": 1}
        assert observed.unread == [f"{tmp_path / 'list.json'}: is a JSON array, but every kind is an object"]


PROFILE_FILES = [
    {
        "binding": {
            "nullable": ["credential_sid", "identity", "links"],
            "optional": ["endpoint"],
        }
    },
    {"user-binding": {"nullable": ["sid"], "optional": ["date_updated"]}, "binding": {"optional": ["sid"]}},
    {"conversations-binding": {"nullable": ["chat_service_sid", "url"], "optional": ["account_sid"]}},
]


class TestPayloadsOfAProfileFile:
    @pytest.mark.parametrize("loosen", PROFILE_FILES)
    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    @settings(max_examples=max(5, settings.default.max_examples // 10))
    def test_every_example_passes_the_profile_file_and_departs_from_strict_only_where_it_says(
        self, tmp_path_factory: pytest.TempPathFactory, loosen: dict[str, Any], kind: str, data: st.DataObject
    ) -> None:
        path = tmp_path_factory.getbasetemp() / f"profile-{PROFILE_FILES.index(loosen)}.json"
        if not path.exists():
            path.write_text(json.dumps({"binding_contracts_profile": 1, "loosen": loosen}))
        doc = data.draw(payloads(kind, profile=path))
        report = check(doc, kind, profile=path)
        assert report.violations == [], report.render_text()
        item_kind = PAGE_ITEM_KIND.get(kind, kind)
        items = doc[ITEMS_KEY] if kind in PAGE_ITEM_KIND else [doc]
        allowed = loosen.get(item_kind, {})
        for item in items:
            nulls = {m for m, v in item.items() if v is None}
            assert nulls <= set(allowed.get("nullable", ()))
            required = raw_schemas()[schema_file(item_kind)]["required"]
            assert set(required) - set(item) <= set(allowed.get("optional", ()))

    def test_a_sid_made_nullable_is_not_drawn_null_when_its_url_may_not_be(self, tmp_path: Path) -> None:
        path = tmp_path / "p.json"
        path.write_text(
            json.dumps({"binding_contracts_profile": 1, "loosen": {"binding": {"nullable": ["sid"]}}})
        )
        name = check_profile(path)

        class Always:
            def integer(self, low: int, high: int) -> int:
                return 1  # "null" for every member

        assert loosening(Always(), "binding", {}, name).nulls == frozenset()  # type: ignore[arg-type]
