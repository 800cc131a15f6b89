"""A recursive-descent parser for the DOT language, on the tokens of dot_lexer.

Why not pydot: it was our first choice, but measured at 170 ms for a 1.7 KB file
(pyparsing), it alone kept a pre-commit run over a study repo from being fast; it also
rejects the comma node lists `dot` accepts. This parser follows Graphviz's grammar
(https://graphviz.org/doc/info/lang.html) plus cgraph's node lists, and reports errors
with line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diagramcheck.errors import DiagramError

Token = tuple[str, str, int, int]  # kind, text, start, end


class Html(str):
    """An HTML-like label `<...>` (outer brackets included), kept apart from quoted text."""


@dataclass
class Subgraph:
    name: str | None
    statements: list = field(default_factory=list)


@dataclass
class Graph:
    strict: bool
    directed: bool
    name: str | None
    body: Subgraph


# statements: ("node", name, attrs, pos) | ("nodes", [names], attrs, pos) | ("edge", [ends], attrs, pos)
#             | ("attr", "graph"|"node"|"edge", attrs) | ("set", key, value) | ("subgraph", Subgraph);
# an end is str (node) or Subgraph; pos is the statement's offset in the text (for its line)


def parse(text: str, tokens: list[Token]) -> Graph:
    return _Parser(text, tokens).graph()


_IDS = frozenset(("id", "string", "html"))
_END = "end"  # the kind past the last token


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.toks = tokens
        # one comparable kind per token, punctuation standing for itself,
        # so a look-ahead is one list index (it is the parser's innermost operation)
        self.kinds = [value if kind == "punct" else kind for kind, value, _, _ in tokens] + [_END] * 3
        self.i = 0

    # helpers -------------------------------------------------------------------

    def peek(self, offset: int = 0) -> Token | None:
        j = self.i + offset
        return self.toks[j] if j < len(self.toks) else None

    def error(self, what: str) -> DiagramError:
        tok = self.peek()
        pos = tok[2] if tok else len(self.text)
        line = self.text.count("\n", 0, pos) + 1
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        found = f"{tok[1][:20]!r}" if tok else "end of file"
        return DiagramError(f"DOT syntax error at line {line}, column {column}: expected {what}, found {found}")

    def is_punct(self, value: str, offset: int = 0) -> bool:
        return self.kinds[self.i + offset] == value

    def is_keyword(self, word: str, offset: int = 0) -> bool:
        j = self.i + offset
        return self.kinds[j] == "id" and self.toks[j][1].lower() == word

    def expect_punct(self, value: str) -> None:
        if self.kinds[self.i] != value:
            raise self.error(f"'{value}'")
        self.i += 1

    def is_id(self, offset: int = 0) -> bool:
        return self.kinds[self.i + offset] in _IDS

    def at_end(self) -> bool:
        return self.kinds[self.i] == _END

    def ident(self) -> str:
        kind = self.kinds[self.i]
        if kind not in _IDS:
            raise self.error("an identifier")
        text = self.toks[self.i][1]
        self.i += 1
        if kind == "html":
            return Html(text)
        if kind == "string":
            value = _unquote(text)
            while self.kinds[self.i] == "other" and self.toks[self.i][1] == "+" and self.kinds[self.i + 1] == "string":
                self.i += 2
                value += _unquote(self.toks[self.i - 1][1])
            return value
        return text

    # grammar -------------------------------------------------------------------

    def graph(self) -> Graph:
        strict = False
        if self.is_keyword("strict"):
            strict = True
            self.i += 1
        if self.is_keyword("digraph"):
            directed = True
        elif self.is_keyword("graph"):
            directed = False
        else:
            raise self.error("'graph' or 'digraph'")
        self.i += 1
        name = self.ident() if self.is_id() and not self.is_punct("{") else None
        self.expect_punct("{")
        body = Subgraph(name=None, statements=self.statements())
        self.expect_punct("}")
        return Graph(strict, directed, name, body)

    def statements(self) -> list:
        out = []
        kinds = self.kinds
        while kinds[self.i] != _END and kinds[self.i] != "}":
            out.append(self.statement())
            while kinds[self.i] == ";" or kinds[self.i] == ",":
                self.i += 1
        return out

    def statement(self):
        if self.kinds[self.i + 1] == "[" and self.kinds[self.i] == "id":
            word = self.toks[self.i][1].lower()
            if word in ("graph", "node", "edge"):
                self.i += 1
                return ("attr", word, self.attr_lists())
        if self.is_id() and self.is_punct("=", 1):
            key = self.ident()
            self.i += 1
            return ("set", key, self.ident())
        pos = self.toks[self.i][2] if self.i < len(self.toks) else len(self.text)
        first = self.endpoint_list()
        if self.kinds[self.i] == "edgeop":
            ends = [first]
            while self.kinds[self.i] == "edgeop":
                self.i += 1
                ends.append(self.endpoint_list())
            return ("edge", ends, self.attr_lists(), pos)
        if len(first) == 1 and isinstance(first[0], Subgraph):
            return ("subgraph", first[0])
        attrs = self.attr_lists()
        if len(first) == 1:
            return ("node", first[0], attrs, pos)
        return ("nodes", first, attrs, pos)

    def endpoint_list(self) -> list:
        """One endpoint, or cgraph's comma-separated node list."""
        ends = [self.endpoint()]
        while self.is_punct(",") and self.is_id(1) and not self.is_punct("=", 2):
            self.i += 1
            ends.append(self.endpoint())
        return ends

    def endpoint(self):
        if self.is_keyword("subgraph") or self.is_punct("{"):
            return self.subgraph()
        name = self.ident()
        while self.is_punct(":") and self.is_id(1):  # port and compass point
            self.i += 2
        return name

    def subgraph(self) -> Subgraph:
        name = None
        if self.is_keyword("subgraph"):
            self.i += 1
            if self.is_id() and not self.is_punct("{"):
                name = self.ident()
        self.expect_punct("{")
        statements = self.statements()
        self.expect_punct("}")
        return Subgraph(name=name, statements=statements)

    def attr_lists(self) -> dict:
        attrs: dict = {}
        while self.is_punct("["):
            self.i += 1
            while not self.is_punct("]"):
                if self.at_end():
                    raise self.error("']'")
                key = self.ident()
                if self.is_punct("="):
                    self.i += 1
                    attrs[key] = self.ident()
                else:
                    attrs[key] = "true"
                while self.is_punct(",") or self.is_punct(";"):
                    self.i += 1
            self.i += 1
        return attrs


def _unquote(token: str) -> str:
    return token[1:-1].replace("\\\r\n", "").replace("\\\n", "").replace('\\"', '"')
