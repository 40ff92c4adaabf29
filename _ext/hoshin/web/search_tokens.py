"""Search tokens for Japanese text: overlapping character bigrams plus whole non-Japanese words.

Japanese has no spaces, and a search box query such as 匿名加工情報 must find the text whatever
a morphological analyser would have made of it. Both sides of the site search therefore cut
text the same simple way:

- a run of Japanese characters (kana, kanji, 々, ー) becomes its overlapping bigrams
  (匿名加工 → 匿名, 名加, 加工); a run of one character stays one token;
- any other run of letters and digits (ICT, Society5) becomes one token;
- everything is NFKC-normalised first, so full-width ＩＣＴ and half-width ｶﾀｶﾅ match.

A query matches a page when every bigram of the query occurs on it (Sphinx's search ANDs the
terms), which is close to a phrase match and needs no dictionary. ``SPLIT_QUERY_JS`` is the
same function in JavaScript for the browser; the two must stay in step (the browser test and
``tests/test_search_ja.py`` check them on the same inputs).

Pure Python: no Sphinx or docutils import.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that are cut into bigrams: 々〆〇, hiragana, katakana with ー (not the middle
#: dot ・), katakana extensions, CJK ideographs (BMP, extension A, compatibility, planes 2-3).
JAPANESE_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3007),
    (0x3041, 0x3096),
    (0x309D, 0x309F),
    (0x30A1, 0x30FA),
    (0x30FC, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)


def _class_body(escape: str) -> str:
    return "".join(f"{escape.format(lo)}-{escape.format(hi)}" for lo, hi in JAPANESE_RANGES)


_PY_CLASS = _class_body("\\U{:08X}")
_BIGRAM_RE = re.compile(f"(?=([{_PY_CLASS}]{{2}}))")
_SINGLE_RE = re.compile(f"(?<![{_PY_CLASS}])[{_PY_CLASS}](?![{_PY_CLASS}])")
_OTHER_RE = re.compile(f"[^\\W{_PY_CLASS}]+")
#: NFKC of full-width ASCII (Ａ１！) is plain ASCII; translating it first lets most Japanese
#: text skip the slower full normalisation.
_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def is_japanese(char: str) -> bool:
    """Whether ``char`` (one character) is cut into bigrams."""
    return any(lo <= ord(char) <= hi for lo, hi in JAPANESE_RANGES)


def split_text(text: str) -> list[str]:
    """Cut ``text`` into search tokens (bigrams of Japanese runs, whole other words).

    The tokens come grouped by kind, not in text order: the index only needs the set.
    """
    text = text.translate(_FULLWIDTH_ASCII)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return [*_BIGRAM_RE.findall(text), *_SINGLE_RE.findall(text), *_OTHER_RE.findall(text)]


_JS_CLASS = _class_body("\\u{{{:X}}}")

#: JavaScript placed in ``language_data.js``: ``splitQuery`` (used by Sphinx's
#: ``searchtools.js``) cuts like :func:`split_text`; ``hoshinQueryRuns`` (the uncut runs) and
#: ``hoshinIsJapanese`` serve ``hoshin-search.js``. Python's ``\\w`` (letters and digits of
#: any script, ``_``) is spelled ``[\\p{L}\\p{N}_]`` in JavaScript.
_SPLIT_QUERY_TEMPLATE = """
/* hoshin: Japanese queries are cut into overlapping bigrams, as the index is. */
var hoshinQueryRuns = (query) =>
  Array.from(
    query.normalize("NFKC").matchAll(/[@CLASS@]+|(?:(?![@CLASS@])[\\p{L}\\p{N}_])+/gu),
    (match) => match[0],
  );
var hoshinIsJapanese = (text) => /^[@CLASS@]/u.test(text);
var splitQuery = (query) => {
  const tokens = [];
  for (const run of hoshinQueryRuns(query)) {
    const chars = Array.from(run);
    if (!hoshinIsJapanese(run) || chars.length === 1) {
      tokens.push(run);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i += 1) tokens.push(chars[i] + chars[i + 1]);
  }
  return tokens;
};
"""
SPLIT_QUERY_JS = _SPLIT_QUERY_TEMPLATE.replace("@CLASS@", _JS_CLASS)
