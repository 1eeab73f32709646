"""Every URL the generators and the fake write is the one writer's (spec/urls.py) and reads back
through the router (spec/routes.py) to the members it was written from."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from werkzeug.test import Client

from binding_contracts.fake import FakeBindingAPI
from binding_contracts.fake.bodies import PageRequest, page_parts, render
from binding_contracts.fake.state import BindingRecord
from binding_contracts.generation.builders import BindingParts, PageParts, item, meta, page
from binding_contracts.spec.kinds import (
    ITEM_KINDS,
    KIND_TABLE,
    LINKED_KINDS,
    PAGE_KINDS,
    URL_TEMPLATE_OF_KIND,
)
from binding_contracts.spec.routes import PathMatch, match_url, route
from binding_contracts.spec.urls import CHAT_ORIGIN, build_url, page_query, url_of
from conftest import fewer_examples

# Any text a segment can hold: reserved characters, "%", dot-segments, non-ASCII; not a lone
# surrogate (no UTF-8 spelling) and not empty (no segment at all).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12)
SEGMENT = st.one_of(TEXT, st.sampled_from([".", "..", "%", "%41", "a/b", "kim@example.org", "ünï ?#"]))
ORIGINS = st.sampled_from([CHAT_ORIGIN, "https://conversations.twilio.com", "http://127.0.0.1:8080"])
FILTERS = st.lists(st.tuples(st.sampled_from(["BindingType", "Identity"]), TEXT), max_size=3)
META_URLS = ("first_page_url", "previous_page_url", "url", "next_page_url")


def members(m: PathMatch | None) -> tuple[str | None, ...] | None:
    return (m.template, m.service, m.user, m.sid) if m is not None else None


def parts(service: str, sid: str, user: str, identity: str, origin: str) -> BindingParts:
    return BindingParts(
        sid=sid,
        account_sid="AC" + "0" * 32,
        service_sid=service,
        credential_sid="CR" + "0" * 32,
        date_created="2024-01-01T00:00:00Z",
        date_updated="2024-01-01T00:00:00Z",
        endpoint="endpoint",
        identity=identity,
        binding_type="apn",
        message_types=(),
        user_sid=user,
        origin=origin,
    )


def assert_item_urls(body: dict[str, Any], kind: str, origin: str, p: BindingParts) -> None:
    """``url`` is the writer's and routes to a fetch of the binding; ``links.user`` names the identity."""
    template = URL_TEMPLATE_OF_KIND[kind]
    user = p.user_sid if KIND_TABLE[kind].user else None
    assert body["url"] == url_of(template, origin, service=p.service_sid, sid=p.sid, user=user)
    r = route("GET", body["url"])
    assert r is not None
    assert r.kind == kind
    assert members(r.match) == (template, p.service_sid, user, p.sid)
    if kind in LINKED_KINDS:
        link = body["links"]["user"]
        assert link == build_url("user", origin, ServiceSid=p.service_sid, Identity=p.identity)
        assert members(match_url(link)) == ("user", p.service_sid, p.identity, None)


def assert_meta_urls(
    doc: dict[str, Any],
    kind: str,
    origin: str,
    listed: tuple[str, str | None],
    tokens: dict[str, str | None],
    filters: list[tuple[str, str]],
) -> None:
    """Each meta url is the writer's listing url with the page's query, routes to the read of the
    listing, and reads back its Page, PageSize and PageToken."""
    m, (service, user) = doc["meta"], listed
    template = URL_TEMPLATE_OF_KIND[kind]
    pages = {
        "first_page_url": 0,
        "previous_page_url": m["page"] - 1,
        "url": m["page"],
        "next_page_url": m["page"] + 1,
    }
    for name in META_URLS:
        url = m[name]
        if url is None:
            continue
        r = route("GET", url)
        assert r is not None
        assert r.kind == kind
        assert members(r.match) == (template, service, user, None)
        query = r.match.query
        assert query["Page"] == [str(pages[name])]
        assert query["PageSize"] == [str(m["page_size"])]
        assert query.get("PageToken", [None])[-1] == tokens.get(name)
        for name_, value in filters:
            assert value in query[name_]
        written = page_query(m["page_size"], pages[name], tokens.get(name), filters)
        assert url == url_of(template, origin, service=service, user=user, query=written)


