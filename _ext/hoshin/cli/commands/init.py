"""``hoshin init DIR``: a new policy project that builds at once.

How another municipality starts: conf.py, a sample chapter to look at, a glossary with one
entry, an empty history (revisions/history.yaml lists no version: the town's first
``hoshin freeze`` or ``hoshin release`` makes its first version, from its own text), a
Makefile, a README and the lint rules (:mod:`hoshin.lint.defaults`). Nothing comes from a
hoshin checkout: the Node.js tools are installed once per user by ``hoshin setup``.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path
from string import Template

from hoshin.cli.console import err, out
from hoshin.cli.i18n import N_
from hoshin.core.yamlio import DataError

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="create a new policy project",
        description="Create DIR with conf.py, source/ (a sample chapter to look at and "
        "replace), glossary/, revisions/ (an empty history: your first `hoshin freeze` makes "
        "the first version), a Makefile and a README. `hoshin -C DIR build` builds it at once.",
    )
    p.add_argument(
        "directory", metavar="DIR", help="new project folder (must not exist or be empty)"
    )
    p.add_argument("--title", default="（方針の名称）", help="document title")
    p.add_argument("--issuer", default="（発行者）", help="issuer, e.g. 〇〇県〇〇市")
    p.add_argument("--slug", help="ASCII short name for file names (default: the folder name)")
    p.set_defaults(func=run)


def create_project(target: Path, *, title: str, issuer: str, slug: str) -> list[str]:
    """Write the scaffold into ``target`` (nothing frozen: the history starts empty)."""
    if target.exists() and any(target.iterdir()):
        raise DataError(
            target, 1, 1, "folder exists and is not empty; hoshin init never overwrites"
        )
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", slug):
        raise DataError("--slug", 1, 1, f"{slug!r} must be ASCII letters, digits, '-', '_' or '.'")
    values = {"title": title, "issuer": issuer, "slug": slug}
    for path in sorted(SCAFFOLD.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(SCAFFOLD)
        name = ".gitignore" if relative.name == "gitignore" else relative.name
        dest = target / relative.parent / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = Template(path.read_text(encoding="utf-8")).safe_substitute(values)
        dest.write_text(text, encoding="utf-8")
    from hoshin.core.nodetools import is_set_up, tools_dir
    from hoshin.lint.defaults import STARTER_FILES

    for source, name in STARTER_FILES:  # the 公用文 rules, no document's own allowances
        shutil.copyfile(source, target / name)
    notes = []
    if not is_set_up(tools_dir()):
        notes.append(
            N_("the Node.js tools (textlint, mermaid-cli) are not set up yet: run hoshin setup")
        )
    return notes


def run(args: argparse.Namespace) -> int:
    target = Path(args.directory).resolve()
    slug = args.slug or re.sub(r"[^A-Za-z0-9_.-]+", "-", target.name).strip("-") or "policy"
    notes = create_project(target, title=args.title, issuer=args.issuer, slug=slug)
    for note in notes:
        err(f"note: {note}")
    out(f"created {target}")
    out(f"next: hoshin -C {target} build   (then open {target / '_build/html/index.html'})")
    return 0
