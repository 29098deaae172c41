"""Deterministic synthetic bilingual corpus for benchmarking pressroom.

``generate(n, directory)`` writes a complete site directory: ``site.yaml``, registries of
12 sectors and 80 people, ``n`` articles each in Korean and English under
``content/articles/<YYYY>/<slug>.<lang>.md``, and copies of the project's ``templates/`` and
``locales/``. Everything comes from one seeded ``random.Random`` and the word lists below:
no network, no external data, the same bytes for the same ``n`` and seed.

Run on its own: ``python benchmarks/corpus.py N DIR [--seed S]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ko", "en")
DEFAULT_SEED = 20250825
KST = dt.timezone(dt.timedelta(hours=9))
#: Corpus articles are dated in [FIRST_DAY, LAST_DAY]; articles added later come after it.
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2025, 11, 30)
#: Realistic lengths of one press summary.
EN_WORDS = (350, 450)
KO_CHARS = (780, 980)

# --------------------------------------------------------------------------------------------
# Registries
# --------------------------------------------------------------------------------------------

#: id, Korean name, English name, Korean description, English description.
SECTORS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "semiconductors",
        "반도체",
        "Semiconductors",
        "메모리·시스템 반도체의 설계, 제조, 패키징을 아우르는 산업",
        "The design, fabrication and packaging of memory and logic chips.",
    ),
    (
        "ai",
        "인공지능(AI)",
        "Artificial Intelligence",
        "인공지능 기술과 이를 뒷받침하는 연산 인프라 및 서비스",
        "Artificial intelligence and the computing infrastructure behind it.",
    ),
    (
        "biotech",
        "바이오",
        "Biotechnology",
        "바이오의약품, 바이오시밀러, 진단 등 생명공학 기반 산업",
        "Biopharmaceuticals, biosimilars, diagnostics and other life sciences.",
    ),
    (
        "shipbuilding",
        "조선",
        "Shipbuilding",
        "상선·특수선·함정 등 선박의 설계, 건조, 정비",
        "The design, construction and maintenance of commercial and naval vessels.",
    ),
    (
        "nuclear-power",
        "원자력",
        "Nuclear Power",
        "대형 원전과 소형모듈원자로(SMR)의 건설, 운영, 연료",
        "Large reactors and small modular reactors: construction, operation, fuel.",
    ),
    (
        "defense",
        "방위산업",
        "Defense",
        "무기 체계와 군수 장비의 개발, 생산, 수출",
        "The development, production and export of weapons systems and equipment.",
    ),
    (
        "mobility",
        "모빌리티",
        "Mobility",
        "완성차, 전기차, 자율주행, 도심항공교통을 포함하는 이동 수단 산업",
        "Cars, electric vehicles, autonomous driving and urban air mobility.",
    ),
    (
        "batteries",
        "이차전지",
        "Batteries",
        "전기차와 에너지저장장치에 쓰이는 이차전지와 소재",
        "Rechargeable batteries and materials for vehicles and energy storage.",
    ),
    (
        "supply-chains",
        "공급망",
        "Supply Chains",
        "핵심 광물, 부품, 물류를 포함한 산업 공급망의 안정",
        "Critical minerals, components and logistics that keep industry running.",
    ),
    (
        "steel",
        "철강",
        "Steel",
        "철강 생산과 가공, 그리고 관련 통상 문제",
        "Steel production and processing, and the trade disputes around it.",
    ),
    (
        "telecom",
        "통신",
        "Telecommunications",
        "이동통신, 네트워크 장비, 위성 통신 서비스",
        "Mobile networks, network equipment and satellite communications.",
    ),
    (
        "finance",
        "금융",
        "Finance",
        "은행, 증권, 보험과 외환 시장 및 투자 자금의 흐름",
        "Banking, securities, insurance, currency markets and investment flows.",
    ),
)

#: Korean surnames: hangul, romanization.
KO_SURNAMES = (
    ("김", "Kim"),
    ("이", "Lee"),
    ("박", "Park"),
    ("최", "Choi"),
    ("정", "Jung"),
    ("강", "Kang"),
    ("조", "Cho"),
    ("윤", "Yoon"),
    ("장", "Jang"),
    ("임", "Lim"),
    ("한", "Han"),
    ("오", "Oh"),
)
#: Syllables of Korean given names: hangul, romanization.
KO_GIVEN = (
    ("민", "min"),
    ("서", "seo"),
    ("준", "jun"),
    ("지", "ji"),
    ("현", "hyun"),
    ("우", "woo"),
    ("수", "su"),
    ("영", "young"),
    ("호", "ho"),
    ("진", "jin"),
    ("은", "eun"),
    ("하", "ha"),
    ("도", "do"),
    ("연", "yeon"),
    ("성", "sung"),
    ("재", "jae"),
    ("혜", "hye"),
    ("태", "tae"),
)
#: American first and last names: English, Korean transliteration.
US_FIRST = (
    ("John", "존"),
    ("Sarah", "세라"),
    ("Michael", "마이클"),
    ("Emily", "에밀리"),
    ("David", "데이비드"),
    ("Laura", "로라"),
    ("Robert", "로버트"),
    ("Karen", "캐런"),
    ("James", "제임스"),
    ("Linda", "린다"),
)
US_LAST = (
    ("Smith", "스미스"),
    ("Johnson", "존슨"),
    ("Miller", "밀러"),
    ("Brown", "브라운"),
    ("Davis", "데이비스"),
    ("Wilson", "윌슨"),
    ("Taylor", "테일러"),
    ("Clark", "클라크"),
    ("Walker", "워커"),
    ("Young", "영"),
)
#: Organisations: Korean, English.
KO_ORGS = (
    ("산업통상자원부", "Ministry of Trade, Industry and Energy"),
    ("기획재정부", "Ministry of Economy and Finance"),
    ("한국은행", "Bank of Korea"),
    ("한국경제인협회", "Federation of Korean Industries"),
    ("대한상공회의소", "Korea Chamber of Commerce and Industry"),
    ("한국무역협회", "Korea International Trade Association"),
    ("한국반도체산업협회", "Korea Semiconductor Industry Association"),
    ("한국조선해양플랜트협회", "Korea Offshore and Shipbuilding Association"),
    ("한국전력공사", "Korea Electric Power Corporation"),
    ("대한무역투자진흥공사", "KOTRA"),
)
US_ORGS = (
    ("미국 상무부", "U.S. Department of Commerce"),
    ("미국 무역대표부", "Office of the U.S. Trade Representative"),
    ("주한미국상공회의소", "American Chamber of Commerce in Korea"),
    ("미국 에너지부", "U.S. Department of Energy"),
    ("미국 연방준비제도", "U.S. Federal Reserve"),
)
#: Titles: Korean, English.
TITLES = (
    ("장관", "Minister"),
    ("차관", "Vice Minister"),
    ("회장", "Chairman"),
    ("부회장", "Vice Chairman"),
    ("사장", "President"),
    ("수석연구위원", "Senior Fellow"),
    ("대변인", "Spokesperson"),
    ("본부장", "Director General"),
)

#: Publications: Korean name, English name, home URL.
PUBLICATIONS = (
    ("asiae", "아시아경제", "The Asia Business Daily", "https://www.asiae.co.kr/", "ko"),
    ("yonhap", "연합뉴스", "Yonhap News Agency", "https://www.yna.co.kr/", "ko"),
    ("korea-herald", "코리아헤럴드", "The Korea Herald", "https://www.koreaherald.com/", "en"),
    (
        "joongang-daily",
        "코리아중앙데일리",
        "Korea JoongAng Daily",
        "https://koreajoongangdaily.joins.com/",
        "en",
    ),
    ("hankyung", "한국경제", "The Korea Economic Daily", "https://www.hankyung.com/", "ko"),
    ("mk", "매일경제", "Maeil Business Newspaper", "https://www.mk.co.kr/", "ko"),
    ("chosun", "조선일보", "The Chosun Ilbo", "https://www.chosun.com/", "ko"),
    ("hani", "한겨레", "The Hankyoreh", "https://www.hani.co.kr/", "ko"),
)


@dataclass(frozen=True, slots=True)
class Term:
    """One registry entry with its names and description (or role) per language."""

    id: str
    name: dict[str, str]
    about: dict[str, str]


def make_sectors() -> list[Term]:
    """The 12 sectors."""
    return [Term(i, {"ko": ko, "en": en}, {"ko": kd, "en": ed}) for i, ko, en, kd, ed in SECTORS]


def make_people(rng: random.Random, count: int = 80) -> list[Term]:
    """``count`` people: three quarters Korean, one quarter American, each with a role."""
    people: list[Term] = []
    seen: set[str] = set()
    while len(people) < count:
        term = _american_person(rng) if len(people) % 4 == 3 else _korean_person(rng)
        if term.id not in seen:
            seen.add(term.id)
            people.append(term)
    return people


def _korean_person(rng: random.Random) -> Term:
    (sur_ko, sur_en), (a_ko, a_en), (b_ko, b_en) = (
        rng.choice(KO_SURNAMES),
        rng.choice(KO_GIVEN),
        rng.choice(KO_GIVEN),
    )
    org_ko, org_en = rng.choice(KO_ORGS)
    title_ko, title_en = rng.choice(TITLES)
    return Term(
        id=f"{sur_en}-{a_en}-{b_en}".lower(),
        name={"ko": f"{sur_ko}{a_ko}{b_ko}", "en": f"{sur_en} {a_en.title()}-{b_en}"},
        about={"ko": f"{org_ko} {title_ko}", "en": f"{title_en}, {org_en}"},
    )


def _american_person(rng: random.Random) -> Term:
    (first_en, first_ko), (last_en, last_ko) = rng.choice(US_FIRST), rng.choice(US_LAST)
    org_ko, org_en = rng.choice(US_ORGS)
    title_ko, title_en = rng.choice(TITLES)
    return Term(
        id=f"{first_en}-{last_en}".lower(),
        name={"ko": f"{first_ko} {last_ko}", "en": f"{first_en} {last_en}"},
        about={"ko": f"{org_ko} {title_ko}", "en": f"{title_en}, {org_en}"},
    )


def registry_yaml(terms: Sequence[Term], about_key: str) -> str:
    """A registry file in the project's format (``about_key``: description or role)."""
    lines: list[str] = []
    for term in terms:
        lines.append(f"{term.id}:")
        lines.append(f"  name: {{ko: {_q(term.name['ko'])}, en: {_q(term.name['en'])}}}")
        lines.append(f"  {about_key}:")
        lines.append(f"    ko: {_q(term.about['ko'])}")
        lines.append(f"    en: {_q(term.about['en'])}")
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# English text
# --------------------------------------------------------------------------------------------

