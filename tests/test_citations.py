"""What lets a reader check a summary against its source: full citations on pages, in feeds
and in JSON-LD; outlets as entities with pages and feeds; article images and share images;
times with their zone; and articles in one language only, listed marked in the other.

The expectations are read from the inputs (front matter, registries), never written out here,
so that they hold for any content; a few tests add articles of their own to a project copy.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml
from conftest import ROOT
from htmltools import iter_pages, parse
from PIL import Image

from generator.commands.cli import main

ARTICLES = ROOT / "content" / "articles"
BASE = "https://example.github.io/pressroom/"
LANGS = ("ko", "en")
RSS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


# --- the inputs ----------------------------------------------------------------------------


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    meta: dict[str, Any] = yaml.safe_load(text.split("---\n", 2)[1])
    return meta


def articles() -> list[tuple[str, str, dict[str, Any]]]:
    """(language, slug, front matter) of every default article."""
    found = []
    for path in sorted(ARTICLES.rglob("*.md")):
        slug, lang, _ = path.name.rsplit(".", 2)
        found.append((lang, slug, front_matter(path)))
    return found


def registry(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "content" / "taxonomies" / f"{name}.yaml").read_text("utf-8")
    )
    return data


def page(site: Path, lang: str, slug: str) -> Any:
    return parse(site / lang / "articles" / "2025" / slug / "index.html")


def text_of(element: Any) -> str:
    return " ".join(element.text_content().split())


def json_ld(doc: Any) -> dict[str, Any]:
    (script,) = doc.xpath("//script[@type='application/ld+json']")
    data: dict[str, Any] = json.loads(script.text)
    return data


def build(project: Path, *options: str) -> int:
    return main(["build", "--source", str(project), *options])


# --- the source box ------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "slug", "meta"), articles(), ids=lambda v: str(v)[:30])
def test_every_article_page_cites_each_report_in_full(
    built_site: Path, lang: str, slug: str, meta: dict[str, Any]
) -> None:
    outlets = registry("sources")
    doc = page(built_site, lang, slug)
    (box,) = doc.xpath("//aside[@class='source']")
    citations = box.xpath(".//li[@class='citation']")
    assert len(citations) == len(meta["sources"])
    for citation, report in zip(citations, meta["sources"], strict=True):
        outlet = outlets[report["outlet"]]
        (headline,) = citation.xpath("./a[@class='headline']")
        assert headline.text == report["headline"]
        assert headline.get("href") == report["url"]
        # Marked with the report's language: an English headline on a Korean page says so.
        assert headline.get("lang") == report.get("language", outlet["language"])
        (name,) = citation.xpath(".//span[@class='outlet']/a")
        assert name.text == outlet["name"][lang]
        assert name.get("href").endswith(f"/{lang}/sources/{report['outlet']}/")
        (time,) = citation.xpath(".//time")
        assert time.get("datetime").startswith(str(report["published"])[:10])
        assert time.text.strip()


def test_an_article_of_several_reports_lists_them_in_order_with_authors_and_time(
    project: Path,
) -> None:
    path = project / "content" / "articles" / "2025" / "two-reports.en.md"
    path.write_text(
        "---\ntitle: Two Reports\ndate: 2025-08-27T10:00:00+09:00\nsources:\n"
        "  - outlet: asiae\n    headline: First report\n    url: https://example.com/first\n"
        "    published: 2025-08-26T07:30:00+09:00\n    authors: [Kim Min-ji, Park Jun]\n"
        "  - outlet: asiae\n    headline: 두 번째 보도\n    url: https://example.com/second\n"
        "    published: 2025-08-26\n    language: ko\n---\nBody.\n",
        "utf-8",
    )
    assert build(project) == 0
    doc = page(project / "site", "en", "two-reports")
    citations = doc.xpath("//li[@class='citation']")
    assert [c.xpath("./a")[0].text for c in citations] == ["First report", "두 번째 보도"]
    assert citations[1].xpath("./a")[0].get("lang") == "ko"
    assert text_of(citations[0].xpath(".//span[@class='authors']")[0]) == "Kim Min-ji, Park Jun"
    # A known time is shown with its zone; a date alone stays a date.
    assert re.search(r"7:30\W+AM KST", citations[0].xpath(".//time")[0].text)
    assert citations[1].xpath(".//time")[0].get("datetime") == "2025-08-26"
    data = json_ld(doc)
    assert [r["headline"] for r in data["isBasedOn"]] == ["First report", "두 번째 보도"]
    assert data["isBasedOn"][0]["author"] == [
        {"@type": "Person", "name": "Kim Min-ji"},
        {"@type": "Person", "name": "Park Jun"},
    ]


@pytest.mark.parametrize(("lang", "slug", "meta"), articles(), ids=lambda v: str(v)[:30])
def test_json_ld_says_what_each_article_is_based_on(
    built_site: Path, lang: str, slug: str, meta: dict[str, Any]
) -> None:
    outlets = registry("sources")
    data = json_ld(page(built_site, lang, slug))
    assert [r["url"] for r in data["isBasedOn"]] == [s["url"] for s in meta["sources"]]
    for based_on, report in zip(data["isBasedOn"], meta["sources"], strict=True):
        assert based_on["@type"] == "NewsArticle"
        assert based_on["headline"] == report["headline"]
        assert based_on["datePublished"].startswith(str(report["published"])[:10])
        outlet = outlets[report["outlet"]]
        assert based_on["publisher"] == {
            "@type": "Organization",
            "name": outlet["name"][lang],
            "url": outlet["url"],
        }


def test_an_outlet_name_in_another_language_is_marked_with_it(project: Path) -> None:
    """'The Korea Herald' on a Korean page is English text: screen readers must say so."""
    outlets = project / "content" / "taxonomies" / "sources.yaml"
    outlets.write_text(
        outlets.read_text("utf-8")
        + "korea-herald:\n  name: {ko: The Korea Herald, en: The Korea Herald}\n"
        "  url: https://www.koreaherald.com/\n  language: en\n",
        "utf-8",
    )
    path = project / "content" / "articles" / "2025" / "herald.ko.md"
    path.write_text(
        "---\ntitle: 헤럴드 보도 요약\ndate: 2025-08-27T10:00:00+09:00\nsources:\n"
        "  - {outlet: korea-herald, headline: A report, url: 'https://www.koreaherald.com/a',"
        " published: 2025-08-26}\n  - {outlet: asiae, headline: 다른 보도,"
        " url: 'https://www.asiae.co.kr/b', published: 2025-08-26}\n---\n본문.\n",
        "utf-8",
    )
    assert build(project) == 0
    doc = page(project / "site", "ko", "herald")
    names = doc.xpath("//li[@class='citation']//*[@class='outlet']/a")
    assert [(text_of(a), a.get("lang")) for a in names] == [
        ("The Korea Herald", "en"),
        ("아시아경제", None),
    ]
    home = parse(project / "site" / "ko" / "index.html")
    (card,) = [
        li
        for li in home.xpath("//li[@class='article-summary']")
        if "herald" in li.xpath("./h2/a/@href")[0]
    ]
    assert [(text_of(s), s.get("lang")) for s in card.xpath(".//*[@class='source-name']")] == [
        ("The Korea Herald", "en"),
        ("아시아경제", None),
    ]


# --- feeds ---------------------------------------------------------------------------------


def feeds(site: Path) -> list[Path]:
    return sorted(site.rglob("*.xml"))


def test_every_feed_item_credits_its_reports_where_a_reader_sees_it(built_site: Path) -> None:
    outlets = registry("sources")
    by_url = {}
    for lang, slug, meta in articles():
        by_url[f"{BASE}{lang}/articles/2025/{slug}/"] = (lang, meta)
    items = 0
    for path in feeds(built_site):
        if path.name != "feed.xml":
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
        tree = lxml.etree.parse(str(path))
        for entry, item in zip(parsed.entries, tree.iterfind(".//item"), strict=True):
            lang, meta = by_url[entry.link]
            items += 1
            first = outlets[meta["sources"][0]["outlet"]]
            # A reader that shows only the description still sees the credit.
            assert first["name"][lang] in entry.summary, entry.link
            assert meta["sources"][0]["headline"] in entry.summary
            # So does one that shows the content, as HTML: a credit linking each report.
            content = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
            credits = content.xpath(".//p[@class='credit']")
            assert len(credits) == 1, entry.link
            assert [(a.get("href"), a.text_content()) for a in credits[0].iter("a")] == [
                (s["url"], s["headline"]) for s in meta["sources"]
            ], entry.link
            assert "<p" not in content.text_content(), f"{entry.link}: markup shown as text"
            (source,) = item.findall("source")
            assert source.text == first["name"][lang]
            assert (
                source.get("url") == f"{BASE}{lang}/sources/{meta['sources'][0]['outlet']}/feed.xml"
            )
            assert item.findtext("dc:creator", namespaces=RSS), entry.link
    assert items > len(articles())


@pytest.mark.parametrize("lang", LANGS)
def test_each_outlet_has_pages_and_a_feed_with_exactly_its_articles(
    built_site: Path, lang: str
) -> None:
    for outlet, entry in registry("sources").items():
        cited = {
            (a_lang, slug)
            for a_lang, slug, meta in articles()
            if outlet in [s["outlet"] for s in meta["sources"]]
        }
        if not cited:
            continue
        doc = parse(built_site / lang / "sources" / outlet / "index.html")
        assert doc.xpath("//h1")[0].text == entry["name"][lang]
        listed = {
            tuple(a.get("href").rstrip("/").split("/")[-4::3])
            for a in doc.xpath("//li[@class='article-summary']/h2/a")
        }
        assert listed == {(a_lang, slug) for a_lang, slug in cited if a_lang == lang} | {
            (a_lang, slug) for a_lang, slug in cited if a_lang != lang and (lang, slug) not in cited
        }
        feed = feedparser.parse((built_site / lang / "sources" / outlet / "feed.xml").read_bytes())
        assert {e.link.rstrip("/").split("/")[-1] for e in feed.entries} == {
            slug for a_lang, slug in cited if a_lang == lang
        }
        index = parse(built_site / lang / "sources" / "index.html")
        assert entry["name"][lang] in text_of(index.xpath("//ul[@class='term-index']")[0])
    feeds_page = parse(built_site / lang / "feeds" / "index.html")
    assert feeds_page.xpath("//section[@aria-labelledby='feeds-sources']//code")
    opml = (built_site / lang / "feeds-sources.opml").read_text("utf-8")
    assert f"/{lang}/sources/asiae/feed.xml" in opml


# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "slug", "meta"), articles(), ids=lambda v: str(v)[:30])
def test_article_pages_show_date_and_time_with_the_zone(
    built_site: Path, lang: str, slug: str, meta: dict[str, Any]
) -> None:
    (time,) = page(built_site, lang, slug).xpath("//header[@class='article-header']//time")
    moment = meta["date"]
    assert dt.datetime.fromisoformat(time.get("datetime")) == moment
    shown = time.text
    assert "KST" in shown
    hour = moment.astimezone(dt.timezone(dt.timedelta(hours=9))).hour % 12 or 12
    if lang == "ko":
        assert re.fullmatch(
            rf"\d{{4}}년 \d{{1,2}}월 \d{{1,2}}일 (오전|오후) {hour}:\d\d \(KST\)", shown
        )
    else:
        assert re.fullmatch(rf"[A-Z][a-z]{{2}} \d{{1,2}}, \d{{4}}, {hour}:\d\d\W(AM|PM) KST", shown)


def test_an_article_dated_by_its_day_alone_shows_no_time(project: Path, run_cli: Any) -> None:
    path = project / "content" / "articles" / "2025" / "semiconductors-hbm-ai.en.md"
    text = path.read_text("utf-8")
    text = text.replace("date: 2025-08-26T13:00:00+09:00", "date: 2025-08-27\nupdated: 2025-08-28")
    path.write_text(text, "utf-8")
    assert run_cli("build", "--source", project).status == 0
    doc = parse(
        project / "site" / "en" / "articles" / "2025" / "semiconductors-hbm-ai" / "index.html"
    )
    shown = [t.text for t in doc.xpath("//header[@class='article-header']//time")]
    assert shown == ["August 27, 2025", "August 28, 2025"]


# --- images --------------------------------------------------------------------------------

PNG_SIZE = (640, 360)


def add_image_article(project: Path, image: str = "chart.png", alt: str = "A chart") -> Path:
    folder = project / "content" / "articles" / "2025"
    Image.new("RGB", PNG_SIZE, (10, 80, 160)).save(folder / "chart.png")
    path = folder / "with-image.en.md"
    path.write_text(
        "---\ntitle: With an Image\ndate: 2025-08-27T10:00:00+09:00\n"
        "sources: [{outlet: asiae, headline: A report, url: 'https://example.com/r',"
        " published: 2025-08-26}]\n"
        f"image:\n  file: {image}\n  alt: {alt}\n  caption: Planned investment by sector\n"
        "  credit: 'Chart: the test'\n---\nBody.\n",
        "utf-8",
    )
    return path


def test_an_article_image_is_its_figure_with_its_size_and_its_share_image(project: Path) -> None:
    add_image_article(project)
    assert build(project) == 0
    doc = page(project / "site", "en", "with-image")
    (img,) = doc.xpath("//figure[@class='article-figure']/img")
    assert (int(img.get("width")), int(img.get("height"))) == PNG_SIZE
    assert img.get("alt") == "A chart"
    assert "Planned investment by sector" in text_of(doc.xpath("//figcaption")[0])
    src = img.get("src")
    assert src == f"{BASE}media/articles/2025/chart.png"
    assert (project / "site" / "media/articles/2025/chart.png").is_file()
    assert doc.xpath("//meta[@property='og:image']/@content") == [src]
    assert doc.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    assert doc.xpath("//meta[@name='twitter:image']/@content") == [src]
    assert json_ld(doc)["image"] == [src]


def test_every_page_shares_an_image(built_site: Path) -> None:
    settings = yaml.safe_load((ROOT / "site.yaml").read_text("utf-8"))
    share = settings["share_image"]["file"].removeprefix("content/")
    width, height = Image.open(ROOT / settings["share_image"]["file"]).size
    pages = [p for p in iter_pages(built_site) if parse(p).xpath("//head/title")]
    assert len(pages) > 40
    for path in pages:
        doc = parse(path)
        assert doc.xpath("//meta[@property='og:image']/@content") == [f"{BASE}{share}"], path
        assert doc.xpath("//meta[@property='og:image:width']/@content") == [str(width)]
        assert doc.xpath("//meta[@property='og:image:height']/@content") == [str(height)]
        assert doc.xpath("//meta[@property='og:image:alt']/@content")[0].strip()
    assert (built_site / share).read_bytes() == (
        ROOT / settings["share_image"]["file"]
    ).read_bytes()


@pytest.mark.parametrize(
    ("image", "alt", "problem"),
    [
        pytest.param("missing.png", "A chart", "does not exist", id="missing-file"),
        pytest.param("chart.png", None, "missing required field 'alt'", id="no-alt"),
        pytest.param(
            "../../../site.yaml", "A chart", "must be a file under content/", id="outside"
        ),
    ],
)
def test_a_broken_image_is_an_error_at_its_line(
    project: Path, run_cli: Any, image: str, alt: str | None, problem: str
) -> None:
    path = add_image_article(project, image=image, alt=alt or "A chart")
    if alt is None:
        path.write_text(re.sub(r"(?m)^  alt: .*\n", "", path.read_text("utf-8")), "utf-8")
    run = run_cli("build", "--source", project)
    assert run.status == 1
    lines = path.read_text("utf-8").splitlines()
    # At the file's line; a missing alt at the image's.
    key = "  file:" if alt else "image:"
    line = next(i for i, text in enumerate(lines, 1) if text.startswith(key))
    rel = path.relative_to(project).as_posix()
    wanted = [e for e in run.err.splitlines() if e.startswith(f"{rel}:")]
    assert len(wanted) == 1, run.err
    assert problem in wanted[0]
    assert int(wanted[0].split(":")[1]) == line


def png_header(width: int, height: int) -> bytes:
    """The first bytes of a PNG claiming ``width`` x ``height`` pixels (and nothing more)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    )


