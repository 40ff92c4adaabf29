"""Every line reader of hoshin agrees with MyST-Parser on labels and fences.

The document scanner (mystdoc), the lint blanker (mystblank), the labels a change record may
name (history.document_labels), the flow check (diagrams.check) and the files check
(chapter_files) read MyST as lines through :mod:`hoshin.core.mystsyntax`. Each is fed the
same generated lines and compared with what MyST-Parser's own markdown-it parser reads.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from hoshin.core.chapter_files import scan_text
from hoshin.core.history import document_labels
from hoshin.core.mystblank import blank_myst
from hoshin.core.mystdoc import parse_files
from hoshin.core.mystsyntax import parse_fence, target_name
from hoshin.diagrams.check import flow_references

_MD = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
BODY = "本文です。"

indent = st.sampled_from(["", " ", "   "])
label_lines = st.builds(
    lambda i, o, name, c, t: f"{i}{o}{name}{c}{t}",
    indent,
    st.sampled_from(["(", "", "（"]),
    st.text(alphabet="ab1_.:-/ 概要()", max_size=8),
    st.sampled_from([")=", ")", ") =", ")=x"]),
    st.sampled_from(["", " ", "\t"]),
)
fence_lines = st.builds(
    lambda i, m, sp, word, arg: (f"{i}{m}{sp}{word}{arg}", m),
    indent,
    st.sampled_from(["```", "````", "~~~", ":::", "::::"]),
    st.sampled_from(["", " "]),
    st.sampled_from(["{note}", "{flow}", "{code-block}", "note", "{note}x", "", "{}", "{ flow}"]),
    st.sampled_from(["", " a.yaml", " 題名", " `x`"]),
)


def myst_target(text: str) -> str | None:
    """The name MyST-Parser gives a target on the first line, if it reads one there."""
    tokens = [t for t in _MD.parse(text) if t.map and t.map[0] == 0]
    return tokens[0].content if tokens and tokens[0].type == "myst_target" else None


def myst_fence(text: str) -> tuple[str, str | None, str] | None:
    """(fence character, directive name or None, argument) of MyST's first-line fence."""
    tokens = [t for t in _MD.parse(text) if t.map and t.map[0] == 0]
    if not tokens or tokens[0].type not in ("fence", "colon_fence"):
        return None
    token = tokens[0]
    parts = token.info.strip().split(maxsplit=1)
    name = parts[0] if parts else ""
    directive = name[1:-1] if len(name) > 2 and name[0] == "{" and name[-1] == "}" else None
    return token.markup[0], directive, parts[1] if len(parts) > 1 and directive else ""


@settings(max_examples=300, deadline=None)
@given(label_lines)
def test_every_reader_finds_the_labels_myst_finds(line: str) -> None:
    # four spaces make an indented code block, which a line scanner cannot tell from a
    # list item's continuation: hoshin's readers take it as a label (documented)
    assume(len(line) - len(line.lstrip(" ")) < 4)
    text = f"{line}\n# 見出し\n\n{BODY}\n"
    expected = myst_target(text)
    assert target_name(line) == expected
    sections = parse_files({"index.md": text}).sections
    assert (expected in sections) == (expected is not None)
    if parse_fence(line) is None:  # (a fence line is blanked as a fence)
        blanked = blank_myst(text).split("\n")[0].strip() == ""
        assert blanked == (expected is not None or not line.strip())
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "index.md").write_text(text, encoding="utf-8")
        assert document_labels(Path(tmp)) == ({expected} if expected is not None else set())


@settings(max_examples=300, deadline=None)
@given(fence_lines)
def test_every_reader_reads_fences_as_myst_does(case: tuple[str, str]) -> None:
    opening, marker = case
    text = f"{opening}\n{BODY}\n{marker.strip()}\n\n(after)=\n# 後\n"
    expected = myst_fence(text)
    fence = parse_fence(opening)
    assert (fence is None) == (expected is None)
    if fence is None or expected is None:
        return
    char, directive, argument = expected
    assert (fence.char, fence.directive) == (char, directive)
    # a directive's body is MyST for prose directives and ``:::`` containers
    prose = directive in ("note", "flow") or (directive is None and char == ":")
    blocks = [b.text for _, b in parse_files({"index.md": text}).blocks()]
    assert (BODY in blocks) == prose
    linted = blank_myst(text).split("\n")[1].strip()
    assert (linted == BODY) == (directive == "note" or (directive is None and char == ":"))
    # the fence is closed where MyST closes it: the label after it is a label for all
    assert "after" in parse_files({"index.md": text}).sections
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp)
        (src / "index.md").write_text(text, encoding="utf-8")
        assert document_labels(src) == {"after"}
        flows = [(line, chart.name) for _, line, chart in flow_references(src)]
    files = [(r.line, r.target) for r in scan_text(text) if r.kind == "file"]
    if directive == "flow" and argument:
        assert flows == [(1, argument)]
        assert files == [(1, argument)]
    else:
        assert flows == [] and files == []