EN_SUBJECTS = (
    "The ministry",
    "Officials",
    "Analysts",
    "The company",
    "Exporters",
    "Industry groups",
    "The government",
    "Lawmakers",
    "Investors",
    "Executives from both countries",
    "The central bank",
    "Market watchers",
    "Negotiators",
    "Local suppliers",
)
EN_VERBS = (
    "said",
    "announced",
    "expected",
    "planned to expand",
    "warned about",
    "welcomed",
    "reviewed",
    "agreed on",
    "pointed to",
    "highlighted",
    "stressed",
    "estimated",
    "called for",
    "proposed",
    "will finance",
    "sought",
)
EN_ADJECTIVES = (
    "new",
    "strategic",
    "joint",
    "record",
    "long-term",
    "advanced",
    "domestic",
    "regional",
    "stable",
    "critical",
    "additional",
    "sustainable",
    "large-scale",
    "next-generation",
    "bilateral",
    "global",
)
EN_NOUNS = (
    "investment",
    "supply chains",
    "exports",
    "production lines",
    "research funding",
    "tariff relief",
    "chip plants",
    "battery capacity",
    "shipyards",
    "reactor projects",
    "trade rules",
    "subsidies",
    "hiring plans",
    "market access",
    "financing",
    "partnerships",
    "technology transfer",
    "demand",
    "output",
    "growth targets",
)
EN_PHRASES = (
    "in the second half of the year",
    "across the region",
    "with U.S. partners",
    "over the next five years",
    "in Washington",
    "in Seoul",
    "for the first time",
    "despite higher interest rates",
    "amid rising demand",
    "under the new agreement",
    "according to industry data",
    "ahead of the summit",
    "after months of talks",
    "as costs continue to climb",
    "in both countries",
    "by the end of the decade",
)
EN_HEADINGS = (
    "What was announced",
    "Investment outlook",
    "Background",
    "What comes next",
    "Market reaction",
    "Policy response",
    "Key figures",
    "Industry view",
    "Risks ahead",
    "The numbers",
)
EN_LINK_TEXTS = ("earlier coverage", "a related summary", "our previous report", "background")


