"""`pressroom serve`: build into a private directory, serve it, rebuild on change, reload tabs.

Four small pieces: ``LiveSite`` (live.py) holds the last good build and the current errors;
``Rebuilder`` (live.py) rebuilds on a thread of its own when asked; ``watch_sources``
(watch.py) asks it whenever an input changes; ``LiveHandler`` here serves the last good
build, injecting into HTML responses (never into the files) a script that listens for
Server-Sent Events and reloads the tab or shows the build errors.
"""

from __future__ import annotations

import argparse
import errno
import html
import ipaddress
import json
import mimetypes
import shutil
import signal
import socket
import socketserver
import sys
import tempfile
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, quote, unquote

from generator.commands.live import LiveSite, Rebuilder, SiteState, report_outcome
from generator.commands.watch import watch_sources
from generator.core.layout import SETTINGS_FILE

PREFIX = "/__pressroom/"
EVENTS_PATH = PREFIX + "events"
ERRORS_PATH = PREFIX + "errors"
SCRIPT_PATH = PREFIX + "live.js"

#: A comment line this often lets a stream notice a tab that has gone away.
HEARTBEAT_SECONDS = 15.0


# --- HTTP ----------------------------------------------------------------------------------

#: Shows the errors over the page and reloads it after the next good build. Text goes in with
#: textContent, so an error quoting HTML is shown, never parsed.
LIVE_SCRIPT = """\
(() => {
  const version = document.currentScript ? document.currentScript.dataset.version : "";
  const events = new EventSource(
    "EVENTS_PATH?since=" + encodeURIComponent(version || ""));
  events.addEventListener("reload", () => { events.close(); location.reload(); });
  events.addEventListener("errors", (event) => show(JSON.parse(event.data)));
  function show(lines) {
    let box = document.getElementById("pressroom-errors");
    if (!box) {
      box = document.createElement("div");
      box.id = "pressroom-errors";
      box.setAttribute("role", "alert");
      box.setAttribute("style", "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;"
        + "z-index:2147483647;margin:0;padding:1em;background:#2b0b0b;color:#fff;"
        + "font:14px/1.4 ui-monospace,monospace;border-top:4px solid #e5484d");
      document.body.appendChild(box);
    }
    const title = document.createElement("strong");
    title.textContent = "pressroom: the build failed; this is the last good build. "
      + "Fix these and save:";
    const list = document.createElement("pre");
    list.setAttribute("style", "white-space:pre-wrap;margin:.5em 0 0");
    list.textContent = lines.join("\\n");
    box.replaceChildren(title, list);
  }
})();
""".replace("EVENTS_PATH", EVENTS_PATH)


def live_script_tag(version: str) -> bytes:
    """The tag injected into every HTML response."""
    return f'<script src="{SCRIPT_PATH}" data-version="{html.escape(version)}"></script>'.encode()


def inject(page: bytes, tag: bytes) -> bytes:
    """``page`` with ``tag`` before its last </body> (or at its end)."""
    at = page.lower().rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


@dataclass(frozen=True, slots=True)
class Redirect:
    """A directory asked for without its trailing slash."""

    location: str


def resolve_request(root: Path, url_path: str) -> Path | Redirect | None:
    """The file under ``root`` that ``url_path`` names; None for anything that is not one,
    including every path (``..``, encoded or not, or a symlink) that leads outside ``root``."""
    top = root.resolve()
    try:
        path = unquote(url_path, errors="strict")
        real = (top / path.lstrip("/")).resolve(strict=True)
        if not real.is_relative_to(top):
            return None
        if real.is_dir():
            if not url_path.endswith("/"):
                clean = "/".join(part for part in path.split("/") if part)
                return Redirect("/" + quote(clean) + "/" if clean else "/")
            real = (real / "index.html").resolve(strict=True)
            if not real.is_relative_to(top):
                return None
    except (OSError, RuntimeError, ValueError):  # missing, a symlink loop, a NUL byte …
        return None
    return real if real.is_file() else None


class LiveServer(ThreadingHTTPServer):
    """The HTTP server, holding the live site its handlers read."""

    live: LiveSite

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up in DNS, which can stall for seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A tab closed mid-response is normal; anything else is a bug worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class LiveServer6(LiveServer):
    """The same on IPv6 (``--host ::1``)."""

    address_family = socket.AF_INET6


