"""Subcommands of the ``hoshin`` CLI: one module each, with ``register(subparsers)``."""
