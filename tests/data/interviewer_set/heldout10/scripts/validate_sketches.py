#!/usr/bin/env python3
"""Validate the sketches of review_heldout10 (stdlib only; needs Graphviz `dot`).

.excalidraw  JSON parses; type excalidraw; required fields; bound labels and arrow
             bindings recorded on both sides (bound files); no two shapes overlap;
             frames do not overlap; frame members lie inside their frame; labels fit
             their shape; arrow labels and free notes lie on no shape; loose labels
             (careless file) lie over exactly one shape; unbound arrow ends stop 5-20 px
             from a shape. Arrows passing through unrelated shapes are reported as
             warnings.
.drawio      XML parses; mxfile/diagram/mxGraphModel/root; unique ids; edges name
             existing vertices; sibling vertices do not overlap; lane children lie
             inside their lane (relative coordinates); labels fit.
.dot         `dot -Tsvg` exits 0 with nothing on stderr.
.mmd / .md   the diagram (the ```mermaid block for .md) starts with a flowchart header;
             brackets, quotes and subgraph/end are balanced.
"""
import glob, html, json, os, re, subprocess, sys
import xml.etree.ElementTree as ET

HERE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
errors, warnings = [], []
SHAPES = {"rectangle", "ellipse", "diamond"}


def err(p, m): errors.append("%s: %s" % (os.path.basename(p), m))
def warn(p, m): warnings.append("%s: %s" % (os.path.basename(p), m))


def rect(e): return (e["x"], e["y"], e["width"], e["height"])
def overlap(a, b): return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
def inside(a, b): return a[0] >= b[0] and a[1] >= b[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]
def contains(b, p): return b[0] <= p[0] <= b[0] + b[2] and b[1] <= p[1] <= b[1] + b[3]


def label_area(s):
    x, y, w, h = rect(s)
    if s["type"] == "ellipse":
        k = 2 ** 0.5 / 2; iw, ih = w * k, h * k
    elif s["type"] == "diamond":
        iw, ih = w / 2, h / 2
    else:
        iw, ih = w, h
    return iw - 10, ih - 10


def dist_to_box(p, b):
    dx = max(b[0] - p[0], 0, p[0] - (b[0] + b[2]))
    dy = max(b[1] - p[1], 0, p[1] - (b[1] + b[3]))
    return (dx * dx + dy * dy) ** 0.5


def seg_hits_box(a, b, box, shrink=3):
    x, y, w, h = box[0] + shrink, box[1] + shrink, box[2] - 2 * shrink, box[3] - 2 * shrink
    for i in range(41):
        t = i / 40
        p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        if x < p[0] < x + w and y < p[1] < y + h:
            return True
    return False