def en_sentence(rng: random.Random, names: Sequence[str]) -> str:
    """One plausible news sentence, ~12-22 words."""
    subject = rng.choice(names) if names and rng.random() < 0.3 else rng.choice(EN_SUBJECTS)
    parts = [subject, rng.choice(EN_VERBS)]
    if rng.random() < 0.3:
        parts.append(f"${rng.randint(1, 99)} billion in")
    parts += [rng.choice(EN_ADJECTIVES), rng.choice(EN_NOUNS)]
    for phrase in rng.sample(EN_PHRASES, rng.randint(1, 3)):
        parts.append(phrase)
    if rng.random() < 0.25:
        parts.append(f"and {rng.choice(EN_ADJECTIVES)} {rng.choice(EN_NOUNS)}")
    return " ".join(parts) + "."


def en_title(rng: random.Random) -> str:
    """A headline of 6-10 words, in title case."""
    words = [rng.choice(EN_SUBJECTS), rng.choice(EN_VERBS), rng.choice(EN_ADJECTIVES)]
    words.append(rng.choice(EN_NOUNS))
    words.append(rng.choice(EN_PHRASES))
    text = " ".join(words)
    return " ".join(w if w.isupper() or "." in w else w.capitalize() for w in text.split())


def word_count(text: str) -> int:
    """Words of plain text."""
    return len(text.split())


