"""A fake seeded from recordings: what the bundled cassettes show, served to calls they never made
through the twilio SDK; the last-seen state whatever the cassettes' order; broken bindings left out;
hostile cassettes refused as ``check`` refuses them."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.base.exceptions import TwilioRestException

from binding_contracts import check
from binding_contracts.cli import build_parser, run
from binding_contracts.cli.serve import serve
from binding_contracts.errors import InputError, UsageError
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.fake.recorded import derived_user_sid
from binding_contracts.spec.routes import route
from conftest import ROOT

pytestmark = pytest.mark.slow

CASSETTES = ROOT / "cassettes"
FILES = sorted(p.name for p in CASSETTES.glob("*.yaml"))
CHAT = "IS6a20269e11f256f07de01290de56dece"
CONVERSATIONS = "ISee2b1e1f419c1508ea4589b76fd7f724"
FAULT = "BSfd39ea9ebff1e1569546bd83933118f3"
"""The binding whose fetch was recorded with ``break:binding.url-sid`` injected."""
FAULT_CASSETTE = "injected-fault.yaml"
SERVICE_MEMBERS = ("service_sid", "chat_service_sid")
STATE = ("account_sid", "identity", "endpoint", "credential_sid", "binding_type", "date_created")
STATE_MEMBERS = (*STATE, "date_updated")


def recorded(names: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """The last-seen state per (service, sid) that the cassettes ``names`` show, read plainly: every
    binding body of a 200 answer, the latest ``date_updated`` winning (ties: seen later), any 204
    delete removing it, the injected fault's binding left out."""
    seen: dict[tuple[str, str], tuple[str, int, dict[str, Any]]] = {}
    deleted, order = set(), 0
    for name in names:
        doc = yaml.safe_load((CASSETTES / name).read_text("utf-8"))
        for it in doc["interactions"]:
            method, url = it["request"]["method"], it["request"]["uri"]
            status, r = it["response"]["status"]["code"], route(method, url)
            if r is None:
                continue
            if status == 204:
                deleted.add((r.match.service, r.match.sid))
            if status != 200:
                continue
            body = json.loads(it["response"]["body"]["string"])
            for item in body.get("bindings", [body]):
                order += 1
                service = next(item[m] for m in SERVICE_MEMBERS if m in item)
                key = (service, item["sid"])
                if key not in seen or (item["date_updated"], order) > seen[key][:2]:
                    seen[key] = (item["date_updated"], order, item)
    faulty = {(CHAT, FAULT)} if FAULT_CASSETTE in names else set()
    return {key: item for key, (_, _, item) in seen.items() if key not in deleted | faulty}


EVERYTHING = recorded(FILES)


def state_of(item: dict[str, Any]) -> dict[str, Any]:
    return {m: item[m] for m in STATE_MEMBERS}


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI.from_cassettes(CASSETTES, seed=3) as running:
        yield running


class TestWhatIsLoaded:
    def test_the_bundled_cassettes_give_two_services_their_users_and_64_bindings(
        self, api: FakeBindingAPI
    ) -> None:
        assert sorted(api.store.services) == sorted([CHAT, CONVERSATIONS])
        loaded = {(s, sid) for s, bindings in api.store.services.items() for sid in bindings}
        assert loaded == set(EVERYTHING)
        assert len(loaded) == 64
        assert sorted(len(u) for u in api.store.users.values()) == [2, 4]

    def test_the_account_is_the_recorded_one_and_the_token_the_fake_s_own(self, api: FakeBindingAPI) -> None:
        assert api.account_sid == "AC" + "0" * 32
        assert len(api.auth_token) == 32

    def test_the_injected_fault_s_binding_is_reported_and_left_out(self, api: FakeBindingAPI) -> None:
        (rejected,) = api.rejected
        assert (rejected.service, rejected.sid, rejected.rules) == (CHAT, FAULT, ("binding.url-sid",))
        assert rejected.source.startswith(f"{CASSETTES / FAULT_CASSETTE}#1 GET https://chat.twilio.com/")
        assert api.store.get(CHAT, FAULT) is None

    def test_a_user_sid_is_the_recorded_one_where_a_user_binding_showed_it(self, api: FakeBindingAPI) -> None:
        users = api.store.users[CHAT]
        recorded_user = "US11e342e746ae2ea4d2e0e09ccd3e8e12"
        assert recorded_user in users.values()
        others = [(i, sid) for i, sid in users.items() if sid != recorded_user]
        assert others
        assert all(sid == derived_user_sid(CHAT, identity) for identity, sid in others)

    def test_reset_goes_back_to_what_was_loaded(self) -> None:
        api = FakeBindingAPI.from_cassettes(CASSETTES)
        some = next(iter(api.store.services[CHAT]))
        api.store.delete(CHAT, some)
        api.add_binding(CHAT)
        api.reset()
        assert {(s, sid) for s, b in api.store.services.items() for sid in b} == set(EVERYTHING)
        assert len(api.rejected) == 1


