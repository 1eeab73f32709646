"""The pre-commit hooks of .pre-commit-hooks.yaml, run as a user's repository runs them: ``pre-commit
run`` with the configuration docs/cli.md shows (its placeholders filled with this checkout, as a
hooks repository at one commit), in a temporary git repository holding cassettes.

pre-commit builds the hook's environment itself (a venv, then pip install of the hooks repository),
once per module (its cache, ``PRE_COMMIT_HOME``, is the module's): its packages come from the
package index as pip is configured here, the way `make test` installs. When that install cannot be
done (no index reachable) the tests skip, saying so."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ci_recipes import recipes
from conftest import ROOT

pytestmark = pytest.mark.slow

CHECK = "binding-contracts-check"
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module: the hook's environment is installed once per checkout state."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hooks_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as a hooks repository at one commit (its files as they are, edits included),
    which the user's configuration names with that commit as its ``rev``."""
    repo = tmp_path_factory.mktemp("hooks")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    for name in filter(None, listed.stdout.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "hooks")
    return repo


@pytest.fixture
def repository(tmp_path: Path, hooks_repository: Path) -> Path:
    """A git repository with the docs' pre-commit configuration, a broken cassette (a fault injected
    into the fake), a good one, and one holding an Authorization header."""
    repo = tmp_path / "project"
    (repo / "tests" / "cassettes").mkdir(parents=True)
    folder = repo / "tests" / "cassettes"
    shutil.copy(ROOT / "cassettes" / "injected-fault.yaml", folder / "broken.yaml")
    shutil.copy(ROOT / "cassettes" / "list-filters.yaml", folder / "good.yaml")
    text = (ROOT / "cassettes" / "list-filters.yaml").read_text("utf-8")
    header = "    headers:\n      Authorization:\n      - Basic QUM6c2VjcmV0\n"
    leaked = text.replace("    headers:\n", header, 1)
    assert leaked != text
    (folder / "leaked.yaml").write_text(leaked, "utf-8")
    (repo / ".pre-commit-config.yaml").write_text(docs_configuration(hooks_repository), "utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    return repo


def docs_configuration(hooks: Path) -> str:
    """The pre-commit configuration docs/cli.md shows, naming ``hooks`` at its commit."""
    (recipe,) = [r for r in recipes() if r.kind == "pre-commit-config" and r.page == "docs/cli.md"]
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hooks, capture_output=True, text=True, check=True)
    text = recipe.text.replace("<URL of this repository>", str(hooks)).replace("<a tag>", rev.stdout.strip())
    assert "<" not in text, text
    return text


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=environment())


def environment(home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    if home is not None:
        env["PRE_COMMIT_HOME"] = str(home)
    return env


def run_hook(repo: Path, home: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit run HOOK --files …`` in ``repo``, as a user's commit runs the hook."""
    command = [sys.executable, "-m", "pre_commit", "run", hook, "--files", *files]
    done = subprocess.run(
        command, cwd=repo, capture_output=True, text=True, timeout=900, env=environment(home)
    )
    output = done.stdout + done.stderr
    if done.returncode not in (0, 1) or "An unexpected error has occurred" in output:
        last = output.strip().splitlines()[-1] if output.strip() else "no output"
        pytest.skip(f"pre-commit could not install the hook's environment (no package index?): {last}")
    return done


class TestTheHooksFile:
    def test_it_offers_check_and_validate_as_python_hooks_that_take_file_names(self) -> None:
        hooks = {h["id"]: h for h in HOOKS}
        assert set(hooks) == {"binding-contracts-check", "binding-contracts-validate"}
        assert hooks["binding-contracts-check"]["entry"] == "binding-contracts check"
        assert hooks["binding-contracts-validate"]["entry"] == "binding-contracts validate"
        assert {h["language"] for h in HOOKS} == {"python"}
        assert all(h["pass_filenames"] for h in HOOKS)

    @pytest.mark.parametrize(
        ("path", "matched"),
        [
            ("cassettes/a.yaml", True),
            ("tests/cassettes/test_x/test_y.yml", True),
            ("tests/cassettes/a.json", True),
            ("tests/cassettes/notes.md", False),
            ("config.yaml", False),
            ("src/mycassettes/a.yaml", False),
        ],
    )
    def test_the_check_hook_takes_yaml_and_json_under_a_cassettes_directory(
        self, path: str, matched: bool
    ) -> None:
        (hook,) = (h for h in HOOKS if h["id"] == "binding-contracts-check")
        assert (re.search(hook["files"], path) is not None) is matched


class TestPreCommitRun:
    def test_a_broken_cassette_fails_the_check_hook_and_a_good_one_passes(
        self, repository: Path, pre_commit_home: Path
    ) -> None:
        broken = run_hook(repository, pre_commit_home, CHECK, "tests/cassettes/broken.yaml")
        assert broken.returncode == 1, broken.stdout + broken.stderr
        assert "binding.url-sid" in broken.stdout
        assert re.search(
            r"^tests/cassettes/broken\.yaml:\d+:\d+: /url: binding\.url-sid: .* \[#1 GET ",
            broken.stdout,
            re.M,
        )
        good = run_hook(repository, pre_commit_home, CHECK, "tests/cassettes/good.yaml")
        assert good.returncode == 0, good.stdout + good.stderr
        assert "Passed" in good.stdout

    def test_a_cassette_holding_an_authorization_header_fails_on_the_header_without_echoing_it(
        self, repository: Path, pre_commit_home: Path
    ) -> None:
        leaked = "tests/cassettes/leaked.yaml"
        done = run_hook(repository, pre_commit_home, CHECK, leaked)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "QUM6c2VjcmV0" not in done.stdout + done.stderr
        lines = (repository / leaked).read_text("utf-8").split("\n")
        header = next(n for n, line in enumerate(lines, 1) if "Basic QUM6c2VjcmV0" in line)
        column = lines[header - 1].index("Basic") + 1
        assert (
            f"{leaked}:{header}:{column}: (root): cassette.secret: the request's Authorization" in done.stdout
        )
