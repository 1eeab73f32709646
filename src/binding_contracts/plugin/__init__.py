"""The pytest plugin: hold every Binding interaction of a test's vcrpy cassettes to the contract.

The entry point (``pytest11``) and its hooks; options and settings in :mod:`.options`, fixtures in
:mod:`.fixtures`, the cassettes a test opened, file by file, in :mod:`.opened`, their checking in
:mod:`.judged`. Opt in per test with ``@pytest.mark.binding_contract`` or for every test that
uses a cassette with ``--binding-contracts`` / ini ``binding_contracts = true``. Precedence, decided in
:func:`.options.settings`: marker keywords > the ``binding_contracts_config`` fixture > command
line > ini > defaults.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Generator, Iterator, Sequence
from contextlib import ExitStack
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from ..spec.profiles import PROFILES, profile_arg
from .fixtures import (
    SEED,
    binding_contract,
    binding_contracts_config,
    binding_contracts_vcr_config,
    binding_faker,
    fake_binding_api,
    fake_binding_api_session,
    seed_of,
)
from .options import OPENED, opted_in, option, pytest_addoption, settings
from .robustness import MARKER, Robustness, binding_robustness_api

if TYPE_CHECKING:
    from ..traffic.tally import Tally

__all__ = [
    "binding_contract",
    "binding_contracts_config",
    "binding_contracts_vcr_config",
    "binding_faker",
    "binding_robustness_api",
    "fake_binding_api",
    "fake_binding_api_session",
    "pytest_addoption",
    "pytest_assertrepr_compare",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_recording_configure",
    "pytest_runtest_call",
    "pytest_runtest_makereport",
    "pytest_runtest_setup",
    "pytest_runtest_teardown",
    "seed_of",
]

# Loaded by every pytest run of a project that has the package installed: the checking modules,
# the tally and vcrpy are imported when a test opts in, not before (.judged imports them).

_OPENED = pytest.StashKey[list[Any]]()
"""The cassettes a test opened (:class:`.opened.Opened`), when they are noted."""
_RECORDING = pytest.StashKey[list[Any]]()
"""The persisters the plugin gave pytest-recording's VCRs for a test (:class:`.opened.Noting`)."""
_DEFERRAL = pytest.StashKey[ExitStack]()
_TALLY = pytest.StashKey[dict[str, Any]]()
_UNUSED = pytest.StashKey[bool]()
"""Set when the session lists the cassettes no test opened: every test's cassettes are noted."""
_ATTRIBUTE = "binding_contracts"
"""The attribute of a call's TestReport that carries the test's tally (as plain JSON types)."""
_ACTIVE: list[pytest.Item] = []
"""The tests now running, innermost last (pytester nests sessions)."""


def _noted() -> list[Any] | None:
    """Where the cassettes opened now are noted: the innermost running test's list, if it notes them."""
    return _ACTIVE[-1].stash.get(_OPENED, None) if _ACTIVE else None


def pytest_configure(config: pytest.Config) -> None:
    _import_library_plainly(config)  # before anything below imports a module of the library
    config.addinivalue_line(
        "markers",
        "binding_contract(profile='strict', strict_fields=False, warnings_as_errors=False, "
        "require_redacted=False): "
        "check every Binding interaction of the cassettes this test uses",
    )
    config.pluginmanager.register(_Summary(config), "binding_contracts_summary")
    config.addinivalue_line("markers", MARKER)
    config.pluginmanager.register(Robustness(config), "binding_contracts_robustness")
    usage = config.getoption("--binding-contracts-usage")
    if usage:
        from .usage import Recorder

        config.pluginmanager.register(Recorder(config, usage), "binding_contracts_usage")
    if option(config, "binding_contracts_spec"):
        from .spec import use_spec

        use_spec(config)
    profile = option(config, "binding_contracts_profile")
    if not isinstance(profile, str) or profile not in PROFILES:
        from ..errors import UsageError
        from ..spec.schemas import check_profile

        try:  # a profile file is read once, at the start: a bad one stops the run with its one line
            check_profile(profile_arg(profile) if isinstance(profile, str) else profile)
        except UsageError as exc:
            raise pytest.UsageError(f"binding-contracts: {exc}") from None
    mode = option(config, "binding_contracts_unused")
    if mode:
        from .unused import MODES, Unused

        if mode not in MODES:
            raise pytest.UsageError(f"Got binding_contracts_unused={mode!r}, but expected one of warn, fail")
        config.stash[_UNUSED] = True
        config.pluginmanager.register(Unused(config, mode), "binding_contracts_unused")


