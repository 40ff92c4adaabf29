"""Which changes a change record covers (pure Python, no Sphinx).

A change record (改版記録) is the city's statement of why some wording changed. In a
新旧対照表 a row may only carry the records that speak of *that* change, so the join asks,
for each change and each record naming its section: does the record's quotation lie over
the changed text? A record whose ``quote`` is ``none`` (its 改版前/改版後 describe rather
than quote, e.g. 「(刷新)」) or that quotes nothing speaks of its whole sections.

Positions are counted in the normalised text (:func:`normalise_quote`: NFKC, no whitespace,
bullets or tags) of one section on one side (``old`` or ``new``). A change occupies, on each
side, the characters it deleted or inserted there (a whole block for an added, removed or
moved block); an edit that adds nothing on one side is a point there (where the other
side's text was inserted or deleted). A quotation is located exactly; when it is not in the
text verbatim (a table that quotes with slightly different wording), it is located by the
longest run of its pieces that the text holds in order, so the record still covers the
change it describes, while the mismatch itself is reported by the quote check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from hoshin.core.history import ChangeRecord
from hoshin.core.mystdoc import PolicyDocument
from hoshin.revisions.diff import BlockChange

#: A range ``[start, end)`` of normalised characters; ``start == end`` is a point.
Interval = tuple[int, int]

#: Bullet glyphs and markup that tables quote but the MyST text draws as list markers.
_DROP = re.compile(r"<[A-Za-z/][^<>]*>|[\s◆◇▶►▼・●○■□]")
#: Length of the pieces an inexact quotation is cut into to find where it lies.
_PIECE = 6
#: Share of an inexact quotation's pieces that must be found, in order, near each other.
_FOUND_SHARE = 0.6


def normalise_quote(text: str) -> str:
    """NFKC, then no whitespace, no bullet glyphs (◆ ・ …) and no HTML tags (``<p>``).

    Bullets are list markers in the MyST text (the transcription conventions drop them),
    so a quotation keeps matching the text that a reader sees.
    """
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def whole_section(record: ChangeRecord) -> bool:
    """A record that quotes nothing (``quote: none``) speaks of every change of its sections."""
    return not (record.quotes("old") or record.quotes("new"))


@dataclass(frozen=True, slots=True)
class SectionText:
    """One section's normalised text and where each of its blocks starts in it."""

    text: str
    starts: dict[tuple[str, int, str], int]


class SideTexts:
    """Normalised section texts of one version, made on first use."""

    def __init__(self, doc: PolicyDocument) -> None:
        self.doc = doc
        self._texts: dict[str, SectionText | None] = {}

    def get(self, label: str | None) -> SectionText | None:
        if label is None:
            return None
        if label not in self._texts:
            section = self.doc.sections.get(label)
            if section is None:
                self._texts[label] = None
            else:
                parts: list[str] = []
                starts: dict[tuple[str, int, str], int] = {}
                at = 0
                for block in section.blocks:
                    starts.setdefault((block.path, block.line, block.text), at)
                    part = normalise_quote(block.text)
                    parts.append(part)
                    at += len(part)
                self._texts[label] = SectionText("".join(parts), starts)
        return self._texts[label]


def change_label(change: BlockChange, side: str) -> str | None:
    """The section the change's ``side`` lies in (None: the block has no such side)."""
    if side == "old":
        return None if change.kind == "added" else (change.old_section or change.section)
    return None if change.kind == "removed" else change.section


def change_ranges(change: BlockChange, side: str, section: SectionText) -> list[Interval]:
    """Where ``change`` deleted (old side) or inserted (new side) text, in ``section``."""
    if side == "old":
        text, path, line, own = change.old, change.old_path, change.old_line, "delete"
    else:
        text, path, line, own = change.new, change.new_path, change.new_line, "insert"
    if path is None or line is None:
        return []
    start = section.starts.get((path, line, text))
    if start is None:
        return []
    if change.kind != "changed":
        return [(start, start + len(normalise_quote(text)))]
    out: list[Interval] = []
    at = start
    for span in change.spans:
        if span.op == "equal":
            at += len(normalise_quote(span.text))
        elif span.op == own:
            size = len(normalise_quote(span.text))
            out.append((at, at + size))
            at += size
        else:  # the other side's edit happens here: a point on this side
            out.append((at, at))
    return out


