"""A binding read member by member (checking/fastpath/members.py) against the reference path: valid
bindings broken in one or several members, as every writer puts them, judged as bytes, str and dict,
kind named and "auto", give the reference report, finding for finding and value for value."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from faker import Faker
from hypothesis import assume, given
from hypothesis import strategies as st
from test_fastpath import near_values

from binding_contracts import PROFILES, Report, check
from binding_contracts.checking.catalogue import Context, rules_for
from binding_contracts.checking.entry import check_parsed
from binding_contracts.checking.fastpath import members
from binding_contracts.factories import BindingProvider
from binding_contracts.spec.kinds import ITEM_KINDS, ITEMS_KEY, PAGE_KINDS
from binding_contracts.strategies import payloads
from conftest import fewer_examples

CASES = [(kind, profile) for kind in ITEM_KINDS for profile in PROFILES]

breaking_values = st.one_of(
    near_values,
    st.sampled_from(
        [
            "BS123",
            "2016-10-21 11:37:03",
            "2016-10-21T11:37:03.5Z",
            "https://chat.twilio.com/v2/Services/IS00000000000000000000000000000000/Bindings/BS" + "f" * 32,
            "https://ip-messaging.twilio.com/v2/Services/IS" + "0" * 32 + "/Users/kim",
            "IS" + "f" * 32,
            "US" + "f" * 32,
            "kim@example.org",
            "k\u00efm",
            'a "quoted" \\ name',
            ["new_message", "typing"],
            [],
            None,
            12,
            -1.5,
            True,
            {"user": "https://chat.twilio.com/v2/Services/IS" + "0" * 32 + "/Users/kim"},
        ]
    ),
)
"""Values a broken binding holds: near the line, a member of another binding, of another type."""


def _written(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
        orjson.dumps(value)
    except (ValueError, orjson.JSONEncodeError):
        return False
    return True


_writable = breaking_values.filter(_written)
"""The same, but what no UTF-8 JSON text holds as orjson reads it (a lone surrogate, an integer past
64 bits, an infinity: test_lone_surrogates.py and test_hostile_values.py judge them)."""


def _summary(report: Report) -> list[tuple[Any, ...]]:
    return [(v.rule, v.path, v.message, v.severity, v.value, v.source) for v in report.findings]


def _writings(doc: dict[str, Any]) -> list[bytes]:
    return [
        orjson.dumps(doc),
        orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n",
        json.dumps(doc, ensure_ascii=False).encode(),
    ]


def _broken(data: st.DataObject, kind: str) -> dict[str, Any]:
    doc = data.draw(payloads(kind))
    names = data.draw(st.lists(st.sampled_from([*doc, "links.user"]), min_size=1, max_size=4, unique=True))
    for name in names:
        value = data.draw(_writable)
        if name == "links.user":
            if isinstance(doc.get("links"), dict):
                doc["links"] = {**doc["links"], "user": value}
        else:
            doc[name] = value
    return doc


def assert_agree(doc: dict[str, Any], kind: str, profile: str) -> None:
    for data in _writings(doc):
        expected = _summary(check_parsed(orjson.loads(data), kind, profile, parsed=False, fast=False))
        for subject in (data, data.decode(), orjson.loads(data)):
            for named in (kind, "auto"):
                for _ in range(2):  # the second time, the shapes that fitted last are tried first
                    got = check(subject, named, profile, source="b.json")
                    assert _summary(got) == [(*v[:5], "b.json") for v in expected], (named, subject)


class TestMembersAgreeWithTheReference:
    @pytest.mark.parametrize(("kind", "profile"), CASES)
    @fewer_examples(4)
    @given(data=st.data())
    def test_on_bindings_broken_in_some_members(self, kind: str, profile: str, data: st.DataObject) -> None:
        check(orjson.dumps(data.draw(payloads(kind))), kind)  # a shape fitted last
        assert_agree(_broken(data, kind), kind, profile)

    @pytest.mark.parametrize("kind", ITEM_KINDS)
    @fewer_examples(4)
    @given(data=st.data())
    def test_members_out_of_order(self, kind: str, data: st.DataObject) -> None:
        doc = _broken(data, kind)
        order = data.draw(st.permutations(list(doc)))
        assert_agree({name: doc[name] for name in order}, kind, "strict")


class TestWhatTheMembersProve:
    """The claims the member-by-member reading makes, each held against the reference directly."""

    @pytest.mark.parametrize("kind", ITEM_KINDS)
    @fewer_examples(2)
    @given(data=st.data())
    def test_the_rules_left_quiet_find_nothing_and_the_schema_only_the_unfit(
        self, kind: str, data: st.DataObject
    ) -> None:
        doc = _broken(data, kind)
        for text in _writings(doc):
            parsed = orjson.loads(text)
            found = members.unfit(parsed, text, kind)
            assume(found is not None)
            assert found is not None
            loose, _, quiet = found
            for rule in rules_for(kind):
                if rule.id in quiet and rule.func is not None:
                    ctx = Context(strict_fields=True)
                    assert list(rule.func(parsed, kind, ctx)) == [], f"{rule.id} is not quiet"
            reference = check_parsed(parsed, kind, "strict", parsed=False, fast=False)
            at = {v.path.split("/")[1] for v in reference.violations if v.rule.startswith("schema.")}
            assert at <= loose, "a member that fits a piece holds a schema violation"


class TestPagesBrokenInSomeItemsAgreeWithTheReference:
    """A page whose schema violations are all inside some items proves the rules of the others
    (engine.broken_items): the report is the reference's."""

    @pytest.mark.parametrize(("kind", "profile"), [(k, p) for k in PAGE_KINDS for p in PROFILES])
    @fewer_examples(4)
    @given(data=st.data())
    def test_on_pages_broken_in_some_items(self, kind: str, profile: str, data: st.DataObject) -> None:
        page = data.draw(payloads(kind))
        items = page[ITEMS_KEY]
        assume(items)
        for i in data.draw(st.lists(st.sampled_from(range(len(items))), min_size=1, max_size=3, unique=True)):
            items[i] = _broken_item(data, items[i])
        assert_agree(page, kind, profile)


def _broken_item(data: st.DataObject, item: dict[str, Any]) -> dict[str, Any]:
    item = dict(item)
    for name in data.draw(st.lists(st.sampled_from(list(item)), min_size=1, max_size=3, unique=True)):
        item[name] = data.draw(_writable)
    return item


def test_only_the_broken_members_and_their_rules_are_judged() -> None:
    """A binding broken in its sid and date_created, its url naming another sid: two members for the
    schema, a url valid on its own, and the rules that read none of them (links.user's, the member
    names') or the url alone (its template, its host) stay quiet."""
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(0)
    valid = fake.binding(identity="kim")
    broken = {
        **valid,
        "sid": "BS123",
        "date_created": "2016-10-21 11:37:03",
        "url": valid["url"].replace(valid["sid"], "BS" + "f" * 32),
    }
    data = orjson.dumps(broken)
    found = members.unfit(orjson.loads(data), data, "binding")
    assert found is not None
    loose, alone, quiet = found
    assert (loose, alone) == ({"sid", "date_created"}, {"url"})
    quieted = {"binding.links-user-service", "binding.url-path", "url.deprecated-host", "field.unknown"}
    assert quieted <= quiet
    assert not quiet & {"binding.url-sid", "binding.url-service", "binding.dates-ordered"}
    assert check(data, "binding").rules() == {"schema.pattern", "schema.format", "binding.url-sid"}
