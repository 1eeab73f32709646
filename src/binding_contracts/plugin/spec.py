"""``--binding-contracts-spec FILE``: the profile of a Twilio OpenAPI file, read once at the start of
the run (on each xdist worker too) and taken where ``--binding-contracts-profile`` would be."""

from __future__ import annotations

import pytest

from .options import option


def use_spec(config: pytest.Config) -> None:
    """Read the spec into a profile and make it the run's profile (a marker or the config fixture
    may still name another); a bad spec stops the run with its one line."""
    from ..drift import profile_from_spec
    from ..errors import InputError

    if config.getoption("--binding-contracts-profile") is not None:
        raise pytest.UsageError(
            "binding-contracts: got --binding-contracts-spec and --binding-contracts-profile; give one"
        )
    try:
        config.option.binding_contracts_profile = profile_from_spec(option(config, "binding_contracts_spec"))
    except InputError as exc:
        raise pytest.UsageError(f"binding-contracts: {exc}") from None
