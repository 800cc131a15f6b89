#!/usr/bin/env python3
"""Well-formedness and layout checks for the sketches (stdlib only).

- .excalidraw: valid JSON scene, two-sided bindings, shapes do not overlap,
  free text overlaps no shape unless it is a label laid over exactly one shape,
  frame members lie inside their frame.
- .drawio: well-formed mxfile XML, edges point at existing cells, sibling
  vertices do not overlap, lane children lie inside their lane.
- .dot / .gv: `dot -Tsvg` succeeds (skipped if Graphviz is missing).
- .mmd / .md: a flowchart/graph header is present (inside a ```mermaid block for .md).
"""
import glob, json, os, re, shutil, subprocess, sys
import xml.etree.ElementTree as ET

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
errors = []


def err(f, m):
    errors.append("%s: %s" % (os.path.basename(f), m))


def inter(a, b, pad=0):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw + pad and bx < ax + aw + pad and ay < by + bh + pad and by < ay + ah + pad


def inside(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax >= bx and ay >= by and ax + aw <= bx + bw and ay + ah <= by + bh


def check_excalidraw(f):
    d = json.load(open(f))
    if d.get("type") != "excalidraw":
        err(f, "type is not excalidraw")
    els = [e for e in d.get("elements", []) if not e.get("isDeleted")]
    by = {e["id"]: e for e in els}
    if len(by) != len(els):
        err(f, "duplicate ids")
    bb = lambda e: (e["x"], e["y"], e["width"], e["height"])
    for e in els:
        for k in ("id", "type", "x", "y", "width", "height", "seed", "version", "versionNonce", "boundElements"):
            if k not in e:
                err(f, "%s lacks %s" % (e.get("id"), k))
        if e["type"] in ("arrow", "line") and len(e.get("points", [])) < 2:
            err(f, "arrow without points")
        if e["type"] == "text":
            if not e.get("text") or "fontSize" not in e or "fontFamily" not in e:
                err(f, "bad text %s" % e["id"])
            c = e.get("containerId")
            if c and {"id": e["id"], "type": "text"} not in (by[c].get("boundElements") or []):
                err(f, "one-sided label %s" % e["id"])
        if e["type"] == "arrow":
            for side in ("startBinding", "endBinding"):
                b = e.get(side)
                if b:
                    t = by.get(b["elementId"])
                    if not t or {"id": e["id"], "type": "arrow"} not in (t.get("boundElements") or []):
                        err(f, "one-sided binding %s" % e["id"])
        if e.get("frameId"):
            fr = by[e["frameId"]]
            if not inside(bb(e), bb(fr)):
                err(f, "%s outside its frame" % e["id"])
    shapes = [e for e in els if e["type"] in ("rectangle", "ellipse", "diamond")]
    frames = [e for e in els if e["type"] == "frame"]
    for grp in (shapes, frames):
        for i, a in enumerate(grp):
            for b in grp[i + 1:]:
                if inter(bb(a), bb(b)):
                    err(f, "overlap %s / %s" % (a["id"], b["id"]))
    free = [e for e in els if e["type"] == "text" and not e.get("containerId")]
    for t in free:
        cx, cy = t["x"] + t["width"] / 2, t["y"] + t["height"] / 2
        hits = [s for s in shapes if inter(bb(t), bb(s))]
        holders = [s for s in shapes if s["x"] <= cx <= s["x"] + s["width"] and s["y"] <= cy <= s["y"] + s["height"]]
        if hits and not (len(hits) == 1 and holders == hits):
            err(f, "free text %r overlaps shapes" % t["text"][:30])
    for i, a in enumerate(free):
        for b in free[i + 1:]:
            if inter(bb(a), bb(b)):
                err(f, "free texts overlap %r / %r" % (a["text"][:20], b["text"][:20]))
    # arrow labels must not sit on a shape; shape labels must fit their shape
    for e in els:
        if e["type"] == "text" and e.get("containerId"):
            c = by[e["containerId"]]
            if c["type"] == "arrow":
                if any(inter(bb(e), bb(s)) for s in shapes):
                    err(f, "arrow label %r lies on a shape" % e["text"][:25])
            elif e["width"] > c["width"] - 4:
                err(f, "label %r wider than its shape" % e["text"][:25])
    # every container label must sit inside its container
    for e in els:
        if e["type"] == "text" and e.get("containerId") and by[e["containerId"]]["type"] != "arrow":
            c = by[e["containerId"]]
            cx, cy = e["x"] + e["width"] / 2, e["y"] + e["height"] / 2
            if not (c["x"] <= cx <= c["x"] + c["width"] and c["y"] <= cy <= c["y"] + c["height"]):
                err(f, "label outside container %s" % e["id"])


def check_drawio(f):
    root = ET.parse(f).getroot()
    if root.tag != "mxfile":
        err(f, "root is not mxfile")
    cells = root.findall(".//mxCell")
    ids = {c.get("id"): c for c in cells}
    geo = {}
    for c in cells:
        if c.get("edge") == "1":
            for k in ("source", "target"):
                if c.get(k) not in ids:
                    err(f, "edge %s has dangling %s" % (c.get("id"), k))
        if c.get("vertex") == "1" and "edgeLabel" not in (c.get("style") or ""):
            g = c.find("mxGeometry")
            geo[c.get("id")] = (float(g.get("x", 0)), float(g.get("y", 0)), float(g.get("width")), float(g.get("height")))
    byparent = {}
    for i, g in geo.items():
        byparent.setdefault(ids[i].get("parent"), []).append(i)
    for p, kids in byparent.items():
        for n, a in enumerate(kids):
            for b in kids[n + 1:]:
                if inter(geo[a], geo[b]):
                    err(f, "overlap %s / %s" % (ids[a].get("value")[:25], ids[b].get("value")[:25]))
        if p in geo:  # lane
            lw, lh = geo[p][2], geo[p][3]
            start = 30 if "swimlane" in ids[p].get("style", "") else 0
            for k in kids:
                x, y, w, h = geo[k]
                if x < start or y < 0 or x + w > lw or y + h > lh:
                    err(f, "%s sticks out of its lane" % ids[k].get("value")[:25])


def check_dot(f):
    if not shutil.which("dot"):
        print("  (dot not installed, skipped %s)" % f)
        return
    r = subprocess.run(["dot", "-Tsvg", f], capture_output=True, text=True)
    if r.returncode != 0 or r.stderr.strip():
        err(f, "dot -Tsvg: %s" % (r.stderr.strip() or r.returncode))


def check_mermaid(f):
    s = open(f).read()
    if f.endswith(".md"):
        m = re.search(r"```mermaid\n(.*?)```", s, re.S)
        if not m:
            err(f, "no mermaid block")
            return
        s = m.group(1)
    body = [l for l in s.splitlines() if l.strip() and not l.strip().startswith("%%")]
    if not body or not re.match(r"\s*(flowchart|graph)\s+(LR|RL|TD|TB|BT)", body[0]):
        err(f, "no flowchart header")


for f in sorted(glob.glob(os.path.join(HERE, "*"))):
    if f.endswith(".excalidraw"):
        check_excalidraw(f)
    elif f.endswith(".drawio"):
        check_drawio(f)
    elif f.endswith((".dot", ".gv")):
        check_dot(f)
    elif f.endswith(".mmd") or (f.endswith(".md") and os.path.basename(f) != "README.md"):
        check_mermaid(f)
    else:
        continue
    print("checked", os.path.basename(f))

if errors:
    print("\n".join(errors))
    sys.exit(1)
print("all sketches OK")
