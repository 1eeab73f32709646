"""The README and the docs pages, followed from the wheel: installed into fresh venvs with the base
dependencies alone and with each extra, every example runs where its extras are installed and, where
they are not, fails with one line naming what to install.

Every Python and console block of README.md and of docs/*.md (all of them: rules.md, generated, holds
text blocks only) is listed in ``PYTHON`` or ``CONSOLE`` (a new block that is not, or a block written
twice, fails the test): how it runs, and which extras it needs. A block a page includes from the README
(``{include}``) is the README's. Packages come from the package index through uv's cache; nothing else
leaves the machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT
from wheels import Venv, make_venv, session_wheel

pytestmark = pytest.mark.slow

PAGES = {
    p.relative_to(ROOT).as_posix(): p.read_text("utf-8")
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
}
"""The text of each page whose examples run: the README and every docs page."""
INSTALLS = {
    "base": frozenset(),
    "generate": frozenset({"generate"}),
    "fake": frozenset({"fake", "generate", "live"}),
    "live": frozenset({"live"}),
    "pytest": frozenset({"pytest"}),
    "all": frozenset({"generate", "fake", "live", "pytest"}),
}
"""Each install of the matrix, and the extras it holds (``fake`` brings ``generate`` and ``live``)."""


@dataclass(frozen=True)
class How:
    """How a block runs: ``run`` (the block as a script), ``imports`` (its import lines: the
    rest uses names of the reader's code), ``pytest`` (a test module), ``conftest`` (a conftest.py of
    pytest-recording tests replaying a kept and a broken cassette), ``console`` (each ``$``
    command, its output compared), ``serve`` (the first line it prints), ``skip`` (``why``)."""

    mode: str
    needs: frozenset[str] = frozenset()
    why: str = ""


PYTHON = {
    "report = check(payload)": How("run"),
    "def test_my_code_gets_the_bindings_of_a_user": How("pytest", frozenset({"fake", "pytest"})),
    "from binding_contracts.strategies import": How("imports", frozenset({"generate"})),
    "check(page, request=(": How("skip", why="a fragment: page and response are the reader's"),
    "fake.add_provider(BindingProvider)": How("run", frozenset({"generate"})),
    "def test_my_client_reads_a_page": How("skip", why="MyClient is the reader's own code"),
    "def sorted_types(binding):": How(
        "skip", why="it fails by design: tests/generation/test_published.py runs it"
    ),
    "with FakeBindingAPI(seed=1) as api": How("run", frozenset({"fake"})),
    "spec_2024 = profile_from_spec(": How("skip", why="a fragment: the body and the spec are the reader's"),
    'FakeBindingAPI.from_cassettes("cassettes/")': How("run", frozenset({"fake"})),
    "from binding_contracts.live import": How("imports", frozenset({"live"})),
    "CheckingHttpClient(redirect_to=": How("skip", why="a fragment: the URL and credentials serve printed"),
    "my_vcr = vcr.VCR(": How("run", frozenset({"pytest"})),
    "recorder = vcr.VCR(": How("run", frozenset({"fake", "pytest"})),
    "def test_one_binding_per_identity": How("pytest", frozenset({"fake", "pytest"})),
    "    return binding_contracts_vcr_config": How("conftest", frozenset({"pytest", "live"})),
    "    return binding_vcr_config(redact_pii=True)": How("conftest", frozenset({"pytest", "live"})),
    "# inventory.py": How("skip", why="the worked example's consumer: the next block tests it"),
    "# test_inventory.py": How(
        "skip", why="imports the block before it: tests/plugin/robustness/suite.py plants the same bug"
    ),
    'vcr.use_cassette("failures/': How(
        "skip", why="replays a cassette a robustness run writes: test_plugin_robustness.py replays one"
    ),
}
CONSOLE = {
    "cd examples && binding-contracts validate": How("console"),
    "binding-contracts fixtures --kind binding --count 3 --seed 7": How("console"),
    "binding-contracts fixtures --kind conversations-binding": How("console"),
    "binding-contracts migrate-check": How("console"),
    "binding-contracts serve --seed": How("serve", frozenset({"fake"})),
    "binding-contracts serve --from-cassettes": How("serve", frozenset({"fake"})),
    "binding-contracts drift": How("skip", why="a spec edited by hand: test_drift_cli.py runs it"),
    "binding-contracts check cassettes/": How("console"),
    "binding-contracts redact cassettes/": How("console"),
}


def blocks(language: str) -> Iterator[tuple[str, str]]:
    """``(page, block)`` of each ``language`` block of every page."""
    for page, text in PAGES.items():
        found = re.findall(rf"^( *)```{language}\n(.*?)^ *```", text, flags=re.DOTALL | re.MULTILINE)
        for indent, block in found:
            yield page, textwrap.dedent(block) if indent else block


def examples() -> Iterator[tuple[str, tuple[str, str]]]:
    """``(the key of its entry in PYTHON or CONSOLE, or its first line, (page, block))`` of each block."""
    for language, table in (("python", PYTHON), ("console", CONSOLE)):
        for page, block in blocks(language):
            keys = [k for k in table if k in block]
            yield (keys[0] if len(keys) == 1 else block.splitlines()[0]), (page, block)


FOUND = list(examples())
EXAMPLES = dict(FOUND)
HOW = {**PYTHON, **CONSOLE}


def test_every_example_is_classified_once() -> None:
    """A block no entry names (or that two name) is listed by its first line: classify it above; a key
    listed twice is a block written on two pages (include it from one instead)."""
    assert sorted(key for key, _ in FOUND) == sorted(HOW)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_wheel(tmp_path_factory)


@pytest.fixture(scope="module", params=sorted(INSTALLS))
def venv(
    request: pytest.FixtureRequest, wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Venv]:
    install: str = request.param
    env = make_venv(tmp_path_factory.mktemp(f"venv-{install}"))
    extra = "" if install == "base" else f"[{install}]"
    env.install(f"binding-contracts{extra} @ {wheel.as_uri()}")
    return install, env


def shell(env: Venv, script: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env.env(), capture_output=True, text=True, timeout=timeout
    )


def commands(block: str) -> list[tuple[str, str]]:
    """``(command, the output the page shows for it)`` for each ``$`` line of a console block."""
    out: list[tuple[str, str]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append((line[2:].split("    #")[0], ""))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line + "\n")
    return out


def names_a_lacking_extra(line: str, lacking: frozenset[str]) -> bool:
    """The line a run without an extra fails with: ours names the extra; a module the example imports
    itself (``import vcr``) is Python's own ``No module named``."""
    return (
        any(f"install binding-contracts[{extra}]" in line for extra in lacking) or "No module named" in line
    )


