"""The Mermaid reader: flowchart blocks of Markdown files and .mmd files, read as Mermaid
reads them (checked against Mermaid 11's own parse of the corpus, ORACLE.jsonl), with
the blocks Mermaid rejects read where the intent is plain and flagged as unrendered."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from diagramcheck.build import build_graph, split_label
from diagramcheck.errors import DiagramError
import io

from diagramcheck import formats
from diagramcheck.readers import parts_of, read_bytes
from tests.conftest import CORPUS, edges, graph_of, labels
from tests.mermaid_flowcharts import flowcharts
from tests.mermaid_oracle import agreement


def md(body: str, name: str = "design.md"):
    return graph_of(f"# Design\n\n```mermaid\n{body}\n```\n", name)


def mmd(body: str):
    return graph_of(body, "design.mmd")


def warnings_of(body: str) -> list[str]:
    return parts_of(body.encode(), "d.mmd")[0].warnings


# --- what a block means -------------------------------------------------------------


def test_labels_at_first_mention_and_bare_ids_after():
    graph = mmd("flowchart LR\n  A[Event log] --> B(Feature pipeline)\n  B --> C[(Feature store)]\n  A --> C")
    assert labels(graph) == ["Event log", "Feature pipeline", "Feature store"]
    assert edges(graph) == {("Event log", "Feature pipeline"), ("Feature pipeline", "Feature store"), ("Event log", "Feature store")}


def test_every_node_shape_gives_its_label():
    shapes = ["A[square]", "B(round)", "C([stadium])", "D[[subroutine]]", "E[(cylinder)]", "F((circle))", "G{diamond}",
              "H{{hexagon}}", "I>odd]", "J[/lean right/]", "K[\\lean left\\]", "L[/trapezoid\\]", "M[\\inverted/]",
              "N(((double)))", "O(-ellipse-)", 'P@{ shape: cyl, label: "shape data" }', "Q@{ shape: doc }"]
    graph = mmd("flowchart TD\n" + "\n".join(shapes))
    assert labels(graph) == sorted(["square", "round", "stadium", "subroutine", "cylinder", "circle", "diamond", "hexagon",
                                    "odd", "lean right", "lean left", "trapezoid", "inverted", "double", "ellipse",
                                    "shape data", "Q"])
    assert warnings_of("flowchart TD\n" + "\n".join(shapes)) == []


def test_quoted_labels_html_entities_breaks_and_icons():
    graph = mmd('flowchart LR\n  A["Serving API<br/>(Champion)"] --> B["Redis &amp; cache\\nonline store"]\n'
                '  C[fa:fa-video Camera stream] --> D["#quot;Model#quot; <b>v2</b>"]\n  E["🤖 Bot"]')
    got = {c.id: (c.label, c.annotations) for c in graph.components}
    assert got["A"] == ("Serving API (Champion)", [])
    assert got["B"] == ("Redis & cache online store", [])
    assert got["C"][0] == "Camera stream"
    assert got["D"][0] == '"Model" v2'
    assert got["E"][0] == "🤖 Bot"


def test_bullet_lines_after_a_title_are_annotations():
    graph = mmd('flowchart LR\n  UH["Historical Interactions<br/>- Watch time<br/>- Clicks"]')
    assert (graph.components[0].label, graph.components[0].annotations) == ("Historical Interactions", ["Watch time", "Clicks"])


@pytest.mark.parametrize("arrow, want", [
    ("-->", {("a", "b")}), ("---", {("a", "b"), ("b", "a")}), ("-.->", {("a", "b")}), ("==>", {("a", "b")}),
    ("<-->", {("a", "b"), ("b", "a")}), ("--o", {("a", "b")}), ("--x", {("a", "b")}), ("---->", {("a", "b")}),
    ("-.-", {("a", "b"), ("b", "a")}), ("<-.->", {("a", "b"), ("b", "a")}), ("o--o", {("a", "b"), ("b", "a")}),
])
def test_every_arrow(arrow, want):
    graph = mmd(f"flowchart LR\n  A[a] {arrow} B[b]")
    assert edges(graph) == want
    directed = {c.directed for c in graph.connections}
    assert directed == ({False} if arrow in ("---", "-.-") else {True})


def test_invisible_link_is_no_connection_but_is_listed():
    graph = mmd("flowchart LR\n  A[a] ~~~ B[b]\n  A --> C[c]")
    assert edges(graph) == {("a", "c")}
    assert [i.reason for i in graph.ignored] == ["~~~ is an invisible link: it spaces nodes, it connects nothing"]


@pytest.mark.parametrize("written", [
    "A -->|calls| B", 'A -->|"calls"| B', "A -- calls --> B", 'A -- "calls" --> B', "A-- calls -->B", "A --> |calls| B",
    "A -. calls .-> B", "A == calls ==> B", 'A -.->|"calls"| B',
])
def test_edge_labels_in_every_form(written):
    graph = mmd(f"flowchart LR\n  A[a]\n  B[b]\n  {written}")
    assert [(c.source, c.target, c.label) for c in graph.connections] == [("A", "B", "calls")]


def test_multi_line_edge_label_and_newline_before_target():
    graph = mmd("flowchart TB\n  dvc[(.dvc)] <-->|dvc pull\n                   dvc push| s3[(S3 Storage)]\n  A[a] -->\n  B[b]")
    assert {(c.source, c.target, c.label) for c in graph.connections} == {
        ("dvc", "s3", "dvc pull\ndvc push"), ("s3", "dvc", "dvc pull\ndvc push"), ("A", "B", "")}


def test_chains_and_fan_out():
    graph = mmd("flowchart LR\n  A & B --> C & D --> E\n  E --> F --> G")
    assert edges(graph) == {("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("C", "E"), ("D", "E"), ("E", "F"), ("F", "G")}


def test_subgraphs_are_zones_nested_titled_and_connected():
    graph = mmd('flowchart TB\n  subgraph ON["Online serving"]\n    direction LR\n    API[API] --> M[Model]\n'
                '    subgraph CACHE[Cache layer]\n      R[(Redis)]\n    end\n  end\n'
                '  subgraph Offline training\n    T[Trainer]\n  end\n  subgraph "Monitoring"\n    MON[Grafana]\n  end\n'
                '  subgraph bare\n    X[Thing]\n  end\n  T --> ON\n  ON --> Monitoring')
    parents = {z.label: next((p.label for p in graph.zones if p.id == z.parent), None) for z in graph.zones}
    assert parents == {"Online serving": None, "Cache layer": "Online serving", "Offline training": None,
                       "Monitoring": None, "bare": None}
    assert {c.label: c.zone for c in graph.components} == {"API": "Online serving", "Model": "Online serving",
                                                           "Redis": "Cache layer", "Trainer": "Offline training",
                                                           "Grafana": "Monitoring", "Thing": "bare"}
    assert ("Trainer", "[Online serving]") in edges(graph) and ("[Online serving]", "[Monitoring]") in edges(graph)


def test_membership_as_mermaid_has_it():
    """A node mentioned in two subgraphs belongs to the one that closed first; a subgraph id
    used as a node is the subgraph; a node only referenced in a later subgraph stays put."""
    graph = mmd("flowchart LR\n  subgraph Data\n    A[Raw] --> B[Clean]\n  end\n"
                "  subgraph Features\n    B --> C[Feature store]\n  end\n  subgraph Outer\n    subgraph Inner\n      D[d]\n    end\n    D\n  end")
    assert {c.label: c.zone for c in graph.components} == {"Raw": "Data", "Clean": "Data", "Feature store": "Features", "d": "Inner"}


def test_styling_click_comments_semicolons_front_matter_and_directives_are_read_past():
    body = ('---\ntitle: Fraud scoring\nconfig:\n  theme: dark\n---\n%%{init: {"flowchart": {"curve": "basis"}}}%%\n'
            "graph TD;\n  %% the request path\n  A[Client]:::hot --> B[Scoring API];B --> C{Rules}\n"
            "  classDef hot fill:#f96,stroke:#333;\n  class A,B hot\n  style C fill:#bbf,stroke:#f66,stroke-width:2px\n"
            "  linkStyle 0 stroke:#ff3,stroke-width:4px\n  click A \"https://example.com\" \"docs\" _blank\n  click B callback\n"
            "  accTitle: fraud\n  accDescr: scoring path")
    graph = mmd(body)
    assert labels(graph) == ["Client", "Rules", "Scoring API"]
    assert edges(graph) == {("Client", "Scoring API"), ("Scoring API", "Rules")}
    assert [n.text for n in graph.notes] == ["Fraud scoring"]
    assert warnings_of(body) == []


def test_kind_tags_and_suppressions_in_comments():
    graph = mmd("flowchart LR\n  %% diagramcheck: kind X feature_store\n  %% diagramcheck: ignore feedback-loop labels arrive by email\n"
                "  X[Magic box] --> Y[Model]")
    assert graph.by_id["X"].kind == "feature_store" and graph.by_id["X"].kind_source == "tag"
    assert [n.text for n in graph.notes] == ["diagramcheck: ignore feedback-loop labels arrive by email"]


def test_text_and_comment_shapes_are_notes():
    graph = mmd('flowchart LR\n  A[API] --> M[Model]\n  N@{ shape: text, label: "p99 < 100 ms at 5k QPS" }\n'
                '  C@{ shape: brace, label: "offline: AUC" }\n  M --- C')
    assert labels(graph) == ["API", "Model"]
    assert sorted(n.text for n in graph.notes) == ["offline: AUC", "p99 < 100 ms at 5k QPS"]


# --- what Mermaid rejects -----------------------------------------------------------


@pytest.mark.parametrize("body, label, warning", [
    ("A[Feature Processor (Sliding Windows)] --> B", "Feature Processor (Sliding Windows)", "unquoted '('"),
    ("A[List [a, b]] --> B", "List [a, b]", "unquoted '['"),
    ("A{Score > 0.5 (calibrated)?} --> B", "Score > 0.5 (calibrated)?", "unquoted '('"),
    ('A[ "Quoted" ] --> B', '"Quoted"', "unquoted '\"'"),
    ("A [Spaced] --> B", "Spaced", "a space between node 'A' and its label"),
])
def test_tolerated_labels_warn_that_github_will_not_render(body, label, warning):
    text = f"flowchart LR\n  {body}"
    graph = mmd(text)
    assert graph.by_id["A"].label == label and edges(graph) == {(label, "B")}
    found = warnings_of(text)
    assert len(found) == 1 and warning in found[0] and found[0].endswith("GitHub will not render this block")
    assert found[0].startswith("line 2: ")


@pytest.mark.parametrize("body, want, warning", [
    ("A->B", {("A", "B")}, "'->' is not a Mermaid arrow"),
    ("A &B --> C", {("A", "C"), ("B", "C")}, "'&' needs a space on both sides"),
    ("A --> B %% why", {("A", "B")}, "a %% comment after a statement"),
    ("A -->|score (raw)| B", {("A", "B")}, "inside an edge label"),
    ("subgraph S\n  A --> B", {("A", "B")}, "has no `end`"),
    ("A --> B\n  end", {("A", "B")}, "`end` closes no subgraph"),
    ("A -- a -- b --> B", {("A", "B")}, "'--' inside an edge label"),
])
def test_tolerated_statements(body, want, warning):
    text = f"flowchart LR\n  {body}"
    assert edges(mmd(text)) == want
    assert any(warning in w for w in warnings_of(text))


@pytest.mark.parametrize("body, message", [
    ("A[unclosed --> B", "Mermaid syntax error at line 2: expected the end of the node's label"),
    ('A["unterminated] --> B', "expected a closing '\"'"),
    ("A --> ", "expected a node id"),
    ("A --> B C --> D", "expected an arrow, ';' or a new line"),
    ("A -- label without end", "expected the arrow that ends the edge label"),
])
def test_unreadable_blocks_name_the_line(body, message):
    with pytest.raises(DiagramError, match=message.replace("(", r"\(").replace("[", r"\[")):
        mmd(f"flowchart LR\n  {body}")


# --- Markdown files: one sketch per block -------------------------------------------------


DOC = """# Design doc

