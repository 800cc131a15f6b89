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
_BEFORE, _AFTER = r"(?<![a-z0-9])", r"(?![a-z0-9])"  # a word is never part of a longer word


class _Words:
    """The problem words compiled for a scan of the whole vocabulary at once.

    One pass finds every position where some word of some problem starts (a lookahead, so
    overlapping words of different problems are all found); then, for each problem, the
    words are matched only at those positions, as `finditer` would find them, leftmost
    first and never overlapping. Seven scans of the text cost twice as much. The match at a
    position has a named group per word (`w<index>`), so the word is known without trying
    each one; in a scan such groups would turn off the regex engine's first-letter check.
    The packs refuse words that could break this: empty matches, named groups, back
    references (packs.check_problem_word).
    """

    def __init__(self, problem_words: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        every = [word for _, words in problem_words for word in words]
        bounded = [word for word in every if _open_ended(word) is None]
        open_ended = [prefix for word in every if (prefix := _open_ended(word)) is not None]
        self.starts = re.compile(_BEFORE + "(?=(?:" + "|".join(bounded) + ")" + _AFTER
                                 + "".join("|" + prefix for prefix in open_ended) + ")")
        self.problems = [(problem, _grouped(words), _first_letters(words)) for problem, words in problem_words]

    def found(self, corpus: str) -> dict[str, list[tuple[int, str]]]:
        """Per problem: (index of the word, matched text) for each match, in order. A problem
        is tried only at starts whose letter one of its words can begin with (a note of
        'ctr ctr ...' is a start every four characters, for the one problem it names)."""
        starts = [m.start() for m in self.starts.finditer(corpus)]
        by_letters: dict[str, list[int]] = {}
        for start in starts:
            by_letters.setdefault(corpus[start:start + 2], []).append(start)
        result = {}
        for problem, grouped, letters in self.problems:
            if letters is None:
                mine = starts
            else:
                pairs, singles = letters
                lists = [found for key, found in by_letters.items() if key in pairs or key[:1] in singles]
                mine = lists[0] if len(lists) == 1 else sorted(s for found in lists for s in found)
            matches, end = [], 0
            for start in mine:
                if start >= end:
                    match = grouped.match(corpus, start)
                    if match is not None:
                        matches.append((int(match.lastgroup[1:]), match.group()))
                        end = match.end()
            result[problem] = matches
        return result


def _first_letters(words: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]] | None:
    """How a match of one of `words` can begin: (two-letter beginnings, letters a word begins
    with followed by anything), or None when a word can begin with a class of letters (then
    every start is tried). Read from re's own parse."""
    pairs: set[str] = set()
    singles: set[str] = set()
    for word in words:
        parsed = re._parser.parse(word)
        first = _first_of(parsed)
        if first is None:
            return None
        second = _first_of(parsed[1:]) if len(parsed) > 1 and parsed[0][0] is re._constants.LITERAL else None
        if second is None:
            singles |= first
        else:
            pairs |= {a + b for a in first for b in second}
    return frozenset(pairs), frozenset(singles)


def _first_of(parsed) -> set[str] | None:
    c = re._constants
    if not len(parsed):
        return None
    op, arg = parsed[0]
    if op is c.LITERAL:
        return {chr(arg)}
    if op is c.IN and all(o is c.LITERAL for o, _ in arg):
        return {chr(a) for _, a in arg}
    if op is c.SUBPATTERN:
        return _first_of(arg[3])
    if op is c.BRANCH:
        found = [_first_of(alt) for alt in arg[1]]
        return None if any(f is None for f in found) else set().union(*found)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
        return _first_of(arg[2])
    return None  # optional, a class, an assertion: any letter


def _open_ended(word: str) -> str | None:
    r"""For a word that ends in `\w*` ('recommend\w*'), the word without it: where it matches,
    the whole word matches too, ending at the end of the run of word characters, which
    _AFTER always accepts. The scan for starts looks for the shorter form: the whole one
    reads to the end of the run from every start inside it ('recommend_recommend_...' took
    seconds a label)."""
    if not word.endswith("\\w*"):
        return None
    parsed = re._parser.parse(word)
    last_op, last_arg = parsed[-1]
    is_word_star = (last_op is re._constants.MAX_REPEAT and last_arg[0] == 0
                    and last_arg[1] is re._constants.MAXREPEAT
                    and list(last_arg[2]) == [(re._constants.IN, [(re._constants.CATEGORY, re._constants.CATEGORY_WORD)])])
    if not is_word_star or any(op is re._constants.BRANCH for op, _ in parsed) or len(parsed) < 2:
        return None  # 'a|b\w*' is two words: stripping would change the first
    return word[:-3]


def _grouped(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("(?:" + "|".join(f"(?P<w{i}>{word})" for i, word in enumerate(words)) + ")" + _AFTER)


@lru_cache(maxsize=16)
def _compiled(problem_words: tuple[tuple[str, tuple[str, ...]], ...]) -> _Words:
    return _Words(problem_words)


def words_found(problem_words: dict[str, list[str]], corpus: str) -> dict[str, list[tuple[int, str]]]:
    """What `_Words.found` gives (read-only), for the last few texts kept: `fix` detects the
    problem of the same sketch its review did (a megabyte of 'ctr ctr ...' is 750,000
    starts, read once instead of once per review)."""
    key = tuple((problem, tuple(words)) for problem, words in problem_words.items())
    found = _FOUND.pop((key, corpus), None)
    if found is None:
        found = _compiled(key).found(corpus)
        if len(_FOUND) >= _TEXTS_KEPT:
            del _FOUND[next(iter(_FOUND))]  # the least recently read
    _FOUND[(key, corpus)] = found
    return found


_FOUND: dict[tuple, dict[str, list[tuple[int, str]]]] = {}
_TEXTS_KEPT = 4


def detect_problem(graph: ComponentGraph, problem_words: dict[str, list[str]],
                   signals: dict[str, set[str]] | None = None) -> tuple[str, list[str]]:
    """The problem type whose words the sketch uses most. A word counts once; a signal word
    (one that names the problem on its own: 'fraud', 'ETA', 'people you may know') counts
    twice; two points are needed, and on a tie the problem with more signal words wins."""
    texts = [c.label for c in graph.components] + [n.text for n in graph.notes] + [z.label for z in graph.zones]
    texts.append(Path(graph.path).name.replace("_", " ").replace("-", " "))
    corpus = "\n".join(texts).lower()
    kind_evidence: dict[str, str] = {}  # problem -> the first kind in drawing order pointing to it
    for component in graph.components:
        problem = _KIND_EVIDENCE.get(component.kind)
        if problem is not None and problem not in kind_evidence:
            kind_evidence[problem] = component.kind
    signals = signals or {}
    best, best_key, best_evidence = "generic", (0.0, 0), []
    for problem, found in words_found(problem_words, corpus).items():
        words = problem_words[problem]
        strong = signals.get(problem, set())
        evidence, seen, score, signal_count = [], set(), 0.0, 0
        for index, text in found:
            if index not in seen:
                seen.add(index)
                evidence.append(text.strip())
                is_signal = words[index] in strong
                score += 2 if is_signal else 1
                signal_count += is_signal
        if problem in kind_evidence:
            score += 1
            evidence.append(f"a {kind_evidence[problem]} component")
        if (score, signal_count) > best_key:
            best, best_key, best_evidence = problem, (score, signal_count), evidence
    best_score = best_key[0]
    if best_score < _MIN_HITS:
        return "generic", (["no problem type had enough evidence"] + best_evidence)[:4]
    return best, best_evidence[:6]