class TestTheSdkAgainstIt:
    def test_a_filter_and_page_size_never_recorded_list_the_recorded_bindings(
        self, api: FakeBindingAPI
    ) -> None:
        client = api.twilio_client(check="raise")
        found = client.chat.v2.services(CHAT).bindings.list(binding_type=["gcm"], page_size=7)
        expected = [sid for (s, sid), b in EVERYTHING.items() if s == CHAT and b["binding_type"] == "gcm"]
        assert sorted(b.sid for b in found) == sorted(expected)
        assert len(client.http_client.reports) == -(-len(expected) // 7)  # type: ignore[attr-defined]

    def test_a_user_the_recordings_never_listed_is_listed_by_identity(self, api: FakeBindingAPI) -> None:
        client = api.twilio_client(check="raise")
        identity = "user-d6affca0ad09"
        found = client.chat.v2.services(CHAT).users(identity).user_bindings.list(page_size=3)
        expected = [sid for (s, sid), b in EVERYTHING.items() if s == CHAT and b["identity"] == identity]
        assert sorted(b.sid for b in found) == sorted(expected)
        assert {b.user_sid for b in found} == {derived_user_sid(CHAT, identity)}

    def test_conversations_lists_its_recorded_bindings_with_another_page_size(
        self, api: FakeBindingAPI
    ) -> None:
        client = api.twilio_client(check="raise")
        found = client.conversations.v1.services(CONVERSATIONS).bindings.list(page_size=2)
        expected = [sid for s, sid in EVERYTHING if s == CONVERSATIONS]
        assert [b.sid for b in found] == expected  # in the order first recorded

    @pytest.mark.parametrize("service", [CHAT, CONVERSATIONS])
    def test_a_fetch_by_sid_returns_the_recorded_body_s_members(
        self, api: FakeBindingAPI, service: str
    ) -> None:
        client = api.twilio_client(check="raise")
        for (s, sid), body in list(EVERYTHING.items())[::9]:
            if s != service:
                continue
            services = client.chat.v2.services if s == CHAT else client.conversations.v1.services
            fetched = services(s).bindings(sid).fetch()
            assert {m: getattr(fetched, m) for m in STATE if m != "date_created"} == {
                m: body[m] for m in STATE if m != "date_created"
            }
            assert fetched.message_types == body["message_types"]

    def test_with_the_recorded_public_url_a_fetched_body_is_the_recorded_body(self) -> None:
        with FakeBindingAPI.from_cassettes(
            CASSETTES / "list-paging.yaml", public_url="https://chat.twilio.com"
        ) as api:
            (key, body), *_ = [(k, b) for k, b in recorded(["list-paging.yaml"]).items() if k[0] == CHAT]
            answer = requests.get(
                f"{api.base_url}/v2/Services/{CHAT}/Bindings/{key[1]}",
                auth=(api.account_sid, api.auth_token),
                timeout=5,
            )
            assert answer.json() == body
            assert check(answer.content, kind="binding").ok

    def test_a_delete_then_a_list_reflects_it(self) -> None:
        with FakeBindingAPI.from_cassettes(CASSETTES) as api:
            bindings = api.twilio_client(check="raise").chat.v2.services(CHAT).bindings
            first = bindings.list(limit=1)[0].sid
            assert bindings(first).delete()
            assert first not in {b.sid for b in bindings.list(page_size=13)}
            with pytest.raises(TwilioRestException) as info:
                bindings(first).fetch()
            assert info.value.status == 404

    def test_the_rejected_and_the_deleted_bindings_answer_404(self, api: FakeBindingAPI) -> None:
        bindings = api.twilio_client(check="raise").chat.v2.services(CHAT).bindings
        for sid in (FAULT, "BS5a9db68abeca0920c9f1dffc6ba0728e", "BSbefcfc3a421767c7fa975858bd457e57"):
            with pytest.raises(TwilioRestException) as info:
                bindings(sid).fetch()
            assert info.value.status == 404


def state(api: FakeBindingAPI) -> dict[str, list[str]]:
    return {service: list(bindings) for service, bindings in api.store.services.items()}


class TestWhatIsGiven:
    @settings(max_examples=10)
    @given(st.lists(st.sampled_from(["one", "list", "tuple", "generator"]), min_size=2, max_size=2))
    def test_paths_given_one_by_one_or_in_any_iterable_load_the_same_state(self, shapes: list[str]) -> None:
        wrap = {
            "one": lambda ps: ps,
            "list": lambda ps: [list(ps)],
            "tuple": lambda ps: [tuple(ps)],
            "generator": lambda ps: [(p for p in ps)],
        }
        halves = [[CASSETTES / n for n in FILES[:2]], [str(CASSETTES / n) for n in FILES[2:]]]
        given_as = [arg for shape, half in zip(shapes, halves, strict=True) for arg in wrap[shape](half)]
        expected = state(FakeBindingAPI.from_cassettes(*halves[0], *halves[1]))
        assert state(FakeBindingAPI.from_cassettes(*given_as)) == expected

    def test_a_directory_in_a_list_and_a_glob_work_too(self) -> None:
        expected = state(FakeBindingAPI.from_cassettes(CASSETTES))
        assert state(FakeBindingAPI.from_cassettes([CASSETTES])) == expected
        assert state(FakeBindingAPI.from_cassettes(sorted(CASSETTES.glob("*.yaml")))) == expected

    @pytest.mark.parametrize(
        ("given_as", "named"),
        [
            (3, "int 3"),
            ([None], "NoneType None"),
            (b"cassettes", "bytes b'cassettes'"),
            ({"c.yaml": 1}, "dict {'c.yaml': 1}"),
            ([[CASSETTES]], "list ["),
        ],
    )
    def test_anything_else_is_a_usage_error_naming_what_it_got(self, given_as: Any, named: str) -> None:
        with pytest.raises(
            UsageError, match=rf"^Got {re.escape(named)}.* in FakeBindingAPI.from_cassettes\(\)"
        ):
            FakeBindingAPI.from_cassettes(given_as)


class TestLastSeen:
    @settings(max_examples=15)
    @given(st.permutations(FILES).flatmap(lambda files: st.integers(0, len(files)).map(lambda n: files[:n])))
    def test_any_subset_in_any_order_loads_the_last_seen_state_per_sid(self, names: list[str]) -> None:
        if not names:
            with pytest.raises(InputError, match="holds no cassette"):
                FakeBindingAPI.from_cassettes()
            return
        api = FakeBindingAPI.from_cassettes(*(CASSETTES / n for n in names))
        loaded = {
            (s, r.sid): {m: getattr(r, m) for m in STATE_MEMBERS}
            for s, bindings in api.store.services.items()
            for r in bindings.values()
        }
        assert loaded == {key: state_of(item) for key, item in recorded(names).items()}
        assert [r.sid for r in api.rejected] == ([FAULT] if FAULT_CASSETTE in names else [])

    def test_the_latest_date_updated_wins_whatever_the_order(self, tmp_path: Path) -> None:
        maker = FakeBindingAPI(seed=5, auth=False, public_url="https://chat.twilio.com")
        service = maker.add_service()
        body = maker.add_binding(
            service,
            binding_type="apn",
            date_created="2020-01-01T00:00:00Z",
            date_updated="2020-01-02T00:00:00Z",
        )
        newer = {**body, "date_updated": "2021-05-05T10:00:00+02:00", "message_types": ["new_message"]}
        same_time = {**body, "endpoint": "ff" * 32}
        old, new, tie = (
            cassette(tmp_path / n, body, b)
            for n, b in (("a.json", body), ("b.json", newer), ("c.json", same_time))
        )
        for paths in ([old, new], [new, old]):
            (r,) = FakeBindingAPI.from_cassettes(*paths).store.services[service].values()
            assert (r.date_updated, r.message_types) == (newer["date_updated"], ("new_message",))
        for paths, endpoint in (([old, tie], same_time["endpoint"]), ([tie, old], body["endpoint"])):
            (r,) = FakeBindingAPI.from_cassettes(*paths).store.services[service].values()
            assert r.endpoint == endpoint  # the same date: the one seen later

    def test_a_delete_anywhere_removes_the_binding(self, tmp_path: Path) -> None:
        maker = FakeBindingAPI(seed=6, auth=False, public_url="https://chat.twilio.com")
        service = maker.add_service()
        body = maker.add_binding(service)
        fetched, gone = cassette(tmp_path / "a.json", body, body), cassette(tmp_path / "b.json", body, None)
        for paths in ([fetched, gone], [gone, fetched]):
            api = FakeBindingAPI.from_cassettes(*paths)
            assert api.store.services == {service: {}}


class TestBrokenBodies:
    def test_only_the_items_a_finding_points_into_are_left_out_and_warnings_leave_none_out(
        self, tmp_path: Path
    ) -> None:
        with FakeBindingAPI(seed=8, auth=False, public_url="https://chat.twilio.com") as maker:
            service = maker.add_service()
            kept = maker.add_binding(service, identity="kim@example.org")  # a warning: reserved '@'
            broken = maker.add_binding(service)
            page = requests.get(f"{maker.base_url}/v2/Services/{service}/Bindings", timeout=5).json()
        page["bindings"][1]["url"] = kept["url"]  # binding.url-sid
        path = tmp_path / "page.json"
        interaction = {
            "request": {"method": "GET", "uri": page["meta"]["url"], "body": None, "headers": {}},
            "response": {
                "status": {"code": 200, "message": "OK"},
                "headers": {},
                "body": {"string": json.dumps(page)},
            },
        }
        path.write_text(json.dumps({"version": 1, "interactions": [interaction]}))
        api = FakeBindingAPI.from_cassettes(path)
        assert list(api.store.services[service]) == [kept["sid"]]
        (rejected,) = api.rejected
        assert (rejected.sid, rejected.rules) == (broken["sid"], ("binding.url-sid",))
        assert rejected.source == f"{path}#0 GET {page['meta']['url']}"

    def test_an_unreadable_fetch_leaves_out_the_binding_its_url_names(self, tmp_path: Path) -> None:
        maker = FakeBindingAPI(seed=9, auth=False, public_url="https://chat.twilio.com")
        body = maker.add_binding(maker.add_service())
        path = cassette(tmp_path / "a.json", body, body)
        doc = json.loads(path.read_text())
        doc["interactions"][0]["response"]["body"]["string"] = json.dumps(body)[:40]
        path.write_text(json.dumps(doc))
        api = FakeBindingAPI.from_cassettes(path)
        assert [(r.sid, r.rules) for r in api.rejected] == [(body["sid"], ("response.json",))]
        assert api.store.services == {body["service_sid"]: {}}

    def test_a_credential_in_the_record_is_check_s_finding_but_leaves_the_binding_in(
        self, tmp_path: Path
    ) -> None:
        maker = FakeBindingAPI(seed=10, auth=False, public_url="https://chat.twilio.com")
        body = maker.add_binding(maker.add_service())
        path = cassette(tmp_path / "a.json", body, body)
        doc = json.loads(path.read_text())
        doc["interactions"][0]["request"]["headers"] = {"Authorization": ["Basic " + "QUM6c2VjcmV0" * 3]}
        path.write_text(json.dumps(doc))
        out = io.StringIO()
        assert run(["check", str(path)], out, io.StringIO()) == 1
        assert "cassette.secret" in out.getvalue()
        api = FakeBindingAPI.from_cassettes(path)
        assert api.rejected == ()
        assert list(api.store.services[body["service_sid"]]) == [body["sid"]]

    def test_an_unreadable_page_is_reported_without_a_sid(self, tmp_path: Path) -> None:
        url = f"https://chat.twilio.com/v2/Services/{CHAT}/Bindings"
        interaction = {
            "request": {"method": "GET", "uri": url, "body": None, "headers": {}},
            "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": "{"}},
        }
        path = tmp_path / "page.json"
        path.write_text(json.dumps({"version": 1, "interactions": [interaction]}))
        api = FakeBindingAPI.from_cassettes(path)
        (rejected,) = api.rejected
        assert (rejected.service, rejected.sid, rejected.rules) == (CHAT, None, ("response.json",))
        assert str(rejected).startswith(f"binding(s) without a readable sid of service {CHAT} left out")


