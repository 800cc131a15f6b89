"""Structural checks for the sketches of review_heldout7 (stdlib only, plus `dot` for .dot/.gv).

- .excalidraw: JSON scene shape (EXCALIDRAW.md 1.6), two-way bindings, frame membership,
  no accidental overlap between shapes, between free texts and shapes (except the ones
  listed in DELIBERATE), bound text fits its container.
- .drawio: well-formed mxfile, parents/sources/targets exist, no overlap between sibling
  vertices, children inside their container.
- .dot/.gv: `dot -Tsvg` succeeds.
- .mmd/.md: a mermaid flowchart block exists, brackets balance, every edge line parses.
Optional: --preview DIR writes a crude SVG/PNG preview of each excalidraw/drawio file.
"""
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SK = os.path.join(HERE, "..", "sketches")
# free text deliberately laid over a shape (careless drawing)
DELIBERATE = {("crop_disease_careless.excalidraw", "Vertex AI\nModel Registry")}
SHAPES = {"rectangle", "ellipse", "diamond"}
KNOWN = SHAPES | {"text", "arrow", "line", "frame", "freedraw", "image", "magicframe", "embeddable", "iframe"}


def inter(a, b, pad=0):
    return not (a[0] + a[2] + pad <= b[0] or b[0] + b[2] + pad <= a[0] or
                a[1] + a[3] + pad <= b[1] or b[1] + b[3] + pad <= a[1])


def inside(a, b):
    return a[0] >= b[0] and a[1] >= b[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]


def bbox(e):
    return (e["x"], e["y"], e["width"], e["height"])


def check_excalidraw(path, errs):
    name = os.path.basename(path)
    d = json.load(open(path))
    if d.get("type") != "excalidraw":
        errs.append(f"{name}: type")
    els = [e for e in d["elements"] if not e.get("isDeleted")]
    ids = {e["id"]: e for e in els}
    if len(ids) != len(els):
        errs.append(f"{name}: duplicate ids")
    for e in els:
        if e["type"] not in KNOWN:
            errs.append(f"{name}: unknown type {e['type']}")
        if e["type"] in SHAPES | {"frame"} and not (e["width"] > 0 and e["height"] > 0):
            errs.append(f"{name}: zero-size {e['id']}")
        if e["type"] in ("arrow", "line") and len(e.get("points") or []) < 2:
            errs.append(f"{name}: arrow without points {e['id']}")
        if e["type"] == "text":
            for k in ("text", "fontSize", "fontFamily", "width", "height"):
                if not e.get(k):
                    errs.append(f"{name}: text missing {k} {e['id']}")
            c = e.get("containerId")
            if c:
                if c not in ids or {"id": e["id"], "type": "text"} not in (ids[c].get("boundElements") or []):
                    errs.append(f"{name}: one-sided text binding {e['id']}")
                elif ids[c]["type"] == "rectangle" and not inside(bbox(e), bbox(ids[c])):
                    errs.append(f"{name}: label overflows {e['text']!r}")
        if e["type"] == "arrow":
            for k in ("startBinding", "endBinding"):
                b = e.get(k)
                if b:
                    t = ids.get(b["elementId"])
                    if not t or {"id": e["id"], "type": "arrow"} not in (t.get("boundElements") or []):
                        errs.append(f"{name}: one-sided arrow binding {e['id']}")
        for be in e.get("boundElements") or []:
            if be["id"] not in ids:
                errs.append(f"{name}: stale boundElements {be['id']}")
        if e.get("frameId"):
            f = ids.get(e["frameId"])
            if not f or f["type"] != "frame" or not inside(bbox(e), bbox(f)):
                errs.append(f"{name}: element outside its frame {e['id']}")
    shapes = [e for e in els if e["type"] in SHAPES]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            if inter(bbox(a), bbox(b), pad=8):
                errs.append(f"{name}: shapes overlap {a['id']} {b['id']}")
    frames = [e for e in els if e["type"] == "frame"]
    for i, a in enumerate(frames):
        for b in frames[i + 1:]:
            if inter(bbox(a), bbox(b)):
                errs.append(f"{name}: frames overlap")
    free = [e for e in els if e["type"] == "text" and not e.get("containerId")]
    for t in free:
        for s in shapes + frames:
            if inter(bbox(t), bbox(s)) and (name, t["text"]) not in DELIBERATE:
                if s["type"] == "frame" and t.get("frameId") == s["id"]:
                    continue
                errs.append(f"{name}: free text over shape {t['text'][:30]!r}")
        for u in free:
            if u is not t and inter(bbox(t), bbox(u)):
                errs.append(f"{name}: free texts overlap {t['text'][:20]!r}")
    return d


