"""Which regular expressions may take more than linear time: checked when a pattern pack
is loaded, so that no pack, shipped or a user's own, can make a note hang the review.

Python's `re` backtracks. A pattern takes time polynomial (or exponential) in the text's
length when it can split one stretch of text between unbounded repeats in many ways and
then fail. Three shapes are refused:

- an unbounded repeat inside another, unless each round must match a character the inner
  repeats cannot (`(a+)+` and `(\\w+\\s?)*` are refused, `(\\s*,\\s*\\w+)*` is fine);
- two unbounded repeats in a row that share a character, with only optional items between
  them or items the first could also have taken (`\\s*/?\\s*`, `\\d+\\d*`, `x.*y.*z`);
- alternatives under an unbounded repeat that can begin with the same character
  (`(?:[^"\\\\]|\\\\.|\\\\\\n)*`, which doubled its time with each backslash-newline).

Bounded repeats (`{0,30}`) and possessive repeats or atomic groups (`\\s*+`, `(?>...)`),
which never give back what they took, are fine. The analysis reads re's own parse of the
pattern, so escapes and classes mean exactly what they mean to the matcher; character sets
are compared on a probe alphabet (ASCII, a few others, and every literal the pattern names).
"""

from __future__ import annotations

import re

_c = re._constants  # noqa: SLF001 - re's own parser is the one exact reading of a pattern
_parser = re._parser  # noqa: SLF001

_UNBOUNDED = _c.MAXREPEAT
_BACKTRACKING_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_PROBES = [chr(c) for c in range(128)] + ["\u00a0", "\u00e9", "\u2028", "\u4e2d", "\U0001f600", "\u0130"]


def quadratic_reason(pattern: str) -> str | None:
    """Why `pattern` may take more than linear time, or None. Assumes it compiles."""
    parsed = _parser.parse(pattern)
    checker = _Checker(sorted(set(_PROBES) | _literals(parsed)), parsed.state.flags)
    return checker.walk(parsed, outer=None)


def _is_unbounded(op, arg) -> bool:
    return op in _BACKTRACKING_REPEATS and arg[1] is _UNBOUNDED


def _children(op, arg) -> list:
    """The sub-patterns of one parsed item."""
    if op in _BACKTRACKING_REPEATS or op is _c.POSSESSIVE_REPEAT:
        return [arg[2]]
    if op is _c.SUBPATTERN:
        return [arg[3]]
    if op is _c.BRANCH:
        return list(arg[1])
    if op is _c.ATOMIC_GROUP:
        return [arg]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [arg[1]]
    if op is _c.GROUPREF_EXISTS:
        return [p for p in arg[1:] if p is not None]
    return []


class _Checker:
    def __init__(self, probes: list[str], flags: int) -> None:
        self.probes = probes
        self.flags = flags

    def walk(self, pattern, outer) -> str | None:
        """Every sequence in `pattern`; `outer` is the innermost unbounded repeat around it."""
        found = self.in_a_row(pattern)
        if found:
            return found
        for op, arg in pattern:
            if op is _c.ATOMIC_GROUP or op is _c.POSSESSIVE_REPEAT:
                continue  # gives nothing back: what is inside runs once per start
            if _is_unbounded(op, arg):
                body = arg[2]
                found = self.alternatives(op, arg) or self.walk(body, (op, arg))
                if found:
                    return found
                if outer is not None and not self.separated(outer[1][2], [(op, arg)]):
                    return f"an unbounded repeat inside another ({_text([outer])} holds {_text([(op, arg)])})"
                continue
            for child in _children(op, arg):
                found = self.walk(child, outer)
                if found:
                    return found
        return None

    def separated(self, body, inner: list) -> bool:
        """Whether every round of `body` must match a character that none of the `inner`
        repeats can: then one stretch of text splits between rounds one way only."""
        theirs = set().union(*(self.chars(arg[2]) for _, arg in inner))
        for op, arg in _flatten(body):
            if not _nullable([(op, arg)]) and not (self.chars([(op, arg)]) & theirs):
                return True
        return False

    def in_a_row(self, pattern) -> str | None:
        items = _flatten(pattern)
        for i, (op, arg) in enumerate(items):
            if not _is_unbounded(op, arg):
                continue
            mine = self.chars(arg[2])
            for item in items[i + 1:]:
                for later_op, later_arg in [item] + self.leading_repeats([item]):
                    if _is_unbounded(later_op, later_arg):
                        shared = mine & self.first(later_arg[2])  # what it could take from the first's stretch
                        if shared:
                            return (f"two unbounded repeats in a row that both match {_example(shared)!r} "
                                    f"({_text([(op, arg)])} then {_text([(later_op, later_arg)])})")
                if not _nullable([item]) and not self.chars([item]) <= mine:
                    break  # a character the first repeat cannot take: the two are apart
        return None

    def leading_repeats(self, pattern) -> list:
        """The unbounded repeats that can match the first characters of `pattern`."""
        found = []
        for op, arg in pattern:
            if _is_unbounded(op, arg):
                found.append((op, arg))
            elif op is _c.SUBPATTERN or op in _BACKTRACKING_REPEATS:
                found += self.leading_repeats(_children(op, arg)[0])
            elif op is _c.BRANCH:
                for alt in arg[1]:
                    found += self.leading_repeats(alt)
            if not _nullable([(op, arg)]):
                break
        return found

    def alternatives(self, op, arg) -> str | None:
        """An unbounded repeat of alternatives that can begin alike."""
        body = _flatten(arg[2])
        if len(body) != 1 or body[0][0] is not _c.BRANCH:
            return None
        firsts = [self.first(alt) for alt in body[0][1][1]]
        for i, a in enumerate(firsts):
            for b in firsts[i + 1:]:
                if a & b:
                    return (f"alternatives under an unbounded repeat that both begin with {_example(a & b)!r} "
                            f"({_text([(op, arg)])})")
        return None

    def first(self, pattern) -> set[str]:
        found: set[str] = set()
        for op, arg in pattern:
            found |= self.chars([(op, arg)]) if op not in (_c.SUBPATTERN, _c.BRANCH) else set().union(
                *(self.first(child) for child in _children(op, arg)))
            if not _nullable([(op, arg)]):
                break
        return found

    def chars(self, pattern) -> set[str]:
        """The probe characters that some part of `pattern` can match."""
        found: set[str] = set()
        for op, arg in pattern:
            if op is _c.LITERAL:
                found.add(chr(arg))
            elif op is _c.NOT_LITERAL:
                found.update(p for p in self.probes if p != chr(arg))
            elif op is _c.ANY:
                found.update(p for p in self.probes if p != "\n" or self.flags & re.S)
            elif op is _c.IN:
                found.update(p for p in self.probes if _in_class(p, arg))
            else:
                for child in _children(op, arg):
                    found |= self.chars(child)
        return found


