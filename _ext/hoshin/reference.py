"""Directives that generate the reference part of the editor's guide from the code.

The configuration values, warning subtypes, YAML schemas and CLI help in ``docs/`` are
rendered from their single declarations, so the guide cannot drift from the tool.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

from hoshin.core.schema import Schema, schema_markdown

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _table(header: tuple[str, ...], rows: Sequence[Sequence[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


class _MarkdownDirective(SphinxDirective):
    """Base: produce MyST markdown lines and parse them in place."""

    def markdown(self) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["hoshin-reference"])
        lines = StringList(self.markdown(), source=f"<{self.name}>")
        self.state.nested_parse(lines, 0, container)
        return container.children


class ConfigReference(_MarkdownDirective):
    def markdown(self) -> list[str]:
        from hoshin import all_settings

        rows = [(f"`{s.key}`", f"`{s.default!r}`", s.doc) for s in all_settings()]
        return _table(("設定名", "既定値", "説明"), rows)


class WarningReference(_MarkdownDirective):
    def markdown(self) -> list[str]:
        from hoshin.core.warnings_ import WarningSubType

        docs = ModuleAnalyzer.for_module(WarningSubType.__module__).find_attr_docs()
        rows = []
        for member in WarningSubType:
            doc = " ".join(docs.get(("WarningSubType", member.name), [])).strip()
            rows.append((f"`hoshin.{member.value}`", doc))
        return _table(("警告の種類 (suppress_warnings)", "意味"), rows)


class SchemaReference(_MarkdownDirective):
    """``{hoshin-schema} module:ATTRIBUTE`` renders one declared schema."""

    required_arguments = 1

    def markdown(self) -> list[str]:
        module_name, _, attr = self.arguments[0].partition(":")
        schema: Any = getattr(importlib.import_module(module_name), attr)
        if not isinstance(schema, Schema):
            raise self.error(f"{self.arguments[0]} is not a hoshin Schema")
        self.env.note_dependency(importlib.import_module(module_name).__file__ or "")
        return schema_markdown(schema, level=3).split("\n")


class CliReference(_MarkdownDirective):
    def markdown(self) -> list[str]:
        from hoshin.cli import make_parser

        parser = make_parser()
        lines = ["```text", *parser.format_help().rstrip().split("\n"), "```", ""]
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for name, sub in subparsers.choices.items():
            lines += [f"### hoshin {name}", "", "```text"]
            lines += sub.format_help().rstrip().split("\n")
            lines += ["```", ""]
        return lines


def setup_reference(app: Sphinx) -> None:
    app.add_directive("hoshin-config-reference", ConfigReference)
    app.add_directive("hoshin-warning-reference", WarningReference)
    app.add_directive("hoshin-schema", SchemaReference)
    app.add_directive("hoshin-cli-reference", CliReference)


def setup(app: Sphinx) -> dict[str, Any]:
    """Loaded by docs/conf.py as ``hoshin.reference`` (policy editions do not need it)."""
    setup_reference(app)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
