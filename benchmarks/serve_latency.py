"""How long `pressroom serve` takes from saving a file to telling the open tabs to reload.

``measure(work, edits)`` starts ``python -m generator serve --port 0`` on a site directory,
waits for its first build, subscribes to its event stream as a tab does, then saves an edit
to one article body at a time and measures the time from the save to the ``reload`` event.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

VERSION_RE = re.compile(r'data-version="([^"]*)"')


#: The environment pressroom runs in: this one, with bytecode caching left on, as an installed
#: pressroom runs. (An environment that sets PYTHONDONTWRITEBYTECODE would make every build
#: compile pressroom's own modules again, a tenth of a second that no user's build spends.)
PRESSROOM_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _start(work: Path, timeout: float) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--source", str(work), "--port", "0"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**PRESSROOM_ENV, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        found = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
        if found:
            threading.Thread(target=process.stdout.read, daemon=True).start()  # drain
            return process, int(found.group(1))
        if time.monotonic() > deadline:
            break
    process.kill()
    raise RuntimeError("serve did not start")


def _version(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/en/")
    body = connection.getresponse().read().decode("utf-8")
    connection.close()
    match = VERSION_RE.search(body)
    return match.group(1) if match else ""


def _wait_for_reload(port: int, since: str, timeout: float) -> float:
    """Open the event stream and return the moment the reload event arrives."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", f"/__pressroom/events?since={since}")
    response = connection.getresponse()
    while True:
        line = response.readline()
        if not line:
            raise RuntimeError("the event stream ended")
        if line.startswith(b"event: reload"):
            moment = time.perf_counter()
            connection.close()
            return moment


def _listen(port: int, since: str, timeout: float, arrived: list[float]) -> None:
    arrived.append(_wait_for_reload(port, since, timeout))


def measure(
    work: Path, edit: Callable[[int], None], count: int, timeout: float = 1800
) -> list[float]:
    """Seconds from each of ``count`` saves (``edit(i)``) to the reload event."""
    process, port = _start(work, timeout)
    try:
        latencies = []
        for number in range(count):
            arrived: list[float] = []
            listener = threading.Thread(
                target=_listen, args=(port, _version(port), timeout, arrived), daemon=True
            )
            listener.start()
            time.sleep(0.3)  # the stream is open, as a tab's is
            saved = time.perf_counter()
            edit(number)
            listener.join(timeout)
            if not arrived:
                raise RuntimeError("no reload event")
            latencies.append(arrived[0] - saved)
            time.sleep(1.0)  # let a search refresh that follows the reload finish
        return latencies
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def median(values: list[float]) -> float:
    """The median of ``values``."""
    return statistics.median(values)
