"""Hypothesis: on generated graphs, applying a finding's fix (add its components and
connections, remove what it says) makes that finding go away."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from diagramcheck.engine import review
from diagramcheck.fixes import apply_fixes
from diagramcheck.kinds import default_lexicon
from diagramcheck.model import Component, ComponentGraph, Connection
from diagramcheck.packs import PROBLEMS, catalog_for

LEXICON = default_lexicon()
KINDS = sorted(LEXICON.kinds)
# rules whose fix is advice for the author (write a note, rename, connect a box): nothing structural to add
ADVICE_ONLY = {r.id for r in catalog_for().rules if not r.fix.add and not r.fix.connect} | {"exploration"}


@st.composite
def graphs(draw):
    n = draw(st.integers(2, 14))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    components = [Component(id=f"c{i}", label=f"{k} {i}", kind=k, kind_source="tag") for i, k in enumerate(kinds)]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    connections = [Connection(source=f"c{a}", target=f"c{b}", directed=draw(st.booleans()) or True) for a, b in pairs if a != b]
    return ComponentGraph(path="generated.dot", format="dot", components=components, connections=connections)


def run(graph, problem):
    return review(graph, catalog_for(), LEXICON.category, problem=problem)


PER_COMPONENT = {r.id for r in catalog_for().rules if r.for_each is not None}


def same(a, b) -> bool:
    """The same finding: the same rule about the same components (a fix that makes a new
    model trained may leave that model unmonitored: a new finding, not the old one back)."""
    if a.rule != b.rule:
        return False
    if a.rule in PER_COMPONENT:
        return a.components[0] == b.components[0]
    return not a.components or not b.components or bool(set(a.components) & set(b.components))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from(PROBLEMS))
def test_each_fix_closes_its_finding(graph, problem):
    before = run(graph, problem)
    for finding in before.findings:
        if finding.rule in ADVICE_ONLY:
            continue
        after = run(apply_fixes(graph, [finding]), problem)
        still = [f.message for f in after.findings if same(f, finding)]
        assert still == [], (finding.rule, finding.fix_actions, still)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from(PROBLEMS))
def test_all_fixes_together_close_every_fixed_finding(graph, problem):
    """The corrected diagram's property: none of the findings that were fixed comes back
    (a component added by one fix may draw findings of its own: those are new)."""
    before = [f for f in run(graph, problem).findings if f.rule not in ADVICE_ONLY]
    after = run(apply_fixes(graph, before), problem).findings
    returned = [f.rule for f in after if any(same(f, b) for b in before)]
    assert returned == []