class _Summary:
    """Sums every test's tally (from workers too, under xdist) for the end of the session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tally: Tally | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        wire = getattr(report, _ATTRIBUTE, None)
        if report.when == "call" and isinstance(wire, dict):
            from ..traffic.tally import Tally

            if self.tally is None:
                self.tally = Tally()
            self.tally.update(Tally.from_wire(wire))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tally, tr = self.tally, terminalreporter
        if tally is None or not tally.traffic:
            return
        tr.section("binding contracts")
        for line in tally.session_lines():
            tr.write_line(line)
        path = option(self.config, "binding_contracts_report")
        if path and not hasattr(self.config, "workerinput"):
            Path(path).write_text(json.dumps(tally.session_report(), indent=2), encoding="utf-8")
            tr.write_line(f"report written to {path}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Opted-in tests get the binding_contracts_config fixture, so that a conftest's override
    # reaches the checking settings even when the test does not ask for it.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if opted_in(item) and isinstance(names, list) and "binding_contracts_config" not in names:
            names.append("binding_contracts_config")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    item.stash[_DEFERRAL] = deferral = ExitStack()
    checked = opted_in(item)
    if checked or item.config.stash.get(_UNUSED, False):
        from .opened import before_load
        from .vcrpy_private import watch_loads

        # before the fixtures that open cassettes (pytest-recording's vcr) run
        watch_loads(before_load(_noted))
        item.stash[_OPENED] = []
        item.stash[_RECORDING] = []
    if checked:
        from ..traffic.deferral import deferred_to_plugin

        # This test's cassettes are checked after its body, in the one failure format: the
        # recording hooks of vcr_config() leave them to it.
        deferral.enter_context(deferred_to_plugin())
    _ACTIVE.append(item)
    return (yield)


@pytest.hookimpl(optionalhook=True, trylast=True)
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    """pytest-recording's hook, called with the ``VCR`` that opens a test's cassette: a noted test
    gets its loads noted, through a persister over the one pytest-recording chose (or a conftest's
    implementation of this hook registered: this one runs last)."""
    notes = _noted()
    if notes is None or not _ACTIVE or _ACTIVE[-1].config is not config:
        return
    from .opened import Noting

    persister = Noting(vcr.persister, notes)
    vcr.register_persister(persister)
    _ACTIVE[-1].stash[_RECORDING].append(persister)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    try:
        result = yield
        if _TALLY in item.stash:  # judged: its cassettes, saved now, named as saved (see .opened)
            for opened in item.stash.get(_OPENED, []):
                if opened.moved():
                    item.warn(pytest.PytestWarning(_moved(opened.path)))
        return result
    finally:
        item.stash[_DEFERRAL].close()
        _ACTIVE[:] = [active for active in _ACTIVE if active is not item]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    recording = item.stash.get(_RECORDING, [])
    if recording:
        from .opened import attach

        for persister in recording:  # the cassette pytest-recording's vcr fixture opened (saved at teardown)
            attach(persister, getattr(item, "funcargs", {}).get("vcr"))
    result = yield
    chosen = settings(item)
    opened = item.stash.get(_OPENED, [])
    if chosen is None or not opened:
        return result
    from .judged import check

    reports, tally = check(opened, chosen, keep=bool(option(item.config, "binding_contracts_report")))
    # Carried on the call's TestReport (see pytest_runtest_makereport), which pytest-xdist sends
    # from its workers as it is: the controller sums them up for the one summary.
    item.stash[_TALLY] = tally.to_wire()
    item.user_properties.append(("binding_contracts_checked", tally.checked))
    item.user_properties.append(("binding_contracts_violations", tally.violations))
    if tally.violating:
        from ..report import failure_text

        every = chosen["warnings_as_errors"]
        failing = (r for r in reports if not r.ok or (every and r.warnings))
        found = (v for r in failing for v in (r.findings if every else r.violations))
        pytest.fail(failure_text(found), pytrace=False)
    return result


def _moved(path: str) -> str:
    from .._printable import printable

    return printable(
        f"binding-contracts: {path} was saved otherwise than when the test's body ended (a request in "
        f"a fixture's teardown?): this test's findings name its interactions where the save would "
        f"have put them then; `binding-contracts check` names them in the file as saved"
    )


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: Any, right: Any) -> list[str] | None:
    """``assert report == ...`` or ``assert report.violations == []`` prints the findings."""
    report_module = sys.modules.get("binding_contracts.report")
    if report_module is None:
        return None  # no report exists before its module is loaded
    for side in (left, right):
        if isinstance(side, report_module.Report):
            from .._printable import printable

            head = printable(f"{side.source or 'payload'} ({side.kind}) {op} ...")
            return [head, *[v.line() for v in side.findings]]
        if isinstance(side, list) and side and all(isinstance(v, report_module.Violation) for v in side):
            return [f"{len(side)} contract finding(s):", *[v.line() for v in side]]
    return None


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
    if call.when == "call" and _TALLY in item.stash:
        setattr(report, _ATTRIBUTE, item.stash[_TALLY])
    if item.config.stash.get(_UNUSED, False):
        # On every phase's report (a cassette opened at set-up counts if the test then fails there),
        # as plain strings: pytest-xdist sends a worker's reports to the controller as they are.
        setattr(report, OPENED, [path for c in item.stash.get(_OPENED, []) for path in c.used()])
    if call.when == "teardown":
        _release(item)
    seed = item.stash.get(SEED, None)
    if seed is not None and report.failed:
        report.sections.append(
            (
                "binding_faker",
                f"binding_faker seed: {seed} (the same on every run of this test; elsewhere: "
                f"fake = Faker(); fake.add_provider(BindingProvider); fake.seed_instance({seed}))",
            )
        )
    return report


def _release(item: pytest.Item) -> None:
    """Let go of what the plugin held for a test once its last report is made: pytest keeps every
    item to the end of the session, and the cassettes it opened, as loaded, would stay with it (a
    heap that grows with the suite, for every garbage collection to walk)."""
    for opened in item.stash.get(_OPENED, []):
        # vcrpy's cassette holds the persister that holds this: no cycle left, nor what it saved
        opened.cassette = opened.saved = opened.predicted = None
    if _OPENED in item.stash:
        del item.stash[_OPENED], item.stash[_RECORDING]
    if _TALLY in item.stash:
        del item.stash[_TALLY]


# -- the library loaded from its bytecode ------------------------------------------------------------
#
# pytest rewrites the ``assert`` statements of every module of a ``pytest11`` plugin's distribution:
# all of ``binding_contracts``, not only this package. Its loader reads, parses and compiles each
# such module from source, and caches what it wrote only where it may write bytecode: under
# ``PYTHONDONTWRITEBYTECODE`` (many CI images set it) or in a read-only install, every pytest run
# that checks a cassette compiled the ~50 checking modules again. The library's few asserts are
# internal invariants whose message no test reads. pytest has no public switch for a plugin to leave
# part of its distribution alone (``PYTEST_DONT_REWRITE`` in a docstring skips the rewrite, not the
# parse and compile; ``--assert=plain`` is the user's, for every module). So, with Python's public
# import protocol only, a finder placed before pytest's in ``sys.meta_path`` answers for the
# library's modules what Python's own path finder answers, and pytest's hook is not asked about
# them. Nothing of pytest's is read or changed: if pytest rewrote otherwise, the library would still
# load as Python loads it.

_LIBRARY = __name__.partition(".")[0]


class Library(MetaPathFinder):
    """Finds the library's modules (``binding_contracts`` and below, less this package, which
    pytest rewrites as it does every plugin) as Python's path finder finds them; None for others."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != _LIBRARY and not fullname.startswith(_LIBRARY + "."):
            return None
        if fullname == __name__ or fullname.startswith(__name__ + "."):
            return None
        return PathFinder.find_spec(fullname, path, target)


def _import_library_plainly(config: pytest.Config) -> None:
    """Put a :class:`Library` finder first in ``sys.meta_path`` for this pytest run (removed with
    its configuration); nothing under ``--assert=plain``, where nothing is rewritten."""
    if config.getoption("--assert", "rewrite") == "plain":
        return
    finder = Library()
    sys.meta_path.insert(0, finder)

    def remove() -> None:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)

    config.add_cleanup(remove)
