"""Execute every notebook in a fresh kernel and record its wall time and peak memory.

    python scripts/benchmark.py [notebook.ipynb ...]

Writes scripts/benchmark_results.md: one row per notebook, the total, and the machine.
Peak memory is the kernel process's peak resident set size (VmHWM in /proc), which is
what counts against Binder's 2 GB. The budget per lesson is 60 s and 1.5 GB.
"""
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
import torch
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "scripts" / "benchmark_results.md"
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
    start = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        peak = peak_rss_mb(client.km.provisioner.process.pid)
    return seconds, peak


def machine():
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GiB RAM; Python "
            f"{platform.python_version()}, torch {torch.__version__} "
            f"({torch.get_num_threads()} threads)")


def main(args):
    paths = [Path(a).resolve() for a in args] or sorted(ROOT.glob("units/*/[0-9]*.ipynb"))
    rows, total = [], 0.0
    for path in paths:
        seconds, peak = run(path)
        total += seconds
        ok = "yes" if seconds <= TIME_BUDGET_S and peak <= MEMORY_BUDGET_MB else "**no**"
        rows.append(f"| {path.relative_to(ROOT)} | {seconds:.1f} | {peak:.0f} | {ok} |")
        print(rows[-1], flush=True)
    lines = [
        "# Notebook benchmark", "",
        f"Written by `scripts/benchmark.py` on {datetime.date.today()}.",
        f"Machine: {machine()}.", "",
        f"Budget per notebook: {TIME_BUDGET_S} s and {MEMORY_BUDGET_MB} MB "
        "(peak resident memory of the kernel).", "",
        "| notebook | wall time (s) | peak memory (MB) | within budget |",
        "| --- | ---: | ---: | --- |", *rows,
        f"| **total** | {total:.1f} | | |", "",
    ]
    RESULTS.write_text("\n".join(lines))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
