"""Babel extraction method for the CLI's texts (``babel.cfg``; ``make i18n`` runs pybabel).

Finds, in a Python file, the English texts the CLI shows, without asking the code to wrap
each one: string values of ``help=``, ``description=``, ``epilog=``; the first argument of
``out``, ``err``, ``translate``, ``_`` and ``N_`` (an f-string becomes a template whose
placeholders are the source of its expressions, ``{args.id}``); the message argument of
``DataError``, of ``doc.error(path, message)``/``where.error(message)`` (a data file's
positioned error) and the string argument of ``LintToolMissing``/``ToolMissing``; module-level
``*_HINT`` constants. See :mod:`hoshin.cli.i18n` for how the templates are matched.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any

HELP_KEYWORDS = ("help", "description", "epilog")
MESSAGE_CALLS = ("out", "err", "translate", "_", "N_")
EXCEPTION_CALLS = ("LintToolMissing", "ToolMissing", "DataError")


def template(node: ast.expr) -> str | None:
    """The text of a string constant, or an f-string as a ``{expression}`` template."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                source = ast.unparse(value.value)
                spec = ast.unparse(value.format_spec)[2:-1] if value.format_spec else ""
                parts.append("{" + source + (f":{spec}" if spec else "") + "}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = template(node.left), template(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def texts(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every CLI text in ``source``."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            for keyword in node.keywords:
                if keyword.arg in HELP_KEYWORDS:
                    text = template(keyword.value)
                    if text:
                        yield keyword.value.lineno, text
            candidates: list[ast.expr] = []
            if name in MESSAGE_CALLS and node.args:
                candidates = [node.args[0]]
            elif name == "DataError" and len(node.args) >= 4:
                candidates = [node.args[3]]
            elif name in EXCEPTION_CALLS and node.args:
                candidates = [node.args[0]]
            elif name == "error" and node.args:  # a data file's positioned error: its message
                candidates = [node.args[-1]]
            for arg in candidates:
                text = template(arg)
                if text and text.strip():
                    yield arg.lineno, text
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.endswith("_HINT") for t in node.targets
        ):
            text = template(node.value)
            if text:
                yield node.value.lineno, text


def extract_cli(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extraction interface: (lineno, funcname, message, comments)."""
    source = fileobj.read().decode("utf-8")
    seen: set[str] = set()
    for line, text in texts(source):
        if text not in seen:
            seen.add(text)
            yield line, "", text, []
