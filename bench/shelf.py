"""A synthetic shelf: N policy documents made from the embedded text, in one site with a portal.

Each document is a copy of ``source/`` under ``pNNN/`` with every label made unique
(``sec-1-1`` → ``p007-sec-1-1``) and its cover title numbered, so 100 copies give about
2.5 million characters of real municipal Japanese, glossary terms included. The portal page
(``index.md``) lists the documents in one toctree.

``layout="chapters"`` (the default) merges every page below a top-level entry into it:
a document is then 9 pages (cover, chapters, colophon, meeting materials), about the
1,200-page shape of the benchmarks issue at ×100. ``layout="sections"`` keeps the one
page per section of ``source/`` (40 pages per document).

The project folder gets two configurations on the same sources: ``conf.py`` (the embedded
edition's, with hoshin) and ``plain/conf.py`` (the same settings without any hoshin
extension: myst-parser, sphinx-design and the same theme). Generated shelves are reused
when nothing that shapes them changed (a stamp file holds the key).

    .venv/bin/python bench/shelf.py 100 [--layout chapters|sections] [--dest DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_BUILD = REPO / "_build" / "bench"

#: Directives whose page exists once per site (the glossary): kept at the portal, not copied.
_SHARED_PAGE = re.compile(r"^[`:]{3,}\{(?:glossary-index|glossary)\}", re.M)
_LABEL_DEF = re.compile(r"^\((?P<label>[A-Za-z0-9_.:-]+)\)=[ \t]*$", re.M)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_TOCTREE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{toctree\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?", re.M | re.S
)
_HEADING = re.compile(r"^(#{1,5}) ", re.M)
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
_FIRST_HEADING = re.compile(r"^# (?P<title>.+)$", re.M)
#: Prose lines the diff benchmark edits: list items and paragraphs of some length.
_PROSE = re.compile(r"^\s*(?:[-*+] |\d+\. )?(?P<text>[^\s:`#(|%<>~{-].{20,})$")


@dataclass(frozen=True)
class Shelf:
    """A generated shelf project: ``root/conf.py``, ``root/plain/conf.py``, ``root/source/``."""

    root: Path
    copies: int
    pages: int
    characters: int

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def plain_conf(self) -> Path:
        return self.root / "plain"


def _source_key(source: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(source.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(source).as_posix().encode())
            digest.update(path.read_bytes())
    for extra in (REPO / "conf.py", Path(__file__)):
        digest.update(extra.read_bytes())
    glossary = REPO / "glossary"
    if glossary.is_dir():
        for path in sorted(glossary.rglob("*")):
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def read_pages(source: Path) -> dict[str, str]:
    """The Markdown pages of ``source`` by docname (``3/3-1-2``)."""
    return {
        p.relative_to(source).with_suffix("").as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(source.rglob("*.md"))
    }


def _toctree_entries(body: str) -> list[str]:
    entries = []
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith(":"):
            continue
        match = re.fullmatch(r"(?:.*<(?P<target>[^>]+)>|(?P<plain>\S+))", line)
        if match:
            entries.append(match["target"] or match["plain"])
    return entries


def _resolve(parent: str, entry: str) -> str:
    if entry.startswith("/"):
        return entry.lstrip("/")
    base = parent.rsplit("/", 1)[0] + "/" if "/" in parent else ""
    parts: list[str] = []
    for part in (base + entry).split("/"):
        if part == "..":
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def _demote(text: str, levels: int) -> str:
    """Headings one level deeper per ``levels``, outside code fences."""
    out, fence = [], None
    for line in text.split("\n"):
        match = _FENCE_LINE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif line.strip().startswith(fence):
                fence = None
        if fence is None and _HEADING.match(line):
            line = "#" * levels + line
        out.append(line)
    return "\n".join(out)


def _inline(pages: dict[str, str], name: str, depth: int, seen: set[str]) -> str:
    """Page ``name`` with its toctree children merged in (headings demoted by depth)."""
    seen.add(name)
    text = pages[name]
    if depth:
        text = _demote(_FRONT_MATTER.sub("", text), depth)

    def merge(match: re.Match[str]) -> str:
        parts = []
        for entry in _toctree_entries(match["body"]):
            child = _resolve(name, entry)
            if child in pages and child not in seen:
                parts.append(_inline(pages, child, depth + 1, seen).rstrip("\n"))
        return "\n\n".join(parts) + "\n"

    return _TOCTREE.sub(merge, text)


def merge_chapters(pages: dict[str, str], root: str = "index") -> dict[str, str]:
    """One page per top-level toctree entry: everything below it merged into it."""
    merged = {}
    root_text = pages[root]
    seen = {root}
    for match in _TOCTREE.finditer(root_text):
        for entry in _toctree_entries(match["body"]):
            name = _resolve(root, entry)
            if name in pages and name not in seen:
                merged[name] = _inline(pages, name, 0, seen)
    merged[root] = root_text
    return merged


def _relabel(text: str, labels: set[str], prefix: str) -> str:
    if not labels:
        return text
    names = "|".join(sorted((re.escape(label) for label in labels), key=len, reverse=True))
    defs = re.compile(rf"^\(({names})\)=", re.M)
    roles = re.compile(rf"(\{{(?:ref|numref)\}}`(?:[^`<]*<)?)({names})(?=>?`)")
    links = re.compile(rf"(\]\(#?)({names})(?=\))")
    text = defs.sub(lambda m: f"({prefix}-{m[1]})=", text)
    text = roles.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", text)
    return links.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", text)


def _number_title(text: str, number: int) -> str:
    return _FIRST_HEADING.sub(lambda m: f"# {m['title']}（書棚 {number:03d}）", text, count=1)


def shelf_pages(source: Path, copies: int, layout: str = "chapters") -> dict[str, str]:
    """The shelf's pages by docname: ``copies`` documents and the portal ``index``."""
    pages = read_pages(source)
    shared = {name: text for name, text in pages.items() if _SHARED_PAGE.search(text)}
    if layout == "chapters":
        pages = merge_chapters(pages)
    elif layout != "sections":
        raise ValueError(f"unknown layout {layout!r}")
    labels = {m["label"] for text in pages.values() for m in _LABEL_DEF.finditer(text)}
    shelf: dict[str, str] = {}
    for k in range(1, copies + 1):
        prefix = f"p{k:03d}"
        for name, text in pages.items():
            if name in shared:
                continue
            text = _relabel(text, labels, prefix)
            if name == "index":
                text = _number_title(text, k)
                # the shared pages (用語集) sit under the portal, not in each document: an
                # entry left in a document's toctree would name a missing page, which Sphinx
                # warns about and re-reads on every build
                for shared_name in shared:
                    text = re.sub(rf"^{re.escape(shared_name)}\n", "", text, flags=re.M)
            shelf[f"{prefix}/{name}"] = text
    documents = "\n".join(f"p{k:03d}/index" for k in range(1, copies + 1))
    extra = "\n".join(sorted(shared))
    portal = (
        "(portal)=\n# 方針の書棚（合成）\n\n"
        f"上越市ICTによる情報化推進基本方針の本文から作った {copies} 件の方針文書です。\n\n"
        f"```{{toctree}}\n:caption: 方針文書\n:maxdepth: 1\n\n{documents}\n```\n"
    )
    if extra:
        portal += f"\n```{{toctree}}\n:caption: 共通\n:maxdepth: 1\n\n{extra}\n```\n"
    shelf["index"] = portal
    for name, text in shared.items():
        shelf[name] = text
    return shelf


