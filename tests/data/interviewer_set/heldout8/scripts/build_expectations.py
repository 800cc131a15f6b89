#!/usr/bin/env python3
"""Check expectations.toml of review_heldout8 (stdlib only, Python 3.11+ tomllib).

Checks: every [[sketch]] has the required keys and valid enum values; its file
exists; every fixed rule id (CONTRACT.md section 3) is in exactly one of
must_flag / must_not_flag / debatable; no id is listed twice; every id is in
/work/sets/rule_catalog.md. With --json, also prints the parsed set as JSON.
"""
import json, os, re, sys, tomllib

HERE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
CATALOG = os.path.normpath(os.path.join(HERE, "..", "rule_catalog.md"))

FIXED = [
    "feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring",
    "drift-detection", "alerting", "model-registry", "offline-evaluation", "ab-testing",
    "data-logging", "label-source", "orchestration", "fallback", "request-path",
    "orphan-component", "unrecognized-component", "requirements-stated", "metrics-stated",
    "nothing-to-review",
]
PROBLEMS = {"recommendation", "search-ranking", "ads-ctr", "fraud-detection",
            "content-moderation", "rag-llm", "forecasting", "generic"}
KEYS = {"file": str, "title": str, "problem": str, "strength": str, "serving": str,
        "classic": bool, "must_flag": list, "must_not_flag": list, "debatable": list,
        "reasoning": str}


def catalog_ids():
    if not os.path.exists(CATALOG):
        print("warning: %s not found, catalog check limited to fixed ids" % CATALOG)
        return set(FIXED)
    ids = set()
    for line in open(CATALOG, encoding="utf-8"):
        m = re.match(r"\|\s*`([a-z0-9-]+)`", line)
        if m:
            ids.add(m.group(1))
    return ids


def main():
    data = tomllib.load(open(os.path.join(HERE, "expectations.toml"), "rb"))
    sketches = data.get("sketch", [])
    cat = catalog_ids()
    missing_fixed = set(FIXED) - cat
    errs = []
    if missing_fixed:
        errs.append("fixed ids missing from catalog: %s" % sorted(missing_fixed))
    seen_files = set()
    for i, s in enumerate(sketches):
        name = s.get("file", "#%d" % i)
        for k, t in KEYS.items():
            if not isinstance(s.get(k), t):
                errs.append("%s: key %r missing or not %s" % (name, k, t.__name__))
        if name in seen_files:
            errs.append("%s: listed twice" % name)
        seen_files.add(name)
        if not os.path.isfile(os.path.join(HERE, name)):
            errs.append("%s: file does not exist" % name)
        if s.get("strength") not in ("strong", "medium", "weak"):
            errs.append("%s: bad strength" % name)
        if s.get("serving") not in ("online", "batch"):
            errs.append("%s: bad serving" % name)
        if s.get("problem") not in PROBLEMS:
            errs.append("%s: bad problem %r" % (name, s.get("problem")))
        lists = {k: s.get(k, []) for k in ("must_flag", "must_not_flag", "debatable")}
        allids = [r for v in lists.values() for r in v]
        for r in set(allids):
            if allids.count(r) > 1:
                errs.append("%s: %s listed %d times" % (name, r, allids.count(r)))
            if r not in cat:
                errs.append("%s: %s not in rule catalog" % (name, r))
        for r in FIXED:
            if r not in allids:
                errs.append("%s: fixed id %s not placed" % (name, r))
        if not s.get("reasoning", "").strip():
            errs.append("%s: empty reasoning" % name)
    on_disk = {f for f in os.listdir(HERE)
               if f.endswith((".excalidraw", ".drawio", ".dot", ".mmd")) or
               (f.endswith(".md") and f != "README.md")}
    for f in sorted(on_disk - seen_files):
        errs.append("%s: sketch on disk without expectations" % f)
    if errs:
        print("\n".join(errs))
        sys.exit(1)
    n = len(sketches)
    from collections import Counter
    print("%d sketches OK" % n)
    print("strength:", dict(Counter(s["strength"] for s in sketches)))
    print("serving :", dict(Counter(s["serving"] for s in sketches)))
    print("problem :", dict(Counter(s["problem"] for s in sketches)))
    for s in sketches:
        print("  %-36s %-6s %-6s %-15s flag=%d not=%d deb=%d" % (
            s["file"], s["strength"], s["serving"], s["problem"],
            len(s["must_flag"]), len(s["must_not_flag"]), len(s["debatable"])))
    if "--json" in sys.argv:
        print(json.dumps(sketches, indent=2))


if __name__ == "__main__":
    main()
