"""A hypothesis strategy for Mermaid flowcharts: a graph (nodes with labels, nested
subgraphs, edges with labels and heads) and one of the many ways to write it, so a test
can check that the reader gets the graph back from the text.

The graph is made first, as statements (groups of nodes joined by links, the way Mermaid
builds edges: every node of a group to every node of the next); the text is then
written with randomly chosen syntax for every piece: shapes, quoted and unquoted labels,
`<br/>` and `\\n` breaks, entities, labels at first mention and bare ids after, every
arrow, `|label|` and `-- label -->`, chains and `&`, `~~~`, subgraph title forms,
`direction`, `classDef` / `class` / `:::` / `style` / `linkStyle` / `click`, comments,
`;`, front matter and an init directive, CRLF, inside Markdown with other fences around.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from diagramcheck.note_words import reads_as_note
from hypothesis import strategies as st

WORDS = ["Feature", "store", "Model", "serving", "Kafka", "events", "Training", "job", "API", "gateway", "drift",
         "Модель", "данные", "特征", "🚀", "p95", "50ms", "S3", "user-item", "v2.1", "A/B", "x_y"]
# (arrow, start head, end head, dashed, family for an inline label: (opening, closing) or None)
ARROWS = [
    ("-->", False, True, False, ("--", "-->")), ("---", False, False, False, ("--", "---")),
    ("-.->", False, True, True, ("-.", ".->")), ("-.-", False, False, True, ("-.", ".-")),
    ("==>", False, True, False, ("==", "==>")), ("===", False, False, False, ("==", "===")),
    ("<-->", True, True, False, ("<--", "-->")), ("--o", False, True, False, ("--", "--o")),
    ("--x", False, True, False, ("--", "--x")), ("--->", False, True, False, None),
    ("<-.->", True, True, True, ("<-.", ".->")), ("<==>", True, True, False, ("<==", "==>")),
    ("----", False, False, False, None), ("-..->", False, True, True, None),
]
INVISIBLE = ("~~~", False, False, False, None)
SHAPES = [("[", "]"), ("(", ")"), ("([", "])"), ("[[", "]]"), ("[(", ")]"), ("((", "))"), ("{", "}"), ("{{", "}}"),
          (">", "]"), ("[/", "/]"), ("[\\", "\\]"), ("[/", "\\]"), ("[\\", "/]"), ("(((", ")))")]
DATA_SHAPES = ["rect", "rounded", "stadium", "cyl", "circle", "diamond", "hex", "lean-r", "doc", "processes", "delay"]


@dataclass
class Generated:
    text: str  # the Markdown file
    block: int  # which mermaid block of it holds the flowchart (1-based)
    labels: dict[str, str]  # node id -> label as a reader sees it (lines joined by newlines)
    zone_of: dict[str, str | None]  # node id -> title of the subgraph holding it
    zones: dict[str, str | None]  # subgraph title -> title of its parent
    connections: Counter = field(default_factory=Counter)  # (source, target, label, directed); zones as "zone:<title>"


@st.composite
def label_lines(draw, allow_quotes: bool) -> list[str]:
    lines = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=3)
                 .filter(lambda lines: not reads_as_note("\n".join(lines))))  # a loose one would be a note, by design
    if allow_quotes and draw(st.booleans()):
        lines[0] = lines[0] + ' "quoted" (part) & more'
    return lines


def write_label(draw, lines: list[str], force_quotes: bool = False) -> str:
    """The label's text as written: a line break as <br/>, <br> or \\n; & as &amp;; quotes as #quot;."""
    breaks = [draw(st.sampled_from(["<br/>", "<br>", "<br />", "\\n"])) for _ in lines[1:]]
    text = lines[0] + "".join(b + line for b, line in zip(breaks, lines[1:]))
    special = any(c in text for c in '"()[]{}|') or "\\n" in text
    if draw(st.booleans()) and "&" in text:
        text = text.replace("&", "&amp;")
    if force_quotes or special or draw(st.booleans()):
        return '"' + text.replace('"', "#quot;") + '"'
    return text


