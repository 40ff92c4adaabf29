"""The CLI in the reader's language: Japanese for a Japanese project, English when asked.

Catalog: gettext, domain ``hoshin``, ``locale/<lang>/LC_MESSAGES/hoshin.po`` (kept by hand)
compiled to ``hoshin.mo`` with Babel (``make i18n``; a test keeps the two in step). The
msgids are the English texts as written in the code, found by
:func:`hoshin.cli.i18n_extract.extract_cli`: argparse ``help``/``description``/``epilog``
texts, the messages given to :func:`hoshin.cli.console.out`/``err`` (an f-string becomes a
template: ``"frozen {args.id}: {where}"``), ``N_()``-marked constants and the hints of the
tools. Translation happens where text leaves the CLI (the help formatter, the console), so
the commands keep plain English literals.

Language, first that applies: ``--lang ja|en``; ``HOSHIN_LANG``; ``LC_ALL``/``LC_MESSAGES``/
``LANG`` naming a language (``C``/``POSIX`` and ``en_*`` ask for English, ``ja_*`` for
Japanese; ``C.UTF-8``, the default of containers, says nothing); the project's
``language`` in conf.py; Japanese.
"""

from __future__ import annotations

import argparse
import gettext
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "hoshin"
LANGUAGES = ("ja", "en")
ENV = "HOSHIN_LANG"

_current: list[gettext.NullTranslations] = [gettext.NullTranslations()]


def N_(message: str) -> str:
    """Mark a constant for the catalog; it is translated where it is printed."""
    return message


def _locale_language(environ: Mapping[str, str]) -> str | None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        if value in ("C", "POSIX") or value.startswith("en"):
            return "en"
        if value.startswith("ja"):
            return "ja"
        return None  # C.UTF-8 and the like: no preference
    return None


_CONF_LANGUAGE = re.compile(r"""^language\s*=\s*["']([A-Za-z_-]+)["']""", re.MULTILINE)


def _project_language(project: Path) -> str | None:
    try:
        text = (project / "conf.py").read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    match = _CONF_LANGUAGE.search(text)
    if not match:
        return None
    return "ja" if match.group(1).startswith("ja") else "en"


def option_value(argv: Sequence[str], names: Sequence[str]) -> str | None:
    """The value of a global option in ``argv`` (``--lang en`` or ``--lang=en``)."""
    args = list(argv)
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
            if len(name) == 2 and arg.startswith(name) and len(arg) > 2:
                return arg[2:]
    return None