CONF_TEMPLATE = '''"""Generated by bench/shelf.py: {what}."""

import runpy as _runpy

for _key, _value in _runpy.run_path({conf!r}).items():
    if not _key.startswith("__"):
        globals()[_key] = _value
del _key, _value, _runpy
'''

PLAIN_TAIL = """
# Plain Sphinx: none of hoshin's extensions or settings, the same MyST and theme settings.
for _key in [k for k in globals() if k.startswith("hoshin_")]:
    del globals()[_key]
extensions = [e for e in extensions if not e.split(".")[0] == "hoshin"]  # noqa: F821
for _ext in ("myst_parser", "sphinx_design"):
    if _ext not in extensions:
        extensions.append(_ext)
"""


def write_plain_conf(confdir: Path, conf: Path = REPO / "conf.py") -> Path:
    """A configuration folder whose conf.py is ``conf`` minus everything hoshin."""
    confdir.mkdir(parents=True, exist_ok=True)
    text = CONF_TEMPLATE.format(what=f"plain Sphinx twin of {conf}", conf=str(conf)) + PLAIN_TAIL
    (confdir / "conf.py").write_text(text, encoding="utf-8")
    return confdir


def write_hoshin_conf(confdir: Path, title: str, conf: Path = REPO / "conf.py") -> Path:
    confdir.mkdir(parents=True, exist_ok=True)
    text = CONF_TEMPLATE.format(what=f"the shelf with hoshin, settings of {conf}", conf=str(conf))
    text += (
        f"\nproject = html_title = {title!r}\n"
        "html_short_title = '方針の書棚'\n"
        "# Each page's sidebar shows its own document, not the shelf.\n"
        'hoshin_navigation = "document"\n'
    )
    (confdir / "conf.py").write_text(text, encoding="utf-8")
    return confdir


