"""A fast subset of benchmarks/attacks.py: every class of hostile input from issue 21,
checked for what came out (no traceback, the limit named, nothing injected, nothing
written where it should not be, the good file in the same run still reviewed).

Speed and memory against the budget are the benchmark's to report, not asserted here.
The cases run in child processes, a batch each; the timeout only guards the suite
against a hang (a regression to exponential backtracking would otherwise never end)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from benchmarks.attacks import ci_cases, run_batch

CASES = ci_cases()


def test_the_subset_covers_every_class():
    assert {c.cls for c in CASES} == {"regex", "growth", "limits", "crash", "write", "injection", "hostile strings"}


def test_hostile_inputs_are_read_refused_or_reported_safely():
    batches = [CASES[i::4] for i in range(4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [r for batch in pool.map(lambda cases: run_batch(cases, timeout=600), batches) for r in batch]
    failed = [f"{r.case.cls}: {r.case.name}: {r.failure}" for r in results if r.failure and not r.failure.startswith("skipped")]
    assert not failed, "\n".join(failed)
    assert len(results) == len(CASES)
