"""The site's Jinja2 templates: read once through the input gate, checked, compiled once.

Every template under templates/ is read and parsed while the content is read (so one run
reports template and content mistakes together), and kept in memory with its digest and the
templates it extends, includes or imports: rendering reads no file, and a page that uses a
template depends on exactly those templates' facts.
"""

from __future__ import annotations

import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.ext
import jinja2.meta
import jinja2.runtime
from babel.support import Translations
from jinja2 import nodes
from markupsafe import Markup

from generator.content.catalogs import message_key
from generator.core.digest import digest
from generator.core.errors import ContentError, Result
from generator.core.files import SiteDir, decode_text
from generator.core.layout import STATIC_DIR, TEMPLATES_DIR

#: A template is a few kilobytes; a file near this is a mistake.
MAX_TEMPLATE_BYTES = 1024 * 1024
#: Files under templates/static/ are stylesheets, scripts and icons.
MAX_STATIC_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class TemplateSet:
    """Every template's source, digest and the templates it uses, by name."""

    sources: Mapping[str, str]
    digests: Mapping[str, str]
    #: Name → the names it uses, itself included, directly or through others.
    closures: Mapping[str, tuple[str, ...]]
    #: Files under templates/static/ (site-relative), published as they are.
    static: tuple[str, ...]
    #: Name → the messages it shows itself (their message_key), or None when it may show
    #: some it does not name (a msgid from a variable, a context, gettext passed around).
    messages: Mapping[str, tuple[str, ...] | None]


