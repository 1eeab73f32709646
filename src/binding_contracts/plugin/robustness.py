"""Robustness of a consumer: tests marked ``binding_robustness`` run against drawn worlds.

A marked test takes the ``binding_robustness_api`` fixture: one running fake for the session,
which the plugin loads with each world Hypothesis draws (:func:`~binding_contracts.strategies.api_worlds`)
before it calls the test body. Without ``--binding-contracts-robustness`` the test runs once over
worlds of every variation class (the marker's ``variations=`` narrows them) and fails as a Hypothesis
test fails, the minimal world's requests and answers in its report. With it, the test runs once per
variation class, and the session ends with the table test x class; a test fails when it broke on a
class that ``fail_on`` counts (``spec``: the classes Twilio's published spec allows, the default;
``any``; ``never``). A failure Hypothesis could not make again with the same world (its
``Flaky``: a timeout the machine's load ran out, a race) is no class's doing: its cell says
``flaky``, it fails the test under ``any`` only, and it writes no cassette (its world does not
fail again when replayed).
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from .fixtures import seed_of
from .options import option

if TYPE_CHECKING:
    from ..fake.server import FakeBindingAPI

FAIL_ON: Final = ("spec", "any", "never")
"""Which broken variation classes fail a test under ``--binding-contracts-robustness``."""
EXAMPLES: Final = 50
"""Examples per run (per class under the option) unless the marker or the ini says otherwise."""
MARKER: Final = (
    "binding_robustness(variations=None, profile='published', max_examples=50): run this test, which "
    "takes binding_robustness_api, against worlds drawn by api_worlds(); "
    "--binding-contracts-robustness runs it once per variation class"
)
_RESULTS = pytest.StashKey[dict[str, Any]]()
ATTRIBUTE: Final = "binding_robustness"
"""The attribute of a call's TestReport carrying its results (plain JSON types: xdist sends it)."""


@pytest.fixture(scope="session")
def binding_robustness_api() -> Iterator[FakeBindingAPI]:
    """One running :class:`~binding_contracts.fake.FakeBindingAPI` (seed 0) for the session, which
    the plugin loads with each world drawn for a ``binding_robustness`` test; its ``world`` is the
    world loaded. Session-scoped, so Hypothesis' health check accepts it; each example sees only
    its own world (``load`` replaces the store). Its ``twilio_client()`` does not judge answers
    (``check="off"``): a world's answers depart from the contract on purpose."""
    from ..fake import FakeBindingAPI

    class RobustnessAPI(FakeBindingAPI):
        def twilio_client(self, check: str = "off", **options: Any) -> Any:
            return super().twilio_client(check, **options)

    with RobustnessAPI(seed=0) as api:
        yield api


