"""Geometry checks for the Excalidraw and draw.io sketches (stdlib only).

- files parse (JSON / XML)
- no two boxes (rectangle/ellipse/diamond, or drawio vertices that are not
  containers/labels) overlap, and no box overlaps a free text note except the
  deliberate 'text over a shape' of the messy sketch
- every child sits inside its frame / swimlane
- every binding / containerId / boundElements reference resolves
Optional: --svg DIR writes crude SVG previews for eyeballing.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHAPES = {"rectangle", "ellipse", "diamond"}


def inter(a, b, pad=0):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw + pad and bx < ax + aw + pad and ay < by + bh + pad and by < ay + ah + pad


def inside(a, f):
    return a[0] >= f[0] and a[1] >= f[1] and a[0] + a[2] <= f[0] + f[2] and a[1] + a[3] <= f[1] + f[3]


def check_excalidraw(path, problems, svgdir=None):
    d = json.load(open(path, encoding="utf-8"))
    assert d["type"] == "excalidraw"
    els = [e for e in d["elements"] if not e.get("isDeleted")]
    byid = {e["id"]: e for e in els}
    assert len(byid) == len(els), "duplicate ids"
    rect = lambda e: (e["x"], e["y"], e["width"], e["height"])
    shapes = [e for e in els if e["type"] in SHAPES]
    frames = [e for e in els if e["type"] == "frame"]
    free = [e for e in els if e["type"] == "text" and not e.get("containerId")]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            if inter(rect(a), rect(b), pad=10):
                problems.append(f"{path}: shapes overlap/too close {a['id']} {b['id']}")
    for t in free:
        for sh in shapes:
            if inter(rect(t), rect(sh)) and not inside(rect(t), rect(sh)):
                problems.append(f"{path}: free text {t['text'][:25]!r} straddles a shape")
    for i, a in enumerate(frames):
        for b in frames[i + 1:]:
            if inter(rect(a), rect(b)):
                problems.append(f"{path}: frames overlap {a['name']} {b['name']}")
    for e in els:
        if e.get("frameId"):
            f = byid[e["frameId"]]
            if not inside(rect(e), rect(f)):
                problems.append(f"{path}: {e['type']} {e.get('text', e['id'])[:25]!r} outside frame {f['name']}")
        elif e["type"] in SHAPES:
            for f in frames:
                if inter(rect(e), rect(f)):
                    problems.append(f"{path}: unframed shape {e['id']} overlaps frame {f['name']}")
        if e["type"] == "text":
            assert e["text"] and e["width"] > 0 and e["height"] > 0
            if e.get("containerId"):
                c = byid[e["containerId"]]
                assert {"id": e["id"], "type": "text"} in (c.get("boundElements") or []), path
        if e["type"] == "arrow":
            assert len(e["points"]) >= 2
            for k in ("startBinding", "endBinding"):
                bnd = e.get(k)
                if bnd:
                    t = byid[bnd["elementId"]]
                    assert {"id": e["id"], "type": "arrow"} in (t.get("boundElements") or []), (path, e["id"])
        for be in e.get("boundElements") or []:
            assert be["id"] in byid, (path, be)
    if svgdir:
        out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="-100 -100 2700 1500" width="2700" height="1500" style="background:#fff">']
        for e in els:
            x, y, w, h = rect(e)
            if e["type"] in SHAPES or e["type"] == "frame":
                col = "#bbb" if e["type"] == "frame" else "#000"
                fill = e.get("backgroundColor", "none")
                fill = "none" if fill == "transparent" else fill
                out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{col}"/>')
                if e["type"] == "frame":
                    out.append(f'<text x="{x}" y="{y-6}" font-size="16" fill="#888">{e["name"]}</text>')
            elif e["type"] == "arrow":
                pts = " ".join(f"{x+px},{y+py}" for px, py in e["points"])
                dash = ' stroke-dasharray="6"' if not (e.get("startBinding") and e.get("endBinding")) else ""
                out.append(f'<polyline points="{pts}" fill="none" stroke="#1971c2"{dash}/>')
                ex, ey = e["points"][-1]
                out.append(f'<circle cx="{x+ex}" cy="{y+ey}" r="4" fill="#1971c2"/>')
            elif e["type"] == "text":
                fs = e["fontSize"]
                for i, line in enumerate(e["text"].split("\n")):
                    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    out.append(f'<text x="{x}" y="{y + fs*(i+1)*1.2}" font-size="{fs*0.9}" fill="{e["strokeColor"]}">{line}</text>')
        out.append("</svg>")
        open(os.path.join(svgdir, os.path.basename(path) + ".svg"), "w").write("\n".join(out))


def check_drawio(path, problems, svgdir=None):
    root = ET.parse(path).getroot()
    assert root.tag == "mxfile"
    cells = root.findall(".//mxCell")
    byid = {c.get("id"): c for c in cells}
    assert len(byid) == len(cells), "duplicate ids"

    def absgeo(c):
        g = c.find("mxGeometry")
        x, y = float(g.get("x", 0)), float(g.get("y", 0))
        p = byid.get(c.get("parent"))
        while p is not None and p.get("vertex") == "1":
            pg = p.find("mxGeometry")
            x += float(pg.get("x", 0))
            y += float(pg.get("y", 0))
            p = byid.get(p.get("parent"))
        return (x, y, float(g.get("width", 0)), float(g.get("height", 0)))

    verts = [c for c in cells if c.get("vertex") == "1" and "edgeLabel" not in (c.get("style") or "")]
    conts = [c for c in verts if "swimlane" in (c.get("style") or "") or "container=1" in (c.get("style") or "")]
    boxes = [c for c in verts if c not in conts]
    for c in cells:
        for k in ("source", "target", "parent"):
            if c.get(k):
                assert c.get(k) in byid, (path, c.get("id"), k)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if inter(absgeo(a), absgeo(b), pad=10):
                problems.append(f"{path}: boxes overlap {a.get('id')} {b.get('id')}")
    for i, a in enumerate(conts):
        for b in conts[i + 1:]:
            pa, pb = a.get("parent"), b.get("parent")
            if pa == pb and inter(absgeo(a), absgeo(b)):
                problems.append(f"{path}: containers overlap {a.get('id')} {b.get('id')}")
    for c in verts:
        p = byid.get(c.get("parent"))
        if p is not None and p in conts and not inside(absgeo(c), absgeo(p)):
            problems.append(f"{path}: {c.get('id')} sticks out of its container {p.get('id')}")
        if p is not None and p.get("vertex") != "1":
            for k in conts:
                if k.get("parent") == c.get("parent") and k is not c and inter(absgeo(c), absgeo(k)) and c not in conts:
                    problems.append(f"{path}: top-level {c.get('id')} overlaps container {k.get('id')}")
    if svgdir:
        out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="-50 -50 2000 1300" width="2000" height="1300" style="background:#fff">']
        import re
        cen = {}
        for c in verts:
            x, y, w, h = absgeo(c)
            cen[c.get("id")] = (x + w / 2, y + h / 2)
            col = "#bbb" if c in conts else "#000"
            out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="{col}"/>')
            txt = re.sub(r"<br\s*/?>|</div>", "\n", c.get("value") or "")
            txt = re.sub(r"<[^>]+>", "", txt).replace("&nbsp;", " ")
            for i, line in enumerate(txt.split("\n")):
                line = line.replace("&", "&amp;").replace("<", "&lt;")
                out.append(f'<text x="{x+4}" y="{y+14*(i+1)}" font-size="12">{line}</text>')
        for c in cells:
            if c.get("edge") == "1" and c.get("source") in cen and c.get("target") in cen:
                (x1, y1), (x2, y2) = cen[c.get("source")], cen[c.get("target")]
                out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#1971c2"/><circle cx="{x2}" cy="{y2}" r="5" fill="#1971c2"/>')
        out.append("</svg>")
        open(os.path.join(svgdir, os.path.basename(path) + ".svg"), "w").write("\n".join(out))


def main():
    svgdir = None
    if "--svg" in sys.argv:
        svgdir = sys.argv[sys.argv.index("--svg") + 1]
        os.makedirs(svgdir, exist_ok=True)
    problems = []
    for p in sorted(glob.glob(os.path.join(HERE, "*.excalidraw"))):
        check_excalidraw(p, problems, svgdir)
    for p in sorted(glob.glob(os.path.join(HERE, "*.drawio"))):
        check_drawio(p, problems, svgdir)
    for pr in problems:
        print("PROBLEM", pr)
    print("geometry:", "FAIL" if problems else "ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
