"""A ``break:RULE`` fault breaks exactly what it names: on every operation and with every filter, the
answer is the one the fake's store gives without the fault, with that rule broken and nothing else
(judged with the request known, as a cassette or a checking client judges it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client, TestResponse

from binding_contracts import RULES, check
from binding_contracts.errors import UsageError
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.fake.app import NOT_APPLIED
from binding_contracts.generation.mutations import DETECTION_RULES, in_profile, targetable_rules
from binding_contracts.spec.kinds import CHAT, CONVERSATIONS, KIND_TABLE
from binding_contracts.spec.routes import OPERATIONS, route
from binding_contracts.spec.schemas import defs
from binding_contracts.spec.urls import url_of
from binding_contracts.traffic.interactions import Interaction, Session, check_interaction

ORIGIN = "http://127.0.0.1:8000"
IDENTITIES = ("kim", "maria", "kim lee")
SERVICE = "IS" + "1" * 32


class Fake(FakeBindingAPI):
    """A fake not listening (its WSGI app is called in-process), put back as filled by :meth:`fresh`."""

    def fresh(self) -> None:
        self.store.restore(self.filled)
        self.clear_faults()


@pytest.fixture(scope="module", params=["strict", "published"])
def api(request: pytest.FixtureRequest) -> Fake:
    """One service, bindings of every identity and of each API's types, made through both APIs;
    bodies as the profile draws them."""
    fake = Fake(seed=22, auth=False, profile=request.param)
    fake.add_service(SERVICE)
    for i in range(9):
        kind = "binding" if i % 3 else "conversations-binding"
        types = defs()[KIND_TABLE[kind].api.binding_types]["enum"]
        fake.add_binding(SERVICE, IDENTITIES[i % 3], types[i % len(types)], kind=kind)
    fake.filled = fake.store.snapshot()
    assert get(fake, "GET", f"{ORIGIN}/v2/Services/{SERVICE}/Bindings").status == 200
    return fake


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    body: bytes
    not_applied: str | None
    profile: str

    def findings(self, kind: str | None, rule: str) -> set[tuple[str, str]]:
        # a rule the fake's profile does not judge (published judges the schema alone) is broken as
        # strict judges it
        profile = self.profile if kind is None or in_profile(kind, rule, self.profile) else "strict"
        if rule in DETECTION_RULES:  # judged when the kind is unknown: the request would tell it
            report = check(self.body, "auto", profile)
        else:
            exchange = Interaction("GET", self.url, self.status, self.body)
            report = check_interaction(exchange, profile=profile, session=Session())
            assert report is not None
        return {(v.rule, v.path) for v in report.findings}


def get(api: Fake, method: str, url: str) -> Answer:
    path, _, query = url.removeprefix(ORIGIN).partition("?")
    response: TestResponse = Client(api.app).open(path, ORIGIN, method=method, query_string=query)
    got = response.get_data(), response.headers.get(NOT_APPLIED)
    return Answer(url, response.status_code, *got, api.app.lax.profile)


@st.composite
def requests(draw: st.DrawFn, api: Fake) -> tuple[str, str]:
    """A method and URL of every operation (a delete too), with filters and paging on reads."""
    operation = draw(st.sampled_from(sorted(OPERATIONS)))
    template, method, _ = OPERATIONS[operation]
    records = sorted(api.store.services[SERVICE].values(), key=lambda r: r.seq)
    record = draw(st.sampled_from(records))
    user = draw(st.sampled_from([record.identity, record.user_sid])) if "user" in template else None
    sid = record.sid if "list" not in template else None
    url = url_of(template, ORIGIN, service=SERVICE, sid=sid, user=user)
    if "list" not in template:
        return method, url
    api_of = CONVERSATIONS if "conversations" in template else CHAT
    types = defs()[api_of.binding_types]["enum"]
    query: list[tuple[str, str]] = [("BindingType", t) for t in draw(st.lists(st.sampled_from(types)))]
    if "user" not in template:
        query += [("Identity", i) for i in draw(st.lists(st.sampled_from(IDENTITIES), max_size=2))]
    query += [("PageSize", str(draw(st.integers(1, 4))))]
    return method, f"{url}?{urlencode(query)}"


def walked(api: Fake, url: str, steps: int) -> str:
    """The URL of the page ``steps`` pages on from ``url`` (its next_page_url), as far as there are pages."""
    for _ in range(steps):
        answer = get(api, "GET", url)
        following = answer.status == 200 and json.loads(answer.body)["meta"]["next_page_url"]
        if not following:
            break
        url = following
    return url


def rules_of(kind: str | None) -> list[str]:
    """Every rule id, those the kind can break first (where Hypothesis starts)."""
    return sorted(RULES) if kind is None else [*targetable_rules(kind), *sorted(RULES)]


@settings(max_examples=settings.default.max_examples * 3)
@given(data=st.data())
def test_a_break_fault_adds_its_rule_and_nothing_else(api: Fake, data: st.DataObject) -> None:
    method, url = data.draw(requests(api))
    if method == "GET" and "?" in url:
        url = walked(api, url, data.draw(st.integers(0, 3)))
    r = route(method, url)
    assert r is not None
    rule = data.draw(st.sampled_from(rules_of(r.kind)))
    on = data.draw(st.sampled_from(["", f"{r.operation}="]))  # every operation, or this one
    api.fresh()
    before = get(api, method, url)
    api.fresh()
    api.inject(f"{on}break:{rule}")
    after = get(api, method, url)
    api.fresh()
    assert after.status == before.status
    event(f"status {before.status}" + (f", {'not ' if after.not_applied else ''}applied" if r.kind else ""))
    if before.status != 200 or r.kind is None:  # nothing answered to break: as it was
        assert (after.body, after.not_applied) == (before.body, None)
        return
    if after.not_applied is not None:  # nothing of the sort to break, alone, here: served as it is
        assert after.body == before.body
        assert after.not_applied.startswith(f"break:{rule} not applied: ")
        return
    new = after.findings(r.kind, rule) - before.findings(r.kind, rule)
    assert {found for found, _ in new} == {rule}, (url, rule, new)


def candidates(api: Fake, operation: str) -> list[str]:
    """Requests of a GET ``operation`` naming the user by identity and by sid, on page 0 and on the next."""
    template = OPERATIONS[operation][0]
    kim = next(
        r for r in api.store.services[SERVICE].values() if r.identity == "kim" and r.binding_type == "apn"
    )
    urls = [
        url_of(template, ORIGIN, service=SERVICE, sid=None if "list" in template else kim.sid, user=user)
        for user in ((kim.identity, kim.user_sid) if "user" in template else (None,))
    ]
    pages = [f"{url}?PageSize={size}" for url in urls if "list" in template for size in (1, 2)]
    return [url for url in urls if "list" not in template] + pages + [walked(api, url, 1) for url in pages]


@pytest.mark.parametrize(
    "operation", sorted(op for op, (_, method, _) in OPERATIONS.items() if method == "GET")
)
def test_every_rule_a_kind_can_break_is_broken_in_some_answer_of_the_store(api: Fake, operation: str) -> None:
    """The property above holds for faults served unapplied too: this is where each applies."""
    kind = OPERATIONS[operation][2]
    assert kind is not None
    urls = candidates(api, operation)
    unbroken = {}
    for rule in targetable_rules(kind):
        answers = []
        for url in urls:
            api.inject(f"{operation}=break:{rule}")
            answers.append(get(api, "GET", url))
            api.fresh()
        if all(a.not_applied for a in answers):
            unbroken[rule] = [a.not_applied for a in answers]
    # With the request known, these three cannot break alone: a page of the store never holds more
    # items than its page size, and meta.page_size is what request.page-size holds it to.
    assert unbroken.keys() <= {"page.items-max", "page.size-min", "page.size-max"}, unbroken


def test_a_broken_filtered_listing_lists_the_bindings_the_store_holds(api: Fake) -> None:
    url = f"{ORIGIN}/v2/Services/{SERVICE}/Bindings?BindingType=apn&Identity=kim"
    before = get(api, "GET", url)
    api.inject("read-bindings=break:binding.url-sid")
    after = get(api, "GET", url)
    api.fresh()
    sids = [[b["sid"] for b in json.loads(a.body)["bindings"]] for a in (before, after)]
    assert sids[0] == sids[1] != []
    assert {rule for rule, _ in after.findings("binding-page", "binding.url-sid")} == {"binding.url-sid"}


def test_a_rule_that_is_no_rule_id_is_refused_when_injected(api: Fake) -> None:
    with pytest.raises(UsageError, match=r"Got rule 'page\.kye' .* \(did you mean 'page\.key'\?\)"):
        api.inject("read-bindings=break:page.kye")
