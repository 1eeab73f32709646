"""The pytest plugin, run inside pytester: opt-in, every rule family, play and record modes,
plain vcrpy and pytest-recording, reports, xdist."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml

from binding_contracts.fake import FakeBindingAPI
from recordings import record_session

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real vcrpy recording against the fake: a 3-page walk, fetch, delete, fetch (404),
    and one request that is no Binding operation."""
    path = tmp_path_factory.mktemp("cassettes") / "good.yaml"
    with FakeBindingAPI(seed=21, auth=False, services=1, bindings=7) as api:
        return record_session(api, path)


def edit(source: Path, target: Path, change: Callable[[list[Doc]], None]) -> Path:
    doc = yaml.safe_load(source.read_text())
    change(doc["interactions"])
    target.write_text(yaml.safe_dump(doc))
    return target


def body(interaction: Doc) -> Any:
    return json.loads(interaction["response"]["body"]["string"])


def set_body(interaction: Doc, value: Any) -> None:
    interaction["response"]["body"]["string"] = json.dumps(value)


def break_schema(items: list[Doc]) -> None:
    doc = body(items[3])
    doc["binding_type"] = "sms"
    set_body(items[3], doc)


def break_url_sid(items: list[Doc]) -> None:
    doc = body(items[3])
    doc["url"] = doc["url"][:-4] + "ffff"
    set_body(items[3], doc)


def break_request(items: list[Doc]) -> None:
    items[3]["request"]["uri"] = items[3]["request"]["uri"][:-4] + "ffff"


def break_sequence(items: list[Doc]) -> None:
    first, second = body(items[0]), body(items[1])
    second["bindings"][0] = first["bindings"][0]
    set_body(items[1], second)


FAMILIES = {
    "schema": (break_schema, "schema.enum", "/binding_type"),
    "single-payload": (break_url_sid, "binding.url-sid", "/url"),
    "request-aware": (break_request, "request.sid", "/sid"),
    "sequence": (break_sequence, "sequence.unique-sids", "/bindings/0/sid"),
}

PLAIN_TEST = """
import pytest, requests, vcr, yaml

def replay(name, **options):
    with open(name) as f:
        doc = yaml.safe_load(f)
    with vcr.use_cassette(name, record_mode="none", allow_playback_repeats=True, **options):
        for i in doc["interactions"]:
            requests.request(i["request"]["method"], i["request"]["uri"], timeout=5)

{marker}
def test_replays():
    replay("c.yaml")
"""


@pytest.fixture
def project(pytester: pytest.Pytester, recorded: Path) -> Callable[..., pytest.Pytester]:
    def make(
        cassette: Path | None = None, marker: str = "@pytest.mark.binding_contract", test: str = PLAIN_TEST
    ) -> pytest.Pytester:
        shutil.copy(cassette or recorded, pytester.path / "c.yaml")
        pytester.makepyfile(test_it=test.replace("{marker}", marker))
        return pytester

    return make


@pytest.fixture(scope="module")
def conversations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same session through Conversations v1's paths."""
    path = tmp_path_factory.mktemp("cassettes") / "conversations.yaml"
    with FakeBindingAPI(seed=22, auth=False, services=1, bindings=7) as api:
        return record_session(api, path, conversations=True)


class TestOptIn:
    def test_a_marked_test_with_a_good_cassette_passes_and_is_summarised(self, project: Any) -> None:
        result = project().runpytest_inprocess("-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)
        result.stdout.fnmatch_lines(
            [
                "*binding contracts*",
                "interactions checked: 6 (delete-binding 1, fetch-binding 2, read-bindings 3);"
                " other(s) ignored: 1",
                "rules fired: none",
            ]
        )

    def test_an_unmarked_test_is_not_checked(self, project: Any, recorded: Path, tmp_path: Path) -> None:
        bad = edit(recorded, tmp_path / "bad.yaml", break_schema)
        project(bad, marker="").runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)

    @pytest.mark.parametrize("how", [["--binding-contracts"], ["-o", "binding_contracts=true"]])
    def test_the_option_or_ini_checks_every_test_with_a_cassette(
        self, project: Any, recorded: Path, tmp_path: Path, how: list[str]
    ) -> None:
        bad = edit(recorded, tmp_path / "bad.yaml", break_schema)
        project(bad, marker="").runpytest_inprocess("-p", "no:cacheprovider", *how).assert_outcomes(failed=1)


