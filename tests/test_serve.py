"""`pressroom serve` as an author's browser meets it, over real HTTP on 127.0.0.1.

Each test starts ``python -m generator serve --port 0`` on a fresh copy of the default site in a
subprocess (port 0: the server takes a free port and prints its URL) and always stops it in the
fixture's teardown. Every wait is bounded; the bounds are hang guards, not timing assertions.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

import lxml.html
import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Hang guard for one wait: a server start, one event, one response.
TIMEOUT = 15.0
ARTICLE = "content/articles/2025/semiconductors-hbm-ai.en.md"
ARTICLE_PAGE = "/en/articles/2025/semiconductors-hbm-ai/"
SCRIPT_TAG_RE = re.compile(r'<script src="/__pressroom/live\.js" data-version="([^"]*)"></script>')


# --- a server in a subprocess --------------------------------------------------------------


@dataclass
class Server:
    """A running `pressroom serve` and everything it has printed."""

    process: subprocess.Popen[str]
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    printed: threading.Condition = field(default_factory=threading.Condition)
    host: str = ""
    port: int = 0
    output: Path = Path()
    readers: list[threading.Thread] = field(default_factory=list)

    def follow(self) -> None:
        """Collect both output streams on threads of their own (a full pipe would block it)."""
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            reader = threading.Thread(target=self._collect, args=(stream, lines), daemon=True)
            reader.start()
            self.readers.append(reader)

    def _collect(self, stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            with self.printed:
                lines.append(line.rstrip("\n"))
                self.printed.notify_all()
        with self.printed:
            self.printed.notify_all()

    def wait_for(self, lines: list[str], pattern: str, start: int = 0) -> re.Match[str]:
        """The first line from ``start`` on matching ``pattern``, waiting for it if need be."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + TIMEOUT
        with self.printed:
            while True:
                for line in lines[start:]:
                    if match := regex.search(line):
                        return match
                left = deadline - time.monotonic()
                finished = not any(reader.is_alive() for reader in self.readers)
                if left <= 0 or finished:
                    raise AssertionError(
                        f"no line matching {pattern!r}; stdout: {self.out}; stderr: {self.err}"
                    )
                self.printed.wait(min(left, 0.2))

    def stop(self) -> None:
        """Ctrl-C, then a kill if it does not end."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(TIMEOUT)


def launch(project: Path, *options: str) -> subprocess.Popen[str]:
    """Start `python -m generator serve` on ``project``."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--source", str(project), *options],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        # The generator under test, whatever is installed; and every line as soon as printed.
        env={**os.environ, "PYTHONPATH": pythonpath(), "PYTHONUNBUFFERED": "1"},
    )


def pythonpath() -> str:
    """PYTHONPATH with this checkout first."""
    return os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


StartServer = Callable[..., Server]


@pytest.fixture
def start_server() -> Iterator[StartServer]:
    """Start servers on 127.0.0.1 with a free port; every one is stopped at teardown."""
    servers: list[Server] = []

    def start(project: Path, *options: str) -> Server:
        server = Server(launch(project, "--host", "127.0.0.1", "--port", "0", *options))
        servers.append(server)
        server.follow()
        url = server.wait_for(server.out, r"serving http://127\.0\.0\.1:(\d+)/")
        server.host, server.port = "127.0.0.1", int(url.group(1))
        server.output = Path(server.wait_for(server.out, r"^building into (.+) \(private").group(1))
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def server(start_server: StartServer, project: Path) -> Server:
    """A server on the default content."""
    return start_server(project)


# --- HTTP ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """One HTTP response."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.body.decode("utf-8")


