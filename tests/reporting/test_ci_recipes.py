"""Every CI recipe of the docs is complete: each YAML block of README.md and docs/*.md is a kind of
recipe the suite knows, and passes that kind's lint (a new block is covered as soon as it is
written). The lint catches what the issue found: a workflow without ``on:``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ci_recipes import Recipe, lint, recipes
from conftest import ROOT

RECIPES = recipes()


def test_the_docs_have_the_ci_recipes_the_cli_page_shows() -> None:
    kinds = [r.kind for r in RECIPES if r.page == "docs/cli.md"]
    assert {"github-workflow", "gitlab-ci", "pre-commit-config"} <= set(kinds)


@pytest.mark.parametrize("recipe", RECIPES, ids=str)
def test_each_recipe_is_known_and_lints_clean(recipe: Recipe, tmp_path: Path) -> None:
    assert recipe.kind != "unknown", f"{recipe}: say what it is (a first line '# .github/workflows/….yml')"
    done = lint(recipe.kind, recipe.text, tmp_path)
    assert done.returncode == 0, f"{recipe}:\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize(
    ("kind", "broken", "said"),
    [
        ("github-workflow", "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: x\n", "'on'"),
        ("github-workflow", "on: push\njobs:\n  a:\n    steps:\n      - run: x\n", "runs-on"),
        ("gitlab-ci", "job:\n  image: python:3.12\n  artifacts:\n    when: sometimes\n", "sometimes"),
        ("pre-commit-config", "repos:\n  - repo: x\n    rev: v1\n", "hooks"),
    ],
)
def test_the_lint_fails_an_incomplete_recipe(kind: str, broken: str, said: str, tmp_path: Path) -> None:
    done = lint(kind, broken, tmp_path)
    assert done.returncode != 0
    assert said in done.stdout + done.stderr


def test_the_hooks_file_is_a_valid_pre_commit_manifest() -> None:
    command = [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