def locate(quote: str, text: str, *, inexact: bool = True) -> list[Interval]:
    """Where the normalised ``quote`` lies in the normalised ``text`` (empty: nowhere)."""
    if not quote:
        return []
    found: list[Interval] = []
    at = text.find(quote)
    while at >= 0:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + len(quote))
    if found or not inexact:
        return found
    approx = _locate_inexact(quote, text)
    return [approx] if approx is not None else []


def _locate_inexact(quote: str, text: str) -> Interval | None:
    """The stretch of ``text`` holding most pieces of ``quote`` in order, if enough of them.

    Each piece found votes for where the quotation would start; pieces whose votes lie close
    together (a few added or dropped characters apart) form one candidate stretch.
    """
    if len(quote) < 2 * _PIECE:
        return None
    hits: list[tuple[int, int, int]] = []  # (implied start, position in text, piece offset)
    for offset in range(0, len(quote) - _PIECE + 1, _PIECE):
        piece = quote[offset : offset + _PIECE]
        at = text.find(piece)
        while at >= 0:
            hits.append((at - offset, at, offset))
            at = text.find(piece, at + 1)
    if not hits:
        return None
    hits.sort()
    drift = max(_PIECE, len(quote) // 10)
    best: tuple[int, int, int] | None = None  # (pieces, start, end)
    lo = 0
    for hi in range(len(hits)):
        while hits[hi][0] - hits[lo][0] > drift:
            lo += 1
        window = hits[lo : hi + 1]
        pieces = len({offset for _, _, offset in window})
        if best is None or pieces > best[0]:
            best = (pieces, min(h[1] for h in window), max(h[1] for h in window) + _PIECE)
    assert best is not None
    pieces_in_quote = len(range(0, len(quote) - _PIECE + 1, _PIECE))
    if best[0] < _FOUND_SHARE * pieces_in_quote:
        return None
    return (best[1], best[2])


def overlaps(quoted: Interval, changed: Interval) -> bool:
    """Whether a quotation covers a change: they share characters, or the point is inside."""
    qs, qe = quoted
    cs, ce = changed
    if cs == ce:
        return qs < cs < qe
    return cs < qe and qs < ce


@dataclass
class RecordPlaces:
    """Where one record's quotations lie on each side: ``{(side, label): [intervals]}``."""

    places: dict[tuple[str, str], list[Interval]]

    @property
    def located(self) -> bool:
        return any(self.places.values())

    def covers(self, change: BlockChange, texts: dict[str, SideTexts]) -> bool:
        for side in ("old", "new"):
            label = change_label(change, side)
            quoted = self.places.get((side, label)) if label is not None else None
            if not quoted:
                continue
            section = texts[side].get(label)
            if section is None:
                continue
            ranges = change_ranges(change, side, section)
            if any(overlaps(q, c) for q in quoted for c in ranges):
                return True
        return False


def record_places(record: ChangeRecord, texts: dict[str, SideTexts]) -> RecordPlaces:
    """Locate ``record``'s quotations in its sections, exactly where possible."""
    places: dict[tuple[str, str], list[Interval]] = {}
    for side in ("old", "new"):
        if not record.quotes(side):
            continue
        quote = normalise_quote((record.old if side == "old" else record.new) or "")
        sections = [(label, texts[side].get(label)) for label in record.sections]
        present = [(label, s) for label, s in sections if s is not None]
        exact = {label: locate(quote, s.text, inexact=False) for label, s in present}
        if any(exact.values()):
            places.update({(side, label): found for label, found in exact.items() if found})
            continue
        for label, s in present:
            found = locate(quote, s.text)
            if found:
                places[(side, label)] = found
                break
    return RecordPlaces(places)


def covering(
    candidates: Iterable[ChangeRecord],
    change: BlockChange,
    places: dict[int, RecordPlaces],
    texts: dict[str, SideTexts],
) -> list[ChangeRecord]:
    """The records among ``candidates`` (those naming the change's sections) that cover it."""
    return [r for r in candidates if whole_section(r) or places[r.no].covers(change, texts)]
