"""Write the built site: everything goes to a staging directory that replaces the old site
only once it is complete, so a failed build leaves the previous site as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.errors import BuildFailed, ContentError
from generator.render import Output


def check_output_dir(output: Path, source: Path) -> None:
    """Refuse an output directory whose replacement would destroy sources."""
    out, src = output.resolve(), source.resolve()
    problem = None
    if out == src or out in src.parents:
        problem = "contains the site's sources"
    elif (out / ".git").exists() or (out / "site.yaml").exists():
        problem = "looks like a project directory, not a build output"
    if problem:
        raise BuildFailed(
            [
                ContentError(
                    str(output), 0, f"refusing to replace the output directory: it {problem}"
                )
            ]
        )


def write_site(outputs: Iterable[Output], target: Path) -> int:
    """Write ``outputs`` as the new content of ``target``; return how many files were written."""
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    written = 0
    try:
        for output in outputs:
            path = staging / output.path
            path.parent.mkdir(parents=True, exist_ok=True)
            # "x" mode: two outputs claiming one file is a bug, never a silent overwrite.
            with path.open("xb") as handle:
                handle.write(output.data)
            written += 1
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web root must be readable
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is, then delete the old site."""
    if not target.exists():
        staging.rename(target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    retired.rmdir()
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
