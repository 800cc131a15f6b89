"""`diagramcheck watch`: the server answers only on 127.0.0.1, only to its own Host, only
its page, event stream and review; labels cannot inject into the page; and in headless
Chromium the page shows each save's review (a box added, an arrow added, the JSON broken
and mended) with no console error."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import time
from pathlib import Path

import pytest

from diagramcheck.watch import Server
from tests.conftest import SAMPLES
from tests.drawing import Drawing
from tests.test_practice import diagramcheck, stop, url_of

SAMPLE = SAMPLES / "recommendation.excalidraw"


@pytest.fixture
def served(tmp_path):
    sketch = tmp_path / "design.excalidraw"
    shutil.copyfile(SAMPLE, sketch)
    server = Server(sketch)
    server.start()
    yield server
    server.close()


def ask(server: Server, path: str, host: str | None = None, method: str = "GET") -> http.client.HTTPResponse:
    port = server.http.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    connection.endheaders()
    return connection.getresponse()


def test_binds_to_the_loopback_address_only(served):
    assert served.http.server_address[0] == "127.0.0.1"
    assert served.url.startswith("http://127.0.0.1:")


def test_serves_its_page_its_events_and_the_review_and_nothing_else(served):
    page = ask(served, "/")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "unsafe" not in policy
    body = page.read().decode()
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy).group(1)
    assert body.count("<script") == 1 and f"<script nonce='{nonce}'>" in body and 'class="sketch"' in body
    review = ask(served, "/review.json")
    assert review.status == 200 and json.loads(review.read())["files"][0]["path"].endswith("design.excalidraw")
    events = ask(served, "/events")
    assert events.status == 200 and events.headers["Content-Type"].startswith("text/event-stream")
    first = b""
    while b"\n\n" not in first.split(b"retry: 1000\n\n", 1)[-1]:
        first += events.read1()
    update = json.loads(re.search(rb"^data: (.*)$", first, re.M).group(1))
    assert update["seq"] == 1 and "<svg" in update["body"] and "The interviewer asks next" in update["body"]
    events.close()
    for path in ("/favicon.ico", "/design.excalidraw", "/../design.excalidraw", "/events/x", "/review.json/..",
                 "//review.json", "/index.html", "/%2e%2e/etc/passwd"):
        answer = ask(served, path)
        assert answer.status == 404, path
        assert b"design" not in answer.read(), path
    assert ask(served, "http://127.0.0.1/").status in (403, 404)  # an absolute request target serves nothing
    assert ask(served, "/", method="POST").status == 501
    assert ask(served, "/", method="PUT").status == 501


@pytest.mark.parametrize("host", ["evil.example:80", "attacker.test", "127.0.0.1", "127.0.0.1:1", "localhost.evil.test",
                                  "192.168.1.5", "[::1]", ""])
def test_refuses_any_other_host(served, host):
    """A web page at another address cannot read the review through DNS rebinding: its Host
    header names its own address."""
    for path in ("/", "/events", "/review.json"):
        answer = ask(served, path, host=host)
        assert answer.status == 403, (host, path)
        assert b"design" not in answer.read()
    port = served.http.server_address[1]
    assert ask(served, "/", host=f"localhost:{port}").status == 200


def test_labels_cannot_inject_into_the_page_or_the_events(tmp_path):
    scene = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for element in scene["elements"]:
        if element["type"] == "text" and element.get("containerId"):
            element["text"] = element["originalText"] = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
            break
    sketch = tmp_path / "hostile.excalidraw"
    sketch.write_text(json.dumps(scene), encoding="utf-8")
    server = Server(sketch)
    try:
        body = server.live.update["body"]
        assert "<script>alert" not in body and "<img src=x" not in body and "&lt;script&gt;alert(1)" in body
        assert b"<script>alert" not in server.live.event
    finally:
        server.http.server_close()


def test_a_port_in_use_is_an_error_not_a_traceback(tmp_path, cli):
    sketch = tmp_path / "design.excalidraw"
    shutil.copyfile(SAMPLE, sketch)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, _, err = cli("watch", str(sketch), "--no-open", "--port", str(taken.getsockname()[1]))
    assert code == 2 and "diagramcheck: error: cannot listen on 127.0.0.1:" in err
    code, _, err = cli("watch", str(tmp_path / "missing.excalidraw"), "--no-open")
    assert code == 2 and "does not exist" in err


def test_the_page_opens_only_in_a_browser_with_a_window_of_its_own(monkeypatch):
    """A console browser (lynx on a server without a display) would take over the terminal
    the watch runs in: the address printed is left to the user."""
    import webbrowser

    from diagramcheck.watch import open_in_browser

    opened = []

    class Recorder(webbrowser.BackgroundBrowser):
        def open(self, url, new=0, autoraise=True):
            opened.append((self.name, url))
            return True

    def console_open(self, url, new=0, autoraise=True):
        opened.append((self.name, url))
        return True

    monkeypatch.setattr(webbrowser.GenericBrowser, "open", console_open)  # as webbrowser.get() gives lynx
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.GenericBrowser("lynx"))
    assert open_in_browser("http://127.0.0.1:1/") is False and opened == []
    monkeypatch.setattr(webbrowser, "get", lambda using=None: Recorder("firefox"))
    assert open_in_browser("http://127.0.0.1:1/") is True and opened == [("firefox", "http://127.0.0.1:1/")]

    def none(using=None):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    assert open_in_browser("http://127.0.0.1:1/") is False


# --- in headless Chromium ---------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_the_page_follows_each_save_in_chromium(tmp_path):
    from tests.cdp import Browser

    sketch = tmp_path / "design.excalidraw"
    shutil.copyfile(SAMPLE, sketch)
    running = diagramcheck("watch", str(sketch), "--no-open", cwd=tmp_path)
    browser = None
    try:
        url = url_of(running)
        browser = Browser(tmp_path / "profile")
        browser.open(url)
        assert browser.evaluate("document.body.dataset.seq") == "1"
        assert browser.wait_for("document.querySelector('#connection.on') !== null")
        labels = "Array.from(document.querySelectorAll('svg.sketch tspan')).map(t => t.textContent).join('|')"
        before = browser.evaluate(labels)
        latencies = []

        def saved(expected_seq: int, check: str):
            start = time.monotonic()
            browser.wait_for(f"document.body.dataset.seq === '{expected_seq}' && ({check})")
            latencies.append(time.monotonic() - start)

        # 1. a box
        d = Drawing(sketch)
        monitoring = d.builder.box("Drift detector", 1400, 900)
        d.save()
        saved(2, "document.querySelector('svg.sketch').textContent.includes('Drift detector')")
        assert "Drift detector" not in before
        # 2. an arrow to it, from the first box of the drawing
        source = next(e for e in d.scene["elements"] if e["type"] == "rectangle" and e is not monitoring)
        d.arrow(source, monitoring)
        d.save()
        saved(3, "document.querySelectorAll('svg.sketch path').length > 0")
        arrows = len(json.loads(sketch.read_text())["elements"])
        assert browser.evaluate("document.getElementById('parse-error')") is None
        # 3. the JSON broken mid-edit: the error shows, the last review stays beneath it
        sketch.write_text(sketch.read_text()[:-200], encoding="utf-8")
        saved(4, "document.getElementById('parse-error') !== null")
        assert "design.excalidraw" in browser.evaluate("document.getElementById('parse-error').textContent")
        assert browser.evaluate("document.querySelector('.stale svg.sketch') !== null")
        assert browser.evaluate("document.title").startswith("✗ ")
        # ... and mended: the page recovers
        d.save()
        saved(5, "document.getElementById('parse-error') === null && document.querySelector('.stale') === null")
        assert browser.evaluate(labels).count("Drift detector") == 1
        assert browser.evaluate("document.querySelectorAll('.stage').length") == 12
        assert browser.evaluate("document.getElementById('next-question').textContent").startswith("The interviewer asks next")
        assert arrows == len(d.scene["elements"])
        assert browser.console_problems() == []
        browser.screenshot(tmp_path / "live.png")
        print(f"save -> page: {', '.join(f'{s:.2f} s' for s in latencies)}")
    finally:
        if browser is not None:
            browser.close()
        code, _, err = stop(running)
    assert code == 0, err