```python
print("```mermaid is only text here")
```

```mermaid
flowchart LR
  A[Client] --> B[Model]
```

Some prose.

```mermaid
sequenceDiagram
  A->>B: hi
```

   ```mermaid
   graph TD
     C[Trainer] --> D[Registry]
   ```

```mermaid
flowchart LR
  A[broken --> B
```
"""


def test_every_block_is_a_part_with_its_line():
    parts = parts_of(DOC.encode(), "notes.md")
    assert [(p.name, p.line) for p in parts] == [("notes.md#block1", 7), ("notes.md#block2", 14), ("notes.md#block3", 19),
                                                 ("notes.md#block4", 24)]
    assert parts[1].skipped == "a sequence diagram (only flowchart and graph blocks are reviewed)"
    assert [s.label for s in parts[2].sketch.shapes] == ["Trainer", "Registry"]
    assert parts[3].error == "Mermaid syntax error at line 26: expected the end of the node's label, found 'broken --> B'"
    assert read_bytes(DOC.encode(), "notes.md#block3").line == 19
    with pytest.raises(DiagramError, match="holds 3 Mermaid flowcharts: name one as notes.md#blockN"):
        read_bytes(DOC.encode(), "notes.md")
    with pytest.raises(DiagramError, match="has no Mermaid block 9 \\(it has 4\\)"):
        read_bytes(DOC.encode(), "notes.md#block9")


def test_crlf_markdown_keeps_lines_and_labels():
    parts = parts_of(DOC.replace("\n", "\r\n").encode(), "notes.md")
    assert [p.line for p in parts] == [7, 14, 19, 24]
    assert [s.label for s in parts[0].sketch.shapes] == ["Client", "Model"]


def test_cli_reviews_each_block_and_exits_2_for_the_broken_one(tmp_path, cli):
    doc = tmp_path / "notes.md"
    doc.write_text(DOC, encoding="utf-8")
    code, out, err = cli("graph", "--format", "json", str(doc))
    document = json.loads(out)
    assert code == 2
    assert [(f["path"], f["line"]) for f in document["files"]] == [(f"{doc}#block1", 7), (f"{doc}#block3", 19)]
    assert document["errors"] == [{"path": f"{doc}#block4", "message": "Mermaid syntax error at line 26: expected the end of the node's label, found 'broken --> B'"}]
    assert f"diagramcheck: skipped {doc}#block2: line 14: a sequence diagram (only flowchart and graph blocks are reviewed)" in err
    code, out, err = cli("review", "--format", "json", f"{doc}#block1")
    assert code in (0, 1) and [f["path"] for f in json.loads(out)["files"]] == [f"{doc}#block1"]
    code, out, err = cli("review", "--format", "github", f"{doc}#block3")
    assert out and all(f"file={doc},line=" in line for line in out.splitlines())
    code, out, err = cli("review", "--format", "github", f"{doc}#block4")  # a block that cannot be read: its file, and which block
    assert out == f"::error file={doc},title=diagramcheck::block 4: Mermaid syntax error at line 26: expected the end of the node's label, found 'broken --> B'\n"


def test_findings_point_at_the_line_of_their_node_or_edge_in_the_markdown_file(tmp_path, cli):
    doc = tmp_path / "notes.md"
    doc.write_text(DOC, encoding="utf-8")
    code, out, err = cli("review", "--format", "pylint", f"{doc}#block3")
    lines = {line.split(": [", 1)[0] for line in out.splitlines()}
    assert lines and lines <= {f"{doc}:19", f"{doc}:20", f"{doc}:21"}  # the fence, or the line naming Trainer and Registry
    code, out, err = cli("review", "--format", "sarif", str(doc))
    regions = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
               for r in json.loads(out)["runs"][0]["results"]}
    assert {uri for uri, _ in regions} == {doc.as_posix()} and {line for _, line in regions} <= {7, 8, 9, 19, 20, 21}


def test_each_node_and_edge_has_its_line_in_the_file():
    text = "# Doc\n\n```mermaid\nflowchart LR\n  A --> B\n  B[Model server] --> C[(Logs)]\n```\n"
    sketch = parts_of(text.encode(), "doc.md")[0].sketch
    assert sketch.line == 3
    assert sketch.source_lines == {"A": 5, "B": 6, "C": 6, "edge0": 5, "edge1": 6}  # B's line is where its label is


def test_markdown_without_a_sketch_is_not_one(tmp_path, cli):
    readme = b"# Notes\n\nNo diagram here.\n\n```python\nx = 1\n```\n"
    sequence_only = b"```mermaid\nsequenceDiagram\n```\n"
    assert formats.detect("README.md", io.BytesIO(readme)) is None
    assert formats.detect("doc.md", io.BytesIO(DOC.encode())) == "mermaid-markdown"
    assert formats.detect("flow.mmd", io.BytesIO(b"graph TD\n A-->B")) == "mermaid"
    assert formats.detect("flow", io.BytesIO(b"%% made by hand\nflowchart LR\n A-->B")) == "mermaid"
    assert formats.detect("seq.mdx", io.BytesIO(sequence_only)) is None  # only flowcharts are reviewed
    with pytest.raises(DiagramError, match="no Mermaid flowchart and no Excalidraw drawing"):
        read_bytes(readme, "README.md")
    with pytest.raises(DiagramError, match="skipped: a sequence diagram"):
        read_bytes(sequence_only, "seq.md")
    for name, data in (("README.md", readme), ("seq.md", sequence_only)):
        (tmp_path / name).write_bytes(data)
    code, _, err = cli("review", str(tmp_path / "README.md"), str(tmp_path / "seq.md"))
    assert code == 0 and err.count("no Mermaid flowchart and no Excalidraw drawing in this document") == 2
    (tmp_path / "design.md").write_text(DOC, encoding="utf-8")
    code, out, err = cli("graph", "--format", "json", str(tmp_path))  # the walk: only the design doc
    assert {f["path"].split("#")[0] for f in json.loads(out)["files"]} == {str(tmp_path / "design.md")}
    assert "README.md" not in err and "seq.md" not in err


def test_a_drawing_section_of_a_design_doc_is_not_an_obsidian_note():
    doc = b"# Design\n\n## Drawing\n\n```mermaid\nflowchart LR\n  A[API] --> B[Model]\n```\n"
    assert edges(graph_of(doc, "design.md")) == {("API", "Model")}
    assert formats.detect("design.md", io.BytesIO(doc)) == "mermaid-markdown"
    note = b'%%\n# Drawing\n```json\n{"type": "excalidraw", "elements": []}\n```\n%%\n'  # a note without its front matter
    assert formats.detect("note.md", io.BytesIO(note)) == "obsidian"


def test_mmd_file_and_unnamed_content():
    assert edges(graph_of(b"%% a comment\ngraph LR\n  A-->B", "diagram.mermaid")) == {("A", "B")}
    assert edges(graph_of(b"flowchart LR\n  A-->B\n", "stdin")) == {("A", "B")}


# --- hostile input --------------------------------------------------------------------


@pytest.mark.parametrize("text, error", [
    ("flowchart LR\n" + "subgraph s\n" * 250 + "end\n" * 250, "subgraph nesting depth is over the limit of 200"),
    ("flowchart LR\n" + " & ".join(f"a{i}" for i in range(200)) + " --> " + " & ".join(f"b{i}" for i in range(200)),
     "edge count is 40,000, over the limit of 20,000"),
    ("flowchart LR\n  " + "a" * 10_001 + " --> B", "node id length is 10,001, over the limit of 10,000"),
])
def test_limits(text, error):
    with pytest.raises(DiagramError, match=error):
        mmd(text)


def test_subgraphs_that_hold_each_other_are_cut_not_looped():
    graph = mmd("flowchart LR\n  subgraph O\n    subgraph I\n      O\n    end\n    A[a]\n  end")
    parents = {z.id: z.parent for z in graph.zones}
    assert parents == {"I": "O", "O": None} or parents == {"I": None, "O": "I"}


@pytest.mark.parametrize("text", [
    "flowchart LR\n" + 'A["' * 5000,
    "flowchart LR\n" + "A[(x] " * 3000,
    "flowchart LR\n" + "A -- " * 3000,
    "flowchart LR\n" + "A[" + "(" * 5000 + "]",
    "flowchart LR\n" + "%%{" * 3000,
    "flowchart LR\n" + ("A[" + "x" * 3000 + "\n") * 20,
    "flowchart LR\n" + "A-->B;" * 3000 + 'C["' + "x" * 10000,
    "```mermaid\n" * 3000,
    "flowchart LR\n" + "subgraph " * 3000,
    "flowchart LR\n  A@{" + ' "x' * 3000,
    "flowchart LR\n" + "\x00\x01" * 100,
])
def test_hostile_blocks_end_in_a_reason_or_a_graph(text):
    try:
        parts = parts_of(text.encode(), "h.md" if text.startswith("```") else "h.mmd")
    except DiagramError:
        return
    for part in parts:
        if part.sketch is not None:
            build_graph(part.sketch)
        else:
            assert part.error or part.skipped