def generate(
    copies: int,
    *,
    dest: Path | None = None,
    layout: str = "chapters",
    source: Path = REPO / "source",
) -> Shelf:
    """Write (or reuse) the ×``copies`` shelf project under ``_build/bench/``."""
    root = dest or BENCH_BUILD / f"shelf-{layout}-x{copies}"
    key = f"{_source_key(source)}:{copies}:{layout}"
    stamp = root / ".shelf.json"
    if stamp.is_file():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if info.get("key") == key:
            link_node_modules(root)
            return Shelf(root, copies, info["pages"], info["characters"])
    shutil.rmtree(root, ignore_errors=True)
    pages = shelf_pages(source, copies, layout)
    for name, text in pages.items():
        path = root / "source" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assets = [p for p in sorted(source.rglob("*")) if p.is_file() and p.suffix != ".md"]
    for k in range(1, copies + 1):
        for asset in assets:  # data the pages read (flow YAML, images): each document has its own
            target = root / "source" / f"p{k:03d}" / asset.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset, target)
    for folder in ("glossary",):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    link_node_modules(root)
    write_hoshin_conf(root, f"方針の書棚（合成 ×{copies}）")
    write_plain_conf(root / "plain")
    characters = sum(len(text) for text in pages.values())
    stamp.write_text(
        json.dumps({"key": key, "pages": len(pages), "characters": characters}), encoding="utf-8"
    )
    return Shelf(root, copies, len(pages), characters)


def link_node_modules(root: Path) -> None:
    """Diagrams render with the project's mermaid-cli (looked up under the project root)."""
    link = root / "node_modules"
    if (REPO / "node_modules").is_dir() and not link.exists():
        link.symlink_to(REPO / "node_modules", target_is_directory=True)


def edit_pages(
    pages: dict[str, str], fraction: float = 0.01, seed: int = 12
) -> tuple[dict[str, str], int]:
    """A copy of ``pages`` with ``fraction`` of the prose lines edited (seeded, repeatable)."""
    rng = random.Random(seed)
    lines = {name: text.split("\n") for name, text in pages.items()}
    prose = [(n, i) for n, ls in lines.items() for i, line in enumerate(ls) if _PROSE.match(line)]
    chosen = rng.sample(prose, max(1, round(len(prose) * fraction)))
    for count, (name, i) in enumerate(chosen):
        line = lines[name][i]
        cut = rng.randrange(len(line) // 3, len(line) // 2)
        kind = count % 3
        if kind == 0:
            line = line[:cut] + "新たな表現に改め" + line[cut + 6 :]
        elif kind == 1:
            line = line[:cut] + "、段階的に" + line[cut:]
        else:
            line = line[:cut] + line[cut + 8 :]
        lines[name][i] = line
    return {name: "\n".join(ls) for name, ls in lines.items()}, len(chosen)


def write_pages(pages: dict[str, str], folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in pages.items():
        path = folder / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("copies", type=int)
    parser.add_argument("--layout", choices=("chapters", "sections"), default="chapters")
    parser.add_argument("--dest", type=Path)
    args = parser.parse_args(argv)
    shelf = generate(args.copies, dest=args.dest, layout=args.layout)
    print(f"{shelf.root}: {shelf.pages} pages, {shelf.characters:,} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
