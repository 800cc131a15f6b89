"""A rough picture of a draw.io page, to look at what `fix` wrote (draw.io's own export is
not installed here): every shown vertex as its box (a swimlane with its title band), its
label as plain text, every edge as a straight line between its ends' centres, the cells
diagramcheck added in dashed red. Boxes are where the reader computes them, from the
geometry as the app stores it (a child's relative to its parent).

    python -m benchmarks.drawio_picture IN.drawio OUT.svg [--png OUT.png]

With --png, headless Chromium takes a screenshot of the SVG at its own size.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from diagramcheck.geometry import union
from diagramcheck.readers.drawio import label_text, vertex_boxes
from diagramcheck.readers.drawio_file import choose_page, page_model, read_document

ADDED = "#e03131"


def picture(data: bytes, name: str) -> str:
    document = read_document(data)
    chosen, _ = choose_page(document, name, None)
    cells, boxes = vertex_boxes(page_model(chosen))
    if not boxes:
        return "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='40'/>"
    x0, y0, w, h = union(list(boxes.values()))
    pad = 40
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{w + 2 * pad:.0f}' height='{h + 2 * pad:.0f}' "
           f"viewBox='{x0 - pad:.0f} {y0 - pad:.0f} {w + 2 * pad:.0f} {h + 2 * pad:.0f}' font-family='Helvetica, Arial, sans-serif'>",
           f"<rect x='{x0 - pad}' y='{y0 - pad}' width='{w + 2 * pad}' height='{h + 2 * pad}' fill='white'/>"]
    by_id = {c.id: c for c in cells}
    for cell in cells:
        if cell.id not in boxes:
            continue
        x, y, bw, bh = boxes[cell.id]
        added = cell.style.get("strokeColor") == ADDED
        stroke = ADDED if added else cell.style.get("strokeColor", "#333")
        stroke = "#333" if stroke in ("default", "") else stroke
        fill = cell.style.get("fillColor", "none" if added else "#fff")
        fill = "#fff" if fill == "default" else fill
        dash = " stroke-dasharray='6 4'" if cell.style.get("dashed") == "1" else ""
        text_only = "text" in cell.names or (stroke == "none" and fill == "none")
        if not text_only:
            out.append(f"<rect x='{x}' y='{y}' width='{bw}' height='{bh}' fill='{escape(fill)}' stroke='{escape(stroke)}'{dash}/>")
        swimlane = "swimlane" in cell.names or cell.style.get("shape") == "swimlane"
        label = label_text(cell.label, False)
        lines = label.split("\n")[:6]
        colour = ADDED if added or cell.style.get("fontColor") == ADDED else "#222"
        if swimlane:
            band = float(cell.style.get("startSize", 23))
            if cell.style.get("horizontal") == "0":
                out.append(f"<line x1='{x + band}' y1='{y}' x2='{x + band}' y2='{y + bh}' stroke='{escape(stroke)}'/>")
                cx, cy = x + band / 2, y + bh / 2
                out.append(f"<text transform='translate({cx},{cy}) rotate(-90)' text-anchor='middle' font-size='12' "
                           f"font-weight='bold' fill='{colour}'>{escape(' '.join(lines))}</text>")
            else:
                out.append(f"<line x1='{x}' y1='{y + band}' x2='{x + bw}' y2='{y + band}' stroke='{escape(stroke)}'/>")
                out.append(f"<text x='{x + bw / 2}' y='{y + band / 2 + 4}' text-anchor='middle' font-size='12' "
                           f"font-weight='bold' fill='{colour}'>{escape(' '.join(lines))}</text>")
            continue
        for i, line in enumerate(lines):
            ty = y + bh / 2 + (i - (len(lines) - 1) / 2) * 14 + 4
            anchor, tx = ("start", x + 6) if cell.style.get("align") == "left" else ("middle", x + bw / 2)
            out.append(f"<text x='{tx}' y='{ty}' text-anchor='{anchor}' font-size='11' fill='{colour}'>{escape(line[:60])}</text>")
    for cell in cells:
        if not cell.edge or cell.source not in boxes or cell.target not in boxes:
            continue
        (sx, sy, sw, sh), (tx, ty, tw, th) = boxes[cell.source], boxes[cell.target]
        added = cell.style.get("strokeColor") == ADDED
        colour = ADDED if added else "#555"
        dash = " stroke-dasharray='6 4'" if added or cell.style.get("dashed") == "1" else ""
        out.append(f"<line x1='{sx + sw / 2}' y1='{sy + sh / 2}' x2='{tx + tw / 2}' y2='{ty + th / 2}' stroke='{colour}' "
                   f"stroke-width='1.2' opacity='0.6'{dash}/>")
    del by_id
    out.append("</svg>")
    return "\n".join(out)


def screenshot(svg: Path, png: Path, size: tuple[int, int]) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("no Chromium on PATH")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                        f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", svg.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("drawio", type=Path)
    parser.add_argument("svg", type=Path)
    parser.add_argument("--png", type=Path)
    args = parser.parse_args()
    svg = picture(args.drawio.read_bytes(), args.drawio.name)
    args.svg.write_text(svg, encoding="utf-8")
    if args.png:
        width = int(float(svg.split("width='", 1)[1].split("'", 1)[0]))
        height = int(float(svg.split("height='", 1)[1].split("'", 1)[0]))
        screenshot(args.svg, args.png, (min(width, 4000), min(height, 4000)))


if __name__ == "__main__":
    main()
