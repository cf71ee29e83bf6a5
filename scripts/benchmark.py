"""Measure the course's performance budgets and write scripts/benchmark_results.md.

    python scripts/benchmark.py                     # everything (make benchmark; about 15 minutes)
    python scripts/benchmark.py notebooks           # only the notebook table
    python scripts/benchmark.py latency loops       # only these sections
    python scripts/benchmark.py --notebooks-only units/unit1_deep_network_basics/02_*.ipynb \
        --output /tmp/trial.md                      # a trial on a few notebooks
    python scripts/benchmark.py notebooks --threads 1   # one thread setting only

Sections (positional words; default all):
- notebooks: each notebook executed in a fresh kernel, once with OMP_NUM_THREADS=1 and once
  with all cores (OMP_NUM_THREADS = the usable cores, which utils.threads honours as an
  explicit choice); wall time and the kernel's peak resident memory (VmHWM in /proc, what
  counts against Binder's 2 GB) for each. Budget per lesson: 60 s and 1.5 GB (judged on
  the one-thread run, the setting CI and busy machines use).
- latency: scripts/latency.py (control change -> updated figure, in the kernel), every demo.
- loops: scripts/loop_benchmark.py: utils' training loop against a bare torch loop and a
  DataLoader loop (samples/s and ratio; goal: the course's loop >= 0.9x the bare loop).
- browser latency: read from build/browser_latency.json, which the real-browser tests
  (tests/browser) write: key press on a demo's slider -> changed figure in Chromium.
A section that is not re-measured keeps its previous text. Notebook paths (.ipynb or .py)
given on the command line, or after --notebooks-only, restrict the notebook table to them.
"""
import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
import torch
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
import latency  # noqa: E402
import loop_benchmark  # noqa: E402
from utils.threads import usable_cores, use_course_threads  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "scripts" / "benchmark_results.md"
BROWSER = ROOT / "build" / "browser_latency.json"
TIME_BUDGET_S, MEMORY_BUDGET_MB = 60, 1536


def peak_rss_mb(pid):
    """Peak resident memory of process `pid` in MB, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def thread_settings(names):
    """{column title: OMP_NUM_THREADS value} for the thread settings "1" and "all"."""
    cores = usable_cores()
    known = {"1": ("1 thread", "1"), "all": (f"all cores ({cores})", str(cores))}
    return dict(known[name] for name in names)


def run(path, omp_threads=None):
    """(wall seconds, peak MB) of executing the notebook at `path` in a fresh kernel whose
    environment has OMP_NUM_THREADS=`omp_threads` (None: the environment as it is)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    env = {name: value for name, value in os.environ.items() if name != "COURSE_THREADS"}
    if omp_threads is not None:
        env["OMP_NUM_THREADS"] = omp_threads
    with client.setup_kernel(env=env):
        start = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        peak = peak_rss_mb(client.km.provisioner.process.pid)
    return seconds, peak


def notebook_paths(selected=None):
    """Every notebook of the course (units/*/NN_*.ipynb), or the selected ones."""
    if selected:
        return [(ROOT / p).with_suffix(".ipynb") for p in selected]  # ROOT / absolute = absolute
    return sorted(ROOT.glob("units/*/[0-9]*.ipynb"))


def notebook_section(selected=None, settings=("1", "all")):
    columns = thread_settings(settings)
    head = "| notebook | " + " | ".join(f"{c}: time (s) | {c}: peak (MB)" for c in columns)
    rows, totals = [], dict.fromkeys(columns, 0.0)
    for path in notebook_paths(selected):
        cells, within = [], True
        for column, omp in columns.items():
            seconds, peak = run(path, omp)
            totals[column] += seconds
            cells += [f"{seconds:.1f}", f"{peak:.0f}"]
            within = within and seconds <= TIME_BUDGET_S and peak <= MEMORY_BUDGET_MB
        name = path.resolve().relative_to(ROOT)
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {'yes' if within else '**no**'} |")
        print(rows[-1], flush=True)
    total = " | ".join(["**total**", *(f"{totals[c]:.1f} | " for c in columns), ""])
    return "\n".join([
        f"Budget per notebook: {TIME_BUDGET_S} s and {MEMORY_BUDGET_MB} MB (peak resident "
        "memory of the kernel). Time counts from the first cell, after the kernel started. "
        "Each notebook runs in a fresh kernel once per thread setting: OMP_NUM_THREADS=1, "
        "and OMP_NUM_THREADS = every usable core (utils.threads takes it as an explicit "
        "choice, so every lesson, small or not, uses all cores).", "",
        head + " | within budget |",
        "| --- |" + " ---: | ---: |" * len(columns) + " --- |",
        *rows, f"| {total} |"])


