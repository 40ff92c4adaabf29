"""Where a sphinx-build spends its time: start-up, reading, resolving and writing.

Runs ``sphinx-build`` in this process with the event manager wrapped, and prints the
time from process start to the first ``builder-inited``, ``env-before-read-docs``,
``env-updated`` and ``build-finished``, plus the CPU time of the whole run. It also
reports the time spent in each extension's event handlers (by module), which is how the
hoshin share of a build is found without a profiler's distortion.

    .venv/bin/python bench/phases.py -- -b html -c . source _build/x
"""

from __future__ import annotations

import collections
import os
import sys
import time

START = time.perf_counter()


def main(argv: list[str]) -> int:
    from sphinx.cmd.build import build_main
    from sphinx.events import EventManager

    marks: dict[str, float] = {}
    handler_time: collections.Counter[str] = collections.Counter()
    original_emit = EventManager.emit

    def emit(self: EventManager, name: str, *args: object, **kwargs: object) -> list[object]:
        marks.setdefault(name, time.perf_counter() - START)
        return original_emit(self, name, *args, **kwargs)

    EventManager.emit = emit  # type: ignore[method-assign]

    original_connect = EventManager.connect

    def connect(self: EventManager, name: str, callback: object, priority: int) -> int:
        module = getattr(callback, "__module__", "?") or "?"

        def timed(*args: object, **kwargs: object) -> object:
            t0 = time.perf_counter()
            try:
                return callback(*args, **kwargs)  # type: ignore[operator]
            finally:
                handler_time[f"{module.split('.')[0]}:{name}"] += time.perf_counter() - t0

        return original_connect(self, name, timed, priority)

    EventManager.connect = connect  # type: ignore[method-assign]
    code = build_main(argv)
    end = time.perf_counter() - START
    cpu = os.times()
    for name in ("builder-inited", "env-before-read-docs", "env-updated", "build-finished"):
        print(f"{name:>22}: {marks.get(name, float('nan')):7.2f} s")
    print(f"{'end':>22}: {end:7.2f} s   CPU {cpu.user + cpu.system:.2f} s")
    print("event handlers over 0.05 s (module:event):")
    for key, seconds in handler_time.most_common():
        if seconds >= 0.05:
            print(f"  {seconds:7.2f} s  {key}")
    return code


if __name__ == "__main__":
    args = sys.argv[1:]
    raise SystemExit(main(args[1:] if args[:1] == ["--"] else args))
