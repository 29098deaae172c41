"""Archive → RSS 2.0 feeds: one per language, per sector and per person."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import jinja2
import lxml.html

from generator import i18n
from generator.build import cache
from generator.content.article import Article
from generator.content.library import Archive
from generator.content.links import PLACEHOLDER
from generator.render import Output, OutputCache, PageRenderer
from generator.site import urls
from generator.site.urls import Urls
from generator.views import body_html


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One <item>."""

    title: str
    link: str
    pub_date: str
    categories: tuple[str, ...]
    description: str
    #: Article HTML with every link made absolute (feed readers have no base URL).
    content_html: str


@dataclass(frozen=True, slots=True)
class Channel:
    """The <channel> of one feed."""

    title: str
    link: str
    description: str
    language: str
    self_url: str
    #: The newest item's date (never the clock), None for an empty feed.
    last_build_date: str | None
    items: tuple[FeedItem, ...]


def absolutize(html: str, page_url: str) -> str:
    """Return ``html`` with every relative href/src resolved against ``page_url``."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(page_url, resolve_base_href=False)
    inner = root.text or ""
    return inner + "".join(
        lxml.html.tostring(child, encoding="unicode", method="html") for child in root
    )


class FeedRenderer:
    """Renders every feed; each article's item is built once and shared by all its feeds."""

    def __init__(
        self,
        archive: Archive,
        environments: Mapping[str, jinja2.Environment],
        pages: PageRenderer,
        outputs: OutputCache,
    ) -> None:
        self.archive = archive
        self.outputs = outputs
        self.envs = environments
        self.pages = pages
        self.link = Urls(archive.settings.base_url, archive.settings.base_path)
        self._items: dict[str, FeedItem] = {}
        self._item_keys: dict[str, tuple[str, ...]] = {}

    def render(self) -> list[Output]:
        """Return the site feed and every term feed of every language."""
        outputs = []
        settings = self.archive.settings
        for lang in settings.languages:
            outputs.append(
                self._feed(
                    path=urls.feed(lang),
                    title=self.pages.feed_title(lang),
                    page=urls.home(lang),
                    description=settings.description[lang],
                    lang=lang,
                    articles=self.archive.articles[lang],
                )
            )
            for taxonomy, terms in self.archive.terms.items():
                for term in terms.values():
                    outputs.append(
                        self._feed(
                            path=urls.term_feed(lang, taxonomy, term.id),
                            title=self.pages.feed_title(lang, term.name[lang]),
                            page=urls.term(lang, taxonomy, term.id),
                            description=term.detail[lang],
                            lang=lang,
                            articles=self.archive.articles_of(taxonomy, term.id, lang),
                        )
                    )
        return outputs

    def _feed(
        self,
        *,
        path: str,
        title: str,
        page: str,
        description: str,
        lang: str,
        articles: Sequence[Article],
    ) -> Output:
        newest = articles[: self.archive.settings.feed_length]
        # The channel last changed when its newest item did (never the clock).
        last = max((a.meta.updated or a.date for a in newest), default=None)
        zone = self.archive.settings.zone
        header = (
            title,
            self.link.absolute(page),
            html.escape(description, quote=False),
            lang,
            self.link.absolute(path),
            i18n.rfc822(last.astimezone(zone)) if last else None,
        )
        # Keyed by what the items show, so unchanged feeds skip the costly absolutize step.
        key = self.outputs.key(path, "feed.xml", header, [self._item_key(a) for a in newest])

        def make() -> bytes:
            channel = Channel(*header, items=tuple(self._item(a) for a in newest))
            return self.envs[lang].get_template("feed.xml").render(channel=channel).encode()

        return self.outputs.produce(path, key, make)

    def _item_key(self, article: Article) -> tuple[str, ...]:
        """What an item shows, cheaply: the article's file digest (registries and settings are
        in the salt), its URL, and its body where links in it lead to other pages."""
        key = self._item_keys.get(article.path)
        if key is None:
            body = (
                cache.digest(body_html(article, self.archive, self.link))
                if PLACEHOLDER in article.body_html
                else ""
            )
            key = (article.source_digest, urls.article(article), body)
            self._item_keys[article.path] = key
        return key

    def _categories(self, article: Article) -> tuple[str, ...]:
        return tuple(
            self.archive.term(taxonomy, term_id).name[article.lang]
            for taxonomy, ids in (
                ("sectors", article.meta.sectors),
                ("people", article.meta.people),
            )
            for term_id in ids
        )

    def _item(self, article: Article) -> FeedItem:
        cached = self._items.get(article.path)
        if cached is None:
            url = self.link.absolute(urls.article(article))
            categories = self._categories(article)
            cached = FeedItem(
                title=article.title,
                link=url,
                pub_date=i18n.rfc822(article.date.astimezone(self.archive.settings.zone)),
                categories=categories,
                # Readers treat <description> as HTML: the plain-text summary is escaped as
                # HTML here, and the template escapes that again as XML.
                description=html.escape(article.summary, quote=False),
                content_html=absolutize(body_html(article, self.archive, self.link), url),
            )
            self._items[article.path] = cached
        return cached
