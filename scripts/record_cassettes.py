"""Re-record cassettes/: the twilio SDK's Binding calls against the fake, through vcrpy.

Run: .venv/bin/python scripts/record_cassettes.py [OUT_DIR]   (default: cassettes/)
It also writes migrate-check's example cassettes to examples/migration/ (shipped in the wheel).

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


def recorder(api: FakeBindingAPI, check: str = "raise", public: str = PUBLIC, pii: bool = True) -> vcr.VCR:
    config = vcr_config(redact_pii=pii, check=check)
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


# migrate-check's examples: one service's bindings read through Chat v2, then through Conversations v1
# as they are, and as they are after a migration that changed two of them.
MIGRATION_BINDINGS: list[tuple[str, str, tuple[str, ...]]] = [
    ("kim.lee", "apn", ("new_message", "added_to_channel")),
    ("kim.lee", "fcm", ("new_message",)),
    ("noah7879", "gcm", ("new_message", "removed_from_channel")),
    ("maria@example.org", "apn", ("new_message", "invited_to_channel")),
]
MIGRATION_CHANGES = {0: {"message_types": ("new_message",)}, 2: {"binding_type": "twilsock"}}


def record_migration(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, version, changes in (
        ("chat.yaml", "v2", {}),
        ("conversations.yaml", "v1", {}),
        ("conversations-after.yaml", "v1", MIGRATION_CHANGES),
    ):
        public = PUBLIC if version == "v2" else CONVERSATIONS
        with FakeBindingAPI(seed=2024, public_url=public) as api:
            svc = api.add_service()
            for i, (identity, binding_type, types) in enumerate(MIGRATION_BINDINGS):
                endpoint = api.faker.push_endpoint(binding_type)
                fields = {"binding_type": binding_type, "message_types": types, **changes.get(i, {})}
                api.add_binding(svc, identity, endpoint=endpoint, **fields)
            client = api.twilio_client(check="raise")
            # made-up identities and tokens: kept readable, the example compares them
            with recorder(api, public=public, pii=False).use_cassette(str(out / name)):
                if version == "v2":
                    client.chat.v2.services(svc).bindings.list(page_size=3)
                else:
                    client.conversations.v1.services(svc).bindings.list(page_size=3)
        written.append(out / name)
    return written


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "cassettes"
    for path in [*record(target), *record_migration(root / "examples" / "migration")]:
        print(f"recorded {path}")