def drawio_abs(cells, cid):
    x = y = 0.0
    c = cells[cid]
    while c is not None and c.get("geo") is not None:
        x += c["geo"][0]
        y += c["geo"][1]
        c = cells.get(c["parent"])
    g = cells[cid]["geo"]
    return (x, y, g[2], g[3])


def check_drawio(path, errs):
    name = os.path.basename(path)
    root = ET.parse(path).getroot()
    if root.tag != "mxfile":
        errs.append(f"{name}: root is not mxfile")
    cells = {}
    for c in root.iter("mxCell"):
        g = c.find("mxGeometry")
        geo = None
        if c.get("vertex") == "1" and g is not None and g.get("relative") != "1":
            geo = tuple(float(g.get(k, 0)) for k in ("x", "y", "width", "height"))
        cells[c.get("id")] = {"el": c, "parent": c.get("parent"), "geo": geo}
    for cid, c in cells.items():
        e = c["el"]
        if c["parent"] and c["parent"] not in cells:
            errs.append(f"{name}: missing parent {cid}")
        if e.get("edge") == "1":
            for k in ("source", "target"):
                if e.get(k) and e.get(k) not in cells:
                    errs.append(f"{name}: edge {cid} {k} missing")
            if not (e.get("source") and e.get("target")):
                errs.append(f"{name}: loose edge {cid}")
    verts = [cid for cid, c in cells.items() if c["geo"] is not None and "edgeLabel" not in c["el"].get("style", "")]
    for v in verts:
        p = cells[v]["parent"]
        if p in cells and cells[p]["geo"] is not None:
            if not inside(drawio_abs(cells, v), drawio_abs(cells, p)):
                errs.append(f"{name}: {v} outside its container")
    for i, a in enumerate(verts):
        for b in verts[i + 1:]:
            if cells[a]["parent"] == cells[b]["parent"] and inter(drawio_abs(cells, a), drawio_abs(cells, b), pad=8):
                errs.append(f"{name}: vertices overlap {a} {b}")
    return cells


def check_dot(path, errs):
    r = subprocess.run(["dot", "-Tsvg", path], capture_output=True, text=True)
    if r.returncode != 0 or "<svg" not in r.stdout:
        errs.append(f"{os.path.basename(path)}: dot failed: {r.stderr[:300]}")
    elif r.stderr.strip():
        errs.append(f"{os.path.basename(path)}: dot warnings: {r.stderr[:300]}")


NODE = r'[A-Za-z_][\w-]*(?:\s*(?:\[\[.*?\]\]|\[\(.*?\)\]|\(\(.*?\)\)|\[/.*?/\]|\{\{.*?\}\}|\{.*?\}|\(\[.*?\]\)|\[.*?\]|\(.*?\)|>.*?\]))?'
EDGE = r'\s*(?:-->|---|-\.->|-\.-|==>|--\s*"[^"]*"\s*-->|-\.\s*"[^"]*"\s*\.->|==\s*"[^"]*"\s*==>)\s*(?:\|[^|]*\|)?\s*'


def check_mermaid(path, errs):
    name = os.path.basename(path)
    txt = open(path).read()
    if path.endswith(".md"):
        blocks = re.findall(r"```mermaid\n(.*?)```", txt, re.S)
        if len(blocks) != 1:
            errs.append(f"{name}: expected one mermaid block")
            return
        txt = blocks[0]
    lines = [l.strip() for l in txt.splitlines() if l.strip() and not l.strip().startswith("%%")]
    if not re.match(r"^(flowchart|graph)\s+(TD|TB|LR|RL|BT)$", lines[0]):
        errs.append(f"{name}: first line {lines[0]!r}")
    depth = 0
    for l in lines[1:]:
        if l.startswith("subgraph"):
            depth += 1
            continue
        if l == "end":
            depth -= 1
            continue
        if re.match(r"^(classDef|class|style|linkStyle|direction)\b", l):
            continue
        bare = re.sub(r'"[^"]*"', '""', l)
        bare = re.sub(r'^([A-Za-z_][\w-]*)>""\]', r'\1[""]', bare)  # asymmetric (flag) shape
        for o, c in ("[]", "()", "{}"):
            if bare.count(o) != bare.count(c):
                errs.append(f"{name}: unbalanced {o}{c}: {l[:60]}")
        if l.count('"') % 2:
            errs.append(f"{name}: odd quotes: {l[:60]}")
        if not re.fullmatch(NODE + "(?:" + EDGE + NODE + ")*", l):
            errs.append(f"{name}: cannot parse line: {l[:80]}")
    if depth != 0:
        errs.append(f"{name}: subgraph/end unbalanced")