class TestEveryRuleFamilyFailsTheTest:
    @pytest.mark.parametrize("family", sorted(FAMILIES))
    def test_a_violation_fails_the_test_with_a_readable_report(
        self, project: Any, recorded: Path, tmp_path: Path, family: str
    ) -> None:
        change, rule, pointer = FAMILIES[family]
        bad = edit(recorded, tmp_path / "bad.yaml", change)
        result = project(bad).runpytest_inprocess("-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)  # failed in the call: not an error in teardown
        text = result.stdout.str()
        assert f": {pointer}: {rule}: " in text
        assert "c.yaml#" in text
        assert " GET http://127.0.0.1:" in text
        assert "Traceback" not in text
        assert "binding_contracts/" not in text  # no frames of the plugin's own code
        result.stdout.fnmatch_lines([f"rules fired: {rule} x1"])


class TestConversations:
    def test_a_conversations_cassette_is_checked_by_its_v1_operations(
        self, project: Any, conversations: Path
    ) -> None:
        result = project(conversations).runpytest_inprocess("-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)
        result.stdout.fnmatch_lines(
            [
                "interactions checked: 6 (delete-conversations-binding 1, fetch-conversations-binding 2,"
                " read-conversations-bindings 3); other(s) ignored: 1",
                "rules fired: none",
            ]
        )

    def test_a_conversations_body_naming_another_service_fails_the_test(
        self, project: Any, conversations: Path, tmp_path: Path
    ) -> None:
        def other_service(items: list[Doc]) -> None:
            doc = body(items[3])
            doc["chat_service_sid"] = "IS" + "0" * 32
            set_body(items[3], doc)

        bad = edit(conversations, tmp_path / "bad.yaml", other_service)
        result = project(bad).runpytest_inprocess("-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(
            ["*: /chat_service_sid: request.service: *", "*: /url: binding.url-service: *"]
        )


def null_credential(items: list[Doc]) -> None:
    doc = body(items[3])
    doc["credential_sid"] = None
    set_body(items[3], doc)


class TestProfileFile:
    def test_a_profile_file_on_the_command_line_or_in_the_ini_loosens_the_check(
        self, project: Any, recorded: Path, tmp_path: Path
    ) -> None:
        nulled = edit(recorded, tmp_path / "nulled.yaml", null_credential)
        profile = tmp_path / "profile.json"
        loosen = {"binding": {"nullable": ["credential_sid"]}}
        profile.write_text(json.dumps({"binding_contracts_profile": 1, "loosen": loosen}))
        pytester = project(nulled)
        pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(failed=1)
        option = f"--binding-contracts-profile={profile}"
        pytester.runpytest_inprocess("-p", "no:cacheprovider", option).assert_outcomes(passed=1)
        pytester.makeini(f"[pytest]\nbinding_contracts_profile = {profile}\n")
        pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)

    def test_a_bad_profile_file_stops_the_run_with_its_one_line(self, project: Any, tmp_path: Path) -> None:
        profile = tmp_path / "profile.json"
        profile.write_text(json.dumps({"binding_contracts_profile": 1, "loosen": {"bindng": {}}}))
        option = f"--binding-contracts-profile={profile}"
        result = project().runpytest_inprocess("-p", "no:cacheprovider", option)
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines([f"*binding-contracts: {profile}: names the unknown kind 'bindng'*"])


class TestModesAndClients:
    def test_pytest_recording_play_mode(
        self, project: Any, pytester: pytest.Pytester, recorded: Path, tmp_path: Path
    ) -> None:
        cassettes = pytester.path / "cassettes" / "test_it"
        cassettes.mkdir(parents=True)
        edit(recorded, cassettes / "test_replays.yaml", break_url_sid)
        pytester.makepyfile(test_it=RECORDING_TEST.format(marker="@pytest.mark.binding_contract"))
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--record-mode=none")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(["*binding.url-sid*"])

    def test_record_mode_writes_no_secret_and_checks_what_it_records(self, pytester: pytest.Pytester) -> None:
        with FakeBindingAPI(seed=8, services=1, bindings=4) as api:
            svc = next(iter(api.store.services))
            url = f"{api.base_url}/v2/Services/{svc}/Bindings?PageSize=2"
            text = record_once(
                pytester, PLUGIN_VCR_CONFIG.format(scope="function"), url, (api.account_sid, api.auth_token)
            )
        assert api.auth_token not in text
        assert api.account_sid not in text
        assert "authorization" not in text.lower()


PLUGIN_VCR_CONFIG = """
import pytest

@pytest.fixture(scope="{scope}")
def vcr_config(binding_contracts_vcr_config):
    return binding_contracts_vcr_config
"""


def record_once(
    pytester: pytest.Pytester, conftest: str, url: str, auth: tuple[str, str] | None = None
) -> str:
    """The text of the cassette a checked pytest-recording test writes as it records one GET of
    ``url`` under ``conftest``'s vcr_config (the test passes, with one read checked)."""
    pytester.makeconftest(conftest)
    test = f"""
import pytest, requests

@pytest.mark.vcr
@pytest.mark.binding_contract
def test_records():
    session = requests.Session()
    session.auth = {auth!r}
    assert session.get("{url}", timeout=5).ok
"""
    pytester.makepyfile(test_it=test)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--record-mode=once")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["interactions checked: 1 (read-bindings 1)*", "rules fired: none"])
    (cassette,) = (pytester.path / "cassettes").rglob("*.yaml")
    return cassette.read_text()


RECORDING_TEST = """
import pytest, requests, yaml

{marker}
@pytest.mark.vcr
def test_replays():
    with open("cassettes/test_it/test_replays.yaml") as f:
        doc = yaml.safe_load(f)
    for i in doc["interactions"]:
        requests.request(i["request"]["method"], i["request"]["uri"], timeout=5)
"""


class TestPytestRecording:
    """The README's vcr_config: a fixture of any scope on binding_contracts_vcr_config, and one
    failure format for a broken cassette whether or not the plugin checks the test."""

    @pytest.mark.parametrize("scope", ["function", "module", "session"])
    @pytest.mark.parametrize("checked", [True, False], ids=["plugin", "hooks-alone"])
    def test_a_broken_cassette_fails_with_the_cassette_the_request_and_the_rule(
        self, pytester: pytest.Pytester, recorded: Path, scope: str, checked: bool
    ) -> None:
        cassettes = pytester.path / "cassettes" / "test_it"
        cassettes.mkdir(parents=True)
        edit(recorded, cassettes / "test_replays.yaml", break_url_sid)
        pytester.makeconftest(PLUGIN_VCR_CONFIG.format(scope=scope))
        marker = "@pytest.mark.binding_contract" if checked else ""
        pytester.makepyfile(test_it=RECORDING_TEST.format(marker=marker))
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--record-mode=none")
        if checked:  # the plugin checks the test after its body: a failure of the test itself
            result.assert_outcomes(failed=1)
        else:  # vcrpy loads the cassette in pytest-recording's fixture, and the hook raises there
            result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(
            [
                "*Binding contract violated:",
                "*/cassettes/test_it/test_replays.yaml#3 GET http://127.0.0.1:*/Bindings/BS*:"
                " /url: binding.url-sid: url names binding BS* but sid is BS*",
            ]
        )
        text = result.stdout.str()
        assert "Traceback" not in text
        assert "vcr/" not in text  # no frames of vcrpy
        assert "ScopeMismatch" not in text

    def test_redact_pii_through_a_module_scoped_vcr_config(self, pytester: pytest.Pytester) -> None:
        conftest = """
import pytest
from binding_contracts.recording import vcr_config as binding_vcr_config

@pytest.fixture(scope="module")
def vcr_config():
    return binding_vcr_config(redact_pii=True)
"""
        with FakeBindingAPI(seed=9, auth=False) as api:
            svc = api.add_service()
            api.add_binding(svc, identity="maria@example.org", binding_type="apn")
            text = record_once(pytester, conftest, f"{api.base_url}/v2/Services/{svc}/Bindings")
        assert "maria" not in text
        assert "user-" in text


def undocumented_fourth(items: list[Doc]) -> None:
    """Give the fourth interaction's body a member the schema does not document."""
    doc = body(items[3])
    doc["extra"] = 1
    set_body(items[3], doc)


class TestReports:
    def test_a_json_report_file_and_junit_properties(
        self, project: Any, recorded: Path, tmp_path: Path
    ) -> None:
        bad = edit(recorded, tmp_path / "bad.yaml", break_url_sid)
        pytester = project(bad)
        out, junit = tmp_path / "report.json", tmp_path / "junit.xml"
        result = pytester.runpytest_inprocess(
            "-p", "no:cacheprovider", f"--binding-contracts-report={out}", f"--junitxml={junit}"
        )
        result.assert_outcomes(failed=1)
        doc = json.loads(out.read_text())
        assert doc["rules_fired"] == {"binding.url-sid": 1}
        assert doc["operations"]["read-bindings"] == 3
        props = {p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")}
        assert props["binding_contracts_checked"] == "6"
        assert props["binding_contracts_violations"] == "1"

    def test_the_marker_overrides_the_profile_and_the_config_fixture_applies(
        self, project: Any, recorded: Path, tmp_path: Path
    ) -> None:
        bad = edit(recorded, tmp_path / "bad.yaml", undocumented_fourth)
        passing = project(bad).runpytest_inprocess("-p", "no:cacheprovider")
        passing.assert_outcomes(passed=1)
        passing.stdout.fnmatch_lines(["warnings: field.unknown x1"])
        strict = project(bad, marker="@pytest.mark.binding_contract(strict_fields=True)")
        strict.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(failed=1)
        strict.makeconftest(
            "import pytest\n"
            "@pytest.fixture\n"
            "def binding_contracts_config():\n"
            "    return {'warnings_as_errors': True}\n"
        )
        failing = project(bad).runpytest_inprocess("-p", "no:cacheprovider")
        failing.assert_outcomes(failed=1)
        failing.stdout.fnmatch_lines(["rules fired: field.unknown x1"])
        failing.stdout.no_fnmatch_line("warnings: *")

    def test_warnings_as_errors_count_as_violations_in_the_junit_property(
        self, project: Any, recorded: Path, tmp_path: Path
    ) -> None:
        bad = edit(recorded, tmp_path / "bad.yaml", undocumented_fourth)
        junit = tmp_path / "junit.xml"
        marker = "@pytest.mark.binding_contract(warnings_as_errors=True)"
        project(bad, marker=marker).runpytest_inprocess(
            "-p", "no:cacheprovider", f"--junitxml={junit}"
        ).assert_outcomes(failed=1)
        props = {p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")}
        assert props["binding_contracts_violations"] == "1"  # the warning that failed the test

    def test_an_unreadable_interaction_is_counted_among_those_checked(
        self, project: Any, recorded: Path, tmp_path: Path
    ) -> None:
        def text_status(items: list[Doc]) -> None:
            items[3]["response"]["status"]["code"] = "200"

        bad = edit(recorded, tmp_path / "bad.yaml", text_status)
        opens = (
            "import pytest, vcr\n\n{marker}\ndef test_opens():\n"
            "    with vcr.use_cassette('c.yaml'):\n        pass\n"
        )
        result = project(bad, test=opens).runpytest_inprocess("-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(
            [
                "*c.yaml#3: (root): response.json: has status '200', expected an integer",
                "interactions checked: 6 (delete-binding 1, fetch-binding 1, read-bindings 3);"
                " other(s) ignored: 1",
                "rules fired: response.json x1",
            ]
        )

    def test_xdist_gives_the_same_verdicts_and_one_summary(
        self, pytester: pytest.Pytester, recorded: Path, tmp_path: Path
    ) -> None:
        shutil.copy(recorded, pytester.path / "good.yaml")
        edit(recorded, pytester.path / "bad.yaml", break_url_sid)
        head = PLAIN_TEST.split("{marker}")[0]
        tests = head + "".join(
            f"\n@pytest.mark.binding_contract\ndef test_{n}():\n    replay({name!r})\n"
            for n, name in enumerate(["good.yaml", "bad.yaml", "good.yaml", "good.yaml"])
        )
        pytester.makepyfile(test_it=tests)
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
        result.assert_outcomes(passed=3, failed=1)
        result.stdout.fnmatch_lines(
            [
                "interactions checked: 24 (delete-binding 4, fetch-binding 8, read-bindings 12);"
                " other(s) ignored: 4",
                "rules fired: binding.url-sid x1",
            ]
        )


class TestFixtures:
    def test_binding_contract_returns_the_report_or_fails_with_it(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(
            test_it="""
import pytest

def test_good(binding_contract, fake_binding_api):
    svc = fake_binding_api.add_service()
    assert binding_contract(fake_binding_api.add_binding(svc)).ok

def test_bad(binding_contract):
    binding_contract({"sid": "BS1"}, kind="binding")

def test_assert_repr(binding_contract):
    from binding_contracts import check
    assert check({"sid": "BS1"}, kind="binding").violations == []
"""
        )
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
        result.assert_outcomes(passed=1, failed=2)
        result.stdout.fnmatch_lines(["*/sid: schema.pattern*", "*contract finding(s):*"])


class TestCostWhenUnused:
    """The entry point loads the plugin in every pytest run of a project that has the package:
    until a test opts in, it imports neither the checking modules nor vcrpy."""

    LOOK = """
        import sys

        def test_modules():
            loaded = sorted(m for m in sys.modules if m.startswith(("binding_contracts", "vcr")))
            assert "binding_contracts.plugin" in loaded
            assert loaded == {expected}, loaded
        """

    def test_a_run_that_checks_nothing_loads_the_plugin_alone(self, pytester: pytest.Pytester) -> None:
        # binding_contracts.spec is a package whose __init__ holds a docstring alone; the plugin's
        # fixtures and options are modules of their own that import pytest and spec.profiles alone
        # (pytest finds fixtures and hooks on the entry point's module, so they are loaded with it)
        expected = [
            "binding_contracts",
            "binding_contracts.plugin",
            "binding_contracts.plugin.fixtures",
            "binding_contracts.plugin.options",
            "binding_contracts.plugin.robustness",
            "binding_contracts.spec",
            "binding_contracts.spec.profiles",
        ]
        pytester.makepyfile(test_it=self.LOOK.format(expected=expected))
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:recording")
        result.assert_outcomes(passed=1)

    def test_an_opted_in_test_gets_vcr_patched_before_it_runs(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(
            test_it="""
            import sys
            import pytest

            @pytest.mark.binding_contract
            def test_modules():
                assert "vcr.cassette" in sys.modules
            """
        )
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:recording")
        result.assert_outcomes(passed=1)


def add_authorization(items: list[Doc]) -> None:
    items[0]["request"].setdefault("headers", {})["Authorization"] = ["Basic QUMxMjM6c2VjcmV0LXRva2Vu"]


class TestLeaks:
    def test_a_cassette_holding_credentials_fails_the_test_without_echoing_them(
        self, project: Any, recorded: Path, tmp_path: Path
    ) -> None:
        leaked = edit(recorded, tmp_path / "leaked.yaml", add_authorization)
        result = project(leaked).runpytest_inprocess("-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)
        assert (
            ": (root): cassette.secret: the request's Authorization header holds a credential"
            in result.stdout.str()
        )
        assert "QUMxMjM6c2VjcmV0LXRva2Vu" not in result.stdout.str()

    @pytest.mark.parametrize(
        ("how", "marker"),
        [
            (["--binding-contracts-require-redacted"], "@pytest.mark.binding_contract"),
            (["-o", "binding_contracts_require_redacted=true"], "@pytest.mark.binding_contract"),
            ([], "@pytest.mark.binding_contract(require_redacted=True)"),
        ],
    )
    def test_require_redacted_fails_a_cassette_with_identities_in_clear(
        self, project: Any, how: list[str], marker: str
    ) -> None:
        result = project(marker=marker).runpytest_inprocess("-p", "no:cacheprovider", *how)
        result.assert_outcomes(failed=1)
        assert ": cassette.pii: the identity " in result.stdout.str()
