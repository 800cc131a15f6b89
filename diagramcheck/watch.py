"""`diagramcheck watch FILE`: a page on 127.0.0.1 that shows the sketch as it is drawn and
its review, again on every save.

watchfiles (the Rust `notify` watcher: inotify, FSEvents, ReadDirectoryChangesW) watches the
file's folder, so an editor that saves by writing a new file and renaming it over the old
one is seen too; that folder only, not the tree under it (a sketch at a repository's root
would otherwise put a watch on every folder of the repository). Each save is reviewed by the runner (runner.review_files, as `review` is)
and the new page body is pushed to every open page as a server-sent event. The server is
the standard library's ThreadingHTTPServer bound to 127.0.0.1 only; it serves its page,
its event stream and the watched file's review as JSON, refuses a request whose Host is
not this server's (a DNS-rebinding page), answers 404 to every other path, and makes no
network access of its own.
"""

from __future__ import annotations

import secrets
import signal
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from diagramcheck.errors import DiagramError

LOCAL = "127.0.0.1"
HEARTBEAT = 10.0  # seconds between keep-alive comments on an idle event stream
STEP_MS = 50  # how long the watcher waits for a save to settle before reviewing it


class Live:
    """The watched file's latest review, as the page's update and as JSON, and the
    condition every open event stream waits on."""

    def __init__(self, sketch: Path, fixes: bool = True) -> None:
        self.sketch = sketch
        self.fixes = fixes
        self.cond = threading.Condition()
        self.seq = 0
        self.update: dict = {}
        self.event = b""
        self.review_json = b"{}"
        self.last_body = ""  # the last good review's sections, kept while the file does not read
        self.last_score: int | None = None
        self.stopping = False
        self.session = None  # (root, practice.Session) while the sketch is a practice sketch
        self.reviewed: tuple | None = None  # the file's (inode, size, mtime) when last reviewed

    def signature(self) -> tuple | None:
        try:
            found = self.sketch.stat()
        except OSError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)

    def refresh(self) -> dict:
        """Reviews the file now and publishes the result."""
        self.reviewed = self.signature()
        from diagramcheck import practice
        from diagramcheck.reporters import json_report, live
        from diagramcheck.runner import RunError, review_files

        try:
            self.session = practice.session_of(self.sketch)
        except DiagramError:
            self.session = None
        session = self.session[1] if self.session else None
        error, problems = None, []
        try:
            result = review_files(practice.review_options(self.sketch, session))
        except (RunError, DiagramError) as exc:
            result, error = None, str(exc)
        if result is not None:
            if result.errors:
                error = "\n".join(f"{path}: {reason}" for path, reason in result.errors)
            elif not result.reviews and not self.sketch.exists():
                error = f"{self.sketch}: the file is gone (renamed or deleted)"
            problems = result.skipped
            self.review_json = json_report.render_bytes(result.reviews, result.errors)
        if result is not None and result.reviews:
            self.last_body = live.sections(result.reviews, result.catalog, self._practice(), self.fixes)
            self.last_score = result.reviews[0].score
            return self.publish(None, problems)
        if error is None:
            self.last_body, self.last_score = "", None  # read, and holds no sketch (yet)
        return self.publish(error, problems)

    def publish(self, error: str | None, problems=()) -> dict:
        """Pushes the last good review (under `error`, if the file does not read now)."""
        from diagramcheck.reporters import live

        update = live.update(self.seq + 1, self.sketch.name, self.last_body, error, self._practice(),
                             self.last_score, list(problems))
        with self.cond:
            self.seq += 1
            self.update = update
            self.event = b"id: %d\nevent: update\ndata: %s\n\n" % (self.seq, live.dumps(update))
            self.cond.notify_all()
        return update

    def _practice(self):
        session = self.session[1] if self.session else None
        if session is None:
            return None
        from diagramcheck.config import find_config, load_config
        from diagramcheck.errors import PatternError
        from diagramcheck.problem_bank import bank_for
        from diagramcheck.reporters.live import Practice

        try:
            bank = bank_for(load_config(find_config(self.sketch)).pattern_dirs())
            problem = bank.get(session.problem)
        except PatternError:
            return None
        return Practice(problem, session.level, session.minutes, session.started)

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()


