"""A stand-in for mermaid-cli: writes one file per mermaid block and counts its runs.

Fast tests use it instead of starting chromium; the slow tests use the real mmdc.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

from hoshin.diagrams.render import SVG_ROOT_ID

_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.M | re.S)


class FakeMmdc:
    """Callable with the signature of ``hoshin.diagrams.render._run``."""

    def __init__(self, fail_if: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_if = fail_if

    @property
    def runs(self) -> int:
        return len(self.calls)

    def __call__(self, cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        self.calls.append(cmd)
        arg = dict(zip(cmd, [*cmd[1:], ""], strict=True))
        source = Path(arg["--input"]).read_text(encoding="utf-8")
        blocks = _BLOCK.findall(source)
        if self.fail_if and any(self.fail_if in b for b in blocks):
            return subprocess.CompletedProcess(cmd, 1, "", "Error: Parse error on line 2")
        fmt = arg["--outputFormat"]
        out = Path(arg["--output"])
        for number, block in enumerate(blocks, start=1):
            target = out.with_name(f"{out.stem}-{number}{out.suffix}")
            if fmt == "svg":
                target.write_text(
                    f'<svg id="{arg["--svgId"]}" xmlns="http://www.w3.org/2000/svg" '
                    f'role="graphics-document document"><style>#{SVG_ROOT_ID} p{{}}</style>'
                    f"<text>{html.escape(block)}</text></svg>",
                    encoding="utf-8",
                )
            else:
                target.write_bytes(b"%PDF-1.4 fake\n" + block.encode("utf-8"))
        return subprocess.CompletedProcess(cmd, 0, "", "")
