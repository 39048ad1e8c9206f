"""The language and time zone of what a user reads: gettext catalogues, chosen per run.

Simplified Chinese when the user's locale is Chinese, English otherwise; ``--lang`` or
``PLANINGEST_LANG`` choose explicitly.  Messages are English msgids wrapped in :func:`_`
(and :func:`ngettext` for counts), translated by the ``.po`` catalogue in
``planingest/locale/<lang>/LC_MESSAGES/planingest.po``.  The ``.po`` is the source and
is read directly by a tiny loader (:func:`read_po`) into a :class:`gettext.NullTranslations`,
so there is no compiled ``.mo`` to forget to rebuild; ``tools/i18n.py`` extracts, updates
and checks the catalogue (with Babel).

What is shown is translated; what is stored (Parquet values, the run log, the manifest)
stays English and UTC: it is data, read by programs.
"""
from __future__ import annotations

import ast
import datetime as dt
import gettext
import os
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from planingest.core.text import display_width

LANGS = ("zh", "en")
DOMAIN = "planingest"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: the zone times are shown in for Chinese readers (the plans are Chinese; so are their readers' clocks)
ZH_ZONE = "Asia/Shanghai"

_current: str | None = None


def locale_lang(environ=os.environ) -> str:
    """``zh`` when the POSIX locale (LC_ALL, else LC_MESSAGES, else LANG) is Chinese, else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def resolve_lang(explicit: str | None = None, environ=os.environ) -> str:
    """``explicit`` (``--lang``), else ``PLANINGEST_LANG``, else the locale's; ValueError for an unknown one."""
    for value in (explicit, environ.get("PLANINGEST_LANG")):
        if value:
            lang = value.strip().lower()[:2]
            if lang not in LANGS:
                raise ValueError(f"unknown language {value!r} (choose zh or en)")
            return lang
    return locale_lang(environ)


def set_lang(lang: str | None) -> str:
    """Make ``lang`` (or the resolved default when None) the language of every message; returns it."""
    global _current
    _current = resolve_lang(lang)
    return _current


def current_lang() -> str:
    """The language chosen for this run, else the environment's (English when PLANINGEST_LANG is unknown)."""
    if _current is not None:
        return _current
    try:
        return resolve_lang()
    except ValueError:
        return "en"


# --------------------------------------------------------------------------
# catalogues
# --------------------------------------------------------------------------


class PoTranslations(gettext.NullTranslations):
    """A catalogue read from a ``.po`` file: msgid → msgstr, (msgid, n) → plural forms."""

    def __init__(self, messages: dict[str, str], plurals: dict[str, tuple[str, ...]], nplurals_one: bool) -> None:
        super().__init__()
        self.messages, self.plurals, self.one_form = messages, plurals, nplurals_one

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self.plurals.get(msgid1)
        if not forms or not all(forms):
            return msgid1 if n == 1 else msgid2
        return forms[0] if self.one_form else forms[0 if n == 1 else min(1, len(forms) - 1)]


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def read_po(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, ...]], str]:
    """(singular messages, plural messages by msgid, header) of a ``.po`` file (entries are separated by
    blank lines, as every gettext tool writes them); fuzzy entries are left out, as msgfmt does."""
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    header = ""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict[str, str] = {}
        key, fuzzy = "", False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith('"'):
                entry[key] = entry.get(key, "") + _unquote(line)
            elif line and not line.startswith("#"):
                key, _, rest = line.partition(" ")
                entry[key] = _unquote(rest.strip())
        if "msgid" not in entry:
            continue
        if entry["msgid"] == "":
            header = entry.get("msgstr", "")
        elif fuzzy:
            continue
        elif "msgid_plural" in entry:
            forms = sorted((k for k in entry if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
            plurals[entry["msgid"]] = tuple(entry[k] for k in forms)
        else:
            messages[entry["msgid"]] = entry.get("msgstr", "")
    return messages, plurals, header


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang``; English is the msgids themselves."""
    path = po_path(lang)
    if lang == "en" or not path.is_file():
        return gettext.NullTranslations()
    messages, plurals, header = read_po(path)
    return PoTranslations(messages, plurals, "nplurals=1" in header.replace(" ", ""))


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(current_lang()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the current language (Chinese has one form)."""
    return translations(current_lang()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for extraction where it is defined; it is translated where it is shown."""
    return message


def translate(message: str, lang: str) -> str:
    """``message`` in ``lang`` (whatever the current language is)."""
    return translations(lang).gettext(message)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces to ``width`` terminal columns (a CJK character takes two)."""
    return text + " " * max(0, width - display_width(text))


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted message (its two English forms) for extraction; shown with ``ngettext(*pair, n)``."""
    return singular, plural


def in_every_language(message: str) -> frozenset[str]:
    """``message`` as it reads in each language: what a text written by any of them may say."""
    return frozenset(translations(lang).gettext(message) for lang in LANGS)


# --------------------------------------------------------------------------
# times
# --------------------------------------------------------------------------


def display_zone(lang: str | None = None) -> dt.tzinfo | None:
    """``PLANINGEST_TZ`` if set; else Asia/Shanghai for Chinese, the system's zone (None) for English."""
    name = os.environ.get("PLANINGEST_TZ")
    if name:
        return ZoneInfo(name)
    return ZoneInfo(ZH_ZONE) if (lang or current_lang()) == "zh" else None


def local_time(when: str | dt.datetime | None = None, lang: str | None = None) -> str:
    """``when`` (a UTC ISO string or an aware datetime; now when None) as ``2026-11-26 10:05 +08:00``.

    Text that is not a time is returned unchanged (a manifest written by hand may say anything).
    """
    if when is None:
        moment = dt.datetime.now(dt.UTC)
    elif isinstance(when, str):
        try:
            moment = dt.datetime.fromisoformat(when)
        except ValueError:
            return when
    else:
        moment = when
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    shown = moment.astimezone(display_zone(lang))
    minutes = int((shown.utcoffset() or dt.timedelta()).total_seconds() // 60)  # a zone's old LMT has seconds
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{shown:%Y-%m-%d %H:%M} {sign}{hours:02d}:{minutes:02d}"
