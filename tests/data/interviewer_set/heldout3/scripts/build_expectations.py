"""Checks expectations.toml of review_heldout3 and prints a summary.

- the file parses with tomllib;
- one [[sketch]] per sketch file in the folder, and every file named exists;
- every fixed rule id of CONTRACT.md section 3 is in exactly one of must_flag / must_not_flag / debatable;
- no id is in two lists or twice in one list; every id is a rule id of /work/sets/rule_catalog.md.
Exit code 1 on any problem.
"""
import glob, os, re, sys, tomllib

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTRACT = "/work/shared/spec/CONTRACT.md"
CATALOG = "/work/sets/rule_catalog.md"

FIXED = [
    "feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring", "drift-detection",
    "alerting", "model-registry", "offline-evaluation", "ab-testing", "data-logging", "label-source",
    "orchestration", "fallback", "request-path", "orphan-component", "unrecognized-component",
    "requirements-stated", "metrics-stated", "nothing-to-review",
]
FIELDS = ["file", "title", "problem", "strength", "serving", "classic", "must_flag", "must_not_flag",
          "debatable", "reasoning"]
PROBLEMS = {"recommendation", "search-ranking", "ads-ctr", "fraud-detection", "content-moderation",
            "rag-llm", "forecasting", "generic"}


def contract_fixed_ids():
    """Rule ids from the section-3 table of CONTRACT.md (cross-check of FIXED)."""
    try:
        text = open(CONTRACT).read()
    except OSError:
        return None
    sec = text.split("## 3.", 1)[1].split("## 4.", 1)[0]
    return {m.group(1) for m in re.finditer(r"^\| ([a-z][a-z-]+) \| [a-z-]+ \|", sec, re.M)}


def catalog_ids():
    try:
        text = open(CATALOG).read()
    except OSError:
        return None
    return set(re.findall(r"^\| `([a-z-]+)`", text, re.M))


def main():
    errs = []
    with open(os.path.join(HERE, "expectations.toml"), "rb") as f:
        data = tomllib.load(f)
    sk = data.get("sketch", [])
    cf = contract_fixed_ids()
    if cf is not None and cf != set(FIXED):
        errs.append(f"fixed ids differ from CONTRACT.md: {sorted(cf ^ set(FIXED))}")
    cat = catalog_ids()
    files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "*.excalidraw"))
                   + glob.glob(os.path.join(HERE, "*.dot")))
    named = [s.get("file") for s in sk]
    if sorted(named) != files:
        errs.append(f"sketch files {sorted(named)} != files in folder {files}")
    tot = {"must_flag": 0, "must_not_flag": 0, "debatable": 0}
    fixed_tot = {"must_flag": 0, "must_not_flag": 0, "debatable": 0}
    rows = []
    for s in sk:
        name = s.get("file", "?")
        for k in FIELDS:
            if k not in s:
                errs.append(f"{name}: missing field {k}")
        if s.get("strength") not in ("strong", "medium", "weak"):
            errs.append(f"{name}: bad strength")
        if s.get("serving") not in ("online", "batch", "none"):
            errs.append(f"{name}: bad serving")
        if s.get("problem") not in PROBLEMS:
            errs.append(f"{name}: bad problem {s.get('problem')}")
        if not isinstance(s.get("classic"), bool):
            errs.append(f"{name}: classic must be a bool")
        if not s.get("reasoning", "").strip():
            errs.append(f"{name}: empty reasoning")
        seen = {}
        for lst in ("must_flag", "must_not_flag", "debatable"):
            for rid in s.get(lst, []):
                if rid in seen:
                    errs.append(f"{name}: {rid} in {seen[rid]} and {lst}")
                seen[rid] = lst
                if cat is not None and rid not in cat:
                    errs.append(f"{name}: {rid} is not in the rule catalog")
                tot[lst] += 1
                if rid in FIXED:
                    fixed_tot[lst] += 1
        for rid in FIXED:
            if rid not in seen:
                errs.append(f"{name}: fixed id {rid} in no list")
        rows.append((name, s.get("strength"), s.get("serving"), s.get("problem"),
                     len(s.get("must_flag", [])), len(s.get("must_not_flag", [])), len(s.get("debatable", []))))
    for r in rows:
        print("%-42s %-7s %-7s %-19s mf=%-3d mnf=%-3d deb=%d" % r)
    print(f"sketches: {len(sk)}")
    for k in ("strong", "medium", "weak"):
        print(f"  {k}: {sum(1 for s in sk if s.get('strength') == k)}")
    for k in ("online", "batch", "none"):
        print(f"  serving {k}: {sum(1 for s in sk if s.get('serving') == k)}")
    print(f"ids (all): {tot}")
    print(f"ids (fixed only): {fixed_tot}")
    if errs:
        print("ERRORS:\n  " + "\n  ".join(errs))
        sys.exit(1)
    print("expectations.toml OK")


if __name__ == "__main__":
    main()
