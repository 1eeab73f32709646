"""The plugin's fixtures: ``binding_contract``, ``binding_faker``, ``fake_binding_api``,
``fake_binding_api_session``, ``binding_contracts_vcr_config``, ``binding_contracts_config``.
Each imports what it serves when a test asks for it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from faker import Faker

    from ..report import Report

__all__ = [
    "SEED",
    "binding_contract",
    "binding_contracts_config",
    "binding_contracts_vcr_config",
    "binding_faker",
    "fake_binding_api",
    "fake_binding_api_session",
    "seed_of",
]

SEED = pytest.StashKey[int]()
"""The seed ``binding_faker`` gave a test, shown in its report if it fails."""


@pytest.fixture
def binding_contracts_config() -> dict[str, Any]:
    """Override in a conftest to set ``profile``, ``strict_fields``, ``warnings_as_errors`` or
    ``require_redacted`` for the tests it covers (like pytest-recording's ``vcr_config``)."""
    return {}


@pytest.fixture
def binding_contract() -> Any:
    """``binding_contract(response_or_payload, kind="auto", **check_options)``: the report when the
    payload keeps the contract; a failed assertion listing every violation when it does not.

    A ``requests`` or ``httpx`` response is judged with the request it carries, as
    :func:`~binding_contracts.traffic.exchanges.check_response` judges it (the operation gives the kind; a
    fetch of one sid answered with another fails); its body alone, with ``kind`` and the options,
    when the request is no Binding operation."""
    from ..checking.entry import validate
    from ..errors import ContractViolation
    from ..traffic.exchanges import interaction_of
    from ..traffic.interactions import check_interaction

    def judge(subject: Any, kind: str = "auto", **options: Any) -> Report:
        __tracebackhide__ = True
        if not hasattr(subject, "status_code"):
            return validate(subject, kind, **options)
        exchange = interaction_of(subject)
        report = check_interaction(
            exchange,
            profile=options.get("profile", "strict"),
            strict_fields=options.get("strict_fields", False),
        )
        if report is None:
            return validate(exchange.body or b"", kind, **options)
        if not report.ok:
            raise ContractViolation(report)
        return report

    return judge


@pytest.fixture(scope="session")
def binding_contracts_vcr_config() -> dict[str, Any]:
    """``vcr.VCR`` keyword arguments that record safely
    (:func:`binding_contracts.traffic.recording.vcr_config`). The URLs of a fake serving in the
    process (``fake_binding_api``, ``fake_binding_api_session``, a ``FakeBindingAPI`` of the test's)
    are recorded on its public origin, never its port: the cassette replays on any port.

    Session-scoped, so that a ``vcr_config`` fixture of any scope can use it; pytest-recording users,
    in a conftest::

        @pytest.fixture(scope="module")
        def vcr_config(binding_contracts_vcr_config):
            return binding_contracts_vcr_config
    """
    from ..traffic.recording import vcr_config

    return vcr_config()


@pytest.fixture
def fake_binding_api() -> Iterator[Any]:
    """A running :class:`~binding_contracts.fake.FakeBindingAPI` (seed 0), stopped after the test;
    a new free port each time, which no cassette records (``binding_contracts_vcr_config``)."""
    from ..fake import FakeBindingAPI

    with FakeBindingAPI(seed=0) as api:
        yield api


@pytest.fixture(scope="session")
def fake_binding_api_session() -> Iterator[Any]:
    """One running :class:`~binding_contracts.fake.FakeBindingAPI` (seed 0) for the whole session.

    Session-scoped, so Hypothesis's ``@given`` accepts it (its health check refuses a
    function-scoped fixture, which would not be set up again between examples). Its state is shared
    by every test and example that uses it: call ``.reset()`` where one needs the fake as seeded
    (same server, port and credentials)."""
    from ..fake import FakeBindingAPI

    with FakeBindingAPI(seed=0) as api:
        yield api


def seed_of(nodeid: str) -> int:
    """The seed of a test: a hash of its node id (not ``hash()``, which changes per process), so a
    test gets the same data on every run and every test its own."""
    return int.from_bytes(hashlib.sha256(nodeid.encode("utf-8")).digest()[:4], "big")


@pytest.fixture
def binding_faker(request: pytest.FixtureRequest) -> Faker:
    """A Faker with :class:`~binding_contracts.generation.provider.BindingProvider`, seeded for this test; the
    seed is shown in the report of a failing test, and recorded as the property ``binding_faker_seed``."""
    from .._extras import needs

    with needs("generate", "the binding_faker fixture"):
        from faker import Faker

        from ..generation.provider import BindingProvider

    seed = seed_of(request.node.nodeid)
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(seed)
    request.node.stash[SEED] = seed
    request.node.user_properties.append(("binding_faker_seed", seed))
    return fake
