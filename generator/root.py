"""The pages at the site root, in no one language: the language chooser and the bilingual 404.

Both show every language side by side, each part marked with its own ``lang``; they are the
x-default of the language homes and of the language "page not found" pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from babel.support import Translations

from generator import i18n, metadata
from generator.config.settings import Settings
from generator.pages import Alternate
from generator.render import Output, OutputCache
from generator.site import urls
from generator.site.urls import Urls
from generator.views import Link


class RootPages:
    """Renders index.html and 404.html at the root of the site."""

    def __init__(
        self,
        settings: Settings,
        envs: Mapping[str, jinja2.Environment],
        translations: Mapping[str, Translations],
        outputs: OutputCache,
    ) -> None:
        self.settings = settings
        self.envs = envs
        self.translations = translations
        self.outputs = outputs
        self.link = Urls(settings.base_url, settings.base_path)
        self.feed_titles: Mapping[str, str] = {}

    def render(self, feed_titles: Mapping[str, str]) -> list[Output]:
        """The chooser and the root 404; ``feed_titles`` are the site feeds' titles by language."""
        self.feed_titles = feed_titles
        return [self._chooser(), self._not_found()]

    def chooser_alternates(self) -> tuple[Alternate, ...]:
        """The chooser's hreflang alternates: every language's home, and itself as x-default."""
        return tuple(self._alternates(urls.home, ""))

    def _alternates(self, path_of: Callable[[str], str], root: str) -> list[Alternate]:
        alternates = [
            Alternate(lang, self.link.absolute(path_of(lang))) for lang in self.settings.languages
        ]
        alternates.append(Alternate("x-default", self.link.absolute(root)))
        return alternates

    def _head(self, path: str, alternates: tuple[Alternate, ...]) -> dict[str, Any]:
        """What both root pages' <head> shows: links, feeds, Open Graph in the default language."""
        default = self.settings.default_language
        return {
            "lang": default,
            "alternates": alternates,
            "canonical": self.link.absolute(path),
            "stylesheet": self.link.link("static/style.css"),
            "icon": self.link.link("static/favicon.svg"),
            "feeds": [
                {"title": self.feed_titles[lang], "url": self.link.absolute(urls.feed(lang))}
                for lang in self.settings.languages
            ],
            "site_title": " · ".join(self.settings.title[lang] for lang in self.settings.languages),
            "description": self.settings.description[default],
            "og_locale": metadata.og_locale(default),
            "og_alternates": [
                metadata.og_locale(lang) for lang in self.settings.languages if lang != default
            ],
        }

    def _produce(self, path: str, template: str, context: dict[str, Any]) -> Output:
        compiled = self.envs[self.settings.default_language].get_template(template)
        return self.outputs.produce(
            path,
            self.outputs.key(path, template, context),
            lambda: compiled.render(**context).encode("utf-8"),
        )

    def _chooser(self) -> Output:
        homes = [
            {
                "lang": lang,
                "name": i18n.language_name(lang),
                "title": self.settings.title[lang],
                "description": self.settings.description[lang],
                "url": self.link.link(urls.home(lang)),
                "feed": self.link.link(urls.feed(lang)),
            }
            for lang in self.settings.languages
        ]
        context = {**self._head("", self.chooser_alternates()), "homes": homes}
        return self._produce("index.html", "chooser.html", context)

    def _not_found(self) -> Output:
        sections = []
        for lang in self.settings.languages:
            gettext = self.translations[lang].gettext
            links = [
                Link(gettext("Latest summaries"), self.link.link(urls.home(lang))),
                Link(gettext("Archive"), self.link.link(urls.archive(lang))),
            ]
            if self.settings.search:
                links.append(Link(gettext("Search"), self.link.link(urls.search(lang))))
            sections.append(
                {
                    "lang": lang,
                    "site_title": self.settings.title[lang],
                    "heading": gettext("Page not found"),
                    "text": gettext(
                        "There is no page at this address. It may have moved, or the address "
                        "may have a typing mistake."
                    ),
                    "links": links,
                }
            )
        alternates = tuple(self._alternates(urls.not_found, urls.not_found()))
        context = {**self._head(urls.not_found(), alternates), "sections": sections}
        return self._produce(urls.not_found(), "404_root.html", context)
