"""Readings (yomi) of glossary terms: 五十音 sort keys, 行 groups, kana and romaji helpers.

Sorting follows JIS X 4061 as summarised in REFERENCE.md: the primary key ignores voicing
marks and small kana and reads the long-vowel mark ー as the vowel it lengthens; ties are
then broken plain → voiced → semi-voiced, vowel before ー, large before small. Nothing here
imports Sphinx.
"""

from __future__ import annotations

import re
import unicodedata

#: A reading is hiragana plus the long-vowel mark (readings of loanwords and acronyms use it).
READING_RE = re.compile(r"[ぁ-ゖー]+")

_SMALL = dict(zip("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ", strict=True))
_VOWEL_OF = {
    **dict.fromkeys("あかさたなはまやらわ", "あ"),
    **dict.fromkeys("いきしちにひみり", "い"),
    **dict.fromkeys("うくすつぬふむゆる", "う"),
    **dict.fromkeys("えけせてねへめれ", "え"),
    **dict.fromkeys("おこそとのほもよろを", "お"),
}

#: 行 (row) of each plain kana, in display order; ん joins わ行 as in dictionaries.
ROWS: tuple[tuple[str, str, str], ...] = (
    ("a", "あ行", "あいうえお"),
    ("ka", "か行", "かきくけこ"),
    ("sa", "さ行", "さしすせそ"),
    ("ta", "た行", "たちつてと"),
    ("na", "な行", "なにぬねの"),
    ("ha", "は行", "はひふへほ"),
    ("ma", "ま行", "まみむめも"),
    ("ya", "や行", "やゆよ"),
    ("ra", "ら行", "らりるれろ"),
    ("wa", "わ行", "わゐゑをん"),
)


def _plain(ch: str) -> tuple[str, int]:
    """Plain (清音) form of one hiragana and its voicing: 0 plain, 1 voiced, 2 semi-voiced."""
    decomposed = unicodedata.normalize("NFD", ch)
    voicing = 0
    if "\u3099" in decomposed:
        voicing = 1
    elif "\u309a" in decomposed:
        voicing = 2
    base = decomposed[0]
    return base, voicing


def sort_key(reading: str) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """JIS X 4061 style key: (primary string, per-character tie-breakers)."""
    primary: list[str] = []
    ties: list[tuple[int, int, int]] = []
    for ch in reading:
        if ch == "ー":
            vowel = _VOWEL_OF.get(primary[-1], "ー") if primary else "ー"
            primary.append(vowel)
            ties.append((0, 1, 0))
            continue
        base, voicing = _plain(ch)
        small = 1 if base in _SMALL else 0
        base = _SMALL.get(base, base)
        primary.append(base)
        ties.append((voicing, 0, small))
    return "".join(primary), tuple(ties)


def row_of(reading: str) -> tuple[str, str]:
    """(ASCII slug, label) of the 行 a reading sorts under, e.g. ``("ka", "か行")``."""
    primary, _ = sort_key(reading[:1] or "あ")
    first = primary[:1]
    for slug, label, kana in ROWS:
        if first in kana:
            return slug, label
    return "other", "その他"


def katakana_to_hiragana(text: str) -> str:
    """ア → あ (ー and non-kana unchanged); used to turn analyser readings into ours."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


_LETTER_READINGS = {
    "A": "えー",
    "B": "びー",
    "C": "しー",
    "D": "でぃー",
    "E": "いー",
    "F": "えふ",
    "G": "じー",
    "H": "えいち",
    "I": "あい",
    "J": "じぇー",
    "K": "けー",
    "L": "える",
    "M": "えむ",
    "N": "えぬ",
    "O": "おー",
    "P": "ぴー",
    "Q": "きゅー",
    "R": "あーる",
    "S": "えす",
    "T": "てぃー",
    "U": "ゆー",
    "V": "ぶい",
    "W": "だぶりゅー",
    "X": "えっくす",
    "Y": "わい",
    "Z": "ぜっと",
}
_DIGIT_READINGS = dict(
    zip(
        "0123456789",
        ("ぜろ", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう"),
        strict=True,
    )
)


def spell_out(text: str) -> str:
    """Letter-by-letter reading of Latin letters and digits (RFI → あーるえふあい)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        if ch.upper() in _LETTER_READINGS:
            out.append(_LETTER_READINGS[ch.upper()])
        elif ch in _DIGIT_READINGS:
            out.append(_DIGIT_READINGS[ch])
        elif READING_RE.fullmatch(ch):
            out.append(ch)
        elif "ァ" <= ch <= "ヶ" or ch == "ー":
            out.append(katakana_to_hiragana(ch))
    return "".join(out)


