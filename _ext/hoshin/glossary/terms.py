"""Finding words in Japanese text: glossary terms (to link) and hard-word candidates (to check).

Term matching compiles every spelling into one trie-shaped regular expression per build:
longest match first (ICTリテラシー before ICT), leftmost, non-overlapping, linear in the
text for a fixed glossary. Text is compared in NFKC (ＩＣＴ matches ICT, ｶﾞ matches ガ) with
offsets mapped back to the original. Latin spellings get explicit look-arounds, because
``\\b`` sees no boundary between kana and Latin letters (``RFIを``).

Candidate detection finds what a resident may not know: Latin acronyms, katakana runs,
coinages in 〜化 / 〜性 that the dictionary does not list whole, long kanji compounds, and
words of a maintained list. SudachiPy (with ``sudachidict_core``, installed from PyPI) gives
word boundaries. Nothing here imports Sphinx or docutils.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from typing import Any

_ALNUM = "A-Za-z0-9"
_NOT_ALNUM_BEFORE = f"(?<![{_ALNUM}])"
_NOT_ALNUM_AFTER = f"(?![{_ALNUM}])"
_END = ""

#: Kanji runs of at least this many characters are "long compounds".
LONG_COMPOUND_MIN = 8


@dataclasses.dataclass(frozen=True)
class Hit:
    """A match in the original text: ``text[start:end]``, the spelling and what it stands for."""

    start: int
    end: int
    surface: str
    key: str


class Normalised:
    """``text`` in NFKC with a map back: :meth:`span` turns a span of ``normal`` into one of
    ``text``. Nearly every line of Japanese prose normalises one character to one character,
    and then no map is built at all.
    """

    __slots__ = ("ends", "normal", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        normal = unicodedata.normalize("NFKC", text)
        self.starts: list[int] | None = None
        self.ends: list[int] | None = None
        if len(normal) != len(text) or _MARKS.search(text):
            normal, self.starts, self.ends = nfkc_with_offsets(text)
        self.normal = normal

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``text`` that ``normal[start:end]`` (not empty) came from."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def nfkc_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC of ``text`` plus, for each output character, the span of input it came from.

    Characters are normalised in clusters (a base with its combining or half-width voicing
    marks), so ｶﾞ → ガ maps back to both input characters. A line without such marks whose
    NFKC has the same length maps one to one (no single character shrinks under NFKC), which
    is nearly every line of Japanese prose: those lines take the fast path.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for line in text.split("\n"):
        normal = unicodedata.normalize("NFKC", line)
        if len(normal) == len(line) and not _MARKS.search(line):
            out.append(normal)
            starts.extend(range(offset, offset + len(line)))
            ends.extend(range(offset + 1, offset + len(line) + 1))
        else:
            _clusters(line, offset, out, starts, ends)
        out.append("\n")
        starts.append(offset + len(line))
        ends.append(offset + len(line) + 1)
        offset += len(line) + 1
    out.pop(), starts.pop(), ends.pop()
    return "".join(out), starts, ends


#: Characters that combine with the one before them (and Hangul jamo, which compose).
_MARKS = re.compile(
    "[\u0300-\u036f\u1100-\u11ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
    "\u3099-\u309c\ufe20-\ufe2f\uff9e\uff9f]"
)


def _clusters(line: str, offset: int, out: list[str], starts: list[int], ends: list[int]) -> None:
    i, n = 0, len(line)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(line[j]) or _MARKS.match(line[j])):
            j += 1
        normal = unicodedata.normalize("NFKC", line[i:j])
        out.append(normal)
        starts.extend([offset + i] * len(normal))
        ends.extend([offset + j] * len(normal))
        i = j


class TermMatcher:
    """One compiled pattern for a set of spellings, each mapped to a key (a term id).

    ``pairs`` are ``(spelling, key)``; spellings are NFKC-normalised, and a spelling with 中黒
    also matches without it. When two keys claim one spelling, the first wins.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.keys: dict[str, str] = {}
        for surface, key in pairs:
            normal = unicodedata.normalize("NFKC", surface).strip()
            for variant in (normal, normal.replace("・", "")):
                if variant:
                    self.keys.setdefault(variant, key)
        self.pattern = re.compile(_trie_pattern(self.keys)) if self.keys else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def find(self, text: str, norm: Normalised | None = None) -> list[Hit]:
        """All leftmost-longest, non-overlapping matches in ``text``.

        ``norm`` is ``Normalised(text)`` when the caller has it already.
        """
        if self.pattern is None:
            return []
        norm = norm or Normalised(text)
        hits = []
        for m in self.pattern.finditer(norm.normal):
            if m.end() == m.start():
                continue
            start, end = norm.span(m.start(), m.end())
            hits.append(Hit(start, end, text[start:end], self.keys[m.group()]))
        return hits


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = True
    branches = []
    for ch in sorted(k for k in trie if k != _END):
        guard = _NOT_ALNUM_BEFORE if _is_alnum(ch) else ""
        branches.append(guard + re.escape(ch) + _continuation(trie[ch], ch))
    return "|".join(branches)


def _continuation(node: dict[str, Any], prev: str) -> str:
    """Regex for what may follow ``prev`` at this trie node: longer spellings first."""
    branches = [
        re.escape(ch) + _continuation(node[ch], ch) for ch in sorted(k for k in node if k != _END)
    ]
    ends_here = _END in node
    guard = _NOT_ALNUM_AFTER if ends_here and _is_alnum(prev) else ""
    if not branches:
        return guard
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return f"(?:{body}|{guard})"
    return body