# --- generated flowcharts ------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(flowcharts())
def test_generated_flowcharts_read_back_as_the_graph_they_were_written_from(generated):
    part = parts_of(generated.text.encode(), "gen.md")[generated.block - 1]
    assert part.error is None and part.warnings == [], (part.error, part.warnings, generated.text)
    graph = build_graph(part.sketch)
    zone_label = {z.id: z.label for z in graph.zones}
    assert {c.id: (c.label, c.annotations) for c in graph.components} == {
        node: split_label(text) for node, text in generated.labels.items()}
    assert {c.id: c.zone for c in graph.components} == generated.zone_of
    assert {z.label: zone_label.get(z.parent) for z in graph.zones} == generated.zones

    def key(end: str, is_zone: bool) -> str:
        return f"zone:{zone_label[end]}" if is_zone else end

    got = Counter((key(c.source, c.source_is_zone), key(c.target, c.target_is_zone), c.label, c.directed)
                  for c in graph.connections)
    assert got == generated.connections


# --- the corpus, against Mermaid's own parse ------------------------------------------


def test_corpus_agrees_with_mermaid(corpus):
    result = agreement(corpus / "mermaid")
    assert result["blocks"] == result["blocks_read"] == 85
    assert result["edges_matched"] / result["edges"] >= 0.98
    assert result["edges_extra"] == 0
    assert result["nodes_matched"] == result["nodes"] and result["nodes_extra"] == 0
    assert result["subgraphs_matched"] == result["subgraphs"]


