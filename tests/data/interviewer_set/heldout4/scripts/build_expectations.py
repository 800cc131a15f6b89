"""Check expectations.toml: it parses with tomllib, every fixed rule id of CONTRACT.md
section 3 is in exactly one list per sketch, no id is listed twice, every id is in the
rule catalog, every sketch file exists, and the set mix is as intended. Prints counts.

Usage: python3 scripts/build_expectations.py   (from the set folder or anywhere)
"""
import os
import re
import sys
import tomllib
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CATALOG = "/work/sets/rule_catalog.md"

FIXED = [
    "feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring",
    "drift-detection", "alerting", "model-registry", "offline-evaluation", "ab-testing",
    "data-logging", "label-source", "orchestration", "fallback", "request-path",
    "orphan-component", "unrecognized-component", "requirements-stated", "metrics-stated",
    "nothing-to-review",
]
KEYS = {"file", "title", "problem", "strength", "serving", "classic", "must_flag",
        "must_not_flag", "debatable", "reasoning"}
PROBLEMS = {"recommendation", "search-ranking", "ads-ctr", "fraud-detection",
            "content-moderation", "rag-llm", "forecasting", "generic"}


def catalog_ids():
    if not os.path.exists(CATALOG):
        return None
    ids = set()
    for line in open(CATALOG, encoding="utf-8"):
        m = re.match(r"\|\s*`([a-z0-9-]+)`", line)
        if m:
            ids.add(m.group(1))
    return ids


def main():
    with open(os.path.join(ROOT, "expectations.toml"), "rb") as fh:
        data = tomllib.load(fh)
    sketches = data["sketch"]
    cat = catalog_ids()
    errors = []
    totals = Counter()
    mix = Counter()
    for s in sketches:
        name = s.get("file", "?")
        if set(s) != KEYS:
            errors.append(f"{name}: keys {sorted(set(s) ^ KEYS)}")
        if not os.path.exists(os.path.join(ROOT, name)):
            errors.append(f"{name}: file missing")
        if s["strength"] not in ("strong", "medium", "weak"):
            errors.append(f"{name}: strength {s['strength']}")
        if s["serving"] not in ("online", "batch", "none"):
            errors.append(f"{name}: serving {s['serving']}")
        if s["problem"] not in PROBLEMS:
            errors.append(f"{name}: problem {s['problem']}")
        if not isinstance(s["classic"], bool):
            errors.append(f"{name}: classic must be a bool")
        if len(s["reasoning"].split()) < 40:
            errors.append(f"{name}: reasoning too short")
        lists = {k: s[k] for k in ("must_flag", "must_not_flag", "debatable")}
        seen = Counter(i for v in lists.values() for i in v)
        for rid, n in seen.items():
            if n > 1:
                errors.append(f"{name}: {rid} listed {n} times")
            if cat is not None and rid not in cat:
                errors.append(f"{name}: {rid} not in rule catalog")
        for rid in FIXED:
            if seen[rid] != 1:
                errors.append(f"{name}: fixed id {rid} in {seen[rid]} lists")
        totals["must_flag"] += len(s["must_flag"])
        totals["must_not_flag"] += len(s["must_not_flag"])
        totals["debatable"] += len(s["debatable"])
        totals["must_flag_fixed"] += sum(1 for r in s["must_flag"] if r in FIXED)
        totals["must_not_flag_fixed"] += sum(1 for r in s["must_not_flag"] if r in FIXED)
        mix[(s["strength"])] += 1
        mix[("serving", s["serving"])] += 1
        mix[("ext", name.rsplit(".", 1)[-1])] += 1
        print(f"{name:48s} {s['strength']:6s} {s['serving']:6s} "
              f"flag={len(s['must_flag']):2d} not={len(s['must_not_flag']):2d} deb={len(s['debatable']):2d}")
    print(f"{len(sketches)} sketches; mix: {dict(mix)}")
    print(f"totals: {dict(totals)}")
    if errors:
        print("\n".join("ERROR " + e for e in errors))
        sys.exit(1)
    print("OK: parses, partition of fixed ids holds for every sketch")


if __name__ == "__main__":
    main()
