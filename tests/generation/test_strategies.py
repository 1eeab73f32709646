"""Hypothesis strategies: valid by construction, pins honoured or refused, walks consistent, shrinking."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, find, given, settings
from hypothesis import strategies as st

from binding_contracts import KINDS, UsageError, check
from binding_contracts.spec import facts, schemas
from binding_contracts.spec.formats import is_absolute_uri
from binding_contracts.spec.routes import match_url
from binding_contracts.spec.urls import build_url
from binding_contracts.strategies import page_walks, payloads

Doc = dict[str, Any]
SVC = "IS" + "0123456789abcdef" * 2
USR = "US" + "fedcba9876543210" * 2
BSID = "BS" + "00112233445566778899aabbccddeeff"


class TestPayloads:
    @pytest.mark.parametrize("kind", KINDS)
    @pytest.mark.parametrize("profile", ["strict", "published"])
    @given(data=st.data())
    def test_every_example_passes_the_contract(self, kind: str, profile: str, data: st.DataObject) -> None:
        doc = data.draw(payloads(kind))
        report = check(doc, kind, profile)
        assert report.ok, report.render_text()

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_auto_detection_tells_every_example_s_kind(self, kind: str, data: st.DataObject) -> None:
        assert check(data.draw(payloads(kind))).kind == kind

    @given(payloads("binding"))
    def test_the_only_warning_a_valid_binding_draws_is_a_reserved_identity(self, doc: Doc) -> None:
        assert {w.rule for w in check(doc).warnings} <= {"binding.identity-reserved"}

    @given(payloads("binding"))
    def test_links_user_names_the_identity_after_percent_decoding(self, doc: Doc) -> None:
        assert unquote(doc["links"]["user"].rsplit("/", 1)[1]) == doc["identity"]
        assert doc["url"].endswith(f"/Services/{doc['service_sid']}/Bindings/{doc['sid']}")

    @given(payloads("binding"))
    def test_dates_are_ordered_and_in_a_sensible_range(self, doc: Doc) -> None:
        assert "2016-01-01" <= doc["date_created"] <= doc["date_updated"] < "2032"

    @given(payloads("binding"))
    def test_message_types_are_documented_ones(self, doc: Doc) -> None:
        assert set(doc["message_types"]) <= set(facts.enum("known_message_type"))

    @given(payloads("binding-page"))
    def test_a_page_holds_at_most_page_size_items_of_its_service(self, doc: Doc) -> None:
        meta, items = doc["meta"], doc["bindings"]
        assert len(items) <= meta["page_size"] <= 50
        assert len({i["sid"] for i in items}) == len(items)
        assert all(
            meta["url"].split("?")[0].endswith(f"/Services/{i['service_sid']}/Bindings") for i in items
        )


ENDPOINT_SHAPES = {
    "apn": r"[0-9a-f]{64}",
    "fcm": r"[A-Za-z0-9_-]{11}:APA91b[A-Za-z0-9_-]{134}",
    "gcm": r"APA91b[A-Za-z0-9_-]{134}",
}


class TestPins:
    @given(payloads("binding-page", service_sid=SVC, page_size=3))
    def test_a_page_honours_its_service_and_page_size(self, doc: Doc) -> None:
        assert doc["meta"]["page_size"] == 3
        assert len(doc["bindings"]) <= 3
        assert {i["service_sid"] for i in doc["bindings"]} <= {SVC}
        assert SVC in doc["meta"]["url"]

    @pytest.mark.parametrize("binding_type", sorted(ENDPOINT_SHAPES))
    @given(data=st.data())
    def test_a_pinned_binding_type_gets_that_platform_s_device_token(
        self, binding_type: str, data: st.DataObject
    ) -> None:
        doc = data.draw(payloads("user-binding", binding_type=binding_type))
        assert doc["binding_type"] == binding_type
        assert re.fullmatch(ENDPOINT_SHAPES[binding_type], doc["endpoint"])

    @given(payloads("user-binding-page", user_sid=USR, identity="kim.lee", page=2))
    def test_a_user_page_lists_one_user(self, doc: Doc) -> None:
        assert doc["meta"]["page"] == 2
        assert {(i["user_sid"], i["identity"]) for i in doc["bindings"]} <= {(USR, "kim.lee")}

    @given(st.data())
    def test_a_user_page_names_its_user_by_sid_or_identity_as_pinned(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(["sid", "identity"]))
        doc = data.draw(payloads("user-binding-page", user_sid=USR, identity="kim.lee", user_path=path))
        assert f"/Users/{USR if path == 'sid' else 'kim.lee'}/Bindings?" in doc["meta"]["url"]
        assert check(doc).ok

    @given(payloads("binding", date_created="2020-02-29T12:00:00Z"))
    def test_a_pinned_creation_date_is_kept_and_the_update_follows_it(self, doc: Doc) -> None:
        assert doc["date_created"] == "2020-02-29T12:00:00Z" <= doc["date_updated"]

    @given(payloads("binding", date_updated="2017-05-01T00:00:00+02:00"))
    def test_a_pinned_update_date_is_kept_and_the_creation_precedes_it(self, doc: Doc) -> None:
        assert doc["date_updated"] == "2017-05-01T00:00:00+02:00"
        assert check(doc).ok

    def test_a_pinned_url_gives_the_sids_it_names(self) -> None:
        url = f"https://chat.twilio.com/v2/Services/{SVC}/Bindings/{BSID}"
        doc = find(payloads("binding", url=url), lambda d: True, settings=settings(database=None))
        assert (doc["url"], doc["sid"], doc["service_sid"]) == (url, BSID, SVC)

    def test_pinned_links_give_the_service_and_identity(self) -> None:
        links = {"user": f"https://chat.twilio.com/v2/Services/{SVC}/Users/maria@example.org"}
        doc = find(payloads("binding", links=links), lambda d: True, settings=settings(database=None))
        assert (doc["links"], doc["identity"], doc["service_sid"]) == (links, "maria@example.org", SVC)

    @given(data=st.data())
    def test_any_pinned_identity_makes_a_valid_binding(self, data: st.DataObject) -> None:
        identity = data.draw(st.text(min_size=1, max_size=40), label="identity")
        report = check(data.draw(payloads("binding", identity=identity)))
        assert report.ok, report.render_text()
        assert {w.rule for w in report.warnings} <= {"binding.identity-reserved"}

    @given(payloads("error", status=503))
    def test_a_pinned_5xx_status_is_kept(self, doc: Doc) -> None:
        assert doc["status"] == 503

    @given(payloads("error", more_info="https://www.twilio.com/docs/errors/20429"))
    def test_a_pinned_more_info_gives_the_code_it_names(self, doc: Doc) -> None:
        assert doc["code"] == 20429

    @pytest.mark.parametrize(("status", "message"), [(418, "I'm a Teapot"), (599, "Error")])
    @given(data=st.data())
    def test_a_status_twilio_does_not_send_gets_a_generic_message(
        self, status: int, message: str, data: st.DataObject
    ) -> None:
        doc = data.draw(payloads("error", status=status))
        assert doc["message"] == message
        assert check(doc).ok

    @given(
        payloads("user-binding", url=f"https://chat.twilio.com/v2/Services/{SVC}/Users/{USR}/Bindings/{BSID}")
    )
    def test_a_pinned_user_binding_url_gives_its_user(self, doc: Doc) -> None:
        assert (doc["user_sid"], doc["service_sid"], doc["sid"]) == (USR, SVC, BSID)


BAD_PINS: dict[str, tuple[str, dict[str, Any], str]] = {
    "malformed sid": ("binding", {"sid": "BS1"}, "breaks schema.pattern"),
    "unknown binding type": ("binding", {"binding_type": "apns"}, "breaks schema.enum"),
    "empty endpoint": ("binding", {"endpoint": ""}, "breaks schema.minLength"),
    "null identity": ("binding", {"identity": None}, "breaks schema.type"),
    "bad date": ("binding", {"date_created": "2024-03-05 09:14:27Z"}, "breaks schema.format"),
    "dates out of order": (
        "binding",
        {"date_created": "2024-03-05T09:14:27Z", "date_updated": "2024-03-05T09:14:26Z"},
        "breaks binding.dates-ordered",
    ),
    "url of another sid": (
        "binding",
        {"sid": BSID, "url": f"https://chat.twilio.com/v2/Services/{SVC}/Bindings/BS{'1' * 32}"},
        "breaks binding.url-sid",
    ),
    "url of another kind": (
        "user-binding",
        {"url": f"https://chat.twilio.com/v2/Services/{SVC}/Bindings/{BSID}"},
        "breaks binding.url-path",
    ),
    "links of another service": (
        "binding",
        {
            "service_sid": SVC,
            "links": {"user": f"https://chat.twilio.com/v2/Services/IS{'1' * 32}/Users/kim"},
        },
        "breaks binding.links-user-service",
    ),
    "links of another user": (
        "binding",
        {"identity": "kim", "links": {"user": f"https://chat.twilio.com/v2/Services/{SVC}/Users/lee"}},
        "breaks binding.links-user-identity",
    ),
    "page size 0": ("binding-page", {"page_size": 0}, "breaks page.size-min"),
    "page size 51": ("binding-page", {"page_size": 51}, "breaks page.size-max"),
    "negative page": ("binding-page", {"page": -1}, "breaks schema.minimum"),
    "other items key": ("user-binding-page", {"key": "items"}, "breaks page.key"),
    "more_info of another code": (
        "error",
        {"code": 20404, "more_info": "https://www.twilio.com/docs/errors/20003"},
        "breaks error.more-info-code",
    ),
    "status 600": ("error", {"status": 600}, "breaks schema.maximum"),
    "a typo": ("binding", {"sidd": BSID}, "did you mean 'sid'"),
    "a user path of neither kind": (
        "user-binding-page",
        {"user_path": "name"},
        "expected 'sid' or 'identity'",
    ),
    "a user path on a service page": ("binding-page", {"user_path": "sid"}, "binding-page pins one of"),
    "a user on a service page": ("binding-page", {"user_sid": USR}, "binding-page pins one of"),
    "one sid for a whole page": ("binding-page", {"sid": BSID}, "sids of a page are drawn unique"),
    "a user url naming another user": (
        "user-binding",
        {
            "user_sid": USR,
            "url": f"https://chat.twilio.com/v2/Services/{SVC}/Users/US{'1' * 32}/Bindings/{BSID}",
        },
        "breaks binding.url-user",
    ),
    "links with more than user": (
        "binding",
        {"links": {"user": f"https://chat.twilio.com/v2/Services/{SVC}/Users/kim", "channels": "x"}},
        "links as {'user': …} only",
    ),
    "links that are no user url": (
        "binding",
        {"links": {"user": f"https://chat.twilio.com/v2/Services/{SVC}/Members/kim"}},
        "breaks binding.links-user-service",
    ),
    "more_info naming no code": (
        "error",
        {"more_info": "https://www.twilio.com/docs/errors/"},
        "it names no error code",
    ),
    "a non-canonical url": (
        "binding",
        {"url": f"https://chat.twilio.com/v2/Services/{SVC}/Bindings/{BSID}/"},
        "the generators write it as",
    ),
}


class TestUserLinks:
    @given(identity=st.text(min_size=1))
    @example(identity="50%/off?#x")
    @example(identity="..")
    @example(identity="zoë müller")
    @example(identity="maria@example.org")
    def test_a_user_link_is_an_absolute_uri_naming_the_identity(self, identity: str) -> None:
        url = build_url("user", ServiceSid=SVC, Identity=identity)
        assert is_absolute_uri(url)
        m = match_url(url, "user")
        assert m is not None
        assert (m.service, m.user) == (SVC, identity)

    def test_twilio_s_unencoded_characters_stay_as_they_are(self) -> None:
        url = build_url("user", ServiceSid=SVC, Identity="maria@example.org")
        assert url.endswith("/Users/maria@example.org")


class TestBadPins:
    @pytest.mark.parametrize("name", sorted(BAD_PINS))
    def test_a_pin_that_breaks_a_rule_raises_when_the_strategy_is_built(self, name: str) -> None:
        kind, pins, message = BAD_PINS[name]
        with pytest.raises(UsageError, match=re.escape(message)):
            payloads(kind, **pins)

    def test_an_unknown_kind_names_the_close_match(self) -> None:
        with pytest.raises(UsageError, match="did you mean 'binding-page'"):
            payloads("binding-pages")

    def test_a_walk_numbers_its_own_pages(self) -> None:
        with pytest.raises(UsageError, match="walk starts at page 0"):
            page_walks(page=3)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"kind": "binding"}, "a listing is made of"),
            ({"total": -1}, "0 or more"),
            ({"page_size": 0}, "page.size-min"),
        ],
    )
    def test_a_walk_refuses_what_no_listing_can_be(self, kwargs: dict[str, Any], message: str) -> None:
        with pytest.raises(UsageError, match=re.escape(message)):
            page_walks(**kwargs)


def assert_consistent_walk(pages: list[Doc], total: int | None = None) -> None:
    """The sequence rules: each page's meta.url is the next_page_url that led to it, page numbers
    go up by one from 0, no sid appears twice, and the last page has no next page."""
    seen: set[str] = set()
    for number, page in enumerate(pages):
        meta = page["meta"]
        report = check(page)
        assert report.ok, report.render_text()
        assert meta["page"] == number
        if number:
            assert meta["url"] == pages[number - 1]["meta"]["next_page_url"]
        sids = [i["sid"] for i in page["bindings"]]
        assert seen.isdisjoint(sids)
        seen.update(sids)
    assert pages[-1]["meta"]["next_page_url"] is None
    assert all(p["meta"]["next_page_url"] for p in pages[:-1])
    if total is not None:
        assert len(seen) == total


class TestPageWalks:
    @given(page_walks())
    def test_every_walk_is_a_consistent_listing(self, pages: list[Doc]) -> None:
        assert_consistent_walk(pages)

    @given(page_walks("user-binding-page", user_sid=USR, user_path="sid"))
    def test_a_user_listing_is_consistent_and_names_its_user(self, pages: list[Doc]) -> None:
        assert_consistent_walk(pages)
        assert all(USR in p["meta"]["url"] for p in pages)

    @given(page_walks("user-binding-page", identity="kim lee/paris", user_path="identity"))
    def test_a_user_listing_by_identity_names_the_identity_percent_encoded(self, pages: list[Doc]) -> None:
        assert_consistent_walk(pages)
        for p in pages:
            urls = [u for k, u in p["meta"].items() if k.endswith("url") and u is not None]
            assert all("/Users/kim%20lee%2Fparis/Bindings?" in u for u in urls)
            assert check(p).findings == check(p, "user-binding-page").findings
            assert {v.rule for v in check(p).findings} <= {"binding.identity-reserved"}

    @settings(max_examples=5)
    @given(page_walks(total=120, page_size=50))
    def test_120_bindings_at_50_a_page_make_three_pages(self, pages: list[Doc]) -> None:
        assert [len(p["bindings"]) for p in pages] == [50, 50, 20]
        assert_consistent_walk(pages, total=120)

    @given(page_walks(total=0, page_size=10))
    def test_an_empty_listing_is_one_empty_page(self, pages: list[Doc]) -> None:
        assert [len(p["bindings"]) for p in pages] == [0]
        assert_consistent_walk(pages)


def minimal(strategy: st.SearchStrategy[Any]) -> Any:
    return find(strategy, lambda _: True, settings=settings(database=None, derandomize=True))


class TestShrinking:
    def test_a_binding_shrinks_to_a_short_identity_and_zero_sids(self) -> None:
        doc = minimal(payloads("binding"))
        assert len(doc["identity"]) == 1
        assert doc["sid"] == "BS" + "0" * 32
        assert doc["message_types"] == []
        assert doc["date_created"] == doc["date_updated"] == "2016-01-01T00:00:00Z"

    def test_a_page_shrinks_to_page_0_with_one_item(self) -> None:
        doc = minimal(payloads("binding-page"))
        assert (doc["meta"]["page"], doc["meta"]["page_size"], len(doc["bindings"])) == (0, 1, 1)


@pytest.fixture
def schemas_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Swap in edited schema files (as if schemas/ had changed) for one test."""
    original = schemas.raw_schemas()

    def edit(change: Any, file: str = "defs.schema.json") -> None:
        edited = copy.deepcopy(original)
        change(edited[file]["$defs"] if file == "defs.schema.json" else edited[file])
        monkeypatch.setattr(schemas, "raw_schemas", lambda: edited)
        facts.clear()

    yield edit
    monkeypatch.undo()
    facts.clear()


