"""The ``hoshin_*`` values every feature shares (project, version, edition), and conf.py checks.

Each field of :class:`HoshinConfig` becomes ``hoshin_<name>`` in ``conf.py``. The features
declare their own values next to their code (``hoshin.<feature>.settings``, as
:class:`~hoshin.core.configspec.Setting` tuples); :func:`hoshin.all_settings` lists them all
for ``hoshin check`` and the guide's configuration reference. ``rebuild`` follows Sphinx:
``"env"`` when the value changes what is read, ``"html"`` when it only changes output.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoshin.core.configspec import Setting, conf_position, settings_errors
from hoshin.core.yamlio import FORBIDDEN_CHARS, DataError, forbidden_message

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclasses.dataclass(frozen=True)
class HoshinConfig:
    project_slug: str = dataclasses.field(
        default="policy",
        metadata={"rebuild": "html", "doc": "PDF などのファイル名に使う ASCII の略称"},
    )
    issuer: str = dataclasses.field(
        default="", metadata={"rebuild": "html", "doc": "発行者（PDF の著者、表紙）"}
    )
    root: str = dataclasses.field(
        default="",
        metadata={
            "rebuild": "env",
            "doc": "プロジェクトの最上位フォルダ（空なら conf.py のあるフォルダ）",
        },
    )
    version_id: str = dataclasses.field(
        default="current",
        metadata={"rebuild": "env", "doc": "このビルドが表す版の ID（作業中の原稿は current）"},
    )
    draft_date: str = dataclasses.field(
        default="",
        metadata={
            "rebuild": "html",
            "doc": "作業中の原稿の日付（表紙の「…現在」と PDF の日付）。空ならビルドした日、"
            "git なら最後のコミットの日、YYYY-MM-DD ならその日。環境変数 SOURCE_DATE_EPOCH が"
            "あればそれが優先します",
        },
    )
    allow_raw: tuple[str, ...] = dataclasses.field(
        default=(),
        metadata={
            "rebuild": "env",
            "doc": 'ページに書ける生のマークアップの形式（"html"、"latex"）。既定は空で、本文の HTML・'
            '{raw} は使えません。"html" を加えると本文の `<script>` などが読者のブラウザで動き、'
            '"latex" を加えると PDF のビルドで TeX の命令が動きます。原稿を書く人を全員信頼できる'
            "ときだけ加えます",
        },
    )
    edition: str = dataclasses.field(
        default="public",
        metadata={
            "rebuild": "env",
            "doc": "作る版: public は市民向けの公開版、review は照合結果・原稿の出所・編集メモを"
            "含み各ページと PDF に「審議用」と示す審議用の版（既定は環境変数 HOSHIN_EDITION、"
            "hoshin build --review が review にする）",
        },
    )


#: Sphinx event by which a feature that knows the glossary hands its entries to the lint
#: feature (prh rules for 言い換える terms): ``handler(app) -> list of entries``.
PARAPHRASE_TERMS_EVENT = "hoshin-paraphrase-terms"
#: The event by which a feature adds to a change record's 改版理由 in a 新旧対照表 page (the
#: opinions behind it): ``handler(app, record, uri) -> HTML text or None``, where
#: ``uri(site_path, anchor)`` is a URL relative to the page being made.
RECORD_LINKS_EVENT = "hoshin-record-links"


def setup_config(app: Sphinx) -> None:
    app.add_event(PARAPHRASE_TERMS_EVENT)
    app.add_event(RECORD_LINKS_EVENT)
    from hoshin.core.edition import edition_default

    for f in dataclasses.fields(HoshinConfig):
        default: Any = edition_default if f.name == "edition" else f.default
        app.add_config_value(f"hoshin_{f.name}", default, f.metadata["rebuild"])
    # Sphinx tracks conf.py, not the code of its extensions: a page untouched since an older
    # hoshin would keep that hoshin's markup. The code's digest as an "env" value makes a new
    # hoshin (or an edit of it) read every page once again; conf.py never sets it.
    app.add_config_value(CODE_DIGEST, "", "env", types=[str])
    app.connect("config-inited", _record_code_digest)
    app.connect("config-inited", _stop_on_bad_config, priority=100)


CODE_DIGEST = "hoshin_code_digest"


def _record_code_digest(app: Sphinx, config: Config) -> None:
    from hoshin.core.digest import code_digest

    config[CODE_DIGEST] = code_digest()


def config_errors(
    values: dict[str, Any], conf_path: Path, settings: Sequence[Setting] = ()
) -> list[DataError]:
    """Type and value problems of the ``hoshin_*`` settings, located in conf.py.

    ``values`` maps setting names (with the ``hoshin_`` prefix) to what conf.py set;
    ``settings`` are the declarations to check them against (default: core's).
    """
    return settings_errors(settings or core_settings(), values, conf_path)


def core_settings() -> tuple[Setting, ...]:
    """The fields of :class:`HoshinConfig` as declared settings (rules from ``_value_problem``)."""

    def rule_for(name: str, default: Any) -> Callable[[Any], str | None]:
        types = (list, tuple) if isinstance(default, tuple) else (type(default),)
        return lambda value: _value_problem(name, value, default, types)

    return tuple(
        Setting(
            f.name,
            f.default,
            f.metadata["rebuild"],
            f.metadata["doc"],
            rule=rule_for(f"hoshin_{f.name}", f.default),
        )
        for f in dataclasses.fields(HoshinConfig)
    )


def _value_problem(name: str, value: Any, default: Any, expected: tuple[type, ...]) -> str | None:
    right_type = isinstance(value, expected) and isinstance(value, bool) == isinstance(
        default, bool
    )
    if not right_type:
        return f"must be {expected[0].__name__}, got {type(value).__name__} {value!r}"
    if isinstance(default, tuple) and not all(isinstance(v, str) for v in value):
        return "must be a list of strings"
    if name == "hoshin_allow_raw" and not set(value) <= {"html", "latex"}:
        return f"may name only 'html' and 'latex', got {list(value)!r}"
    if name == "hoshin_draft_date":
        from hoshin.core.builddate import setting_problem

        return setting_problem(value)
    if name == "hoshin_edition" and value not in ("public", "review"):
        return f"must be 'public' or 'review', got {value!r}"
    if name == "hoshin_project_slug" and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
        return f"must be ASCII letters, digits, '-', '_' or '.', got {value!r}"
    return None


def _stop_on_bad_config(app: Sphinx, config: Config) -> None:
    """Warn, with the conf.py position, and fall back to the default for a bad value."""
    from sphinx.util import logging

    from hoshin.core.warnings_ import WarningSubType, warn

    logger = logging.getLogger(__name__)
    values = {
        f"hoshin_{f.name}": getattr(config, f"hoshin_{f.name}")
        for f in dataclasses.fields(HoshinConfig)
    }
    for error in config_errors(values, Path(app.confdir) / "conf.py"):
        name = error.message.split(" ", 1)[0]
        default = next(
            f.default for f in dataclasses.fields(HoshinConfig) if f"hoshin_{f.name}" == name
        )
        warn(
            logger,
            WarningSubType.data,
            f"{error.message}; using the default {default!r}",
            location=f"{Path(app.confdir) / 'conf.py'}:{error.line}",
        )
        config[name] = default


def run_conf(conf_path: Path) -> dict[str, Any]:
    """The names conf.py defines, executed the way Sphinx does (its folder as working dir).

    Raises :class:`DataError` at the failing line when conf.py does not run.
    """
    from sphinx.util.tags import Tags

    namespace: dict[str, Any] = {"__file__": str(conf_path), "tags": Tags()}
    cwd = Path.cwd()
    try:
        os.chdir(conf_path.parent)
        code = compile(conf_path.read_bytes(), str(conf_path), "exec")
        exec(code, namespace)
    except SyntaxError as exc:
        raise DataError(
            conf_path, exc.lineno or 1, exc.offset or 1, f"invalid Python: {exc.msg}"
        ) from None
    except OSError as exc:
        raise DataError(conf_path, 1, 1, f"cannot read conf.py: {exc}") from None
    except Exception as exc:  # conf.py is user code: report, never crash
        line = _traceback_line(exc, conf_path)
        raise DataError(conf_path, line, 1, f"conf.py raised {type(exc).__name__}: {exc}") from None
    finally:
        os.chdir(cwd)
    return namespace


def check_conf(conf_path: Path) -> list[DataError]:
    """Run conf.py and validate its ``hoshin_*`` settings (for the CLI)."""
    try:
        namespace = run_conf(conf_path)
    except DataError as exc:
        return [exc]
    from hoshin import all_settings

    values = {k: v for k, v in namespace.items() if k.startswith("hoshin_")}
    declared = all_settings()
    return (
        hidden_character_errors(namespace, conf_path)
        + unknown_settings(values, conf_path, declared)
        + config_errors(values, conf_path, declared)
    )


def hidden_character_errors(namespace: dict[str, Any], conf_path: Path) -> list[DataError]:
    """Strings of conf.py (``project``, ``author``, any ``hoshin_*``…) holding a control
    character or a bidi override, which would reach every page title and a terminal; located
    at the assignment, since an escape such as ``"\\x1b"`` is not in conf.py's text."""
    errors = []
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        for text in _strings(value):
            found = FORBIDDEN_CHARS.search(text)
            if found:
                line, col = conf_position(conf_path, name)
                problem = forbidden_message(found.group())
                errors.append(DataError(conf_path, line, col, f"the value of {name}: {problem}"))
                break
    return errors


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    """The strings in a conf.py value (in lists, tuples, sets and dicts, a few levels deep)."""
    if isinstance(value, str):
        yield value
    elif depth < 4 and isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)


