"""migrate-check: the bindings Chat v2 and Conversations v1 cassettes show for the same identities,
compared across the renamed members and message types; exit 0 same, 1 different, 2 bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import vcr
import yaml

from binding_contracts.fake import FakeBindingAPI
from binding_contracts.spec.kinds import CHAT, CONVERSATIONS, MESSAGE_TYPE_PAIRS, message_types_in
from binding_contracts.spec.schemas import defs
from binding_contracts.traffic.migration import examples_dir
from clirun import call

pytestmark = pytest.mark.slow


def record(api: FakeBindingAPI, svc: str, version: str, path: Path) -> Path:
    """Every binding of the service, read at PageSize=2 by following next_page_url."""
    with vcr.VCR(record_mode="all").use_cassette(str(path)):
        url: str | None = f"{api.base_url}/{version}/Services/{svc}/Bindings?PageSize=2"
        while url:
            url = requests.get(url, timeout=5).json()["meta"]["next_page_url"]
    return path


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same service read through both APIs of one fake."""
    folder = tmp_path_factory.mktemp("migration")
    with FakeBindingAPI(seed=31, auth=False) as api:
        svc = api.add_service()
        for i in range(5):
            types = ("new_message", "added_to_channel", "invited_to_channel")[: i % 3 + 1]
            api.add_binding(svc, identity=f"user{i % 3}", message_types=types)
        (folder / "chat").mkdir()
        return record(api, svc, "v2", folder / "chat" / "c.yaml"), record(
            api, svc, "v1", folder / "conv.yaml"
        )


def edited(source: Path, target: Path, index: int, **changes: object) -> Path:
    doc = yaml.safe_load(source.read_text())
    response = doc["interactions"][0]["response"]["body"]
    page = json.loads(response["string"])
    page["bindings"][index].update(changes)
    response["string"] = json.dumps(page)
    target.write_text(yaml.safe_dump(doc))
    return target


class TestMapping:
    def test_every_pair_names_documented_message_types(self) -> None:
        chat, conversations = defs()[CHAT.message_types]["enum"], defs()[CONVERSATIONS.message_types]["enum"]
        assert sorted(c for c, _ in MESSAGE_TYPE_PAIRS) == sorted(chat)
        assert sorted(c for _, c in MESSAGE_TYPE_PAIRS if c) == sorted(conversations)

    def test_message_types_are_renamed_both_ways(self) -> None:
        old = ("new_message", "added_to_channel", "invited_to_channel", "typing_started")
        new = message_types_in(CONVERSATIONS, old)
        assert new == ("new_message", "added_to_conversation", "typing_started")
        assert message_types_in(CHAT, new) == ("new_message", "added_to_channel", "typing_started")


