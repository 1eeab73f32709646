"""Spec drift: how far Twilio's published OpenAPI has moved away from schemas/ and the URL templates
and operations (spec/urls.py, spec/routes.py)."""

from __future__ import annotations

from .baseline import Accepted, Baseline, load_baseline, parse_baseline, shipped_baseline
from .check import check_spec, check_spec_file
from .differences import DIFFERENCE_TYPES, Difference, DifferenceType, DriftReport
from .openapi import SpecError
from .profile import profile_from_spec

__all__ = [
    "DIFFERENCE_TYPES",
    "Accepted",
    "Baseline",
    "Difference",
    "DifferenceType",
    "DriftReport",
    "SpecError",
    "check_spec",
    "check_spec_file",
    "load_baseline",
    "parse_baseline",
    "profile_from_spec",
    "shipped_baseline",
]
