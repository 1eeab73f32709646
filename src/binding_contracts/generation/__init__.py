"""Generating payloads: parts, drawing, pins, breakers by rule family, mutations, the Hypothesis
strategies and the Faker provider. Internal: the public modules are ``strategies`` and ``factories``."""
