"""Run every notebook's nbval check again under other CPU kernels and one thread.

The stored outputs must hold on any x86-64 machine, not only on the one that wrote them.
numpy's OpenBLAS and torch's ATen pick their kernels by CPU (SkylakeX, Haswell, ...), and
the thread count changes the order of summation, so a printout with too many digits can
pass here and fail on a student's laptop. `make test` runs nbval natively (all cores); this
script repeats it under each setting in SETTINGS:

    python scripts/portability.py                  # every notebook, every setting
    python scripts/portability.py units/x/01_a.ipynb --setting sandybridge

Each setting runs on one thread, so two notebooks run side by side on a 2-core machine.
Exit status 1 if any notebook fails under any setting; the failing nbval output is printed.
"""
import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What `OPENBLAS_VERBOSE=2` reports and torch.backends.cpu.get_cpu_capability() shows:
# natively this machine picks SkylakeX (OpenBLAS) and AVX512 (ATen); these are the others.
# Both run on one thread, which also covers the single-thread order of summation.
SETTINGS = {
    "haswell-avx2": {"OPENBLAS_CORETYPE": "Haswell", "ATEN_CPU_CAPABILITY": "avx2",
                     "OMP_NUM_THREADS": "1"},
    "sandybridge-default": {"OPENBLAS_CORETYPE": "Sandybridge",
                            "ATEN_CPU_CAPABILITY": "default", "OMP_NUM_THREADS": "1"},
}
NBVAL = ["--nbval", "--nbval-sanitize-with", "tests/sanitize.cfg", "--nbval-current-env",
         "-q", "-p", "no:cacheprovider"]


def run_one(notebook, setting):
    """Run nbval on one notebook under one setting: (notebook, setting, ok, seconds, output)."""
    env = {**os.environ, **SETTINGS[setting]}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", *NBVAL, str(notebook)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return notebook, setting, result.returncode == 0, seconds, result.stdout + result.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--setting", action="append", choices=sorted(SETTINGS))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    notebooks = args.notebooks or sorted(ROOT.glob("units/*/*.ipynb"))
    settings = args.setting or list(SETTINGS)
    jobs = [(nb, s) for s in settings for nb in notebooks]
    print(f"portability: {len(notebooks)} notebooks x {len(settings)} settings "
          f"({', '.join(settings)}), {args.jobs} at a time", flush=True)
    failures = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for notebook, setting, ok, seconds, output in pool.map(lambda j: run_one(*j), jobs):
            name = Path(notebook).resolve().relative_to(ROOT)
            print(f"{'ok  ' if ok else 'FAIL'} {setting:20s} {seconds:6.1f} s  {name}", flush=True)
            if not ok:
                failures.append((name, setting, output))
    for name, setting, output in failures:
        print(f"\n===== {name} under {setting}: {SETTINGS[setting]} =====\n{output[-6000:]}")
    print(f"portability: {len(jobs) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
