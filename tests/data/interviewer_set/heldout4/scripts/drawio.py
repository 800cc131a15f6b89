"""Tiny standard-library writer for uncompressed draw.io files."""
import random
from xml.sax.saxutils import quoteattr

BOX = "rounded=1;whiteSpace=wrap;html=1;"
DB = "shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;backgroundOutline=1;size=15;"
HEX = "shape=hexagon;perimeter=hexagonPerimeter2;whiteSpace=wrap;html=1;fixedSize=1;"
ACTOR = "shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;html=1;outlineConnect=0;"
ELL = "ellipse;whiteSpace=wrap;html=1;"
NOTE = "shape=note;whiteSpace=wrap;html=1;backgroundOutline=1;darkOpacity=0.05;fillColor=#fff2cc;strokeColor=#d6b656;align=left;spacingLeft=6;"
TEXT = "text;html=1;strokeColor=none;fillColor=none;align=left;verticalAlign=top;whiteSpace=wrap;rounded=0;"
LANE = "swimlane;whiteSpace=wrap;html=1;startSize=30;"
EDGE = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;"


class Diagram:
    def __init__(self, seed, name="Page-1"):
        self.rng = random.Random(seed)
        self.prefix = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                              for _ in range(20))
        self.n = 0
        self.name = name
        self.cells = []
        self.geo = {}   # id -> absolute (x, y, w, h, parent)

    def _id(self):
        self.n += 1
        return f"{self.prefix}-{self.n}"

    def lane(self, title, x, y, w, h, fill="#f5f5f5"):
        i = self._id()
        self.cells.append(f'<mxCell id="{i}" value={quoteattr(title)} style={quoteattr(LANE + "fillColor=" + fill + ";")} vertex="1" parent="1">'
                          f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>')
        self.geo[i] = (x, y, w, h, None)
        return i

    def v(self, label, x, y, w=160, h=60, style=BOX, parent=None, fill=None):
        i = self._id()
        st = style + (f"fillColor={fill};" if fill else "")
        p = parent or "1"
        self.cells.append(f'<mxCell id="{i}" value={quoteattr(label)} style={quoteattr(st)} vertex="1" parent="{p}">'
                          f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>')
        if parent:
            px, py = self.geo[parent][:2]
            self.geo[i] = (px + x, py + y, w, h, parent)
        else:
            self.geo[i] = (x, y, w, h, None)
        return i

    def e(self, src, dst, label="", dashed=False):
        i = self._id()
        st = EDGE + ("dashed=1;" if dashed else "")
        self.cells.append(f'<mxCell id="{i}" value={quoteattr(label)} style={quoteattr(st)} edge="1" parent="1" source="{src}" target="{dst}">'
                          f'<mxGeometry relative="1" as="geometry" /></mxCell>')
        return i

    def check(self):
        items = [(k, g) for k, g in self.geo.items() if k not in self._lanes()]
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                (ka, (ax, ay, aw, ah, _)), (kb, (bx, by, bw, bh, _)) = items[a], items[b]
                if not (ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay):
                    raise AssertionError(f"overlap {ka} {kb}")
        lanes = [(k, self.geo[k]) for k in self._lanes()]
        for a in range(len(lanes)):
            for b in range(a + 1, len(lanes)):
                (ka, (ax, ay, aw, ah, _)), (kb, (bx, by, bw, bh, _)) = lanes[a], lanes[b]
                if not (ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay):
                    raise AssertionError(f"lane overlap {ka} {kb}")
        for k, (x, y, w, h, p) in items:
            if p:
                lx, ly, lw, lh, _ = self.geo[p]
                assert x >= lx and y >= ly + 30 and x + w <= lx + lw and y + h <= ly + lh, ("outside lane", k)
            else:
                for lk, (lx, ly, lw, lh, _) in lanes:
                    assert x + w <= lx or lx + lw <= x or y + h <= ly or ly + lh <= y, ("loose cell in lane", k, lk)

    def _lanes(self):
        return {c.split('"')[1] for c in self.cells if 'swimlane;' in c}

    def dump(self, path, dx=1600, dy=900):
        self.check()
        did = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(20))
        body = "\n        ".join(self.cells)
        xml = f'''<mxfile host="app.diagrams.net" agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36" version="24.4.8" type="device">
  <diagram name={quoteattr(self.name)} id="{did}">
    <mxGraphModel dx="{dx}" dy="{dy}" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="1169" pageHeight="827" math="0" shadow="0">
      <root>
        <mxCell id="0" />
        <mxCell id="1" parent="0" />
        {body}
      </root>
    </mxGraphModel>
  </diagram>
</mxfile>
'''
        with open(path, "w") as fh:
            fh.write(xml)
