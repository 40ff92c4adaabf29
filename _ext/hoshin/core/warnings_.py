"""Warning subtypes of hoshin: every warning has ``type="hoshin"`` and one of these.

Silence one kind with ``suppress_warnings = ["hoshin.<subtype>"]`` in ``conf.py``.
"""

from __future__ import annotations

import enum
from typing import Any


class WarningSubType(enum.StrEnum):
    """The documented warning subtypes (the docs reference lists them from this enum)."""

    data = "data"
    """A data file (YAML) is invalid; the message names file, line and column."""
    figure = "figure"
    """A figure the source only names has no drawing yet."""
    revision = "revision"
    """A change record refers to an unknown version or section, or a version cannot be read."""
    unexplained = "unexplained"
    """A change between two versions has no change record whose quotation covers it."""
    stale_reason = "stale_reason"
    """A change record's section, or the wording it quotes, did not change between two versions."""
    quote_mismatch = "quote_mismatch"
    """A change record's quoted 改版前/改版後 text is not found in its section."""
    term = "term"
    """A glossary problem (unknown term, duplicate entry)."""
    unexplained_term = "unexplained_term"
    """A hard word in the text is not in the glossary nor in the allowlist."""
    flow = "flow"
    """A flow or organisation chart YAML is invalid, a ``{mermaid}`` file argument leaves the
    project, a diagram's rendering failed (its text alternative is shown), or a diagram is
    too large to print its labels at 9 pt or more in the PDF."""
    lint = "lint"
    """A textlint finding, when ``hoshin_lint_in_build`` is on."""
    frozen = "frozen"
    """A frozen version's files do not match its SHA-256 manifest."""
    markup = "markup"
    """A page reads differently from how it looks: a fence (```` ``` ````, ``:::``) that is
    never closed turns the rest of the page into code or into the directive's body."""


def warn(logger: Any, subtype: WarningSubType, message: str, *, location: Any = None) -> None:
    """Log a hoshin warning with its subtype and location (docname, (docname, line) or node)."""
    logger.warning(message, type="hoshin", subtype=subtype.value, location=location)