@pytest.mark.parametrize(
    "data",
    [b"not a picture at all", png_header(100_000, 100_000)],
    ids=["not-an-image", "decompression-bomb"],
)
def test_a_file_that_is_not_an_image_is_an_error_in_build_and_check(
    project: Path, run_cli: Any, data: bytes
) -> None:
    path = add_image_article(project)
    (path.parent / "chart.png").write_bytes(data)
    rel = path.relative_to(project).as_posix()
    line = next(i for i, t in enumerate(path.read_text("utf-8").splitlines(), 1) if "file:" in t)
    for command in ("build", "check"):
        run = run_cli(command, "--source", project)
        assert run.status == 1, command
        assert f"{rel}:{line}" in run.out + run.err, command
        assert "Traceback" not in run.err


def test_a_share_image_that_is_not_an_image_is_one_error_at_its_line(
    project: Path, run_cli: Any
) -> None:
    settings = yaml.safe_load((project / "site.yaml").read_text("utf-8"))
    (project / settings["share_image"]["file"]).write_bytes(b"not a picture")
    lines = (project / "site.yaml").read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip().startswith("file:"))
    for command in ("build", "check"):
        run = run_cli(command, "--source", project)
        assert run.status == 1, command
        found = [e for e in (run.out + run.err).splitlines() if e.startswith("site.yaml:")]
        assert len(found) == 1, (command, run.out + run.err)
        assert found[0].startswith(f"site.yaml:{line}:") and "cannot be read" in found[0]
        assert "Traceback" not in run.err


