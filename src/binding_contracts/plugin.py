"""pytest plugin (entry point ``binding_contracts``): the ``binding_faker`` fixture.

Faker is imported when a test asks for the fixture, so loading the plugin stays cheap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from faker import Faker

_SEED = pytest.StashKey[int]()


def seed_of(nodeid: str) -> int:
    """The seed of a test: a hash of its node id (not ``hash()``, which changes per process), so a
    test gets the same data on every run and every test its own."""
    return int.from_bytes(hashlib.sha256(nodeid.encode("utf-8")).digest()[:4], "big")


@pytest.fixture
def binding_faker(request: pytest.FixtureRequest) -> Faker:
    """A Faker with :class:`~binding_contracts.factories.BindingProvider`, seeded for this test; the
    seed is shown in the report of a failing test, and recorded as the property ``binding_faker_seed``."""
    from faker import Faker

    from .factories import BindingProvider

    seed = seed_of(request.node.nodeid)
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(seed)
    request.node.stash[_SEED] = seed
    request.node.user_properties.append(("binding_faker_seed", seed))
    return fake


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    seed = item.stash.get(_SEED, None)
    if seed is not None and report.failed:
        report.sections.append(
            (
                "binding_faker",
                f"binding_faker seed: {seed} (the same on every run of this test; elsewhere: "
                f"fake = Faker(); fake.add_provider(BindingProvider); fake.seed_instance({seed}))",
            )
        )
    return report
