"""Browser benchmark: the time a user waits, measured in Chromium with Playwright against
`streamlit run` on a built database, not AppTest reruns.

    .venv/bin/python bench/browser.py                     # Kent and national scale, naive
                                                          # baseline; writes bench/RESULTS.md
    .venv/bin/python bench/browser.py --scales kent --selections 8 --no-write

"Settled" means: Streamlit's script has finished a run that started after the action (the
app's `data-test-script-state` went to running and back to notRunning), no element is stale
or a loading skeleton, and every Plotly chart has drawn. The time is taken in the page's own
clock (performance.now) at the first animation frame where all of that holds, so the wait
for quiet afterwards is not counted. For an opened link the clock starts at navigation; for
a filter change, at the click.

For each page: open a link with a selection no page has used (cache miss), change the
academic year in the sidebar (an in-page filter change), and open the first link again
(warm). Then: process start to first settled page, memory per added session, and 20
sessions opening the Overview at once. The naive baseline (bench/naive_app.py: pandas reads
a CSV export on every rerun) is measured in the same run on the same selections.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]  # fmt: skip
SCALES = {"kent": (1.0, 1), "national": (0.27, 150)}  # as bench/run.py and data/demo/build.py
# url path → label; None marks the static page (no filters to change)
PAGES = {
    "overview": "Overview", "compare": "Compare", "map": "Map", "trends": "Trends",
    "expected": "Expected given intake", "context": "Kent and its neighbours",
    "ehcp": "EHC plans", "setting": "Setting profile", "inspections": "Inspections",
    "pilot": "Pilot measures", "data-and-methods": "Data and methods",
    "user-guide": "User guide (static)",
}  # fmt: skip
STATIC = {"user-guide"}
START = "accessibility"  # a static page: where in-app navigation starts from
NAV_LABELS = {
    "overview": "Overview", "compare": "Compare", "map": "Map", "trends": "Trends",
    "expected": "Expected given intake", "context": "Kent and its neighbours",
    "ehcp": "EHC plans", "setting": "Setting profile", "inspections": "Inspections",
    "pilot": "Pilot measures", "data-and-methods": "Data and methods",
    "user-guide": "User guide", "accessibility": "Accessibility",
}  # fmt: skip
YEARS = ["2016-17", "2017-18", "2018-19", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
PHASES = ["primary", "secondary", "special", "all"]
DISTRICTS = [f"E07000{c}" for c in range(105, 117)] + ["all"]

# Each record's old value is kept as well as the current one: a run so quick that the state
# goes running → notRunning before the observer's callback reads the attribute would otherwise
# leave no "running" at all, and the step would wait for a run it had already seen.
INIT_JS = """
window.__states = [];
new MutationObserver((ms) => {
  const now = performance.now();
  for (const m of ms) {
    if (m.oldValue) window.__states.push([m.oldValue, now]);
    const s = m.target.getAttribute && m.target.getAttribute('data-test-script-state');
    if (s) window.__states.push([s, now]);
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""
SETTLED_JS = """([t0, path]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  // after an action, a run it started must have been seen; on a fresh load (t0 = 0) the state
  // is "initial" until the first run reports, so notRunning already proves a run has ended.
  // A static page's run can be so quick that React draws running and notRunning as one
  // update, leaving no change to observe: after following a link to it, the address naming
  // the page (set when the server starts the page's run) stands in for the run seen.
  const ran = (window.__states || []).some(([s, t]) => s === 'running' && t >= t0);
  const arrived = path !== null && location.pathname.replace(/\\/+$/, '').endsWith('/' + path);
  if (t0 > 0 && !ran && !arrived) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  for (const c of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!c.querySelector('.main-svg')) return false;
  return performance.now();
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], q: float) -> float:
    values = sorted(v for v in values if v == v)  # NaN: a session that did not settle
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Server:
    script: str
    env: dict
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    started: float = 0.0

    def start(self) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "streamlit", "run", self.script, "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(600):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"{self.script} did not start on port {self.port}")

    def url(self, path: str, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"http://127.0.0.1:{self.port}/{path}" + (f"?{query}" if query else "")

    @property
    def pid(self) -> int:
        """The running server's process id (for CPU and memory readings)."""
        if self.proc is None:
            raise RuntimeError("the server has not been started")
        return self.proc.pid

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)


class NotSettled(Exception):
    """The page did not settle in time; the run records it and goes on."""


class Timing(float):
    """Milliseconds until settled, carrying `script_ms`: the part until the app's last run had
    finished (the server's share, as the page saw it); the rest is the browser drawing."""

    script_ms: float


LAST_FINISHED_JS = """([t0, at]) => {
  const done = (window.__states || []).filter(([s, t]) => s === 'notRunning' && t >= t0 && t <= at);
  return done.length ? done[done.length - 1][1] : at;
}"""


async def new_page(browser):
    """A fresh session: its own context (cookies, storage) with the state observer installed."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(INIT_JS)
    return context, await context.new_page()


async def settle(page, t0: float, timeout_s: float = 60.0, path: str | None = None) -> Timing:
    """Milliseconds from t0 (page clock) until settled; then waits 400 ms and starts over if
    another run began (a rerun the first one asked for)."""
    start = t0
    while True:
        try:
            handle = await page.wait_for_function(
                SETTLED_JS, arg=[t0, path], polling="raf", timeout=timeout_s * 1000
            )
        except Exception as exc:  # Playwright's TimeoutError
            shot = OUT / f"not-settled-{int(time.time())}.png"
            await page.screenshot(path=str(shot), full_page=True)
            raise NotSettled(f"{page.url} ({shot.name})") from exc
        at = await handle.json_value()
        await page.wait_for_timeout(400)
        later = await page.evaluate(
            "(at) => (window.__states || []).some(([s, t]) => s === 'running' && t > at)", at
        )
        if not later:
            timing = Timing(at - start)
            timing.script_ms = await page.evaluate(LAST_FINISHED_JS, [start, at]) - start
            return timing
        t0 = at


async def open_settled(page, url: str, timeout_s: float = 60.0) -> Timing:
    await page.goto(url, timeout=timeout_s * 1000)
    return await settle(page, 0.0, timeout_s)


async def pick(page, box, option_name: str, typed: str | None = None) -> Timing:
    """Choose an option of a selectbox; milliseconds from the choice until settled."""
    await box.click()
    if typed:
        await page.keyboard.type(typed)
    option = page.get_by_role("option", name=option_name, exact=typed is None).first
    await option.wait_for()
    t0 = await page.evaluate("performance.now()")
    await option.click()
    return await settle(page, t0)


async def change_year(page, label: str) -> Timing:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Academic year"
    )
    return await pick(page, box, label)


async def choose_setting(page, urn: int) -> Timing:
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has_text="Find a setting"
    )
    return await pick(page, box, str(urn), typed=str(urn))


async def click_nav(page, label: str, path: str) -> Timing:
    """Follow a page link in the sidebar (in-app navigation: same session, same filters). Only
    for a static page does the address stand in for a run seen (SETTLED_JS): a data page's run
    is always long enough to observe, and its content must be the new run's."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    link = nav.get_by_role("link", name=label, exact=False).first
    if not await link.is_visible():
        await nav.get_by_role("button", name="View").first.click()  # "View n more"
    t0 = await page.evaluate("performance.now()")
    await link.click()
    return await settle(page, t0, path=path if path in STATIC | {START} else None)


def selections(n: int, seed: int) -> list[dict]:
    """Distinct (year, district, phase) selections; each page gets its own, so every first
    open is a cache miss."""
    pool = [dict(year=y, district=d, phase=p) for y in YEARS for d in DISTRICTS for p in PHASES]
    random.Random(seed).shuffle(pool)
    return pool[:n]


def setting_urns(db: Path, n: int) -> list[int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    urns = [r[0] for r in con.execute(
        "select urn from settings where la_code = '886' and phase in ('Primary', 'Secondary') "
        "order by urn").fetchall()]  # fmt: skip
    con.close()
    return random.Random(7).sample(urns, n)


async def page_runs(browser, server: Server, path: str, sels: list[dict], links: list[dict],
                    urns: list[int]) -> dict[str, list[float]]:  # fmt: skip
    """One page, each selection unseen: navigate to it by its sidebar link from a static page
    that set the selection; change the year in the sidebar; go away and come back (warm);
    and open a link to it with another unseen selection in a new session. The Setting profile
    is reached by a link naming a setting, and its in-page change chooses another setting."""
    got: dict[str, list[float]] = {"nav": [], "change": [], "warm": [], "link": []}
    failures: list[str] = []
    context, page = await new_page(browser)
    label = NAV_LABELS[path]

    async def timed(key: str | None, action, step: str = "step") -> None:
        try:
            ms = await action
        except NotSettled as exc:
            failures.append(f"{key or step}: {exc}")
            return
        if key:
            got[key].append(float(ms))
            got.setdefault(f"{key}_script", []).append(ms.script_ms)

    for i, sel in enumerate(sels):
        if path == "setting":
            url = server.url(path, urn=str(urns[2 * i]), year=sel["year"])
            await timed("nav", open_settled(page, url))
            await timed("change", choose_setting(page, urns[2 * i + 1]))
            await timed("warm", open_settled(page, url))
            continue
        await timed(None, open_settled(page, server.url(START, **sel)), "start page, opened")
        await timed("nav", click_nav(page, label, path))
        if path not in STATIC:
            other = YEARS[(YEARS.index(sel["year"]) + 3) % len(YEARS)].replace("-", "/")
            await timed("change", change_year(page, other))
        await timed(None, click_nav(page, NAV_LABELS[START], START), "start page, by its link")
        await timed("warm", click_nav(page, label, path))
        await timed("link", open_settled(page, server.url(path, **links[i])))
    got["failures"] = failures  # type: ignore[assignment]
    await context.close()
    return got


async def plotly_load(browser, server: Server, times: int = 5) -> list[float]:
    """Milliseconds to fetch and evaluate Streamlit's Plotly chunk in a tab that has not used
    it yet: the fixed cost the first chart page in a tab pays before drawing any chart (the
    chunk holds all of plotly.js; Streamlit imports it when a page first shows a chart)."""
    import streamlit

    static = Path(streamlit.__file__).parent / "static"
    chunk = next(static.glob("static/js/PlotlyChart.*.js"), None)
    if chunk is None:  # a Streamlit that names or splits its chunks otherwise: not measured
        print("  no PlotlyChart chunk in this Streamlit: Plotly's load is not timed", flush=True)
        return []
    chunk = chunk.relative_to(static)
    got = []
    for _ in range(times):
        context, page = await new_page(browser)
        await open_settled(page, server.url(START))
        got.append(await page.evaluate(
            "async (u) => { const t = performance.now(); await import(u); "
            "return performance.now() - t; }", f"/{chunk}"))  # fmt: skip
        await context.close()
    return got


async def sessions(browser, server: Server, sels: list[dict], count: int, keep: list):
    """Open `count` sessions on the Overview at once; returns each one's settle time."""

    async def one(sel):
        context, page = await new_page(browser)
        ms: float
        try:  # twenty at once on two cores take far longer than one: wait up to 5 minutes
            ms = await open_settled(page, server.url("overview", **sel), timeout_s=300)
        except NotSettled:
            ms = float("nan")
        keep.append(context)
        return ms

    return await asyncio.gather(*(one(s) for s in sels[:count]))


async def server_visit(port: int, page: str, sel: dict) -> float:
    """Milliseconds for the server to run one page for a new session, from the request to
    Streamlit's script_finished message, over the app's own websocket protocol: a session
    with no browser, so twenty at once measure the server and not twenty Chromium tabs
    sharing this machine's two cores (each real user renders on their own machine)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    async with connect(url, subprotocols=[Subprotocol("streamlit")], max_size=None,
                       open_timeout=300) as ws:  # fmt: skip
        msg = BackMsg()
        msg.rerun_script.query_string = "&".join(f"{k}={v}" for k, v in sel.items())
        msg.rerun_script.page_name = page
        t0 = time.perf_counter()
        await ws.send(msg.SerializeToString())
        while True:
            got = ForwardMsg()
            got.ParseFromString(await asyncio.wait_for(ws.recv(), 300))
            if (got.WhichOneof("type") == "script_finished"
                    and got.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):  # fmt: skip
                if got.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    return float("nan")
                return (time.perf_counter() - t0) * 1000


async def server_load(ports: list[int], sels: list[dict], page: str = "overview") -> list[float]:
    """Every selection's session started at once, spread over `ports` (replicas) in turn."""
    return await asyncio.gather(*(server_visit(ports[i % len(ports)], page, s)
                                  for i, s in enumerate(sels)))  # fmt: skip


async def measure_server(db: Path, sels: list[dict]) -> dict:
    """Server time alone: ten unseen selections one at a time (the single-session figure),
    then twenty unseen selections at once on one replica, then on two replicas."""
    out: dict = {}
    one = Server("dashboard/app.py", {"KENT_DASHBOARD_DB": str(db)})
    two = Server("dashboard/app.py", {"KENT_DASHBOARD_DB": str(db)})
    one.start()
    try:
        await server_visit(one.port, "overview", {})  # the process's first run
        out["single"] = [await server_visit(one.port, "overview", s) for s in sels[:10]]
        out["twenty_one"] = await server_load([one.port], sels[10:30])
        two.start()
        await server_visit(two.port, "overview", {})
        out["twenty_two"] = await server_load([one.port, two.port], sels[30:50])
    finally:
        one.stop()
        two.stop()
    return out


async def measure_app(db: Path, n: int, seed: int, label: str) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"label": label, "pages": {}}
    server = Server("dashboard/app.py", {"KENT_DASHBOARD_DB": str(db)})
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        server.start()
        context, page = await new_page(browser)
        await open_settled(page, server.url(""))  # the landing page, as a new user opens it
        out["start_to_first_s"] = time.perf_counter() - server.started
        await context.close()
        all_sels = selections(2 * n * len(PAGES) + 30, seed)
        urns = setting_urns(db, 2 * n)
        out["plotly_load"] = await plotly_load(browser, server)
        cpu0 = cpu_s(server.pid)
        for k, path in enumerate(PAGES):
            sels = all_sels[2 * k * n : (2 * k + 1) * n]
            links = all_sels[(2 * k + 1) * n : (2 * k + 2) * n]
            got = await page_runs(browser, server, path, sels, links, urns)
            out["pages"][path] = got
            done = ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in got.items()
                             if v and k != "failures")  # fmt: skip
            if got["failures"]:
                done += f"; not settled: {got['failures']}"
            print(f"  {label} {path} (p50 ms): {done}", flush=True)
        actions = sum(len(r[k]) for r in out["pages"].values()
                      for k in ("nav", "change", "warm", "link"))  # fmt: skip
        out["cpu_per_view_s"] = (cpu_s(server.pid) - cpu0) / actions
        # memory per added session: ten more sessions held open
        rest = all_sels[2 * n * len(PAGES) :]
        held: list = []
        before = rss_mb(server.pid)
        for s in rest[:10]:
            await sessions(browser, server, [s], 1, held)
        out["rss_before_mb"], out["rss_after_mb"] = before, rss_mb(server.pid)
        for c in held:
            await c.close()
        held = []
        # 20 sessions at once: all opening the landing page (everyone opens the link they were
        # sent; it is cached once anyone has opened it), then 20 different unseen selections
        c0, t0 = cpu_s(server.pid), time.perf_counter()
        out["concurrent_same"] = await sessions(browser, server, [{}] * 20, 20, held)
        out["concurrent_same_cpu"] = (cpu_s(server.pid) - c0, time.perf_counter() - t0)
        for c in held:
            await c.close()
        held = []
        c0, t0 = cpu_s(server.pid), time.perf_counter()
        out["concurrent"] = await sessions(browser, server, rest[10:30], 20, held)
        out["concurrent_cpu"] = (cpu_s(server.pid) - c0, time.perf_counter() - t0)
        for c in held:
            await c.close()
        await browser.close()
    server.stop()
    return out


async def measure_naive(csv: Path, n: int, seed: int) -> dict:
    from playwright.async_api import async_playwright

    server = Server("bench/naive_app.py", {"KENT_NAIVE_CSV": str(csv)})
    out = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        server.start()
        _context, page = await new_page(browser)
        for k, view in enumerate(("overview", "compare")):
            times = []
            for sel in selections(n * 2, seed)[k * n : (k + 1) * n]:
                times.append(await open_settled(page, server.url("", view=view, **sel)))
            out[view] = times
        await browser.close()
    server.stop()
    return out


def build(scale_name: str) -> tuple[Path, Path]:
    """The scale's database (built if missing) and the naive baseline's CSV export of it."""
    sys.path.insert(0, str(ROOT))
    from data import generate_demo

    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"{scale_name}.duckdb"
    if not db.exists():
        scale, authorities = SCALES[scale_name]
        generate_demo.build(db, scale=scale, authorities=authorities)
    csv = OUT / f"{scale_name}_facts.csv"
    if not csv.exists():
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        con.execute(
            "copy (select f.*, s.name, s.phase, s.district_code, s.la_code from setting_facts f "
            f"join settings s using (urn)) to '{csv}' (header)"
        )
        con.close()
    return db, csv


def machine() -> str:
    import duckdb
    import streamlit

    mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))  # fmt: skip
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return (f"{os.cpu_count()} CPUs, {int(mem) // 1024} MB RAM, {platform.platform()}; Python "
            f"{platform.python_version()}, Streamlit {streamlit.__version__}, DuckDB "
            f"{duckdb.__version__}, {chromium.strip()}")  # fmt: skip


