"""``--binding-contracts-usage FILE``: which members of which Binding kinds the tests' code reads,
recorded while they run and written, merged across pytest-xdist workers, at the end of the session.
Loaded only when the option is given (:mod:`..traffic.usage` does the tracing)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Final

import pytest

from ..traffic.usage import TRACER, Usage, trace_responses, trace_sdk, write_usage

ATTRIBUTE: Final = "binding_contracts_usage"
"""The attribute of a test's teardown report that carries its reads (plain JSON types)."""


class Recorder:
    """Traces each test's reads and gathers them from every test's reports (every worker's too)."""

    def __init__(self, config: pytest.Config, path: str) -> None:
        self.config, self.path, self.usage = config, path, Usage()
        self.traced = trace_sdk()
        trace_responses()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        TRACER.start(item.nodeid)
        try:
            return (yield)
        finally:
            TRACER.finish()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if call.when == "teardown" and TRACER.test == item.nodeid:
            reads = {kind: sorted(members) for kind, members in TRACER.reads.items()}
            setattr(report, ATTRIBUTE, reads)
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        reads = getattr(report, ATTRIBUTE, None)
        if report.when == "teardown" and isinstance(reads, dict):
            self.usage.update(
                {kind: {m: [report.nodeid] for m in members} for kind, members in reads.items()}
            )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(self.config, "workerinput"):
            return  # a worker: the controller has every worker's reports
        write_usage(self.path, self.usage)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(self.config, "workerinput"):
            return
        read = sum(len(members) for members in self.usage.kinds.values())
        terminalreporter.write_line(f"binding contracts: {read} member read(s) recorded to {self.path}")
