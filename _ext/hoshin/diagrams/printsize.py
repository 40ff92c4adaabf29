"""How large a diagram prints in the PDF edition: labels legible, the drawing on the page.

mermaid draws labels at 16 px; mermaid-cli's PDF has 0.75 pt per px, so a drawing printed at
its own size has 12 pt labels and one printed at width ``w`` has ``12 * w / natural`` pt.
:func:`print_layout` picks a width that gives 10 pt labels where the page allows and never
less than 9 pt: scaled to the text width, or turned a quarter (the drawing's width along the
page's height) when it is too wide; only a drawing too large for either is set smaller (its
layout says so, for a warning). Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

#: Label size of a drawing printed at its own size (16 px at 0.75 pt per px).
NATURAL_LABEL_PT = 12.0
PREFERRED_LABEL_PT = 10.0
MIN_LABEL_PT = 9.0
#: Room for a drawing in the PDF edition (A4, 11 pt, hoshin.sty), in pt: the text width
#: (453 pt) plus a little of the margins, centred (16 mm of paper left on either side), and
#: the text height less room for the caption.
TEXT_WIDTH_PT = 500.0
TEXT_HEIGHT_PT = 600.0

_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


@dataclasses.dataclass(frozen=True)
class PrintLayout:
    width_pt: float  # the drawing's printed width (along the page's height when turned)
    turned: bool
    label_pt: float


def pdf_size(path: Path) -> tuple[float, float] | None:
    """Width and height (pt) of a one-page PDF's MediaBox, or None if not found."""
    try:
        match = _MEDIABOX.search(path.read_bytes())
    except OSError:
        return None
    if match is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return (x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


def print_layout(width: float, height: float) -> PrintLayout:
    """Printed width and orientation of a drawing of ``width`` x ``height`` pt."""
    preferred = PREFERRED_LABEL_PT / NATURAL_LABEL_PT
    least = MIN_LABEL_PT / NATURAL_LABEL_PT
    upright = min(TEXT_WIDTH_PT / width, TEXT_HEIGHT_PT / height)
    turned = min(TEXT_HEIGHT_PT / width, TEXT_WIDTH_PT / height)
    if upright >= least or upright >= turned:
        scale, is_turned = min(preferred, upright), False
    else:
        scale, is_turned = min(preferred, turned), True
    return PrintLayout(width * scale, is_turned, NATURAL_LABEL_PT * scale)