# --------------------------------------------------------------------------------------------
# Korean text
# --------------------------------------------------------------------------------------------

KO_NOUNS = (
    "정부",
    "기업",
    "투자",
    "협력",
    "시장",
    "산업",
    "수출",
    "공급망",
    "경제",
    "양국",
    "기술",
    "생산",
    "계획",
    "회의",
    "전략",
    "성장",
    "지원",
    "정책",
    "규제",
    "금리",
    "환율",
    "물가",
    "일자리",
    "연구",
    "개발",
    "공장",
    "설비",
    "인력",
    "업계",
    "전문가",
    "소비자",
    "수요",
    "가격",
    "경쟁력",
    "협상",
    "관세",
    "무역",
    "합의",
    "회담",
    "현지",
    "지역",
    "세계",
    "미국",
    "한국",
    "관계자",
    "실적",
    "매출",
    "영업이익",
    "반도체",
    "배터리",
    "조선소",
    "원전",
    "자동차",
    "철강",
    "금융",
    "인공지능",
)
KO_ADVERBS = (
    "특히",
    "또한",
    "이번",
    "최근",
    "향후",
    "올해",
    "내년",
    "지난해",
    "크게",
    "적극적으로",
    "본격적으로",
    "지속적으로",
    "다시",
    "함께",
)
KO_MODIFIERS = (
    "새로운",
    "주요",
    "핵심",
    "대규모",
    "안정적인",
    "전략적",
    "다양한",
    "장기적인",
    "구체적인",
    "첨단",
)
KO_CONNECTIVES = (
    "추진하며",
    "강화하고",
    "확대해",
    "논의한 뒤",
    "검토하는 한편",
    "밝히면서",
    "늘리고",
    "점검하며",
)
KO_ENDINGS = (
    "밝혔다",
    "강조했다",
    "전망했다",
    "설명했다",
    "말했다",
    "덧붙였다",
    "평가했다",
    "분석했다",
    "예상된다",
    "계획이다",
    "나섰다",
    "합의했다",
    "발표했다",
    "보인다",
    "전했다",
    "제시했다",
)
KO_HEADINGS = (
    "주요 내용",
    "투자 계획",
    "배경",
    "향후 전망",
    "시장 반응",
    "정책 대응",
    "주요 수치",
    "업계 시각",
    "남은 과제",
)
KO_LINK_TEXTS = ("관련 기사", "이전 보도", "지난 요약", "배경 설명")

#: Particle pairs: (after a final consonant, after a vowel); ㄹ takes the vowel form of 으로.
_PARTICLES = (("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"))
_PLAIN_PARTICLES = ("의", "에", "에서", "도", "까지", "부터", "에 대해")


def _final_consonant(word: str) -> int:
    """The final consonant index of the word's last hangul syllable (0: none)."""
    code = ord(word[-1]) - 0xAC00
    return code % 28 if 0 <= code < 11172 else 0


def with_particle(word: str, rng: random.Random) -> str:
    """``word`` followed by a particle chosen to agree with its last syllable."""
    if rng.random() < 0.35:
        return word + rng.choice(_PLAIN_PARTICLES)
    after_consonant, after_vowel = rng.choice(_PARTICLES)
    final = _final_consonant(word)
    if after_consonant == "으로" and final == 8:  # ㄹ
        return word + after_vowel
    return word + (after_consonant if final else after_vowel)