class LiveHandler(BaseHTTPRequestHandler):
    """Serves the last good build, the event stream, the errors and the live script."""

    server_version = "pressroom"

    @property
    def live(self) -> LiveSite:
        """The site being served."""
        return cast(LiveServer, self.server).live

    def do_GET(self) -> None:
        """Answer a GET."""
        self.respond(body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD like a GET, without the body."""
        self.respond(body=False)

    def respond(self, *, body: bool) -> None:
        """Route the request."""
        # Not urlsplit: a path starting with "//" would be taken for a host name.
        path, _, query = self.path.partition("?")
        if path == EVENTS_PATH and body:
            self.stream_events(parse_qs(query).get("since", [None])[0])
            return
        state = self.live.state()
        if path == ERRORS_PATH:
            data = json.dumps({"version": state.version, "errors": state.errors}).encode()
            self.send(HTTPStatus.OK, "application/json", data, body=body)
            return
        if path == SCRIPT_PATH:
            self.send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_SCRIPT.encode(), body)
            return
        if not state.version:
            self.send_page(HTTPStatus.SERVICE_UNAVAILABLE, not_built_page(state), state, body)
            return
        found = None if path.startswith(PREFIX) else resolve_request(self.live.root, path)
        if isinstance(found, Redirect):
            location = found.location + (f"?{query}" if query else "")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found is None:
            self.send_not_found(state, body)
            return
        try:
            data = found.read_bytes()
        except OSError:  # swapped away by a rebuild between resolving and reading
            self.send_not_found(state, body)
            return
        if found.suffix == ".html":
            self.send_page(HTTPStatus.OK, data, state, body)
        else:
            self.send(HTTPStatus.OK, content_type(found), data, body)

    def send_not_found(self, state: SiteState, body: bool) -> None:
        """404 with the site's own 404.html if it has one, else a small page."""
        custom = resolve_request(self.live.root, "/404.html")
        try:
            page = custom.read_bytes() if isinstance(custom, Path) else not_found_page(self.path)
        except OSError:
            page = not_found_page(self.path)
        self.send_page(HTTPStatus.NOT_FOUND, page, state, body)

    def send_page(self, status: HTTPStatus, page: bytes, state: SiteState, body: bool) -> None:
        """Send HTML with the live script injected."""
        data = inject(page, live_script_tag(state.version))
        self.send(status, "text/html; charset=utf-8", data, body)

    def send(self, status: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        """Send one complete response."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        # Every reload must show the latest build.
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def stream_events(self, since: str | None) -> None:
        """Server-Sent Events: "reload" when the good build changes, "errors" when a build fails."""
        state = self.live.state()
        seen_version = state.version if since is None else since
        shown: tuple[str, ...] = ()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                if state.version != seen_version:
                    self.wfile.write(f"event: reload\ndata: {state.version}\n\n".encode())
                    self.wfile.flush()
                    return
                if state.errors != shown:
                    shown = state.errors
                    data = json.dumps(list(state.errors), ensure_ascii=False)
                    self.wfile.write(f"event: errors\ndata: {data}\n\n".encode())
                self.wfile.flush()
                news = self.live.wait_for_news(state.generation, HEARTBEAT_SECONDS)
                if news is None:
                    return
                if news.generation == state.generation:
                    self.wfile.write(b": keep-alive\n\n")
                state = news
        except ConnectionError:
            return

    def log_message(self, format: str, *args: object) -> None:
        # The terminal is for build results and errors; one line per request would bury them.
        return


def content_type(path: Path) -> str:
    """The Content-Type of a built file, text in UTF-8."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind.endswith(("xml", "json", "javascript"))
    return f"{kind}; charset=utf-8" if textual else kind


def not_found_page(url_path: str) -> bytes:
    """A small 404 page for sites without a 404.html."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title>'
        f"</head><body><h1>404 Not found</h1><p>Nothing is built at "
        f"<code>{html.escape(url_path)}</code>.</p></body></html>\n"
    ).encode()


def not_built_page(state: SiteState) -> bytes:
    """The page shown before the first good build, listing the errors."""
    errors = html.escape("\n".join(state.errors))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed</title></head><body><h1>The site could not be built</h1>"
        "<p>Fix these errors and save; this page reloads by itself.</p>"
        f"<pre>{errors}</pre></body></html>\n"
    ).encode()


# --- the command ---------------------------------------------------------------------------


class CannotListen(Exception):
    """The address could not be bound; the message says what to do."""


def open_server(host: str, port: int) -> LiveServer:
    """Bind ``host``:``port``; raise CannotListen with advice when that fails."""
    server_class = LiveServer6 if ":" in host else LiveServer
    try:
        return server_class((host, port), LiveHandler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(f"port {port} is in use: try --port {port + 1}") from None
        if exc.errno == errno.EACCES:
            raise CannotListen(
                f"not allowed to listen on port {port}: try a port above 1023, e.g. --port 8000"
            ) from None
        reason = exc.strerror or str(exc)
        raise CannotListen(f"cannot listen on {host}:{port}: {reason}") from None


def site_url(host: str, port: int) -> str:
    """http://HOST:PORT/, with an IPv6 host in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace) -> int:
    """Run `pressroom serve` from parsed arguments; return the exit status."""
    source: Path = args.source
    if not (source / SETTINGS_FILE).is_file():
        print(f"{source / SETTINGS_FILE}: not found: is this a pressroom site?", file=sys.stderr)
        return 1
    try:
        server = open_server(args.host, args.port)
    except CannotListen as exc:
        print(exc, file=sys.stderr)
        return 1
    url = site_url(args.host, int(server.server_address[1]))
    private = Path(tempfile.mkdtemp(prefix="pressroom-serve-"))
    live = LiveSite(source, private / "site", url, drafts=args.drafts, future=args.future)
    server.live = live
    rebuilder = Rebuilder(live)
    stop = threading.Event()
    # Started in the background by a script, a process inherits an ignored SIGINT; Ctrl-C and
    # `kill -INT` must stop the server all the same.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        watch_sources(source, rebuilder.request, stop)
        print(f"building into {live.root} (private; site/ is left alone)", flush=True)
        report_outcome(live.rebuild(), first=True)
        rebuilder.start()
        if not _is_loopback(args.host):
            print(f"note: {args.host} lets other machines see this preview", flush=True)
        print(f"serving {url}  (Ctrl-C to stop)", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, previous)
        stop.set()
        live.close()
        server.server_close()
        rebuilder.stop(timeout=5)
        shutil.rmtree(private, ignore_errors=True)
    return 0