DESIGN_NOTE = """# Learning-path recommendation

Study notes. Setup: `pip install -r requirements.txt` and see metrics in Grafana.

## 1. Requirements
- 5M monthly learners, 1.2k requests/s at peak, p99 < 150 ms

## 2. Metrics
- Offline: NDCG@10. Online: lesson completion rate (A/B)

## 3. Architecture

```mermaid
flowchart LR
  app[Learner app] --> api[Next-lesson API] --> rk[Ranker LightGBM]
```

```python
metrics = {"offline": "auc"}  # code, not prose
```

## 4. Usage
Run `make serve`; business metrics are in the BI tool.

## Trade-offs I would discuss
- training rows use point-in-time joins of the features
"""


def test_a_design_notes_sections_around_its_block_are_read_as_its_notes(tmp_path, cli):
    """Requirements and metrics written in the document's own sections answer the rules an
    interviewer reads them for; code blocks and sections such as usage are not read; the
    prose is not drawn into a rendered picture."""
    graph = graph_of(DESIGN_NOTE, "design.md")
    [document] = [n for n in graph.notes if not n.drawn]
    assert "1.2k requests/s" in document.text and "NDCG@10" in document.text
    assert "make serve" not in document.text and '"auc"' not in document.text and "pip install" not in document.text
    assert document.text.startswith("# Learning-path recommendation") and "point-in-time joins" in document.text
    sketch = tmp_path / "design.md"
    sketch.write_text(DESIGN_NOTE, encoding="utf-8")
    code, out, err = cli("review", "--format", "json", str(sketch))
    rules = {f["rule"] for f in json.loads(out)["files"][0]["findings"]}
    assert not {"requirements-stated", "metrics-stated"} & rules, rules
    bare = tmp_path / "bare.md"
    bare.write_text(DESIGN_NOTE.split("## 1.")[0] + "```mermaid" + DESIGN_NOTE.split("```mermaid")[1], encoding="utf-8")
    code, out, err = cli("review", "--format", "json", str(bare))
    assert {"requirements-stated", "metrics-stated"} <= {f["rule"] for f in json.loads(out)["files"][0]["findings"]}


def test_the_documents_prose_is_no_caption_of_a_rendered_picture():
    from diagramcheck.writers.render import render_dot

    graph = graph_of(DESIGN_NOTE, "design.md")
    dot = render_dot(graph, set(), set())
    assert "requests/s" not in dot and "Ranker LightGBM" in dot
