"""``--lang zh|en`` on every command, and argparse's own usage errors in the chosen language.

The language is chosen before the parser is built (its help texts are translated
when they are added), from ``--lang`` anywhere in the command line, else
``PLANINGEST_LANG``, else the locale (:func:`planingest.core.i18n.resolve_lang`).
"""
from __future__ import annotations

import argparse
import re
import sys

from planingest.core.i18n import LANGS, N_, _, set_lang

#: argparse's usage errors (its English wording, as of Python 3.12) and ours for them: msgid, argparse's regex
_ARGPARSE_ERRORS: tuple[tuple[str, str], ...] = (
    (N_("the following arguments are required: {args}"), r"the following arguments are required: (?P<args>.+)"),
    (N_("argument {arg}: invalid choice: {value} (choose from {choices})"),
     r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
    (N_("argument {arg}: expected one argument"), r"argument (?P<arg>\S+): expected one argument"),
    (N_("unrecognized arguments: {args}"), r"unrecognized arguments: (?P<args>.+)"),
    (N_("argument {arg}: {problem}"), r"argument (?P<arg>\S+): (?P<problem>.+)"),
)


def translate_usage_error(message: str) -> str:
    """argparse's English ``message`` in the current language (unchanged when it is not one we know)."""
    for msgid, pattern in _ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, message)
        if found:
            return _(msgid).format(**found.groupdict())
    return message


#: argparse's fixed words in a help text
_HELP_WORDS = (N_("positional arguments:"), N_("options:"), N_("show this help message and exit"))


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are translated; every parser of the CLI is one."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}\n").format(prog=self.prog, message=translate_usage_error(message)))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", _("usage: "), 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage: ", _("usage: "), 1)
        for heading in _HELP_WORDS:
            text = text.replace(heading, _(heading))
        return text


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help=_("language of messages, workbook and report: zh or en (default: $PLANINGEST_LANG, "
                               "else zh when the locale is Chinese, else en)"))


def choose_lang(argv: list[str]) -> str:
    """The language ``argv`` asks for (``--lang X`` or ``--lang=X``), else the default; set for the run.

    An unknown ``--lang`` falls back to the default here; the parser then rejects it with usage status 2.
    """
    asked = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            asked = argv[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.split("=", 1)[1]
    try:
        return set_lang(asked if asked in LANGS else None)
    except ValueError as exc:  # PLANINGEST_LANG says something else: say so, and carry on in English
        print(f"planingest: PLANINGEST_LANG: {exc}; using en", file=sys.stderr)
        return set_lang("en")
