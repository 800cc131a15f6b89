"""How long a save takes to reach the live page of `diagramcheck watch`, as a user sees it:
from the file replaced on disk to the new review in headless Chromium's DOM.

Run: python benchmarks/live.py [--saves 20] [--sketch PATH]
Each save adds one box (and, every other save, an arrow to it) to a copy of the sketch
(default: sample_diagrams/recommendation.excalidraw); the page is polled every 10 ms.
Prints the median, 90th percentile and maximum latency, and the watcher's settle time
(watch.STEP_MS) that is part of it; then, in-process, how much of a save is the review and
how much the page body (with the fixes routed into the drawing, as `watch` of any sketch
shows it, and without, as a practice sketch is shown).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.watch import STEP_MS  # noqa: E402
from tests.cdp import CHROMIUM, Browser  # noqa: E402
from tests.drawing import Drawing  # noqa: E402
from tests.test_practice import diagramcheck, stop, url_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--sketch", type=Path, default=ROOT / "sample_diagrams" / "recommendation.excalidraw")
    args = parser.parse_args()
    if CHROMIUM is None:
        sys.exit("needs Chromium")
    with tempfile.TemporaryDirectory(prefix="dc-live-") as tmp:
        sketch = Path(tmp) / args.sketch.name
        shutil.copyfile(args.sketch, sketch)
        running = diagramcheck("watch", str(sketch), "--no-open", cwd=Path(tmp))
        browser = None
        latencies = []
        try:
            url = url_of(running)
            browser = Browser(Path(tmp) / "profile")
            browser.open(url)
            drawing = Drawing(sketch)
            anchor = next(e for e in drawing.scene["elements"] if e["type"] == "rectangle")
            for n in range(args.saves):
                seq = int(browser.evaluate("document.body.dataset.seq"))
                box = drawing.builder.box(f"Box {n}", 2000 + 220 * (n % 5), 200 + 130 * (n // 5))
                if n % 2:
                    drawing.arrow(anchor, box)
                drawing.save()
                start = time.monotonic()
                while int(browser.evaluate("document.body.dataset.seq")) <= seq:
                    if time.monotonic() - start > 30:
                        sys.exit(f"save {n + 1} never reached the page (30 s)")
                    time.sleep(0.01)
                latencies.append(time.monotonic() - start)
                time.sleep(0.3)  # saves a person makes, not a burst the watcher would fold into one
        finally:
            if browser is not None:
                browser.close()
            stop(running)
    review_ms, page_ms = breakdown(args.sketch)
    latencies.sort()
    p90 = latencies[min(len(latencies) - 1, int(0.9 * len(latencies)))]
    print(f"{len(latencies)} saves of {args.sketch.name}: save -> page median {statistics.median(latencies) * 1000:.0f} ms, "
          f"p90 {p90 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms (watcher settle time {STEP_MS} ms included)")
    print(f"  in-process, median of 6 changed saves: review {review_ms[0]:.0f} ms; page body with the fixes drawn "
          f"(watch of any sketch) {page_ms[0]:.0f} ms, without them (a practice sketch) {page_ms[1]:.0f} ms")


def breakdown(source: Path) -> tuple[list[float], list[float]]:
    """Where a save's time goes: the review (runner), then the page body (the drawing, with
    or without the fixes routed in, and the findings)."""
    import json

    from diagramcheck import practice
    from diagramcheck.reporters import live
    from diagramcheck.runner import review_files

    review_ms, page_ms = [], []
    with tempfile.TemporaryDirectory(prefix="dc-live-") as tmp:
        sketch = Path(tmp) / source.name
        shutil.copyfile(source, sketch)
        drawing = Drawing(sketch)
        for fixes in (True, False):
            reviews, pages = [], []
            for n in range(6):
                drawing.builder.box(f"Box {n} {fixes}", 2000 + 220 * n, 200)  # a change: nothing cached
                drawing.save()
                start = time.perf_counter()
                result = review_files(practice.review_options(sketch, None))
                reviewed = time.perf_counter()
                live.sections(result.reviews, result.catalog, None, fixes)
                reviews.append(reviewed - start)
                pages.append(time.perf_counter() - reviewed)
            review_ms.append(statistics.median(reviews) * 1000)
            page_ms.append(statistics.median(pages) * 1000)
    return review_ms, page_ms


if __name__ == "__main__":
    main()
