"""The ``binding-contracts`` command (entry point ``binding_contracts.cli:main``)."""

from .main import CLOSED_PIPE, COMMANDS, build_parser, main, run

__all__ = ["CLOSED_PIPE", "COMMANDS", "build_parser", "main", "run"]
