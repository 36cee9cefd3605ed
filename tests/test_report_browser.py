"""The report in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe`` (DevTools messages on file descriptors 3
and 4, NUL-separated JSON), so the test needs nothing beyond the standard library and the
``chromium`` package: no driver download, no websocket client.  The page is opened from disk;
every console message, uncaught exception and network request is recorded, filters are clicked
with real mouse events at the chips' positions, and a full-page screenshot is written to the
test's temporary folder (and to ``$LINEAGE_REPORT_SCREENSHOT`` when that is set).

Skipped, with the reason, when no Chromium is installed (``.ci/run`` installs it when root).
"""

from __future__ import annotations

import base64
import fcntl
import importlib.util
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from policy_lineage.report import write_report

WAIT_S = 60  # generous bound on any one browser reply; a hang fails instead of blocking CI


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def _sample():
    """The hand-written rows of tests/test_report.py, so both tests check the same report."""
    spec = importlib.util.spec_from_file_location("_report_rows", Path(__file__).with_name("test_report.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sample()


class DevTools:
    """A browser-level DevTools connection over Chromium's debugging pipe."""

    def __init__(self, exe: str, profile: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds():  # in the child: the pipe ends Chromium expects as fd 3 (read) and 4 (write)
            # copies above 9 first, so neither end is overwritten while the other moves; then
            # mark 3 and 4 inheritable (dup2 onto itself keeps close-on-exec)
            r, w = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            for src, dst in ((r, 3), (w, 4)):
                os.dup2(src, dst)
                os.set_inheritable(dst, True)

        args = [
            exe, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--mute-audio",
            f"--user-data-dir={profile}", "--window-size=1360,900", "--lang=zh-CN", "about:blank",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            args, preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next = 0
        self._replies: dict[int, queue.Queue] = {}
        self.events: list[dict] = []
        self._event_added = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.session: str | None = None

    def _read(self) -> None:
        buf = b""
        with os.fdopen(self._from_chrome, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                buf += chunk
                *messages, buf = buf.split(b"\0")
                for raw in messages:
                    msg = json.loads(raw)
                    if "id" in msg:
                        self._replies.setdefault(msg["id"], queue.Queue()).put(msg)
                    else:
                        with self._event_added:
                            self.events.append(msg)
                            self._event_added.notify_all()

    def send(self, method: str, params: dict | None = None, *, browser: bool = False) -> dict:
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if self.session and not browser:
            msg["sessionId"] = self.session
        self._replies.setdefault(self._next, queue.Queue())
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        reply = self._replies[self._next].get(timeout=WAIT_S)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str) -> dict:
        with self._event_added:
            ok = self._event_added.wait_for(lambda: any(e["method"] == method for e in self.events), timeout=WAIT_S)
        assert ok, f"browser sent no {method}"
        return next(e for e in self.events if e["method"] == method)

    def attach_page(self) -> None:
        targets = self.send("Target.getTargets", browser=True)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, browser=True)[
            "sessionId"
        ]

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (press and release) at the centre of the element."""
        box = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center', behavior: 'instant'}});"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1})

    def close(self) -> None:
        try:
            self.send("Browser.close", browser=True)
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
        try:
            self.proc.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to_chrome)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); the report's browser test needs it")
    out = tmp_path_factory.mktemp("report")
    write_report(_sample(), out, source="hand-written rows")
    dt = DevTools(exe, tmp_path_factory.mktemp("profile"))
    try:
        dt.attach_page()
        for domain in ("Page", "Runtime", "Log", "Network"):
            dt.send(f"{domain}.enable")
        dt.send("Emulation.setDeviceMetricsOverride", {"width": 1360, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        url = (out / "index.html").as_uri()
        dt.send("Page.navigate", {"url": url})
        dt.wait_event("Page.loadEventFired")
        yield dt, out, url
    finally:
        dt.close()


VISIBLE_ROWS = "[...document.querySelectorAll('tr.gap-row')].filter(tr => tr.offsetParent !== null)"


def test_no_console_errors_and_no_requests(browser):
    dt, _, url = browser
    dt.js("new Promise(r => requestAnimationFrame(() => r(1)))")
    errors = [
        e for e in dt.events
        if e["method"] == "Runtime.exceptionThrown"
        or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert", "warning"))
        or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))
    ]  # fmt: skip
    assert errors == []
    requested = [e["params"]["request"]["url"] for e in dt.events if e["method"] == "Network.requestWillBeSent"]
    assert requested == [url]


def test_gap_table_shows_anju_dropped_duty(browser):
    dt, _, _ = browser
    rows = dt.js(f"{VISIBLE_ROWS}.map(tr => [tr.dataset.region, tr.dataset.status, tr.innerText])")
    dropped = [text for region, status, text in rows if region == "安居区" and status == "gap"]
    assert len(dropped) == 1
    assert "推进办事服务公开标准化" in dropped[0] and "整项未承接" in dropped[0] and "区行政审批局" in dropped[0]
    assert len(rows) == 3


def test_filter_clicks_narrow_the_rows(browser):
    dt, _, _ = browser
    dt.click('#filter-region .chip[data-region="安居区"]')
    after_region = dt.js(f"{VISIBLE_ROWS}.map(tr => tr.dataset.region + '/' + tr.dataset.status)")
    assert after_region == ["安居区/gap", "安居区/partial"]
    assert dt.js("document.querySelector('.gov-block[data-region=\"眉山市\"]').offsetParent") is None
    dt.click('#filter-status .chip[data-status="gap"]')  # switch gaps off: the partial IPv6 duty stays
    assert dt.js(f"{VISIBLE_ROWS}.map(tr => tr.dataset.status)") == ["partial"]
    assert "显示 1 / 3" in dt.js("document.getElementById('gap-counter').textContent")
    dt.click('#filter-status .chip[data-status="gap"]')
    dt.click('#filter-region .chip[data-region=""]')
    assert len(dt.js(VISIBLE_ROWS)) == 3
    # typing in the search box keeps the rows that mention the text
    dt.click("#search")
    dt.send("Input.insertText", {"text": "IPv6"})
    assert dt.js(f"{VISIBLE_ROWS}.map(tr => tr.dataset.status + '/' + tr.dataset.region)") == ["partial/安居区"]
    dt.js("(() => { const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input')); })()")
    assert len(dt.js(VISIBLE_ROWS)) == 3


def test_lineage_graph_of_the_chosen_duty(browser):
    dt, _, _ = browser
    # the page opens on 川办发〔2021〕16号 (三), which 安居区 dropped: a dashed gap node for 安居区
    labels = dt.js("[...document.querySelectorAll('#lineage-graph g.node')].map(g => g.textContent)")
    assert any(label.startswith("安居区 · 缺项") for label in labels)
    # choose (一): 安居区 1 and 眉山 5 implement it, 东坡区 2 implements 眉山 5, three levels deep
    dt.js(
        "(() => { const s = document.getElementById('duty-select'); s.value = '川办发〔2021〕16号#1';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    nodes = dt.js("[...document.querySelectorAll('#lineage-graph g.node')].map(g => g.dataset.ref)")
    assert sorted(nodes) == sorted([
        "川办发〔2021〕16号#1", "2021年全区政务公开重点任务分工方案#1",
        "眉山市深化政务公开促进基层政府治理能力提升重点任务分工#5", "东坡区政务公开重点任务分工#2",
    ])  # fmt: skip
    heads = dt.js("[...document.querySelectorAll('#lineage-graph svg > text')].map(t => t.textContent)")
    assert heads[:3] == ["省级 Province", "市级 City", "县级 County"]
    dt.click('#lineage-graph g.node[data-ref="东坡区政务公开重点任务分工#2"]')
    assert "编制发布东坡区行政权力清单" in dt.js("document.getElementById('node-detail').innerText")


def test_screenshot(browser):
    dt, out, _ = browser
    dt.js("window.scrollTo({top: 0, behavior: 'instant'})")
    dt.js(
        "(() => { const s = document.getElementById('duty-select'); s.value = '川办发〔2021〕16号#18';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    size = dt.send("Page.getLayoutMetrics")["cssContentSize"]
    shot = dt.send(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}},
    )  # fmt: skip
    png = base64.b64decode(shot["data"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    (out / "report.png").write_bytes(png)
    review = os.environ.get("LINEAGE_REPORT_SCREENSHOT")
    if review:
        Path(review).parent.mkdir(parents=True, exist_ok=True)
        Path(review).write_bytes(png)