def get(server: Server, path: str) -> Response:
    """GET ``path`` exactly as written (http.client sends it without normalising it)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def title_of(server: Server, path: str) -> str:
    """The h1 of a page."""
    response = get(server, path)
    assert response.status == 200, path
    return str(lxml.html.fromstring(response.body).findtext(".//h1")).strip()


def version_of(page: Response) -> str:
    """The build version the injected script carries."""
    match = SCRIPT_TAG_RE.search(page.text)
    assert match, "the live script is not in the page"
    return match.group(1)


class Events:
    """A Server-Sent Events stream, read as a browser's EventSource would."""

    def __init__(self, server: Server, since: str) -> None:
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
        self.connection.request("GET", f"/__pressroom/events?since={quote(since)}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.headers["Content-Type"].startswith("text/event-stream")

    def next(self) -> tuple[str, str]:
        """The next event's name and data (comments and retry lines skipped)."""
        name, data = "message", []
        while True:
            raw = self.response.readline()
            assert raw, "the event stream ended"
            line = raw.decode("utf-8").rstrip("\n")
            if not line:
                if data:
                    return name, "\n".join(data)
                continue
            key, _, value = line.partition(":")
            if key == "event":
                name = value.strip()
            elif key == "data":
                data.append(value.removeprefix(" "))

    def close(self) -> None:
        """Hang up."""
        self.connection.close()


def save(project: Path, rel: str, text: str) -> None:
    """Write a watched file in one step, as editors do: a half-written file would make the
    server build (and report) it, depending on timing."""
    scratch = project / "scratch.tmp"  # beside site.yaml, where nothing else is watched
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(project / rel)


def with_title(text: str, title: str) -> str:
    """An article's text with another headline."""
    return re.sub(r"(?m)^title: .*$", f'title: "{title}"', text, count=1)


def edit_title(project: Path, title: str) -> None:
    """Give the English article another headline."""
    save(project, ARTICLE, with_title((project / ARTICLE).read_text(encoding="utf-8"), title))


# --- serving -------------------------------------------------------------------------------


def test_serves_both_languages_with_the_live_script_in_responses_only(server: Server) -> None:
    for lang in ("ko", "en"):
        page = get(server, f"/{lang}/")
        assert page.status == 200
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert lxml.html.fromstring(page.body).get("lang") == lang
        assert version_of(page)
        # Injected while serving, never written into the build.
        assert "__pressroom" not in (server.output / lang / "index.html").read_text("utf-8")
    script = get(server, "/__pressroom/live.js")
    assert script.status == 200
    assert "EventSource" in script.text
    assert "textContent" in script.text and "innerHTML" not in script.text  # errors escaped
    css = get(server, "/static/style.css")
    assert css.status == 200 and b"__pressroom" not in css.body


def test_builds_into_a_private_directory_with_a_local_base_url(server: Server) -> None:
    assert server.output.is_dir()
    assert not (server.output.resolve().is_relative_to(ROOT))
    page = get(server, "/en/")
    canonical = lxml.html.fromstring(page.body).find(".//link[@rel='canonical']")
    assert canonical is not None
    assert canonical.get("href") == f"http://127.0.0.1:{server.port}/en/"


def test_an_edit_reloads_open_tabs_with_the_new_content(server: Server, project: Path) -> None:
    events = Events(server, version_of(get(server, ARTICLE_PAGE)))
    try:
        edit_title(project, "Chip Ties Are Symbiotic, Lee Says")
        name, _ = events.next()
    finally:
        events.close()
    assert name == "reload"
    assert title_of(server, ARTICLE_PAGE) == "Chip Ties Are Symbiotic, Lee Says"
    assert server.wait_for(server.out, r"^changed: " + re.escape(ARTICLE) + "$")


def test_a_failed_build_keeps_the_last_good_site_and_shows_its_errors(
    server: Server, project: Path
) -> None:
    old_title = title_of(server, ARTICLE_PAGE)
    page = get(server, ARTICLE_PAGE)
    events = Events(server, version_of(page))
    try:
        good = (project / ARTICLE).read_text(encoding="utf-8")
        save(project, ARTICLE, good.replace("sectors: [", "sectors: [[", 1))

        name, data = events.next()
        assert name == "errors"
        (error,) = json.loads(data)
        assert re.fullmatch(re.escape(ARTICLE) + r":\d+: invalid YAML.*", error)
        assert server.wait_for(server.err, "^" + re.escape(error) + "$")
        assert server.wait_for(server.err, r"build failed: 1 error; still serving")
        assert json.loads(get(server, "/__pressroom/errors").body)["errors"] == [error]
        # The last good build is still served, to the same tabs.
        assert title_of(server, ARTICLE_PAGE) == old_title
        assert version_of(get(server, ARTICLE_PAGE)) == version_of(page)

        save(project, ARTICLE, with_title(good, "Fixed Headline"))
        name, _ = events.next()
    finally:
        events.close()
    assert name == "reload"
    assert title_of(server, ARTICLE_PAGE) == "Fixed Headline"
    assert json.loads(get(server, "/__pressroom/errors").body)["errors"] == []


def test_a_tab_opened_while_the_build_is_broken_shows_the_errors(
    server: Server, project: Path
) -> None:
    save(project, "site.yaml", "title: [\n")
    server.wait_for(server.err, r"^site\.yaml:\d+: invalid YAML")
    events = Events(server, version_of(get(server, "/en/")))
    try:
        name, data = events.next()
    finally:
        events.close()
    assert name == "errors"
    assert any(line.startswith("site.yaml:") for line in json.loads(data))


def test_before_any_good_build_pages_list_the_errors_escaped(
    start_server: StartServer, project: Path
) -> None:
    article = project / ARTICLE
    article.write_text(
        article.read_text("utf-8").replace("sectors: [", "sectors: [<b>x</b>, ", 1), "utf-8"
    )
    server = start_server(project)
    assert server.wait_for(server.err, r"build failed: .*nothing to serve yet")
    page = get(server, "/en/")
    assert page.status == 503
    assert "&lt;b&gt;x&lt;/b&gt;" in page.text and "<b>x</b>" not in page.text
    assert SCRIPT_TAG_RE.search(page.text)  # so that the tab reloads once it builds


def test_drafts_are_served_only_with_drafts(start_server: StartServer, project: Path) -> None:
    path = project / ARTICLE
    path.write_text(path.read_text("utf-8").replace("---\n", "---\ndraft: true\n", 1), "utf-8")
    assert get(start_server(project), ARTICLE_PAGE).status == 404
    assert get(start_server(project, "--drafts"), ARTICLE_PAGE).status == 200


# --- what is never served ------------------------------------------------------------------


def test_paths_outside_the_output_are_never_served(server: Server, project: Path) -> None:
    secret = "top secret, not part of the site"
    (server.output.parent / "secret.txt").write_text(secret, encoding="utf-8")
    (server.output / "ko" / "leak.txt").symlink_to(server.output.parent / "secret.txt")
    (server.output / "ko" / "leak-dir").symlink_to(server.output.parent, target_is_directory=True)
    (server.output / "ko" / "leak-site.yaml").symlink_to(project / "site.yaml")
    site_yaml = str(project / "site.yaml").lstrip("/")
    attempts = [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/ko/..%2f..%2fsecret.txt",
        "/ko/%2e%2e/%2e%2e/secret.txt",
        "/ko/../../secret.txt",
        "/" + "../" * 20 + site_yaml,
        "/" + "%2e%2e%2f" * 20 + quote(site_yaml),
        "/" + quote("/" + site_yaml, safe=""),
        "/ko/leak.txt",
        "/ko/leak-dir/secret.txt",
        "/ko/leak-site.yaml",
        "/ko/%00",
    ]
    for attempt in attempts:
        response = get(server, attempt)
        assert response.status == 404, attempt
        assert secret not in response.text and "base_url" not in response.text, attempt


def test_unknown_paths_answer_404_with_the_site_404_page_if_any(server: Server) -> None:
    # The default site has a 404 page of its own: without one, the answer names the path.
    (server.output / "404.html").unlink()
    plain = get(server, "/en/no-such-page/")
    assert plain.status == 404
    assert plain.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "/en/no-such-page/" in plain.text
    assert get(server, "/__pressroom/nothing").status == 404

    (server.output / "404.html").write_text(
        "<!DOCTYPE html><html><body><h1>Lost in the archive</h1></body></html>", "utf-8"
    )
    custom = get(server, "/en/no-such-page/")
    assert custom.status == 404
    assert "Lost in the archive" in custom.text
    assert SCRIPT_TAG_RE.search(custom.text)


def test_a_directory_without_its_slash_redirects_on_this_host(server: Server) -> None:
    for asked in ("/ko", "//ko", "/ko//sectors"):
        response = get(server, asked)
        assert response.status == 301, asked
        assert response.headers["Location"] == asked.replace("//", "/") + "/"


# --- starting and stopping -----------------------------------------------------------------


def test_a_busy_port_is_refused_with_advice(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = launch(project, "--host", "127.0.0.1", "--port", str(port))
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        finally:
            process.kill()
            process.wait(TIMEOUT)
    assert process.returncode == 1
    assert f"port {port} is in use: try --port {port + 1}" in err
    assert "Traceback" not in err + out


def test_ctrl_c_stops_cleanly(server: Server) -> None:
    # An open stream must not hold the server up.
    events = Events(server, version_of(get(server, "/en/")))
    try:
        server.process.send_signal(signal.SIGINT)
        status = server.process.wait(TIMEOUT)
    finally:
        events.close()
    assert status == 0
    assert server.wait_for(server.err, r"^stopped$")
    assert not any("Traceback" in line for line in server.out + server.err)
    assert not server.output.exists()  # the private build is removed


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (
            lambda text: text.replace("date: 2025-08-26", "date: 2025-02-30", 1),
            "is not a real date",
        ),
        (
            lambda text: text.replace("title: ", "title: !!bool 'maybe' #", 1),
            "is not true or false",
        ),
        (lambda text: text.replace('title: "', 'title: "pasted\\v ', 1), "U+000B"),
    ],
    ids=["impossible-date", "bool-tag", "control-character"],
)
def test_a_value_yaml_cannot_build_shows_in_the_overlay(
    server: Server, project: Path, breakage: Callable[[str], str], expected: str
) -> None:
    events = Events(server, version_of(get(server, ARTICLE_PAGE)))
    try:
        save(project, ARTICLE, breakage((project / ARTICLE).read_text(encoding="utf-8")))
        name, data = events.next()
    finally:
        events.close()
    assert name == "errors"
    (error,) = json.loads(data)
    assert re.fullmatch(re.escape(ARTICLE) + r":\d+: .*", error)
    assert expected in error
    assert not any("internal error" in line or "Traceback" in line for line in server.err)


