"""Stored English messages (documents.error, review.reason, …) in the reader's language, for display.

The tables keep these texts in English: they are data, compared and filtered by
programs, and the same in every installation.  What the terminal, the workbook and
the report *show* is translated here: a message is split at ``"; "`` into parts,
each run of parts matched against the known templates below (their ``{placeholders}`` match
any text), and the template's translation filled in with the captured values (each
value itself translated when it is a known word, such as ``title`` or ``fuzzy``, or a
message of its own, such as a member's reason inside a container's message).
A part that matches no template is shown as stored: never guessed at.
"""
from __future__ import annotations

import re
import string
from functools import cache

from planingest.core.i18n import N_, _, current_lang

#: one item of a list: a member and why it was not read
ITEM = N_("{path} ({reason})")
#: messages that list items after their head, joined with "; " (a container's members not read): the
#: parts that follow the head are matched by the item's template
LISTS: dict[str, str] = {
    N_("{n} of {total} members not read: {path} ({reason})"): ITEM,  # the head ends in ITEM too
}


#: the messages the pipeline stores, as written by the code that stores them (placeholders: what varies)
TEMPLATES: tuple[str, ...] = (
    # review.reason (normalize/)
    N_("unit not recognised ({method})"),
    N_("sub-indicator uncertain"),
    N_("indicator name uncertain"),
    N_("region not found"),
    N_("empty name"),
    N_("scope"),
    N_("no catalogue entry resembles this name"),
    N_("similar to {label} ({score}) but not clear of the next candidate ({runner})"),
    N_("similar to {label} ({score}), below auto-accept"),
    N_("not a sub-indicator of {parent} in the catalogue"),
    N_("parent indicator is not in the catalogue"),
    N_("local sub-indicator"),
    N_("names the indicator itself"),
    N_("{version} sub-item without a 2021 sub-indicator"),
    N_("names {label}, not a sub-indicator of {parent}"),
    N_("text after the name is not a sub-indicator or scope of it: {words}"),
    N_("year columns read as target years, but the document does not say whether they hold targets or "
       "measured values: check them"),
    N_("no region named in the title, the issuer or the text"),
    N_("no region was recognised in the title, the issuer or the text"),
    N_("the {source} names {regions}: cannot tell which one the plan covers"),
    N_("the text names {regions} without one clearly being its subject ({top} mention(s) of {name}, "
       "{second} of the next)"),
    N_("settled by the {source}"),
    N_("decided in review (region_aliases.csv)"),
    # documents.error (interpret/, ingest/, run/)
    N_("no indicator table, project list or task with responsible units was found"),
    N_("a {kind} table was found but no rows could be read"),
    N_("pages {pages} have no text layer and were read by OCR (mean recognition score {score})"),
    N_("the image was read by OCR (mean recognition score {score})"),
    N_("check names and numbers against the original"),
    N_("not about ecological-civilisation demonstration zones: neither the title nor the text names the topic "
       "(生态文明建设示范…), and no table holds catalogue indicators"),
    N_("the file is {size} MB, more than the {limit} MB limit; raise --max-file-mb to read it"),
    N_("cannot open the file: {error}"),
    N_("its folder cannot be read and its cached rows are gone; read it again when the folder is readable"),
    N_("timed out after {seconds} s; raise --timeout to read it"),
    N_("timed out after {seconds} s ({base} s + {pages} OCR pages × {page} s); raise --timeout or "
       "--ocr-page-timeout to read it"),
    N_("exceeded {mb} MB memory limit; raise --memory-mb to read it"),
    N_("reader crashed ({cause}); it is read again next run (if the file is very large, raise --memory-mb)"),
    N_("internal error while normalising ({error}); please report it"),
    N_("internal error: rows do not fit the tables ({problem}); please report it"),
    N_("not a document"),
    N_("not a document (no known document format in its content)"),
    N_("not a regular file"),
    N_("not a regular file: {what}"),
    N_("symbolic link to {target}, outside the inputs: not followed (pass --follow-symlinks to follow it)"),
    # the commonest reasons a reader gives up (ingest/); a library's own words inside stay as they are
    N_("text is not valid {encoding} at byte {offset} (mixed or damaged encoding)"),
    N_("binary content or an unknown text encoding (not UTF-8, UTF-16 or GB18030)"),
    N_("empty file (0 bytes), not a {what}"),
    N_("empty file (0 bytes), not an OFD"),
    N_("not a {what}: the content is not a zip package"),
    N_("truncated or corrupt file: not a complete zip archive ({error})"),
    N_("damaged file: an unreadable OLE container, not a {what}"),
    N_("an old binary Office file (OLE), not a {what}"),
    N_("not a {what}, or damaged: the package has no {part} (main document part)"),
    N_("not a Word document, or damaged: {part} has no body"),
    N_("damaged {what}: part {name} is missing"),
    N_("damaged or unreadable workbook ({error})"),
    N_("PDF cannot be opened (damaged, truncated or unsupported): {reason}"),
    N_("damaged or unsupported image: {error}"),
    N_("LibreOffice could not read the file (damaged or not a .{suffix}){detail}"),
    N_("LibreOffice did not convert the file within {seconds} s (damaged or too complex)"),
    N_("not a readable web page: {error}"),
    N_("empty web page (no content)"),
    N_("not a zip archive"),
    N_("damaged Outlook message: {cause}"),
    N_("Outlook message with more than {n} attachments: not read"),
    N_("reading Outlook .msg e-mail needs extract-msg: pip install 'planingest[msg]' ({error})"),
    N_("{n} page(s) are images without text and were read by OCR"),
    N_("the OFD has {n} page(s) but no text could be read from them"),
    N_("a sheet with {rows} rows x {columns} columns is too large for a plan table"),
    # the rarer reasons a reader, an archive or a worker gives (ingest/, run/): tests/test_shown_coverage.py
    # finds every message the code stores and fails when one is not matched here
    N_("damaged e-mail: the MIME structure cannot be parsed ({error})"),
    N_("not an archive or an e-mail"),
    N_("archive with more than {n} members: not read (zip bomb?)"),
    N_("truncated or corrupt zip archive{where}: {error}"),
    N_("reading {kind} archives needs libarchive: pip install libarchive-c (and apt-get install libarchive13)"),
    N_("unsafe path (absolute or leaving the archive): not extracted"),
    N_("a symbolic link: not followed"),
    N_("password-protected member: remove the password and resubmit"),
    N_("archive nested more than {n} deep: not opened"),
    N_("truncated or corrupt {kind} archive: {error}"),
    N_("the {kind} archive{where} is damaged from here on ({error}): the rest is not read"),
    N_("{size} bytes: over the {limit}-byte limit"),
    N_("compression ratio over {ratio}:1 (archive bomb?): not read"),
    N_("archive inflates to more than {size} bytes: not read (archive bomb?)"),
    N_("inflates to more than {size} bytes"),
    N_("inflates to {size} bytes: over the {limit}-byte limit"),
    N_("damaged member, cannot be unpacked ({error})"),
    N_("not an Outlook message (no MAPI property streams at the root)"),
    N_("failed: {error}"),
    N_("no documents inside (only folders or system files)"),
    N_("damaged image: its pages cannot be counted ({error})"),
    N_("the {what} has {n} pages; only the first {limit} were read"),
    N_("image page {page} cannot be decoded: {error}"),
    N_("rapidocr's wheel lacks its model {name}; reinstall rapidocr"),
    N_("OFD with {n} parts: more than any document has (limit {limit})"),
    N_("damaged OFD: an empty part reference"),
    N_("damaged or hostile OFD: part reference {ref} points outside the package"),
    N_("damaged {what}: {name} is not well-formed XML ({error})"),
    N_("damaged {what}: {name} is not well-formed XML: the part is empty"),
    N_("not an OFD, or damaged: the package has no OFD.xml"),
    N_("damaged OFD: OFD.xml names no document (DocBody/DocRoot)"),
    N_("its image cannot be decoded: {error}"),
    N_("the OFD document lists no pages"),
    N_("page {page} cannot be read: {error}"),
    N_("damaged document: tables or text boxes nested too deeply"),
    N_("damaged document: tables nested too deeply"),
    N_("the body has no text; text was read from headers and footers"),
    N_("{format} is not a format LibreOffice converts for us"),
    N_("password-protected: remove the password and resubmit"),
    N_("LibreOffice converted the file but the result is unreadable: {error}"),
    N_("reading .{suffix} needs LibreOffice: apt-get install {package}"),
    N_("damaged {what}: {name} is empty"),
    N_("a Strict Open XML workbook that LibreOffice could not convert"),
    N_("damaged worksheet ({error})"),
    N_("the workbook holds more than {n} characters of text: not a plan (a decompression bomb?)"),
    N_("PDF is encrypted with a password: {error}"),
    N_("page {page} has no text layer and was read by OCR (mean recognition score {score})"),
    N_("pages {pages} have no text layer and were read by OCR (mean recognition score {score}; {low} of "
       "{cells} table cells ({share}) scored below {limit}: rows with such a name, target or departments "
       "cell are marked for review)"),
    N_("page {page} has no text layer and was read by OCR (mean recognition score {score}; {low} of "
       "{cells} table cells ({share}) scored below {limit}: rows with such a name, target or departments "
       "cell are marked for review)"),
    N_("scanned pages {pages} were not read (OCR is off, or more than {n} pages need it)"),
    N_("tables on pages {pages} could not be read{reason}; their text is kept as lines"),
    N_("the PDF has {n} page(s) but no text could be read from them"),
    N_("the PDF is well-formed but has no pages"),
    N_("damaged image: it declares no pixels"),
    N_("image of {width}x{height} pixels is larger than any page scan (limit {limit} pixels): refused as "
       "an image bomb"),
    N_("image refused as an image bomb ({error})"),
    N_("{format} files are not supported yet"),
    N_("MHTML without a web page: it holds no text/html part"),
    N_("damaged MHTML: the MIME structure cannot be parsed ({error})"),
    N_("web page with a hostile table: {error}"),
    N_("web page of {size}: larger than any notice page (limit {limit}), not read"),
    N_("MHTML file of {size}: over the {limit} limit, not read"),
    N_("web page with more than {n} elements: not a notice page (hostile?)"),
    N_("the web page has no text outside the site's navigation"),
    N_("{what} part {name} unpacks to {size} bytes: too large (zip bomb?)"),
    N_("{what} part {name} unpacks to more than {size} bytes: too large (zip bomb?)"),
    N_("truncated or corrupt {what}: not a complete zip archive ({error})"),
    N_("damaged {what}: part {name} cannot be unpacked ({error})"),
    N_("line {lines} not UTF-8 like the rest: read as GB18030"),
    N_("lines {lines} not UTF-8 like the rest: read as GB18030"),
    N_("line {lines} not valid text in any encoding: bytes replaced by \ufffd"),
    N_("lines {lines} not valid text in any encoding: bytes replaced by \ufffd"),
    N_("cannot read the folder: {error}; the rows of its documents from the previous run are kept"),
    N_("page job refused: the file changed, or no page store"),
    N_("page {page} not stored: its document is done"),
    N_("the file changed while the run was going; run again"),
    N_("cannot read the file: {error}"),
    N_("page {page} not read: {error}"),
    N_("internal error: the reader's result could not be passed back ({error})"),
    N_("internal error while {stage} ({error}); please report it"),
    *LISTS,  # a container's members not read
    # the review workbook's note sheet (review/carry.py)
    N_("no longer in the review queue (accepted, or settled by a change of the catalogue)"),
    N_("another decision for the same item was carried over: {value}"),
)
#: words that fill placeholders and are ours to translate (sources of a region, match methods, table kinds,
#: formats a reader names)
WORDS: tuple[str, ...] = (N_("title"), N_("issuer"), N_("body"), N_("text"), N_("none"), N_("fuzzy"),
                          N_("indicator"), N_("project"), N_("task"), N_("older"),
                          N_("image"), N_("reading"), N_("interpreting"),
                          N_("Word document (.docx)"), N_("Excel workbook (.xlsx)"))


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>(?:(?!; ).)*?)")  # a value never spans two messages
    return re.compile("".join(parts), re.DOTALL)


