"""check() of JSON text against the reference path on the parsed document: the shapes of
:mod:`binding_contracts.checking.fastpath.shapes` vouch for nothing the reference finds fault with,
and they do vouch for bodies written the way Twilio writes them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import orjson
import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import PROFILES, Report, Request, check
from binding_contracts.checking.entry import check_parsed
from binding_contracts.checking.fastpath.patterns import DATE
from binding_contracts.checking.fastpath.shapes import vouches
from binding_contracts.factories import BindingProvider
from binding_contracts.spec.formats import is_date_time
from binding_contracts.spec.kinds import ITEM_KINDS, KIND_TABLE, PAGE_KINDS
from binding_contracts.strategies import invalid_payloads, page_walks, payloads
from conftest import ROOT, fewer_examples, load

BINDING_KINDS = list(KIND_TABLE)
CASES = [(kind, profile) for kind in BINDING_KINDS for profile in PROFILES]


def writings(doc: Any) -> list[bytes]:
    """The same document as different writers put it: compact, indented, and the standard
    library's (spaces after separators, non-ASCII escaped or not)."""
    return [
        orjson.dumps(doc),
        orjson.dumps(doc, option=orjson.OPT_INDENT_2),
        json.dumps(doc).encode(),
        json.dumps(doc, ensure_ascii=False, indent="\t").encode(),
    ]


def reference(data: bytes, kind: str, profile: str, **options: Any) -> Report:
    return check_parsed(orjson.loads(data), kind, profile, parsed=False, fast=False, **options)


def assert_agree(data: bytes, kind: str, profile: str = "strict", **options: Any) -> None:
    expected = reference(data, kind, profile, **options)
    for _ in range(2):  # the second time, the shape that fitted last is tried before any parsing
        got = check(data, kind, profile, **options)
        assert got == expected
        assert [v.message for v in got.findings] == [v.message for v in expected.findings]


def faker(seed: int = 0) -> Faker:
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(seed)
    return fake


def realistic(kind: str, seed: int = 0) -> dict[str, Any]:
    fake = faker(seed)
    make = {
        "binding": fake.binding,
        "user-binding": fake.user_binding,
        "conversations-binding": fake.conversations_binding,
        "binding-page": lambda: fake.binding_page(count=20),
        "user-binding-page": lambda: fake.binding_page(count=20, kind="user-binding-page"),
        "conversations-binding-page": lambda: fake.conversations_binding_page(count=20),
    }[kind]
    doc: dict[str, Any] = make()
    return doc


ALPHABET = [*b'0123456789abcdefABCDEFZT:-/%.?&=@+ "\\,[]{}nul', 0xC3, 0xBC, 0xFF]


class TestTextAgreesWithTheReference:
    @pytest.mark.parametrize(("kind", "profile"), CASES)
    @fewer_examples(3)
    @given(data=st.data())
    def test_on_generated_payloads_however_written(
        self, kind: str, profile: str, data: st.DataObject
    ) -> None:
        doc = data.draw(payloads(kind))
        for text in writings(doc):
            assert_agree(text, kind, profile)

    @fewer_examples(2)
    @given(data=st.data())
    def test_on_user_pages_naming_the_user_by_identity(self, data: st.DataObject) -> None:
        kind = "user-binding-page"
        doc = data.draw(payloads(kind, user_path="identity"))
        text = orjson.dumps(doc)
        assert vouches(doc, text, kind) is not None  # the shape knows such a page
        for text in writings(doc):
            assert_agree(text, kind)
        mutant = data.draw(invalid_payloads(kind, user_path="identity"))
        assert_agree(orjson.dumps(mutant.payload), mutant.check_kind)

    @pytest.mark.parametrize("kind", BINDING_KINDS)
    @fewer_examples(2)
    @given(data=st.data())
    def test_on_mutated_payloads(self, kind: str, data: st.DataObject) -> None:
        mutant = data.draw(invalid_payloads(kind))
        text = orjson.dumps(mutant.payload)
        if not reference(text, mutant.check_kind, "strict").ok:
            assert vouches(mutant.payload, text, mutant.check_kind) is None
        assert_agree(text, mutant.check_kind)

    @pytest.mark.parametrize("kind", BINDING_KINDS)
    @fewer_examples(2)
    @given(data=st.data())
    def test_with_one_byte_changed(self, kind: str, data: st.DataObject) -> None:
        text = bytearray(orjson.dumps(realistic(kind, data.draw(st.integers(0, 3)))))
        at = data.draw(st.integers(0, len(text) - 1))
        text[at : at + data.draw(st.integers(0, 2))] = bytes(
            data.draw(st.lists(st.sampled_from(ALPHABET), max_size=2))
        )
        try:
            orjson.loads(text)
        except orjson.JSONDecodeError:
            assert check(bytes(text), kind).rules() == {"response.json"}
            return
        assert_agree(bytes(text), kind)

    @pytest.mark.parametrize("kind", PAGE_KINDS)
    @fewer_examples(2)
    @given(data=st.data())
    def test_with_the_request_and_the_walk_known(self, kind: str, data: st.DataObject) -> None:
        pages = data.draw(page_walks(kind, total=data.draw(st.integers(0, 6)), page_size=2))
        for n, page in enumerate(pages):
            request = Request("GET", page["meta"]["url"])
            assert_agree(orjson.dumps(page), kind, request=request, walk=pages[:n])
            for item in page["bindings"]:
                item_kind = kind.removesuffix("-page")
                assert_agree(orjson.dumps(item), item_kind, request=Request("GET", item["url"]))


