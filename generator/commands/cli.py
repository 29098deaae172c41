"""Command line: parse arguments, call one function per command, print the result."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.build import collector
from generator.build.pipeline import build
from generator.build.target import BuildReport
from generator.content.selection import Selection
from generator.core.errors import BuildFailed
from generator.core.timing import Stopwatch


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        help="site directory holding site.yaml (default: .)",
    )


def _add_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument(
        "--future", action="store_true", help="include articles dated in the future (scheduled)"
    )


def _selection(args: argparse.Namespace) -> Selection:
    """The articles a command works on, as its --drafts and --future say, as of now."""
    return Selection(drafts=args.drafts, future=args.future, now=dt.datetime.now(dt.UTC))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pressroom",
        description="Build a bilingual (Korean / English) press-summary archive.",
    )
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    b = commands.add_parser(
        "build",
        help="build the site into the output directory",
        description="Build every page and feed from content/, templates/ and locales/. "
        "On any error nothing is written and the previous site is left as it was.",
    )
    _add_source(b)
    b.add_argument(
        "--output", type=Path, default=None, help="output directory (default: SOURCE/site)"
    )
    b.add_argument("--base-url", default=None, help="override base_url from site.yaml")
    b.add_argument(
        "--timings", action="store_true", help="print how long each stage took (on stderr)"
    )
    b.add_argument(
        "--verify",
        action="store_true",
        help="make every file again and compare it with the output's (repairs files changed "
        "there by hand; unchanged files keep their inode and modification time)",
    )
    _add_selection(b)
    b.set_defaults(run=_build)

    c = commands.add_parser(
        "check",
        help="validate everything without writing the site",
        description="Report every error the build would find, plus warnings: translations "
        "that disagree, catalog gaps; then the articles missing a translation, drafts and "
        "scheduled articles. Lines read path:line:col: error|warning: message.",
    )
    _add_source(c)
    c.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    _add_selection(c)
    c.set_defaults(run=_check)

    n = commands.add_parser(
        "new",
        help="start an article (or its translation) as files to fill in",
        description="Write content/articles/<YYYY>/<slug>.<lang>.md for each language, with "
        "complete front matter marked 'draft: true', and print their paths. A new article's "
        "source.name and source.url are left empty, so the build refuses it until they are "
        "filled in; a translation copies slug, date, sectors, people and source from the "
        "original, keeps its body as a comment, and leaves the title empty to translate. "
        "Existing files are never overwritten.",
    )
    n.add_argument("title", nargs="?", help="the headline (its slug is made from it if English)")
    n.add_argument("--lang", help="languages to write, e.g. ko or ko,en (default: all)")
    n.add_argument("--slug", help="URL name: lower-case ASCII letters, digits, hyphens")
    n.add_argument("--date", help="ISO 8601 date or time (default: now, in the site's zone)")
    n.add_argument("--sector", action="append", metavar="ID", help="sector id (repeatable)")
    n.add_argument("--person", action="append", metavar="ID", help="person id (repeatable)")
    n.add_argument(
        "--translate", metavar="FILE", help="start translations of this existing article"
    )
    _add_source(n)
    n.set_defaults(run=_new)

    s = commands.add_parser(
        "serve",
        help="preview the site locally, rebuilding and reloading on every change",
        description="Build the site into a private temporary directory (site/ is left alone) "
        "and serve it at http://HOST:PORT/. Changes to content/, templates/, locales/ and "
        "site.yaml rebuild it and reload every open tab; a failed build keeps the last good "
        "site served and shows its errors over the page. Ctrl-C stops it.",
    )
    s.add_argument("--port", type=port_number, default=8000, help="0 picks a free port (8000)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    _add_selection(s)
    _add_source(s)
    s.set_defaults(run=_serve)
    return parser


# Commands import their modules when run: a build should not pay for the server's imports.


def _new(args: argparse.Namespace) -> int:
    from generator.commands.new import run_new

    return run_new(args)


def _serve(args: argparse.Namespace) -> int:
    from generator.commands.serve import run_serve

    return run_serve(args)


def port_number(value: str) -> int:
    """An argparse type: a TCP port, 0 meaning any free one."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 0 and 65535, not {port}")
    return port


def _build(args: argparse.Namespace) -> int:
    source: Path = args.source
    output: Path = args.output if args.output is not None else source / "site"
    clock = Stopwatch()
    report = build(
        source,
        output,
        base_url=args.base_url,
        selection=_selection(args),
        verify=args.verify,
        timings=clock,
    )
    print(format_report(report))
    if args.timings:
        print(clock.report(), file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    from generator.commands.check import format_json, format_text, run_check

    report = run_check(args.source, _selection(args), strict=args.strict)
    print(format_json(report) if args.format == "json" else format_text(report))
    return 1 if report.failed(args.strict) else 0


def format_report(report: BuildReport) -> str:
    """A short table per language, then the totals."""
    header = f"{'language':<10}{'articles':>10}{'pages':>8}{'terms':>8}{'feeds':>8}"
    rows = [header]
    for s in report.languages:
        rows.append(f"{s.lang:<10}{s.articles:>10}{s.pages:>8}{s.terms:>8}{s.feeds:>8}")
    rows.append(
        f"{report.files} files in {report.output} ({report.changed} changed) "
        f"in {report.seconds:.2f} s"
    )
    return "\n".join(rows)


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C so that half-written output is removed."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    try:
        status: int = args.run(args)
    except BuildFailed as failed:
        for error in failed.errors:
            print(error, file=sys.stderr)
        count = len(failed.errors)
        print(
            f"build failed: {count} error{'s' if count != 1 else ''}; nothing was written",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted; the output was left as it was", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated; the output was left as it was", file=sys.stderr)
        return 143
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return status


def run() -> NoReturn:
    """The ``pressroom`` command and ``python -m generator``: ``main``, then exit with its
    status, without the interpreter's last walk over every object the build left."""
    status = main()
    collector.before_exit()
    sys.exit(status)