def _is_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# --- candidates -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A word that may be hard: ``kind`` is acronym, katakana, coinage, compound or listed."""

    start: int
    end: int
    word: str
    kind: str


#: Latin words: letters and digits joined by "-" or "." (COVID-19, Society5.0), but "1-5.ICT"
#: (a section number before a word) splits at the dot.
_LATIN = re.compile(
    f"{_NOT_ALNUM_BEFORE}[{_ALNUM}](?:[{_ALNUM}]|-(?=[{_ALNUM}])"
    f"|(?<=[A-Za-z])\\.(?=[{_ALNUM}])|(?<=[0-9])\\.(?=[0-9]))*"
)
_ROMAN_NUMERALS = re.compile("[\u2160-\u2188]+")
#: Page references (P26, p.7, pp.12-13): where to look, not a word to explain.
_PAGE_REFERENCE = re.compile(r"[Pp]{1,2}\.?[0-9]+(?:-[0-9]+)?")
_KATAKANA = re.compile(r"[ァ-ヺー](?:[ァ-ヺー]|[・･](?=[ァ-ヺ]))*")
_KANJI = re.compile(r"[一-鿿々〆ヶ]+")
_SUFFIXES = ("化", "性")


def is_acronym(token: str) -> bool:
    """Two capitals (DX, SaaS, Gov-Cloud) or letters with digits (5G, G20, COVID-19)."""
    upper = sum(c.isupper() for c in token)
    has_digit = any(c.isdigit() for c in token)
    has_alpha = any(c.isalpha() for c in token)
    return upper >= 2 or (has_digit and has_alpha)


def find_candidates(
    text: str, listed: TermMatcher | None = None, norm: Normalised | None = None
) -> list[Candidate]:
    """Hard-word candidates in one line of prose, in text order (may overlap).

    ``norm`` is ``Normalised(text)`` when the caller has it already.
    """
    norm = norm or Normalised(text)
    normal = norm.normal
    found: list[Candidate] = []

    def add(m_start: int, m_end: int, kind: str) -> None:
        start, end = norm.span(m_start, m_end)
        found.append(Candidate(start, end, text[start:end], kind))

    for m in _LATIN.finditer(normal):
        a, b = norm.span(m.start(), m.end())
        original = text[a:b]
        if (
            is_acronym(m.group())
            and not _ROMAN_NUMERALS.fullmatch(original)
            and not _PAGE_REFERENCE.fullmatch(m.group())
        ):
            add(m.start(), m.end(), "acronym")
    for m in _KATAKANA.finditer(normal):
        if len(m.group().replace("ー", "")) >= 2:
            add(m.start(), m.end(), "katakana")
    for m in _KANJI.finditer(normal):
        run = m.group()
        if len(run) >= 2 and any(s in run[1:] for s in _SUFFIXES):
            for a, b in coinages(run):
                add(m.start() + a, m.start() + b, "coinage")
        if len(run) >= LONG_COMPOUND_MIN and not has_proper_noun(run):
            add(m.start(), m.end(), "compound")
    if listed:
        hits = listed.find(text, norm)
        found.extend(Candidate(h.start, h.end, h.surface, "listed") for h in hits)
    found.sort(key=lambda c: (c.start, -c.end))
    return found


@functools.lru_cache(maxsize=1)
def analyser() -> Any:
    """The SudachiPy tokenizer (mode C: longest dictionary words), created once per process."""
    from hoshin.core.sudachi import tokenizer

    return tokenizer("C")


def coinages(run: str) -> list[tuple[int, int]]:
    """Spans of 〜化 / 〜性 words in a kanji run that the dictionary does not list whole.

    強靱化 is 強靱 + suffix 化 (a coinage); 効率化 is one dictionary word (established).
    Prefixes and numerals before the stem stay with the word (高付加価値化, 二重化).
    """
    spans = []
    morphemes = list(analyser().tokenize(run))
    for k, m in enumerate(morphemes):
        if k == 0 or m.surface() not in _SUFFIXES or m.part_of_speech()[0] != "接尾辞":
            continue
        first = k - 1
        while first > 0 and (
            morphemes[first - 1].part_of_speech()[0] == "接頭辞"
            or morphemes[first - 1].part_of_speech()[1] == "数詞"
        ):
            first -= 1
        spans.append((morphemes[first].begin(), m.end()))
    return spans


def has_proper_noun(run: str) -> bool:
    """True when a kanji run contains a place, person or organisation name (川市総務部)."""
    return any(m.part_of_speech()[1] == "固有名詞" for m in analyser().tokenize(run))


def reading_of(word: str) -> str:
    """The analyser's reading of ``word`` in katakana ('' for a word it does not know)."""
    parts = []
    for m in analyser().tokenize(word):
        if m.is_oov():
            return ""
        parts.append(m.reading_form())
    return "".join(parts)


@functools.lru_cache(maxsize=1)
def packaged_word_lists() -> tuple[dict[str, str], frozenset[str]]:
    """hoshin's maintained lists: hard words (with a paraphrase where known), settled loanwords.

    ``data/hard_words.tsv``: ``word<TAB>paraphrase`` lines, always candidates.
    ``data/settled_loanwords.txt``: loanwords in everyday use, never candidates on their own.
    """
    data = resources.files("hoshin.glossary") / "data"
    hard: dict[str, str] = {}
    for line in (data / "hard_words.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, _, paraphrase = line.partition("\t")
            hard[word.strip()] = paraphrase.strip()
    settled = frozenset(
        line.split("#")[0].strip()
        for line in (data / "settled_loanwords.txt").read_text(encoding="utf-8").splitlines()
        if line.split("#")[0].strip()
    )
    return hard, settled
