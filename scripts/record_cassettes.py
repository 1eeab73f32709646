"""Re-record cassettes/: the twilio SDK's Binding calls against the fake, through vcrpy.

Run: .venv/bin/python scripts/record_cassettes.py [OUT_DIR]   (default: cassettes/)

The fake serves with public_url https://chat.twilio.com and the recorded request URIs are
rewritten to that host, so the cassettes read like traffic recorded against Twilio. PII is
pseudonymised and credentials never written (binding_contracts.recording.vcr_config).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import vcr
from twilio.base.exceptions import TwilioRestException

from binding_contracts.fake import FakeBindingAPI
from binding_contracts.recording import vcr_config

PUBLIC = "https://chat.twilio.com"
CONVERSATIONS = "https://conversations.twilio.com"


def recorder(api: FakeBindingAPI, check: str = "raise", public: str = PUBLIC) -> vcr.VCR:
    config = vcr_config(redact_pii=True, check=check)
    redact = config["before_record_request"]

    def public_host(request: Any) -> Any:
        request.uri = request.uri.replace(api.base_url, public)
        return redact(request)

    config["before_record_request"] = public_host
    return vcr.VCR(record_mode="all", **config)


def record(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with FakeBindingAPI(seed=2017, public_url=PUBLIC) as api:
        svc = api.add_service()
        for i in range(60):
            api.add_binding(
                svc,
                identity=("kim.lee", "maria@example.org", "Ørjan", "dev-42")[i % 4],
                binding_type=("apn", "fcm", "gcm")[i % 3],
            )
        client = api.twilio_client(check="raise")
        service = client.chat.v2.services(svc)
        rec = recorder(api)

        with rec.use_cassette(str(out / "list-paging.yaml")):
            service.bindings.list(page_size=25)
        with rec.use_cassette(str(out / "list-filters.yaml")):
            service.bindings.list(
                binding_type=["apn", "fcm"], identity=["kim.lee", "maria@example.org"], page_size=10
            )
        first = service.bindings.list(limit=1)[0].sid
        with rec.use_cassette(str(out / "fetch-delete-fetch.yaml")):
            service.bindings(first).fetch()
            service.bindings(first).delete()
            with contextlib.suppress(TwilioRestException):
                service.bindings(first).fetch()
        user = api.add_user(svc, identity="kim.lee")
        with rec.use_cassette(str(out / "user-bindings.yaml")):
            bindings = service.users(user).user_bindings.list(page_size=5)
            service.users(user).user_bindings(bindings[0].sid).fetch()
            service.users(user).user_bindings(bindings[0].sid).delete()
        with rec.use_cassette(str(out / "errors.yaml")):
            for call in (
                lambda: service.bindings("BS" + "0" * 32).fetch(),
                lambda: client.chat.v2.services("IS" + "0" * 32).bindings("BS" + "0" * 32).fetch(),
            ):
                with contextlib.suppress(TwilioRestException):
                    call()
        written += [
            out / n
            for n in (
                "list-paging.yaml",
                "list-filters.yaml",
                "fetch-delete-fetch.yaml",
                "user-bindings.yaml",
                "errors.yaml",
            )
        ]

        # One recording with a fault injected on purpose, so the demo shows a violation report.
        api.inject("fetch-binding=break:binding.url-sid")
        faulty = api.twilio_client(check="off").chat.v2.services(svc)
        with recorder(api, check="off").use_cassette(str(out / "injected-fault.yaml")):
            faulty.bindings(service.bindings.list(limit=1)[0].sid).fetch()
        written.append(out / "injected-fault.yaml")

    # Conversations v1: the same kind of traffic through client.conversations.v1 (its own fake,
    # so that its bodies name conversations.twilio.com).
    with FakeBindingAPI(seed=2022, public_url=CONVERSATIONS) as api:
        svc = api.add_service()
        for i in range(12):
            api.add_binding(
                svc,
                identity=("kim.lee", "maria@example.org", "dev-42")[i % 3],
                binding_type=("apn", "fcm", "twilsock")[i % 3],
                kind="conversations-binding",
            )
        bindings = api.twilio_client(check="raise").conversations.v1.services(svc).bindings
        with recorder(api, public=CONVERSATIONS).use_cassette(str(out / "conversations.yaml")):
            listed = bindings.list(page_size=5, binding_type=["apn", "twilsock"])
            bindings(listed[0].sid).fetch()
            bindings(listed[0].sid).delete()
            with contextlib.suppress(TwilioRestException):
                bindings(listed[0].sid).fetch()
        written.append(out / "conversations.yaml")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "cassettes"
    for path in record(target):
        print(f"recorded {path}")