# --- outlets as entities -------------------------------------------------------------------


def test_an_unknown_outlet_is_an_error_suggesting_the_id(project: Path, run_cli: Any) -> None:
    path = project / "content" / "articles" / "2025" / "unknown-outlet.en.md"
    path.write_text(
        "---\ntitle: T\ndate: 2025-08-27\nsources:\n  - outlet: Asia Business Daily\n"
        "    headline: H\n    url: https://example.com/r\n    published: 2025-08-26\n---\nBody.\n",
        "utf-8",
    )
    run = run_cli("build", "--source", project)
    assert run.status == 1
    rel = path.relative_to(project).as_posix()
    assert f"{rel}:5: " in run.err
    assert "slug" in run.err  # an id is a slug: the name is refused as one

    path.write_text(path.read_text("utf-8").replace("Asia Business Daily", "asia"), "utf-8")
    run = run_cli("build", "--source", project)
    assert f"{rel}:5: unknown outlet 'asia': not in content/taxonomies/sources.yaml" in run.err
    assert "did you mean 'asiae'" in run.err


def test_the_front_matter_of_earlier_versions_says_what_to_write_instead(
    project: Path, run_cli: Any
) -> None:
    path = project / "content" / "articles" / "2025" / "old-style.en.md"
    path.write_text(
        "---\ntitle: T\ndate: 2025-08-27\nsource:\n  name: X\n  url: https://x.example/\n"
        "---\nBody.\n",
        "utf-8",
    )
    run = run_cli("build", "--source", project)
    assert run.status == 1
    (line,) = [
        e for e in run.err.splitlines() if e.startswith(path.relative_to(project).as_posix())
    ]
    assert ":4: 'source' is now 'sources'" in line
    assert "outlet" in line and "headline" in line and "published" in line