def excalidraw(path):
    doc = json.load(open(path, encoding="utf-8"))
    if doc.get("type") != "excalidraw":
        err(path, "type is not excalidraw")
    els = [e for e in doc["elements"] if not e.get("isDeleted")]
    by = {e["id"]: e for e in els}
    if len(by) != len(els):
        err(path, "duplicate ids")
    careless = "sketch" in os.path.basename(path)
    for e in els:
        for k in ("id", "type", "x", "y", "width", "height", "seed", "version", "versionNonce",
                  "isDeleted", "boundElements", "frameId", "groupIds"):
            if k not in e:
                err(path, "%s lacks %s" % (e.get("id"), k))
        if e["type"] not in ("arrow", "line") and (e["width"] <= 0 or e["height"] <= 0):
            err(path, "%s has zero size" % e["id"])
        if e["type"] == "text":
            for k in ("text", "originalText", "fontSize", "fontFamily"):
                if not e.get(k):
                    err(path, "text %s lacks %s" % (e["id"], k))
        if e["type"] == "arrow" and len(e.get("points", [])) < 2:
            err(path, "arrow %s lacks points" % e["id"])
        for b in e.get("boundElements") or []:
            t = by.get(b["id"])
            if t is None:
                err(path, "%s: boundElements names missing %s" % (e["id"], b["id"]))
            elif b["type"] == "text" and t.get("containerId") != e["id"]:
                err(path, "%s: text %s does not point back" % (e["id"], b["id"]))
            elif b["type"] == "arrow" and e["id"] not in (
                    (t.get("startBinding") or {}).get("elementId"), (t.get("endBinding") or {}).get("elementId")):
                err(path, "%s: arrow %s not bound back" % (e["id"], b["id"]))
        if e["type"] == "text" and e.get("containerId"):
            c = by.get(e["containerId"])
            if c is None or {"id": e["id"], "type": "text"} not in (c.get("boundElements") or []):
                err(path, "text %s: container does not list it" % e["id"])
        if e["type"] == "arrow":
            for end in ("startBinding", "endBinding"):
                bd = e.get(end)
                if bd:
                    t = by.get(bd["elementId"])
                    if t is None or {"id": e["id"], "type": "arrow"} not in (t.get("boundElements") or []):
                        err(path, "arrow %s: %s target does not list it" % (e["id"], end))
    shapes = [e for e in els if e["type"] in SHAPES]
    frames = [e for e in els if e["type"] == "frame"]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            if overlap(rect(a), rect(b)):
                err(path, "shapes %s and %s overlap" % (a["id"], b["id"]))
    for i, a in enumerate(frames):
        for b in frames[i + 1:]:
            if overlap(rect(a), rect(b)):
                err(path, "frames %s and %s overlap" % (a["name"], b["name"]))
    for e in els:
        if e.get("frameId"):
            f = by.get(e["frameId"])
            if f is None or not inside(rect(e), rect(f)):
                err(path, "%s lies outside its frame" % e["id"])
        elif e["type"] in SHAPES:
            for f in frames:
                if overlap(rect(e), rect(f)):
                    err(path, "shape %s overlaps frame %s but is not its member" % (e["id"], f["name"]))
    texts = [e for e in els if e["type"] == "text"]
    for t in texts:
        tb = rect(t)
        c = by.get(t.get("containerId")) if t.get("containerId") else None
        if c is not None and c["type"] in SHAPES:
            aw, ah = label_area(c)
            if t["width"] > aw + 0.5 or t["height"] > ah + 0.5:
                err(path, "label %r does not fit its %s" % (t["text"][:30], c["type"]))
            continue
        hits = [s for s in shapes if overlap(tb, rect(s))]
        if c is not None:           # arrow label
            if hits:
                err(path, "arrow label %r lies on a shape" % t["text"][:30])
            continue
        if careless and hits:
            centre = (t["x"] + t["width"] / 2, t["y"] + t["height"] / 2)
            if len(hits) != 1 or not contains(rect(hits[0]), centre):
                err(path, "loose text %r is ambiguous" % t["text"][:30])
            else:
                aw, ah = label_area(hits[0])
                if t["width"] > aw + 0.5 or t["height"] > ah + 0.5:
                    err(path, "loose label %r does not fit" % t["text"][:30])
        elif hits:
            err(path, "free text %r lies on a shape" % t["text"][:30])
    for a in (e for e in els if e["type"] == "arrow"):
        pts = [(a["x"] + p[0], a["y"] + p[1]) for p in a["points"]]
        ends = set()
        for end, p in (("startBinding", pts[0]), ("endBinding", pts[-1])):
            bd = a.get(end)
            if bd:
                ends.add(bd["elementId"])
            else:
                near = sorted((dist_to_box(p, rect(s)), s["id"]) for s in shapes)
                if not near or not (5 <= near[0][0] <= 20):
                    err(path, "unbound arrow %s end is %.1f px from nearest shape" % (a["id"], near[0][0] if near else -1))
                else:
                    ends.add(near[0][1])
        for s in shapes:
            if s["id"] in ends:
                continue
            if any(seg_hits_box(pts[i], pts[i + 1], rect(s)) for i in range(len(pts) - 1)):
                warn(path, "arrow %s passes through shape %r" % (a["id"], s["id"]))


