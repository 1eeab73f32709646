"""The cassettes no test of the session opened (``--binding-contracts-unused=warn|fail``).

"The session's cassette directories" are the directories of the cassettes its tests opened
(pytest-recording's ``cassettes/<module>/``, a ``cassette_library_dir``); a cassette file in one of
them (``*.yaml``, ``*.yml``, ``*.json``, not in subdirectories) that no test opened is unused. Under
pytest-xdist each worker's tests send the paths they opened on their reports, and the controller
decides. A run of part of the suite (``-k``, one test) lists the cassettes of the tests it left out:
the option is meant for a run of the whole suite.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

import pytest

from .options import OPENED

__all__ = ["MODES", "Unused", "unused"]

MODES: Final = ("warn", "fail")


class Unused:
    """Collects the cassettes opened, from every test's reports, and lists the others at the end."""

    def __init__(self, config: pytest.Config, mode: str) -> None:
        self.config = config
        self.mode = mode
        self.opened: set[str] = set()
        self.unused: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        opened = getattr(report, OPENED, None)
        if isinstance(opened, list):
            self.opened.update(str(path) for path in opened)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(self.config, "workerinput"):
            return  # a worker: the controller has every worker's reports
        self.unused = unused(self.opened)
        if self.unused and self.mode == "fail" and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.unused:
            return
        tr, root = terminalreporter, self.config.rootpath
        tr.section("binding contracts: unused cassettes")
        for path in self.unused:
            tr.write_line(_shown(path, root))
        verdict = "the session fails" if self.mode == "fail" else "a warning"
        count = len(self.unused)
        tr.write_line(f"{count} cassette(s) no test opened ({verdict}: --binding-contracts-unused)")


def unused(opened: set[str]) -> list[str]:
    """The cassette files in the directories of ``opened`` that are not in it, sorted: those
    ``binding-contracts check`` finds (:data:`..traffic.cassette_files.SUFFIXES`)."""
    from ..traffic.cassette_files import SUFFIXES  # at the session's end, once

    folders = {os.path.dirname(path) for path in opened}
    found: list[str] = []
    for folder in sorted(folders):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(SUFFIXES) and path not in opened and os.path.isfile(path):
                found.append(path)
    return found


def _shown(path: str, root: Path) -> str:
    """The path relative to the rootdir when under it, one printable line (a file name may hold
    anything)."""
    from .._printable import printable

    try:
        return printable(str(Path(path).relative_to(root)))
    except ValueError:
        return printable(path)
