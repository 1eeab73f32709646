"""The public surface: the import paths and names users rely on keep working, whatever moves inside.

The names are pinned here on purpose: a public name that disappears or moves must fail this test. The
subpackages (``spec``, ``checking``, ``generation``, ``traffic``) are internal and say so.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import binding_contracts

PUBLIC: dict[str, set[str]] = {
    "binding_contracts": {
        "KINDS", "PROFILES", "RULES", "BindingContractsError", "ContractViolation", "InputError",
        "KindNotDetected", "MissingExtra", "PortUnavailable", "RecordingViolation", "Report", "Request",
        "UsageError", "Violation", "check", "detect_kind", "validate",
    },
    "binding_contracts.strategies": {
        "Mutant", "World", "api_worlds", "invalid_payloads", "page_walks", "payloads", "targetable_rules",
        "untargetable_rules",
    },
    "binding_contracts.factories": {"BindingProvider"},
    "binding_contracts.recording": {
        "ACCOUNT_PLACEHOLDER", "DEFAULT_PII_KEY", "Redactor", "deferred_to_plugin", "vcr_config",
    },
    "binding_contracts.live": {
        "AsyncCheckingHttpClient", "CheckMode", "Checker", "CheckingHttpClient", "MODES", "check_response",
        "full_url", "httpx_async_hook", "httpx_hook", "response_hook",
    },
    "binding_contracts.exchanges": {
        "CheckMode", "Checker", "MODES", "check_response", "httpx_async_hook", "httpx_hook",
        "interaction_of", "response_hook",
    },
    "binding_contracts.interactions": {
        "EMPTY_BODIES", "Interaction", "SUCCESS", "Session", "check_interaction",
    },
    "binding_contracts.rules": {
        "Context", "Finding", "RULES", "Request", "Rule", "RuleFunc", "SCHEMA_KEYWORDS", "rule", "rules_for",
    },
    "binding_contracts.report": {
        "FAILURE_HEAD", "MESSAGE_CAP", "Part", "Report", "Severity", "Violation", "brief", "clip",
        "failure_text", "render_junit", "shorten",
    },
    "binding_contracts.errors": {
        "BindingContractsError", "ContractViolation", "InputError", "MissingExtra", "PortUnavailable",
        "RecordingViolation", "UsageError", "did_you_mean",
    },
    "binding_contracts.migration": {
        "Comparison", "Difference", "Key", "Observed", "Seen", "compare", "examples_dir", "observe",
    },
    "binding_contracts.fake": {"FakeBindingAPI", "Fault"},
    "binding_contracts.drift": {"check_spec", "check_spec_file", "load_baseline"},
    "binding_contracts.plugin": {
        "binding_contract", "binding_contracts_config", "binding_contracts_vcr_config", "binding_faker",
        "binding_robustness_api", "fake_binding_api", "pytest_addoption", "pytest_configure", "seed_of",
    },
    "binding_contracts.cli": {"COMMANDS", "build_parser", "main", "run"},
}  # fmt: skip
INTERNAL = ("spec", "checking", "generation", "traffic", "locating", "reporting")


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_every_public_name_imports_from_its_public_path(module: str) -> None:
    loaded = importlib.import_module(module)
    missing = {name for name in PUBLIC[module] if not hasattr(loaded, name)}
    assert not missing, f"{module} lost {sorted(missing)}"


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_every_public_module_says_what_it_exports(module: str) -> None:
    loaded = importlib.import_module(module)
    exported = set(getattr(loaded, "__all__", ()))
    assert PUBLIC[module] <= exported, sorted(PUBLIC[module] - exported)
    assert all(hasattr(loaded, name) for name in exported)


@pytest.mark.parametrize("package", INTERNAL)
def test_an_internal_subpackage_says_it_carries_no_compatibility_promise(package: str) -> None:
    loaded = importlib.import_module(f"binding_contracts.{package}")
    assert "Internal" in (loaded.__doc__ or "")


def test_every_module_of_the_package_imports_and_has_a_docstring() -> None:
    prefix = f"{binding_contracts.__name__}."
    names = [m.name for m in pkgutil.walk_packages(binding_contracts.__path__, prefix)]
    assert len(names) > 60
    undocumented = [n for n in names if not (importlib.import_module(n).__doc__ or "").strip()]
    assert not undocumented
