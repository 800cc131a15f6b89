"""Pack regexes that could take more than linear time are refused on load, with file and line."""

from __future__ import annotations

import re

import pytest

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
