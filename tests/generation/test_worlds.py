"""api_worlds(): worlds as data, each variation class drawn alone when asked, each shrinking to the
one variation a predicate needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from binding_contracts.errors import UsageError
from binding_contracts.generation.worlds import CLASSES, MAX_BINDINGS, World
from binding_contracts.spec.profile_files import FILE_KEY
from binding_contracts.strategies import api_worlds


@given(api_worlds(variations=()))
def test_a_plain_world_holds_services_users_and_bindings_and_no_variation(world: World) -> None:
    assert world.variations == ()
    assert 1 <= len(world.services) == len(set(world.services))
    for service in world.services:
        mine = [b for b in world.bindings if b.service == service]
        assert 1 <= len(mine) <= MAX_BINDINGS
        identities = [u.identity for u in world.users if u.service == service]
        assert len(identities) == len(set(identities))
        assert all(b.identity in identities for b in mine)
    assert len({b.sid for b in world.bindings}) == len(world.bindings)


@given(st.data(), st.sampled_from(sorted(CLASSES)))
def test_a_world_holds_only_the_classes_asked_for(data: st.DataObject, cls: str) -> None:
    world = data.draw(api_worlds(variations=[cls]))
    assert world.classes() <= {cls}


@given(api_worlds(variations=["null", "missing", "undocumented"], profile="strict"))
def test_the_strict_profile_varies_no_member(world: World) -> None:
    assert world.variations == ()


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_each_class_shrinks_to_a_single_variation(cls: str) -> None:
    minimal = find(
        api_worlds(variations=[cls]),
        lambda w: cls in w.classes(),
        settings=settings(max_examples=500, database=None),
    )
    assert len(minimal.variations) == 1, minimal
    assert len(minimal.services) == 1


@given(api_worlds())
def test_a_world_is_data_equal_to_its_copy_and_printed_by_its_variations(world: World) -> None:
    copy = World(world.services, world.users, world.bindings, world.variations, world.profile)
    assert copy == world
    assert hash(copy) == hash(world)
    text = repr(world)
    assert all(str(v) in text for v in world.variations)
    assert text.startswith("World(")
    assert "\n" not in text


def test_an_unknown_class_is_a_usage_error_naming_the_near_one() -> None:
    with pytest.raises(UsageError, match=r"'nul'.*did you mean 'null'"):
        api_worlds(variations=["nul"])


def test_a_profile_file_limits_the_member_variations_to_what_it_allows(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    loosen = {"binding": {"nullable": ["credential_sid"]}}
    path.write_text(json.dumps({FILE_KEY: 1, "base": "strict", "loosen": loosen}), encoding="utf-8")

    @settings(max_examples=30, database=None)
    @given(api_worlds(profile=path, variations=["null", "missing", "undocumented"]))
    def drawn(world: World) -> None:
        assert {(v.cls, v.member) for v in world.variations} <= {("null", "credential_sid")}

    drawn()
    found = find(api_worlds(profile=path, variations=["null"]), lambda w: bool(w.variations))
    assert [(v.cls, v.member) for v in found.variations] == [("null", "credential_sid")]