# --- one language only ---------------------------------------------------------------------


def one_language_articles() -> list[tuple[str, str, dict[str, Any]]]:
    keys: dict[str, set[str]] = {}
    for lang, slug, meta in articles():
        keys.setdefault(meta.get("translation_key", slug), set()).add(lang)
    return [
        (lang, slug, meta)
        for lang, slug, meta in articles()
        if len(keys[meta.get("translation_key", slug)]) == 1
    ]


def test_the_default_content_has_an_article_in_one_language_only() -> None:
    assert one_language_articles()


@pytest.mark.parametrize(
    ("lang", "slug", "meta"), one_language_articles(), ids=lambda v: str(v)[:30]
)
def test_a_one_language_article_is_listed_marked_on_the_other_side_but_not_in_its_feeds(
    built_site: Path, lang: str, slug: str, meta: dict[str, Any]
) -> None:
    href = f"/pressroom/{lang}/articles/2025/{slug}/"
    for other in (o for o in LANGS if o != lang):
        local = meta["date"].astimezone(dt.timezone(dt.timedelta(hours=9)))
        lists = [
            f"{other}/index.html",
            f"{other}/archive/{local.year}/{local.month:02d}/index.html",
            *(f"{other}/sectors/{s}/index.html" for s in meta.get("sectors", [])),
            *(f"{other}/people/{p}/index.html" for p in meta.get("people", [])),
            *(f"{other}/sources/{s['outlet']}/index.html" for s in meta["sources"]),
        ]
        headline = meta.get("translated_title", {}).get(other)
        for rel in lists:
            doc = parse(built_site / rel)
            (link,) = doc.xpath(f"//li[@class='article-summary']/h2/a[@href='{href}']")
            assert link.get("hreflang") == lang, rel
            if headline:
                assert link.text == headline and link.get("lang") is None, rel
            else:
                assert link.text == meta["title"] and link.get("lang") == lang, rel
            (marker,) = link.getparent().getparent().xpath(".//strong[@class='foreign-marker']")
            assert marker.text.strip(), rel
        year = parse(built_site / f"{other}/archive/{local.year}/index.html")
        assert year.xpath(f"//ol[@class='compact-list']//a[@href='{href}']")
        for sector in meta.get("sectors", []):
            count = text_of(
                parse(built_site / f"{other}/sectors/{sector}/index.html").xpath(
                    "//p[@class='count']"
                )[0]
            )
            assert re.search(r"\d", count.split("(", 1)[1]), count  # "(1 in another language only)"
        for feed in [
            built_site / other / "feed.xml",
            *(built_site / other / "sectors").rglob("feed.xml"),
        ]:
            assert f"/{lang}/articles/2025/{slug}/" not in feed.read_text("utf-8"), feed


