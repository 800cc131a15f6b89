#!/usr/bin/env python3
"""Check expectations.toml of review_heldout10 (stdlib only, Python 3.11+).

- parses with tomllib; every [[sketch]] has exactly the keys file, title, problem,
  strength, serving, classic, must_flag, must_not_flag, debatable, reasoning, typed
  and with allowed values
- every file named exists, and every sketch file in the folder has exactly one entry
- every fixed rule id of CONTRACT.md section 3 (including nothing-to-review) is in
  exactly one of the three lists; no id is listed twice; unrecognized-component is
  debatable; every id is a rule id of ../rule_catalog.md
Prints a summary table; --json also prints the parsed set.
"""
import json, os, re, sys, tomllib
from collections import Counter

HERE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
CATALOG = os.path.join(os.path.dirname(HERE), "rule_catalog.md")
FIXED = ["feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring",
         "drift-detection", "alerting", "model-registry", "offline-evaluation", "ab-testing",
         "data-logging", "label-source", "orchestration", "fallback", "request-path",
         "orphan-component", "unrecognized-component", "requirements-stated",
         "metrics-stated", "nothing-to-review"]
PROBLEMS = {"recommendation", "search-ranking", "ads-ctr", "fraud-detection",
            "content-moderation", "rag-llm", "forecasting", "generic"}
KEYS = {"file": str, "title": str, "problem": str, "strength": str, "serving": str,
        "classic": bool, "must_flag": list, "must_not_flag": list, "debatable": list,
        "reasoning": str}
SKETCH_EXT = (".excalidraw", ".drawio", ".dot", ".mmd", ".md")


def catalog_ids():
    ids = set()
    for line in open(CATALOG, encoding="utf-8"):
        m = re.match(r"\|\s*`([a-z0-9-]+)`", line)
        if m:
            ids.add(m.group(1))
    return ids


def main():
    data = tomllib.load(open(os.path.join(HERE, "expectations.toml"), "rb"))
    sketches = data.get("sketch", [])
    known = catalog_ids()
    errs = [f"fixed id {r} not in rule_catalog.md" for r in FIXED if r not in known]
    seen = Counter()
    for i, s in enumerate(sketches):
        name = s.get("file", f"sketch #{i}")
        seen[name] += 1
        for k, t in KEYS.items():
            if not isinstance(s.get(k), t):
                errs.append(f"{name}: key {k} missing or not {t.__name__}")
        if set(s) - set(KEYS):
            errs.append(f"{name}: unexpected keys {sorted(set(s) - set(KEYS))}")
        if not os.path.isfile(os.path.join(HERE, name)):
            errs.append(f"{name}: file does not exist")
        if s.get("problem") not in PROBLEMS:
            errs.append(f"{name}: bad problem {s.get('problem')}")
        if s.get("strength") not in ("strong", "medium", "weak"):
            errs.append(f"{name}: bad strength")
        if s.get("serving") not in ("online", "batch"):
            errs.append(f"{name}: bad serving")
        lists = {k: s.get(k, []) for k in ("must_flag", "must_not_flag", "debatable")}
        allids = Counter(r for v in lists.values() for r in v)
        for r, n in allids.items():
            if n > 1:
                errs.append(f"{name}: {r} listed {n} times")
            if r not in known:
                errs.append(f"{name}: {r} is not a catalog rule id")
        for r in FIXED:
            if allids[r] != 1:
                errs.append(f"{name}: fixed id {r} placed {allids[r]} times")
        if "unrecognized-component" not in lists["debatable"]:
            errs.append(f"{name}: unrecognized-component must be debatable")
        if len(s.get("reasoning", "").strip()) < 200:
            errs.append(f"{name}: reasoning too short")
    on_disk = sorted(f for f in os.listdir(HERE)
                     if f.endswith(SKETCH_EXT) and f != "README.md")
    for f in on_disk:
        if seen[f] != 1:
            errs.append(f"{f}: {seen[f]} entries in expectations.toml (want 1)")
    print(f"{'file':40} {'problem':18} {'strength':8} {'serving':7} flag/not/deb")
    for s in sketches:
        print(f"{s['file']:40} {s['problem']:18} {s['strength']:8} {s['serving']:7} "
              f"{len(s['must_flag'])}/{len(s['must_not_flag'])}/{len(s['debatable'])}")
    if "--json" in sys.argv:
        print(json.dumps(data, indent=2))
    for e in errs:
        print("ERROR:", e)
    print(f"{len(sketches)} sketches, {len(errs)} errors")
    sys.exit(1 if errs else 0)


if __name__ == "__main__":
    main()
