"""Message catalogs (locales/<lang>/LC_MESSAGES/messages.po), read through the input gate
and compiled in memory with Babel."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from generator.core.digest import digest
from generator.core.errors import ContentError, Result
from generator.core.files import FORBIDDEN, SiteDir, character_problem, decode_text
from generator.core.layout import LOCALES_DIR

DOMAIN = "messages"


def catalog_path(lang: str) -> Path:
    """Return the .po file of ``lang``, relative to the site directory."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


#: A catalog is tens of kilobytes; a file near this is a mistake.
MAX_CATALOG_BYTES = 4 * 1024 * 1024


class Catalog(Translations):
    """A compiled catalog, with a digest of each message it translates: a page then depends
    on the messages it shows, not on the whole file."""

    def __init__(
        self, fp: io.BytesIO | None = None, messages: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(fp, domain=DOMAIN)
        #: message_key(msgid) → digest of its translation (fuzzy entries are not translated).
        self.messages: dict[str, str] = dict(messages or {})


def message_key(message: str | tuple[str, str]) -> str:
    """A message's id as catalogs and fact ids name it: a msgid, or (singular, plural)."""
    return json.dumps(message if isinstance(message, str) else list(message), ensure_ascii=False)


def load_translations(site: SiteDir, lang: str) -> Result[Catalog]:
    """Read the .po catalog of ``lang`` and compile it in memory (no .mo is kept on disk); a
    broken catalog gives an untranslated stand-in beside its errors."""
    found = _read(site, lang)
    if isinstance(found, list):
        return Result(Catalog(), tuple(found))
    return Result(found)


def _read(site: SiteDir, lang: str) -> Catalog | list[ContentError]:
    """The compiled catalog of ``lang``, or every problem in it.

    Refused, each at its line: bytes that are not UTF-8, a string missing its closing quote
    (Babel would drop its last character), and a translation whose placeholders the
    original does not have (``%(nmae)s``), which would fail, or fall back, on the page.
    """
    rel = catalog_path(lang).as_posix()
    data = site.read(rel, limit=MAX_CATALOG_BYTES)
    if data is None:
        return [ContentError(rel, 0, f"no message catalog for language '{lang}'")]
    if isinstance(data, ContentError):
        return [data]
    text = decode_text(data, rel)
    if isinstance(text, ContentError):
        return [text]
    errors = [ContentError(rel, line, message) for line, message in _string_problems(text)]
    if errors:
        return errors
    try:
        catalog = read_po(io.StringIO(text), locale=lang, abort_invalid=True)
        for message, problems in catalog.check():
            if not message.fuzzy:
                errors.extend(
                    ContentError(rel, message.lineno or 1, f"'{_shown_id(message.id)}': {p}")
                    for p in problems
                )
        for message in catalog:
            for string in (
                message.string if isinstance(message.string, tuple | list) else [message.string]
            ):
                bad = FORBIDDEN.search(string or "")
                if bad is not None:
                    errors.append(
                        ContentError(rel, message.lineno or 1, character_problem(bad.group()))
                    )
        if errors:
            return errors
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # fuzzy entries are left out, as gettext does
    except PoFileError as exc:
        return [ContentError(rel, getattr(exc, "lineno", 1) or 1, f"invalid catalog: {exc}")]
    except (ValueError, LookupError, TypeError, SyntaxError) as exc:
        # A header Babel cannot use (Plural-Forms it cannot parse, a charset it lacks).
        return [ContentError(rel, 1, f"invalid catalog: {exc}")]
    compiled.seek(0)
    return Catalog(compiled, _message_digests(catalog))


def _message_digests(catalog: BabelCatalog) -> dict[str, str]:
    """The digest of each message's translation, as gettext will give it (a plural's depends
    on the catalog's plural rule too)."""
    found = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id
        key = msgid if isinstance(msgid, str) else (str(msgid[0]), str(msgid[1]))
        rule = catalog.plural_forms if message.pluralizable else ""
        found[message_key(key)] = digest(repr(message.string), rule)
    return found


_STRING_LINE = re.compile(r'\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?(".*)')


def _string_problems(text: str) -> list[tuple[int, str]]:
    """(line, message) for each quoted string in a .po file that does not end on its line."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("#"):
            continue
        match = _STRING_LINE.fullmatch(line)
        if match is None:
            continue
        quoted = match.group(1).rstrip()
        body = quoted[1:]
        if not body.endswith('"') or _escaped(body[:-1]):
            problems.append((number, "string has no closing '\"' on its line"))
    return problems


def _escaped(text: str) -> bool:
    """True when ``text`` ends in an odd run of backslashes (its next character is escaped)."""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _shown_id(msgid: object) -> str:
    text = str(msgid[0] if isinstance(msgid, tuple | list) else msgid)
    return text if len(text) <= 50 else text[:47] + "..."