def drawio(path):
    root = ET.parse(path).getroot()
    if root.tag != "mxfile":
        err(path, "root is not mxfile")
    model = root.find("diagram/mxGraphModel/root")
    if model is None:
        err(path, "no diagram/mxGraphModel/root (compressed?)"); return
    cells = model.findall("mxCell")
    ids = [c.get("id") for c in cells]
    if len(set(ids)) != len(ids):
        err(path, "duplicate cell ids")
    by = {c.get("id"): c for c in cells}
    verts = [c for c in cells if c.get("vertex") == "1"]
    for c in cells:
        if c.get("parent") and c.get("parent") not in by:
            err(path, "cell %s has unknown parent" % c.get("id"))
        if c.get("edge") == "1":
            for k in ("source", "target"):
                t = by.get(c.get(k))
                if t is None or t.get("vertex") != "1":
                    err(path, "edge %s: %s %s is not a vertex" % (c.get("id"), k, c.get(k)))
    def geo(c):
        g = c.find("mxGeometry")
        return tuple(float(g.get(k, 0)) for k in ("x", "y", "width", "height"))
    groups = {}
    for v in verts:
        groups.setdefault(v.get("parent"), []).append(v)
    for par, vs in groups.items():
        for i, a in enumerate(vs):
            for b in vs[i + 1:]:
                if overlap(geo(a), geo(b)):
                    err(path, "vertices %s and %s overlap" % (a.get("id"), b.get("id")))
        p = by.get(par)
        if p is not None and p.get("vertex") == "1":
            pw, ph = geo(p)[2:]
            for v in vs:
                x, y, w, h = geo(v)
                if x < 0 or y < 30 or x + w > pw or y + h > ph:
                    err(path, "vertex %s sticks out of lane %s" % (v.get("id"), par))
    for v in verts:
        style = v.get("style") or ""
        if "swimlane" in style:
            continue
        val = v.get("value") or ""
        lines = re.split(r"<br\s*/?>|\n", html.unescape(val))
        lines = [re.sub(r"<[^>]+>", "", l) for l in lines]
        m = re.search(r"fontSize=(\d+)", style)
        fs = int(m.group(1)) if m else 12
        w, h = geo(v)[2:]
        tw = max((len(l) for l in lines), default=0) * 0.55 * fs
        th = len(lines) * fs * 1.25
        if tw > w - 6 or th > h - 4:
            err(path, "label of %s does not fit (%.0fx%.0f in %.0fx%.0f)" % (v.get("id"), tw, th, w, h))


def dot(path):
    r = subprocess.run(["dot", "-Tsvg", path], capture_output=True, text=True)
    if r.returncode != 0 or r.stderr.strip():
        err(path, "dot -Tsvg: rc=%d %s" % (r.returncode, r.stderr.strip()[:300]))


def mermaid_text(path, text):
    lines = [l for l in text.splitlines() if l.strip() and not l.strip().startswith("%%")]
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        lines = lines[end + 1:]
    if not lines or not re.match(r"(flowchart|graph)\s+(TB|TD|BT|LR|RL)\b", lines[0].strip()):
        err(path, "no flowchart header")
    body = "\n".join(lines)
    stripped = re.sub(r'"[^"\n]*"', '""', body)
    stripped = re.sub(r'(\w)>""\]', r'\1[""]', stripped)   # asymmetric node id>"text"]
    if body.count('"') % 2:
        err(path, "unbalanced quotes")
    for o, c in ("[]", "()", "{}"):
        if stripped.count(o) != stripped.count(c):
            err(path, "unbalanced %s%s" % (o, c))
    subs = len(re.findall(r"^\s*subgraph\b", body, re.M))
    ends = len(re.findall(r"^\s*end\s*$", body, re.M))
    if subs != ends:
        err(path, "subgraph/end mismatch %d/%d" % (subs, ends))


def main():
    files = sorted(glob.glob(os.path.join(HERE, "*.*")))
    n = 0
    for p in files:
        ext = os.path.splitext(p)[1]
        if p.endswith("README.md") or ext == ".toml":
            continue
        n += 1
        try:
            if ext == ".excalidraw":
                excalidraw(p)
            elif ext == ".drawio":
                drawio(p)
            elif ext == ".dot":
                dot(p)
            elif ext == ".mmd":
                mermaid_text(p, open(p, encoding="utf-8").read())
            elif ext == ".md":
                blocks = re.findall(r"```mermaid\n(.*?)```", open(p, encoding="utf-8").read(), re.S)
                if len(blocks) != 1:
                    err(p, "expected one mermaid block, found %d" % len(blocks))
                for b in blocks:
                    mermaid_text(p, b)
            else:
                n -= 1
        except Exception as ex:  # noqa
            err(p, "cannot parse: %r" % ex)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("%d sketches checked, %d errors, %d warnings" % (n, len(errors), len(warnings)))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
