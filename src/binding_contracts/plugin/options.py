"""The plugin's options and ini keys, and the checking settings of a test, decided in
:func:`settings`: marker keywords > the ``binding_contracts_config`` fixture > command line > ini."""

from __future__ import annotations

from typing import Any, Final, TypedDict

import pytest

from ..spec.profiles import PROFILES, ProfileArg, profile_arg

__all__ = ["OPENED", "SETTINGS", "Settings", "opted_in", "option", "pytest_addoption", "settings"]

OPENED: Final = "binding_contracts_opened"
"""The attribute of a test's reports that lists the cassette files it opened (absolute paths), when
the session lists the cassettes no test opened (:mod:`.unused`)."""
SETTINGS: Final = ("profile", "strict_fields", "warnings_as_errors", "require_redacted")
"""The keys a marker or the config fixture may set."""


class Settings(TypedDict):
    """How a test's cassettes are checked."""

    profile: ProfileArg
    """A profile's name, or a profile file's path."""
    strict_fields: bool
    warnings_as_errors: bool
    require_redacted: bool


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("binding-contracts", "contract checks of Twilio Binding traffic")
    group.addoption(
        "--binding-contracts",
        action="store_true",
        default=None,
        help="check every test that uses a vcrpy cassette (ini: binding_contracts)",
    )
    group.addoption(
        "--binding-contracts-profile",
        type=profile_arg,
        default=None,
        metavar="PROFILE",
        help=f"{' or '.join(PROFILES)}, or a profile file (ini: binding_contracts_profile; default strict)",
    )
    group.addoption(
        "--binding-contracts-spec",
        default=None,
        metavar="FILE",
        help="the profile of a Twilio OpenAPI file, instead of --binding-contracts-profile "
        "(ini: binding_contracts_spec)",
    )
    group.addoption(
        "--binding-contracts-usage",
        default=None,
        metavar="FILE",
        help="record which members of the Binding kinds the tests' code reads, to FILE (JSON; "
        "for drift --usage and stale --usage)",
    )
    group.addoption(
        "--binding-contracts-strict-fields",
        action="store_true",
        default=None,
        help="undocumented members are errors (ini: binding_contracts_strict_fields)",
    )
    group.addoption(
        "--binding-contracts-warnings-as-errors",
        action="store_true",
        default=None,
        help="warnings fail the test (ini: binding_contracts_warnings_as_errors)",
    )
    group.addoption(
        "--binding-contracts-require-redacted",
        action="store_true",
        default=None,
        help="identities and endpoints not pseudonymised fail the test (cassette.pii; "
        "ini: binding_contracts_require_redacted)",
    )
    group.addoption(
        "--binding-contracts-unused",
        choices=("warn", "fail"),
        default=None,
        help="list the cassettes in the session's cassette directories that no test opened; fail: the "
        "session fails (ini: binding_contracts_unused)",
    )
    group.addoption(
        "--binding-contracts-report",
        metavar="PATH",
        default=None,
        help="write a JSON report of every checked interaction (ini: binding_contracts_report)",
    )
    parser.addini("binding_contracts", "check every test that uses a cassette", type="bool", default=False)
    parser.addini(
        "binding_contracts_profile", f"{' or '.join(PROFILES)}, or a profile file", default="strict"
    )
    parser.addini("binding_contracts_spec", "the profile of a Twilio OpenAPI file", default="")
    parser.addini(
        "binding_contracts_strict_fields", "undocumented members are errors", type="bool", default=False
    )
    parser.addini(
        "binding_contracts_warnings_as_errors", "warnings fail the test", type="bool", default=False
    )
    parser.addini(
        "binding_contracts_require_redacted",
        "identities and endpoints not pseudonymised fail the test",
        type="bool",
        default=False,
    )
    parser.addini("binding_contracts_report", "path of the JSON report", default="")
    parser.addini("binding_contracts_unused", "warn or fail: the cassettes no test opened", default="")
    _robustness_options(group, parser)


def _robustness_options(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
    """The options of the tests marked ``binding_robustness`` (:mod:`.robustness`)."""
    group.addoption(
        "--binding-contracts-robustness",
        action="store_true",
        default=None,
        help="run each binding_robustness test once per variation class and print the table "
        "(ini: binding_contracts_robustness)",
    )
    group.addoption(
        "--binding-contracts-robustness-fail-on",
        choices=("spec", "any", "never"),
        default=None,
        help="the broken classes that fail a test: spec (those Twilio's published spec allows; "
        "default), any, never (ini: binding_contracts_robustness_fail_on)",
    )
    group.addoption(
        "--binding-contracts-robustness-cassettes",
        metavar="DIR",
        default=None,
        help="write each minimal failing world as a vcrpy cassette in DIR "
        "(ini: binding_contracts_robustness_cassettes)",
    )
    parser.addini("binding_contracts_robustness", "run per variation class", type="bool", default=False)
    parser.addini("binding_contracts_robustness_fail_on", "spec, any or never", default="spec")
    parser.addini("binding_contracts_robustness_cassettes", "folder of failing worlds' cassettes", default="")
    parser.addini("binding_contracts_robustness_examples", "examples per run", default="50")


def option(config: pytest.Config, name: str) -> Any:
    """The command line's value of ini key ``name``, else the ini's."""
    value = config.getoption("--" + name.replace("_", "-"))
    return config.getini(name) if value is None else value


def opted_in(item: pytest.Item) -> bool:
    """Whether a test asked to be checked: the marker, or ``--binding-contracts`` / the ini."""
    marked = item.get_closest_marker("binding_contract") is not None
    return marked or bool(option(item.config, "binding_contracts"))


def settings(item: pytest.Item) -> Settings | None:
    """The checking settings of a test, or None when it did not opt in."""
    if not opted_in(item):
        return None
    config, marker = item.config, item.get_closest_marker("binding_contract")
    chosen: dict[str, Any] = {
        "profile": option(config, "binding_contracts_profile"),
        "strict_fields": option(config, "binding_contracts_strict_fields"),
        "warnings_as_errors": option(config, "binding_contracts_warnings_as_errors"),
        "require_redacted": option(config, "binding_contracts_require_redacted"),
    }
    fixture_config = getattr(item, "funcargs", {}).get("binding_contracts_config")
    if isinstance(fixture_config, dict):
        chosen.update({k: v for k, v in fixture_config.items() if k in SETTINGS})
    if marker is not None:
        chosen.update({k: v for k, v in marker.kwargs.items() if k in SETTINGS})
    profile = chosen["profile"]
    return Settings(
        profile=profile_arg(profile) if isinstance(profile, str) else profile,
        strict_fields=chosen["strict_fields"],
        warnings_as_errors=chosen["warnings_as_errors"],
        require_redacted=chosen["require_redacted"],
    )