def unknown_settings(
    values: dict[str, Any], conf_path: Path, settings: Sequence[Setting]
) -> list[DataError]:
    """``hoshin_*`` names in conf.py that no feature declares (Sphinx would ignore them)."""
    import difflib

    known = sorted(s.key for s in settings)
    errors = []
    for name in values:
        if name in known:
            continue
        bare = [key.removeprefix("hoshin_") for key in known]
        hint = difflib.get_close_matches(name.removeprefix("hoshin_"), bare, n=1, cutoff=0.75)
        line, col = conf_position(conf_path, name)
        if hint:
            suggestion = f"hoshin_{hint[0]}"
            errors.append(DataError(conf_path, line, col,
                                    f"unknown setting {name} (did you mean '{suggestion}'?)"))  # fmt: skip
        else:
            errors.append(DataError(conf_path, line, col, f"unknown setting {name}"))
    return errors


def check_project_conf(project: Any) -> list[DataError]:
    """The ``config`` check of ``hoshin check`` and of every build's preflight."""
    return check_conf(project.root / "conf.py")


def draft_date_setting(root: Path) -> str:
    """``hoshin_draft_date`` of the project's conf.py (the CLI pins the date with it)."""
    value = run_conf(root / "conf.py").get("hoshin_draft_date", "")
    return value if isinstance(value, str) else ""


def _traceback_line(exc: BaseException, conf_path: Path) -> int:
    tb = exc.__traceback__
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(conf_path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def read_config(config: Config) -> HoshinConfig:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(HoshinConfig):
        value = getattr(config, f"hoshin_{f.name}")
        values[f.name] = tuple(value) if isinstance(f.default, tuple) else value
    return HoshinConfig(**values)


def project_root(app: Sphinx) -> Path:
    root = app.config.hoshin_root
    return Path(root).resolve() if root else Path(app.confdir).resolve()