class TestExitStatus:
    def test_the_same_bindings_seen_from_both_apis_exit_0(self, sessions: tuple[Path, Path]) -> None:
        chat, conversations = sessions
        code, out, err = call("migrate-check", str(chat.parent), str(conversations))
        assert (code, err) == (0, "")
        assert out == (
            "3 identities compared: 0 difference(s); seen from one API only (not compared): "
            "0 in Chat, 0 in Conversations\n"
        )

    def test_a_different_subscription_or_type_exits_1_naming_it(
        self, sessions: tuple[Path, Path], tmp_path: Path
    ) -> None:
        chat, conversations = sessions
        changed = edited(
            conversations, tmp_path / "conv.yaml", 0, message_types=["new_message"], binding_type="twilsock"
        )
        code, out, _ = call("migrate-check", str(chat), str(changed), "--format", "json")
        assert code == 1
        doc = json.loads(out)
        (difference,) = doc["differences"]
        assert "binding type" in difference["message"]
        assert "twilsock in Conversations" in difference["message"]
        assert doc["summary"]["differences"] == 1

    def test_an_endpoint_seen_in_one_api_only_is_a_difference(
        self, sessions: tuple[Path, Path], tmp_path: Path
    ) -> None:
        chat, conversations = sessions
        changed = edited(conversations, tmp_path / "conv.yaml", 1, endpoint="another-device")
        code, out, _ = call("migrate-check", str(chat), str(changed))
        assert code == 1
        assert "endpoint 'another-device': only in Conversations" in out
        assert ": only in Chat (" in out

    def test_no_identity_in_common_exits_1(self, sessions: tuple[Path, Path], tmp_path: Path) -> None:
        chat, conversations = sessions
        doc = yaml.safe_load(conversations.read_text())
        for interaction in doc["interactions"]:
            response = interaction["response"]["body"]
            page = json.loads(response["string"])
            for item in page["bindings"]:
                item["identity"] = "someone-else"
            response["string"] = json.dumps(page)
        (tmp_path / "conv.yaml").write_text(yaml.safe_dump(doc))
        code, out, _ = call("migrate-check", str(chat), str(tmp_path / "conv.yaml"))
        assert code == 1
        assert out.endswith("no identity is seen from both APIs: nothing to compare\n")

    @pytest.mark.parametrize("swap", [True, False])
    def test_cassettes_without_a_binding_of_their_api_exit_2(
        self, sessions: tuple[Path, Path], swap: bool
    ) -> None:
        chat, conversations = sessions
        args = (str(conversations), str(conversations)) if swap else (str(chat), str(chat))
        code, out, err = call("migrate-check", *args)
        assert (code, out) == (2, "")
        api = "Chat v2" if swap else "Conversations v1"
        problem = f"holds no {api} binding answer (fetch or read, status 200)"
        assert err == f"binding-contracts: error: {args[0 if swap else 1]}: {problem}\n"

    def test_a_missing_file_or_an_empty_directory_exits_2(
        self, sessions: tuple[Path, Path], tmp_path: Path
    ) -> None:
        chat, _ = sessions
        code, _, err = call("migrate-check", str(chat), str(tmp_path / "missing.yaml"))
        assert code == 2
        assert err.count("\n") == 1
        assert "missing.yaml: no such file" in err
        (tmp_path / "empty").mkdir()
        code, _, err = call("migrate-check", str(tmp_path / "empty"), str(chat))
        assert (code, err) == (
            2,
            f"binding-contracts: error: {tmp_path / 'empty'}: holds no cassette (*.yaml, *.yml, *.json)\n",
        )

    def test_a_different_subscription_names_both_in_conversations_vocabulary(
        self, sessions: tuple[Path, Path], tmp_path: Path
    ) -> None:
        chat, conversations = sessions
        changed = edited(
            conversations, tmp_path / "conv.yaml", 0, message_types=["removed_from_conversation"]
        )
        code, out, _ = call("migrate-check", str(chat), str(changed))
        assert code == 1
        assert "in Chat (mapped), [removed_from_conversation] in Conversations" in out

    def test_bodies_that_are_no_binding_are_passed_over(
        self, sessions: tuple[Path, Path], tmp_path: Path
    ) -> None:
        chat, conversations = sessions
        doc = yaml.safe_load(conversations.read_text())
        first = doc["interactions"][0]
        for body in ("not json", "[1, 2]"):
            doc["interactions"].append({**first, "response": {**first["response"], "body": {"string": body}}})
        page = json.loads(first["response"]["body"]["string"])
        page["bindings"].append({"identity": None})
        first["response"]["body"]["string"] = json.dumps(page)
        (tmp_path / "conv.yaml").write_text(yaml.safe_dump(doc))
        assert call("migrate-check", str(chat), str(tmp_path / "conv.yaml"))[0] == 0


class TestShippedExamples:
    def test_the_example_cassettes_agree_and_the_changed_ones_differ_in_two_bindings(self) -> None:
        folder = examples_dir()
        assert sorted(p.name for p in folder.glob("*.yaml")) == [
            "chat.yaml",
            "conversations-after.yaml",
            "conversations.yaml",
        ]
        same = call("migrate-check", str(folder / "chat.yaml"), str(folder / "conversations.yaml"))
        assert same[0] == 0
        code, out, _ = call(
            "migrate-check", str(folder / "chat.yaml"), str(folder / "conversations-after.yaml")
        )
        assert code == 1
        assert out.splitlines()[-1].startswith("3 identities compared: 2 difference(s)")

    def test_every_example_cassette_keeps_the_contract(self) -> None:
        code, out, _ = call("check", str(examples_dir()))
        assert code == 0, out