class TestDrivenBySchemas:
    def test_an_enum_changed_in_the_schema_changes_what_is_generated(self, schemas_with: Any) -> None:
        def narrow(defs: dict[str, Any]) -> None:
            defs["binding_type"]["enum"] = ["fcm"]
            defs["known_message_type"]["enum"] = ["new_message"]

        schemas_with(narrow)

        @given(payloads("binding"))
        def only_fcm(doc: Doc) -> None:
            assert doc["binding_type"] == "fcm"
            assert set(doc["message_types"]) <= {"new_message"}

        only_fcm()

    def test_a_binding_type_the_schema_adds_gets_an_opaque_token(self, schemas_with: Any) -> None:
        schemas_with(lambda defs: defs["binding_type"].update(enum=["voip"]))
        doc = minimal(payloads("binding"))
        assert doc["binding_type"] == "voip"
        assert re.fullmatch(r"[A-Za-z0-9_-]{64}", doc["endpoint"])

    def test_a_member_the_schema_adds_is_named_as_one_the_generators_do_not_build(
        self, schemas_with: Any
    ) -> None:
        schemas_with(
            lambda doc: doc["properties"].update(friendly_name={"type": "string"}), "binding.schema.json"
        )
        with pytest.raises(ValueError, match="friendly_name for binding"):
            minimal(payloads("binding"))

    def test_a_sid_pattern_changed_in_the_schema_changes_the_sids(self, schemas_with: Any) -> None:
        schemas_with(lambda defs: defs["binding_sid"].update(pattern="^BS[0-9a-fA-F]{16}$"))
        doc = minimal(payloads("binding"))
        assert len(doc["sid"]) == 18
        assert urlsplit(doc["url"]).path.endswith(doc["sid"])

    def test_a_sid_pattern_the_generators_cannot_read_is_named(self, schemas_with: Any) -> None:
        schemas_with(lambda defs: defs["binding_sid"].update(pattern="^BS.+$"))
        with pytest.raises(ValueError, match="binding_sid"):
            minimal(payloads("binding"))