def ko_sentence(rng: random.Random, names: Sequence[str]) -> str:
    """One plausible news sentence of 8-16 eojeol."""
    parts: list[str] = []
    if rng.random() < 0.5:
        parts.append(rng.choice(KO_ADVERBS))
    subject = rng.choice(names) if names and rng.random() < 0.3 else rng.choice(KO_NOUNS)
    parts.append(with_particle(subject, rng))
    for _ in range(rng.randint(2, 5)):
        if rng.random() < 0.3:
            parts.append(rng.choice(KO_MODIFIERS))
        parts.append(with_particle(rng.choice(KO_NOUNS), rng))
    if rng.random() < 0.25:
        parts.append(f"{rng.randint(2, 95)}억 달러 규모의")
    if rng.random() < 0.5:
        parts.append(with_particle(rng.choice(KO_NOUNS), rng))
        parts.append(rng.choice(KO_CONNECTIVES))
    parts.append(with_particle(rng.choice(KO_NOUNS), rng))
    parts.append(rng.choice(KO_ENDINGS))
    return " ".join(parts) + "."


def ko_title(rng: random.Random) -> str:
    """A headline of roughly 15-35 characters."""
    words = [with_particle(rng.choice(KO_NOUNS), rng) for _ in range(rng.randint(2, 4))]
    return f"{rng.choice(KO_MODIFIERS)} {rng.choice(KO_NOUNS)}… " + " ".join(words)


def char_count(text: str) -> int:
    """Characters of plain text, spaces included (as Korean newsrooms count 자)."""
    return len(text)


# --------------------------------------------------------------------------------------------
# Articles
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleSpec:
    """What both language versions of one article share."""

    slug: str
    date: dt.datetime
    sectors: tuple[str, ...]
    people: tuple[str, ...]
    publication: int

    @property
    def year(self) -> int:
        """Year of the date (the folder name)."""
        return self.date.year

    def path(self, lang: str) -> str:
        """The file path relative to the site directory."""
        return f"content/articles/{self.year}/{self.slug}.{lang}.md"


@dataclass(frozen=True, slots=True)
class Corpus:
    """A generated site directory and what it holds."""

    directory: Path
    seed: int
    #: Oldest first.
    articles: tuple[ArticleSpec, ...]
    sectors: tuple[Term, ...]
    people: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class _Lang:
    """How to write one language."""

    lang: str
    sentence: Callable[[random.Random, Sequence[str]], str]
    measure: Callable[[str], int]
    budget: tuple[int, int]
    headings: tuple[str, ...]
    link_texts: tuple[str, ...]


_EN = _Lang("en", en_sentence, word_count, EN_WORDS, EN_HEADINGS, EN_LINK_TEXTS)
_KO = _Lang("ko", ko_sentence, char_count, KO_CHARS, KO_HEADINGS, KO_LINK_TEXTS)
LANGS = {"en": _EN, "ko": _KO}

#: The order of blocks in a body; paragraphs repeat until the length budget is spent.
_PLAN = ("p", "p", "h", "p", "ul", "p", "quote", "h", "p", "ol", "p", "p", "h", "p", "p", "p")


def article_body(
    rng: random.Random,
    lang: str,
    names: Sequence[str],
    related: Sequence[ArticleSpec],
    source_url: str,
) -> str:
    """The Markdown body of one language version; ``related`` articles are linked."""
    spec = LANGS[lang]
    budget = rng.randint(*spec.budget)
    blocks: list[str] = []
    used = 0
    links = list(related)
    external_done = False
    index = 0
    while used < budget or index < 7:
        kind = _PLAN[index % len(_PLAN)] if index < len(_PLAN) else "p"
        index += 1
        block, plain = _block(rng, spec, kind, names)
        if kind == "p" and links and index > 2 and rng.random() < 0.5:
            target = links.pop()
            text = rng.choice(spec.link_texts)
            href = f"../{target.year}/{target.slug}.{lang}.md"
            block += f" ([{text}]({href}))"
        if kind == "p" and not external_done and index > 3:
            external_done = True
            label = "원문 보도" if lang == "ko" else "the original report"
            block += f" [{label}]({source_url})"
        blocks.append(block)
        used += spec.measure(plain)
    for target in links:  # links not placed yet go in a closing "see also" line
        text = rng.choice(spec.link_texts)
        blocks.append(f"[{text}](../{target.year}/{target.slug}.{lang}.md)")
    return "\n\n".join(blocks) + "\n"


