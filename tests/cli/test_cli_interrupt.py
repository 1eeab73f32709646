"""Ctrl-C (SIGINT) while a command is under way: one line on stderr and exit 130, no traceback;
``serve`` stopped by Ctrl-C once it serves exits 0 (stopping it is how it ends)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, shell_sigint

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="POSIX signals")]

INTERRUPTED = "binding-contracts: interrupted\n"


def interrupted_in(module: str, function: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line run in a process that sends itself SIGINT when ``module.function`` is first
    called: the signal arrives at that point of the work, on every run."""
    code = textwrap.dedent(
        f"""
        import os, signal, sys
        import {module} as target
        from binding_contracts.cli import main
        original = target.{function}
        def interrupt(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGINT)
            return original(*args, **kwargs)
        target.{function} = interrupt
        sys.argv = ["binding-contracts", *{list(argv)!r}]
        main()
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, preexec_fn=shell_sigint
    )


class TestInterrupted:
    def test_serve_interrupted_while_loading_cassettes_is_one_line_and_130(self) -> None:
        done = interrupted_in(
            "binding_contracts.fake.recorded", "read", "serve", "--from-cassettes", str(ROOT / "cassettes")
        )
        assert (done.returncode, done.stderr, done.stdout) == (130, INTERRUPTED, "")

    def test_check_interrupted_while_reading_is_one_line_and_130(self) -> None:
        done = interrupted_in(
            "binding_contracts.traffic.cassette_files", "load", "check", str(ROOT / "cassettes")
        )
        assert (done.returncode, done.stderr) == (130, INTERRUPTED)

    def test_serve_stopped_by_ctrl_c_once_it_serves_exits_0(self) -> None:
        with subprocess.Popen(  # its pipes closed however the test ends
            [str(Path(sys.executable).parent / "binding-contracts"), "serve", "--no-auth"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=shell_sigint,
        ) as server:
            try:
                assert server.stdout is not None
                assert server.stdout.readline().startswith("serving the Binding API on http://127.0.0.1:")
                server.send_signal(signal.SIGINT)
                _, err = server.communicate(timeout=60)
            finally:
                server.kill()
        assert (server.returncode, err) == (0, "")
