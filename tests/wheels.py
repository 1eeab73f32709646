"""The project's wheel, built once per test session, and fresh venvs that install it (uv)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import ROOT


def build_wheel(folder: Path) -> Path:
    """The wheel of the checkout, built into ``folder`` (the build backend of this venv, no network)."""
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w"]
    subprocess.run([*command, str(folder), str(ROOT)], check=True)
    (wheel,) = folder.glob("binding_contracts-*.whl")
    return wheel


def uv() -> str:
    """uv, from this venv (the test extra installs it)."""
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert found is not None, "uv is not installed: pip install -e '.[test]'"
    return found


@dataclass(frozen=True)
class Venv:
    path: Path

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    @property
    def python(self) -> str:
        return str(self.bin / "python")

    def env(self) -> dict[str, str]:
        """The environment of a shell in this venv: its bin first, nothing of the test's venv."""
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.path)
        return env

    def install(self, *requirements: str, lowest: bool = False) -> None:
        """``uv pip install`` into this venv (``lowest``: the lowest versions the direct requirements
        allow). Packages come from the package index, through uv's cache."""
        resolution = ["--resolution", "lowest-direct"] if lowest else []
        command = [uv(), "pip", "install", "-q", "--python", self.python, *resolution, *requirements]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr


def make_venv(path: Path) -> Venv:
    subprocess.run([uv(), "venv", "-q", "--python", sys.executable, str(path)], check=True, timeout=120)
    return Venv(path)


def session_wheel(factory: Any) -> Path:
    """The checkout's wheel, built once per test process into pytest's base temporary folder (each
    xdist worker has its own) and shared by every test that installs it."""
    folder = Path(factory.getbasetemp()) / "wheel"
    built = sorted(folder.glob("binding_contracts-*.whl"))
    if built:
        return built[0]
    folder.mkdir(exist_ok=True)
    return build_wheel(folder)


def wheel_venv(factory: Any, requirement: str = "binding-contracts", *others: str) -> Venv:
    """A fresh venv (in folders of pytest's ``tmp_path_factory``) holding the checkout's wheel as
    ``requirement`` names it (with its extras: ``binding-contracts[fake,pytest]``), and ``others``."""
    env = make_venv(factory.mktemp("venv"))
    env.install(f"{requirement} @ {session_wheel(factory).as_uri()}", *others)
    return env