def test_a_template_linked_outside_the_site_shows_in_the_overlay(
    server: Server, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.html"
    outside.write_text("SECRET-OUTSIDE", "utf-8")
    events = Events(server, version_of(get(server, ARTICLE_PAGE)))
    try:
        (project / "templates" / "extra.html").symlink_to(outside)
        name, data = events.next()
    finally:
        events.close()
    assert name == "errors"
    assert json.loads(data) == [
        "templates/extra.html:1: links to a file outside the site directory; it was not read"
    ]
    assert "SECRET-OUTSIDE" not in get(server, ARTICLE_PAGE).text


# --- every kind of edit --------------------------------------------------------------------


def replaced(project: Path, rel: str, old: str, new: str) -> None:
    """Save ``rel`` with its first ``old`` replaced by ``new``."""
    text = (project / rel).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    save(project, rel, text.replace(old, new, 1))


def rename(project: Path, old: str, new: str) -> None:
    os.replace(project / old, project / new)


NUCLEAR = "content/articles/2025/nuclear-power-smr-energy-security"
ADDED = "content/articles/2025/added-while-serving"

#: One edit of every kind an author makes, applied in this order to one running server.
SERVE_EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("body", lambda p: save(p, ARTICLE, (p / ARTICLE).read_text("utf-8") + "\nA new line.\n")),
    ("title", lambda p: edit_title(p, "Chips Bind Two Economies")),
    ("date", lambda p: replaced(p, ARTICLE, "date: 2025-08-26T", "date: 2025-08-24T")),
    (
        "summary",
        lambda p: replaced(p, ARTICLE, '\nsummary: "', '\nsummary: "A new teaser. '),
    ),
    ("sectors", lambda p: replaced(p, ARTICLE, "sectors: [", "sectors: [batteries, ")),
    ("people", lambda p: replaced(p, ARTICLE, "people: [", "people: [donald-trump, ")),
    (
        "add",
        lambda p: save(
            p,
            ADDED + ".en.md",
            (p / ARTICLE).read_text("utf-8").replace("Chips Bind", "Added: Chips Bind"),
        ),
    ),
    ("delete", lambda p: (p / ADDED).with_suffix(".en.md").unlink()),
    ("rename", lambda p: rename(p, NUCLEAR + ".en.md", NUCLEAR + "-renamed.en.md")),
    (
        "registry",
        lambda p: replaced(
            p, "content/taxonomies/sectors.yaml", 'en: "Semiconductors"', 'en: "Chips"'
        ),
    ),
    (
        "outlets",
        lambda p: replaced(
            p,
            "content/taxonomies/sources.yaml",
            'en: "The Asia Business Daily"',
            'en: "Asia Business Daily"',
        ),
    ),
    (
        "catalog",
        lambda p: replaced(
            p, "locales/ko/LC_MESSAGES/messages.po", 'msgstr "최신 요약"', 'msgstr "새 요약"'
        ),
    ),
    ("settings", lambda p: replaced(p, "site.yaml", "page_size: 10", "page_size: 2")),
    ("template", lambda p: replaced(p, "templates/article.html", "{% block", "<!-- e -->{% block")),
    (
        "static",
        lambda p: save(
            p,
            "templates/static/style.css",
            "/* e */\n" + (p / "templates/static/style.css").read_text("utf-8"),
        ),
    ),
]


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def clean_build(project: Path, work: Path, base_url: str) -> dict[str, bytes]:
    """The site a build from nothing makes of ``project`` now (in a copy, without its store)."""
    copy = work / "copy"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(
        project, copy, ignore=shutil.ignore_patterns(".pressroom-cache", "site", ".site.*")
    )
    out = work / "site"
    command = ["build", "--source", str(copy), "--output", str(out), "--base-url", base_url]
    done = subprocess.run(
        [sys.executable, "-m", "generator", *command],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": pythonpath()},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return files_under(out)


def test_every_kind_of_edit_is_served_as_a_clean_build_makes_it(
    server: Server, project: Path, tmp_path: Path
) -> None:
    base_url = f"http://{server.host}:{server.port}/"
    for name, edit in SERVE_EDITS:
        start = len(server.out)
        events = Events(server, version_of(get(server, "/en/")))
        try:
            edit(project)
            event, _ = events.next()
        finally:
            events.close()
        assert event == "reload", name
        # The line comes once the search index has followed the pages.
        server.wait_for(server.out, r"^rebuilt \d+ files", start)
        served = files_under(server.output)
        clean = clean_build(project, tmp_path / name, base_url)
        assert sorted(served) == sorted(clean), name
        assert [p for p in clean if served[p] != clean[p]] == [], name
        page = get(server, "/en/")
        assert page.status == 200 and version_of(page), name
