#!/usr/bin/env python3
"""Check expectations.toml of review_heldout9 (stdlib only, Python 3.11+).

- parses with tomllib; every [[sketch]] has the keys file, title, problem, strength,
  serving, classic, must_flag, must_not_flag, debatable, reasoning with valid values
- the file it names exists, and every sketch file on disk has exactly one entry
- every fixed rule id of CONTRACT.md section 3 (including nothing-to-review) is in
  exactly one of the three lists; no id appears twice; unrecognized-component is
  debatable; every id is a rule id of ../rule_catalog.md
Prints a summary; --json also dumps the parsed set.
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
TYPES = {"file": str, "title": str, "problem": str, "strength": str, "serving": str,
         "classic": bool, "must_flag": list, "must_not_flag": list, "debatable": list,
         "reasoning": str}
SKETCH_EXT = (".excalidraw", ".drawio", ".dot", ".mmd")


def catalog():
    ids = set()
    with open(CATALOG, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\|\s*`([a-z0-9-]+)`", line)
            if m:
                ids.add(m.group(1))
    return ids


def main():
    with open(os.path.join(HERE, "expectations.toml"), "rb") as f:
        data = tomllib.load(f)
    sketches = data.get("sketch", [])
    known = catalog()
    errs = []
    for r in FIXED:
        if r not in known:
            errs.append("fixed id %s missing from rule_catalog.md" % r)
    names = Counter()
    for n, s in enumerate(sketches):
        name = s.get("file", "sketch #%d" % n)
        names[name] += 1
        for k, t in TYPES.items():
            if not isinstance(s.get(k), t):
                errs.append("%s: %s missing or not %s" % (name, k, t.__name__))
        extra = set(s) - set(TYPES)
        if extra:
            errs.append("%s: unexpected keys %s" % (name, sorted(extra)))
        if not os.path.isfile(os.path.join(HERE, name)):
            errs.append("%s: no such file" % name)
        if s.get("strength") not in ("strong", "medium", "weak"):
            errs.append("%s: strength %r" % (name, s.get("strength")))
        if s.get("serving") not in ("online", "batch"):
            errs.append("%s: serving %r" % (name, s.get("serving")))
        if s.get("problem") not in PROBLEMS:
            errs.append("%s: problem %r" % (name, s.get("problem")))
        ids = [r for k in ("must_flag", "must_not_flag", "debatable") for r in s.get(k, [])]
        for r, c in Counter(ids).items():
            if c > 1:
                errs.append("%s: %s listed %d times" % (name, r, c))
            if r not in known:
                errs.append("%s: %s is not a catalog rule id" % (name, r))
        for r in FIXED:
            if r not in ids:
                errs.append("%s: fixed id %s not placed" % (name, r))
        if "unrecognized-component" not in s.get("debatable", []):
            errs.append("%s: unrecognized-component must be debatable" % name)
        if not s.get("reasoning", "").strip():
            errs.append("%s: empty reasoning" % name)
    for name, c in names.items():
        if c > 1:
            errs.append("%s: %d entries" % (name, c))
    on_disk = {f for f in os.listdir(HERE)
               if f.endswith(SKETCH_EXT) or (f.endswith(".md") and f != "README.md")}
    for f in sorted(on_disk - set(names)):
        errs.append("%s: sketch without expectations" % f)
    if errs:
        print("\n".join(errs))
        sys.exit(1)
    print("%d sketches OK" % len(sketches))
    for key in ("strength", "serving", "problem"):
        print("%-9s %s" % (key, dict(Counter(s[key] for s in sketches))))
    for s in sketches:
        print("  %-42s %-6s %-6s %-15s flag=%-2d not=%-2d deb=%d" % (
            s["file"], s["strength"], s["serving"], s["problem"],
            len(s["must_flag"]), len(s["must_not_flag"]), len(s["debatable"])))
    if "--json" in sys.argv:
        print(json.dumps(sketches, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
