"""Validates expectations.toml: parses with tomllib, every fixed rule id (CONTRACT.md section 3)
in exactly one list per sketch, only catalog ids, no id in two lists, files exist; prints counts."""
import os
import re
import sys
import tomllib

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
contract = open("/work/shared/spec/CONTRACT.md").read()
sec3 = contract.split("## 3.")[1].split("## 4.")[0]
fixed = re.findall(r"^\| ([a-z-]+) \| [a-z]+ \|", sec3, re.M)
catalog = set(re.findall(r"^\| `([a-z-]+)`", open("/work/sets/rule_catalog.md").read(), re.M))
problems = {"recommendation", "search-ranking", "ads-ctr", "fraud-detection",
            "content-moderation", "rag-llm", "forecasting", "generic"}
assert len(fixed) == 19, fixed
assert set(fixed) <= catalog
data = tomllib.load(open(os.path.join(HERE, "expectations.toml"), "rb"))
errs = []
files = sorted(f for f in os.listdir(HERE) if f.endswith(".excalidraw"))
seen = []
for sk in data["sketch"]:
    f = sk["file"]
    seen.append(f)
    for k in ("file", "title", "problem", "strength", "serving", "classic", "must_flag",
              "must_not_flag", "debatable", "reasoning"):
        if k not in sk:
            errs.append(f"{f}: missing {k}")
    if sk["problem"] not in problems:
        errs.append(f"{f}: problem {sk['problem']}")
    if sk["strength"] not in ("strong", "gappy", "weak", "not-ml"):
        errs.append(f"{f}: strength")
    if sk["serving"] not in ("online", "batch", "mixed", "none"):
        errs.append(f"{f}: serving")
    lists = {k: sk[k] for k in ("must_flag", "must_not_flag", "debatable")}
    for k, v in lists.items():
        if len(v) != len(set(v)):
            errs.append(f"{f}: duplicate in {k}")
        for r in v:
            if r not in catalog:
                errs.append(f"{f}: {r} not in catalog")
    allids = [r for v in lists.values() for r in v]
    for r in set(allids):
        if allids.count(r) > 1:
            errs.append(f"{f}: {r} in two lists")
    for r in fixed:
        n = sum(r in v for v in lists.values())
        if n != 1:
            errs.append(f"{f}: fixed {r} appears {n} times")
    if not os.path.exists(os.path.join(HERE, f)):
        errs.append(f"{f}: file missing")
if sorted(seen) != files:
    errs.append(f"files vs sketches differ: {set(files) ^ set(seen)}")
for e in errs:
    print("ERROR", e)
sk = data["sketch"]
print(f"{len(sk)} sketches; strong={sum(s['strength']=='strong' for s in sk)} "
      f"gappy={sum(s['strength']=='gappy' for s in sk)} weak={sum(s['strength']=='weak' for s in sk)} "
      f"not-ml={sum(s['strength']=='not-ml' for s in sk)}; "
      f"batch/mixed={sum(s['serving'] in ('batch','mixed') for s in sk)}; "
      f"non-classic={sum(not s['classic'] for s in sk)}")
from collections import Counter
print("problems:", dict(Counter(s["problem"] for s in sk)))
print("serving:", dict(Counter(s["serving"] for s in sk)))
mf = Counter(r for s in sk for r in s["must_flag"] if r in fixed)
print("fixed must_flag counts:", dict(mf))
sys.exit(1 if errs else 0)
