"""Request-aware, sequence and interaction rules: a response judged with its request known."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from binding_contracts import Request, check
from binding_contracts.interactions import Interaction, Session, check_interaction

Doc = dict[str, Any]
OTHER_IS = "IS" + "fedcba9876543210" * 2
OTHER_US = "US" + "fedcba9876543210" * 2
OTHER_BS = "BS" + "fedcba9876543210" * 2


def with_sid(binding: Doc, sid: str) -> Doc:
    other = copy.deepcopy(binding)
    other["url"] = other["url"].replace(other["sid"], sid)
    other["sid"] = sid
    return other


def second_page(page: Doc) -> Doc:
    """Page 1 of the same listing, reached through page 0's next_page_url."""
    nxt = copy.deepcopy(page)
    meta = nxt["meta"]
    meta.update(page=1, url=page["meta"]["next_page_url"], next_page_url=None)
    meta["previous_page_url"] = meta["first_page_url"]
    nxt["bindings"] = [with_sid(page["bindings"][0], "BS" + f"{i:032x}") for i in (7, 8)]
    return nxt


@dataclass
class RequestCase:
    base: str
    url: Callable[[Doc], str]
    expected: list[str]
    mutate: Callable[[Doc], Any] = lambda d: None


def list_url(page: Doc) -> str:
    return page["meta"]["url"].split("?")[0]


REQUEST_CASES: dict[str, RequestCase] = {
    "request.sid": RequestCase("binding", lambda d: d["url"].replace(d["sid"], OTHER_BS), ["/sid"]),
    "request.service": RequestCase(
        "binding", lambda d: d["url"].replace(d["service_sid"], OTHER_IS), ["/service_sid"]
    ),
    "request.user": RequestCase(
        "user_binding", lambda d: d["url"].replace(d["user_sid"], OTHER_US), ["/user_sid"]
    ),
    "request.filter-binding-type": RequestCase(
        "page",
        lambda d: list_url(d) + "?BindingType=gcm&BindingType=fcm",
        ["/bindings/0/binding_type", "/bindings/1/binding_type"],
    ),
    "request.filter-identity": RequestCase(
        "page", lambda d: list_url(d) + "?Identity=bob", ["/bindings/0/identity", "/bindings/1/identity"]
    ),
    "request.page-size": RequestCase("page", lambda d: list_url(d) + "?PageSize=10", ["/meta/page_size"]),
}


@pytest.mark.parametrize("rule_id", sorted(REQUEST_CASES))
class TestRequestAwareRules:
    def test_the_request_that_matches_passes(self, rule_id: str, request: pytest.FixtureRequest) -> None:
        doc = request.getfixturevalue(REQUEST_CASES[rule_id].base)
        url = doc["url"] if "url" in doc else doc["meta"]["url"]
        assert check(doc, request=Request("GET", url)).violations == []

    def test_a_request_the_body_does_not_answer_is_reported(
        self, rule_id: str, request: pytest.FixtureRequest
    ) -> None:
        case = REQUEST_CASES[rule_id]
        doc = request.getfixturevalue(case.base)
        report = check(doc, request=Request("GET", case.url(doc)))
        assert [(v.rule, v.path) for v in report.violations] == [(rule_id, p) for p in case.expected]


class TestRequestAwareDetails:
    def test_filters_are_or_within_and_and_across(self, page: Doc) -> None:
        url = list_url(page) + "?BindingType=gcm&BindingType=apn&Identity=kim.lee&Identity=bob"
        assert check(page, request=Request("GET", url)).ok

    def test_a_user_named_by_identity_in_the_path_is_compared_with_identity(self, user_binding: Doc) -> None:
        url = user_binding["url"].replace(user_binding["user_sid"], "kim.lee")
        assert check(user_binding, request=Request("GET", url)).ok
        bad = user_binding["url"].replace(user_binding["user_sid"], "bob")
        assert check(user_binding, request=Request("GET", bad)).rules() == {"request.user"}

    @pytest.mark.parametrize(("asked", "ok"), [(50, True), (51, True), (1000, True), (49, False)])
    def test_a_page_size_above_the_maximum_may_be_answered_with_the_maximum(
        self, user_page: Doc, asked: int, ok: bool
    ) -> None:
        assert user_page["meta"]["page_size"] == 50  # Chat's PageSize maximum
        report = check(user_page, request=Request("GET", list_url(user_page) + f"?PageSize={asked}"))
        assert report.ok is ok

    def test_a_page_smaller_than_the_maximum_does_not_answer_a_larger_page_size(self, user_page: Doc) -> None:
        user_page["meta"]["page_size"] = 40
        for key in ("url", "first_page_url"):
            user_page["meta"][key] = user_page["meta"][key].replace("PageSize=50", "PageSize=40")
        [violation] = check(
            user_page, request=Request("GET", list_url(user_page) + "?PageSize=1000")
        ).violations
        assert violation.message == "the request asked PageSize=1000 (at most 50) but page_size is 40"

    def test_a_user_page_requested_by_service_of_another_is_reported(self, user_page: Doc) -> None:
        url = user_page["meta"]["url"].replace(user_page["bindings"][0]["service_sid"], OTHER_IS)
        report = check(user_page, request=Request("GET", url))
        assert [(v.rule, v.path) for v in report.violations] == [("request.service", "/meta/url")]


