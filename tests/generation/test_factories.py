"""The Faker provider: valid output for any seed, byte-identical across processes, overrides checked."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import UsageError, check
from binding_contracts.cli.fixtures import generate
from binding_contracts.factories import BindingProvider

Doc = dict[str, Any]
SVC = "IS" + "0123456789abcdef" * 2
SEEDS = st.integers(0, 2**32)


def faker(seed: int) -> Faker:
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(seed)
    return fake


def sample(fake: Faker) -> list[Any]:
    return [
        fake.binding(),
        fake.user_binding(),
        fake.binding_page(page_size=5),
        fake.binding_page(count=2, page=4, page_size=2, kind="user-binding-page"),
        fake.binding_listing(total=7, page_size=3),
        fake.twilio_error(),
        fake.twilio_error(429),
        [fake.binding_sid(), fake.account_sid(), fake.service_sid(), fake.credential_sid(), fake.user_sid()],
        fake.push_endpoint(),
    ]


class TestValidOutput:
    @given(SEEDS)
    def test_every_payload_passes_for_any_seed(self, seed: int) -> None:
        fake = faker(seed)
        docs = [fake.binding(), fake.user_binding(), fake.binding_page(), fake.twilio_error()]
        for doc, kind in zip(docs, ["binding", "user-binding", "binding-page", "error"], strict=True):
            report = check(doc, kind)
            assert report.ok, report.render_text()

    @given(SEEDS, st.integers(0, 120), st.integers(1, 50))
    def test_a_listing_is_consistent_for_any_seed(self, seed: int, total: int, size: int) -> None:
        pages = faker(seed).binding_listing(total=total, page_size=size)
        assert [p["meta"]["page"] for p in pages] == list(range(len(pages)))
        assert all(p["meta"]["url"] == q["meta"]["next_page_url"] for q, p in itertools.pairwise(pages))
        sids = [i["sid"] for p in pages for i in p["bindings"]]
        assert len(sids) == len(set(sids)) == total
        assert all(check(p).ok for p in pages)

    def test_sids_match_their_schema_patterns(self) -> None:
        fake = faker(1)
        sids = [
            fake.binding_sid(),
            fake.account_sid(),
            fake.service_sid(),
            fake.credential_sid(),
            fake.user_sid(),
        ]
        assert [s[:2] for s in sids] == ["BS", "AC", "IS", "CR", "US"]
        assert all(re.fullmatch(r"[A-Z]{2}[0-9a-f]{32}", s) for s in sids)

    @pytest.mark.parametrize(
        ("binding_type", "shape"),
        [("apn", r"[0-9a-f]{64}"), ("fcm", r"[\w-]{11}:APA91b[\w-]{134}"), ("gcm", r"APA91b[\w-]{134}")],
    )
    def test_push_endpoints_look_like_the_platform_s_tokens(self, binding_type: str, shape: str) -> None:
        assert re.fullmatch(shape, faker(2).push_endpoint(binding_type))


HERE = (os.path.dirname(__file__), os.path.dirname(os.path.dirname(__file__)))
"""This folder and tests/ (conftest), for a process that imports this module."""


class TestDeterminism:
    def test_the_same_seed_gives_the_same_output(self) -> None:
        assert sample(faker(7)) == sample(faker(7))
        assert sample(faker(7)) != sample(faker(8))

    @pytest.mark.slow
    def test_the_same_seed_gives_byte_identical_output_in_other_processes(self) -> None:
        code = (
            "import json; from test_factories import sample, faker; "
            "print(json.dumps(sample(faker(7)), ensure_ascii=False))"
        )
        outputs = set()
        for hash_seed in ("1", "2"):
            env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": os.pathsep.join(HERE)}
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            )
            outputs.add(done.stdout)
        assert outputs == {json.dumps(sample(faker(7)), ensure_ascii=False) + "\n"}

    @pytest.mark.parametrize(
        ("kind", "method"),
        [("binding", "binding"), ("user-binding", "user_binding"), ("error", "twilio_error")],
    )
    def test_the_fixtures_command_writes_what_the_provider_gives_for_that_seed(
        self, kind: str, method: str
    ) -> None:
        fake = faker(5)
        provided = [getattr(fake, method)() for _ in range(3)]
        assert [doc for _, doc in generate(kind, 3, seed=5)] == provided


class TestOverrides:
    def test_overrides_are_honoured_and_the_urls_follow_them(self) -> None:
        doc = faker(3).binding(service_sid=SVC, identity="maria@example.org", binding_type="apn")
        assert doc["url"].startswith(f"https://chat.twilio.com/v2/Services/{SVC}/Bindings/")
        assert doc["links"]["user"].endswith(f"{SVC}/Users/maria@example.org")
        assert re.fullmatch(r"[0-9a-f]{64}", doc["endpoint"])

    def test_page_overrides_apply_to_every_item(self) -> None:
        doc = faker(3).binding_page(count=4, page=2, page_size=4, binding_type="fcm")
        assert (doc["meta"]["page"], len(doc["bindings"])) == (2, 4)
        assert {i["binding_type"] for i in doc["bindings"]} == {"fcm"}
        assert check(doc).ok

    def test_a_4xx_error_carries_its_code_and_more_info(self) -> None:
        doc = faker(3).twilio_error(404)
        assert doc["code"] == 20404
        assert doc["more_info"] == "https://www.twilio.com/docs/errors/20404"

    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda f: f.binding(sid="BS1"), "breaks schema.pattern"),
            (lambda f: f.binding(colour="red"), "pins one of"),
            (lambda f: f.binding_page(count=3, page_size=2), "breaks page.items-max"),
            (lambda f: f.binding_page(count=-1), "0 or more"),
            (lambda f: f.binding_page(page_size=51), "breaks page.size-max"),
            (lambda f: f.binding_page(kind="binding"), "a page is a binding-page or a user-binding-page"),
            (lambda f: f.binding_listing(total=-3), "0 or more"),
            (lambda f: f.twilio_error(302), "breaks schema.minimum"),
            (lambda f: f.push_endpoint("apns"), "expected one of gcm, apn, fcm"),
        ],
    )
    def test_an_override_that_breaks_a_rule_raises(self, call: Any, message: str) -> None:
        with pytest.raises(UsageError, match=re.escape(message)):
            call(faker(0))