def settings_count(db: Path) -> tuple[int, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    row = con.execute(
        "select count(*), count(*) filter (where la_code = '886') from settings"
    ).fetchone()
    assert row is not None  # an aggregate always returns one row
    total, kent = row
    con.close()
    return total, kent


def commit() -> str:
    """The commit measured, marked when the work tree differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return head + (" with uncommitted changes" if dirty else "")


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def report(runs: dict, naive: dict, n: int, command: str, state: dict) -> str:
    names = list(runs)
    lines = [
        "<!-- browser -->",
        "## In the browser: what a user waits for",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {state['commit']} with "
        f"`{command}`; machine load (1 / 5 / 15 min) {state['load_before']} before the run "
        f"and {load()} after it.",
        f"Machine: {machine()}.",
        f"Over {n} selections per page, each one no page had used (a cache miss): navigate = "
        "follow the sidebar link in the same session from a static page that set the "
        "selection; in-page = change the sidebar's year; warm = away and back; open a link = a "
        "new session opening the address with another unseen selection. Settled = the run the "
        "action started has finished, nothing is stale or a skeleton, every chart has drawn; "
        "timed in the page's own clock (bench/browser.py).",
        "",
        "| scale | settings (Kent) | process start to first settled page |",
        "| --- | --- | --- |",
    ]
    for name in names:
        total, kent = runs[name]["settings"]
        lines.append(f"| {name} | {total:,} ({kent}) | {runs[name]['start_to_first_s']:.1f} s |")
    for name in names:
        lines += [
            "",
            f"**{name}** — p50 / p95 (ms)",
            "",
            "| page | navigate (unseen selection) | in-page filter change | warm (away "
            "and back) | open a link (new session) |",
            "| --- | --- | --- | --- | --- |",
        ]
        for path, label in PAGES.items():
            r = runs[name]["pages"][path]
            cells = [f"{pct(r[k], .5):.0f} / {pct(r[k], .95):.0f}" if r[k] else "–"
                     for k in ("nav", "change", "warm", "link")]  # fmt: skip
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Where the time goes, p50 (ms), navigating and opening a link: until the "
              "app's run had finished as the page saw it (the server's share: request, script, "
              "messages), and after it "
              "(the browser drawing what the run sent). The first chart page in a tab also "
              "loads Plotly: Streamlit's Plotly chunk, fetched and evaluated in a fresh tab, "
              "took " + (", ".join(f"{pct(runs[n]['plotly_load'], .5):.0f} ms ({n})"
                                   for n in names if runs[n].get("plotly_load"))
                         or "– (not measured: no PlotlyChart chunk found)") + " (p50 of 5). "
              "In this benchmark every navigation starts from a freshly loaded static page, so "
              "every chart page's navigate pays it; a user moving between chart pages pays it "
              "once per tab (compare warm).", "",
              "| page | " + " | ".join(f"{n}: {k} total | run finished | drawing after"
                                    for n in names for k in ("navigate", "open a link"))
              + " |", "| --- |" + " --- | --- | --- |" * 2 * len(names)]  # fmt: skip
    for path, label in PAGES.items():
        cells = []
        for name in names:
            r = runs[name]["pages"][path]
            for key in ("nav", "link"):
                total, script = r[key], r.get(f"{key}_script", [])
                if not total:  # not measured (the Setting profile has no link of its own)
                    cells += ["–"] * 3
                    continue
                after = [a - b for a, b in zip(total, script, strict=False)]
                cells += [f"{pct(total, 0.5):.0f}", f"{pct(script, 0.5):.0f}",
                          f"{pct(after, 0.5):.0f}"]  # fmt: skip
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "| scale | memory per added session (MB) | server CPU per page view (s) | "
              "20 sessions opening the landing page at once: p50 / p95 (ms) | 20 sessions, "
              "20 different unseen selections: p50 / p95 (ms) | one session opening the "
              "Overview by link, p50 (ms) |", "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for name in names:
        r = runs[name]
        per = (r["rss_after_mb"] - r["rss_before_mb"]) / 10
        single = pct(r["pages"].get("overview", {}).get("link", []), 0.5)
        a, b = r["concurrent_same"], r["concurrent"]
        (ca, wa), (cb, wb) = r["concurrent_same_cpu"], r["concurrent_cpu"]
        lines.append(f"| {name} | {per:.1f} | {r['cpu_per_view_s']:.2f} | {pct(a, .5):.0f} / "
                     f"{pct(a, .95):.0f} (server CPU {ca:.0f} s in {wa:.0f} s) | {pct(b, .5):.0f}"
                     f" / {pct(b, .95):.0f} (server CPU {cb:.0f} s in {wb:.0f} s) | "
                     f"{single:.0f} |")  # fmt: skip
    lines += ["", "The server alone (bench/browser.py `measure_server`: sessions over Streamlit's "
              "websocket with no browser, so the figure is the server's, not twenty Chromium "
              "tabs sharing two cores; each real user renders on their own machine). Overview, "
              "unseen selections, request to script finished, ms:", "",
              "| scale | one session at a time: p50 / p95 | 20 at once, one replica: p50 / p95 "
              "| 20 at once, two replicas: p50 / p95 | p95 of 20 ÷ single p50 (one / two "
              "replicas) |", "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for name in names:
        sv = runs[name].get("server")
        if not sv:
            continue
        s1, a, b = sv["single"], sv["twenty_one"], sv["twenty_two"]
        lines.append(
            f"| {name} | {pct(s1, 0.5):.0f} / {pct(s1, 0.95):.0f} | {pct(a, 0.5):.0f} / "
            f"{pct(a, 0.95):.0f} | {pct(b, 0.5):.0f} / {pct(b, 0.95):.0f} | "
            f"{pct(a, 0.95) / pct(s1, 0.5):.1f}× / {pct(b, 0.95) / pct(s1, 0.5):.1f}× |"
        )
    lines += ["", "Naive baseline (bench/naive_app.py: pandas reads a CSV export of every "
              "setting's figures on each rerun, no caching), same selections, opened links:", "",
              "| scale | view | naive p50 / p95 (ms) | app p50 / p95 (ms) | naive ÷ app (p50) |",
              "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for name in names:
        for view in ("overview", "compare"):
            nv, av = naive[name][view], runs[name]["pages"].get(view, {}).get("link", [])
            lines.append(f"| {name} | {view} | {pct(nv, .5):.0f} / {pct(nv, .95):.0f} | "
                         f"{pct(av, .5):.0f} / {pct(av, .95):.0f} | "
                         f"{pct(nv, .5) / pct(av, .5):.1f}× |")  # fmt: skip
    failed = [f"- {name}, {path}: {f}" for name in names
              for path, r in runs[name]["pages"].items() for f in r["failures"]]  # fmt: skip
    lines += [
        "",
        "Actions that did not settle within 60 s (left out of the figures above): "
        + ("none." if not failed else f"{len(failed)}."),
        *failed,
    ]
    lines.append("<!-- /browser -->")
    return "\n".join(lines)


def write(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if "<!-- browser -->" in text:
        before, rest = text.split("<!-- browser -->", 1)
        after = rest.split("<!-- /browser -->", 1)[1]
        text = before + section + after
    else:
        head, sep, tail = text.partition("\n## ")
        text = head.rstrip() + "\n\n" + section + "\n\n" + sep.lstrip("\n") + tail
    RESULTS.write_text(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", nargs="+", default=list(SCALES), choices=list(SCALES))
    ap.add_argument("--selections", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pages", nargs="+", choices=list(PAGES), help="only these pages")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if args.pages:
        for path in [p for p in PAGES if p not in args.pages]:
            del PAGES[path]
    runs, naive = {}, {}
    state = {"commit": commit(), "load_before": load()}
    for name in args.scales:
        db, csv = build(name)
        print(f"{name}: app", flush=True)
        runs[name] = asyncio.run(measure_app(db, args.selections, args.seed, name))
        runs[name]["settings"] = settings_count(db)
        print(f"{name}: server alone", flush=True)
        runs[name]["server"] = asyncio.run(measure_server(db, selections(50, args.seed + 1000)))
        print(f"{name}: naive", flush=True)
        naive[name] = asyncio.run(measure_naive(csv, args.selections, args.seed))
    command = "python bench/browser.py " + " ".join(argv if argv is not None else sys.argv[1:])
    section = report(runs, naive, args.selections, command.strip(), state)
    print(section)
    if not args.no_write:
        write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
