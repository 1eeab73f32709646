"""Findings with their place in a file, and the formats CI systems read: GitHub Actions workflow
commands, SARIF 2.1.0 and GitLab Code Quality; the text line ``FILE:LINE:COL: POINTER: RULE: message``."""
