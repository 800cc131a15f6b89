#!/usr/bin/env python3
"""Check expectations.toml of review_heldout6 (stdlib only, Python 3.11+).

Asserts:
- every [[sketch]] has the required keys with valid values;
- every fixed rule id (CONTRACT.md section 3) is in exactly one of
  must_flag / must_not_flag / debatable, for every sketch;
- no id appears twice or in two lists; every id is in the rule catalog
  (the embedded list, cross-checked against ../../rule_catalog.md when present);
- every file exists, parses (JSON / XML / `dot -Tsvg` when Graphviz is installed),
  and the set's mix holds (formats, strengths, >= 3 batch-only sketches).
Run: python3 scripts/build_expectations.py   (exit 0 = ok)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SET = os.path.normpath(os.path.join(HERE, ".."))

FIXED = [
    "feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring",
    "drift-detection", "alerting", "model-registry", "offline-evaluation", "ab-testing",
    "data-logging", "label-source", "orchestration", "fallback", "request-path",
    "orphan-component", "unrecognized-component", "requirements-stated", "metrics-stated",
    "nothing-to-review",
]
CATALOG = FIXED + [
    "business-objective", "task-stated", "label-defined", "metrics-logged", "deploy-path",
    "training-data", "no-batch-on-request-path", "online-offline-split", "data-validation",
    "experiment-tracking", "batch-output-lookup", "serving-cache", "cicd", "label-monitoring",
    "retraining-trigger", "decision-layer", "human-review", "human-labels", "action-limits",
    "baseline-estimate", "segment-evaluation", "grounding", "ingestion", "shared-embedder",
    "guardrails", "index-freshness", "eval-loop", "candidate-generation", "reranking-layer",
    "impression-logging", "realtime-features", "vector-index", "index-refresh", "exploration",
    "relevance-labels", "delayed-labels", "permission-aware-retrieval", "selective-labels",
    "cold-start", "point-in-time-features", "latency-budget",
]
PROBLEMS = {"recommendation", "search-ranking", "ads-ctr", "fraud-detection",
            "content-moderation", "rag-llm", "forecasting", "generic"}
REQUIRED = ["file", "title", "problem", "strength", "serving", "classic", "must_flag",
            "must_not_flag", "debatable", "reasoning"]


def catalog_from_md():
    path = os.path.normpath(os.path.join(SET, "..", "rule_catalog.md"))
    if not os.path.exists(path):
        return None
    ids = set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\|\s*`([a-z0-9-]+)`", line)
        if m:
            ids.add(m.group(1))
    return ids


def check_file(path, errors):
    ext = os.path.splitext(path)[1]
    try:
        if ext == ".excalidraw":
            d = json.load(open(path, encoding="utf-8"))
            assert d.get("type") == "excalidraw", "type != excalidraw"
            assert d.get("elements"), "no elements"
        elif ext == ".drawio":
            root = ET.parse(path).getroot()
            assert root.tag == "mxfile" and root.find(".//mxGraphModel") is not None, "not an uncompressed mxfile"
        elif ext in (".dot", ".gv"):
            if shutil.which("dot"):
                r = subprocess.run(["dot", "-Tsvg", path], capture_output=True, text=True)
                assert r.returncode == 0 and not r.stderr.strip(), r.stderr.strip()
        elif ext == ".mmd":
            head = [l for l in open(path, encoding="utf-8") if l.strip() and not l.strip().startswith("%%")][0]
            assert re.match(r"\s*(graph|flowchart)\s+(TD|TB|LR|RL|BT)\b", head), "no flowchart header"
        else:
            errors.append(f"{path}: unexpected extension")
    except Exception as e:  # noqa: BLE001
        errors.append(f"{os.path.basename(path)}: does not parse: {e}")


def main():
    errors = []
    md = catalog_from_md()
    if md is not None:
        missing = set(CATALOG) - md
        if missing:
            errors.append(f"embedded catalog ids not in rule_catalog.md: {sorted(missing)}")
        catalog = md | set(CATALOG)
    else:
        catalog = set(CATALOG)
    data = tomllib.load(open(os.path.join(SET, "expectations.toml"), "rb"))
    sketches = data["sketch"]
    files = []
    for s in sketches:
        name = s.get("file", "?")
        for k in REQUIRED:
            if k not in s:
                errors.append(f"{name}: missing key {k}")
        if s.get("problem") not in PROBLEMS:
            errors.append(f"{name}: bad problem {s.get('problem')}")
        if s.get("strength") not in ("strong", "medium", "weak"):
            errors.append(f"{name}: bad strength")
        if s.get("serving") not in ("online", "batch"):
            errors.append(f"{name}: bad serving")
        if not isinstance(s.get("classic"), bool):
            errors.append(f"{name}: classic must be a bool")
        if len(s.get("reasoning", "").split()) < 40:
            errors.append(f"{name}: reasoning too short")
        lists = {k: s.get(k, []) for k in ("must_flag", "must_not_flag", "debatable")}
        seen = Counter()
        for k, ids in lists.items():
            for i in ids:
                seen[i] += 1
                if i not in catalog:
                    errors.append(f"{name}: {i} ({k}) is not in the rule catalog")
        for i, n in seen.items():
            if n > 1:
                errors.append(f"{name}: {i} listed {n} times")
        for f in FIXED:
            if seen[f] != 1:
                errors.append(f"{name}: fixed id {f} appears {seen[f]} times (want exactly 1)")
        if s.get("strength") == "strong" and len(lists["must_not_flag"]) < len(FIXED) - 2:
            errors.append(f"{name}: strong design with a thin must_not_flag")
        if s.get("serving") == "batch":
            for r in ("request-path", "feature-store"):
                if r in lists["must_flag"]:
                    errors.append(f"{name}: {r} cannot be a must_flag on a batch-only design")
        p = os.path.join(SET, name)
        if not os.path.exists(p):
            errors.append(f"{name}: file missing")
        else:
            check_file(p, errors)
        files.append(name)
    if len(files) != len(set(files)):
        errors.append("duplicate file entries")
    on_disk = sorted(f for f in os.listdir(SET) if os.path.splitext(f)[1] in
                     (".excalidraw", ".mmd", ".dot", ".gv", ".drawio"))
    if sorted(files) != on_disk:
        errors.append(f"sketch files on disk and in TOML differ: {sorted(set(on_disk) ^ set(files))}")
    fmt = Counter({".gv": ".dot"}.get(os.path.splitext(f)[1], os.path.splitext(f)[1]) for f in files)
    want = {".excalidraw": 4, ".mmd": 3, ".dot": 3, ".drawio": 2}
    if dict(fmt) != want:
        errors.append(f"format mix {dict(fmt)} != {want}")
    st = Counter(s["strength"] for s in sketches)
    if dict(st) != {"strong": 4, "medium": 5, "weak": 3}:
        errors.append(f"strength mix {dict(st)}")
    if sum(s["serving"] == "batch" for s in sketches) < 3:
        errors.append("fewer than 3 batch-only sketches")

    for e in errors:
        print("ERROR", e)
    print(f"{len(sketches)} sketches; formats {dict(fmt)}; strengths {dict(st)}; "
          f"batch {sum(s['serving'] == 'batch' for s in sketches)}")
    print("expectations:", "FAIL" if errors else "ok")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
