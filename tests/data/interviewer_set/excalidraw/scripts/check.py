"""Checks the sketch files: valid JSON scene, unique ids, mirrored bindings, text sizes,
no overlapping boxes (unless a zone encloses them), unbound arrow ends near a box, and
lists arrow segments that run through a box they do not connect (layout smell).
Also writes an SVG/PNG preview per sketch into a preview dir (given as argv[2]).
Usage: python3 check.py SKETCH_DIR [PREVIEW_DIR]
"""
import glob
import json
import math
import os
import subprocess
import sys

SHAPES = ("rectangle", "ellipse", "diamond")


def inside(e, px, py, pad=0.0):
    hw, hh = e["width"] / 2 + pad, e["height"] / 2 + pad
    cx, cy = e["x"] + e["width"] / 2, e["y"] + e["height"] / 2
    u, v = (px - cx) / hw, (py - cy) / hh
    if e["type"] == "ellipse":
        return u * u + v * v <= 1
    if e["type"] == "diamond":
        return abs(u) + abs(v) <= 1
    return abs(u) <= 1 and abs(v) <= 1


def rect_of(e):
    return (e["x"], e["y"], e["x"] + e["width"], e["y"] + e["height"])


def contains(a, b):
    ax0, ay0, ax1, ay1 = rect_of(a)
    bx0, by0, bx1, by1 = rect_of(b)
    return ax0 <= bx0 and ay0 <= by0 and ax1 >= bx1 and ay1 >= by1


