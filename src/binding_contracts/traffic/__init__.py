"""HTTP traffic: cassettes, recording and redaction, interactions judged with their request,
exchanges checked as they happen, live clients. Internal: the public modules are ``recording``,
``live`` and ``interactions``."""