class Robustness:
    """The hooks of the marker, the per-class runs and the table (summed from xdist workers)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.rows: dict[str, dict[str, Any]] = {}
        self.fail_on = option(config, "binding_contracts_robustness_fail_on") or "spec"
        if self.fail_on not in FAIL_ON:
            raise pytest.UsageError(
                f"Got binding_contracts_robustness_fail_on={self.fail_on!r}, but expected one of "
                + ", ".join(FAIL_ON)
            )
        examples = str(config.getini("binding_contracts_robustness_examples")).strip()
        if not examples.isascii() or not examples.isdigit() or int(examples) < 1:
            raise pytest.UsageError(
                f"Got binding_contracts_robustness_examples={examples!r}, but expected a whole number "
                "of examples, 1 or more"
            )
        self.examples = int(examples)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Iterator[None]:
        marker = item.get_closest_marker("binding_robustness")
        if marker is None or not isinstance(item, pytest.Function):
            return (yield)
        original = item.obj
        item.obj = functools.wraps(original)(
            functools.partial(self._run, item, original, dict(marker.kwargs))
        )
        try:
            return (yield)
        finally:
            item.obj = original

    def _run(
        self, item: pytest.Function, test: Callable[..., Any], marked: dict[str, Any], **kwargs: Any
    ) -> None:
        from ..generation.worlds import CLASSES, SPEC_CLASSES, check_classes

        __tracebackhide__ = True
        api = kwargs.get("binding_robustness_api")
        if api is None:
            raise pytest.UsageError(
                f"{item.nodeid}: a binding_robustness test takes the binding_robustness_api fixture"
            )
        if inspect.iscoroutinefunction(test):
            raise pytest.UsageError(
                f"{item.nodeid}: a binding_robustness test is a plain function: run your coroutine "
                "with asyncio.run() in it"
            )
        if getattr(test, "is_hypothesis_test", False):
            raise pytest.UsageError(
                f"{item.nodeid}: a binding_robustness test draws its worlds itself; drop @given, or draw "
                "api_worlds() in your own @given and load them into fake_binding_api_session"
            )
        classes = check_classes(marked.get("variations"))
        if not option(self.config, "binding_contracts_robustness"):
            failure = _attempt(item, test, api, classes, marked, kwargs, self.examples)
            if failure is not None:
                exc, text = failure.exc, failure.text
                self._cassette(item, "all", api)
                exc.add_note(text)
                raise exc
            return
        fail_on = self.fail_on
        results: dict[str, Any] = {}
        broke: list[str] = []
        for cls in classes:
            failure = _attempt(item, test, api, (cls,), marked, kwargs, self.examples)
            results[cls] = None if failure is None else {"cell": failure.cell, "text": failure.text}
            if failure is None:
                continue
            if failure.cell == BROKE:
                self._cassette(item, cls, api)
            if fail_on == "any" or (fail_on == "spec" and cls in SPEC_CLASSES and failure.cell == BROKE):
                broke.append(cls)
        item.stash[_RESULTS] = results
        if broke:
            names = ", ".join(f"{CLASSES[c]}{_said(results[c])}" for c in broke)
            details = "\n\n".join(f"[{CLASSES[c]}]\n{results[c]['text']}" for c in broke)
            pytest.fail(f"broke on {names}\n\n{details}", pytrace=False)

    def _cassette(self, item: pytest.Item, cls: str, api: FakeBindingAPI) -> None:
        folder = option(self.config, "binding_contracts_robustness_cassettes")
        if not folder:
            return
        import yaml

        from ..fake.worlds import cassette_of

        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])
        path = Path(folder) / f"{name}-{cls}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(cassette_of(api.exchanges), allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
        report = yield
        if call.when == "call" and _RESULTS in item.stash:
            setattr(report, ATTRIBUTE, item.stash[_RESULTS])
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        results = getattr(report, ATTRIBUTE, None)
        if report.when == "call" and isinstance(results, dict):
            self.rows[report.nodeid] = results

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.rows or hasattr(self.config, "workerinput"):
            return
        from ..generation.worlds import CLASSES, SPEC_CLASSES

        tr = terminalreporter
        tr.section("binding robustness")
        for line in table(self.rows):
            tr.write_line(line)
        tr.write_line(
            "spec: a variation Twilio's published spec allows (a test that breaks on one fails, "
            "unless --binding-contracts-robustness-fail-on says otherwise)"
        )
        for nodeid, results in sorted(self.rows.items()):
            for cls, result in results.items():
                if result is not None:
                    where = "spec" if cls in SPEC_CLASSES else "beyond the spec"
                    tr.write_line(f"\n{nodeid} broke on {CLASSES[cls]}{_said(result)} ({where}):")
                    for line in str(result["text"]).splitlines():
                        tr.write_line(f"  {line}")


def table(rows: dict[str, dict[str, Any]]) -> list[str]:
    """The robustness table: one row per test, one column per variation class run."""
    from ..generation.worlds import CLASSES, SPEC_CLASSES

    run = [c for c in CLASSES if any(c in r for r in rows.values())]
    heads = [(CLASSES[c] + (" *" if c in SPEC_CLASSES else "")).ljust(len("survived")) for c in run]
    width = max(len(n) for n in [*rows, "test"])
    lines = [" | ".join(["test".ljust(width), *heads])]
    for nodeid, results in sorted(rows.items()):
        cells = []
        for cls, head in zip(run, heads, strict=True):
            cell = (
                "-" if cls not in results else ("survived" if results[cls] is None else results[cls]["cell"])
            )
            cells.append(cell.ljust(max(len(head), len("survived"))))
        lines.append(" | ".join([nodeid.ljust(width), *cells]).rstrip())
    lines.append("* a variation Twilio's published spec allows")
    return lines


BROKE: Final = "BROKE"
FLAKY: Final = "flaky"
"""The cells of a class the test did not survive: broken by a world that breaks it again, or by one
that did not when Hypothesis ran it again (:class:`hypothesis.errors.Flaky`)."""


def _said(result: dict[str, Any]) -> str:
    return " (flaky: not again with the same world)" if result["cell"] == FLAKY else ""


@dataclass(frozen=True)
class _Failure:
    exc: BaseException
    text: str
    """The minimal failing world's requests and answers, and what the code raised."""
    cell: str
    """:data:`BROKE` or :data:`FLAKY`."""


def _attempt(
    item: pytest.Function,
    test: Callable[..., Any],
    api: FakeBindingAPI,
    classes: tuple[str, ...],
    marked: dict[str, Any],
    kwargs: dict[str, Any],
    examples: int,
) -> _Failure | None:
    """Run ``test`` over worlds of ``classes``: None when it survived every example, else the
    exception of the minimal failing world, that world's requests and answers, and its cell."""
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis.errors import Flaky

    from ..generation.strategies import api_worlds

    profile = marked.get("profile") or "published"
    examples = marked.get("max_examples") or examples

    @seed(seed_of(f"{item.nodeid}:{','.join(classes)}"))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(world=api_worlds(profile, variations=classes))
    def examples_of(world: Any) -> None:
        api.load(world)
        test(**kwargs)

    try:
        examples_of()
    except Exception as exc:  # the minimal world ran last: its exchanges are the api's
        return _Failure(exc, example_text(api, exc), FLAKY if isinstance(exc, Flaky) else BROKE)
    return None


def example_text(api: FakeBindingAPI, exc: BaseException) -> str:
    """The minimal failing world as a person acts on it: its variations, the requests the code
    made and the answers it got (varied ones with their body), and what the code raised."""
    world = api.world
    lines = [f"world: {world!r}", "requests and answers:"]
    lines += [f"  {e.line()}" for e in api.exchanges] or ["  (no request)"]
    lines.append(f"raised: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    return "\n".join(lines)
