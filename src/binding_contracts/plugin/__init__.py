"""The pytest plugin: hold every Binding interaction of a test's vcrpy cassettes to the contract.

Thin glue: options, marker, fixtures (``binding_contract``, ``binding_faker``, ``fake_binding_api``,
``fake_binding_api_session``, ``binding_contracts_vcr_config``, ``binding_contracts_config``), hooks.
Opt in per test with ``@pytest.mark.binding_contract`` or for every test that uses a cassette with
``--binding-contracts`` / ini ``binding_contracts = true``.
Precedence, decided in :func:`_settings`: marker keywords > the ``binding_contracts_config``
fixture > command line > ini > defaults.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..spec.profiles import PROFILES

if TYPE_CHECKING:
    from faker import Faker

    from ..report import Report

__all__ = [
    "binding_contract",
    "binding_contracts_config",
    "binding_contracts_vcr_config",
    "binding_faker",
    "fake_binding_api",
    "pytest_addoption",
    "pytest_assertrepr_compare",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_runtest_call",
    "pytest_runtest_makereport",
    "pytest_runtest_setup",
    "pytest_runtest_teardown",
    "seed_of",
]

# Loaded by every pytest run of a project that has the package installed: the checking modules and
# vcrpy are imported when a test opts in, not before.

_CASSETTES = pytest.StashKey[list[Any]]()
_DEFERRAL = pytest.StashKey[ExitStack]()
_STATS_KEY = pytest.StashKey[dict[str, Any]]()
_STATS = "binding_contracts"
_SETTINGS = ("profile", "strict_fields", "warnings_as_errors")
_ACTIVE: list[list[Any]] = []
"""The cassette lists of the tests now running, innermost last (pytester nests sessions)."""


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
        choices=PROFILES,
        default=None,
        help="contract profile (ini: binding_contracts_profile; default strict)",
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
        "--binding-contracts-report",
        metavar="PATH",
        default=None,
        help="write a JSON report of every checked interaction (ini: binding_contracts_report)",
    )
    parser.addini("binding_contracts", "check every test that uses a cassette", type="bool", default=False)
    parser.addini("binding_contracts_profile", "strict or published", default="strict")
    parser.addini(
        "binding_contracts_strict_fields", "undocumented members are errors", type="bool", default=False
    )
    parser.addini(
        "binding_contracts_warnings_as_errors", "warnings fail the test", type="bool", default=False
    )
    parser.addini("binding_contracts_report", "path of the JSON report", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "binding_contract(profile='strict', strict_fields=False, warnings_as_errors=False): "
        "check every Binding interaction of the cassettes this test uses",
    )
    config.pluginmanager.register(_Summary(config), "binding_contracts_summary")


class _Summary:
    """Collects every test's statistics (from workers too, under xdist) for the end of session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.operations: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.ignored = 0
        self.silent: set[str] = set()
        self.noisy: set[str] = set()
        self.results: list[dict[str, Any]] = []

    def add(self, stats: dict[str, Any]) -> None:
        self.operations.update(stats["operations"])
        self.rules.update(stats["rules"])
        self.warnings.update(stats["warnings"])
        self.ignored += stats["ignored"]
        self.silent.update(stats["silent"])
        self.noisy.update(stats["noisy"])
        self.results.extend(stats["reports"])

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        stats = getattr(report, _STATS, None)
        if report.when == "call" and isinstance(stats, dict):
            self.add(stats)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.operations and not self.silent:
            return
        tr, silent = terminalreporter, sorted(self.silent - self.noisy)
        tr.section("binding contracts")
        ops = ", ".join(f"{k} {v}" for k, v in sorted(self.operations.items())) or "none"
        tr.write_line(
            f"interactions checked: {sum(self.operations.values())} ({ops}); other(s) ignored: {self.ignored}"
        )
        tr.write_line(
            "rules fired: " + (", ".join(f"{k} x{v}" for k, v in sorted(self.rules.items())) or "none")
        )
        if self.warnings:
            tr.write_line("warnings: " + ", ".join(f"{k} x{v}" for k, v in sorted(self.warnings.items())))
        if silent:
            tr.write_line("cassettes with no Binding traffic: " + ", ".join(silent))
        path = _option(self.config, "binding_contracts_report")
        if path and not hasattr(self.config, "workerinput"):
            doc = {
                "operations": dict(sorted(self.operations.items())),
                "ignored": self.ignored,
                "rules_fired": dict(sorted(self.rules.items())),
                "warnings": dict(sorted(self.warnings.items())),
                "without_binding_traffic": silent,
                "results": self.results,
            }
            Path(path).write_text(json.dumps(doc, indent=2), encoding="utf-8")
            tr.write_line(f"report written to {path}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Opted-in tests get the binding_contracts_config fixture, so that a conftest's override
    # reaches the checking settings even when the test does not ask for it.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if _opted_in(item) and isinstance(names, list) and "binding_contracts_config" not in names:
            names.append("binding_contracts_config")


def _patch_vcr() -> None:
    """Note every cassette a test opens, whichever way (pytest-recording, use_cassette)."""
    try:
        from vcr.cassette import Cassette
    except ImportError:  # pragma: no cover  (vcrpy is optional for the plugin)
        return
    if getattr(Cassette.load, "_binding_contracts", False):
        return
    original = Cassette.load.__func__

    def load(cls: Any, /, **kwargs: Any) -> Any:
        cassette = original(cls, **kwargs)
        if _ACTIVE:
            _ACTIVE[-1].append(cassette)
        return cassette

    load._binding_contracts = True  # type: ignore[attr-defined]
    Cassette.load = classmethod(load)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    item.stash[_DEFERRAL] = deferral = ExitStack()
    if _opted_in(item):
        from ..traffic.recording import deferred_to_plugin

        _patch_vcr()  # before the fixtures that open cassettes (pytest-recording's vcr) run
        # This test's cassettes are checked after its body, in the one failure format: the
        # recording hooks of vcr_config() leave them to it.
        deferral.enter_context(deferred_to_plugin())
    item.stash[_CASSETTES] = []
    _ACTIVE.append(item.stash[_CASSETTES])
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    try:
        return (yield)
    finally:
        item.stash[_DEFERRAL].close()
        mine = item.stash.get(_CASSETTES, None)
        _ACTIVE[:] = [active for active in _ACTIVE if active is not mine]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    settings = _settings(item)
    cassettes = item.stash.get(_CASSETTES, [])
    if settings is None or not cassettes:
        return result
    reports, stats = _check(
        cassettes, settings, with_reports=bool(_option(item.config, "binding_contracts_report"))
    )
    # Carried on the call's TestReport (see pytest_runtest_makereport), which pytest-xdist sends
    # from its workers as it is: the controller sums them up for the one summary.
    item.stash[_STATS_KEY] = json.loads(json.dumps(stats))
    item.user_properties.append(("binding_contracts_checked", len(reports)))
    failing = [r for r in reports if not r.ok or (settings["warnings_as_errors"] and r.warnings)]
    item.user_properties.append(("binding_contracts_violations", sum(len(r.violations) for r in failing)))
    if failing:
        from ..report import failure_text

        every = settings["warnings_as_errors"]
        found = (v for r in failing for v in (r.findings if every else r.violations))
        pytest.fail(failure_text(found), pytrace=False)
    return result


def _settings(item: pytest.Item) -> dict[str, Any] | None:
    """The checking settings of a test, or None when it did not opt in."""
    if not _opted_in(item):
        return None
    config, marker = item.config, item.get_closest_marker("binding_contract")
    settings = {
        "profile": _option(config, "binding_contracts_profile"),
        "strict_fields": _option(config, "binding_contracts_strict_fields"),
        "warnings_as_errors": _option(config, "binding_contracts_warnings_as_errors"),
    }
    fixture_config = getattr(item, "funcargs", {}).get("binding_contracts_config")
    if isinstance(fixture_config, dict):
        settings.update({k: v for k, v in fixture_config.items() if k in _SETTINGS})
    if marker is not None:
        settings.update({k: v for k, v in marker.kwargs.items() if k in _SETTINGS})
    return settings


def _opted_in(item: pytest.Item) -> bool:
    """Whether a test asked to be checked: the marker, or ``--binding-contracts`` / the ini."""
    marked = item.get_closest_marker("binding_contract") is not None
    return marked or bool(_option(item.config, "binding_contracts"))


def _option(config: pytest.Config, name: str) -> Any:
    value = config.getoption("--" + name.replace("_", "-"))
    return config.getini(name) if value is None else value


def _check(
    cassettes: list[Any], settings: dict[str, Any], *, with_reports: bool
) -> tuple[list[Report], dict[str, Any]]:
    from ..errors import InputError
    from ..report import Report, Violation
    from ..traffic.cassettes import from_vcr
    from ..traffic.interactions import Session, check_interaction

    reports: list[Report] = []
    stats: dict[str, Any] = {
        "operations": Counter(),
        "rules": Counter(),
        "warnings": Counter(),
        "ignored": 0,
        "silent": [],
        "noisy": [],
        "reports": [],
    }
    for cassette in cassettes:
        path = str(getattr(cassette, "_path", "cassette"))
        session, before = Session(), len(reports)
        for index, (request, response) in enumerate(list(cassette.data)):
            try:
                interaction = from_vcr(path, index, request, response)
            except InputError as exc:
                reports.append(
                    Report.of(
                        [Violation("response.json", "", exc.problem, source=exc.source)],
                        kind=None,
                        profile=settings["profile"],
                        source=exc.source,
                    )
                )
                continue
            report = check_interaction(
                interaction,
                profile=settings["profile"],
                strict_fields=settings["strict_fields"],
                session=session,
            )
            if report is None:
                stats["ignored"] += 1
            else:
                reports.append(report)
        stats["operations"].update(session.counts)
        (stats["silent"] if len(reports) == before else stats["noisy"]).append(path)
    # A warning that fails the test (warnings as errors) is counted where the errors are: the summary's
    # "rules fired" lists what failed tests, "warnings" what was only reported.
    promoted = bool(settings["warnings_as_errors"])
    for report in reports:
        stats["rules"].update(v.rule for v in (report.findings if promoted else report.violations))
        stats["warnings"].update(() if promoted else (v.rule for v in report.warnings))
        if with_reports:  # only the JSON report file wants every checked interaction
            stats["reports"].append(report.to_dict())
    return reports, stats


@pytest.fixture
def binding_contracts_config() -> dict[str, Any]:
    """Override in a conftest to set ``profile``, ``strict_fields`` or ``warnings_as_errors``
    for the tests it covers (like pytest-recording's ``vcr_config``)."""
    return {}


@pytest.fixture
def binding_contract() -> Any:
    """``binding_contract(response_or_payload, kind="auto", **check_options)``: the report when the
    payload keeps the contract; a failed assertion listing every violation when it does not.

    A ``requests`` or ``httpx`` response is judged with the request it carries, as
    :func:`~binding_contracts.traffic.exchanges.check_response` judges it (the operation gives the kind; a
    fetch of one sid answered with another fails); its body alone, with ``kind`` and the options,
    when the request is no Binding operation."""
    from ..checking.entry import validate
    from ..errors import ContractViolation
    from ..traffic.exchanges import interaction_of
    from ..traffic.interactions import check_interaction

    def judge(subject: Any, kind: str = "auto", **options: Any) -> Report:
        __tracebackhide__ = True
        if not hasattr(subject, "status_code"):
            return validate(subject, kind, **options)
        exchange = interaction_of(subject)
        report = check_interaction(
            exchange,
            profile=options.get("profile", "strict"),
            strict_fields=options.get("strict_fields", False),
        )
        if report is None:
            return validate(exchange.body or b"", kind, **options)
        if not report.ok:
            raise ContractViolation(report)
        return report

    return judge


@pytest.fixture(scope="session")
def binding_contracts_vcr_config() -> dict[str, Any]:
    """``vcr.VCR`` keyword arguments that record safely
    (:func:`binding_contracts.traffic.recording.vcr_config`).

    Session-scoped, so that a ``vcr_config`` fixture of any scope can use it; pytest-recording users,
    in a conftest::

        @pytest.fixture(scope="module")
        def vcr_config(binding_contracts_vcr_config):
            return binding_contracts_vcr_config
    """
    from ..traffic.recording import vcr_config

    return vcr_config()


@pytest.fixture
def fake_binding_api() -> Iterator[Any]:
    """A running :class:`~binding_contracts.fake.FakeBindingAPI` (seed 0), stopped after the test."""
    from ..fake import FakeBindingAPI

    with FakeBindingAPI(seed=0) as api:
        yield api


@pytest.fixture(scope="session")
def fake_binding_api_session() -> Iterator[Any]:
    """One running :class:`~binding_contracts.fake.FakeBindingAPI` (seed 0) for the whole session.

    Session-scoped, so Hypothesis's ``@given`` accepts it (its health check refuses a
    function-scoped fixture, which would not be set up again between examples). Its state is shared
    by every test and example that uses it: call ``.reset()`` where one needs the fake as seeded
    (same server, port and credentials)."""
    from ..fake import FakeBindingAPI

    with FakeBindingAPI(seed=0) as api:
        yield api


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: Any, right: Any) -> list[str] | None:
    """``assert report == ...`` or ``assert report.violations == []`` prints the findings."""
    report_module = sys.modules.get("binding_contracts.report")
    if report_module is None:
        return None  # no report exists before its module is loaded
    for side in (left, right):
        if isinstance(side, report_module.Report):
            return [f"{side.source or 'payload'} ({side.kind}) {op} ...", *[v.line() for v in side.findings]]
        if isinstance(side, list) and side and all(isinstance(v, report_module.Violation) for v in side):
            return [f"{len(side)} contract finding(s):", *[v.line() for v in side]]
    return None


