#!/usr/bin/env python3
"""Validate the sketches of review_heldout9 (stdlib only; needs Graphviz `dot` for .dot).

.excalidraw  JSON parses, type == excalidraw, required element fields, labels and
             arrow bindings recorded on both sides, no two shapes overlap, frames do
             not overlap, frame members lie inside their frame, bound labels fit
             their shape, arrow labels do not lie on a shape, loose text lies over
             at most one shape (and then its centre is inside it).
.drawio      XML parses, mxfile/diagram/mxGraphModel/root, ids unique, edges name
             existing cells, sibling vertices do not overlap, children of a lane
             lie inside it (coordinates are relative to the lane), labels fit.
.dot         `dot -Tsvg` exits 0 with no warnings.
.mmd / .md   first non-comment line of the diagram is a flowchart/graph header.
"""
import glob, html, json, os, re, shutil, subprocess, sys
import xml.etree.ElementTree as ET

HERE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
problems = []


def bad(path, msg):
    problems.append("%s: %s" % (os.path.basename(path), msg))


def box(e):
    return (e["x"], e["y"], e["width"], e["height"])


def overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def within(a, b):
    return a[0] >= b[0] and a[1] >= b[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]


def excalidraw(path):
    doc = json.load(open(path, encoding="utf-8"))
    if doc.get("type") != "excalidraw":
        bad(path, "type is not excalidraw")
    els = [e for e in doc.get("elements", []) if not e.get("isDeleted")]
    ids = {e["id"]: e for e in els}
    if len(ids) != len(els):
        bad(path, "duplicate element ids")
    for e in els:
        for k in ("id", "type", "x", "y", "width", "height", "seed", "version",
                  "versionNonce", "boundElements", "angle", "groupIds"):
            if k not in e:
                bad(path, "%s lacks %s" % (e.get("id"), k))
        if e["width"] <= 0 and e["height"] <= 0:
            bad(path, "zero-size element %s" % e["id"])
        if e["type"] == "text":
            if not e.get("text") or "fontSize" not in e or "fontFamily" not in e:
                bad(path, "incomplete text %s" % e["id"])
            c = e.get("containerId")
            if c:
                if c not in ids:
                    bad(path, "label %s points at missing container" % e["id"])
                elif {"id": e["id"], "type": "text"} not in (ids[c].get("boundElements") or []):
                    bad(path, "label %s not listed in its container" % e["id"])
        for be in e.get("boundElements") or []:
            o = ids.get(be["id"])
            if not o:
                bad(path, "%s lists missing bound element" % e["id"])
            elif be["type"] == "text" and o.get("containerId") != e["id"]:
                bad(path, "%s lists text %s that is not its label" % (e["id"], be["id"]))
            elif be["type"] == "arrow" and e["id"] not in (
                    (o.get("startBinding") or {}).get("elementId"),
                    (o.get("endBinding") or {}).get("elementId")):
                bad(path, "%s lists arrow %s that is not bound to it" % (e["id"], be["id"]))
        if e["type"] == "arrow":
            if len(e.get("points") or []) < 2:
                bad(path, "arrow %s has < 2 points" % e["id"])
            for side in ("startBinding", "endBinding"):
                b = e.get(side)
                if b:
                    t = ids.get(b["elementId"])
                    if not t or {"id": e["id"], "type": "arrow"} not in (t.get("boundElements") or []):
                        bad(path, "arrow %s %s is one-sided" % (e["id"], side))
        if e.get("frameId"):
            f = ids.get(e["frameId"])
            if not f or f["type"] != "frame":
                bad(path, "%s has a bad frameId" % e["id"])
            elif not within(box(e), box(f)):
                bad(path, "%s sticks out of frame %r" % (e["id"], f.get("name")))
    shapes = [e for e in els if e["type"] in ("rectangle", "ellipse", "diamond")]
    frames = [e for e in els if e["type"] == "frame"]
    for group in (shapes, frames):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if overlap(box(a), box(b)):
                    bad(path, "overlap %s / %s" % (a["id"], b["id"]))
    for s in shapes:
        for f in frames:
            if overlap(box(s), box(f)) and s.get("frameId") != f["id"]:
                bad(path, "shape %s overlaps frame %r it does not belong to" % (s["id"], f["name"]))
    texts = [e for e in els if e["type"] == "text"]
    for t in texts:
        c = ids.get(t.get("containerId"))
        if c and c["type"] != "arrow":
            pad = 10 if c["type"] == "rectangle" else (c["width"] * 0.29 if c["type"] == "ellipse" else c["width"] / 2)
            if t["width"] > c["width"] - pad or t["height"] > c["height"] - 6:
                bad(path, "label %r does not fit its shape" % t["text"][:30])
        elif c and c["type"] == "arrow":
            for s in shapes:
                if overlap(box(t), box(s)):
                    bad(path, "arrow label %r lies on a shape" % t["text"][:30])
        elif not c:
            hits = [s for s in shapes if overlap(box(t), box(s))]
            cx, cy = t["x"] + t["width"] / 2, t["y"] + t["height"] / 2
            if len(hits) > 1 or (hits and not within((cx, cy, 0, 0), box(hits[0]))):
                bad(path, "loose text %r straddles shapes" % t["text"][:30])
            if len(hits) == 1:
                s = hits[0]
                pad = 10 if s["type"] == "rectangle" else (s["width"] * 0.29 if s["type"] == "ellipse" else s["width"] / 2)
                if t["width"] > s["width"] - pad or t["height"] > s["height"] - 6:
                    bad(path, "loose label %r does not fit under it" % t["text"][:30])
    loose = [t for t in texts if not t.get("containerId")]
    for i, a in enumerate(loose):
        for b in loose[i + 1:]:
            if overlap(box(a), box(b)):
                bad(path, "loose texts overlap %r / %r" % (a["text"][:20], b["text"][:20]))