def preview_excalidraw(d, out):
    els = [e for e in d["elements"] if not e.get("isDeleted")]
    xs = [e["x"] for e in els] + [e["x"] + e["width"] for e in els]
    ys = [e["y"] for e in els] + [e["y"] + e["height"] for e in els]
    x0, y0 = min(xs) - 20, min(ys) - 20
    W, H = max(xs) - x0 + 40, max(ys) - y0 + 40
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="{x0} {y0} {W} {H}">',
         f'<rect x="{x0}" y="{y0}" width="{W}" height="{H}" fill="white"/>']
    for e in els:
        t = e["type"]
        if t in ("rectangle", "frame"):
            o.append(f'<rect x="{e["x"]}" y="{e["y"]}" width="{e["width"]}" height="{e["height"]}" fill="none" '
                     f'stroke="{"#aaa" if t == "frame" else "#222"}"/>')
            if t == "frame":
                o.append(f'<text x="{e["x"]}" y="{e["y"] - 4}" font-size="13" fill="#888">{e["name"].replace("&", "&amp;")}</text>')
        elif t == "ellipse":
            o.append(f'<ellipse cx="{e["x"] + e["width"] / 2}" cy="{e["y"] + e["height"] / 2}" rx="{e["width"] / 2}" '
                     f'ry="{e["height"] / 2}" fill="none" stroke="#222"/>')
        elif t == "diamond":
            cx, cy, w, h = e["x"] + e["width"] / 2, e["y"] + e["height"] / 2, e["width"] / 2, e["height"] / 2
            o.append(f'<polygon points="{cx},{cy - h} {cx + w},{cy} {cx},{cy + h} {cx - w},{cy}" fill="none" stroke="#222"/>')
        elif t == "arrow":
            pts = " ".join(f'{e["x"] + p[0]},{e["y"] + p[1]}' for p in e["points"])
            col = "#06c" if e.get("startBinding") else "#c00"
            o.append(f'<polyline points="{pts}" fill="none" stroke="{col}" stroke-width="1.5"/>')
            px, py = e["points"][-1]
            o.append(f'<circle cx="{e["x"] + px}" cy="{e["y"] + py}" r="3" fill="{col}"/>')
        elif t == "text":
            fs = e["fontSize"]
            for i, line in enumerate(e["text"].split("\n")):
                ax = e["x"] + (e["width"] / 2 if e["textAlign"] == "center" else 0)
                anchor = "middle" if e["textAlign"] == "center" else "start"
                line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                o.append(f'<text x="{ax}" y="{e["y"] + (i + 0.85) * fs * 1.25}" font-size="{fs}" '
                         f'font-family="sans-serif" text-anchor="{anchor}">{line}</text>')
    o.append("</svg>")
    open(out, "w").write("\n".join(o))


def main():
    prev = None
    if "--preview" in sys.argv:
        prev = sys.argv[sys.argv.index("--preview") + 1]
        os.makedirs(prev, exist_ok=True)
    errs = []
    files = sorted(glob.glob(os.path.join(SK, "*")))
    for p in files:
        if p.endswith(".excalidraw"):
            d = check_excalidraw(p, errs)
            if prev:
                svg = os.path.join(prev, os.path.basename(p) + ".svg")
                preview_excalidraw(d, svg)
        elif p.endswith(".drawio"):
            check_drawio(p, errs)
        elif p.endswith((".dot", ".gv")):
            check_dot(p, errs)
            if prev:
                subprocess.run(["dot", "-Tpng", p, "-o", os.path.join(prev, os.path.basename(p) + ".png")])
        elif p.endswith((".mmd", ".md")):
            check_mermaid(p, errs)
    for e in errs:
        print("ERROR", e)
    print(f"{len(files)} files checked, {len(errs)} problems")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