_SEED = pytest.StashKey[int]()


def seed_of(nodeid: str) -> int:
    """The seed of a test: a hash of its node id (not ``hash()``, which changes per process), so a
    test gets the same data on every run and every test its own."""
    return int.from_bytes(hashlib.sha256(nodeid.encode("utf-8")).digest()[:4], "big")


@pytest.fixture
def binding_faker(request: pytest.FixtureRequest) -> Faker:
    """A Faker with :class:`~binding_contracts.generation.provider.BindingProvider`, seeded for this test; the
    seed is shown in the report of a failing test, and recorded as the property ``binding_faker_seed``."""
    from .._extras import needs

    with needs("generate", "the binding_faker fixture"):
        from faker import Faker

        from ..generation.provider import BindingProvider

    seed = seed_of(request.node.nodeid)
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(seed)
    request.node.stash[_SEED] = seed
    request.node.user_properties.append(("binding_faker_seed", seed))
    return fake


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:

    report = yield
    recording = sys.modules.get("binding_contracts.traffic.recording")
    if (
        recording is not None
        and call.excinfo is not None
        and call.excinfo.errisinstance(recording.RecordingViolation)
    ):
        # raised by the recording hooks (vcrpy's load at set-up, or a request in the body): the
        # plugin's one failure format, not a traceback through vcrpy
        report.longrepr = str(call.excinfo.value)
    if call.when == "call" and _STATS_KEY in item.stash:
        setattr(report, _STATS, item.stash[_STATS_KEY])
    seed = item.stash.get(_SEED, None)
    if seed is not None and report.failed:
        report.sections.append(
            (
                "binding_faker",
                f"binding_faker seed: {seed} (the same on every run of this test; elsewhere: "
                f"fake = Faker(); fake.add_provider(BindingProvider); fake.seed_instance({seed}))",
            )
        )
    return report