def cassette(path: Path, binding: dict[str, Any], body: dict[str, Any] | None) -> Path:
    """A one-interaction JSON cassette: a fetch of ``binding`` answering ``body``, or (None) its delete."""
    response = (
        {"status": {"code": 204, "message": "No Content"}, "headers": {}, "body": {"string": ""}}
        if body is None
        else {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": json.dumps(body)}}
    )
    request = {
        "method": "GET" if body is not None else "DELETE",
        "uri": binding["url"],
        "body": None,
        "headers": {},
    }
    path.write_text(json.dumps({"version": 1, "interactions": [{"request": request, "response": response}]}))
    return path


HOSTILE = {
    "code in a tag": "!!python/object/apply:os.system ['true']\n",
    "not a cassette": "a: 1\n",
    "a future version": "interactions: []\nversion: 2\n",
}


class TestBadInput:
    @pytest.mark.parametrize("name", sorted(HOSTILE))
    def test_a_hostile_cassette_is_refused_as_check_refuses_it(self, name: str, tmp_path: Path) -> None:
        path = tmp_path / "c.yaml"
        path.write_text(HOSTILE[name])
        checked_err = io.StringIO()
        assert run(["check", str(path)], io.StringIO(), checked_err) == 2
        with pytest.raises(InputError) as info:
            FakeBindingAPI.from_cassettes(tmp_path)
        assert f"binding-contracts: error: {info.value}\n" == checked_err.getvalue()
        out, err = io.StringIO(), io.StringIO()
        assert run(["serve", "--from-cassettes", str(path)], out, err) == 2
        assert err.getvalue() == checked_err.getvalue()
        assert out.getvalue() == ""

    def test_a_directory_without_cassettes_is_one_line_and_exit_2(self, tmp_path: Path) -> None:
        err = io.StringIO()
        assert run(["serve", "--from-cassettes", str(tmp_path)], io.StringIO(), err) == 2
        assert (
            err.getvalue()
            == f"binding-contracts: error: {tmp_path}: holds no cassette (*.yaml, *.yml, *.json)\n"
        )


class TestServeFromCassettes:
    def test_serve_warns_of_the_left_out_binding_and_serves_the_rest(self) -> None:
        args = build_parser("serve").parse_args(["serve", "--no-auth", "--from-cassettes", str(CASSETTES)])
        out, err, stop = io.StringIO(), io.StringIO(), threading.Event()
        server = threading.Thread(target=serve, args=(args, out, stop, err))
        server.start()
        try:
            for _ in range(200):
                if out.getvalue().count("service IS") == 2:
                    break
                time.sleep(0.05)
            lines = out.getvalue().splitlines()
            assert sorted(lines[2:]) == sorted(
                [f"service {CHAT}: 57 binding(s)", f"service {CONVERSATIONS}: 7 binding(s)"]
            )
            (warning,) = err.getvalue().splitlines()
            assert warning.startswith(
                f"warning: binding {FAULT} of service {CHAT} left out: binding.url-sid ("
            )
            base = lines[0].rsplit(" ", 1)[1]
            page = requests.get(f"{base}/v1/Services/{CONVERSATIONS}/Bindings", timeout=5)
            assert len(page.json()["bindings"]) == 7
            assert check(page.content, kind="conversations-binding-page").ok
        finally:
            stop.set()
            server.join(timeout=10)
