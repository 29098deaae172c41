"""The publish workflow: pinned actions, no credentials left in the uploaded workspace, and the
README's own build command, as the GitHub Actions analyzer zizmor sees it (offline)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ZIZMOR = Path(sys.executable).parent / "zizmor"


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_zizmor_finds_nothing_in_the_workflow_even_when_pedantic() -> None:
    done = subprocess.run(
        [str(ZIZMOR), "--offline", "--persona", "pedantic", "--format", "json", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    findings = json.loads(done.stdout)
    assert findings == [], done.stdout
    assert done.returncode == 0, done.stderr


def test_every_action_is_pinned_to_a_commit_with_its_release_named() -> None:
    text = WORKFLOW.read_text("utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)

    assert len(uses) >= 5
    for action, comment in uses:
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), f"{action}: no release comment"


def test_checkout_keeps_its_token_out_of_the_workspace() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    checkouts = [s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]

    assert checkouts
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_the_workflow_builds_with_the_readme_build_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    command = readme.split("<!-- build-command -->", 1)[1].split("```sh\n", 1)[1].split("\n")[0]
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))

    assert command in [s.get("run", "").strip() for s in steps(workflow)]


def test_the_build_restores_and_saves_the_store_before_building() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    build_steps = workflow["jobs"]["build"]["steps"]
    caches = [
        i for i, s in enumerate(build_steps) if s.get("uses", "").startswith("actions/cache@")
    ]
    builds = [i for i, s in enumerate(build_steps) if "pressroom build" in s.get("run", "")]

    assert len(caches) == 1 and builds, "the build job caches the store once"
    assert caches[0] < builds[0], "the store is restored before the build runs"
    cache = build_steps[caches[0]]["with"]
    assert cache["path"] == ".pressroom-cache"
    # A push always has new inputs, so the key alone never hits: the fallback prefix must match
    # the key's own prefix for an earlier commit's store to be restored.
    prefix = cache["restore-keys"].strip()
    assert cache["key"].startswith(prefix) and "hashFiles(" in cache["key"]