@cache
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((t, _pattern(t)) for t in TEMPLATES)


def _list_match(template: str, text: str) -> dict[str, str] | None:
    """The values of ``template`` (ending in ITEM) in ``text``: a path may hold parentheses and so may a
    reason, so each `` (`` is tried and the first split whose reason is a known message wins (else the first)."""
    head = template[: -len(ITEM)] + "{path}"
    if not text.endswith(")"):
        return None
    first = None
    for split in re.finditer(r" \(", text):
        found = _pattern(head).fullmatch(text[: split.start()])
        if found is None:
            continue
        values = {**found.groupdict(), "reason": text[split.end():-1]}
        if shown_part(values["reason"]) is not None:
            return values
        first = first or values
    return first


def _fill(template: str, values: dict[str, str]) -> str:
    return _(template).format(**{k: _value(v) for k, v in values.items()})


def _match(text: str) -> tuple[str, str] | None:
    """(template, ``text`` translated) when one template matches all of ``text``, else None."""
    for template, pattern in _compiled():
        found = pattern.fullmatch(text)
        if found:
            values = _list_match(template, text) if template in LISTS else None
            return template, _fill(template, values or found.groupdict())
    return None


def shown_part(text: str) -> str | None:
    """``text`` translated when one template matches all of it, else None."""
    matched = _match(text)
    return matched[1] if matched else None


