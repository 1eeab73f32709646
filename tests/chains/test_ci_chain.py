"""The CI chain as a user builds it from the docs and the wheel alone: the wheel installed in a fresh
venv with only the extras the docs' CI recipes install (``pip install binding-contracts``: none);
the commands of the documented GitHub Actions workflow and GitLab CI job run, as their runners run
them, in a temporary project whose cassettes are good, broken or unreadable; what they write read
as GitHub (workflow commands), code scanning (SARIF 2.1.0, validated against its schema) and GitLab
(Code Quality) read it; every recipe of the docs linted; the pre-commit hook of the docs'
configuration on a good and a broken cassette."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ci_recipes import Recipe, lint, recipes
from conftest import ROOT
from test_precommit import (  # noqa: F401  (fixtures: the hooks repository and its cache, reused)
    CHECK,
    hooks_repository,
    pre_commit_home,
    repository,
    run_hook,
)
from wheels import Venv, wheel_venv

pytestmark = pytest.mark.slow

RECIPES = recipes()
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
PROJECTS = {
    # what tests/cassettes/ holds, and the exit status every documented command ends with
    "good": ({"good.yaml": "list-filters.yaml"}, 0),
    "broken": ({"good.yaml": "list-filters.yaml", "broken.yaml": "injected-fault.yaml"}, 1),
    "unreadable": ({"good.yaml": "list-filters.yaml", "unreadable.yaml": None}, 2),
}


def recipe(kind: str) -> Recipe:
    (found,) = [r for r in RECIPES if r.kind == kind and r.page == "docs/cli.md"]
    return found


def installed_requirement() -> str:
    """What the docs' CI recipes install: ``binding-contracts`` with its extras, the same in each."""
    named = {
        m for r in RECIPES for m in re.findall(r"pip install (binding-contracts(?:\[[\w,]+\])?)", r.text)
    }
    assert len(named) == 1, named
    return named.pop()


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return wheel_venv(tmp_path_factory, installed_requirement())


@pytest.fixture(params=sorted(PROJECTS))
def project(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    name: str = request.param
    folder = tmp_path / name / "tests" / "cassettes"
    folder.mkdir(parents=True)
    for file, source in PROJECTS[name][0].items():
        if source is None:
            (folder / file).write_text("interactions: [\n  - request: {uri: \n", "utf-8")
        else:
            shutil.copy(ROOT / "cassettes" / source, folder / file)
    return name, tmp_path / name


def github_steps() -> list[str]:
    """The ``run:`` commands of the documented workflow that run the package (not its install)."""
    workflow = yaml.safe_load(recipe("github-workflow").text)
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    return [s["run"] for s in steps if "run" in s and s["run"].startswith("binding-contracts ")]


def gitlab_script() -> list[str]:
    job = yaml.safe_load(recipe("gitlab-ci").text)["contracts"]
    return [line for line in job["script"] if line.startswith("binding-contracts ")]


def step(env: Venv, command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One step, as GitHub's and GitLab's runners run a command: bash, exiting on the first error."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
        cwd=cwd, env=env.env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def at(cwd: Path, uri: str, line: int, column: int) -> str:
    """The text of a file from a line and column on."""
    return (cwd / uri).read_text("utf-8").split("\n")[line - 1][column - 1 :]


def check_sarif(log: dict[str, Any], name: str, cwd: Path) -> None:
    validator = jsonschema.Draft4Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(log)] == []
    (run,) = log["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is (name != "unreadable")
    if name == "unreadable":
        (note,) = invocation["toolExecutionNotifications"]
        assert "tests/cassettes/unreadable.yaml: is not YAML" in note["message"]["text"]
    assert bool(run["results"]) is (name == "broken")
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        written = at(cwd, physical["artifactLocation"]["uri"], region["startLine"], region["startColumn"])
        if result["ruleId"] == "binding.url-sid":
            assert written.startswith(('"url"', '\\"url\\"')), written


def test_the_documented_workflow_runs_and_reports_as_github_reads_it(
    venv: Venv, project: tuple[str, Path]
) -> None:
    name, cwd = project
    expected = PROJECTS[name][1]
    commands = github_steps()
    assert [c.split()[:3] for c in commands] == [["binding-contracts", "check", "--format"]] * 2
    annotations, upload = (step(venv, c, cwd) for c in commands)  # `if: always()`: both run
    assert annotations.returncode == upload.returncode == expected, annotations.stderr + upload.stderr
    errors = [line for line in annotations.stdout.splitlines() if line.startswith("::error ")]
    if name == "good":
        assert errors == []
    elif name == "broken":
        assert errors
        assert all(e.startswith("::error file=tests/cassettes/broken.yaml,line=") for e in errors)
    else:
        assert errors == [
            "::error file=tests/cassettes/unreadable.yaml,title=input.unreadable::"
            + annotations.stderr.strip().removeprefix("binding-contracts: error: ")
        ]
    check_sarif(json.loads((cwd / "contracts.sarif").read_text("utf-8")), name, cwd)


def test_the_documented_gitlab_job_runs_and_reports_as_gitlab_reads_it(
    venv: Venv, project: tuple[str, Path]
) -> None:
    name, cwd = project
    (command,) = gitlab_script()
    done = step(venv, command, cwd)
    assert done.returncode == PROJECTS[name][1], done.stderr
    issues = json.loads((cwd / "gl-code-quality-report.json").read_text("utf-8"))
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    severities = {i["severity"] for i in issues}
    if name == "good":
        assert issues == []
    elif name == "broken":
        assert severities == {"major"}
        assert {i["location"]["path"] for i in issues} == {"tests/cassettes/broken.yaml"}
    else:
        assert severities == {"blocker"}
        (issue,) = issues
        assert issue["location"]["path"] == "tests/cassettes/unreadable.yaml"
        assert issue["check_name"] == "input.unreadable"


@pytest.mark.parametrize("each", RECIPES, ids=str)
def test_every_recipe_of_the_docs_lints_clean(each: Recipe, tmp_path: Path) -> None:
    done = lint(each.kind, each.text, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_documented_pre_commit_hook_fails_a_broken_cassette_and_passes_a_good_one(
    repository: Path,  # noqa: F811
    pre_commit_home: Path,  # noqa: F811
) -> None:
    broken = run_hook(repository, pre_commit_home, CHECK, "tests/cassettes/broken.yaml")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert re.search(r"^tests/cassettes/broken\.yaml:\d+:\d+: /url: binding\.url-sid: ", broken.stdout, re.M)
    good = run_hook(repository, pre_commit_home, CHECK, "tests/cassettes/good.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