def overlap(a, b):
    ax0, ay0, ax1, ay1 = rect_of(a)
    bx0, by0, bx1, by1 = rect_of(b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def is_zone(e):
    return e["type"] == "frame" or (e["type"] == "rectangle" and e["strokeStyle"] == "dashed"
                                    and not any(b["type"] == "text" for b in (e.get("boundElements") or [])))


def check(path):
    probs, smells = [], []
    d = json.load(open(path))
    assert d["type"] == "excalidraw" and d["version"] == 2, "top level"
    for k in ("source", "elements", "appState", "files"):
        assert k in d, k
    els = d["elements"]
    ids = [e["id"] for e in els]
    if len(ids) != len(set(ids)):
        probs.append("duplicate ids")
    by = {e["id"]: e for e in els}
    idx = [e.get("index") for e in els]
    if any(i is not None for i in idx):
        if idx != sorted(idx) or len(set(idx)) != len(idx):
            probs.append("index keys not increasing")
    common = ["id", "type", "x", "y", "width", "height", "angle", "strokeColor",
              "backgroundColor", "fillStyle", "strokeWidth", "strokeStyle", "roughness",
              "opacity", "groupIds", "frameId", "roundness", "seed", "version",
              "versionNonce", "isDeleted", "boundElements", "updated", "link", "locked"]
    for e in els:
        for k in common:
            if k not in e:
                probs.append(f"{e['id']} missing {k}")
        if e["type"] == "text":
            for k in ("text", "fontSize", "fontFamily", "originalText", "containerId",
                      "textAlign", "verticalAlign", "lineHeight"):
                if k not in e:
                    probs.append(f"text {e['id']} missing {k}")
            if not e["text"] or e["width"] <= 0 or e["height"] <= 0:
                probs.append(f"text {e['id']} empty/zero")
            c = e.get("containerId")
            if c:
                if c not in by:
                    probs.append(f"text {e['id']} container missing")
                elif not any(b["id"] == e["id"] and b["type"] == "text"
                             for b in (by[c].get("boundElements") or [])):
                    probs.append(f"text {e['id']} not mirrored in container")
        if e["type"] in SHAPES + ("frame",):
            if e["width"] <= 0 or e["height"] <= 0:
                probs.append(f"{e['id']} zero size")
        if e["type"] in ("arrow", "line"):
            if len(e.get("points", [])) < 2 or e["points"][0] != [0, 0] and e["points"][0] != [0.0, 0.0]:
                probs.append(f"{e['id']} bad points")
            for side in ("startBinding", "endBinding"):
                b = e.get(side)
                if b:
                    t = by.get(b["elementId"])
                    if t is None:
                        probs.append(f"{e['id']} {side} to missing element")
                    elif not any(x["id"] == e["id"] and x["type"] == "arrow"
                                 for x in (t.get("boundElements") or [])):
                        probs.append(f"{e['id']} {side} not mirrored in {t['id']}")
        for b in e.get("boundElements") or []:
            t = by.get(b["id"])
            if t is None:
                probs.append(f"{e['id']} boundElements -> missing {b['id']}")
            elif b["type"] == "text" and t.get("containerId") != e["id"]:
                probs.append(f"{e['id']} bound text {b['id']} does not point back")
            elif b["type"] == "arrow":
                if not ((t.get("startBinding") or {}).get("elementId") == e["id"] or
                        (t.get("endBinding") or {}).get("elementId") == e["id"]):
                    probs.append(f"{e['id']} bound arrow {b['id']} does not point back")
        if e.get("frameId") and (e["frameId"] not in by or by[e["frameId"]]["type"] != "frame"):
            probs.append(f"{e['id']} frameId to non-frame")
    shapes = [e for e in els if e["type"] in SHAPES and not is_zone(e)]
    zones = [e for e in els if is_zone(e)]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            if overlap(a, b):
                probs.append(f"overlap {label(a, by)} / {label(b, by)}")
        for z in zones:
            if overlap(a, z) and not contains(z, a):
                probs.append(f"box {label(a, by)} straddles zone {zlabel(z, els)}")
    for i, a in enumerate(zones):
        for b in zones[i + 1:]:
            if overlap(a, b) and not (contains(a, b) or contains(b, a)):
                probs.append(f"zones overlap {zlabel(a, els)} / {zlabel(b, els)}")
    # free texts inside a shape's box area that are not meant as labels
    # arrow ends
    targets = shapes + zones
    for e in els:
        if e["type"] not in ("arrow", "line"):
            continue
        pts = [(e["x"] + p[0], e["y"] + p[1]) for p in e["points"]]
        ends = []
        for side, p in (("startBinding", pts[0]), ("endBinding", pts[-1])):
            b = e.get(side)
            if b:
                ends.append(by[b["elementId"]])
                continue
            near = [s for s in shapes if inside(s, p[0], p[1], pad=10)]
            if not near:
                near = [z for z in zones if inside(z, p[0], p[1], pad=10)]
            if not near:
                probs.append(f"arrow {e['id']} end {tuple(round(v) for v in p)} near no box")
            else:
                ends.append(min(near, key=lambda s: s["width"] * s["height"]))
        # segments through other shapes
        for s in shapes:
            if any(s is x for x in ends):
                continue
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                n = int(max(abs(x1 - x0), abs(y1 - y0)) / 4) + 1
                hit = any(inside(s, x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n, pad=-2)
                          for k in range(n + 1))
                if hit:
                    smells.append(f"arrow {arrow_desc(e, ends, by)} crosses {label(s, by)}")
                    break
    n_boxes = len(shapes)
    return probs, smells, n_boxes, d


def label(e, by):
    for b in e.get("boundElements") or []:
        if b["type"] == "text":
            return repr(by[b["id"]]["text"][:30])
    return f"{e['type']}@{round(e['x'])},{round(e['y'])}"


def zlabel(z, els):
    return z.get("name") or f"dashed@{round(z['x'])},{round(z['y'])}"


def arrow_desc(e, ends, by):
    return "->".join(label(x, by) if x.get("type") != "frame" else x["name"] for x in ends)


def svg(d, out_png):
    els = [e for e in d["elements"] if not e.get("isDeleted")]
    xs, ys = [], []
    for e in els:
        if e["type"] in ("arrow", "line"):
            xs += [e["x"] + p[0] for p in e["points"]]
            ys += [e["y"] + p[1] for p in e["points"]]
        else:
            xs += [e["x"], e["x"] + e["width"]]
            ys += [e["y"], e["y"] + e["height"]]
    x0, y0 = min(xs) - 40, min(ys) - 40
    W, H = max(xs) - x0 + 40, max(ys) - y0 + 40
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W:.0f}" height="{H:.0f}" '
         f'viewBox="{x0:.0f} {y0:.0f} {W:.0f} {H:.0f}"><rect x="{x0}" y="{y0}" width="{W}" '
         f'height="{H}" fill="white"/>']
    for e in els:
        st = e["strokeColor"]
        dash = ' stroke-dasharray="8 6"' if e["strokeStyle"] != "solid" else ""
        bg = e["backgroundColor"] if e["backgroundColor"] != "transparent" else "none"
        if e["type"] in ("rectangle", "frame"):
            o.append(f'<rect x="{e["x"]}" y="{e["y"]}" width="{e["width"]}" height="{e["height"]}" '
                     f'fill="{bg}" stroke="{st}" stroke-width="2"{dash} rx="8"/>')
            if e["type"] == "frame":
                o.append(f'<text x="{e["x"]}" y="{e["y"] - 6}" font-size="16" fill="#666" '
                         f'font-family="sans-serif">{esc(e["name"])}</text>')
        elif e["type"] == "ellipse":
            o.append(f'<ellipse cx="{e["x"] + e["width"] / 2}" cy="{e["y"] + e["height"] / 2}" '
                     f'rx="{e["width"] / 2}" ry="{e["height"] / 2}" fill="{bg}" stroke="{st}" stroke-width="2"{dash}/>')
        elif e["type"] == "diamond":
            cx, cy, w, h = e["x"] + e["width"] / 2, e["y"] + e["height"] / 2, e["width"] / 2, e["height"] / 2
            o.append(f'<polygon points="{cx},{cy - h} {cx + w},{cy} {cx},{cy + h} {cx - w},{cy}" '
                     f'fill="{bg}" stroke="{st}" stroke-width="2"{dash}/>')
        elif e["type"] in ("arrow", "line"):
            pts = " ".join(f'{e["x"] + p[0]},{e["y"] + p[1]}' for p in e["points"])
            col = "#c92a2a" if (e["type"] == "arrow" and not e.get("startBinding") and not e.get("endBinding")) else st
            o.append(f'<polyline points="{pts}" fill="none" stroke="{col}" stroke-width="1.5"{dash}/>')
            if e["type"] == "arrow":
                for head, a, b in ((e.get("endArrowhead"), e["points"][-2], e["points"][-1]),
                                   (e.get("startArrowhead"), e["points"][1], e["points"][0])):
                    if head:
                        ang = math.atan2(b[1] - a[1], b[0] - a[0])
                        px, py = e["x"] + b[0], e["y"] + b[1]
                        p1 = (px - 12 * math.cos(ang - 0.4), py - 12 * math.sin(ang - 0.4))
                        p2 = (px - 12 * math.cos(ang + 0.4), py - 12 * math.sin(ang + 0.4))
                        o.append(f'<polygon points="{px},{py} {p1[0]},{p1[1]} {p2[0]},{p2[1]}" fill="{col}"/>')
    for e in els:
        if e["type"] == "text":
            lines = e["text"].split("\n")
            lh = e["fontSize"] * e.get("lineHeight", 1.25)
            anchor = {"left": "start", "center": "middle", "right": "end"}[e["textAlign"]]
            tx = e["x"] + (e["width"] / 2 if anchor == "middle" else (e["width"] if anchor == "end" else 0))
            col = "#1864ab" if not e.get("containerId") else e["strokeColor"]
            for i, l in enumerate(lines):
                o.append(f'<text x="{tx}" y="{e["y"] + (i + 0.8) * lh}" font-size="{e["fontSize"]}" '
                         f'text-anchor="{anchor}" font-family="sans-serif" fill="{col}">{esc(l)}</text>')
    o.append("</svg>")
    sp = out_png[:-4] + ".svg"
    open(sp, "w").write("\n".join(o))
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    f"--screenshot={out_png}", f"--window-size={int(W)},{int(H)}",
                    "file://" + os.path.abspath(sp)], check=False, capture_output=True, timeout=120)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


if __name__ == "__main__":
    folder = sys.argv[1]
    prev = sys.argv[2] if len(sys.argv) > 2 else None
    bad = 0
    for p in sorted(glob.glob(os.path.join(folder, "*.excalidraw"))):
        probs, smells, n, d = check(p)
        print(f"{os.path.basename(p)}: {n} shapes, {len(probs)} problems, {len(smells)} crossings")
        for x in probs:
            print("   PROBLEM", x)
        for x in smells:
            print("   crossing", x)
        bad += len(probs)
        if prev:
            os.makedirs(prev, exist_ok=True)
            svg(d, os.path.join(prev, os.path.basename(p) + ".png"))
    sys.exit(1 if bad else 0)