class TestSequenceRules:
    def test_a_consistent_second_page_passes(self, page: Doc) -> None:
        assert check(second_page(page), previous=page).findings == []

    def test_a_page_not_reached_by_next_page_url_is_reported(self, page: Doc) -> None:
        nxt = second_page(page)
        nxt["meta"]["url"] = nxt["meta"]["url"].replace("PageToken=", "PageToken=x")
        report = check(nxt, previous=page)
        assert [(v.rule, v.path) for v in report.violations] == [("sequence.meta-url", "/meta/url")]

    def test_a_page_number_that_does_not_go_up_by_one_is_reported(self, page: Doc) -> None:
        earlier = copy.deepcopy(page)
        earlier["meta"]["page"] = 3
        report = check(second_page(page), previous=earlier)
        assert [(v.rule, v.path) for v in report.violations] == [("sequence.page-number", "/meta/page")]

    def test_a_sid_listed_on_an_earlier_page_is_reported(self, page: Doc) -> None:
        nxt = second_page(page)
        nxt["bindings"][1] = copy.deepcopy(page["bindings"][0])
        report = check(nxt, walk=[page])
        assert [(v.rule, v.path) for v in report.violations] == [("sequence.unique-sids", "/bindings/1/sid")]


def exchange(method: str, doc: Any, status: int = 200, url: str | None = None) -> Interaction:
    body = doc if isinstance(doc, (str, bytes)) or doc is None else json.dumps(doc)
    return Interaction(method, url or doc["url"], status, body)


class TestCheckInteraction:
    def test_an_interaction_that_is_no_binding_operation_is_ignored(self) -> None:
        assert (
            check_interaction(Interaction("GET", "https://api.twilio.com/2010-04-01/Accounts", 200)) is None
        )

    def test_a_fetch_is_checked_with_its_request(self, binding: Doc) -> None:
        url = binding["url"].replace(binding["sid"], OTHER_BS)
        report = check_interaction(exchange("GET", binding, url=url))
        assert report is not None
        assert report.rules() == {"request.sid"}

    def test_an_error_answer_is_checked_as_an_envelope_with_its_status(
        self, binding: Doc, error_body: Doc
    ) -> None:
        report = check_interaction(exchange("GET", json.dumps(error_body), 500, binding["url"]))
        assert report is not None
        assert (report.kind, report.rules()) == ("error", {"error.status-match"})

    def test_a_success_status_other_than_documented_is_reported(self, binding: Doc) -> None:
        report = check_interaction(exchange("GET", binding, 201))
        assert report is not None
        assert report.rules() == {"response.status"}

    def test_a_body_that_is_not_json_is_reported(self, binding: Doc) -> None:
        report = check_interaction(exchange("GET", "<html>", 200, binding["url"]))
        assert report is not None
        assert report.rules() == {"response.json"}

    @pytest.mark.parametrize("body", [None, "", b"", "null", " null\n"])
    def test_every_empty_delete_body_passes(self, binding: Doc, body: Any) -> None:
        report = check_interaction(exchange("DELETE", body, 204, binding["url"]))
        assert report is not None
        assert report.ok

    def test_a_delete_with_a_body_is_reported(self, binding: Doc) -> None:
        report = check_interaction(exchange("DELETE", binding, 204))
        assert report is not None
        assert report.rules() == {"delete.empty-body"}

    def test_a_delete_answered_200_is_reported(self, binding: Doc) -> None:
        report = check_interaction(exchange("DELETE", None, 200, binding["url"]))
        assert report is not None
        assert report.rules() == {"response.status"}

    def test_a_fetch_after_delete_must_answer_404(self, binding: Doc, error_body: Doc) -> None:
        session = Session()
        check_interaction(exchange("DELETE", None, 204, binding["url"]), session=session)
        gone = check_interaction(
            exchange("GET", json.dumps(error_body), 404, binding["url"]), session=session
        )
        back = check_interaction(exchange("GET", binding), session=session)
        assert gone is not None
        assert gone.ok
        assert back is not None
        assert back.rules() == {"sequence.deleted-fetched"}

    def test_a_session_follows_a_walk_by_next_page_url(self, page: Doc) -> None:
        session = Session()
        nxt = second_page(page)
        nxt["bindings"][0] = copy.deepcopy(page["bindings"][1])
        first = check_interaction(exchange("GET", page, url=page["meta"]["url"]), session=session)
        second = check_interaction(exchange("GET", nxt, url=page["meta"]["next_page_url"]), session=session)
        assert first is not None
        assert first.ok
        assert second is not None
        assert second.rules() == {"sequence.unique-sids"}
        assert session.counts == {"read-bindings": 2}

    def test_an_unfinished_walk_is_no_violation(self, page: Doc) -> None:
        session = Session()
        report = check_interaction(exchange("GET", page, url=page["meta"]["url"]), session=session)
        assert report is not None
        assert report.ok
        assert len(session.walks) == 1

    def test_a_method_the_api_does_not_offer_must_be_refused(self, binding: Doc) -> None:
        report = check_interaction(exchange("POST", binding, 200))
        assert report is not None
        assert "response.status" in report.rules()