def prose_output(page: str, block: str) -> str:
    """What a page says a Python block prints: the code span after "prints" below the block."""
    after = PAGES[page].split(block, 1)[1]
    found = re.search(r"prints `([^`]*)`", after)
    assert found is not None
    return " ".join(found.group(1).split())


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_each_example_runs_where_its_extras_are_and_names_them_where_not(
    key: str, venv: Venv, tmp_path: Path
) -> None:
    (page, block), h = EXAMPLES[key], HOW[key]
    if h.mode == "skip":
        pytest.skip(h.why)
    install, env = venv
    lacking = h.needs - INSTALLS[install]
    if h.mode == "console":
        run_console(block, env, tmp_path)
        return
    if h.mode == "serve":
        run_serve(block, env, tmp_path, lacking)
        return
    if h.mode == "conftest":
        recording_tests(block, tmp_path)
    code = block
    if "cassettes/" in code:  # the bundled recordings, where a page reads them
        shutil.copytree(ROOT / "cassettes", tmp_path / "cassettes")
    if h.mode == "imports":
        code = "\n".join(line for line in block.splitlines() if re.match(r"(from|import) ", line))
    tests = h.mode in ("pytest", "conftest")
    if h.mode != "conftest":
        script = tmp_path / ("test_docs_example.py" if tests else "example.py")
        script.write_text(code, encoding="utf-8")
    runner = "python -m pytest -q -p no:cacheprovider" if tests else "python example.py"
    result = shell(env, runner, tmp_path)
    if lacking:
        assert result.returncode != 0
        lines = (result.stderr + result.stdout).strip().splitlines()
        if tests:  # the error is in pytest's report
            assert any(names_a_lacking_extra(line, lacking) for line in lines), result.stdout
        else:
            assert names_a_lacking_extra(lines[-1], lacking), result.stderr
        return
    if h.mode == "conftest":  # the broken cassette fails its test with the plugin's report, nothing else
        summary = result.stdout.strip().splitlines()[-1]
        assert re.match(r"1 failed, 1 passed in ", summary), result.stdout
        assert "Binding contract violated:" in result.stdout
        failure = r"test_a_broken_answer_fails\.yaml#1 GET https://\S+: /url: binding\.url-sid: "
        assert re.search(failure, result.stdout), result.stdout
        return
    if key == "report = check(payload)":  # the README shows its output and the failure that follows
        assert " ".join(result.stdout.split()) == prose_output(page, block)
        assert "binding_contracts.errors.ContractViolation: " in result.stderr
        return
    assert result.returncode == 0, result.stdout + result.stderr


