"""Speed: cold start, throughput on many sketches, and scale on generated architectures.

Run with plain Python: python benchmarks/speed.py [--quick]
Prints tables; nothing here is a pass/fail assertion.
"""

from __future__ import annotations

import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.writers.excalidraw import SceneBuilder  # noqa: E402

# labels people write, by kind, for realistic generated graphs
LABELS = {
    "client": ["Mobile app", "Web client", "User"], "api": ["API gateway", "Backend service", "Load balancer"],
    "event_log": ["Click logs", "Prediction log", "Event logging"], "stream": ["Kafka", "Kinesis", "Pub/Sub"],
    "data_lake": ["Data lake (S3)", "BigQuery", "HDFS"], "database": ["User DB", "Postgres", "Item catalog"],
    "batch_processing": ["Spark ETL", "Batch job", "dbt"], "stream_processing": ["Flink", "Kafka Streams"],
    "feature_pipeline": ["Feature pipeline", "Feature engineering"], "feature_store": ["Feature store", "Feast"],
    "training": ["Training", "Trainer", "Fine-tuning"], "model_registry": ["Model registry", "MLflow registry"],
    "evaluation": ["Offline evaluation", "Backtesting"], "serving": ["Prediction service", "Model serving", "Triton"],
    "ranking": ["Ranking model", "CTR model"], "candidate_generation": ["Candidate generation", "Retrieval"],
    "monitoring": ["Monitoring", "Grafana", "Prometheus"], "alerting": ["Alerting", "PagerDuty"],
    "cache": ["Redis cache", "Result cache"], "orchestrator": ["Airflow", "Kubeflow Pipelines"],
    "feedback": ["User feedback", "Label joiner"], "vector_index": ["Vector DB", "FAISS index"],
}