class TestTheGeneratorsWriteWithTheWriter:
    @given(st.sampled_from(ITEM_KINDS), SEGMENT, SEGMENT, SEGMENT, SEGMENT, ORIGINS)
    @example("user-binding", "IS1", "..", "a/b", "kim@example.org", CHAT_ORIGIN)
    def test_an_items_url_and_links_user_read_back_to_its_parts(
        self, kind: str, service: str, sid: str, user: str, identity: str, origin: str
    ) -> None:
        p = parts(service, sid, user, identity, origin)
        assert_item_urls(item(kind, p), kind, origin, p)

    @given(
        st.sampled_from(PAGE_KINDS),
        SEGMENT,
        SEGMENT,
        st.booleans(),
        st.integers(0, 5),
        st.integers(1, 50),
        st.none() | TEXT,
        FILTERS,
        ORIGINS,
    )
    def test_a_pages_meta_urls_read_back_to_its_listing_and_page(
        self,
        kind: str,
        service: str,
        user: str,
        by_identity: bool,
        number: int,
        size: int,
        token: str | None,
        filters: list[tuple[str, str]],
        origin: str,
    ) -> None:
        named = user if KIND_TABLE[kind].user else None
        p = PageParts(
            kind,
            number,
            size,
            service,
            (parts(service, "BS1", user, user, origin),),
            user_sid=named,
            token=token if number else None,
            has_next=True,
            origin=origin,
            identity=named if by_identity else None,
            filters=tuple(filters),
        )
        expected = {"previous_page_url": "PBBS1", "url": p.token, "next_page_url": "PABS1"}
        assert_meta_urls({"meta": meta(p)}, kind, origin, (service, named), expected, filters)


def record(service: str, identity: str, seq: int = 1) -> BindingRecord:
    return BindingRecord(
        seq=seq,
        sid=f"BS{seq:032x}",
        account_sid="AC" + "0" * 32,
        service_sid=service,
        user_sid="US" + "0" * 32,
        identity=identity,
        endpoint="endpoint",
        credential_sid="CR" + "0" * 32,
        binding_type="apn",
        message_types=("new_message",),
        date_created="2024-01-01T00:00:00Z",
        date_updated="2024-01-01T00:00:00Z",
    )


class TestTheFakeWritesWithTheWriter:
    @given(st.sampled_from(ITEM_KINDS), SEGMENT, SEGMENT, ORIGINS)
    def test_a_rendered_bindings_urls_read_back_to_the_record(
        self, kind: str, service: str, identity: str, origin: str
    ) -> None:
        r = record(service, identity)
        p = parts(service, r.sid, r.user_sid, identity, origin)
        assert_item_urls(render(origin, r, kind), kind, origin, p)

    @given(SEGMENT, SEGMENT, st.integers(0, 3), st.none() | TEXT, FILTERS, ORIGINS)
    def test_a_pages_meta_urls_read_back_to_the_request(
        self,
        service: str,
        identity: str,
        number: int,
        token: str | None,
        filters: list[tuple[str, str]],
        origin: str,
    ) -> None:
        listed = match_url(build_url("user-binding-list", origin, ServiceSid=service, UserSid=identity))
        assert listed is not None
        req = PageRequest(tuple(filters), 2, number, token)
        parts = page_parts(
            origin, listed, req, [record(service, identity, 4)], True, "user-binding", identity
        )
        doc = page(parts)
        expected = {"previous_page_url": "PB4", "url": token, "next_page_url": "PT4"}
        assert_meta_urls(doc, "user-binding-page", origin, (service, identity), expected, filters)

    @fewer_examples(3)
    @given(SEGMENT)
    @example("kim/paris")
    @example("..")
    def test_a_user_named_by_any_identity_is_listed_under_the_writers_url(self, identity: str) -> None:
        api = FakeBindingAPI(seed=1, auth=False, public_url=CHAT_ORIGIN)
        service = api.add_service()
        added = api.add_binding(service, identity, kind="user-binding")
        p = parts(service, added["sid"], added["user_sid"], identity, CHAT_ORIGIN)
        assert_item_urls(added, "user-binding", CHAT_ORIGIN, p)
        path = build_url("user-binding-list", "", ServiceSid=service, UserSid=identity)
        response = Client(api.app).get(path)
        assert response.status_code == 200, response.get_data(as_text=True)
        doc = response.get_json()
        assert_meta_urls(doc, "user-binding-page", CHAT_ORIGIN, (service, identity), {}, [])
        assert [b["sid"] for b in doc["bindings"]] == [added["sid"]]