def handler_for(live: Live) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "diagramcheck-watch"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            if not self._local_host():
                self._plain(403, "refused: this page answers only to its own address (127.0.0.1 or localhost)")
                return
            words = self.requestline.split(" ")  # as sent: http.server folds a leading '//' into '/'
            path = words[1].partition("?")[0] if len(words) == 3 else None
            if path == "/":
                self._page()
            elif path == "/events":
                self._events()
            elif path == "/review.json":
                self._send(200, "application/json", live.review_json)
            else:
                self._plain(404, "not found")

        def _local_host(self) -> bool:
            port = self.server.server_address[1]
            host = (self.headers.get("Host") or "").strip().lower()
            return host in (f"{LOCAL}:{port}", f"localhost:{port}")

        def _page(self) -> None:
            from diagramcheck.reporters.live import page

            nonce = secrets.token_urlsafe(16)
            with live.cond:
                current = live.update
            csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src data:; "
                   "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            self._send(200, "text/html; charset=utf-8", page(current, nonce).encode("utf-8"), csp)

        def _events(self) -> None:
            self.send_response(200)
            self._common("text/event-stream; charset=utf-8")
            self.end_headers()
            seen = 0
            try:
                self.wfile.write(b"retry: 1000\n\n")
                while True:
                    with live.cond:
                        live.cond.wait_for(lambda: live.seq != seen or live.stopping, timeout=HEARTBEAT)
                        if live.stopping:
                            return
                        event, seq = (live.event, live.seq) if live.seq != seen else (b": still here\n\n", seen)
                    self.wfile.write(event)
                    self.wfile.flush()
                    seen = seq
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                return

        def _plain(self, status: int, text: str) -> None:
            self._send(status, "text/plain; charset=utf-8", (text + "\n").encode("utf-8"))

        def _send(self, status: int, content_type: str, body: bytes, csp: str = "default-src 'none'") -> None:
            self.send_response(status)
            self._common(content_type, csp)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _common(self, content_type: str, csp: str = "default-src 'none'") -> None:
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Content-Security-Policy", csp)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 (the standard library's name)
            pass  # the terminal is the user's: no line per request

    return Handler


class Server:
    """The page's server and the file's watcher, started together, stopped together."""

    def __init__(self, sketch: Path, port: int = 0, fixes: bool = True) -> None:
        self.live = Live(sketch, fixes)
        self.live.refresh()
        try:
            self.http = ThreadingHTTPServer((LOCAL, port), handler_for(self.live))
        except OSError as exc:
            raise DiagramError(f"cannot listen on {LOCAL}:{port} ({exc.strerror or exc})") from None
        self.http.daemon_threads = True
        self.url = f"http://{LOCAL}:{self.http.server_address[1]}/"
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self.http.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True),
                         threading.Thread(target=self._watch, daemon=True)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def _watch(self) -> None:
        from watchfiles import watch

        target = self.live.sketch.resolve()
        for changes in watch(target.parent, watch_filter=lambda _change, path: Path(path) == target,
                             stop_event=self._stop, step=STEP_MS, rust_timeout=1000, yield_on_timeout=True,
                             raise_interrupt=False, recursive=False):
            if self._stop.is_set():
                break
            # an empty set is a quiet second: review only if the file changed unseen (a save
            # made while the watcher was starting)
            if changes or self.live.signature() != self.live.reviewed:
                try:
                    self.live.refresh()
                except Exception as exc:  # noqa: BLE001 (a bug in one review must not end the page)
                    self.live.publish(f"diagramcheck could not review this save: {exc!r}")

    def close(self) -> None:
        self._stop.set()
        self.live.stop()
        if self._threads[0].ident is not None:  # shutdown() waits for a serve_forever that was started
            self.http.shutdown()
        self.http.server_close()
        for thread in self._threads:
            if thread.ident is not None:
                thread.join(timeout=2)


def serve(sketch: Path, port: int = 0, open_browser: bool = True, announce: Callable[[str], None] = print) -> Live:
    """Serves until Ctrl-C (or SIGTERM); returns the live state (its session, last review)."""
    server = Server(sketch, port, fixes=True)
    previous = _stop_on_sigterm()
    try:  # from here on, Ctrl-C ends the watch cleanly, however early it comes
        server.start()
        announce(server.url)
        if open_browser:
            open_in_browser(server.url)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return server.live


def open_in_browser(url: str) -> bool:
    """Opens the page in the user's browser, if it opens in a window of its own: a console
    browser (lynx, w3m on a machine without a display) would take over the terminal the
    watch runs in, so the printed address is left to the user there."""
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if type(browser) is webbrowser.GenericBrowser:  # runs in the foreground, in this terminal
        return False
    return browser.open(url)


def _stop_on_sigterm():
    """SIGTERM ends the watch as Ctrl-C does (the attempt is recorded, the port freed)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