REPLAY = """
import pytest
import requests

@pytest.mark.vcr
@pytest.mark.binding_contract
def test_a_kept_contract_passes():
    for method, uri in {kept!r}:
        requests.request(method, uri, timeout=5)

@pytest.mark.vcr
@pytest.mark.binding_contract
def test_a_broken_answer_fails():
    for method, uri in {broken!r}:
        requests.request(method, uri, timeout=5)
"""
CASSETTES = {
    "test_a_kept_contract_passes": "fetch-delete-fetch",
    "test_a_broken_answer_fails": "injected-fault",
}


def recording_tests(conftest: str, folder: Path) -> None:
    """The page's conftest.py, and pytest-recording tests that replay (record mode none) a kept
    cassette and one whose fetch breaks binding.url-sid."""
    (folder / "conftest.py").write_text(conftest, encoding="utf-8")
    (folder / "cassettes" / "test_replay").mkdir(parents=True)
    calls = {}
    for test, cassette in CASSETTES.items():
        text = (ROOT / "cassettes" / f"{cassette}.yaml").read_text("utf-8")
        calls[test] = re.findall(r"^    method: (\w+)\n    uri: (\S+)$", text, flags=re.MULTILINE)
        (folder / "cassettes" / "test_replay" / f"{test}.yaml").write_text(text, encoding="utf-8")
    kept, broken = calls["test_a_kept_contract_passes"], calls["test_a_broken_answer_fails"]
    (folder / "test_replay.py").write_text(REPLAY.format(kept=kept, broken=broken), encoding="utf-8")


def run_console(block: str, venv: Venv, cwd: Path) -> None:
    """Each ``$`` command in one shell (a ``cd`` holds for the next); its output, stderr included, is
    the page's."""
    shutil.copytree(ROOT / "examples", cwd / "examples")  # the checkout's examples, as `cd examples` presumes
    shutil.copytree(ROOT / "cassettes", cwd / "cassettes")
    steps = commands(block)
    marker = "@@@ next command @@@"
    # `echo $?` after a command must see that command's status, not the marker's
    script = "status=0\n" + "\n".join(
        f"echo '{marker}'; (exit $status); {command} 2>&1; status=$?" for command, _ in steps
    )
    result = shell(venv, script, cwd)
    outputs = result.stdout.split(marker + "\n")[1:]
    assert len(outputs) == len(steps), result.stdout + result.stderr
    for (command, shown), got in zip(steps, outputs, strict=True):
        if shown or command.startswith("echo"):
            assert got == shown, f"$ {command}"
        else:  # the page shows no output: it ran and judged its input
            assert "Traceback" not in got, got


def run_serve(block: str, venv: Venv, cwd: Path, lacking: frozenset[str]) -> None:
    (command, shown), *_ = commands(block)
    shutil.copytree(ROOT / "cassettes", cwd / "cassettes")
    argv = ["bash", "-c", f"exec {command}"]
    with subprocess.Popen(
        argv, cwd=cwd, env=venv.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            if lacking:
                assert proc.wait(timeout=60) == 2
                assert proc.stderr is not None
                (line,) = proc.stderr.read().splitlines()
                assert names_a_lacking_extra(line, lacking), line
                return
            # stdout's first line: warnings (stderr) come first on the page, as on a terminal
            expected = next(line for line in shown.splitlines() if not line.startswith("warning: "))
            assert first.startswith(expected.rsplit(":", 1)[0] + ":"), first
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
