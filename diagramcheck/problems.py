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
def _alternation(patterns: tuple[str, ...]) -> re.Pattern:
    """One compiled pattern per problem type (compiling ~100 patterns costs more than a
    review); each word is a named group so a match says which word it was."""
    body = "|".join(f"(?P<w{i}>{p})" for i, p in enumerate(patterns))
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])")


def detect_problem(graph: ComponentGraph, problem_words: dict[str, list[str]]) -> tuple[str, list[str]]:
    texts = [c.label for c in graph.components] + [n.text for n in graph.notes] + [z.label for z in graph.zones]
    texts.append(Path(graph.path).name.replace("_", " ").replace("-", " "))
    corpus = "\n".join(texts).lower()
    best, best_score, best_evidence = "generic", 0.0, []
    for problem, patterns in problem_words.items():
        evidence, seen = [], set()
        for match in _alternation(tuple(patterns)).finditer(corpus):
            if match.lastgroup not in seen:
                seen.add(match.lastgroup)
                evidence.append(match.group(0).strip())
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
