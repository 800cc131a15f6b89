"""A tokenizer and parser for Mermaid flowcharts (`flowchart` / `graph`), after Mermaid's
own grammar (packages/mermaid/src/diagrams/flowchart/parser/flow.jison) and the way its
FlowDB stores what it parses:

- a node's label is set wherever it is written with a shape (`A[Label]`, the last one
  wins) and the id alone refers to it everywhere else; `style X` creates node X too;
- `A --> B --> C` chains, `A & B --> C & D` fans out (every start to every end);
- a subgraph holds the nodes mentioned in its statements, except those an earlier
  closed subgraph already holds (inner subgraphs close first, so they win), and the
  subgraphs nested in it; an id used both for a node and a subgraph is the subgraph;
- a subgraph without an id, or whose title has spaces, is named `subGraph<N>`, N
  counting the subgraphs closed before it;
- edges are numbered in the order Mermaid creates them, `~~~` included (that is what
  `linkStyle N` counts), though `~~~` only spaces nodes and connects nothing.

Mermaid rejects some blocks whose intent is plain; those are read anyway and each
tolerance is recorded as a warning that GitHub will not render the block (the common
one: unquoted parentheses inside `[...]`). What cannot be read is a DiagramError
with the file line.

Every step consumes input: scans use str.find and regular expressions made of single
character classes, alternatives that start with different characters, or bounded
repeats, so the parse is linear in the block's length; subgraph nesting is an
explicit stack, bounded by the nesting limit.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS

RENDER_WARNING = "GitHub will not render this block"
MAX_EDGES = 20_000  # per block; Mermaid itself draws at most 500 (its maxEdges default)
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000  # Mermaid's maxTextSize default

OTHER_DIAGRAMS = {
    "sequencediagram": "a sequence diagram", "classdiagram": "a class diagram", "classdiagram-v2": "a class diagram",
    "statediagram": "a state diagram", "statediagram-v2": "a state diagram", "erdiagram": "an entity-relationship diagram",
    "gantt": "a Gantt chart", "pie": "a pie chart", "mindmap": "a mind map", "journey": "a user journey",
    "gitgraph": "a git graph", "timeline": "a timeline", "quadrantchart": "a quadrant chart",
    "requirementdiagram": "a requirement diagram", "sankey": "a Sankey diagram", "sankey-beta": "a Sankey diagram",
    "xychart": "an XY chart", "xychart-beta": "an XY chart", "block": "a block diagram", "block-beta": "a block diagram",
    "packet": "a packet diagram", "packet-beta": "a packet diagram", "architecture": "an architecture diagram",
    "architecture-beta": "an architecture diagram", "kanban": "a kanban board", "radar-beta": "a radar chart",
    "treemap": "a treemap", "treemap-beta": "a treemap", "zenuml": "a ZenUML sequence diagram", "info": "an info block",
    "c4context": "a C4 diagram", "c4container": "a C4 diagram", "c4component": "a C4 diagram",
    "c4dynamic": "a C4 diagram", "c4deployment": "a C4 diagram",
}

# Mermaid 11's shape names for `@{ shape: ... }` (rendering-elements/shapes.ts)
SHAPES = frozenset(
    "rect proc process rectangle rounded event stadium terminal pill fr-rect subprocess subproc framed-rectangle "
    "subroutine cyl db database cylinder datastore data-store circle circ bang cloud diam decision diamond question "
    "hex hexagon prepare lean-r lean-right in-out lean-l lean-left out-in trap-b priority trapezoid-bottom trapezoid "
    "trap-t manual trapezoid-top inv-trapezoid dbl-circ double-circle text notch-rect card notched-rectangle lin-rect "
    "lined-rectangle lined-process lin-proc shaded-process sm-circ start small-circle fr-circ stop framed-circle fork "
    "join hourglass collate brace comment brace-l brace-r braces bolt com-link lightning-bolt doc document delay "
    "half-rounded-rectangle h-cyl das horizontal-cylinder lin-cyl disk lined-cylinder curv-trap curved-trapezoid "
    "display div-rect div-proc divided-rectangle divided-process tri extract triangle win-pane internal-storage "
    "window-pane f-circ junction filled-circle notch-pent loop-limit notched-pentagon flip-tri manual-file "
    "flipped-triangle sl-rect manual-input sloped-rectangle docs documents st-doc stacked-document st-rect procs "
    "processes stacked-rectangle bow-rect stored-data bow-tie-rectangle cross-circ summary crossed-circle tag-doc "
    "tagged-document tag-rect tagged-rectangle tag-proc tagged-process flag paper-tape odd lin-doc lined-document "
    "rect_left_inv_arrow state choice note rectWithTitle labelRect iconSquare iconCircle icon iconRounded imageSquare "
    "anchor".split()
)

# Shape openers, longest first, with their closers and Mermaid's shape names
_OPENERS = (
    ("(((", (")))",), "doublecircle"), ("((", ("))",), "circle"), ("([", ("])",), "stadium"), ("(-", ("-)",), "ellipse"),
    ("(", (")",), "round"), ("[[", ("]]",), "subroutine"), ("[(", (")]",), "cylinder"),
    ("[/", ("/]", "\\]"), "lean_right"), ("[\\", ("\\]", "/]"), "lean_left"), ("[|", ("]",), "rect"),
    ("[", ("]",), "square"), ("{{", ("}}",), "hexagon"), ("{", ("}",), "diamond"), (">", ("]",), "odd"),
)
_TRAPEZOIDS = {("lean_right", "\\]"): "trapezoid", ("lean_left", "/]"): "inv_trapezoid"}

# An id: Mermaid's NODE_STRING and the tokens its idString joins (letters of every
# script, digits, `!#$%'*+.?\/_`,:`); `-` not before `-`, `>` or `.` (an arrow),
# `=` not before `=`, `:` not starting `:::`, `&` only inside a word (`A & B` fans out)
_ID = re.compile(r"(?:[\w!#$%'*+.?\\/`,]|-(?![->.])|=(?!=)|:(?!::)|&(?=[\w!#$%'*+.?\\/`,]))+")
_SPACES = re.compile(r"[ \t]+")
_BLANK = re.compile(r"\s+")  # spaces and line breaks
_TEXT_RUN = re.compile(r"[^\[\](){}|\"]*")  # Mermaid's unquoted label text: no bracket, bar or quote
_LINE_REST = re.compile(r"[^\n;]*")
_KEYWORD = re.compile(r"(subgraph|end|style|linkStyle|classDef|class|click|direction|accTitle|accDescr)(?![\w-])")
_LINK_ID = re.compile(r"[ \t]+([^\s\"@{}]{1,200})@(?=[-=.~<xo])")

# Links, as Mermaid's lexer has them; `\s` includes line breaks, as in Mermaid
_LINK_NORMAL = re.compile(r"\s*([xo<]?)(-{2,})([-xo>])\s*")
_START_NORMAL = re.compile(r"\s*([xo<]?)--\s*")
_LINK_THICK = re.compile(r"\s*([xo<]?)(={2,})([=xo>])\s*")
_START_THICK = re.compile(r"\s*([xo<]?)==\s*")
_LINK_DOTTED = re.compile(r"\s*([xo<]?)(-?\.+-)([xo>]?)\s*")
_START_DOTTED = re.compile(r"\s*([xo<]?)-\.\s*")
_LINK_INVISIBLE = re.compile(r"\s*(~{3,})\s*")
_LINK_SLOPPY = re.compile(r"\s*(<?)-(>)\s*")  # `A->B`: Mermaid rejects it, the intent is an arrow
_DOTTED_TAIL = re.compile(r"-[xo>]?")


@dataclass(slots=True)
class Vertex:
    id: str
    line: int  # where it is first mentioned
    text: str | None = None  # raw label as written (None: the id is the label)
    label_line: int | None = None  # where the label it shows is written
    markdown: bool = False
    shape: str | None = None
    only_styled: bool = True  # created by a `style` statement and nothing else


@dataclass(slots=True)
class Edge:
    index: int  # Mermaid's edge number (what `linkStyle` counts)
    start: str
    end: str
    text: str  # raw label
    type: str  # arrow_point, arrow_open, arrow_cross, arrow_circle, double_arrow_point...
    stroke: str  # normal, thick, dotted, invisible
    line: int
    markdown: bool = False


@dataclass(slots=True)
class Subgraph:
    id: str
    title: str  # raw title
    nodes: list[str]  # direct members after Mermaid's dedup: node ids and nested subgraph ids
    line: int
    explicit_title: bool = True
    end: tuple[int, int] | None = None  # file line and column of its `end` (None: left open, closed by the block's end)


@dataclass
class Flowchart:
    direction: str = "TB"
    title: str | None = None  # front matter `title:`
    vertices: dict[str, Vertex] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    subgraphs: list[Subgraph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    directives: list[tuple[int, str]] = field(default_factory=list)  # `%% diagramcheck: ...` comments
    classes: dict[str, set[str]] = field(default_factory=dict)  # node id -> its `:::class` and `class` names
    edge_ids: set[str] = field(default_factory=set)
    open_subgraphs: int = 0  # left open at the end of the block (read as closed there)


@dataclass
class _Frame:
    id_text: str | None
    title: str
    explicit_title: bool
    line: int
    items: list[str] = field(default_factory=list)


_FIRST_WORD = re.compile(r"\s*([^\s;]{0,40})")
_HEADER = re.compile(r"\s*(flowchart-elk|flowchart|graph)(?![\w-])")
_DIRECTION = re.compile(r"[ \t]*(TB|TD|BT|RL|LR|[<>^v])(?=[\s;]|$)")


def diagram_kind(body: str) -> str | None:
    """None for a flowchart; else what the block is, for the reason it is skipped."""
    if _HEADER.match(body):
        return None
    first = _FIRST_WORD.match(body).group(1)
    if not first:
        return "an empty block"
    return OTHER_DIAGRAMS.get(first.lower(), f"a {first[:40]!r} block, not a flowchart")


def preprocess(text: str, first_line: int) -> tuple[str, str | None, list[tuple[int, str]], list[str]]:
    """Mermaid's preprocessing, keeping every line where it was: line endings made LF,
    front matter (its `title:` kept), `%%{init}%%` directives and `%%` comment lines
    blanked. Returns the text, the title, `%% diagramcheck:` comments, and warnings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    warnings: list[str] = []
    title = None
    lead = len(text) - len(text.lstrip())
    if text.startswith("---", lead) and _is_fence_line(text, lead):
        close = _front_matter_end(text, lead)
        if close is not None:
            if lead and text[:lead].strip() == "":
                warnings.append(f"line {first_line}: blank lines before the front matter; {RENDER_WARNING} (start the block with ---)")
            title = _front_matter_title(text[lead:close])
            text = _blank(text, 0, close)
    text = _blank_directives(text)
    comments: list[tuple[int, str]] = []
    if "%%" not in text:
        return text, title, comments, warnings
    out: list[str] = []
    done, line, counted = 0, first_line, 0
    for match in _COMMENT_LINE.finditer(text):  # found by a search, not a loop over every line
        comment = match.group(1).strip()
        if comment.lower().startswith("diagramcheck:"):
            line += text.count("\n", counted, match.start())
            counted = match.start()
            comments.append((line, comment))
        out.append(text[done : match.start()])  # the comment line left empty
        done = match.end()
    out.append(text[done:])
    return "".join(out), title, comments, warnings


