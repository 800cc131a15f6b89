"""The labelled review set (tests/review_set.py): precision and recall of the fixed rule ids."""

from __future__ import annotations

import pytest

from benchmarks.review_set import SET, score
from tests.review_set import CASES, render_all


def test_set_is_large_enough_and_mixes_formats():
    assert len(CASES) >= 25
    assert {c["format"] for c in CASES} == {"dot", "excalidraw"}


def test_precision_and_recall_on_fixed_rule_ids():
    result = score()
    assert result["precision"] >= 0.9 and result["recall"] >= 0.9, result["per_case"]


@pytest.mark.parametrize("name", sorted(render_all()))
def test_files_match_their_generator(name):
    assert (SET / name).read_text(encoding="utf-8") == render_all()[name]
