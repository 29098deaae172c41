"""What producers read the site through: every read is a fact, noted by the current recorder.

A producer (site/pages.py, feeds.py …) gets a SiteContext and nothing else: the settings, the
catalogs, the templates, the registries, the articles and the plan's structural answers are
only reachable through its methods, and each method tells the recorder which fact it read.
That is what makes a forgotten dependency impossible (build/incremental.py).

Views several products share (an article's list entry, an article's feed item, a language's
navigation) are made once per process and kept with the facts they read, which are replayed
into the recorder of every later product that uses them. A build seeds the list entries it
kept from earlier builds the same way (build/cards.py). A language's chrome is made once per
process too, but a page reads it as one fact of its own (see ``chrome`` and site/frames.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from markupsafe import Markup

from generator.config.settings import Settings
from generator.content.article import Article
from generator.content.catalogs import message_key
from generator.content.frontmatter import Citation
from generator.content.links import ARTICLE, MEDIA, resolve_placeholders
from generator.content.placement import Placement
from generator.content.registry import Term
from generator.core.recording import Recorder
from generator.site import l10n, urls
from generator.site.factids import (
    article_fact,
    card_fact,
    catalog_fact,
    chrome_fact,
    chrome_inputs,
    fact_id,
    file_fact,
    message_fact,
    messages_fact,
    settings_fact,
    template_fact,
    term_fact,
)
from generator.site.frames import CHROME_TEMPLATE
from generator.site.images import image_size
from generator.site.korean import Analyses
from generator.site.plan import SitePlan
from generator.site.sources import BundleSource, Sources
from generator.site.templates import make_environment
from generator.site.urls import Urls
from generator.site.views import ArticleView, CitationView, Headline, ImageView, Link

T = TypeVar("T")


class SiteContext:
    """The site as one product sees it, while a Recorder notes what it reads."""

    def __init__(self, plan: SitePlan, sources: Sources) -> None:
        self._plan = plan
        self._sources = sources
        self._envs: dict[str, jinja2.Environment] = {}
        self._shared: dict[tuple[Any, ...], tuple[Any, Mapping[str, str]]] = {}
        self._chrome: dict[str, Mapping[str, str]] = {}
        self.recorder: Recorder | None = None
        base = sources.settings
        self._urls = Urls(base.base_url, base.base_path)

    @property
    def scratch(self) -> Path:
        """A folder under the cache directory where tools may work."""
        return self._sources.scratch

    @property
    def bundles(self) -> BundleSource:
        """Search index parts made before (their records are their key: no fact to read)."""
        return self._sources.bundles

    @property
    def words(self) -> Analyses:
        """Korean words' analyses (a word's analysis is its own: no fact to read)."""
        return self._sources.words

    def close(self) -> None:
        """Close the connections its sources hold (a build's last step)."""
        self._sources.articles.close()
        self._sources.bundles.close()
        self._sources.words.close()

    # -- recording ----------------------------------------------------------------------

    def read(self, fact: str) -> None:
        """Note that the current product read ``fact``."""
        assert self.recorder is not None, "a product is made inside recording()"
        self.recorder(fact)

    @contextmanager
    def recording(self, recorder: Recorder) -> Iterator[Recorder]:
        """Make one product with ``recorder`` noting its reads."""
        previous, self.recorder = self.recorder, recorder
        # Every product shows something of the settings (titles, links under the base URL):
        # they are read once here rather than at each of thousands of accesses.
        recorder(settings_fact())
        try:
            yield recorder
        finally:
            self.recorder = previous

    def shared(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """``make()``, once per process for each ``key``; its reads are replayed each time."""
        found = self._shared.get(key)
        if found is None:
            outer = self.recorder
            assert outer is not None
            inner = Recorder(outer.facts)
            with self.recording(inner):
                value = make()
            found = self._shared[key] = (value, inner.read)
        value, reads = found
        assert self.recorder is not None
        self.recorder.read.update(reads)  # the same facts, with the digests they had then
        return value

    def has_chrome(self) -> bool:
        """True when the templates have a chrome (site/frames.py); sites made before it
        have none, and their pages show what base.html shows. (Whether they have one is
        part of the chrome fact.)"""
        return CHROME_TEMPLATE in self._sources.templates.closures

    def chrome(self, lang: str, make: Callable[[], Mapping[str, str]]) -> Mapping[str, str]:
        """The parts of ``lang``'s chrome, made by ``make`` once per process. A page reads
        them as one fact (chrome_fact), whose digest is that of the facts the chrome is made
        of (chrome_inputs): what ``make`` reads must be among them."""
        self.read(chrome_fact(lang))
        found = self._chrome.get(lang)
        if found is None:
            assert self.recorder is not None
            inner = Recorder(self.recorder.facts)
            with self.recording(inner):
                found = make()
            closure = self._sources.templates.closures.get(CHROME_TEMPLATE, ())
            stray = set(inner.read).difference(chrome_inputs(lang, closure))
            if stray:  # a bug in pressroom: pages would miss a change to these
                raise RuntimeError(f"the chrome read {sorted(stray)}, which its fact omits")
            self._chrome[lang] = found
        return found

    def seed(self, key: tuple[Any, ...], value: Any, reads: Mapping[str, str]) -> None:
        """Keep a shared view made elsewhere (in a worker), as ``shared`` would have (its
        ``reads`` are kept as they are, not copied: tens of thousands are seeded)."""
        self._shared[key] = (value, reads)

    # -- inputs -------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The site's settings (every product reads them: see ``recording``)."""
        return self._sources.settings

    @property
    def urls(self) -> Urls:
        """Links under the site's base URL (made from the settings)."""
        return self._urls

    def translator(self, lang: str) -> Callable[[str], str]:
        """gettext for ``lang``: bind it to ``_`` (string extraction looks for ``_("...")``).
        Each message it gives is read as it is asked for."""
        translations = self._sources.translations[lang]

        def gettext(message: str) -> str:
            self._message(lang, message_key(message))
            text: str = translations.gettext(message)
            return text

        return gettext

    def plurals(self, lang: str) -> Callable[[str, str, int], str]:
        """ngettext for ``lang``: bind it to ``ngettext`` (string extraction looks for it)."""
        translations = self._sources.translations[lang]

        def ngettext(singular: str, plural: str, count: int) -> str:
            self._message(lang, message_key((singular, plural)))
            text: str = translations.ngettext(singular, plural, count)
            return text

        return ngettext

    def _message(self, lang: str, key: str) -> None:
        """Read one message of ``lang``'s catalog; one the catalog lacks shows its msgid until
        the catalog changes, so the catalog is what is read."""
        fact = message_fact(lang, key)
        assert self.recorder is not None, "a product is made inside recording()"
        self.read(fact if fact in self.recorder.facts else catalog_fact(lang))

    def template(self, lang: str, name: str) -> jinja2.Template:
        """A template of ``lang``'s environment (the templates it uses and the translations
        of their messages are read with it)."""
        for used in self._sources.templates.closures[name]:
            self.read(template_fact(used))
            self.read(messages_fact(lang, used))
        env = self._envs.get(lang)
        if env is None:
            env = self._envs[lang] = make_environment(
                self._sources.templates, self._sources.translations[lang], self._sources.root
            )
        return env.get_template(name)

    def render(self, lang: str, name: str, /, **context: Any) -> str:
        """A template of ``lang`` rendered with ``context``."""
        return self.template(lang, name).render(**context)

    def term(self, taxonomy: str, term_id: str, lang: str = "") -> Term:
        """One registry entry: all of it, or only what a page in ``lang`` shows (a name
        changed in another language then leaves the page alone)."""
        self.read(term_fact(taxonomy, term_id, lang))
        term = self._sources.registries[taxonomy].terms[term_id]
        return term.in_language(lang) if lang else term

    def file(self, rel: str) -> bytes:
        """A file published as it is."""
        self.read(file_fact(rel))
        return self._sources.files.read(rel)

    # -- the plan -----------------------------------------------------------------------

    def ask(self, question: str, *args: Any) -> Any:
        """One of the plan's structural answers (see SitePlan)."""
        self.read(fact_id(question, *args))
        return getattr(self._plan, question)(*args)

    # -- articles -----------------------------------------------------------------------

    def placement(self, path: str) -> Placement:
        """Where an article stands (its URL, dates and terms are part of its card)."""
        self.read(card_fact(path))
        return self._plan.library.by_path[path]

    def article(self, path: str) -> Article:
        """An article as a whole (front matter and body)."""
        self.read(article_fact(path))
        return self._sources.articles.get(path)

    def article_path(self, path: str) -> str:
        """The site path of an article's page."""
        return urls.article(self.placement(path))

    def card(self, path: str, lang: str | None = None) -> ArticleView:
        """An article as list entries and page headers in ``lang`` show it (by default its
        own language): its headline, its summary and its terms' names."""
        shown_in = lang or self._plan.library.by_path[path].lang
        return self.shared(("card", path, shown_in), lambda: self._card(path, shown_in))

    def headline(self, path: str, lang: str | None = None) -> Headline:
        """An article's title, link and date as a page in ``lang`` names it (by default its
        own language): its card fact, and no term's."""
        shown_in = lang or self._plan.library.by_path[path].lang
        return self.shared(("headline", path, shown_in), lambda: self._headline(path, shown_in))

    def _headline(self, path: str, lang: str) -> Headline:
        # The placement alone (the fields its card digest covers): a year's list names a
        # thousand articles, and reads none of them.
        placement = self.placement(path)
        local = dt.datetime.fromtimestamp(placement.timestamp, self.settings.zone)
        foreign = placement.lang != lang
        title = placement.translated_title.get(lang) if foreign else None
        note = ""
        if foreign:
            _ = self.translator(lang)
            name = l10n.language_name_in(placement.lang, lang)
            note = _("In %(language)s only") % {"language": name}
        return Headline(
            title=title or placement.title,
            url=self.urls.link(urls.article(placement)),
            lang=placement.lang,
            title_lang=placement.lang if foreign and title is None else "",
            date_iso=local.isoformat(),
            date_text=l10n.local_date(local, lang),
            draft=placement.draft,
            foreign_note=note,
        )

    def _card(self, path: str, lang: str) -> ArticleView:
        head = self.headline(path, lang)
        article = self._sources.articles.get(path)  # only the fields its card digest covers
        meta = article.meta
        foreign = article.lang != lang
        return ArticleView(
            title=head.title,
            url=head.url,
            lang=head.lang,
            title_lang=head.title_lang,
            date_iso=head.date_iso,
            date_text=head.date_text,
            summary=meta.translated_summary.get(lang, "") if foreign else article.summary,
            sectors=tuple(self.term_link("sectors", s, lang) for s in meta.sectors),
            people=tuple(self.term_link("people", p, lang) for p in meta.people),
            sources=tuple(self.citation(c, lang) for c in meta.sources),
            draft=head.draft,
            foreign_note=head.foreign_note,
        )

    def citation(self, citation: Citation, lang: str) -> CitationView:
        """One cited report as a page in ``lang`` credits it."""
        outlet = self.term("sources", citation.outlet, lang)
        local = citation.published.astimezone(self.settings.zone)
        shown = (
            l10n.local_datetime(local, lang) if citation.has_time else l10n.local_date(local, lang)
        )
        return CitationView(
            outlet_id=citation.outlet,
            outlet=self.term_link("sources", citation.outlet, lang),
            outlet_home=outlet.url,
            headline=citation.headline,
            headline_lang=citation.language or outlet.language,
            url=citation.url,
            date_iso=local.isoformat() if citation.has_time else local.date().isoformat(),
            date_text=shown,
            authors=citation.authors,
            outlet_lang=_name_language(outlet, lang),
        )

    def image(self, rel: str, alt: str, caption: str = "", credit: str = "") -> ImageView:
        """A local image with its size (read with Pillow; the file is a fact)."""
        width, height = self.shared(("image-size", rel), lambda: image_size(self.file(rel)))
        url = self.urls.absolute(urls.media(rel))
        return ImageView(url, width, height, alt, caption, credit)

    def term_link(self, taxonomy: str, term_id: str, lang: str) -> Link:
        """A sector's, person's or outlet's name in ``lang``, linked to its page."""
        term = self.term(taxonomy, term_id, lang)
        return Link(term.name[lang], self.urls.link(urls.term(lang, taxonomy, term_id)))

    def body(self, path: str, lang: str) -> Markup:
        """An article's HTML with its links to articles, files and site pages resolved."""
        article = self.article(path)

        def resolve(ref: Any) -> str:
            if ref.kind == ARTICLE:
                target = self._plan.library.by_path[ref.target]
                versions = self.ask("versions", ("article", target.key))
                return self.urls.link(versions[lang])
            return self.urls.link(urls.media(ref.target) if ref.kind == MEDIA else ref.target)

        _ = self.translator(lang)
        backlink = _("Back to footnote %d in the text")
        # The body is the author's Markdown rendered to HTML and sanitized: it is markup.
        return Markup(resolve_placeholders(article.body_html, article.links, resolve, backlink))


def _name_language(outlet: Term, lang: str) -> str:
    """The language an outlet's name is written in on a ``lang`` page, when it is not
    ``lang``: its own language, when its name there is the same as in its own language."""
    own = outlet.language
    if not own or own == lang or own not in outlet.name:
        return ""
    return own if outlet.name.get(lang) == outlet.name[own] else ""