def choose_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    asked = option_value(argv, ("--lang",)) or environ.get(ENV, "")
    if asked in LANGUAGES:
        return asked
    from_locale = _locale_language(environ)
    if from_locale:
        return from_locale
    project = Path(option_value(argv, ("-C", "--project")) or ".")
    return _project_language(project) or "ja"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(LOCALE_DIR), [lang], fallback=True)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` for everything printed inside (nested commands and child processes too)."""
    previous_env = os.environ.get(ENV)
    _current.append(_translations(lang))
    os.environ[ENV] = lang
    try:
        yield
    finally:
        _current.pop()
        if previous_env is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = previous_env


def current_language() -> str:
    return "en" if type(_current[-1]) is gettext.NullTranslations else "ja"


# --- translating text on its way out --------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_LOCATION = re.compile(r"^((?:\S.*?):\d+(?::\d+)?: )(.+)$", re.DOTALL)


@cache
def _templates(catalog_id: int) -> list[tuple[re.Pattern[str], list[str], str]]:
    """(pattern, placeholder names, translation) for every msgid with placeholders."""
    catalog = _current[-1]
    assert id(catalog) == catalog_id
    messages: dict[str, str] = getattr(catalog, "_catalog", {})
    found = []
    for msgid, msgstr in messages.items():
        if not isinstance(msgid, str) or not msgid or "{" not in msgid or not msgstr:
            continue
        names = _PLACEHOLDER.findall(msgid)
        literal = _PLACEHOLDER.sub("", msgid)
        if not names or not literal.strip():
            continue
        pattern = ""
        last = 0
        for index, match in enumerate(_PLACEHOLDER.finditer(msgid)):
            pattern += re.escape(msgid[last : match.start()]) + f"(?P<g{index}>.*?)"
            last = match.end()
        pattern += re.escape(msgid[last:])
        # Templates that open with words before those that open with a placeholder, then
        # the most words first: "hoshin check: {summary}" is tried before "{n} errors".
        rank = (msgid.startswith("{"), -len(literal))
        found.append((rank, re.compile(pattern, re.DOTALL), names, msgstr))
    found.sort(key=lambda item: item[0])
    return [(p, n, s) for _, p, n, s in found]


def translate(text: str) -> str:
    """``text`` in the current language: each line looked up whole, as a template, or after
    its ``file:line:col:`` prefix. Text the catalog does not know stays as it is."""
    if current_language() == "en" or not text:
        return text
    if text.lstrip().startswith(("{", "[")) and _is_json(text):
        return text  # machine-readable output (--format json) stays as it is
    return "\n".join(_translate_line(line) for line in text.split("\n"))


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _translate_line(line: str, depth: int = 0) -> str:
    """Exact msgid; else a template that opens with words; else what follows a
    ``file:line:col:`` prefix; else comma-separated pieces ("5 files, 0 errors, …"), when
    each piece is known; else a template that opens with a placeholder; else the prefix and
    the rest once more; else textlint's English messages."""
    if not line.strip() or depth > 5:
        return line
    catalog = _current[-1]
    exact = catalog.gettext(line)
    if exact != line:
        return exact
    templates = _templates(id(catalog))
    said = _by_template(line, [t for t in templates if not t[0].pattern.startswith("(?P")], depth)
    if said is not None:
        return said
    located = _LOCATION.match(line)
    if located and depth == 0:  # before "{x} ({y})"-like templates take the path apart
        rest = _translate_line(located.group(2), depth + 1)
        if rest != located.group(2):
            return located.group(1) + rest
    if ", " in line:
        pieces = line.split(", ")
        each = [_translate_line(piece, depth + 1) for piece in pieces]
        if all(new != old for new, old in zip(each, pieces, strict=True)):
            return "、".join(each)
    said = _by_template(line, [t for t in templates if t[0].pattern.startswith("(?P")], depth)
    if said is not None:
        return said
    located = _LOCATION.match(line)
    if located and depth == 0:
        return located.group(1) + _translate_line(located.group(2), depth + 1)
    return _textlint_japanese(line)


def _by_template(
    line: str, templates: list[tuple[re.Pattern[str], list[str], str]], depth: int
) -> str | None:
    for pattern, names, msgstr in templates:
        match = pattern.fullmatch(line)
        if match is None:
            continue
        result = msgstr
        for index, name in enumerate(names):
            value = _translate_line(match.group(f"g{index}"), depth + 1)
            result = result.replace("{" + name + "}", value)
        if result != line:  # a template that changes nothing is no translation
            return result
    return None


#: textlint rules whose messages are English (the Japanese preset offers none): their
#: messages, said in Japanese in hoshin lint's output. The findings themselves (and the
#: allowances that match them) keep textlint's text.
TEXTLINT_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), japanese)
    for pattern, japanese in (
        (r"(?:Line \d+ )?sentence length\((?P<n>\d+)\) exceeds the maximum sentence length "
         r"of (?P<max>\d+)\.(?:\s*Over (?P<over>\d+) characters\.)?",
         "一文が {n} 字あり、上限の {max} 字を超えています。文を分けます。"),
        (r'Disallow to use 半角カタカナ: "(?P<c>.+?)"',
         "半角カタカナ「{c}」は使いません。全角で書きます。"),
        (r'Disallow to use NFD\(well-known as UTF8-MAC 濁点\): "(?P<c>.+?)" => "(?P<to>.+?)"',
         "濁点・半濁点が分かれた文字「{c}」は使いません。「{to}」と書きます。"),
        (r'Disallow to use "(?P<c>.+?)"\.', "「{c}」は使いません。"),
        (r"Cannot find a pairing character for (?P<c>.+?)\.\s*You should close this sentence "
         r"with (?P<to>.+?)\.\s*This pair of marks is called (?P<name>.+?)\.",
         "「{c}」の対になる「{to}」がありません（{name}）。"),
        (r"Zero width space is disallowed\.", "ゼロ幅スペースは使いません。"),
        (r"Found invalid control character\((?P<c>.+?)\)", "使えない制御文字（{c}）があります。"),
    )
)  # fmt: skip


def _textlint_japanese(line: str) -> str:
    for pattern, japanese in TEXTLINT_MESSAGES:
        match = pattern.search(line)
        if match:
            said = japanese.format(**{k: v or "" for k, v in match.groupdict().items()})
            return line[: match.start()] + said + line[match.end() :]
    return line


# --- argparse in the current language --------------------------------------------------------

#: argparse's own texts (as it writes them), so that the catalog holds them too.
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("error"),
    N_("the following arguments are required: {args}"),
    N_("unrecognized arguments: {args}"),
    N_("argument {name}: invalid choice: {value} (choose from {choices})"),
    N_("argument {name}: expected one argument"),
    N_("argument {name}: invalid int value: {value}"),
)

#: Pieces of summaries the commands compose (each piece is said on its own; a line of
#: comma-separated pieces is said piece by piece).
COMPOSED_TEXTS = (
    N_("{errors} errors, {findings} findings"),
    N_("{errors} errors, {findings} findings, {acknowledged} acknowledged"),
    N_("{n} files"),
    N_("{n} errors"),
    N_("{n} warnings"),
    N_("{n} allowed by {config}"),
    N_("{n} stale allowances"),
    N_("fixed {n} in {files} files"),
    N_("done"),
    N_("stopped at {step}"),
    N_("stopped"),
    N_("web edition"),
    N_("review edition (審議用)"),
    N_("HTML build of the working draft"),
    N_("HTML build of version {version}"),
    N_("LaTeX build of {version}"),
    N_("LaTeX build in {folder}"),
)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter that says the help texts, description and epilog in the
    current language (they stay English literals in the code: the catalog's msgids)."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        if prefix is None:
            prefix = translate("usage: ")
        return super().add_usage(usage, actions, groups, prefix)

    def add_text(self, text):  # type: ignore[no-untyped-def]
        return super().add_text(translate(text) if text else text)

    def start_section(self, heading):  # type: ignore[no-untyped-def]
        return super().start_section(translate(heading) if heading else heading)

    def _get_help_string(self, action):  # type: ignore[no-untyped-def]
        return translate(action.help) if action.help else action.help


class ArgumentParser(argparse.ArgumentParser):
    """Parser whose errors are said in the current language."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # type: ignore[no-untyped-def]
        self.print_usage(__import__("sys").stderr)
        self.exit(2, f"{self.prog}: {translate('error')}: {translate(message)}\n")
