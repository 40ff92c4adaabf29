"""常体 sentences in a です・ます document, and the reverse (rule ``hoshin/desumasu``).

textlint's ``no-mix-dearu-desumasu`` sees only だ/である: 「推進する。」「図る。」「ない。」
among です・ます sentences pass it. Here every prose sentence's end is read with Sudachi (the
morphological analyser hoshin already uses): the last word before 。 that is not a symbol or
a sentence-final particle decides.

- です・ます: the final run of auxiliaries holds ます or です (「します」「ありません」
  「でしょう」), or the sentence ends in 「ください」.
- 常体: the last word is the 終止形 (or 意志推量形) of a verb, an adjective or an auxiliary
  (「推進する」「図る」「ない」「重要だ」「である」「行った」).
- Anything else (体言止め「…の推進。」, 連体形 + noun「…すること」) is neither and not counted.

Each file's style is the majority of its counted sentence ends (a tie counts as です・ます, the
style of public documents); the minority is reported. An ordinance written in 常体 (第N条 …
とする。) therefore gets no finding. Not read as prose: headings, table rows, list-table cells,
block quotes, text inside 「」『』 and brackets, code, MyST syntax and directives that are not
prose (:mod:`hoshin.core.mystblank`). The result is in textlint's message format (ranges in
UTF-16 units), so it joins textlint's findings, allowances and cache unchanged.
Sudachi is loaded once per process, the first time the rule runs. No Sphinx import.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

from hoshin.core.mystblank import PROSE_DIRECTIVES, blank_myst

RULE = "hoshin/desumasu"
#: Bump when the rule's results change (part of the lint cache key).
VERSION = 1
POLITE, PLAIN = "です・ます調", "常体"

_NOT_PROSE = PROSE_DIRECTIVES - {"list-table"}
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_SKIPPED_LINE = re.compile(r"^[ \t]*(?:\||>|<)")
_RULE_LINE = re.compile(r"^[ \t]*(?:([-*_=])[ \t]*)(?:\1[ \t]*){2,}$")
_LIST_MARK = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,3}[.)])(?=[ \t])")
_INLINE = re.compile(
    r"`[^`\n]*`"  # code spans (and the content of roles: a term, a reference)
    r"|!?\[\^[^\]]*\]"  # footnote references
    r"|\]\([^)\s]*\)"  # the target of a link: "](url)"
    r"|<https?://[^>\s]*>"  # autolinks
    r"|\{\{[^}]*\}\}"  # substitutions
    r"|[`*\[]|(?<![A-Za-z0-9])_{1,2}|_{1,2}(?![A-Za-z0-9])"  # inline markup characters
)
_PAIRS = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〔": "〕", "［": "］"}
_ENDS = "。．！？!?"
_SKIP_POS = ("補助記号", "空白")
#: How much of a sentence's end is analysed (the start may cut a word: only the end counts).
_TAIL = 60


@dataclasses.dataclass(frozen=True)
class Ending:
    """A counted sentence end: where its predicate starts, its style and what to quote."""

    offset: int
    style: str
    quote: str


@functools.cache
def _tokenizer() -> Any:
    from hoshin.core.sudachi import tokenizer

    return tokenizer("C")


def prose_text(text: str) -> str:
    """``text`` with everything but the prose sentences blanked (same length, same lines)."""
    lines = blank_myst(text, _NOT_PROSE).split("\n")
    for n, line in enumerate(lines):
        bare = line.rstrip("\r")
        if _HEADING.match(bare) or _SKIPPED_LINE.match(bare):
            lines[n] = _blank(line)
        elif _RULE_LINE.match(bare):
            lines[n] = _blank(line)
            if bare.strip()[0] in "=-" and n and lines[n - 1].strip():
                lines[n - 1] = _blank(lines[n - 1])  # the text of a setext heading
    out = "\n".join(lines)
    out = _INLINE.sub(lambda m: " " * len(m.group()), out)
    return _blank_bracketed(out)


def _blank(line: str) -> str:
    body = line.rstrip("\r")
    return " " * len(body) + line[len(body) :]


def _blank_bracketed(text: str) -> str:
    """Blank what is inside 「」『』 and brackets (a quotation or an aside is not the
    sentence's end); brackets without their partner on their line are left as they are."""
    chars = list(text)
    for start, end in _line_spans(text):
        stack: list[tuple[str, int]] = []
        for i in range(start, end):
            ch = text[i]
            if ch in _PAIRS:
                stack.append((ch, i))
            elif stack and ch == _PAIRS[stack[-1][0]]:
                _, j = stack.pop()
                if not stack:
                    chars[j + 1 : i] = " " * (i - j - 1)
    return "".join(chars)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _sentences(prose: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: paragraphs and list items split after 。！？.

    The rest of a paragraph without a final 。 is a sentence too; the rest of a list item
    is not: an item without 句点 (「…を見直す」「…の共有化」) is a heading-like entry, for
    which 公用文 uses 体言止め or 常体 in any document.
    """
    out: list[tuple[int, int]] = []
    start: int | None = None
    in_item = False
    for line_start, line_end in _line_spans(prose):
        line = prose[line_start:line_end]
        mark = _LIST_MARK.match(line)
        if not line.strip() or mark:
            if start is not None and not in_item:
                out.append((start, line_start))
            start = None
            in_item = bool(mark)
        if mark:
            line_start += mark.end()
        for i in range(line_start, line_end):
            ch = prose[i]
            if start is None:
                if ch.isspace():
                    continue
                start = i
            if ch in _ENDS:
                out.append((start, i + 1))
                start = None
    if start is not None and not in_item:
        out.append((start, len(prose)))
    return [(a, b) for a, b in out if prose[a:b].strip(" \t\r\n" + _ENDS)]


def _style(tokens: list[Any]) -> tuple[str | None, int]:
    """The style of a sentence end and the index of the token where its predicate starts."""
    i = len(tokens) - 1
    while i >= 0 and (
        tokens[i].part_of_speech()[0] in _SKIP_POS
        or tokens[i].part_of_speech()[:2] == ("助詞", "終助詞")
    ):
        i -= 1
    if i < 0:
        return None, 0
    last = i
    while i > 0 and tokens[i - 1].part_of_speech()[0] in ("助動詞", "動詞", "形容詞"):
        i -= 1
    chain = tokens[i : last + 1]
    if any(t.part_of_speech()[4] in ("助動詞-マス", "助動詞-デス") for t in chain):
        return POLITE, i
    pos = tokens[last].part_of_speech()
    if pos[0] == "動詞" and tokens[last].dictionary_form() in ("くださる", "下さる"):
        return POLITE, i
    if pos[0] in ("動詞", "形容詞", "助動詞") and pos[5].startswith(("終止形", "意志推量形")):
        return PLAIN, i
    if pos[0] in ("動詞", "形容詞") and pos[5].startswith("連体形"):
        return PLAIN, i  # nothing follows: the same form ends the sentence
    return None, i


def sentence_endings(text: str) -> list[Ending]:
    """Every counted sentence end of a MyST text, in order."""
    prose = prose_text(text)
    spans = _sentences(prose)
    if not spans:
        return []
    tokenizer = _tokenizer()
    out = []
    for start, end in spans:
        body_end = end
        while body_end > start and (prose[body_end - 1] in _ENDS or prose[body_end - 1].isspace()):
            body_end -= 1
        tail_start = max(start, body_end - _TAIL)
        # always end in 。: without it Sudachi reads a final 「取り組む」 as 連体形
        tokens = list(tokenizer.tokenize(prose[tail_start:body_end] + "。"))
        style, k = _style(tokens)
        if style is None:
            continue
        offset = tail_start + tokens[k].begin()
        quote = re.sub(r"\s+", "", text[max(start, body_end - 12) : end])
        if max(start, body_end - 12) > start:
            quote = "…" + quote
        out.append(Ending(offset, style, quote))
    return out


def desumasu_messages(text: str) -> list[dict[str, Any]]:
    """The minority style's sentence ends, as textlint messages (UTF-16 ranges)."""
    endings = sentence_endings(text)
    polite = sum(1 for e in endings if e.style == POLITE)
    plain = len(endings) - polite
    if not polite or not plain:
        return []
    major, minor = (POLITE, PLAIN) if polite >= plain else (PLAIN, POLITE)
    counts = f"{major} {max(polite, plain)} 文、{minor} {min(polite, plain)} 文"
    out = []
    for e in endings:
        if e.style != minor:
            continue
        at = _utf16(text, e.offset)
        out.append(
            {
                "ruleId": RULE,
                "message": f"{major}の文書に{minor}の文末があります（「{e.quote}」）。"
                f"文末をそろえてください（この文書は{counts}）",
                "range": [at, at + 1],
                "severity": 2,
            }
        )
    return out


def _utf16(text: str, offset: int) -> int:
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)