@st.composite
def flowcharts(draw) -> Generated:
    n = draw(st.integers(1, 9))
    ids = []
    for i in range(n):
        style = draw(st.sampled_from(["n{}", "Node_{}", "x{}", "o{}", "Узел{}", "svc-{}", "db.{}", "end{}", "class{}", "v{}"]))
        ids.append(style.format(i))
    labels = {i: draw(label_lines(allow_quotes=True)) for i in ids}
    explicit = {i: draw(st.booleans()) for i in ids}
    for i in ids:
        if not explicit[i]:
            labels[i] = [i]  # a bare id: the id is its label

    zone_count = draw(st.integers(0, 4))
    zone_parent: list[int | None] = [draw(st.sampled_from([None, *range(z)])) if z else None for z in range(zone_count)]
    zone_titles = [f"Zone {z} {draw(st.sampled_from(WORDS))}" for z in range(zone_count)]
    zone_form = [draw(st.sampled_from(["id[t]", "id[\"t\"]", "id [t]", "\"t\"", "id"])) for _ in range(zone_count)]
    zone_ids = [f"Z{z}" for z in range(zone_count)]
    for z, form in enumerate(zone_form):
        if form == "id":
            zone_titles[z] = zone_ids[z]
    node_zone = {i: (draw(st.sampled_from([None, *range(zone_count)])) if zone_count else None) for i in ids}

    indent = draw(st.sampled_from(["  ", "    ", "\t", ""]))
    sep = draw(st.sampled_from(["\n", "\n", ";\n", "\n\n"]))
    defined: set[str] = set()
    connections: Counter = Counter()
    mermaid_edges = [0]

    def ref(node: str, define: bool) -> str:
        text = node
        if define and node not in defined and explicit[node]:
            use_data = draw(st.integers(0, 5)) == 0
            if not use_data:
                opening, closing = draw(st.sampled_from(SHAPES))
                text += opening + write_label(draw, labels[node], force_quotes=opening in ("[/", "[\\", "(((")) + closing
            if draw(st.integers(0, 4)) == 0:
                text += ":::hot"
            if use_data:
                label = " ".join(labels[node]).replace('"', "'")
                labels[node] = [label]
                text += '@{ shape: ' + draw(st.sampled_from(DATA_SHAPES)) + ', label: "' + label + '" }'
        defined.add(node)
        return text

    def key(endpoint) -> str:
        return f"zone:{zone_titles[endpoint]}" if isinstance(endpoint, int) else endpoint

    def statement(members: list[str], zone_ends: list[int]) -> str:
        """Groups joined by links; returns the text, records the connections."""
        pool = [*members, *zone_ends]
        groups = [draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
                  for _ in range(draw(st.integers(2, 3)))]
        parts = []
        for g, group in enumerate(groups):
            written = " & ".join(ref(e, True) if isinstance(e, str) else zone_ids[e] for e in group)
            if g:
                arrow = draw(st.sampled_from(ARROWS + [INVISIBLE]))
                word = draw(st.sampled_from(["", "", "calls", "reads features", "p95 50ms", "два слова"]))
                if not word:
                    link = f" {arrow[0]} "
                elif arrow[4] is not None and draw(st.booleans()):
                    opening, closing = arrow[4]
                    link = f" {opening} {word} {closing} " if draw(st.booleans()) else f' {opening} "{word}" {closing} '
                else:
                    link = f" {arrow[0]}|{word}| " if draw(st.booleans()) else f' {arrow[0]}|"{word}"| '
                parts.append(link)
                for source in groups[g - 1]:
                    for target in group:
                        mermaid_edges[0] += 1
                        if arrow is INVISIBLE or key(source) == key(target):
                            continue
                        start, end = key(source), key(target)
                        if arrow[1] and arrow[2]:
                            connections[(start, end, word, True)] += 1
                            connections[(end, start, word, True)] += 1
                        else:
                            connections[(start, end, word, arrow[2])] += 1
            parts.append(written)
        return "".join(parts)

    lines: list[str] = []

    def emit(depth: int, text: str) -> None:
        lines.append(indent * depth + text)

    def write_zone(z: int, depth: int) -> None:
        form = zone_form[z]
        header = {"id[t]": f"{zone_ids[z]}[{zone_titles[z]}]", "id[\"t\"]": f'{zone_ids[z]}["{zone_titles[z]}"]',
                  "id [t]": f"{zone_ids[z]} [{zone_titles[z]}]", "\"t\"": f'"{zone_titles[z]}"', "id": zone_ids[z]}[form]
        emit(depth, f"subgraph {header}")
        if draw(st.booleans()):
            emit(depth + 1, f"direction {draw(st.sampled_from(['LR', 'TB', 'RL', 'BT']))}")
        members = [i for i in ids if node_zone[i] == z]
        for node in members:
            emit(depth + 1, ref(node, True))
        if len(members) >= 2 and draw(st.booleans()):
            emit(depth + 1, statement(members, []))
        for child in range(zone_count):
            if zone_parent[child] == z:
                write_zone(child, depth + 1)
        emit(depth, "end")

    for z in range(zone_count):
        if zone_parent[z] is None:
            write_zone(z, 1)
    top = [i for i in ids if node_zone[i] is None]
    for node in top:
        if draw(st.booleans()):
            emit(1, ref(node, True))
    linkable_zones = [z for z in range(zone_count) if zone_form[z] != "\"t\""]
    for _ in range(draw(st.integers(0, 4))):
        zone_ends = draw(st.lists(st.sampled_from(linkable_zones), max_size=1)) if linkable_zones else []
        emit(1, statement(ids, zone_ends))
        if draw(st.integers(0, 3)) == 0:
            emit(1, "%% a comment between statements")
    for node in top:  # a node no statement mentioned yet stands alone
        if node not in defined:
            emit(1, ref(node, True))
    extras = ["classDef hot fill:#f96,stroke:#333,stroke-width:2px", f"class {ids[0]} hot", f"style {ids[0]} fill:#bbf",
              "linkStyle default stroke:#999", f'click {ids[0]} "https://example.com/x" "a tooltip"', f"click {ids[0]} callback"]
    for extra in draw(st.lists(st.sampled_from(extras), max_size=3, unique=True)):
        emit(1, extra)

    header = draw(st.sampled_from(["flowchart TD", "flowchart LR", "graph TB", "graph LR", "graph", "flowchart RL", "graph BT;"]))
    body = header + "\n" + (sep.join(lines) if sep != ";\n" else "\n".join(_join_some(lines, draw)))
    if draw(st.integers(0, 3)) == 0:
        body = "%%{init: {\"theme\": \"neutral\"}}%%\n" + body
    if draw(st.integers(0, 3)) == 0:
        body = "---\ntitle: Generated design\n---\n" + body
    before = draw(st.sampled_from(["", "# Design\n\nSome text.\n\n", "```python\nprint('```mermaid')\n```\n\n"]))
    other = draw(st.booleans())
    doc = before + ("```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n\n" if other else "")
    doc += "```mermaid\n" + body + "\n```\n\nAfter the diagram.\n"
    if draw(st.booleans()):
        doc = doc.replace("\n", "\r\n")

    for node in ids:
        labels[node] = labels[node]
    return Generated(
        text=doc,
        block=2 if other else 1,
        labels={i: "\n".join(labels[i]) for i in ids},
        zone_of={i: (zone_titles[node_zone[i]] if node_zone[i] is not None else None) for i in ids},
        zones={zone_titles[z]: (zone_titles[zone_parent[z]] if zone_parent[z] is not None else None) for z in range(zone_count)},
        connections=connections,
    )


def _join_some(lines: list[str], draw) -> list[str]:
    """Some statements of the same depth joined on one line with `;`."""
    out: list[str] = []
    for line in lines:
        stripped = line.lstrip()
        if (out and draw(st.booleans()) and not stripped.startswith(("subgraph", "end", "%%", "click", "direction", "classDef", "style", "linkStyle", "class "))
                and not out[-1].lstrip().startswith(("subgraph", "%%", "click", "direction", "classDef", "style", "linkStyle", "class "))):
            out[-1] = out[-1] + "; " + stripped
        else:
            out.append(line)
    return out
