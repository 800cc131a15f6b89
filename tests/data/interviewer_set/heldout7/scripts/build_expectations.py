"""Check expectations.toml of review_heldout7 (stdlib only: tomllib).

    python3 scripts/build_expectations.py            # check, print a summary
    python3 scripts/build_expectations.py --table    # also print the README table (markdown)

Checks:
- every fixed rule id (CONTRACT.md section 3) appears exactly once per sketch, over
  must_flag / must_not_flag / debatable;
- no id appears twice in a sketch; every id is in /work/sets/rule_catalog.md;
- required keys and values (strength, serving, problem, classic, reasoning);
- every file exists; every sketch file in sketches/ has exactly one entry.
"""
import os
import re
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
CATALOG = "/work/sets/rule_catalog.md"
CONTRACT = "/work/shared/spec/CONTRACT.md"

# fallback copy of CONTRACT.md section 3 (used only if the file cannot be read)
FIXED_FALLBACK = [
    "feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring", "drift-detection",
    "alerting", "model-registry", "offline-evaluation", "ab-testing", "data-logging", "label-source",
    "orchestration", "fallback", "request-path", "orphan-component", "unrecognized-component",
    "requirements-stated", "metrics-stated", "nothing-to-review",
]
PROBLEMS_FALLBACK = ["recommendation", "search-ranking", "ads-ctr", "fraud-detection",
                     "content-moderation", "rag-llm", "forecasting", "generic"]


def fixed_ids():
    try:
        txt = open(CONTRACT).read()
    except OSError:
        return FIXED_FALLBACK, PROBLEMS_FALLBACK
    sec3 = txt.split("## 3.")[1].split("## 4.")[0]
    ids = re.findall(r"^\|\s*([a-z][a-z-]+)\s*\|\s*[a-z]+\s*\|", sec3, re.M)
    ids = [i for i in ids if i != "rule"]
    sec4 = txt.split("## 4.")[1].split("## 5.")[0]
    probs = [p for p in re.findall(r"^\|\s*([a-z][a-z-]+)\s*\|", sec4, re.M) if p != "id"]
    return ids, probs


def catalog_ids():
    txt = open(CATALOG).read()
    return set(re.findall(r"^\|\s*`([a-z0-9-]+)`", txt, re.M))


def main():
    fixed, problems = fixed_ids()
    assert set(FIXED_FALLBACK) == set(fixed), f"CONTRACT fixed ids changed: {sorted(set(fixed) ^ set(FIXED_FALLBACK))}"
    cat = catalog_ids()
    with open(os.path.join(ROOT, "expectations.toml"), "rb") as f:
        doc = tomllib.load(f)
    errs = []
    sketches = doc.get("sketch", [])
    seen_files = set()
    for s in sketches:
        name = s.get("file", "?")
        for k in ("file", "title", "problem", "strength", "serving", "classic", "must_flag",
                  "must_not_flag", "debatable", "reasoning"):
            if k not in s:
                errs.append(f"{name}: missing key {k}")
        if not os.path.isfile(os.path.join(ROOT, name)):
            errs.append(f"{name}: file does not exist")
        if name in seen_files:
            errs.append(f"{name}: listed twice")
        seen_files.add(name)
        if s.get("strength") not in ("strong", "medium", "weak"):
            errs.append(f"{name}: strength {s.get('strength')!r}")
        if s.get("serving") not in ("online", "batch"):
            errs.append(f"{name}: serving {s.get('serving')!r}")
        if s.get("problem") not in problems:
            errs.append(f"{name}: problem {s.get('problem')!r} not in CONTRACT section 4")
        if not isinstance(s.get("classic"), bool):
            errs.append(f"{name}: classic must be a bool")
        if len((s.get("reasoning") or "").split()) < 40:
            errs.append(f"{name}: reasoning too short")
        allids = s.get("must_flag", []) + s.get("must_not_flag", []) + s.get("debatable", [])
        for i in set(allids):
            if allids.count(i) > 1:
                errs.append(f"{name}: {i} listed {allids.count(i)} times")
            if i not in cat:
                errs.append(f"{name}: {i} not in rule_catalog.md")
        for i in fixed:
            if i not in allids:
                errs.append(f"{name}: fixed id {i} missing")
    on_disk = {os.path.join("sketches", f) for f in os.listdir(os.path.join(ROOT, "sketches"))}
    for f in sorted(on_disk - seen_files):
        errs.append(f"{f}: sketch without expectations")
    for e in errs:
        print("ERROR", e)
    n = len(sketches)
    by = lambda k: {v: sum(1 for s in sketches if s.get(k) == v) for v in sorted({s.get(k) for s in sketches})}  # noqa: E731
    print(f"{n} sketches; strength {by('strength')}; serving {by('serving')}; problem {by('problem')}")
    print(f"must_flag {sum(len(s['must_flag']) for s in sketches)}, "
          f"must_not_flag {sum(len(s['must_not_flag']) for s in sketches)}, "
          f"debatable {sum(len(s['debatable']) for s in sketches)}; {len(errs)} problems")
    if "--table" in sys.argv:
        print()
        print("| file | format | problem | strength | serving | classic | must_flag | must_not_flag (fixed / other) |")
        print("|---|---|---|---|---|---|---|---|")
        for s in sketches:
            mnf = s["must_not_flag"]
            nf = sum(1 for i in mnf if i in fixed)
            fmt = os.path.splitext(s["file"])[1].lstrip(".")
            print(f"| `{os.path.basename(s['file'])}` | {fmt} | {s['problem']} | {s['strength']} | "
                  f"{s['serving']} | {str(s['classic']).lower()} | "
                  f"{', '.join(s['must_flag']) or '—'} | {nf} / {len(mnf) - nf} |")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
