"""Every module and command works with the base install or names the extra it needs, in one line.

Each extra's distributions are hidden in turn (a fresh interpreter whose importer refuses them), and
every module of the package is imported there: it loads, or raises ``MissingExtra`` naming an
extra that installs what is missing. ``pyproject.toml`` is the one list of what each extra holds.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from functools import cache

import pytest

from binding_contracts import MissingExtra
from binding_contracts._extras import EXTRAS, needs
from conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
JOBS = ("generate", "fake", "live", "pytest")


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


@cache
def distributions(extra: str) -> frozenset[str]:
    """The distributions an extra installs beyond the base, following ``binding-contracts[...]``."""
    names: set[str] = set()
    for requirement in PROJECT["optional-dependencies"][extra]:
        if _name(requirement) == "binding-contracts":
            inner = re.search(r"\[(.*)\]", requirement)
            assert inner is not None
            for other in inner.group(1).split(","):
                names |= distributions(other.strip())
        else:
            names.add(_name(requirement))
    return frozenset(names)


def own(extra: str) -> frozenset[str]:
    """The distributions an extra adds to the extras it includes (``fake``: werkzeug)."""
    return frozenset(_name(r) for r in PROJECT["optional-dependencies"][extra]) - {"binding-contracts"}


def import_names(dists: frozenset[str]) -> list[str]:
    """The top-level import names of installed distributions (``vcrpy`` is ``vcr``)."""
    found = importlib.metadata.packages_distributions()
    return sorted(
        top for top, owners in found.items() if {o.lower().replace("_", "-") for o in owners} & dists
    )


PROBE = r"""
import importlib, json, pkgutil, sys
hidden = set(sys.argv[1].split(","))

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in hidden:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Refuse())
import binding_contracts
from binding_contracts.errors import MissingExtra
results = {}
for info in pkgutil.walk_packages(binding_contracts.__path__, "binding_contracts."):
    if info.name == "binding_contracts.plugin" and "pytest" in hidden:
        continue  # pytest loads its plugin: there is no pytest plugin without pytest
    try:
        importlib.import_module(info.name)
        results[info.name] = "ok"
    except MissingExtra as exc:
        results[info.name] = ["missing", exc.extra, exc.missing, str(exc)]
    except BaseException as exc:
        results[info.name] = ["raised", type(exc).__name__, str(exc)]
if "werkzeug" in hidden:  # else serve would serve
    from io import StringIO
    from binding_contracts.cli import run
    err = StringIO()
    status = run(["serve", "--port", "0"], StringIO(), err)
    results["serve"] = [status, err.getvalue()]
print(json.dumps(results))
"""


@cache
def probe(extra: str) -> dict[str, object]:
    hidden = ",".join(import_names(own(extra)) or ["-"])
    done = subprocess.run(
        [sys.executable, "-c", PROBE, hidden], capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


class TestExtras:
    def test_every_extra_of_pyproject_is_described_and_all_holds_every_job(self) -> None:
        extras = set(PROJECT["optional-dependencies"]) - {"test", "bench", "docs"}  # the developers' own
        assert extras == set(EXTRAS)
        assert distributions("all") == frozenset().union(*(distributions(job) for job in JOBS))

    @pytest.mark.slow
    @pytest.mark.parametrize("extra", JOBS)
    def test_without_an_extra_every_module_loads_or_names_an_extra_that_installs_what_is_missing(
        self, extra: str
    ) -> None:
        hidden = set(import_names(own(extra)))
        assert hidden, f"none of {sorted(own(extra))} is installed here"
        results = dict(probe(extra))
        results.pop("serve", None)
        for module, result in results.items():
            if result == "ok":
                continue
            assert isinstance(result, list)
            assert result[0] == "missing", f"{module}: {result}"
            _, named, missing, message = result
            assert missing.partition(".")[0] in hidden, f"{module}: {result}"
            installs = import_names(distributions(named))
            assert missing.partition(".")[0] in installs, f"{module} names [{named}], not {missing}'s extra"
            assert "\n" not in message
            assert f"install binding-contracts[{named}]" in message
        if extra != "pytest":  # the plugin imports vcrpy only to watch cassettes, and goes without
            assert any(r != "ok" for r in results.values()), "hiding the extra changed nothing"

    @pytest.mark.slow
    def test_serve_without_the_fake_extra_is_one_line_and_exit_2(self) -> None:
        status, err = probe("fake")["serve"]  # type: ignore[misc]
        assert status == 2
        assert err.count("\n") == 1
        assert "install binding-contracts[fake]" in err
        assert err.startswith("binding-contracts: error: ")

    def test_a_missing_module_inside_the_package_is_not_blamed_on_an_extra(self) -> None:
        with pytest.raises(ModuleNotFoundError) as caught, needs("fake", "x"):
            raise ModuleNotFoundError("gone", name="binding_contracts.nothing")
        assert not isinstance(caught.value, MissingExtra)

    def test_an_inner_missing_extra_is_named_by_the_outer_job(self) -> None:
        with pytest.raises(MissingExtra) as caught, needs("fake", "the fake"), needs("generate", "factories"):
            raise ModuleNotFoundError("No module named 'faker'", name="faker")
        assert (caught.value.extra, caught.value.missing, caught.value.name) == ("fake", "faker", "faker")
        assert str(caught.value).startswith("the fake needs faker, which is not installed: ")
