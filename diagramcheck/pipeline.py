"""file -> sketch -> component graph (typed). One function per step, in order."""

from __future__ import annotations

from pathlib import Path

from diagramcheck.build import build_graph
from diagramcheck.classify import assign_kinds
from diagramcheck.config import Config
from diagramcheck.kinds import Lexicon, default_lexicon, validate_synonyms
from diagramcheck.model import ComponentGraph
from diagramcheck.readers import read_path


def lexicon_for(config: Config) -> Lexicon:
    lexicon = default_lexicon()
    if not config.synonyms:
        return lexicon
    return lexicon.with_synonyms(validate_synonyms(lexicon, config.synonyms, config.source or "config"))


def load_graph(path: str | Path, lexicon: Lexicon | None = None) -> ComponentGraph:
    graph = build_graph(read_path(path))
    assign_kinds(graph, lexicon or default_lexicon())
    return graph
