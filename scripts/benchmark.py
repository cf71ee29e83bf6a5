"""Measure the course's performance budgets and write scripts/benchmark_results.md.

    python scripts/benchmark.py              # notebooks + demo latency
    python scripts/benchmark.py notebooks    # only the notebook table
    python scripts/benchmark.py latency      # only the demo latency (kernel side)

- notebooks: each notebook executed in a fresh kernel; wall time and the kernel's peak
  resident memory (VmHWM in /proc, what counts against Binder's 2 GB). Budget per lesson:
  60 s and 1.5 GB.
- latency: scripts/latency.py (control change -> updated figure, in the kernel).
- browser latency: read from build/browser_latency.json, which the real-browser tests
  (tests/browser) write: key press on a demo's slider -> changed figure in Chromium.
A section that is not re-measured keeps its previous text.
"""
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
import latency  # noqa: E402

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


def run(path):
    """(wall seconds, peak MB) of executing the notebook at `path` in a fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        start = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        peak = peak_rss_mb(client.km.provisioner.process.pid)
    return seconds, peak


def notebook_section():
    rows, total = [], 0.0
    for path in sorted(ROOT.glob("units/*/[0-9]*.ipynb")):
        seconds, peak = run(path)
        total += seconds
        ok = "yes" if seconds <= TIME_BUDGET_S and peak <= MEMORY_BUDGET_MB else "**no**"
        rows.append(f"| {path.relative_to(ROOT)} | {seconds:.1f} | {peak:.0f} | {ok} |")
        print(rows[-1], flush=True)
    return "\n".join([
        f"Budget per notebook: {TIME_BUDGET_S} s and {MEMORY_BUDGET_MB} MB (peak resident "
        "memory of the kernel). Time counts from the first cell, after the kernel started.", "",
        "| notebook | wall time (s) | peak memory (MB) | within budget |",
        "| --- | ---: | ---: | --- |", *rows, f"| **total** | {total:.1f} | | |"])


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


def main(args):
    what = set(args) or {"notebooks", "latency"}
    sections = read_sections()
    if "notebooks" in what:
        sections["Notebooks: time and memory"] = notebook_section()
    if "latency" in what:
        sections["Demos: kernel latency"] = (
            "Goal: median <= 50 ms and 95th percentile <= 100 ms from a control change to "
            "the updated figure (60 changes per control).\n\n" + latency.table())
    sections["Demos: browser latency"] = browser_section()
    header = (f"# Benchmark results\n\nWritten by `scripts/benchmark.py` on "
              f"{datetime.date.today()}.\nMachine: {machine()}.\n")
    body = "".join(f"\n## {heading}\n\n{text}\n" for heading, text in sections.items())
    RESULTS.write_text(header + body)
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
