"""Writing a file whole or not at all: what every command and the plugin write goes through here."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def replace_file(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, then an atomic rename (a
    FIFO or a link at ``path`` is replaced, never written through, so writing never blocks); a
    failure is one :class:`InputError` naming the file."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError(str(path), f"cannot be written ({exc.strerror or exc})") from None