# a `%%` comment line (not a `%%{` directive), from the start of its line to its end
_COMMENT_LINE = re.compile(r"(?m)^[^\S\n]*%%(?!\{)([^\n]*)")


def _is_fence_line(text: str, at: int) -> bool:
    end = text.find("\n", at)
    line = text[at : end if end != -1 else len(text)]
    return line.strip() == "---"


def _front_matter_end(text: str, start: int) -> int | None:
    pos = text.find("\n", start)
    while pos != -1:
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1 : nxt if nxt != -1 else len(text)]
        if line.strip() == "---":
            return nxt if nxt != -1 else len(text)
        pos = nxt
    return None


def _front_matter_title(block: str) -> str | None:
    for line in block.split("\n"):
        if line.startswith("title:"):
            value = line[len("title:"):].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            return value or None
    return None


def _blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] with spaces, keeping its line breaks."""
    return text[:start] + "".join("\n" if ch == "\n" else " " for ch in text[start:end]) + text[end:]


def _blank_directives(text: str) -> str:
    if "%%{" not in text:
        return text
    parts: list[str] = []
    pos = 0
    while True:
        start = text.find("%%{", pos)
        if start == -1:
            parts.append(text[pos:])
            return "".join(parts)
        close = text.find("}%%", start + 3)
        end = close + 3 if close != -1 else len(text)
        parts.append(text[pos:start])
        parts.append("".join("\n" if ch == "\n" else " " for ch in text[start:end]))
        pos = end


class StatementsOverLimit(LimitExceeded):
    """The file's statements or elements are over the limit: the file is refused, not one block."""


