"""The schema layer's two paths: the compiled fast path and the jsonschema reference path. Internal."""
