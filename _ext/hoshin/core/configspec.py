"""A configuration value declared once: name, default, rebuild, meaning, type and rule.

Each feature declares its own ``hoshin_*`` values as a tuple of :class:`Setting` in a pure
``settings`` module (``hoshin.glossary.settings`` …) and registers them with
:func:`add_settings` in its ``setup``. The same declarations drive the build's check of
conf.py (a bad value warns with its conf.py position and falls back to the default),
``hoshin check``'s config check and the configuration reference in the guide.

Nothing here imports Sphinx (``app`` and ``config`` are only used).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hoshin.core.yamlio import DataError

#: A value rule beyond the type: returns what is wrong with a well-typed value, or None.
Rule = Callable[[Any], "str | None"]


@dataclasses.dataclass(frozen=True)
class Setting:
    """One ``hoshin_<name>`` value of conf.py.

    ``rebuild`` follows Sphinx: ``"env"`` when the value changes what is read, ``"html"``
    when it only changes output, ``""`` when it changes neither. ``doc`` is the Japanese
    text of the guide's configuration reference.
    """

    name: str
    default: Any
    rebuild: str
    doc: str
    rule: Rule | None = None

    @property
    def key(self) -> str:
        return f"hoshin_{self.name}"

    @property
    def types(self) -> tuple[type, ...]:
        return (list, tuple) if isinstance(self.default, tuple) else (type(self.default),)

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value`` for this setting (None when it is fine)."""
        expected = self.types
        right_type = isinstance(value, expected) and isinstance(value, bool) == isinstance(
            self.default, bool
        )
        if not right_type:
            return f"must be {expected[0].__name__}, got {type(value).__name__} {value!r}"
        if isinstance(self.default, tuple) and not all(isinstance(v, str) for v in value):
            return "must be a list of strings"
        return self.rule(value) if self.rule else None

    def read(self, config: Any) -> Any:
        """The value from a Sphinx config (lists as tuples)."""
        value = getattr(config, self.key)
        return tuple(value) if isinstance(self.default, tuple) else value


def one_of(*choices: str) -> Rule:
    """A rule: the value is one of ``choices``."""

    def rule(value: Any) -> str | None:
        if value in choices:
            return None
        return f"must be {' or '.join(repr(c) for c in choices)}, got {value!r}"

    return rule


def subset_of(*choices: str) -> Rule:
    """A rule: every item of the list is one of ``choices``."""

    def rule(value: Any) -> str | None:
        if set(value) <= set(choices):
            return None
        names = " and ".join(repr(c) for c in choices)
        return f"may name only {names}, got {list(value)!r}"

    return rule


def conf_position(conf_path: Path, key: str) -> tuple[int, int]:
    """Line and column of the last assignment of ``key`` in conf.py (the one Python keeps)."""
    try:
        lines = conf_path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return (1, 1)
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=\s*")
    found = (1, 1)
    for number, line in enumerate(lines, start=1):
        match = pattern.match(line)
        if match:
            found = (number, match.end() + 1)
    return found


def settings_errors(
    settings: Iterable[Setting], values: Mapping[str, Any], conf_path: Path
) -> list[DataError]:
    """Type and value problems of ``values`` (conf.py names -> values), located in conf.py."""
    errors: list[DataError] = []
    for setting in settings:
        if setting.key not in values:
            continue
        problem = setting.problem(values[setting.key])
        if problem:
            line, col = conf_position(conf_path, setting.key)
            errors.append(DataError(conf_path, line, col, f"{setting.key} {problem}"))
    return errors


def add_settings(app: Any, settings: Sequence[Setting]) -> None:
    """Register ``settings`` with Sphinx, and check conf.py's values of them on load."""
    for setting in settings:
        app.add_config_value(
            setting.key,
            setting.default,
            setting.rebuild,
            types=frozenset(setting.types),
            description=setting.doc,
        )

    def check(app: Any, config: Any) -> None:
        _fall_back_on_bad_values(app, config, settings)

    app.connect("config-inited", check, priority=100)


def _fall_back_on_bad_values(app: Any, config: Any, settings: Sequence[Setting]) -> None:
    """Warn, with the conf.py position, and use the default for a bad value."""
    from sphinx.util import logging

    from hoshin.core.warnings_ import WarningSubType, warn

    logger = logging.getLogger(__name__)
    conf_path = Path(app.confdir) / "conf.py"
    values = {s.key: getattr(config, s.key) for s in settings}
    by_key = {s.key: s for s in settings}
    for error in settings_errors(settings, values, conf_path):
        key = error.message.split(" ", 1)[0]
        default = by_key[key].default
        warn(
            logger,
            WarningSubType.data,
            f"{error.message}; using the default {default!r}",
            location=f"{conf_path}:{error.line}",
        )
        config[key] = default
