"""A recursive-descent parser for the DOT language, on the tokens of dot_lexer.

Why not pydot: it was our first choice, but measured at 170 ms for a 1.7 KB file
(pyparsing), it alone kept a pre-commit run over a study repo from being fast; it also
rejects the comma node lists `dot` accepts. This parser follows Graphviz's grammar
(https://graphviz.org/doc/info/lang.html) plus cgraph's node lists, and reports errors
with line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS

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
_STATEMENT, _ENDPOINT, _AFTER_ENDPOINT = "statement", "endpoint", "after endpoint"  # the parser's states


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.toks = tokens
        # one comparable kind per token, punctuation standing for itself,
        # so a look-ahead is one list index (it is the parser's innermost operation)
        self.kinds = [value if kind == "punct" else kind for kind, value, _, _ in tokens] + [_END] * 3
        self.i = 0
        # statements and endpoints the file may have (each costs the reader microseconds however
        # short: a megabyte of `""` is 500,000 statements, of `1,1,1,...` a list of 500,000
        # names, that all name one node, which the element limit never sees); a real edge
        # `a -> b;` is three in 7 bytes, and the element limit refuses a file of more than one
        # element per 150 bytes anyway
        self.statements_left = LIMITS.statements_allowed(len(text))

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
        """The statements of the graph's body, up to its closing brace (not consumed).

        Written as a loop over an explicit stack of open subgraphs, not as recursive
        descent: the nesting depth comes from the input, and with one Python frame per
        grammar rule a file within the nesting limit could still overflow the stack."""
        kinds = self.kinds
        stack: list[tuple[Subgraph, list[list], int]] = []  # enclosing subgraphs, with the statement each child sits in
        current = Subgraph(name=None)
        ends: list[list] = []  # the endpoint lists of the statement being read
        pos = 0  # where that statement starts
        state = _STATEMENT
        while True:
            if state is _STATEMENT:
                if kinds[self.i] == _END or kinds[self.i] == "}":
                    if not stack:
                        return current.statements
                    self.expect_punct("}")
                    finished = current
                    current, ends, pos = stack.pop()
                    ends[-1].append(finished)
                    state = _AFTER_ENDPOINT
                    continue
                simple = self.simple_statement()
                if simple is not None:
                    self.count_statement()
                    current.statements.append(simple)
                    self.separators()
                    continue
                ends = [[]]
                pos = self.toks[self.i][2] if self.i < len(self.toks) else len(self.text)
                state = _ENDPOINT
            elif state is _ENDPOINT:
                if self.is_keyword("subgraph") or self.is_punct("{"):
                    name = None
                    if self.is_keyword("subgraph"):
                        self.i += 1
                        if self.is_id() and not self.is_punct("{"):
                            name = self.ident()
                    self.expect_punct("{")
                    self.count_statement()
                    stack.append((current, ends, pos))
                    current, ends = Subgraph(name=name), []
                    state = _STATEMENT
                    continue
                name = self.ident()
                self.count_statement()
                while self.is_punct(":") and self.is_id(1):  # port and compass point
                    self.i += 2
                ends[-1].append(name)
                state = _AFTER_ENDPOINT
            else:  # after an endpoint: more of a comma node list, an edge, or the statement's end
                if self.is_punct(",") and self.is_id(1) and not self.is_punct("=", 2):
                    self.i += 1
                    state = _ENDPOINT
                elif kinds[self.i] == "edgeop":
                    self.i += 1
                    ends.append([])
                    state = _ENDPOINT
                else:
                    current.statements.append(self.finish_statement(ends, pos))
                    self.separators()
                    state = _STATEMENT

    def count_statement(self) -> None:
        """One more attribute statement, subgraph or endpoint, refused past the file's allowance."""
        self.statements_left -= 1
        if self.statements_left < 0:
            allowed = LIMITS.statements_allowed(len(self.text))
            raise LimitExceeded(f"DOT statement count (attributes, subgraphs and endpoints) is over the limit of {allowed:,} for a file of "
                                f"{len(self.text):,} characters ({LIMITS.dense_elements:,}, or one per "
                                f"{LIMITS.bytes_per_statement} characters of file)")

    def separators(self) -> None:
        kinds = self.kinds
        while kinds[self.i] == ";" or kinds[self.i] == ",":
            self.i += 1

    def simple_statement(self):
        """An attribute statement or `key = value`, or None for one with endpoints."""
        if self.kinds[self.i + 1] == "[" and self.kinds[self.i] == "id":
            word = self.toks[self.i][1].lower()
            if word in ("graph", "node", "edge"):
                self.i += 1
                return ("attr", word, self.attr_lists())
        if self.is_id() and self.is_punct("=", 1):
            key = self.ident()
            self.i += 1
            return ("set", key, self.ident())
        return None

    def finish_statement(self, ends: list[list], pos: int):
        """A statement with endpoints; `pos` is where it starts (the reader gives each element its line)."""
        if len(ends) > 1:
            return ("edge", ends, self.attr_lists(), pos)
        first = ends[0]
        if len(first) == 1 and isinstance(first[0], Subgraph):
            return ("subgraph", first[0])
        attrs = self.attr_lists()
        if len(first) == 1:
            return ("node", first[0], attrs, pos)
        return ("nodes", first, attrs, pos)

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
    """A quoted string's value as Graphviz reads it: `\\"` is a quote, a backslash before a
    line break drops both, and every other backslash pair stays as written (`\\\\` too:
    labels give those their meaning later)."""
    body = token[1:-1]
    if "\\" not in body:
        return body
    return _PAIR.sub(_unpair, body)


_PAIR = re.compile(r"\\(\r\n|.)", re.S)


def _unpair(match: re.Match) -> str:
    char = match.group(1)
    if char == '"':
        return '"'
    if char == "\n" or char == "\r\n":
        return ""
    return match.group()
