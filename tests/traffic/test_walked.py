"""A pending listing walk keeps of each page only what the walk's rules read (``walked``): the
reports of a walk are those of a session that keeps every page whole, however the walk is broken
(pages repeated, dropped or swapped, sids listed twice, meta edited)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binding_contracts.strategies import page_walks
from binding_contracts.traffic import interactions
from binding_contracts.traffic.interactions import Interaction, Session, check_interaction


def _reports(urls: list[str], pages: list[dict[str, Any]]) -> list[Any]:
    """Each page's report, read at the walk's URLs in order (the walk as the client followed it)."""
    session = Session()
    out = []
    for n, page in enumerate(pages):
        body = json.dumps(page).encode()
        report = check_interaction(Interaction("GET", urls[n % len(urls)], 200, body), session=session)
        out.append(report.to_dict() if report is not None else None)
    return out


def _broken(pages: list[dict[str, Any]], data: st.DataObject) -> list[dict[str, Any]]:
    pages = [json.loads(json.dumps(p)) for p in pages]
    for _ in range(data.draw(st.integers(0, 3))):
        n = data.draw(st.integers(0, len(pages) - 1))
        move = data.draw(st.sampled_from(["repeat", "drop", "swap", "sid", "meta", "item"]))
        page = pages[n]
        if move == "repeat":
            pages.insert(n, json.loads(json.dumps(page)))
        elif move == "drop" and len(pages) > 1:
            pages.pop(n)
        elif move == "swap":
            m = data.draw(st.integers(0, len(pages) - 1))
            pages[n], pages[m] = pages[m], pages[n]
        elif move == "sid" and page.get("bindings") and pages[0].get("bindings"):
            last, first = page["bindings"][-1], pages[0]["bindings"][0]
            if isinstance(last, dict) and isinstance(first, dict) and "sid" in first:
                last["sid"] = first["sid"]
        elif move == "meta" and isinstance(page.get("meta"), dict):
            page["meta"][data.draw(st.sampled_from(["page", "url", "next_page_url"]))] = data.draw(
                st.none() | st.integers(-1, 5) | st.text(max_size=3)
            )
        elif move == "item" and page.get("bindings"):
            page["bindings"][0] = data.draw(st.sampled_from([None, 1, "x", {}, {"sid": 5}, []]))
    return pages


@settings(max_examples=150, deadline=None)
@given(page_walks(total=12, page_size=4) | page_walks(total=3, page_size=2), st.data())
def test_a_walk_is_judged_alike_whether_its_pages_are_kept_whole(
    pages: list[dict[str, Any]], data: st.DataObject
) -> None:
    urls = [page["meta"]["url"] for page in pages]
    pages = _broken(pages, data)
    kept = _reports(urls, pages)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(interactions, "walked", lambda page: page)
        assert kept == _reports(urls, pages)