def _block(rng: random.Random, spec: _Lang, kind: str, names: Sequence[str]) -> tuple[str, str]:
    """One Markdown block and its plain text (to count its length)."""
    if kind == "h":
        text = rng.choice(spec.headings)
        return f"## {text}", text
    if kind in ("ul", "ol"):
        items = [spec.sentence(rng, names) for _ in range(rng.randint(3, 5))]
        marks = ["-"] * len(items) if kind == "ul" else [f"{i}." for i in range(1, len(items) + 1)]
        return "\n".join(f"{m} {item}" for m, item in zip(marks, items, strict=True)), " ".join(
            items
        )
    if kind == "quote":
        text = " ".join(spec.sentence(rng, names) for _ in range(rng.randint(1, 2)))
        who = rng.choice(names) if names else ""
        return f'> "{text}"\n>\n> — {who}', text
    sentences = [spec.sentence(rng, names) for _ in range(rng.randint(2, 5))]
    if names and rng.random() < 0.4:
        sentences[0] = sentences[0].replace(names[0], f"**{names[0]}**", 1)
    text = " ".join(sentences)
    return text, text


def article_file(
    rng: random.Random,
    lang: str,
    spec: ArticleSpec,
    people: dict[str, Term],
    related: Sequence[ArticleSpec],
) -> str:
    """One complete article file: front matter and body."""
    outlet, ko_name, en_name, home, _ = PUBLICATIONS[spec.publication]
    source_url = f"{home}news/{spec.year}/{spec.slug}"
    names = [people[p].name[lang] for p in spec.people]
    title = ko_title(rng) if lang == "ko" else en_title(rng)
    lines = ["---", f"title: {_q(title)}", f"date: {spec.date.isoformat()}"]
    if rng.random() < 0.5:
        lines.append(f"summary: {_q(LANGS[lang].sentence(rng, names))}")
    lines += [
        f"sectors: [{', '.join(spec.sectors)}]",
        f"people: [{', '.join(spec.people)}]",
        "sources:",
        f"  - outlet: {outlet}",
        f"    headline: {_q(title)}",
        f"    url: {_q(source_url)}",
        f"    published: {(spec.date - dt.timedelta(hours=6)).isoformat()}",
        "---",
    ]
    body = article_body(rng, lang, names, related, source_url)
    credit = (
        f"*{ko_name} 보도를 요약했다.*"
        if lang == "ko"
        else f"*Summarised from {en_name}'s report.*"
    )
    return "\n".join(lines) + "\n" + body + "\n" + credit + "\n"


def make_specs(rng: random.Random, n: int, people: Sequence[Term]) -> list[ArticleSpec]:
    """``n`` article specs, oldest first, with unique slugs and skewed people popularity."""
    span = (LAST_DAY - FIRST_DAY).days
    person_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(people))]
    specs = []
    for number in range(n):
        day = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        when = dt.datetime.combine(day, dt.time(rng.randint(6, 22), rng.choice((0, 15, 30, 45))))
        words = rng.sample(("chip", "trade", "ship", "power", "deal", "plant", "bank", "ai"), 2)
        specs.append(
            ArticleSpec(
                slug=f"{words[0]}-{words[1]}-{rng.choice(EN_NOUNS).split()[0]}-{number:05d}",
                date=when.replace(tzinfo=KST),
                sectors=tuple(s[0] for s in rng.sample(SECTORS, rng.randint(1, 3))),
                people=_weighted_sample(rng, [p.id for p in people], person_weights),
                publication=rng.randrange(len(PUBLICATIONS)),
            )
        )
    return sorted(specs, key=lambda s: (s.date, s.slug))


def _weighted_sample(
    rng: random.Random, ids: Sequence[str], weights: Sequence[float]
) -> tuple[str, ...]:
    """1-6 distinct ids, popular ones more often."""
    wanted = rng.randint(1, 6)
    chosen: list[str] = []
    while len(chosen) < wanted:
        pick = rng.choices(ids, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return tuple(chosen)


def write_article(
    directory: Path,
    rng: random.Random,
    spec: ArticleSpec,
    people: dict[str, Term],
    candidates: Sequence[ArticleSpec],
) -> None:
    """Write both language versions of ``spec``, linking some of ``candidates``."""
    picked = rng.sample(candidates, rng.choice((0, 0, 1, 1, 2))) if candidates else []
    related = [other for other in picked if other.slug != spec.slug]
    for lang in LANGUAGES:
        path = directory / spec.path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_file(rng, lang, spec, people, related), encoding="utf-8")


