"""Sphinx configuration of the binding-contracts docs: Markdown pages (MyST), the furo theme.

Built by ``make docs``, and by ``make test`` with warnings as errors (``-W -n``), so a broken link,
a missing anchor or a page outside every toctree fails the build. Nothing here reaches the internet.
"""

from __future__ import annotations

project = "binding-contracts"
author = "binding-contracts contributors"
copyright = "binding-contracts contributors"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "render_rules.py"]

# Anchors for headings down to ###, so `page.md#a-heading` links are checked like page links.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]
# Every warning is an error in make test: a link to a page or anchor that does not exist, too.
nitpicky = True
suppress_warnings: list[str] = []

html_theme = "furo"
html_title = "binding-contracts"
html_static_path: list[str] = []
