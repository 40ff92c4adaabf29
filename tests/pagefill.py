"""How full each page of a typeset PDF is, as a reader sees it: how far down the text area
the ink of the page reaches (text, rules, drawings alike).

The text area comes from geometry's layout in the LaTeX log (``v-part:(T,H,B)``); each page
is rendered in grey at a low resolution with poppler's ``pdftoppm`` and read row by row. A
page with ink above the text area carries a running head; a page without one opens a
chapter, a part or the front matter, so the page before it ends something.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import subprocess
import tempfile
from pathlib import Path

#: Resolution of the page images: enough to see a line of 11 pt text.
DPI = 30
#: A pixel darker than this is ink.
INK = 170
#: A page less full than this is nearly empty.
NEARLY_EMPTY = 0.25

_VPART = re.compile(r"v-part:\(T,H,B\)=\(([\d.]+)pt, ([\d.]+)pt, ([\d.]+)pt\)")


@dataclasses.dataclass(frozen=True)
class PageFill:
    number: int  # 1-based page of the PDF
    fill: float  # share of the text area's height down to the lowest ink
    running_head: bool
    landscape: bool


def _text_area(log: Path) -> tuple[float, float, float]:
    """(top margin, text height, bottom margin) in pt, from geometry's report in the log."""
    match = _VPART.search(log.read_text(encoding="utf-8", errors="replace"))
    assert match is not None, f"no geometry layout in {log}"
    top, height, bottom = (float(v) for v in match.groups())
    return top, height, bottom


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:  # magic, width, height, maxval; comments start with '#'
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P5" and fields[3] == b"255", fields
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1 : pos + 1 + width * height]


def page_fills(pdf: Path, log: Path) -> list[PageFill]:
    """Every page of ``pdf`` with its fill; ``log`` is the LaTeX log of the same run."""
    top, height, bottom = _text_area(log)
    paper = top + height + bottom
    fills = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True)  # fmt: skip
        images = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1]))
        for number, image in enumerate(images, start=1):
            w, h, pixels = _read_pgm(image)
            inked = [min(pixels[y * w : (y + 1) * w]) < INK for y in range(h)]
            if w > h:  # a landscape page (wide tables): its text area runs across
                fills.append(PageFill(number, 1.0, True, True))
                continue
            first = round(top / paper * h)
            last = round((top + height) / paper * h)
            lowest = max((y for y in range(first, last) if inked[y]), default=first)
            fills.append(
                PageFill(number, (lowest - first) / (last - first), any(inked[:first]), False)
            )
    return fills


def nearly_empty_pages(fills: list[PageFill]) -> list[PageFill]:
    """Pages less than a quarter full that end nothing: the last page of the document and a
    page before one without a running head (a chapter's or a part's opening) may be short."""
    found = []
    for page, after in itertools.pairwise(fills):
        if page.landscape or not after.running_head:
            continue
        if page.fill < NEARLY_EMPTY:
            found.append(page)
    return found
