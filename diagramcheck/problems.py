"""Which interview problem a sketch answers, from its words (labels, notes, zones, file name)
and its kinds. The vocabulary is data: `problem_words` in the pattern packs."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from diagramcheck.model import ComponentGraph

# kinds that are evidence on their own, with the problem they point to
_KIND_EVIDENCE = {"llm": "rag-llm", "guardrails": "rag-llm", "document_source": "rag-llm"}
_MIN_HITS = 2


@lru_cache(maxsize=64)
def _scan(patterns: tuple[str, ...]) -> re.Pattern:
    """One alternation per problem type to find the words (compiling ~100 patterns costs
    more than a review). It has no groups: a group around each word would turn off the
    engine's first-letter check, and the scan would cost three times as much."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(patterns) + r")(?![a-z0-9])")


@lru_cache(maxsize=1024)
def _word(pattern: str) -> re.Pattern:
    """One word alone, compiled only once a scan has matched where it might apply."""
    return re.compile(f"(?:{pattern})(?![a-z0-9])")


def _words_found(patterns: tuple[str, ...], corpus: str) -> list[tuple[int, str]]:
    """(index of the word pattern, matched text) for each match, as one alternation with a
    group per word would report it: the first pattern that matches where the match starts."""
    found = []
    for match in _scan(patterns).finditer(corpus):
        for index, pattern in enumerate(patterns):
            if _word(pattern).match(corpus, match.start()):
                found.append((index, match.group(0)))
                break
    return found


def detect_problem(graph: ComponentGraph, problem_words: dict[str, list[str]]) -> tuple[str, list[str]]:
    texts = [c.label for c in graph.components] + [n.text for n in graph.notes] + [z.label for z in graph.zones]
    texts.append(Path(graph.path).name.replace("_", " ").replace("-", " "))
    corpus = "\n".join(texts).lower()
    best, best_score, best_evidence = "generic", 0.0, []
    for problem, patterns in problem_words.items():
        evidence, seen = [], set()
        for index, text in _words_found(tuple(patterns), corpus):
            if index not in seen:
                seen.add(index)
                evidence.append(text.strip())
        score = float(len(evidence))
        for component in graph.components:
            if _KIND_EVIDENCE.get(component.kind) == problem:
                score += 1
                evidence.append(f"a {component.kind} component")
                break
        if score > best_score:
            best, best_score, best_evidence = problem, score, evidence
    if best_score < _MIN_HITS:
        return "generic", (["no problem type had enough evidence"] + best_evidence)[:4]
    return best, best_evidence[:6]