@dataclass
class FileBudget:
    """What the blocks of one file may still hold, counted as they are parsed: statements
    (limits.statements_allowed) and elements, nodes and visible links (limits.check_density,
    which the whole file's sketches meet after reading: each node and visible link is at
    least one element of them, so refusing here refuses only what that check would, after
    parsing it all)."""

    size: int  # of the file, in bytes
    statements: int = 0
    elements: int = 0

    def __post_init__(self) -> None:
        self.statements = LIMITS.statements_allowed(self.size)
        self.elements = max(LIMITS.dense_elements, self.size // LIMITS.bytes_per_element)

    def statement(self) -> None:
        self.statements -= 1
        if self.statements < 0:
            raise StatementsOverLimit("Mermaid statement count is over the limit for the file's size "
                                      f"({LIMITS.dense_elements:,}, or one per {LIMITS.bytes_per_statement} bytes)")

    def element(self, count: int = 1) -> None:
        self.elements -= count
        if self.elements < 0:
            allowed = max(LIMITS.dense_elements, self.size // LIMITS.bytes_per_element)
            raise StatementsOverLimit(f"element count is over the limit of {allowed:,} for a file of {self.size:,} bytes "
                                      f"({LIMITS.dense_elements:,}, or one per {LIMITS.bytes_per_element} bytes of file)")


def parse_block(text: str, first_line: int = 1, budget: FileBudget | None = None) -> Flowchart | str:
    """The flowchart a block holds, or (a str) what else it is. `first_line` is the file
    line of the block's first line: warnings and errors name file lines. `budget` holds
    what the file may still have, shared by its blocks."""
    body, title, comments, warnings = preprocess(text, first_line)
    other = diagram_kind(body)
    if other is not None:
        return other
    parser = _Parser(body, first_line, budget)
    chart = parser.parse()
    chart.title = title
    chart.directives = comments
    chart.warnings[:0] = warnings
    if len(text) > MERMAID_MAX_TEXT:
        chart.warnings.append(f"the block has {len(text):,} characters, over Mermaid's limit of {MERMAID_MAX_TEXT:,}; {RENDER_WARNING}")
    if len(chart.edges) > MERMAID_MAX_EDGES:
        chart.warnings.append(f"the block has {len(chart.edges):,} edges, over Mermaid's limit of {MERMAID_MAX_EDGES}; {RENDER_WARNING}")
    return chart


class _Parser:
    def __init__(self, text: str, first_line: int, budget: FileBudget | None = None) -> None:
        self.budget = budget
        self.s = text
        self.n = len(text)
        self.i = 0
        self.first_line = first_line
        self.chart = Flowchart()
        self.stack: list[_Frame] = []
        self.top: list[str] = []
        self.items = self.top
        self.assigned: set[str] = set()  # ids some closed subgraph already holds
        self.sub_count = 0
        self.newlines: list[int] | None = None
        self.last_line = (0, first_line)  # (position, its line): where line_at counts on from
        self.found: dict[str, tuple[int, int]] = {}

    # positions ----------------------------------------------------------------

    def line_at(self, pos: int) -> int:
        """The file line of `pos`: counted on from the last position asked (the parser asks
        in order, nearly always), else from a list of every line's start, made once (a
        list of a million empty lines' starts took longer than reading them)."""
        last_pos, last_line = self.last_line
        if pos >= last_pos:
            line = last_line + self.s.count("\n", last_pos, pos)
            self.last_line = (pos, line)
            return line
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", self.s)]
        return self.first_line + bisect.bisect_left(self.newlines, pos)

    def find(self, needle: str, pos: int) -> int:
        """str.find, remembering the last answer per needle: a search that fails to be used
        (a quote with no bracket after it) is not repeated from the next statement, so
        the searches of a block together read it about once."""
        asked, at = self.found.get(needle, (self.n + 1, -1))
        if asked <= pos and (at >= pos or at == -1):
            return at
        at = self.s.find(needle, pos)
        self.found[needle] = (pos, at)
        return at

    def line_end(self, pos: int) -> int:
        end = self.find("\n", pos)
        return self.n if end == -1 else end

    def error(self, what: str, pos: int | None = None) -> DiagramError:
        pos = self.i if pos is None else pos
        found = self.s[pos : pos + 20].split("\n")[0]
        shown = f"{found!r}" if found else "the end of the line" if pos < self.n else "the end of the block"
        return DiagramError(f"Mermaid syntax error at line {self.line_at(pos)}: expected {what}, found {shown}")

    def warn(self, pos: int, what: str) -> None:
        if len(self.chart.warnings) < 100:  # a generated block can repeat one mistake thousands of times
            self.chart.warnings.append(f"line {self.line_at(pos)}: {what}; {RENDER_WARNING}")

    # document -----------------------------------------------------------------

    def parse(self) -> Flowchart:
        self.header()
        s = self.s
        while True:
            m = _BLANK.match(s, self.i)
            if m:
                self.i = m.end()
            if self.i >= self.n:
                break
            if s[self.i] == ";":
                self.i += 1
                continue
            if self.budget is not None:
                self.budget.statement()
            self.statement()
        while self.stack:
            frame = self.stack[-1]
            self.warn(self.n, f"subgraph {frame.title or frame.id_text or ''!r} from line {frame.line} has no `end`")
            self.chart.open_subgraphs += 1
            self.close_subgraph()
        return self.chart

    def header(self) -> None:
        m = _HEADER.match(self.s)
        self.i = m.end()
        d = _DIRECTION.match(self.s, self.i)
        if d:
            self.chart.direction = {"TD": "TB", "<": "RL", ">": "LR", "^": "BT", "v": "TB"}.get(d.group(1), d.group(1))
            self.i = d.end()
        rest = _SPACES.match(self.s, self.i)
        if rest:
            self.i = rest.end()
        if self.i < self.n and self.s[self.i] not in "\n;":
            raise self.error("a direction (TB, TD, BT, RL, LR) or a new line after the diagram type")

    def statement(self) -> None:
        s, i = self.s, self.i
        kw = _KEYWORD.match(s, i)
        if kw:
            word = kw.group(1)
            after = kw.end()
            if word == "end":
                self.i = after
                if self.stack:
                    self.close_subgraph((self.line_at(i), i - s.rfind("\n", 0, i) - 1))
                else:
                    self.warn(i, "`end` closes no subgraph")
                return
            if word == "subgraph" and (after >= self.n or s[after] in " \t\n;"):
                self.open_subgraph(after)
                return
            if word in ("accTitle", "accDescr"):
                self.accessibility(after)
                return
            if after < self.n and s[after] in " \t":
                if word == "style":
                    self.style(after)
                    return
                if word in ("linkStyle", "classDef", "class", "direction", "click"):
                    # to the end of the line: CSS values hold `;` (a `click` target is never followed)
                    self.i = self.line_end(after)
                    if word == "class":  # `class a,b note`: the nodes' class names
                        ids, _, name = s[after:self.i].strip().rstrip(";").rpartition(" ")
                        for ident in filter(None, (i.strip() for i in ids.split(","))):
                            self.classed(ident, name)
                    return
        self.vertex_statement()

    def accessibility(self, pos: int) -> None:
        m = re.compile(r"[ \t]*([:{])").match(self.s, pos)
        if m is None:
            self.i = pos
            self.vertex_statement()
            return
        if m.group(1) == ":":
            self.i = self.line_end(m.end())
        else:
            end = self.find("}", m.end())
            self.i = end + 1 if end != -1 else self.n

    def style(self, pos: int) -> None:
        m = _SPACES.match(self.s, pos)
        ident = _ID.match(self.s, m.end()) if m else None
        if ident:
            self.vertex(ident.group(), ident.start(), styled=True)
        self.i = self.line_end(pos)

    # subgraphs ----------------------------------------------------------------

    def open_subgraph(self, pos: int) -> None:
        if len(self.stack) >= LIMITS.max_nesting:
            raise LimitExceeded(f"subgraph nesting depth is over the limit of {LIMITS.max_nesting:,}")
        s = self.s
        line = self.line_at(pos)
        m = _SPACES.match(s, pos)
        start = m.end() if m else pos
        end_of_line = _LINE_REST.match(s, start).end()
        id_text: str | None
        title: str
        explicit = True
        if start >= self.n or s[start] in "\n;":
            self.warn(pos, "a subgraph with neither id nor title")
            id_text, title, explicit = None, "", False
            self.i = start
        elif s[start] == '"':
            close = self.find('"', start + 1)
            if close == -1:
                raise self.error("a closing '\"' for the subgraph title", start)
            title = s[start + 1 : close]
            id_text = None if re.search(r"\s", title) else title.strip()
            self.i = close + 1
        else:
            bracket = s.find("[", start, end_of_line)
            if bracket != -1:
                id_text = s[start:bracket].strip() or None
                title, after, markdown = self.label(bracket + 1, ("]",), "the subgraph title")
                self.i = after
            else:
                title = s[start:end_of_line].strip()
                bad = re.search(r"[(){}|\]]", title)
                if bad:
                    self.warn(start + bad.start(), f"unquoted {bad.group()!r} in the subgraph title (write subgraph id[\"title\"])")
                id_text = None if re.search(r"\s", title) else title
                explicit = False
                self.i = end_of_line
        rest = _SPACES.match(s, self.i)
        if rest:
            self.i = rest.end()
        if self.i < self.n and s[self.i] not in "\n;":
            self.warn(self.i, "text after the subgraph title")
            self.i = _LINE_REST.match(s, self.i).end()
        if id_text is not None and len(id_text) > LIMITS.max_label_chars:
            raise LimitExceeded(f"subgraph id length is {len(id_text):,}, over the limit of {LIMITS.max_label_chars:,}")
        frame = _Frame(id_text=id_text, title=title, explicit_title=explicit, line=line)
        self.stack.append(frame)
        self.items = frame.items

    def close_subgraph(self, end: tuple[int, int] | None = None) -> None:
        frame = self.stack.pop()
        self.items = self.stack[-1].items if self.stack else self.top
        sub_id = frame.id_text or f"subGraph{self.sub_count}"
        self.sub_count += 1
        seen: set[str] = set()
        nodes = []
        for item in frame.items:
            if item and item not in seen and item not in self.assigned:
                seen.add(item)
                nodes.append(item)
        self.assigned.update(nodes)
        self.chart.subgraphs.append(Subgraph(id=sub_id, title=frame.title, nodes=nodes, line=frame.line,
                                             explicit_title=frame.explicit_title, end=end))
        self.items.append(sub_id)

    # vertices -----------------------------------------------------------------

    def vertex_statement(self) -> None:
        start_pos = self.i
        group = self.node_group()
        mentioned = list(group)
        while True:
            link = self.link()
            if link is None:
                break
            target = self.node_group()
            self.add_edges(group, target, link)
            mentioned += target
            group = target
        self.end_of_statement(start_pos)
        self.items.extend(mentioned)

    def end_of_statement(self, start_pos: int) -> None:
        s = self.s
        m = _SPACES.match(s, self.i)
        if m:
            self.i = m.end()
        if self.i >= self.n or s[self.i] in "\n;":
            return
        if s.startswith("%%", self.i):
            self.warn(self.i, "a %% comment after a statement (comments need a line of their own)")
            self.i = self.line_end(self.i)
            return
        raise self.error("an arrow, ';' or a new line")

    def node_group(self) -> list[str]:
        s = self.s
        ids = [self.styled_vertex()]
        while True:
            m = _SPACES.match(s, self.i)
            pos = m.end() if m else self.i
            if pos < self.n and s[pos] == "&":
                after = _SPACES.match(s, pos + 1)
                if not m or not after:
                    self.warn(pos, "'&' needs a space on both sides")
                self.i = after.end() if after else pos + 1
                ids.append(self.styled_vertex())
                continue
            return ids

    def styled_vertex(self) -> str:
        s = self.s
        m = _ID.match(s, self.i)
        if m is None:
            if self.i < self.n and s[self.i] == '"':
                raise self.error("a node id before the quoted label (write id[\"label\"])")
            raise self.error("a node id")
        ident, pos = m.group(), m.start()
        if len(ident) > LIMITS.max_label_chars:  # ids are names, capped like labels (cutting one could merge two)
            raise LimitExceeded(f"node id length is {len(ident):,}, over the limit of {LIMITS.max_label_chars:,}")
        if ident == "end":
            self.warn(pos, "a node named `end` (Mermaid reads it as the end of a subgraph; call it End)")
        self.i = m.end()
        text = shape = None
        markdown = False
        if self.i < self.n and s[self.i] in "([{>":
            for opener, closers, name in _OPENERS:
                if s.startswith(opener, self.i):
                    text, self.i, markdown, closer = self.shape_label(self.i + len(opener), closers, name)
                    shape = _TRAPEZOIDS.get((name, closer), name)
                    break
        elif self.i < self.n and s[self.i] in " \t":
            spaced = _SPACES.match(s, self.i)
            if spaced.end() < self.n and s[spaced.end()] in "[({" and not s.startswith("(-", spaced.end()):
                self.warn(spaced.end(), f"a space between node {ident!r} and its label")
                for opener, closers, name in _OPENERS:
                    if s.startswith(opener, spaced.end()):
                        text, self.i, markdown, closer = self.shape_label(spaced.end() + len(opener), closers, name)
                        shape = _TRAPEZOIDS.get((name, closer), name)
                        break
        data = self.shape_data() if s.startswith("@{", self.i) else None
        if s.startswith(":::", self.i):
            if data is not None:
                self.warn(self.i, "`:::class` after the node's @{...} data (write it before)")
            cls = _ID.match(s, self.i + 3)
            self.i = cls.end() if cls else self.i + 3
            if cls:
                self.classed(ident, cls.group())
        if data is None and s.startswith("@{", self.i):
            data = self.shape_data()
        if data is not None:
            if ident in self.chart.edge_ids:
                return ident  # `e1@{ animate: true }` styles an edge
            named = data.get("shape")
            if named is not None:
                if named in SHAPES:
                    shape = named
                else:
                    self.warn(pos, f"unknown shape {named[:40]!r}")
            if data.get("label") is not None:
                text = data["label"]
                markdown = True
            elif data.get("icon") or data.get("img"):
                text = text if text is not None else ""
        self.vertex(ident, pos, text=text, shape=shape, markdown=markdown)
        return ident

    def classed(self, ident: str, name: str) -> None:
        names = self.chart.classes.setdefault(ident, set())
        if len(names) < 8:  # a handful is all anyone writes; the cap keeps a hostile block small
            names.add(name.lower())

    def vertex(self, ident: str, pos: int, text: str | None = None, shape: str | None = None, markdown: bool = False,
               styled: bool = False) -> None:
        vertices = self.chart.vertices
        vertex = vertices.get(ident)
        if vertex is None:
            if len(vertices) >= LIMITS.max_elements:
                raise LimitExceeded(f"node count is over the limit of {LIMITS.max_elements:,}")
            if self.budget is not None:
                self.budget.element()
            vertex = vertices[ident] = Vertex(id=ident, line=self.line_at(pos))
        if not styled:
            vertex.only_styled = False
        if text is not None:
            vertex.text, vertex.markdown, vertex.label_line = text, markdown, self.line_at(pos)
        if shape is not None:
            vertex.shape = shape

    def shape_label(self, pos: int, closers: tuple[str, ...], name: str) -> tuple[str, int, bool, str]:
        if name == "rect" and self.s.startswith("|", pos - 1):  # `[|field:value|text]`
            bar = self.s.find("|", pos)
            pos = bar + 1 if bar != -1 else pos
        if name in ("lean_right", "lean_left", "ellipse"):  # closers that start with a label character
            return self.trapezoid_label(pos, closers)
        text, end, markdown = self.label(pos, closers, "the end of the node's label")
        closer = next(c for c in closers if self.s.startswith(c, end - len(c)))
        return text, end, markdown, closer

    def trapezoid_label(self, pos: int, closers: tuple[str, ...]) -> tuple[str, int, bool, str]:
        s = self.s
        if s.startswith('"', pos):
            close = self.find('"', pos + 1)
            if close != -1 and s.startswith(closers, close + 1):
                closer = closers[0] if s.startswith(closers[0], close + 1) else closers[1]
                return s[pos + 1 : close], close + 1 + len(closer), False, closer
        found = [(self.find(c, pos), c) for c in closers]
        found = [(at, c) for at, c in found if at != -1]
        if not found:
            raise self.error(f"{closers[0]!r} to close the label", pos)
        at, closer = min(found)
        text = s[pos:at]
        bad = re.search(r"[\[\](){}|\"]", text)
        if bad:
            self.warn(pos + bad.start(), f"unquoted {bad.group()!r} inside a node's label (quote the label)")
        return text, at + len(closer), False, closer

    def label(self, pos: int, closers: tuple[str, ...], what: str) -> tuple[str, int, bool]:
        """A label up to one of `closers`: quoted (Mermaid's rule), plain text without brackets
        (Mermaid's rule), else tolerantly: balanced brackets on the line, or the first closer."""
        s = self.s
        if s.startswith('"`', pos):
            close = self.find('`"', pos + 2)
            if close != -1 and s.startswith(closers, close + 2):
                closer = next(c for c in closers if s.startswith(c, close + 2))
                return s[pos + 2 : close], close + 2 + len(closer), True
        if s.startswith('"', pos):
            close = self.find('"', pos + 1)
            if close == -1:
                raise self.error("a closing '\"'", pos)
            for closer in closers:
                if s.startswith(closer, close + 1):
                    return s[pos + 1 : close], close + 1 + len(closer), False
            after = _BLANK.match(s, close + 1)
            if after:  # `A["x" ]`: Mermaid reads it
                for closer in closers:
                    if s.startswith(closer, after.end()):
                        return s[pos + 1 : close], after.end() + len(closer), False
        run = _TEXT_RUN.match(s, pos).end()
        for closer in closers:
            if s.startswith(closer, run):
                return s[pos:run], run + len(closer), False
        tolerant = _tolerant_label(closers[0]).match(s, pos)
        if tolerant:
            text = s[pos : tolerant.end() - len(closers[0])]
            self.warn_label(pos, text)
            return text, tolerant.end(), False
        line_end = self.line_end(pos)
        found = [(s.find(c, pos, line_end), c) for c in closers]
        found = [(at, c) for at, c in found if at != -1]
        if not found:
            raise self.error(what, pos)
        at, closer = min(found)
        text = s[pos:at]
        self.warn_label(pos, text)
        return text, at + len(closer), False

    def warn_label(self, pos: int, text: str) -> None:
        bad = re.search(r"[\[\](){}|\"]", text)
        char = bad.group() if bad else "text"
        self.warn(pos + (bad.start() if bad else 0), f"unquoted {char!r} inside a node's label (quote the label: id[\"...\"])")

    def shape_data(self) -> dict[str, str]:
        """`@{ shape: cyl, label: "Feature store" }`: the keys Mermaid's YAML reads, from
        `key: value` pairs separated by commas or line breaks."""
        s = self.s
        start = self.i + 2
        pos = start
        while True:
            close = self.find("}", pos)
            quote = self.find('"', pos)
            if close == -1:
                raise self.error("'}' to close the node's @{...} data", self.i)
            if quote != -1 and quote < close:
                end_quote = self.find('"', quote + 1)
                if end_quote == -1:
                    raise self.error("a closing '\"'", quote)
                pos = end_quote + 1
                continue
            break
        self.i = close + 1
        return _shape_fields(s[start:close])

    # links --------------------------------------------------------------------

    def link(self) -> dict | None:
        s, i = self.s, self.i
        edge_id = None
        m = _LINK_ID.match(s, i)
        if m:
            edge_id = m.group(1)
            i = m.end()
        for regex, family in ((_LINK_NORMAL, "normal"), (_START_NORMAL, "start-normal"), (_LINK_THICK, "thick"),
                              (_START_THICK, "start-thick"), (_LINK_DOTTED, "dotted"), (_START_DOTTED, "start-dotted"),
                              (_LINK_INVISIBLE, "invisible")):
            m = regex.match(s, i)
            if m:
                break
        else:
            m = _LINK_SLOPPY.match(s, i)
            if m is None:
                return None
            self.warn(m.start(1) if m.group(1) else i, "'->' is not a Mermaid arrow (write -->)")
            self.i = m.end()
            return {"type": "double_arrow_point" if m.group(1) else "arrow_point", "stroke": "normal", "text": "",
                    "markdown": False, "id": edge_id, "line": self.line_at(i)}
        line = self.line_at(m.start() + len(m.group()) - len(m.group().lstrip()))
        if family.startswith("start-"):
            info = self.labelled_link(m, family[6:])
        else:
            info = _destruct_end(m.group().strip())
            info["text"], info["markdown"] = "", False
            self.i = m.end()
            if self.s.startswith("|", self.i):
                info["text"], info["markdown"] = self.bar_label()
        if edge_id is not None:
            self.chart.edge_ids.add(edge_id)
        info["id"] = edge_id
        info["line"] = line
        return info

    def bar_label(self) -> tuple[str, bool]:
        s = self.s
        start = self.i + 1
        text = markdown = None
        if s.startswith('"`', start):
            close = self.find('`"', start + 2)
            if close != -1 and s.startswith("|", close + 2):
                text, markdown, self.i = s[start + 2 : close], True, close + 3
        if text is None and s.startswith('"', start):
            close = self.find('"', start + 1)
            if close != -1 and s.startswith("|", close + 1):
                text, markdown, self.i = s[start + 1 : close], False, close + 2
        if text is None:
            close = self.find("|", start)
            if close == -1:
                raise self.error("'|' to close the edge label", self.i)
            text, markdown = s[start:close], False
            run = _TEXT_RUN.match(s, start).end()
            if run != close:
                self.warn(run, f"unquoted {s[run]!r} inside an edge label (quote it: |\"...\"|)")
            self.i = close + 1
        m = _SPACES.match(s, self.i)
        if m:
            if m.end() - m.start() > 1:
                self.warn(m.start(), "more than one space after an edge label")
            self.i = m.end()
        return text, markdown

    def labelled_link(self, start_match: re.Match, family: str) -> dict:
        """`A -- text --> B`, `A == text ==> B`, `A -. text .-> B`: the text runs to the first
        place where the closing arrow matches, as Mermaid's edge-text lexer has it."""
        s = self.s
        begin = start_match.end()
        pos = begin
        text_start = begin
        quoted = None
        if s.startswith('"', begin):
            close = self.find('"', begin + 1)
            if close == -1:
                raise self.error("a closing '\"'", begin)
            quoted = s[begin + 1 : close]
            pos = close + 1
        end_match, text_end = self._find_link_end(pos, family)
        if end_match is None:
            raise self.error(f"the arrow that ends the edge label started with {start_match.group().strip()!r}", begin)
        if quoted is not None and s[pos:text_end].strip() == "":
            text = quoted
        else:
            text = s[text_start:text_end]
            if quoted is not None:
                self.warn(pos, "text after a quoted edge label")
            elif family != "normal" and ("." if family == "dotted" else "=") in text:
                self.warn(text_start, f"{'.' if family == 'dotted' else '='!r} inside an edge label")
        start = _destruct_start(start_match.group().strip())
        end = _destruct_end(end_match.group().strip())
        if start["stroke"] != end["stroke"] or (start["type"] != "arrow_open" and start["type"] != end["type"]):
            self.warn(begin, f"an edge that starts as {start_match.group().strip()!r} and ends as {end_match.group().strip()!r}")
            info = end
        elif start["type"] == "arrow_open":
            info = {**end}
        else:
            info = {**end, "type": "double_" + start["type"]}
        info["text"], info["markdown"] = text, False
        self.i = end_match.end()
        return info

    def _find_link_end(self, pos: int, family: str) -> tuple[re.Match | None, int]:
        s = self.s
        pair, regex = {"normal": ("--", _LINK_NORMAL), "thick": ("==", _LINK_THICK), "dotted": (".-", _LINK_DOTTED)}[family]
        warned = False
        while True:
            k = self.find(pair, pos)
            if k == -1:
                return None, pos
            if family == "dotted":  # the dots before `-`, and the `-` before them
                p = k
                while p > pos and s[p - 1] == ".":
                    p -= 1
                if p > pos and s[p - 1] == "-":
                    p -= 1
            else:  # `--` ends the label only as part of an arrow: `---`, `-->`, `--x`, `--o`
                run = k
                while run < self.n and s[run] == pair[0]:
                    run += 1
                if run - k < 3 and not (run < self.n and s[run] in "xo>"):
                    if not warned:
                        self.warn(k, f"{pair!r} inside an edge label")
                        warned = True
                    pos = run
                    continue
                p = k
            if p > pos and s[p - 1] in "xo<":
                p -= 1
            while p > pos and s[p - 1] in " \t\n":
                p -= 1
            m = regex.match(s, p)
            if m is None:  # not reached for the pairs above; move on rather than loop
                pos = k + 1
                continue
            return m, p

    def add_edges(self, starts: list[str], ends: list[str], info: dict) -> None:
        edges = self.chart.edges
        if len(edges) + len(starts) * len(ends) > MAX_EDGES:
            raise LimitExceeded(f"edge count is {len(edges) + len(starts) * len(ends):,}, over the limit of {MAX_EDGES:,} "
                                f"for a Mermaid block (Mermaid itself draws at most {MERMAID_MAX_EDGES})")
        if self.budget is not None and info["stroke"] != "invisible":
            self.budget.element(len(starts) * len(ends))
        for start in starts:
            for end in ends:
                edges.append(Edge(index=len(edges), start=start, end=end, text=info["text"], type=info["type"],
                                  stroke=info["stroke"], line=info["line"], markdown=info["markdown"]))


def _tolerant_label(closer: str) -> re.Pattern:
    """A label on one line whose brackets nest one level deep: `[Feature (windows)]`. The
    alternatives start with different characters, so matching stays linear."""
    pattern = _TOLERANT.get(closer)
    if pattern is None:
        pattern = _TOLERANT[closer] = re.compile(
            r"(?:[^\[\](){}\n]|\([^()\n]*\)|\[[^\[\]\n]*\]|\{[^{}\n]*\})*" + re.escape(closer))
    return pattern


_TOLERANT: dict[str, re.Pattern] = {}


def _destruct_end(token: str) -> dict:
    """Mermaid's destructEndLink: arrowhead from the last character, stroke from the line."""
    line = token[:-1]
    kind = "arrow_open"
    last = token[-1:]
    if last == "x":
        kind = "arrow_cross"
        if token.startswith("x"):
            kind, line = "double_arrow_cross", line[1:]
    elif last == ">":
        kind = "arrow_point"
        if token.startswith("<"):
            kind, line = "double_arrow_point", line[1:]
    elif last == "o":
        kind = "arrow_circle"
        if token.startswith("o"):
            kind, line = "double_arrow_circle", line[1:]
    stroke = "normal"
    if line.startswith("="):
        stroke = "thick"
    if line.startswith("~"):
        stroke = "invisible"
    if "." in line:
        stroke = "dotted"
    return {"type": kind, "stroke": stroke}


def _destruct_start(token: str) -> dict:
    kind = "arrow_open"
    first = token[:1]
    if first == "<":
        kind, token = "arrow_point", token[1:]
    elif first == "x":
        kind, token = "arrow_cross", token[1:]
    elif first == "o":
        kind, token = "arrow_circle", token[1:]
    stroke = "thick" if "=" in token else "dotted" if "." in token else "normal"
    return {"type": kind, "stroke": stroke}


def _shape_fields(body: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    pos = 0
    n = len(body)
    while pos < n:
        while pos < n and body[pos] in " \t\n,":
            pos += 1
        colon = body.find(":", pos)
        if colon == -1:
            break
        key = body[pos:colon].strip()
        pos = colon + 1
        while pos < n and body[pos] in " \t":
            pos += 1
        if pos < n and body[pos] in "\"'":
            quote = body[pos]
            close = body.find(quote, pos + 1)
            close = n if close == -1 else close
            value = body[pos + 1 : close]
            pos = close + 1
        else:
            end = pos
            while end < n and body[end] not in ",\n":
                end += 1
            value = body[pos:end].strip()
            pos = end
        if key and len(fields) < 50:
            fields[key] = value
    return fields