#: How templates are read, when they are checked and when they are rendered alike: the text
#: of a {% trans %} block, which is its msgid, depends on the whitespace options.
_OPTIONS: dict[str, Any] = {
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def load_templates(site: SiteDir) -> Result[TemplateSet]:
    """Read and parse every template; every file that cannot be read and every template that
    does not parse is an error at its line."""
    found, errors = site.walk(TEMPLATES_DIR.as_posix())
    env = jinja2.Environment(**_OPTIONS)
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # as pages are rendered
    sources: dict[str, str] = {}
    messages: dict[str, tuple[str, ...] | None] = {}
    direct: dict[str, set[str]] = {}
    static = []
    for file in found:
        if file.rel.startswith(f"{STATIC_DIR.as_posix()}/"):
            static.append(file.rel)
            continue
        if not file.rel.endswith((".html", ".xml")):
            continue
        data = site.read(file.rel, limit=MAX_TEMPLATE_BYTES)
        text = data if not isinstance(data, bytes) else decode_text(data, file.rel)
        if not isinstance(text, str):
            errors.append(text or ContentError(file.rel, 0, "disappeared during the build"))
            continue
        name = file.rel.removeprefix(f"{TEMPLATES_DIR.as_posix()}/")
        try:
            ast = env.parse(text, name=file.rel)
        except jinja2.TemplateSyntaxError as exc:
            errors.append(ContentError(file.rel, exc.lineno, exc.message or "syntax error"))
            continue
        sources[name] = text
        messages[name] = _messages(ast)
        direct[name] = {n for n in jinja2.meta.find_referenced_templates(ast) if n}
    closures = {name: tuple(sorted(_closure(name, direct))) for name in sources}
    digests = {name: digest(text) for name, text in sources.items()}
    return Result(TemplateSet(sources, digests, closures, tuple(static), messages), tuple(errors))


def _messages(ast: nodes.Template) -> tuple[str, ...] | None:
    """The keys of the messages a template shows, each named by a literal msgid in a call
    of ``_``, ``gettext`` or ``ngettext`` (a {% trans %} block is one); None when any other
    use of those names, or a context (pgettext), could show others."""
    found = set()
    calls = 0
    for call in ast.find_all(nodes.Call):
        function = call.node.name if isinstance(call.node, nodes.Name) else ""
        if function not in jinja2.ext.GETTEXT_FUNCTIONS:
            continue
        calls += 1
        texts = [a.value if isinstance(a, nodes.Const) else None for a in call.args[:2]]
        literal = [t for t in texts if isinstance(t, str)]
        if function in ("_", "gettext") and texts and isinstance(texts[0], str):
            found.add(message_key(texts[0]))
        elif function == "ngettext" and len(literal) == 2:
            found.add(message_key((literal[0], literal[1])))
        else:
            return None
    named = sum(1 for n in ast.find_all(nodes.Name) if n.name in jinja2.ext.GETTEXT_FUNCTIONS)
    return tuple(sorted(found)) if named == calls else None


def _closure(name: str, direct: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(direct.get(current, ()))
    return seen


class _Loader(jinja2.BaseLoader):
    """Serves the templates read through the gate, and nothing else."""

    def __init__(self, templates: TemplateSet, root: Path) -> None:
        self.templates = templates
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The source of ``template``, its file name (for errors) and an up-to-date check."""
        source = self.templates.sources.get(template)
        if source is None:
            raise jinja2.TemplateNotFound(template)
        return source, str(self.root / TEMPLATES_DIR / template), lambda: True


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process, by name and source.

    Each language has its own environment, and `pressroom serve` and the tests build many
    times in one process: compiling the templates cost more than rendering a small site. The
    compiled code depends only on a template's source and on the environment's options, which
    make_environment sets alike for all; a changed source has another checksum and is compiled.
    """

    #: Compiled templates kept (the least recently used go first).
    LIMIT = 256

    def __init__(self) -> None:
        self._store: OrderedDict[tuple[str, str | None], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name alone: the same template in another site directory is shared."""
        return name

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` with the code compiled from the same source, if any."""
        with self._lock:
            data = self._store.get((bucket.key, bucket.checksum))
            if data is not None:
                self._store.move_to_end((bucket.key, bucket.checksum))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep ``bucket``'s freshly compiled code."""
        data = bucket.bytecode_to_string()
        with self._lock:
            self._store[(bucket.key, bucket.checksum)] = data
            while len(self._store) > self.LIMIT:
                self._store.popitem(last=False)


_COMPILED = CompiledTemplates()


def make_environment(
    templates: TemplateSet, translations: Translations, root: Path
) -> jinja2.Environment:
    """A Jinja2 environment for one language: templates compiled once, gettext installed."""
    env = jinja2.Environment(
        loader=_Loader(templates, root),
        bytecode_cache=_COMPILED,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        **_OPTIONS,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    gettext = _remembered_gettext(translations.gettext)
    env.globals["gettext"] = gettext
    env.globals["_"] = _gettext_alias(gettext)
    env.filters["plain_text"] = plain_text
    return env


def _remembered_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style gettext, remembering what each message without variables gives.

    A page shows some thirty messages, and Jinja's gettext goes through the context twice,
    marks the translation up and formats it every time (a quarter of a list page's render): a
    message without variables gives the same text each time, in the same escaping mode.
    """
    given: dict[tuple[bool, str], str] = {}

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, /, **variables: Any) -> str:
        autoescape = context.eval_ctx.autoescape
        text = given.get((autoescape, message)) if not variables else None
        if text is None:
            translated = translate(message)
            # Always a format string, as in Jinja's own: "%%" is "%" with or without variables.
            text = (Markup(translated) if autoescape else translated) % variables
            if not variables:
                given[(autoescape, message)] = text
        return text

    return gettext


def _gettext_alias(gettext: Callable[..., str]) -> Callable[..., str]:
    """``_``: whatever ``gettext`` names where it is called, as in Jinja's i18n extension,
    calling the one installed without going through the context again."""

    @jinja2.pass_context
    def alias(context: jinja2.runtime.Context, /, *args: Any, **kwargs: Any) -> Any:
        found = context.resolve_or_missing("gettext")
        if found is gettext:
            return gettext(context, *args, **kwargs)
        return context.call(found, *args, **kwargs)

    return alias


#: Characters written as hexadecimal references in XML that holds plain text.
_PLAIN_TEXT = str.maketrans({"&": "&#x26;", "<": "&#x3C;", ">": "&#x3E;", '"': "&#x22;"})


def plain_text(value: object) -> Markup:
    """Text for an RSS or OPML element or attribute that a reader may show as HTML.

    RSS never said whether <title> or <category> may hold HTML, and readers differ: the RSS
    Best Practices Profile's answer, hexadecimal references for &, < and >, reads as the same
    plain text in readers that take the text as it is and in those that render it as HTML.
    """
    return Markup(str(value).translate(_PLAIN_TEXT))


#: What a template's own mistakes raise while it renders (a filter or a value it calls fails).
RENDER_ERRORS = (
    jinja2.TemplateError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
)


def render_error(exc: BaseException) -> ContentError | None:
    """A template mistake as templates/<name>:<line>: message; None when the exception did
    not come from a template (a bug in pressroom: its traceback is kept)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.name or exc.filename or "?"
        return ContentError(f"{TEMPLATES_DIR.as_posix()}/{name}", exc.lineno, exc.message or "")
    where = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        parts = Path(filename).parts
        if filename.endswith((".html", ".xml")) and "templates" in parts:
            index = len(parts) - 1 - parts[::-1].index("templates")
            where = ("/".join(parts[index:]), line)
    if isinstance(exc, jinja2.TemplateError):
        if where is None:
            return ContentError(TEMPLATES_DIR.as_posix(), 0, f"template error: {exc}")
        return ContentError(where[0], where[1], f"template error: {exc}")
    if where is None:
        return None
    return ContentError(where[0], where[1], f"template error: {type(exc).__name__}: {exc}")