def _flatten(pattern) -> list:
    """The sequence with groups opened up: `(?:a\\s*)\\s*` is `a \\s* \\s*`."""
    out = []
    for op, arg in pattern:
        if op is _c.SUBPATTERN:
            out += _flatten(arg[3])
        else:
            out.append((op, arg))
    return out


def _nullable(pattern) -> bool:
    for op, arg in pattern:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op in _BACKTRACKING_REPEATS or op is _c.POSSESSIVE_REPEAT:
            if arg[0] == 0 or _nullable(arg[2]):
                continue
            return False
        if op is _c.SUBPATTERN:
            if _nullable(arg[3]):
                continue
            return False
        if op is _c.BRANCH:
            if any(_nullable(alt) for alt in arg[1]):
                continue
            return False
        return False
    return True


def _in_class(char: str, items) -> bool:
    negate = False
    hit = False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            hit = hit or char == chr(arg)
        elif op is _c.RANGE:
            hit = hit or arg[0] <= ord(char) <= arg[1]
        elif op is _c.CATEGORY:
            hit = hit or _CATEGORY[arg](char)
        elif op is _c.RANGE_UNI_IGNORE or op is _c.LITERAL_UNI_IGNORE:  # not made by the parser; be safe
            hit = True
    return hit != negate


_CATEGORY = {
    _c.CATEGORY_DIGIT: lambda ch: bool(re.match(r"\d", ch)),
    _c.CATEGORY_NOT_DIGIT: lambda ch: not re.match(r"\d", ch),
    _c.CATEGORY_SPACE: lambda ch: bool(re.match(r"\s", ch)),
    _c.CATEGORY_NOT_SPACE: lambda ch: not re.match(r"\s", ch),
    _c.CATEGORY_WORD: lambda ch: bool(re.match(r"\w", ch)),
    _c.CATEGORY_NOT_WORD: lambda ch: not re.match(r"\w", ch),
}


def _literals(pattern) -> set[str]:
    found: set[str] = set()
    for op, arg in pattern:
        if op is _c.LITERAL or op is _c.NOT_LITERAL:
            found.add(chr(arg))
        elif op is _c.IN:
            found.update(chr(a) for o, a in arg if o is _c.LITERAL)
        else:
            for child in _children(op, arg):
                found |= _literals(child)
    return found


def _text(items) -> str:
    """A short description of parsed items, for the error message."""
    return _describe(items)[:60]


def _describe(items) -> str:
    out = []
    for op, arg in items:
        if op is _c.LITERAL:
            out.append(re.escape(chr(arg)))
        elif op is _c.ANY:
            out.append(".")
        elif op is _c.IN:
            out.append("[...]" if len(arg) > 1 or arg[0][0] is not _c.CATEGORY else _CATEGORY_TEXT.get(arg[0][1], "[...]"))
        elif op in _BACKTRACKING_REPEATS:
            low, high, body = arg
            mark = {(0, _UNBOUNDED): "*", (1, _UNBOUNDED): "+"}.get((low, high), f"{{{low},}}")
            inner = _describe(body)
            out.append((inner if len(body) == 1 and body[0][0] is not _c.SUBPATTERN else f"({inner})") + mark)
        elif op is _c.SUBPATTERN:
            out.append(f"({_describe(arg[3])})")
        elif op is _c.BRANCH:
            out.append("|".join(_describe(alt) for alt in arg[1]))
        else:
            out.append("...")
    return "".join(out)


_CATEGORY_TEXT = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
                  _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W"}


def _example(chars: set[str]) -> str:
    """A character to name in a message: a printable one where there is one."""
    return min(chars, key=lambda ch: (not ch.isprintable() or ch.isspace() and ch != " ", ch))