_ROMAJI = {
    "きゃ": "kya",
    "きゅ": "kyu",
    "きょ": "kyo",
    "しゃ": "sha",
    "しゅ": "shu",
    "しょ": "sho",
    "ちゃ": "cha",
    "ちゅ": "chu",
    "ちょ": "cho",
    "にゃ": "nya",
    "にゅ": "nyu",
    "にょ": "nyo",
    "ひゃ": "hya",
    "ひゅ": "hyu",
    "ひょ": "hyo",
    "みゃ": "mya",
    "みゅ": "myu",
    "みょ": "myo",
    "りゃ": "rya",
    "りゅ": "ryu",
    "りょ": "ryo",
    "ぎゃ": "gya",
    "ぎゅ": "gyu",
    "ぎょ": "gyo",
    "じゃ": "ja",
    "じゅ": "ju",
    "じょ": "jo",
    "びゃ": "bya",
    "びゅ": "byu",
    "びょ": "byo",
    "ぴゃ": "pya",
    "ぴゅ": "pyu",
    "ぴょ": "pyo",
    "てぃ": "ti",
    "でぃ": "di",
    "ふぁ": "fa",
    "ふぃ": "fi",
    "ふぇ": "fe",
    "ふぉ": "fo",
    "うぃ": "wi",
    "うぇ": "we",
    "うぉ": "wo",
    "じぇ": "je",
    "しぇ": "she",
    "ちぇ": "che",
    "ゔぁ": "va",
    "ゔぃ": "vi",
    "ゔぇ": "ve",
    "ゔぉ": "vo",
    "どぅ": "du",
    "とぅ": "tu",
}
_ROMAJI1 = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
        "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゔぁぃぅぇぉゃゅょゎ",
        [
            "a",
            "i",
            "u",
            "e",
            "o",
            "ka",
            "ki",
            "ku",
            "ke",
            "ko",
            "sa",
            "shi",
            "su",
            "se",
            "so",
            "ta",
            "chi",
            "tsu",
            "te",
            "to",
            "na",
            "ni",
            "nu",
            "ne",
            "no",
            "ha",
            "hi",
            "fu",
            "he",
            "ho",
            "ma",
            "mi",
            "mu",
            "me",
            "mo",
            "ya",
            "yu",
            "yo",
            "ra",
            "ri",
            "ru",
            "re",
            "ro",
            "wa",
            "o",
            "n",
            "ga",
            "gi",
            "gu",
            "ge",
            "go",
            "za",
            "ji",
            "zu",
            "ze",
            "zo",
            "da",
            "ji",
            "zu",
            "de",
            "do",
            "ba",
            "bi",
            "bu",
            "be",
            "bo",
            "pa",
            "pi",
            "pu",
            "pe",
            "po",
            "vu",
            "a",
            "i",
            "u",
            "e",
            "o",
            "ya",
            "yu",
            "yo",
            "wa",
        ],
        strict=True,
    )
)


def romanize(reading: str) -> str:
    """Hepburn-like ASCII of a reading, for proposing ids (long vowels written once)."""
    out: list[str] = []
    i = 0
    geminate = False
    while i < len(reading):
        pair = reading[i : i + 2]
        if pair in _ROMAJI:
            syllable, i = _ROMAJI[pair], i + 2
        elif reading[i] == "っ":
            geminate, i = True, i + 1
            continue
        elif reading[i] == "ー":
            i += 1
            continue
        else:
            syllable, i = _ROMAJI1.get(reading[i], ""), i + 1
            if (
                syllable in ("u", "o")
                and out
                and out[-1][-1:] in ("o", "u")[: 2 if syllable == "u" else 1]
            ):
                continue  # long vowel: じょう → jo, ちゅう → chu
        if geminate and syllable:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            geminate = False
        out.append(syllable)
    return "".join(out)
