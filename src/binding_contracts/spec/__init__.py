"""The contract's facts: the kinds, their URL templates and the one URL writer, the schemas and
their profiles, the formats. Internal: no compatibility promise."""