def generated_scene(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    s = SceneBuilder(seed=seed, first_index=None)
    kinds = list(LABELS)
    side = max(int(n**0.5), 1)
    boxes = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        label = f"{rng.choice(LABELS[kind])} {i // len(kinds)}"
        boxes.append(s.box(label, (i % side) * 260, (i // side) * 160, 180, 80))
    for i, box in enumerate(boxes):  # about two connections per component, mostly to neighbours
        for _ in range(2):
            j = min(n - 1, max(0, i + rng.choice([-side, -1, 1, side, rng.randrange(-50, 50)])))
            if j != i:
                s.arrow(box, boxes[j])
    return s.scene()


def timed(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Seconds per run of each whole command; the commands take turns, so a drift in the
    machine's speed does not fall on one of them."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    return times


def cold_start(runs: int) -> None:
    # An installed wheel comes with bytecode (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would recompile every module on every start (~40 ms here).
    compileall.compile_dir(str(ROOT / "diagramcheck"), quiet=1)
    sample = ROOT / "sample_diagrams" / "recommendation.excalidraw"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import networkx, pydantic'": [sys.executable, "-c", "import networkx, pydantic"],
        # what a review imports of the two since the pack cache holds plain objects
        "python -c 'import networkx'": [sys.executable, "-c", "import networkx"],
        "diagramcheck review (typical sketch)": [sys.executable, "-m", "diagramcheck", "review", "--format", "json", str(sample)],
        "diagramcheck review DOT sketch": [sys.executable, "-m", "diagramcheck", "review", "--format", "json", str(ROOT / "sample_diagrams" / "ads_ctr.dot")],
    }
    print(f"cold start ({runs} runs each, whole process; the commands take turns, so a drift in")
    print("the machine's speed does not fall on one of them)")
    times = timed(commands, runs)
    print(f"  {'':<42} {'median':>8} {'best':>8}")
    for name, values in times.items():
        print(f"  {name:<42} {statistics.median(values) * 1000:5.0f} ms {min(values) * 1000:5.0f} ms")
    review, floor = times["diagramcheck review (typical sketch)"], times["python -c 'import networkx, pydantic'"]
    print(f"  review minus the networkx+pydantic import: median {(statistics.median(review) - statistics.median(floor)) * 1000:.0f} ms, "
          f"best {(min(review) - min(floor)) * 1000:.0f} ms (target: within 150 ms)")


def loop_time() -> float:
    """A fixed pure-Python loop, so runs on a machine whose speed drifts can be compared
    (on the 2-core VM this was written on, a loop like it drifted between 300 and 540 ms
    within minutes)."""
    start = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return time.perf_counter() - start


def machine_speed() -> None:
    best = min(loop_time() for _ in range(3))
    print(f"machine speed: 3M-addition loop {best * 1000:.0f} ms (best of 3; lower is faster)")


def throughput(files: int, runs: int = 3) -> None:
    from diagramcheck.cli import main

    samples = sorted(p for p in (ROOT / "sample_diagrams").iterdir() if p.name != "README.md")
    folder = Path(tempfile.mkdtemp(prefix="dc-bench-"))
    try:
        paths = []
        for i in range(files):
            source = samples[i % len(samples)]
            target = folder / f"{i:04d}-{source.name}"
            shutil.copyfile(source, target)
            paths.append(str(target))
        rates = []
        for run in range(runs):
            out = folder / f"out-{run}.json"
            start = time.perf_counter()
            main(["review", "--format", "json", "--fail-on", "never", "-o", str(out), *paths])
            rates.append(files / (time.perf_counter() - start))
        runs_text = ", ".join(f"{r:.0f}" for r in rates)
        print(f"throughput: {files} sketches in one process: best {max(rates):.0f} files/s, median "
              f"{statistics.median(rates):.0f} (runs: {runs_text}; target: 200)")
    finally:
        shutil.rmtree(folder)


def scale(sizes: list[int], runs: int = 3) -> None:
    print("scale: generated Excalidraw architectures through the whole pipeline (read, build, type, all rules, JSON);")
    print(f"  {runs} run{'s' if runs > 1 else ''} per size, growth from the medians (one run's noise on this VM is 20-30%);")
    print("  `loop` is the machine-speed loop timed just before each run (median), to tell a slow")
    print("  machine from a slow run")
    print(f"  {'components':>10} {'elements':>9} {'median':>8} {'best':>8} {'peak MB':>8} {'growth':>7} {'loop':>7}")
    previous = None
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix="dc-scale-"))
        try:
            path = folder / f"gen-{n}.excalidraw"
            # generated in its own process: a child forked from a parent holding the scene
            # would report the parent's memory as its own peak (ru_maxrss survives fork)
            subprocess.run([sys.executable, "-c", f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); "
                            f"from benchmarks.speed import generated_scene; "
                            f"open({str(path)!r}, 'w').write(json.dumps(generated_scene({n})))"], check=True)
            elements = path.read_bytes().count(b'"versionNonce"')
            code = (
                "import re, sys, time\n"
                "from diagramcheck.cli import main\n"
                "t = time.perf_counter()\n"
                f"main(['review', '--format', 'json', '--fail-on', 'never', '-o', {str(folder / 'out.json')!r}, '--force', {str(path)!r}])\n"
                # VmHWM, not ru_maxrss: the latter carries the forking parent's size across exec
                "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
                "print(time.perf_counter() - t, int(hwm) / 1024)\n"
            )
            times, peaks, loops = [], [], []
            for _ in range(runs):
                loops.append(loop_time())
                result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                                        env={**os.environ, "PYTHONPATH": str(ROOT)})
                elapsed, peak = (float(x) for x in result.stdout.split()[-2:])
                times.append(elapsed)
                peaks.append(peak)
            median = statistics.median(times)
            growth = f"{median / previous:.1f}x" if previous else ""
            print(f"  {n:>10,} {elements:>9,} {median:>7.2f}s {min(times):>7.2f}s {max(peaks):>8.0f} {growth:>7} "
                  f"{statistics.median(loops) * 1000:>4.0f} ms")
            previous = median
        finally:
            shutil.rmtree(folder)


def main() -> None:
    quick = "--quick" in sys.argv
    machine_speed()
    cold_start(3 if quick else 9)
    throughput(100 if quick else 500)
    scale([100, 1_000] if quick else [100, 1_000, 10_000, 50_000], runs=1 if quick else 3)


if __name__ == "__main__":
    main()