class TestTwilioShapedBodiesFit:
    @pytest.mark.parametrize("kind", BINDING_KINDS)
    @pytest.mark.parametrize("seed", range(3))
    def test_the_faker_providers_bodies_fit_however_written(self, kind: str, seed: int) -> None:
        doc = realistic(kind, seed)
        for text in writings(doc):  # every character past ASCII escaped too, as json.dumps writes it
            found = vouches(doc, text, kind)
            assert found is not None, text[:200]
            warned = {v.path for v in reference(text, kind, "strict").warnings}
            assert {"".join(f"/{p}" for p in where) + "/identity" for where, _ in found} == warned

    @pytest.mark.parametrize("kind", BINDING_KINDS)
    @pytest.mark.parametrize(
        ("identity", "fits"),
        [
            ("zoë.müller", True),
            ("иван@example.com", True),
            ("\U0001f600 +1", True),
            ("a\x01b", True),
            ('a"b', False),  # an escape but \\u fits no shape
            ("a\\b", False),
        ],
    )
    def test_identities_past_ascii_fit_written_as_escapes(self, kind: str, identity: str, fits: bool) -> None:
        """json.dumps writes every character past ASCII (and a control character) as a \\u escape:
        such a body fits as its unescaped writing does, with the same warnings."""
        doc = realistic(kind)
        for item in doc.get("bindings", [doc]):
            if "links" in item:  # links.user names the identity, percent-encoded
                item["links"]["user"] = (
                    item["links"]["user"].rsplit("/", 1)[0] + "/" + quote(identity, safe="")
                )
            item["identity"] = identity
        if "user" in kind and "bindings" in doc:
            return  # a user's page names one user in its urls: left to the generated ones
        for text in (orjson.dumps(doc), json.dumps(doc).encode(), json.dumps(doc, indent=2).encode()):
            assert (vouches(doc, text, kind) is not None) == fits
            assert_agree(text, kind)
            # a character any writer may escape, a URI-reserved one among them
            assert_agree(text.replace(b"@", b"\\u0040").replace(b"xample", b"x\\u0061mple"), kind)
        if "bindings" not in doc:  # read member by member: its identity decoded as a shape reads it
            broken = {**doc, "sid": "BS123"}
            for text in (json.dumps(broken).encode(), json.dumps(broken).replace("@", "\\u0040").encode()):
                assert_agree(text, kind)

    @pytest.mark.parametrize(
        "entry",
        [
            e
            for e in load("sdk_payloads.json")
            if e["kind"] in KIND_TABLE and e["body"] and "twilio/" in str(e["sources"])
        ],
        ids=lambda e: f"{e['kind']} {e['url']}",
    )
    def test_the_twilio_sdk_fixtures_fit_unless_on_the_deprecated_host(self, entry: dict[str, Any]) -> None:
        text = json.dumps(entry["body"], indent=4).encode()
        found = vouches(entry["body"], text, entry["kind"])
        if "ip-messaging.twilio.com" in entry["url"]:
            assert found is None
            assert {v.rule for v in reference(text, entry["kind"], "strict").findings} == {
                "url.deprecated-host"
            }
        else:
            assert found is not None


LEAP_YEARS: Final = {"2016": True, "2000": True, "2015": False, "1900": False, "2100": False}


