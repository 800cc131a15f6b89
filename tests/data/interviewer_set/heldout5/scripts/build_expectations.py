#!/usr/bin/env python3
"""Check review_heldout5/expectations.toml and print its summary table.

Checks (exit 1 on any failure):
  * the file parses with tomllib; every [[sketch]] has the required keys and valid values;
  * every sketch file exists in the set folder;
  * every fixed rule id (CONTRACT.md section 3) is in exactly one of must_flag /
    must_not_flag / debatable for every sketch;
  * no rule id appears twice or in two lists; every id is a catalog id
    (/work/sets/rule_catalog.md when readable, else the embedded list);
  * the mix: 10 sketches, 3 strong / 4 medium / 3 weak, 2 batch-only,
    3 excalidraw / 3 mermaid / 2 dot / 2 drawio.

Usage: python3 scripts/build_expectations.py [--table]
"""
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

SET = Path(__file__).resolve().parent.parent
CATALOG = Path("/work/sets/rule_catalog.md")

FIXED = [
    "feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring",
    "drift-detection", "alerting", "model-registry", "offline-evaluation", "ab-testing",
    "data-logging", "label-source", "orchestration", "fallback", "request-path",
    "orphan-component", "unrecognized-component", "requirements-stated", "metrics-stated",
    "nothing-to-review",
]
EMBEDDED_CATALOG = set(FIXED) | {
    "business-objective", "task-stated", "label-defined", "metrics-logged", "deploy-path",
    "training-data", "no-batch-on-request-path", "online-offline-split", "data-validation",
    "experiment-tracking", "batch-output-lookup", "serving-cache", "cicd", "label-monitoring",
    "retraining-trigger", "decision-layer", "human-review", "human-labels", "action-limits",
    "baseline-estimate", "segment-evaluation", "grounding", "ingestion", "shared-embedder",
    "guardrails", "index-freshness", "eval-loop", "candidate-generation", "reranking-layer",
    "impression-logging", "realtime-features", "vector-index", "index-refresh", "exploration",
    "relevance-labels", "delayed-labels", "permission-aware-retrieval", "selective-labels",
    "cold-start", "point-in-time-features", "latency-budget",
}
PROBLEMS = {"recommendation", "search-ranking", "ads-ctr", "fraud-detection",
            "content-moderation", "rag-llm", "forecasting", "generic"}
KEYS = ["file", "title", "problem", "strength", "serving", "classic",
        "must_flag", "must_not_flag", "debatable", "reasoning"]
FORMATS = {".excalidraw": "excalidraw", ".mmd": "mermaid", ".dot": "dot", ".drawio": "drawio"}


def catalog_ids():
    try:
        text = CATALOG.read_text()
    except OSError:
        return EMBEDDED_CATALOG
    ids = set(re.findall(r"^\| `([a-z0-9-]+)`", text, flags=re.M))
    return ids or EMBEDDED_CATALOG


def main(argv):
    data = tomllib.loads((SET / "expectations.toml").read_text())
    sketches = data.get("sketch", [])
    known = catalog_ids()
    errors = []
    for s in sketches:
        name = s.get("file", "?")
        for k in KEYS:
            if k not in s:
                errors.append(f"{name}: missing key {k}")
        if not (SET / name).is_file():
            errors.append(f"{name}: file not found")
        if s.get("problem") not in PROBLEMS:
            errors.append(f"{name}: bad problem {s.get('problem')}")
        if s.get("strength") not in {"strong", "medium", "weak"}:
            errors.append(f"{name}: bad strength")
        if s.get("serving") not in {"online", "batch"}:
            errors.append(f"{name}: bad serving")
        if not isinstance(s.get("classic"), bool):
            errors.append(f"{name}: classic must be a bool")
        if len(s.get("reasoning", "").split()) < 40:
            errors.append(f"{name}: reasoning too short")
        lists = {k: s.get(k, []) for k in ("must_flag", "must_not_flag", "debatable")}
        seen = Counter(r for v in lists.values() for r in v)
        for r, n in seen.items():
            if n > 1:
                errors.append(f"{name}: {r} listed {n} times")
            if r not in known:
                errors.append(f"{name}: {r} is not a catalog rule id")
        for r in FIXED:
            if seen[r] != 1:
                errors.append(f"{name}: fixed rule {r} appears {seen[r]} times (must be exactly 1)")
    mix = {
        "sketches": len(sketches),
        "strength": Counter(s.get("strength") for s in sketches),
        "serving": Counter(s.get("serving") for s in sketches),
        "format": Counter(FORMATS.get(Path(s.get("file", "")).suffix, "?") for s in sketches),
    }
    expect = {"sketches": 10, "strength": Counter(strong=3, medium=4, weak=3),
              "serving": Counter(online=8, batch=2),
              "format": Counter(excalidraw=3, mermaid=3, dot=2, drawio=2)}
    for k, v in expect.items():
        if mix[k] != v:
            errors.append(f"mix: {k} is {dict(mix[k]) if isinstance(mix[k], Counter) else mix[k]}, expected {dict(v) if isinstance(v, Counter) else v}")
    if errors:
        print("\n".join(errors))
        return 1
    tot = Counter()
    if "--table" in argv:
        print("| file | format | problem | strength | serving | must_flag | must_not_flag | debatable | fixed: flag / not / deb |")
        print("|---|---|---|---|---|---|---|---|---|")
    for s in sketches:
        fx = [sum(r in s[k] for r in FIXED) for k in ("must_flag", "must_not_flag", "debatable")]
        tot.update(must_flag=len(s["must_flag"]), must_not_flag=len(s["must_not_flag"]),
                   debatable=len(s["debatable"]), fixed_flag=fx[0], fixed_not=fx[1], fixed_deb=fx[2])
        if "--table" in argv:
            print(f"| `{s['file']}` | {FORMATS[Path(s['file']).suffix]} | {s['problem']} | {s['strength']} | "
                  f"{s['serving']} | {len(s['must_flag'])} | {len(s['must_not_flag'])} | {len(s['debatable'])} | "
                  f"{fx[0]} / {fx[1]} / {fx[2]} |")
    print(f"OK: {len(sketches)} sketches; totals {dict(tot)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