def site_yaml() -> str:
    """Settings with the same keys as the project's site.yaml."""
    return "\n".join(
        [
            "# Synthetic benchmark site (generated by benchmarks/corpus.py).",
            "title:",
            "  ko: 벤치마크 프레스룸",
            "  en: Benchmark Pressroom",
            "description:",
            "  ko: 성능 측정을 위해 생성한 한영 보도 요약 아카이브",
            "  en: A generated bilingual press-summary archive for performance measurements",
            "base_url: https://example.github.io/pressroom/",
            "languages: [ko, en]",
            "default_language: ko",
            "timezone: Asia/Seoul",
            "feed_length: 20",
            "page_size: 10",
            "",
        ]
    )


def write_registries(
    directory: Path, corpus: Corpus, renamed: dict[str, str] | None = None
) -> None:
    """Write sectors.yaml, people.yaml and sources.yaml; ``renamed`` maps sector ids to new
    English names."""
    folder = directory / "content" / "taxonomies"
    folder.mkdir(parents=True, exist_ok=True)
    sectors = [
        Term(t.id, {**t.name, "en": (renamed or {}).get(t.id, t.name["en"])}, t.about)
        for t in corpus.sectors
    ]
    (folder / "sectors.yaml").write_text(registry_yaml(sectors, "description"), encoding="utf-8")
    (folder / "people.yaml").write_text(registry_yaml(corpus.people, "role"), encoding="utf-8")
    outlets = [
        f"{oid}:\n  name: {{ko: {_q(ko)}, en: {_q(en)}}}\n  url: {_q(home)}\n"
        f"  language: {lang}\n  kind: newspaper\n"
        for oid, ko, en, home, lang in PUBLICATIONS
    ]
    (folder / "sources.yaml").write_text("".join(outlets), encoding="utf-8")


def copy_project_files(directory: Path, project: Path = PROJECT_ROOT) -> None:
    """Copy the project's templates/ and locales/ (interface, not content)."""
    for name in ("templates", "locales"):
        shutil.copytree(project / name, directory / name)


def generate(n: int, directory: Path, seed: int = DEFAULT_SEED) -> Corpus:
    """Write a complete site directory with ``n`` bilingual articles into ``directory``."""
    rng = random.Random(seed)
    people = make_people(rng)
    specs = make_specs(rng, n, people)
    corpus = Corpus(directory, seed, tuple(specs), tuple(make_sectors()), tuple(people))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "site.yaml").write_text(site_yaml(), encoding="utf-8")
    write_registries(directory, corpus)
    copy_project_files(directory)
    by_id = {p.id: p for p in people}
    for spec in specs:
        write_article(directory, rng, spec, by_id, specs)
    return corpus


def add_article(corpus: Corpus, number: int) -> ArticleSpec:
    """Write one more bilingual article, newer than the whole corpus; return its spec."""
    rng = random.Random(f"{corpus.seed}-added-{number}")
    when = dt.datetime.combine(LAST_DAY + dt.timedelta(days=1), dt.time(9)) + dt.timedelta(
        hours=number
    )
    spec = make_specs(rng, 1, corpus.people)[0]
    spec = ArticleSpec(
        slug=f"added-{spec.slug}-{number}",
        date=when.replace(tzinfo=KST),
        sectors=spec.sectors,
        people=spec.people,
        publication=spec.publication,
    )
    by_id = {p.id: p for p in corpus.people}
    write_article(corpus.directory, rng, spec, by_id, corpus.articles)
    return spec


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles (each in ko and en)")
    parser.add_argument("directory", type=Path, help="site directory to create (must be empty)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate a corpus from the command line."""
    args = _arguments(argv)
    if args.directory.exists() and any(args.directory.iterdir()):
        print(f"{args.directory} is not empty; choose a new directory", file=sys.stderr)
        return 2
    corpus = generate(args.n, args.directory, args.seed)
    print(
        f"wrote {len(corpus.articles)} articles x {len(LANGUAGES)} languages, "
        f"{len(corpus.sectors)} sectors, {len(corpus.people)} people into {args.directory}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