# --- teasers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "body", "summary"),
    [
        pytest.param(
            "en",
            "President Lee spoke in Washington, D.C., at 3 p.m. on Monday. The U.S. side was "
            "represented by 21 business leaders from firms such as Boeing and Danaher, who "
            "discussed investment. A third sentence follows here and would make it too long "
            "for the forty words a teaser holds in English.",
            "President Lee spoke in Washington, D.C., at 3 p.m. on Monday. The U.S. side was "
            "represented by 21 business leaders from firms such as Boeing and Danaher, who "
            "discussed investment.",
            id="en",
        ),
        pytest.param(
            "ko",
            "이재명 대통령은 워싱턴에서 한미 기업인들을 만났다. 미국 측에서는 21명이 참석했다. "
            "한국 기업들은 1500억 달러 규모의 대미 투자 계획을 내놓았으며, 참석자들은 반도체와 "
            "조선, 원전, 배터리 등 여러 분야에서 협력을 넓히는 방안을 두고 오랫동안 의견을 나눴다.",
            "이재명 대통령은 워싱턴에서 한미 기업인들을 만났다. 미국 측에서는 21명이 참석했다.",
            id="ko",
        ),
        pytest.param(
            "ko",
            "수출은 35%. 핵심은 HBM. 미국(U.S.) 기업 21곳이 참석했다(현지시간). "
            "한국 기업들은 1500억 달러 규모의 대미 투자 계획을 내놓았으며, 참석자들은 반도체와 "
            "조선, 원전, 배터리 등 여러 분야에서 협력을 넓히는 방안을 두고 오랫동안 의견을 나눴다.",
            "수출은 35%. 핵심은 HBM. 미국(U.S.) 기업 21곳이 참석했다(현지시간).",
            id="ko-ending-in-percent-acronym-bracket",
        ),
        pytest.param(
            "en",
            "One very long first sentence " + "that goes on " * 30 + "and ends here. Short.",
            "One very long first sentence " + "that goes on " * 30 + "and ends here.",
            id="en-long-first-sentence-whole",
        ),
    ],
)
def test_a_derived_summary_ends_where_a_sentence_ends(
    project: Path, lang: str, body: str, summary: str
) -> None:
    path = project / "content" / "articles" / "2025" / f"teaser.{lang}.md"
    path.write_text(
        "---\ntitle: Teaser\ndate: 2025-08-27T10:00:00+09:00\nsources: [{outlet: asiae,"
        " headline: R, url: 'https://example.com/r', published: 2025-08-26}]\n---\n"
        f"{body}\n\nA second paragraph.\n",
        "utf-8",
    )
    assert build(project) == 0
    doc = parse(project / "site" / lang / "index.html")
    (card,) = [
        li
        for li in doc.xpath("//li[@class='article-summary']")
        if li.xpath("./h2/a")[0].text == "Teaser"
    ]
    shown = card.xpath("./p[@class='summary']")[0].text
    assert " ".join(shown.split()) == " ".join(summary.split())
    assert not shown.endswith("…")
