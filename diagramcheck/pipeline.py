"""file -> sketch -> component graph (typed). One function per step, in order."""

from __future__ import annotations

from pathlib import Path

from diagramcheck.build import build_graph
from diagramcheck.classify import assign_kinds
from diagramcheck.config import Config
from diagramcheck.gcpause import paused_collection
from diagramcheck.kinds import Lexicon, default_lexicon, validate_synonyms
from diagramcheck.model import ComponentGraph
from diagramcheck.readers import parts_of, read_parts, read_path
from diagramcheck.sketch import Part


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


def load_parts(path: str | Path, lexicon: Lexicon | None = None, page: str | None = None) -> list[tuple[Part, ComponentGraph | None]]:
    """Every sketch of a file with its graph: one for most files, one per Mermaid block of a
    Markdown file (`notes.md#block2` names one); a part that could not be read or was
    skipped has no graph, and says why."""
    with paused_collection():
        return _graphs(read_parts(path, page=page), lexicon)


def parts_from_bytes(data: bytes, name: str, lexicon: Lexicon | None = None, page: str | None = None
                     ) -> list[tuple[Part, ComponentGraph | None]]:
    """The same for bytes already read (standard input); `name` picks the format as a path would."""
    with paused_collection():
        return _graphs(parts_of([data], name, page=page), lexicon)


def _graphs(parts: list[Part], lexicon: Lexicon | None) -> list[tuple[Part, ComponentGraph | None]]:
    out = []
    for part in parts:
        graph = None
        if part.sketch is not None:
            graph = build_graph(part.sketch)
            assign_kinds(graph, lexicon or default_lexicon())
        out.append((part, graph))
    return out
