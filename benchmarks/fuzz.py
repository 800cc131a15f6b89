"""A longer fuzzing run than the test suite's: mutated real files for every reader.

Run: python benchmarks/fuzz.py [--cases N] [--seconds S]
Prints, per reader: cases run, how many parsed, the distinct error reasons, any
exception that is not the project's own (a bug), and the slowest case.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.build import build_graph  # noqa: E402
from diagramcheck.errors import DiagramError  # noqa: E402
from diagramcheck.readers import STREAM_ABOVE, parts_of, read_bytes  # noqa: E402
from diagramcheck.readers.stream import BATCH  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
READERS = {"excalidraw": (".excalidraw",), "streamed": (".excalidraw",), "svg": (".excalidraw.svg",),
           "png": (".excalidraw.png",), "obsidian": (".excalidraw.md",), "dot": (".dot", ".gv"),
           "drawio": (".drawio",), "drawio-png": (".drawio.png", "diagram.png", "architecture.png"),
           "drawio-svg": (".drawio.svg", "ml_system.svg"), "mermaid": (".md", ".mdx", ".mmd")}
# pieces of Mermaid syntax spliced into real blocks: brackets, quotes, arrows, keywords
MERMAID_TOKENS = ["[", "]", "(", ")", "{", "}", "((", "))", "[(", ")]", "[/", "/]", '"', "`", "|", "-->", "---", "-.->",
                  "==>", "<-->", "--o", "--x", "~~~", "--", "-.", "==", " & ", ":::", "@{", "}", "subgraph ", "end",
                  "\n", "%%", "%%{", "}%%", ";", "\n---\n", "```", "<br/>", "&amp;", "#quot;", "style ", "click ",
                  "classDef ", "direction LR", "A", "B1", "Модель", "🚀", " ", "\t", "\r\n"]
WEIRD = [None, True, -1, 0, 1e308, float("nan"), "", "x" * 1000, [], {}, [[0, 0]], {"elementId": "nope"}]


def seeds() -> dict[str, list[Path]]:
    files = [p for p in (ROOT / "sample_diagrams").iterdir() if p.is_file()]
    if CORPUS.is_dir():
        files += [p for p in CORPUS.glob("*/*") if p.is_file() and p.name != "MANIFEST.tsv"]
    out: dict[str, list[Path]] = {}
    for reader, suffixes in READERS.items():
        plain = reader in ("excalidraw", "streamed")
        chosen = [p for p in files if p.name.endswith(suffixes) and not (plain and p.name.endswith((".md", ".svg", ".png")))]
        if reader.startswith("drawio"):  # draw.io files are found by content too: keep those that are
            chosen = [p for p in chosen if b"mxfile" in p.read_bytes() or b"mxGraphModel" in p.read_bytes()]
        if reader == "mermaid":
            chosen = [p for p in chosen if not p.name.endswith(".excalidraw.md")]
        out[reader] = chosen
    return out


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(5)
    if choice == 0 and data:
        return data[: rng.randrange(len(data))]  # truncated
    if choice == 1 and data:
        raw = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    if choice == 2:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 2000)))
    if choice == 3 and data:
        cut = rng.randrange(len(data))
        return data[:cut] + data[cut : cut + rng.randint(1, 400)] * rng.randint(1, 50) + data[cut:]
    return data


def mutate_mermaid(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    for _ in range(rng.randint(1, 12)):
        cut = rng.randrange(len(text) + 1)
        if rng.random() < 0.3 and text:
            text = text[:cut] + text[cut + rng.randint(1, 20):]  # a piece cut out
        else:
            text = text[:cut] + rng.choice(MERMAID_TOKENS) * rng.choice([1, 1, 2, 50]) + text[cut:]
    return text.encode()


def mutate_scene(data: bytes, rng: random.Random) -> bytes:
    try:
        scene = json.loads(data)
    except ValueError:
        return mutate_bytes(data, rng)
    elements = scene.get("elements") if isinstance(scene, dict) else None
    if not elements:
        return mutate_bytes(data, rng)
    for _ in range(rng.randint(1, 10)):
        element = rng.choice(elements)
        if not isinstance(element, dict) or not element:
            continue
        action = rng.randrange(4)
        if action == 0:
            element[rng.choice(list(element))] = rng.choice(WEIRD)
        elif action == 1:
            element.pop(rng.choice(list(element)), None)
        elif action == 2:
            elements.append(dict(element))  # duplicate id
        else:
            element["containerId"] = element.get("id")  # cyclic container
            element["text"] = rng.choice(["مرحبا بالعالم", "שלום", "你好，世界", "🚀🤖", "Привет", "नमस्ते", "こんにちは", "안녕하세요", "Γειά σου", "ไทย"])
    return json.dumps(scene, allow_nan=True).encode()


_DRAWIO_WEIRD = ['parent="{}"', 'source="nope"', 'x="NaN"', 'width="-1e308"', 'style="shape=mxgraph.arrows2.arrow"',
                 'relative="1"', 'value="&lt;b&gt;&amp;amp;&lt;br&gt;"', 'edge="1"', 'vertex="0"', 'as="points"']


def mutate_drawio(data: bytes, rng: random.Random) -> bytes:
    """Cell-level damage: the document decoded (whatever the container), attributes swapped
    for odd ones, parents pointed at other cells, then written back as a plain .drawio."""
    from xml.etree.ElementTree import tostring

    from diagramcheck.readers.drawio_file import page_model, read_document

    try:
        document = read_document(data)
        page = document.pages[0]
        model = page_model(page)
    except DiagramError:
        return mutate_bytes(data, rng)
    cells = [el for el in model.iter() if el.tag in ("mxCell", "mxGeometry", "mxPoint", "UserObject", "object")]
    ids = [el.get("id") for el in cells if el.get("id")] or ["0"]
    for _ in range(rng.randint(1, 12)):
        if not cells:
            break
        element = rng.choice(cells)
        key, _, value = rng.choice(_DRAWIO_WEIRD).partition("=")
        value = value.strip('"').format(rng.choice(ids)).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        element.set(key, value)
    if page.element is not model and model not in list(page.element):
        page.element.text = None
        page.element.append(model)
    return tostring(document.root)


def run(cases: int, seconds: float) -> None:
    import diagramcheck.readers as readers
    import diagramcheck.readers.stream as stream

    rng = random.Random(2026)
    for reader, files in seeds().items():
        # "streamed": the big-file reader on every size, cut into batches of a few elements
        readers.STREAM_ABOVE, stream.BATCH = (0, 512) if reader == "streamed" else (STREAM_ABOVE, BATCH)
        if not files:
            print(f"{reader:<11} no seed files")
            continue
        reasons: Counter = Counter()
        bugs: Counter = Counter()
        parsed = 0
        slowest = 0.0
        start = time.perf_counter()
        done = 0
        while done < cases and time.perf_counter() - start < seconds:
            seed = rng.choice(files)
            data = seed.read_bytes()
            if reader == "mermaid":
                data = mutate_mermaid(data, rng) if rng.random() < 0.8 else mutate_bytes(data, rng)
            elif reader in ("excalidraw", "streamed") and rng.random() < 0.6:
                data = mutate_scene(data, rng)
            elif reader.startswith("drawio") and rng.random() < 0.6:
                data = mutate_drawio(data, rng)
            else:
                data = mutate_bytes(data, rng)
            t = time.perf_counter()
            try:
                if reader == "mermaid":  # every block: a Markdown file holds several sketches
                    for part in parts_of(data, seed.name):
                        if part.sketch is not None:
                            build_graph(part.sketch)
                        elif part.error:
                            reasons[re.sub(r"\d[\d,]*", "N", part.error)[:70]] += 1
                else:
                    build_graph(read_bytes(data, seed.name if not reader.startswith("drawio") or data.startswith((b"\x89PNG", b"<svg", b"<?xml")) else "fuzzed.drawio"))
                parsed += 1
            except DiagramError as exc:
                reasons[re.sub(r"\d[\d,]*", "N", str(exc))[:70]] += 1
            except Exception as exc:  # noqa: BLE001 - counting bugs is the point
                bugs[f"{type(exc).__name__}: {exc}"[:100]] += 1
                if sum(bugs.values()) == 1:
                    traceback.print_exc()
            slowest = max(slowest, time.perf_counter() - t)
            done += 1
        print(f"{reader:<11} cases {done:>6}  parsed {parsed:>6}  error reasons {len(reasons):>3}  "
              f"other exceptions {sum(bugs.values()):>3}  slowest {slowest * 1000:.0f} ms")
        for reason, n in reasons.most_common(6):
            print(f"    {n:>5}  {reason}")
        for bug, n in bugs.most_common():
            print(f"    BUG {n:>3}  {bug}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    run(args.cases, args.seconds)
