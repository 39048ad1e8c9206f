"""Keep the message catalogue in step with the code: ``python -m tools.i18n extract|update|check``.

- ``extract``: every message the code marks (``_``, ``N_``, ``ngettext``, ``Nn_``, the report's ``plural``)
  into ``planingest/locale/planingest.pot`` (Babel's extractor);
- ``update``: merge the template into each language's ``.po`` (new messages get an empty msgstr, changed
  ones are marked fuzzy, gone ones are kept as obsolete ``#~`` lines), then ``check``;
- ``check``: list the messages of each ``.po`` that have no translation (or a fuzzy one), or whose
  ``{placeholders}`` differ from the msgid's; exit status 1 when there are any.

There is nothing to compile: ``planingest.core.i18n`` reads the ``.po`` itself.  Babel is a
development dependency (the ``dev`` extra); the pipeline does not need it.
"""
from __future__ import annotations

import string
import sys
from pathlib import Path

from planingest.core.i18n import DOMAIN, LANGS, LOCALE_DIR, po_path, read_po

ROOT = Path(__file__).resolve().parent.parent
POT = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = ("_", "N_", "ngettext:1,2", "Nn_:1,2", "plural:2,3")


def extract() -> None:
    from babel.messages.frontend import CommandLineInterface

    args = ["pybabel", "-q", "extract", "--no-location", "--sort-output", "--no-wrap", "--project", "planingest",
            "-o", str(POT)]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    CommandLineInterface().run([*args, str(ROOT / "planingest")])
    _add_generated(POT)


def _add_generated(pot: Path) -> None:
    """Add the messages the code computes rather than writes out: the data dictionary's meanings."""
    from babel.messages.pofile import read_po as babel_read_po
    from babel.messages.pofile import write_po

    from planingest.publish.export_tables import dictionary_meanings

    with open(pot, "rb") as fh:
        catalog = babel_read_po(fh)
    for meaning in dictionary_meanings():
        if meaning and meaning not in catalog:
            catalog.add(meaning, auto_comments=["data dictionary: meaning of a column"])
    with open(pot, "wb") as fh:
        write_po(fh, catalog, width=0, no_location=True, sort_output=True)


def update() -> None:
    from babel.messages.frontend import CommandLineInterface

    for lang in LANGS:
        if lang == "en":
            continue
        command = "update" if po_path(lang).exists() else "init"
        CommandLineInterface().run(["pybabel", "-q", command, "--no-wrap", "-D", DOMAIN, "-i", str(POT),
                                    "-d", str(LOCALE_DIR), "-l", lang])


def fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def problems(lang: str) -> list[str]:
    """What is missing or wrong in the catalogue of ``lang``."""
    path = po_path(lang)
    messages, plurals, _header = read_po(path)
    template, template_plurals, _ = read_po(POT) if POT.exists() else (messages, plurals, "")
    found = []
    for msgid in template:
        text = messages.get(msgid, "")
        if not text:
            found.append(f"{path}: no translation of {msgid!r}")
        elif fields(text) != fields(msgid):
            found.append(f"{path}: {msgid!r} has placeholders {sorted(fields(msgid))}, "
                         f"the translation {sorted(fields(text))}")
    for msgid in template_plurals:
        forms = plurals.get(msgid, ())
        if not forms or not all(forms):
            found.append(f"{path}: no translation of the counted message {msgid!r}")
    return found


def check() -> int:
    found = [p for lang in LANGS if lang != "en" for p in problems(lang)]
    for line in found:
        print(line)
    return 1 if found else 0


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        extract()
        return 0
    if command == "update":
        extract()
        update()
        return check()
    if command == "check":
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
