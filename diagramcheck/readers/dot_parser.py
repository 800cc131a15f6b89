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


# statements: ("node", name, attrs) | ("edge", [ends], attrs) | ("attr", "graph"|"node"|"edge", attrs)
#             | ("set", key, value) | ("subgraph", Subgraph); an end is str (node) or Subgraph


def parse(text: str, tokens: list[Token]) -> Graph:
    return _Parser(text, tokens).graph()


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.toks = tokens
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
        tok = self.peek(offset)
        return tok is not None and tok[0] == "punct" and tok[1] == value

    def is_keyword(self, word: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok is not None and tok[0] == "id" and tok[1].lower() == word

    def expect_punct(self, value: str) -> None:
        if not self.is_punct(value):
            raise self.error(f"'{value}'")
        self.i += 1

    def is_id(self, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok is not None and tok[0] in ("id", "string", "html")

    def ident(self) -> str:
        tok = self.peek()
        if tok is None or tok[0] not in ("id", "string", "html"):
            raise self.error("an identifier")
        self.i += 1
        if tok[0] == "html":
            return Html(tok[1])
        if tok[0] == "string":
            value = _unquote(tok[1])
            while self.peek() and self.peek()[1] == "+" and self.peek(1) and self.peek(1)[0] == "string":
                self.i += 2
                value += _unquote(self.toks[self.i - 1][1])
            return value
        return tok[1]

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
        while self.peek() is not None and not self.is_punct("}"):
            out.append(self.statement())
            while self.is_punct(";") or self.is_punct(","):
                self.i += 1
        return out

    def statement(self):
        for word in ("graph", "node", "edge"):
            if self.is_keyword(word) and self.is_punct("[", 1):
                self.i += 1
                return ("attr", word, self.attr_lists())
        if self.is_id() and self.is_punct("=", 1):
            key = self.ident()
            self.i += 1
            return ("set", key, self.ident())
        first = self.endpoint_list()
        if self.peek() is not None and self.peek()[0] == "edgeop":
            ends = [first]
            while self.peek() is not None and self.peek()[0] == "edgeop":
                self.i += 1
                ends.append(self.endpoint_list())
            return ("edge", ends, self.attr_lists())
        if len(first) == 1 and isinstance(first[0], Subgraph):
            return ("subgraph", first[0])
        attrs = self.attr_lists()
        if len(first) == 1:
            return ("node", first[0], attrs)
        return ("nodes", first, attrs)

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
                if self.peek() is None:
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
