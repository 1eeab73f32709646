"""Findings with their place in a file, and the formats CI systems read: GitHub Actions workflow
commands, SARIF 2.1.0 and GitLab Code Quality; the text line ``FILE:LINE:COL: POINTER: RULE: message``.

Internal: no compatibility promise; the commands' ``--format`` options are the public surface."""
