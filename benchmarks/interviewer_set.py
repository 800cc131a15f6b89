"""How well the review agrees with an interviewer, on sets the project did not write.

Each set is a folder with `expectations.toml`: per sketch, the rule ids an experienced
interviewer says must be flagged (`must_flag`) and must not be flagged (`must_not_flag`),
written from the drawing before the tool ran on it (tests/data/interviewer_set/README.md).
Only error and warning findings count: a finding whose rule is in must_flag is right, in
must_not_flag is wrong, anything else is debatable and not counted.

Run: python benchmarks/interviewer_set.py [--level senior] [--verbose] [SET ...]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.engine import review  # noqa: E402
from diagramcheck.errors import DiagramError  # noqa: E402
from diagramcheck.formats import split_block_name  # noqa: E402
from diagramcheck.kinds import default_lexicon  # noqa: E402
from diagramcheck.packs import catalog_for  # noqa: E402
from diagramcheck.pipeline import load_graph  # noqa: E402

SETS = ROOT / "tests" / "data" / "interviewer_set"
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass
class Case:
    set: str
    file: str
    strength: str
    problem: str
    serving: str
    got: set[str] = field(default_factory=set)
    right: set[str] = field(default_factory=set)
    wrong: set[str] = field(default_factory=set)
    missed: set[str] = field(default_factory=set)
    detected: str = ""
    error: str = ""


def sketch_path(set_dir: Path, file: str) -> Path | None:
    """A set's own file, or a corpus file named relative to ../shared/corpus (a Markdown file's
    Mermaid block as `mermaid/notes.md#block2`)."""
    own = set_dir / file
    if own.exists():
        return own
    corpus = CORPUS / file
    return corpus if (CORPUS / split_block_name(file)[0]).exists() else None  # notes.md#block2: one Mermaid block


def run_set(set_dir: Path, level: str = "senior") -> list[Case]:
    spec = tomllib.loads((set_dir / "expectations.toml").read_text(encoding="utf-8"))
    catalog, lexicon = catalog_for(), default_lexicon()
    cases = []
    for entry in spec["sketch"]:
        case = Case(set_dir.name, entry["file"], entry["strength"], entry["problem"], entry.get("serving", ""))
        cases.append(case)
        path = sketch_path(set_dir, entry["file"])
        if path is None:
            case.error = "not readable here (a format this version does not read, or the corpus is absent)"
            continue
        try:
            result = review(load_graph(path, lexicon), catalog, lexicon.category, level=level)
        except DiagramError as exc:
            case.error = str(exc)
            continue
        case.detected = result.problem
        case.got = {f.rule for f in result.findings if f.severity in ("error", "warning")}
        must, must_not = set(entry.get("must_flag", [])), set(entry.get("must_not_flag", []))
        case.right, case.wrong, case.missed = case.got & must, case.got & must_not, must - case.got
    return cases


def summary(cases: list[Case]) -> dict:
    scored = [c for c in cases if not c.error]
    right = sum(len(c.right) for c in scored)
    wrong = sum(len(c.wrong) for c in scored)
    must = right + sum(len(c.missed) for c in scored)
    strong = [c for c in scored if c.strength == "strong"]
    return {
        "sketches": len(scored),
        "skipped": len(cases) - len(scored),
        "precision": right / (right + wrong) if right + wrong else 1.0,
        "recall": right / must if must else 1.0,
        "right": right,
        "wrong": wrong,
        "missed": must - right,
        "worst_strong": max((len(c.wrong) for c in strong), default=0),
        "strong_wrong": {c.file: sorted(c.wrong) for c in strong if c.wrong},
        "problem_accuracy": sum(c.detected == c.problem for c in scored) / len(scored) if scored else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", help="set folders (default: every folder of tests/data/interviewer_set)")
    parser.add_argument("--level", default="senior")
    parser.add_argument("--verbose", action="store_true", help="list every wrong and missed rule")
    args = parser.parse_args()
    folders = [Path(s) for s in args.sets] or sorted(p for p in SETS.iterdir() if (p / "expectations.toml").exists())
    everything: list[Case] = []
    print(f"{'set':<22} {'sketches':>8} {'precision':>9} {'recall':>7} {'right':>6} {'wrong':>6} {'missed':>6} "
          f"{'worst strong':>12} {'problem acc':>11}")
    for folder in folders:
        cases = run_set(folder, args.level)
        everything += cases
        _row(folder.name, summary(cases))
    if len(folders) > 1:
        _row("all", summary(everything))
    for case in everything:
        if case.error:
            print(f"  skipped {case.set}/{case.file}: {case.error}")
        elif args.verbose and (case.wrong or case.missed or case.detected != case.problem):
            problem = f" problem {case.detected} (expected {case.problem})" if case.detected != case.problem else ""
            print(f"  {case.set}/{case.file} [{case.strength}, {case.serving}]: wrong {sorted(case.wrong)}, "
                  f"missed {sorted(case.missed)}{problem}")


def _row(name: str, s: dict) -> None:
    print(f"{name:<22} {s['sketches']:>8} {s['precision']:>9.2f} {s['recall']:>7.2f} {s['right']:>6} {s['wrong']:>6} "
          f"{s['missed']:>6} {s['worst_strong']:>12} {s['problem_accuracy']:>11.2f}")


if __name__ == "__main__":
    main()
