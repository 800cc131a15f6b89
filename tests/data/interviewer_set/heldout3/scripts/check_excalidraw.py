"""Sanity checks for the generated .excalidraw files and a plain-text dump of their graphs."""
import json, glob, os, sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def check(path, dump=False):
    d = json.load(open(path))
    assert d["type"] == "excalidraw"
    els = {e["id"]: e for e in d["elements"]}
    assert len(els) == len(d["elements"]), "duplicate ids"
    lab = {}
    for e in d["elements"]:
        assert e["width"] > 0 or e["height"] > 0 or e["type"] == "arrow", e["id"]
        if e["type"] == "text":
            assert e["text"] and e["fontSize"] and e["fontFamily"]
            if e["containerId"]:
                c = els[e["containerId"]]
                assert {"id": e["id"], "type": "text"} in c["boundElements"], e["id"]
                lab[c["id"]] = e["text"].replace("\n", " ")
        if e["type"] == "arrow":
            assert len(e["points"]) >= 2
            for k in ("startBinding", "endBinding"):
                if e[k]:
                    t = els[e[k]["elementId"]]
                    assert {"id": e["id"], "type": "arrow"} in t["boundElements"], (e["id"], k)
        for b in e.get("boundElements") or []:
            o = els[b["id"]]
            if b["type"] == "text":
                assert o["containerId"] == e["id"]
            else:
                assert e["id"] in ((o["startBinding"] or {}).get("elementId"), (o["endBinding"] or {}).get("elementId"))
        if e.get("frameId"):
            assert els[e["frameId"]]["type"] == "frame"
    for e in d["elements"]:
        if e["type"] == "frame":
            lab[e["id"]] = "[frame] " + e["name"]
    if dump:
        print("==", os.path.basename(path))
        for e in d["elements"]:
            if e["type"] == "arrow" and (e["startBinding"] or e["endBinding"]):
                a = lab.get((e["startBinding"] or {}).get("elementId"), "(unbound)")
                b = lab.get((e["endBinding"] or {}).get("elementId"), "(unbound)")
                al = lab.get(e["id"], "")
                st = " [dashed]" if e["strokeStyle"] == "dashed" else ""
                print(f"  {a}  --{al}-->  {b}{st}")
        for e in d["elements"]:
            if e["type"] == "text" and not e["containerId"]:
                print("  note:", e["text"].replace("\n", " | "))


if __name__ == "__main__":
    for p in sorted(glob.glob(os.path.join(HERE, "*.excalidraw"))):
        check(p, dump="-v" in sys.argv)
    print("all excalidraw files OK")
