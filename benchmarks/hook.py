"""The pre-commit hook on a study repo of 200 sketches, timed as a learner would feel it.

Run: python benchmarks/hook.py [--sketches 200]
The hook's environment is built once (not timed); then `pre-commit run --all-files` is
timed over the repo (median of three runs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sketches", type=int, default=200)
    args = parser.parse_args()
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    samples = sorted(p for p in (ROOT / "sample_diagrams").iterdir() if p.name != "README.md")
    with tempfile.TemporaryDirectory(prefix="dc-hook-") as tmp:
        repo = Path(tmp) / "study"
        repo.mkdir()
        env = {**os.environ, "PRE_COMMIT_HOME": str(Path(tmp) / "cache"), "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x.invalid",
               "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x.invalid"}
        for i in range(args.sketches):
            sample = samples[i % len(samples)]
            week = repo / f"week{i // 8:02d}"
            week.mkdir(exist_ok=True)
            shutil.copyfile(sample, week / f"{i:03d}-{sample.name}")
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        (repo / ".pre-commit-config.yaml").write_text(
            f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: diagramcheck\n        args: [--fail-on, never]\n",
            encoding="utf-8",
        )
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        subprocess.run(["git", "add", "."], cwd=repo, check=True)
        start = time.perf_counter()
        subprocess.run([pre_commit, "install-hooks"], cwd=repo, env=env, check=True, capture_output=True)
        print(f"hook environment built in {time.perf_counter() - start:.1f} s (once per machine; not part of a commit)")
        times = []
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run([pre_commit, "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
        print(f"pre-commit run --all-files on {args.sketches} sketches: median {statistics.median(times):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)}; exit {done.returncode})")


if __name__ == "__main__":
    main()