def _value(value: str) -> str:
    """A captured value translated when it is a known word, or itself a stored message (a member's reason
    inside a container's message); else as it is."""
    word = _(value)
    if word != value or not value:
        return word
    return shown_part(value) or value


def _runs(text: str) -> list[tuple[str, str | None]]:
    """``text`` split into (run of parts, its translation or None): the longest run one template matches first;
    after the head of a list (LISTS), a part no template matches is tried as one of its items."""
    parts = text.split("; ")
    out: list[tuple[str, str | None]] = []
    item: str | None = None
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            run = "; ".join(parts[i:j])
            matched = _match(run)
            if matched is not None:
                out.append((run, matched[1]))
                item = LISTS.get(matched[0], item)
                i = j
                break
        else:
            found = _list_match(item, parts[i]) if item else None
            out.append((parts[i], _fill(item, found) if item and found else None))
            item = item if found else None
            i += 1
    return out


def unknown_parts(text: str) -> list[str]:
    """The parts of a stored message that no template matches (shown in English even in Chinese)."""
    return [run for run, translated in _runs(text) if translated is None]


def shown(text: str | None) -> str:
    """``text`` (a stored message) as the current language shows it; unchanged in English.

    Messages are joined with ``"; "`` and some templates contain it too: the longest run of
    parts that one template matches is taken first.
    """
    if not text or current_lang() == "en":
        return text or ""
    return _("; ").join(run if translated is None else translated for run, translated in _runs(str(text)))
