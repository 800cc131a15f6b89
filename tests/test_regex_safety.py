"""Pack regexes that could take more than linear time are refused on load, with file and line."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck.errors import PatternError
from diagramcheck.kinds import builtin_patterns_dir, default_lexicon
from diagramcheck.packs import catalog_for, load_catalog
from diagramcheck.regex_safety import quadratic_reason

REFUSED = [
    (r"(a+)+", "inside another"),
    (r"(\w+\s?)*", "inside another"),
    (r"\s*/?\s*", "in a row"),
    (r"\d+\d*", "in a row"),
    (r"x.*y.*z", "in a row"),
    (r"a\s*\d*\s*b", "in a row"),
    (r"\d+(?:\d+)?", "in a row"),
    (r'"(?:[^"\\]|\\.|\\\n)*"', "alternatives"),  # the DOT string pattern that doubled per backslash-newline
    (r"(?:[ab]|bc)+", "alternatives"),
]
ACCEPTED = [
    r"\b(ctr|conversion)\b.*\b(dashboards?|logged)\b",  # one repeat
    r"[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*",  # each round needs a comma
    r"\s*+\s*",  # possessive
    r"(?>\s*)\s*",  # atomic
    r"[^\n]{0,30}\b(?:ctr|revenue)\b",  # bounded
    r"\b\d[\d,]{0,12}\s?(?:users|qps)\b",
    r'"(?:[^"\\]++|\\.)*+"',
    r"<\s*br\s*(?:/\s*)?>",
    r"(?m)^(?>[^\n]*?\b(?:ctr|revenue)\b)[^\n]*\b(?:dashboards?)\b",
]


@pytest.mark.parametrize("pattern, why", REFUSED)
def test_shapes_that_backtrack_are_named(pattern, why):
    assert why in (quadratic_reason(pattern) or "")


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_linear_shapes_pass(pattern):
    assert quadratic_reason(pattern) is None


def test_every_shipped_regex_passes():
    """Loading the shipped packs checks every note, labelled-group, latency and problem-word
    regex; a failure would name the file and line."""
    assert catalog_for().rules


@pytest.mark.parametrize("where, snippet", [
    ("note", 'expect = { note = { matches = ["\\\\d+\\\\s*,?\\\\s*\\\\d+ users"] } }'),
    ("labelled", None),
    ("problem word", None),
])
def test_a_pack_with_a_backtracking_regex_fails_with_file_and_line(tmp_path, where, snippet):
    pack = tmp_path / "packs" / "mine.toml"
    pack.parent.mkdir()
    rule = (
        '[[rules]]\nid = "my-rule"\nstage = "requirements"\nseverity = "info"\ntitle = "t"\nmessage = "m"\n'
        'rationale = "r"\nquestion = "q"\nstudy = "s"\nfix = { text = "f" }\n'
    )
    if where == "note":
        text = 'pack = "mine"\n\n' + rule + snippet + "\n"
    elif where == "labelled":
        text = ('pack = "mine"\n\n[labelled]\nslow = { kinds = ["database"], matches = "(\\\\w+\\\\s?)+$" }\n\n'
                + rule + 'expect = { exists = "database" }\n')
    else:
        text = 'pack = "mine"\n\n[problem_words]\nfraud-detection = ["fr(a+)+ud"]\n\n' + rule + 'expect = { exists = "database" }\n'
    pack.write_text(text)
    lexicon = default_lexicon()
    with pytest.raises(PatternError) as info:
        load_catalog([builtin_patterns_dir() / "packs", pack.parent], set(lexicon.kinds) | {"unknown"},
                     set(lexicon.category.values()))
    message = str(info.value)
    assert re.match(rf"{re.escape(str(pack))}:\d+: ", message), message
    assert "could take time quadratic or worse" in message


# The scale and rate patterns of requirements-stated take their digit run possessively: what
# follows a run can never be a digit or separator, so no shorter run could match instead,
# and a note of '1,1,1,...' is not tried 13 times at every digit (0.85 s -> 0.2 s a megabyte).
_SCALE_WORDS = "(?:users|dau|qps|requests|req/s|items)"
_RATE_TAIL = r"\s?[kmb]?\s?(?:/|per )\s?(?:s|sec|second|min|day)\b"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["1", "12", ",", ".", " ", "users", "qps", "req/s", "k", "m", "/", "per ", "s", "day",
                                 "x", "\n", "1234567890123"]), max_size=25).map("".join))
def test_possessive_scale_patterns_match_as_the_backtracking_ones_did(text):
    for run in (r"[\d,]{0,12}", r"[\d,.]{0,12}"):
        for tail in (r"\s?" + _SCALE_WORDS + r"\b", _RATE_TAIL):
            old, new = re.compile(r"\b\d" + run + tail), re.compile(r"\b\d" + run + "+" + tail)
            assert [m.span() for m in old.finditer(text)] == [m.span() for m in new.finditer(text)]


def test_the_shipped_scale_patterns_are_possessive():
    rule = next(r for r in catalog_for().rules if r.id == "requirements-stated")
    text = repr(rule.__dict__)
    assert r"[\\d,]{0,12}+" in text and r"[\\d,.]{0,12}+" in text
