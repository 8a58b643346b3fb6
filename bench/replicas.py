"""Two replicas over one database file while a load swaps it: both must see the new data and
neither may show an error. This is the check behind the README's deployment advice (N
identical read-only replicas behind a proxy with sticky sessions).

    .venv/bin/python bench/replicas.py

Two `streamlit run` processes serve bench/out/replica.duckdb on two ports. A browser session
on each keeps reopening the Overview while `data/generate_demo.py`'s build, with another
seed, writes a new database and swaps it in (the writer's atomic replace, as `ingest` does).
The Overview's summary line (settings and pupils) tells the two builds apart.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser import CHROMIUM, LAUNCH_ARGS, OUT, ROOT, Server, new_page, open_settled

SUMMARY = re.compile(r"([\d,]+) settings with census returns, ([\d,]+) pupils on roll")


async def summary(page) -> tuple[str, bool]:
    text = await page.evaluate("() => document.body.innerText")
    broken = await page.locator('[data-testid="stException"]').count() > 0
    found = SUMMARY.search(text)
    return (found.group(0) if found else "no summary"), broken


async def run() -> dict:
    from playwright.async_api import async_playwright

    from data import generate_demo

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "replica.duckdb"
    shutil.copyfile(ROOT / "data" / "demo.duckdb", path)
    servers = [Server("dashboard/app.py", {"KENT_DASHBOARD_DB": str(path)}) for _ in range(2)]
    for s in servers:
        s.start()
    seen: list[tuple[float, int, str, bool]] = []
    swapped = threading.Event()
    done_at: list[float] = []

    def load() -> None:
        time.sleep(3)
        generate_demo.build(path, seed=2)  # a different demo, swapped in atomically
        done_at.append(time.perf_counter())
        swapped.set()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        pages = []
        for _ in servers:
            pages.append((await new_page(browser))[1])
        url = [s.url("overview", year="2023-24", phase="primary") for s in servers]
        before = []
        for i, pg in enumerate(pages):
            await open_settled(pg, url[i])
            before.append(await summary(pg))
        worker = threading.Thread(target=load)
        worker.start()
        start = time.perf_counter()
        while not swapped.is_set() or time.perf_counter() - done_at[0] < 5:
            for i, pg in enumerate(pages):
                await open_settled(pg, url[i])
                text, broken = await summary(pg)
                seen.append((time.perf_counter() - start, i, text, broken))
        worker.join()
        after = []
        for i, pg in enumerate(pages):
            await open_settled(pg, url[i])
            after.append(await summary(pg))
        await browser.close()
    for s in servers:
        s.stop()
    return {"before": before, "after": after, "seen": seen}


def main() -> int:
    got = asyncio.run(run())
    old = {t for t, _ in got["before"]}
    new = {t for t, _ in got["after"]}
    errors = [s for s in got["seen"] if s[3]] + [a for a in got["after"] if a[1]]
    print(f"before the swap, both replicas: {sorted(old)}")
    print(f"after the swap, both replicas: {sorted(new)}")
    print(f"page views during the load: {len(got['seen'])}; with an error: {len(errors)}")
    ok = len(old) == 1 and len(new) == 1 and old != new and not errors
    print("PASS: both replicas moved to the new data, no errors" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
