"""Profile files: the strict profile with members loosened per kind, read from versioned JSON;
check(profile=Path) takes one, and a file that cannot be used is one UsageError naming it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binding_contracts import KINDS, check, detect_kind
from binding_contracts.errors import InputError, UsageError
from binding_contracts.spec.profile_files import DETECTED_BY, FILE_KEY, ProfileFileError
from binding_contracts.spec.schemas import check_profile, profile_schemas, raw_schemas, schema_file
from binding_contracts.strategies import payloads
from conftest import example, fewer_examples


def write(tmp_path: Path, loosen: Any, name: str = "profile.json", **more: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({FILE_KEY: 1, "base": "strict", "loosen": loosen, **more}))
    return path


class TestLoosening:
    def test_a_member_made_nullable_accepts_null_and_still_its_strict_values(self, tmp_path: Path) -> None:
        profile = write(tmp_path, {"binding": {"nullable": ["credential_sid", "message_types"]}})
        doc = example("binding")
        assert check(doc, profile=profile).ok
        doc["credential_sid"] = doc["message_types"] = None
        assert not check(doc).ok
        report = check(doc, profile=profile)
        assert report.ok
        assert report.profile == str(profile)
        doc["credential_sid"] = "CRnope"
        assert [v.rule for v in check(doc, profile=profile).violations] == ["schema.pattern"]

    def test_a_member_made_optional_may_be_missing_but_not_null(self, tmp_path: Path) -> None:
        profile = write(tmp_path, {"binding": {"optional": ["endpoint"]}})
        doc = example("binding")
        del doc["endpoint"]
        assert check(doc, profile=profile).ok
        nulled = check({**doc, "endpoint": None}, profile=profile)
        assert [v.rule for v in nulled.violations] == ["schema.type"]

    def test_an_item_kind_loosened_loosens_its_pages_items_as_bytes_and_as_a_dict(
        self, tmp_path: Path
    ) -> None:
        profile = write(tmp_path, {"binding": {"nullable": ["identity"]}})
        page = example("binding-page")
        page["bindings"][0]["identity"] = None
        assert not check(page).ok
        assert check(page, profile=profile).ok
        assert check(json.dumps(page).encode(), profile=profile).ok

    def test_the_rules_still_run_under_a_profile_file(self, tmp_path: Path) -> None:
        profile = write(tmp_path, {"binding": {"nullable": ["credential_sid"]}})
        doc = example("binding")
        doc["url"] = doc["url"][:-4] + "ffff"
        assert [v.rule for v in check(doc, profile=profile).violations] == ["binding.url-sid"]

    def test_the_schemas_are_the_strict_ones_but_for_the_loosened_members(self, tmp_path: Path) -> None:
        name = check_profile(write(tmp_path, {"user-binding": {"optional": ["endpoint"]}}))
        strict, loosened = raw_schemas(), profile_schemas(name)
        changed = [f for f in strict if strict[f] != loosened[f]]
        assert changed == [schema_file("user-binding")]
        assert "endpoint" not in loosened[schema_file("user-binding")]["required"]
        assert "endpoint" in strict[schema_file("user-binding")]["required"]

    def test_a_file_changed_is_read_again(self, tmp_path: Path) -> None:
        doc = {**example("binding"), "identity": None}
        profile = write(tmp_path, {"binding": {"nullable": ["identity"]}})
        assert check(doc, profile=profile).ok
        write(tmp_path, {"binding": {"nullable": ["endpoint", "credential_sid"]}})
        assert not check(doc, profile=profile).ok

    def test_a_name_not_read_from_a_file_is_refused_with_a_close_match(self) -> None:
        with pytest.raises(UsageError, match="did you mean 'strict'"):
            check(example("binding"), profile="strikt")


class TestBadFiles:
    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            ("not json", "is not JSON"),
            ("[1]", "is not a profile file"),
            ({FILE_KEY: 2}, "version 2; version 1 is supported"),
            ({FILE_KEY: 1, "bsae": "strict"}, "unknown key 'bsae'"),
            ({FILE_KEY: 1, "base": "published"}, "loosens 'strict' only"),
            ({FILE_KEY: 1, "loosen": []}, "expected an object of kinds"),
            ({FILE_KEY: 1, "loosen": {"bindng": {}}}, "unknown kind 'bindng' (did you mean 'binding'?)"),
            ({FILE_KEY: 1, "loosen": {"binding": {"nulable": []}}}, "nullable, optional"),
            ({FILE_KEY: 1, "loosen": {"binding": {"nullable": "sid"}}}, "not a list of member names"),
            (
                {FILE_KEY: 1, "loosen": {"binding": {"nullable": ["idenity"]}}},
                "makes 'idenity' nullable, but kind 'binding' has no such member (did you mean 'identity'?)",
            ),
            ({FILE_KEY: 1, "loosen": {"user-binding": {"optional": ["user_sid"]}}}, "detected by it"),
            ({FILE_KEY: 1, "loosen": {"error": {"optional": ["status"]}}}, "an error is detected by it"),
            (
                {FILE_KEY: 1, "loosen": {"binding": {"optional": ["sid", "links", "binding_type"]}}},
                "'sid', 'binding_type', 'links' optional, but a binding is detected by one of them",
            ),
        ],
    )
    def test_a_bad_file_is_one_usage_error_naming_it(
        self, tmp_path: Path, content: Any, problem: str
    ) -> None:
        path = tmp_path / "p.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        with pytest.raises(ProfileFileError) as caught:
            check(example("binding"), profile=path)
        assert isinstance(caught.value, UsageError)
        assert isinstance(caught.value, InputError)
        assert str(caught.value).startswith(f"{path}: ")
        assert problem in str(caught.value)
        assert "\n" not in str(caught.value)

    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            (f'{{"{FILE_KEY}": true}}', f"has {FILE_KEY} true, expected the integer 1"),
            (f'{{"{FILE_KEY}": 1.0}}', f"has {FILE_KEY} 1.0, expected the integer 1"),
            (f'{{"{FILE_KEY}": "1"}}', f'has {FILE_KEY} "1", expected the integer 1'),
            (f'{{"{FILE_KEY}": 1, "base": "strict", "base": "published"}}', "has the key 'base' twice"),
            (f'{{"{FILE_KEY}": 1, "{FILE_KEY}": 1}}', f"has the key '{FILE_KEY}' twice"),
            (
                f'{{"{FILE_KEY}": 1, "loosen": {{"binding": {{"nullable": ["sid"]}}, "binding": {{}}}}}}',
                "has the key 'binding' twice",
            ),
            (
                f'{{"{FILE_KEY}": 1, "loosen": {{"binding": {{"nullable": [], "nullable": ["identity"]}}}}}}',
                "has the key 'nullable' twice",
            ),
            (
                f'{{"{FILE_KEY}": 1, "loosen": {{"binding": {{"nullable": ["identity", "identity"]}}}}}}',
                "names 'identity' twice in binding.nullable",
            ),
            (f'{{"{FILE_KEY}": 1, "base": 1}}', "has base 1, but a profile file loosens 'strict' only"),
        ],
    )
    def test_a_value_of_another_type_or_a_key_given_twice_is_refused_naming_it(
        self, tmp_path: Path, content: str, problem: str
    ) -> None:
        path = tmp_path / "p.json"
        path.write_text(content)
        with pytest.raises(ProfileFileError) as caught:
            check(example("binding"), profile=path)
        assert str(caught.value).startswith(f"{path}: ")
        assert problem in str(caught.value)
        assert "\n" not in str(caught.value)

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def test_every_value_of_another_json_type_is_refused(
        self, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
    ) -> None:
        doc: dict[str, Any] = {
            FILE_KEY: 1,
            "base": "strict",
            "loosen": {"binding": {"nullable": ["identity"], "optional": ["endpoint"]}},
        }
        places = _places(doc, ())
        place = data.draw(st.sampled_from(places))
        old = _get(doc, place)
        new = data.draw(_JSON_VALUES.filter(lambda v: _json_type(v) != _json_type(old)))
        path = tmp_path_factory.mktemp("typed") / "p.json"  # a new file each time: no cached reading
        path.write_text(json.dumps(_put(doc, place, new)))
        with pytest.raises(ProfileFileError):
            check(example("binding"), profile=path)

    def test_a_missing_file_is_named(self, tmp_path: Path) -> None:
        with pytest.raises(ProfileFileError, match=r"nope\.json: no such file"):
            check(example("binding"), profile=tmp_path / "nope.json")

    def test_the_members_loosened_beside_the_ones_that_tell_a_kind_are_fine(self, tmp_path: Path) -> None:
        profile = write(tmp_path, {"binding": {"optional": ["sid", "links"], "nullable": ["binding_type"]}})
        assert check(example("binding"), profile=profile).ok


class TestDetectedBy:
    @pytest.mark.parametrize("kind", KINDS)
    @fewer_examples(len(KINDS))
    @given(data=st.data())
    def test_a_payload_with_only_the_members_that_tell_its_kind_is_detected_as_it(
        self, kind: str, data: st.DataObject
    ) -> None:
        doc = data.draw(payloads(kind))
        telling = {m for group in DETECTED_BY[kind] for m in group}
        assert detect_kind({m: v for m, v in doc.items() if m in telling}) == kind

    def test_every_kind_says_what_tells_it(self) -> None:
        assert set(DETECTED_BY) == set(KINDS)


_JSON_VALUES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | (st.lists(st.text(max_size=3), max_size=2))
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
)


def _json_type(value: Any) -> str:
    """The JSON type of a value (a bool is no number; 1.0 is a number as 1 is, JSON has one type)."""
    if isinstance(value, bool) or value is None:
        return repr(value).lower() if value is None else "boolean"
    return "number" if isinstance(value, int | float) else type(value).__name__


def _places(node: Any, prefix: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Every value in a document but the document itself."""
    found = [prefix] if prefix else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in children:
        found += _places(value, (*prefix, key))
    return found


def _get(node: Any, place: tuple[Any, ...]) -> Any:
    for key in place:
        node = node[key]
    return node


def _put(node: Any, place: tuple[Any, ...], value: Any) -> Any:
    if not place:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[place[0]] = _put(node[place[0]], place[1:], value)
    return copy