def plain(v):
    v = re.sub(r"<br\s*/?>", "\n", v or "")
    return html.unescape(re.sub(r"<[^>]+>", "", v))


def drawio(path):
    root = ET.parse(path).getroot()
    if root.tag != "mxfile" or root.find("diagram/mxGraphModel/root") is None:
        bad(path, "not an uncompressed mxfile/diagram/mxGraphModel/root")
        return
    cells = root.findall(".//mxCell")
    ids = {}
    for c in cells:
        if c.get("id") in ids:
            bad(path, "duplicate id %s" % c.get("id"))
        ids[c.get("id")] = c
    for c in cells:
        if c.get("parent") and c.get("parent") not in ids:
            bad(path, "%s has a missing parent" % c.get("id"))
    geo = {}
    for c in cells:
        if c.get("edge") == "1":
            for k in ("source", "target"):
                if c.get(k) not in ids:
                    bad(path, "edge %s: %s %r does not exist" % (c.get("id"), k, c.get(k)))
        elif c.get("vertex") == "1":
            g = c.find("mxGeometry")
            if g is None:
                bad(path, "vertex %s has no geometry" % c.get("id"))
                continue
            if "edgeLabel" in (c.get("style") or ""):
                continue
            geo[c.get("id")] = tuple(float(g.get(k, 0)) for k in ("x", "y", "width", "height"))
    kids = {}
    for i in geo:
        kids.setdefault(ids[i].get("parent"), []).append(i)
    for parent, group in kids.items():
        for n, a in enumerate(group):
            for b in group[n + 1:]:
                if overlap(geo[a], geo[b]):
                    bad(path, "overlap %r / %r" % (plain(ids[a].get("value"))[:25], plain(ids[b].get("value"))[:25]))
        if parent in geo:
            lw, lh = geo[parent][2], geo[parent][3]
            style = ids[parent].get("style") or ""
            m = re.search(r"startSize=(\d+)", style)
            head = int(m.group(1)) if m else 23
            horiz = "horizontal=0" in style
            for k in group:
                x, y, w, h = geo[k]
                lo_x, lo_y = (head, 0) if horiz else (0, head)
                if x < lo_x or y < lo_y or x + w > lw or y + h > lh:
                    bad(path, "%r sticks out of its lane" % plain(ids[k].get("value"))[:25])
    for i, (x, y, w, h) in geo.items():
        style = ids[i].get("style") or ""
        if "swimlane" in style or "text;" in style or style.startswith("text"):
            continue
        lines = plain(ids[i].get("value")).split("\n")
        m = re.search(r"fontSize=(\d+)", style)
        fs = int(m.group(1)) if m else 12
        if max(len(l) for l in lines) * fs * 0.55 > w - 8 or len(lines) * fs * 1.25 > h:
            bad(path, "label %r does not fit its shape" % plain(ids[i].get("value"))[:30])


def dot(path):
    if not shutil.which("dot"):
        bad(path, "Graphviz dot not installed")
        return
    r = subprocess.run(["dot", "-Tsvg", path], capture_output=True, text=True)
    if r.returncode or r.stderr.strip():
        bad(path, "dot -Tsvg: %s" % (r.stderr.strip() or r.returncode))


def mermaid(path):
    s = open(path, encoding="utf-8").read()
    if path.endswith(".md"):
        m = re.search(r"```mermaid\n(.*?)```", s, re.S)
        if not m:
            bad(path, "no ```mermaid block")
            return
        s = m.group(1)
    s = re.sub(r"\A\s*---\n.*?\n---\n", "", s, flags=re.S)  # YAML front matter (title:)
    lines = [l.strip() for l in s.splitlines() if l.strip() and not l.strip().startswith("%%")]
    if not lines or not re.match(r"(flowchart|graph)\s+(LR|RL|TD|TB|BT)\b", lines[0]):
        bad(path, "no flowchart header")
    body = "\n".join(lines)
    if body.count("(") != body.count(")") or body.count("{") != body.count("}") or body.count('"') % 2:
        bad(path, "unbalanced brackets or quotes")
    opens = sum(1 for l in lines if re.match(r"subgraph\b", l))
    ends = sum(1 for l in lines if l == "end")
    if opens != ends:
        bad(path, "subgraph/end mismatch")


n = 0
for f in sorted(glob.glob(os.path.join(HERE, "*"))):
    name = os.path.basename(f)
    if name.endswith(".excalidraw"):
        excalidraw(f)
    elif name.endswith(".drawio"):
        drawio(f)
    elif name.endswith(".dot"):
        dot(f)
    elif name.endswith(".mmd") or (name.endswith(".md") and name != "README.md"):
        mermaid(f)
    else:
        continue
    n += 1
    print("checked", name)
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("all %d sketches OK" % n)
