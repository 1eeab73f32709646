"""From the wheel, in a temporary project: a consumer suite recorded under the 2024 spec, judged by
``stale`` against the 2025 specs, its reads recorded by the plugin, and ``drift`` ranked by them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from stale_history import CHAT_2024, CHAT_2025, CONVERSATIONS_2025, SERVICE, recorded_2024
from wheels import Venv, wheel_venv

pytestmark = pytest.mark.slow

APP = {
    "reads_type": """
def push_targets(client, service):
    targets = []
    for binding in client.chat.v2.services(service).bindings.list(page_size=200):
        match binding.binding_type:
            case "apn" | "fcm":
                targets.append(("mobile", binding.sid))
            case _:
                targets.append(("other", binding.sid))
    return targets
""",
    "reads_sid_and_endpoint": """
def push_targets(client, service):
    return [(b.sid, b.endpoint) for b in client.chat.v2.services(service).bindings.list(page_size=200)]
""",
}

TEST = f"""
import vcr
from twilio.rest import Client

from app import push_targets


def test_push_targets():
    with vcr.use_cassette("cassettes/recorded-2024.json", serializer="json", record_mode="none"):
        targets = push_targets(Client("AC" + "0" * 32, "token"), "{SERVICE}")
    assert len(targets) == 3
"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return wheel_venv(tmp_path_factory, "binding-contracts[all]", "pytest-xdist")


def project(root: Path, app: str) -> Path:
    (root / "cassettes").mkdir(parents=True)
    (root / "specs").mkdir()
    recorded_2024(root / "cassettes")
    shutil.copy(CHAT_2024, root / "specs" / "twilio_chat_v2.json")  # the revision it was recorded under
    shutil.copy(CHAT_2025, root / "twilio_chat_v2.json")  # today's
    shutil.copy(CONVERSATIONS_2025, root / "twilio_conversations_v1.json")
    (root / "app.py").write_text(APP[app])
    (root / "test_app.py").write_text(TEST)
    return root


def run(env: Venv, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), cwd=cwd, env=env.env(), capture_output=True, text=True, timeout=120)


def test_stale_usage_and_drift_from_the_wheel(venv: Venv, tmp_path: Path) -> None:
    root = project(tmp_path / "reads_type", "reads_type")
    stale = run(venv, root, "binding-contracts", "stale", "cassettes", "--spec", "twilio_chat_v2.json")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    asked = re.search(
        r"^cassettes/recorded-2024\.json:(\d+):\d+: \(root\): stale\.request: .*PageSize=200",
        stale.stdout,
        re.M,
    )
    assert asked is not None, stale.stdout
    assert (
        "PageSize=200"
        in (root / "cassettes" / "recorded-2024.json").read_text().splitlines()[int(asked[1]) - 1]
    )
    covered = run(
        venv, root, "binding-contracts", "stale", "cassettes", "--spec", "twilio_conversations_v1.json"
    )
    twilsock = re.search(
        r"^twilio_conversations_v1\.json:(\d+):\d+: \S+: stale\.uncovered \(warning\): "
        r".*'twilsock', never recorded",
        covered.stdout,
        re.M,
    )
    assert twilsock is not None, covered.stdout

    for app, fails in (("reads_type", True), ("reads_sid_and_endpoint", False)):
        root = tmp_path / app if app == "reads_type" else project(tmp_path / app, app)
        tests = run(
            venv,
            root,
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "2",
            "--binding-contracts-usage",
            "usage.json",
        )
        assert tests.returncode == 0, tests.stdout + tests.stderr
        reads = json.loads((root / "usage.json").read_text())["kinds"]["binding"]
        expected = {"binding_type", "sid"} if fails else {"sid", "endpoint"}
        assert set(reads) == expected
        drift = run(
            venv,
            root,
            "binding-contracts",
            "drift",
            "twilio_chat_v2.json",
            "--spec",
            "specs/twilio_chat_v2.json",
            "--usage",
            "usage.json",
            "--fail-on",
            "used",
        )
        assert drift.returncode == (1 if fails else 0), drift.stdout + drift.stderr
        assert "binding.binding_type: nullable true -> false" in drift.stdout
