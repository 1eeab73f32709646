"""Shared fixtures: valid base payloads of every kind, and the Hypothesis profiles."""

from __future__ import annotations

import copy
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# binding_contracts.plugin is loaded here rather than by its entry point (see addopts in pyproject).
pytest_plugins = ["pytester", "binding_contracts.plugin"]

# The pytest runs these tests start (pytester, and pytest in a wheel's venv) print as they do on CI
# wherever the suite runs: where CI is set, pytest repeats each failure's message whole in its short
# summary, and a test that counts lines must see what CI sees.
os.environ["CI"] = "true"

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def shell_sigint() -> None:
    """A child process's Ctrl-C as a shell gives it (``preexec_fn``): a pytest-xdist worker may ignore
    or block SIGINT, and a child inherits both."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def fewer_examples(share: int) -> settings:
    """The profile's example count divided by ``share``: for tests parametrized over many cases,
    each of which a broader test also draws at the full count."""
    return settings(max_examples=max(10, settings.default.max_examples // share))


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def example(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((ROOT / "examples" / f"{name}.json").read_text("utf-8"))
    return doc


@pytest.fixture
def binding() -> dict[str, Any]:
    return example("binding")


@pytest.fixture
def user_binding() -> dict[str, Any]:
    return example("user-binding")


@pytest.fixture
def error_body() -> dict[str, Any]:
    return example("error-404")


def second_binding(first: dict[str, Any]) -> dict[str, Any]:
    other = copy.deepcopy(first)
    sid = "BS" + "0123456789abcdef" * 2
    other["url"] = other["url"].replace(other["sid"], sid)
    other["sid"] = sid
    return other


@pytest.fixture
def page(binding: dict[str, Any]) -> dict[str, Any]:
    """A valid binding page 0 of 2 items with a next page, and no warnings."""
    doc = example("binding-page")
    doc["bindings"] = [binding, second_binding(binding)]
    return doc


@pytest.fixture
def user_page(user_binding: dict[str, Any]) -> dict[str, Any]:
    base = user_binding["url"].rsplit("/", 1)[0]
    first = f"{base}?PageSize=50&Page=0"
    meta = {
        "page": 0,
        "page_size": 50,
        "first_page_url": first,
        "previous_page_url": None,
        "url": first,
        "next_page_url": None,
        "key": "bindings",
    }
    return {"meta": meta, "bindings": [user_binding]}


SPEC_FILES = {"chat": DATA / "twilio_chat_v2.json", "ip-messaging": DATA / "twilio_ip_messaging_v2.json"}
"""Twilio's published OpenAPI of Chat v2 and of its alias IP Messaging v2."""
CONVERSATIONS_SPEC = DATA / "twilio_conversations_v1.json"
"""Twilio's published OpenAPI of Conversations v1, the successor of Chat."""
_SPEC_TEXT = {
    name: path.read_text(encoding="utf-8")
    for name, path in {**SPEC_FILES, "conversations": CONVERSATIONS_SPEC}.items()
}


def spec(name: str = "chat") -> dict[str, Any]:
    """A fresh copy of a reference spec, free to mutate."""
    doc: dict[str, Any] = json.loads(_SPEC_TEXT[name])
    return doc
