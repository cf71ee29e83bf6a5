"""Re-execute notebooks from their paired .py so that stored outputs are never hand-edited.

    python scripts/execute_notebooks.py                 # every notebook whose .py is newer
    python scripts/execute_notebooks.py units/x/01_a.py # these ones, always
    python scripts/execute_notebooks.py --all           # every notebook

The .py (jupytext percent format) is the source; the .ipynb is rebuilt from it in a fresh
kernel, run in the notebook's own folder, without timing metadata (so nbval and git diffs
see only real changes).
"""
import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
# On a busy machine torch's two OpenMP threads wait for each other and run 10-20x slower;
# one thread avoids that. Outputs agree with multi-threaded runs up to float rounding,
# which is why training results are printed against thresholds.
os.environ.setdefault("OMP_NUM_THREADS", "1")


def notebook_sources(args):
    """The .py files to execute, from the command line arguments."""
    if args and args != ["--all"]:
        return [Path(arg).with_suffix(".py") for arg in args]
    sources = sorted(ROOT.glob("units/*/[0-9]*.py"))
    if args == ["--all"]:
        return sources
    return [py for py in sources if not py.with_suffix(".ipynb").exists()
            or py.stat().st_mtime > py.with_suffix(".ipynb").stat().st_mtime]


def execute(py_path, timeout=900):
    """Run the notebook of `py_path` top to bottom and write the paired .ipynb."""
    notebook = jupytext.read(py_path)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(py_path.parent)}})
    client.execute()
    ipynb_path = py_path.with_suffix(".ipynb")
    nbformat.write(notebook, ipynb_path)
    jupytext.write(notebook, py_path, fmt="py:percent")  # keep both files byte-stable


def main(args):
    sources = notebook_sources(args)
    if not sources:
        print("Every notebook is up to date.")
    for py_path in sources:
        start = time.perf_counter()
        execute(py_path.resolve())
        print(f"executed {py_path} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