class TestFebruary29:
    """A date the shapes' pattern lets through whatever its year: in a leap year it fits, in a common
    year the other paths judge it, on a binding, on a page's item, and member by member."""

    def test_the_pattern_takes_a_date_exactly_when_rfc_3339_does_in_every_year(self) -> None:
        pattern = re.compile(DATE)
        for year in range(1, 10000):
            for day in ("02-28", "02-29", "02-30", "04-30", "04-31", "12-31"):
                written = f"{year:04}-{day}T23:59:59Z"
                assert (pattern.fullmatch(written) is not None) == is_date_time(written), written

    @pytest.mark.parametrize("year", LEAP_YEARS)
    @pytest.mark.parametrize("member", ["date_created", "date_updated"])
    def test_fits_in_a_leap_year_alone(self, year: str, member: str) -> None:
        doc = realistic("binding")
        doc["date_created"], doc["date_updated"] = "1899-01-01T00:00:00Z", "2999-01-01T00:00:00Z"
        doc[member] = f"{year}-02-29T10:00:00Z"
        page = realistic("binding-page")
        item = page["bindings"][3]
        item["date_created"], item["date_updated"] = doc["date_created"], doc["date_updated"]
        for kind, body in (("binding", doc), ("binding-page", page)):
            for text in writings(body):
                assert (vouches(body, text, kind) is not None) == LEAP_YEARS[year]
                assert_agree(text, kind)
        broken = {**doc, "sid": "BS123"}  # read member by member: the date fits its piece or not
        assert_agree(orjson.dumps(broken), "binding")
        rules = check(orjson.dumps(broken), "binding").rules()
        assert ("schema.format" in rules) != LEAP_YEARS[year]


class TestText:
    def test_text_that_is_not_json_is_reported_not_raised(self) -> None:
        report = check(b'{"sid": ', "binding")
        assert report.rules() == {"response.json"}
        assert not report.ok

    def test_kind_auto_is_detected_from_the_parsed_text(self) -> None:
        doc = realistic("user-binding")
        assert check(orjson.dumps(doc)).kind == "user-binding"

    def test_bytes_that_are_not_utf8_are_never_vouched_for(self) -> None:
        text = orjson.dumps(faker().binding(identity="m\u00fcller"))
        assert check(text, "binding").ok  # the shape now fits a binding like this one
        broken = text.replace("\u00fc".encode(), b"\xff\xfe")
        assert check(broken, "binding").rules() == {"response.json"}

    @pytest.mark.parametrize("kind", ITEM_KINDS)
    def test_a_bytearray_and_a_memoryview_are_text_too(self, kind: str) -> None:
        text = orjson.dumps(realistic(kind))
        expected = check(text, kind)
        assert check(bytearray(text), kind) == expected == check(memoryview(text), kind)

    def test_a_url_the_standard_library_cannot_split_is_reported_not_raised(self) -> None:
        doc = faker().binding()
        doc["url"] = "https://[chat.twilio.com/v2/Services"
        report = check(orjson.dumps(doc), "binding")
        assert "binding.url-path" in report.rules()
        assert any("https://[chat.twilio.com/v2/Services" in v.message for v in report.violations)


_ADDED_MEMBER = """
import json, sys
from pathlib import Path
import binding_contracts.spec.schemas as schemas
schemas.schema_dir = lambda: Path(sys.argv[1])  # the copied schema set, before any schema is read
from binding_contracts import check
out = {}
for kind, doc in json.load(sys.stdin).items():
    reports = [check(json.dumps(doc, indent=i).encode(), kind) for i in (None, 2)] + [check(doc, kind)]
    out[kind] = [r.to_dict() for r in reports]
print(json.dumps(out))
"""


def test_a_member_added_to_a_schema_is_judged_by_the_other_paths(tmp_path: Path) -> None:
    copied = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copied)
    for path in copied.glob("*.schema.json"):
        schema = json.loads(path.read_text("utf-8"))
        properties = schema.get("properties", {})
        objects = [schema, schema.get("$defs", {}).get("page_meta"), properties.get("links")]
        for obj in (o for o in objects if o is not None and "properties" in o):
            obj["properties"]["added"] = {"type": "string"}
        path.write_text(json.dumps(schema), "utf-8")
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(7)
    made = [kind for kind in KIND_TABLE if kind != "user-binding-page"]  # no Faker method of its own
    docs = {kind: getattr(fake, kind.replace("-", "_"))() for kind in made}
    for doc in docs.values():
        for part in (doc, *doc.get("bindings", ())):
            for obj in (part, part.get("meta"), part.get("links")):
                if isinstance(obj, dict):
                    obj["added"] = "a value"
    args = [sys.executable, "-c", _ADDED_MEMBER, str(copied)]
    done = subprocess.run(args, input=json.dumps(docs), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    reports = json.loads(done.stdout)
    assert set(reports) == set(docs)
    for kind, (compact, indented, parsed) in reports.items():
        assert compact == indented == parsed, kind
        assert parsed["ok"], (kind, parsed)
