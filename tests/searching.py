"""Querying a built site's search index outside a browser: Pagefind's own script, run by
Node.js, over every part of a language's index, merged as the search page merges them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from htmltools import parse

#: Runs Pagefind's own search script (the first part's pagefind.js) in Node, merging the other
#: parts of the index as the search page does, reading the files from disk, and prints the
#: result URLs of each query as JSON.
NODE_SEARCH = r"""
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
const [lang, parts, ...queries] = process.argv.slice(2);
const [first, ...others] = JSON.parse(parts);
globalThis.fetch = async (url) => new Response(await readFile(fileURLToPath(String(url))));
globalThis.document = { currentScript: null, querySelector: () => ({ getAttribute: () => lang }) };
const pagefind = await import(pathToFileURL(first + "/pagefind.js"));
await pagefind.options({ baseUrl: `/${lang}/` });
await pagefind.init();
for (const part of others) {
  await pagefind.mergeIndex(pathToFileURL(part).href + "/", { baseUrl: `/${lang}/` });
}
const found = {};
for (const query of queries) {
  const search = await pagefind.search(query);
  found[query] = await Promise.all(search.results.map(async (r) => (await r.data()).url));
}
console.log(JSON.stringify(found));
"""


def index_parts(site: Path, lang: str) -> list[Path]:
    """The folders of a language's search index parts, in the order its search page lists."""
    page = parse(site / lang / "search" / "index.html")
    (box,) = page.xpath("//*[@id='search']")
    parts = json.loads(box.get("data-bundles"))
    base = urlsplit(parse(site / lang / "index.html").xpath("//link[@rel='canonical']/@href")[0])
    prefix = base.path.removesuffix(f"{lang}/")
    return [site / part.removeprefix(prefix) for part in parts]


def node_search(site: Path, lang: str, *queries: str) -> dict[str, list[str]]:
    """Query the built index of ``lang`` with Pagefind's own script, run by Node."""
    node = shutil.which("node")
    assert node, "Node.js is needed to query the search index (.ci/setup-system installs it)"
    script = site.parent / "search-query.mjs"
    script.write_text(NODE_SEARCH, encoding="utf-8")
    parts = [str(p) for p in index_parts(site, lang)]
    done = subprocess.run(
        [node, str(script), lang, json.dumps(parts), *queries],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found
