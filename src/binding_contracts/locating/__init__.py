"""Where a finding is in the file it came from: a JSON pointer mapped to a line and a column.
Internal: no compatibility promise.

Nothing here runs on the fast path: the commands ask for positions only when a file has findings.
"""
