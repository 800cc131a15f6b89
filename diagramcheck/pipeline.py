"""file -> sketch -> component graph (typed). One function per step, in order."""

from __future__ import annotations

from pathlib import Path

from diagramcheck.build import build_graph
from diagramcheck.classify import assign_kinds
from diagramcheck.config import Config
from diagramcheck.gcpause import paused_collection
from diagramcheck.kinds import Lexicon, default_lexicon, validate_synonyms
from diagramcheck.model import ComponentGraph
from diagramcheck.readers import read_bytes, read_path


_WITH_SYNONYMS: dict[tuple, Lexicon] = {}


def lexicon_for(config: Config) -> Lexicon:
    """The default lexicon, or one extended by the config's synonyms: built once per distinct
    synonym set in a run, not once per file (building one costs ~50 ms)."""
    lexicon = default_lexicon()
    if not config.synonyms:
        return lexicon
    key = (config.source, tuple(sorted((k, tuple(v)) for k, v in config.synonyms.items())))
    if key not in _WITH_SYNONYMS:
        _WITH_SYNONYMS[key] = lexicon.with_synonyms(validate_synonyms(lexicon, config.synonyms, config.source or "config"))
    return _WITH_SYNONYMS[key]


def load_graph(path: str | Path, lexicon: Lexicon | None = None, page: str | None = None) -> ComponentGraph:
    with paused_collection():
        graph = build_graph(read_path(path, page=page))
        assign_kinds(graph, lexicon or default_lexicon())
    return graph


def graph_from_bytes(data: bytes, name: str, lexicon: Lexicon | None = None, page: str | None = None) -> ComponentGraph:
    """The same for bytes already read (standard input); `name` picks the format as a path would."""
    with paused_collection():
        graph = build_graph(read_bytes([data], name, page=page))
        assign_kinds(graph, lexicon or default_lexicon())
    return graph
