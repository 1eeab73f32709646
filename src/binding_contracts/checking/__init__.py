"""Judging a payload: the entry point, the rule engine and the rule families, the two schema paths,
the fast path. Internal: no compatibility promise; the public entry is :func:`binding_contracts.check`."""
