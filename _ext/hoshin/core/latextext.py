"""Text → LaTeX for hoshin's PDFs: escaping, and underlines (傍線) that break like Japanese.

Pure Python (no Sphinx import): used by the Sphinx side (cover, metadata) and by the
新旧対照表 PDF, which hoshin writes itself.

Every string that comes from a data file goes through :func:`escape`, so ``%``, ``&``,
``\\``, ``{``, ``#``, ``_``, ``~`` and friends come out as text, never as markup.

Underlines: ulem's ``\\uline`` boxes each space-separated word; Japanese has no spaces, so
an underlined Japanese passage becomes one unbreakable box and runs into the margin
(measured: 363 pt too wide in a 6 cm cell). :func:`underline` instead boxes each
character with its own rule and joins the boxes with underlined, stretchable glue, which is
a legal line break unless 禁則 (kinsoku: no line starts with 。 」 ー …, none ends with 「 （ …)
forbids it. ASCII words stay whole.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIALS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "[": "{[}",
    "]": "{]}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    "-": "-{}",  # no -- or --- ligatures
    "\u00a0": "~",
    "\ufeff": "",
}

#: No line may start with these (行頭禁則).
NO_BREAK_BEFORE = frozenset(
    "、。，．,.)]}）］｝〕〉》」』】〙〗〟’”｠»・：；:;!?！？ー－…‥々ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ％%"
)
#: No line may end with these (行末禁則).
NO_BREAK_AFTER = frozenset("([{（［｛〔〈《「『【〘〖〝‘“｟«￥＄$")

#: Full-width punctuation whose upLaTeX glyph is half width with spacing from the font
#: metrics; boxed alone it needs that space back (``l`` = glyph left, ``r`` = right).
_HALF_WIDTH_PUNCT = {
    **dict.fromkeys("、。，．）］｝〕〉》」』】", "l"),
    **dict.fromkeys("（［｛〔〈《「『【", "r"),
    **dict.fromkeys("・：；", "c"),
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:[-.,:/][A-Za-z0-9]+)*")


def escape(text: str) -> str:
    """Return ``text`` as LaTeX source that prints exactly ``text`` (line breaks → spaces)."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    text = re.sub(r"\s*[\r\n\t]+\s*", " ", text)
    return "".join(_SPECIALS.get(ch, ch) for ch in text)


def _units(text: str) -> list[str]:
    """Split into unbreakable units: single characters, whole ASCII words, spaces."""
    units: list[str] = []
    pos = 0
    while pos < len(text):
        m = _ASCII_WORD.match(text, pos)
        if m:
            units.append(m.group())
            pos = m.end()
        else:
            units.append(text[pos])
            pos += 1
    return units


def _box(unit: str, macro: str) -> str:
    side = _HALF_WIDTH_PUNCT.get(unit)
    body = escape(unit)
    if side == "l":
        body = rf"\hbox to 1zw{{{body}\hss}}"
    elif side == "r":
        body = rf"\hbox to 1zw{{\hss {body}}}"
    elif side == "c":
        body = rf"\hbox to 1zw{{\hss {body}\hss}}"
    return rf"\{macro}{{{body}}}"


def breakable(before: str, after: str) -> bool:
    """May a line break between the units ``before`` and ``after``?"""
    if not before or not after:
        return True
    return before[-1] not in NO_BREAK_AFTER and after[0] not in NO_BREAK_BEFORE


def underline(text: str, *, double: bool = False) -> str:
    """LaTeX for ``text`` underlined (傍線; ``double`` = 二重傍線) that still breaks lines.

    Needs the macros ``\\hoshinul``/``\\hoshinulglue``/``\\hoshinulnobreak`` (and their
    ``uu`` double forms) from ``hoshinshinkyu.sty``.
    """
    macro = "hoshinuu" if double else "hoshinul"
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    text = re.sub(r"\s+", " ", text)
    out: list[str] = []
    prev = ""
    for unit in _units(text):
        if prev:
            if unit == " " or prev == " ":
                pass
            else:
                glue = "glue" if breakable(prev, unit) else "nobreak"
                out.append(rf"\{macro}{glue}")
        if unit == " ":
            out.append(rf"\{macro}space")
        else:
            out.append(_box(unit, macro))
        prev = unit
    return "".join(out)


def longtable_start(spec: str, head: str, ncols: int) -> list[str]:
    """Lines opening a ruled ``longtable`` whose header row ``head`` repeats on every page
    and whose page breaks say （次のページに続く）."""
    return [
        rf"\begin{{longtable}}{{|{spec}|}}",
        r"\hline",
        rf"{head}\\ \hline",
        r"\endfirsthead",
        r"\hline",
        rf"{head}\\ \hline",
        r"\endhead",
        rf"\multicolumn{{{ncols}}}{{r}}{{\small（次のページに続く）}}\\",
        r"\endfoot",
        r"\endlastfoot",
    ]