def loops_section(repeats=3):
    use_course_threads()  # as in the lessons (and loop_benchmark.py's own main)
    return ("Goal: the course's loop (`utils.training.train_epoch`, the loop inside `fit`) "
            ">= 0.9x the bare loop's samples per second. From `scripts/loop_benchmark.py`, "
            "torch threads by the course's policy.\n\n" + loop_benchmark.loops_table(repeats))


def browser_section():
    if not BROWSER.exists():
        return "Not measured yet: run `.venv/bin/python -m pytest tests/browser`."
    results = json.loads(BROWSER.read_text())
    rows = [f"| {name} | {r['median_ms']:.0f} | {r['max_ms']:.0f} | {r['presses']} |"
            for name, r in sorted(results.items())]
    return "\n".join(["Goal: key press to visibly updated figure <= 200 ms.", "",
                      "| notebook | median (ms) | max (ms) | key presses |",
                      "| --- | ---: | ---: | ---: |", *rows])


def machine():
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GiB RAM; Python "
            f"{platform.python_version()}, torch {torch.__version__} "
            f"({torch.get_num_threads()} threads)")


def read_sections():
    """{heading: text} of the existing results file."""
    if not RESULTS.exists():
        return {}
    sections = {}
    for block in RESULTS.read_text().split("\n## ")[1:]:
        heading, _, text = block.partition("\n")
        sections[heading.strip()] = text.strip()
    return sections


SECTIONS = ("notebooks", "latency", "loops")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*",
                        help=f"sections {SECTIONS} and/or notebook paths (default: all)")
    parser.add_argument("--notebooks-only", nargs="*", metavar="NOTEBOOK",
                        help="only the notebook table (of these notebooks, if given)")
    parser.add_argument("--threads", default="1,all",
                        help="thread settings of the notebook table: 1, all or 1,all")
    parser.add_argument("--demos", nargs="*", help="demo modules of the latency table")
    parser.add_argument("--repeats", type=int, default=3, help="runs per loop in 'loops'")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help="results file (use another one for trials)")
    args = parser.parse_args(argv)
    words = [w for w in args.what if w in SECTIONS]
    paths = [w for w in args.what if w not in SECTIONS]
    bad = [p for p in paths if not p.endswith((".ipynb", ".py"))]
    if bad:
        parser.error(f"neither a section {SECTIONS} nor a notebook: {bad}")
    args.notebooks = paths + (args.notebooks_only or [])
    if args.notebooks_only is not None:
        args.sections = {"notebooks"}
    else:
        args.sections = set(words) or (set(SECTIONS) if not paths else {"notebooks"})
    args.threads = [s.strip() for s in args.threads.split(",")]
    if set(args.threads) - {"1", "all"}:
        parser.error("--threads takes 1, all or 1,all")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    global RESULTS
    RESULTS = args.output
    sections = read_sections()
    if "notebooks" in args.sections:
        sections["Notebooks: time and memory"] = notebook_section(args.notebooks, args.threads)
    if "latency" in args.sections:
        sections["Demos: kernel latency"] = (
            "Goal: median <= 50 ms and 95th percentile <= 100 ms from a control change to "
            "the updated figure (60 changes per control; CPU ms: the kernel's own work, "
            "what the wall time approaches on an idle machine).\n\n" + latency.table(args.demos))
    if "loops" in args.sections:
        sections["Training loop: course vs bare torch vs DataLoader"] = loops_section(args.repeats)
    sections["Demos: browser latency"] = browser_section()
    header = (f"# Benchmark results\n\nWritten by `scripts/benchmark.py` on "
              f"{datetime.date.today()}.\nMachine: {machine()}.\n")
    body = "".join(f"\n## {heading}\n\n{text}\n" for heading, text in sections.items())
    RESULTS.write_text(header + body)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
