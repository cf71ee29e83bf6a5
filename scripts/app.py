"""The demos as apps: every interactive demo on its own Voilà page, without code on screen,
for projecting in a lecture.

    python scripts/app.py                 # = make app: serves http://127.0.0.1:8866/
    python scripts/app.py --port 9000     # another port
    python scripts/app.py --write-only    # only write the app notebooks (build/app/)

It writes one small notebook per demo module of utils/demos (a module with a `demo()`
function) into build/app/, named after the module, with the module's first docstring line
as its title, and runs Voilà on that folder: its start page lists the demos, a click opens
one. The pages are regenerated on every start, so a new demo appears by itself.
"""
import argparse
import ast
import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEMOS_DIR = ROOT / "utils" / "demos"
APP_DIR = ROOT / "build" / "app"


def demo_modules(demos_dir=DEMOS_DIR):
    """[(module name, title)] of every module in utils/demos that defines `demo()`."""
    found = []
    for path in sorted(Path(demos_dir).glob("[a-z]*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "demo" for node in tree.body):
            doc = (ast.get_docstring(tree) or path.stem).strip().splitlines()[0]
            found.append((path.stem, doc.rstrip(".")))
    return found


def app_notebook(module, title):
    """A notebook that shows one demo: its title, then the demo widget."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell(f"## {title}"),
                      nbformat.v4.new_code_cell(f"from utils.demos import {module}\n\n"
                                                f"{module}.demo()")]
    return notebook


def write_app(app_dir=APP_DIR, demos_dir=DEMOS_DIR):
    """Write build/app/<module>.ipynb for every demo (and remove stale ones); return paths."""
    app_dir = Path(app_dir)
    app_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for module, title in demo_modules(demos_dir):
        path = app_dir / f"{module}.ipynb"
        nbformat.write(app_notebook(module, title), path)
        paths.append(path)
    for stale in set(app_dir.glob("*.ipynb")) - set(paths):
        stale.unlink()
    return paths


def voila_command(port, app_dir=APP_DIR, open_browser=True):
    command = [sys.executable, "-m", "voila", str(app_dir), f"--port={port}",
               "--Voila.ip=127.0.0.1", "--VoilaConfiguration.show_tracebacks=True"]
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # containers and CI run as root
    return command


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--write-only", action="store_true", help="write build/app/ and stop")
    args = parser.parse_args(argv)
    paths = write_app()
    print(f"{len(paths)} demos in {APP_DIR.relative_to(ROOT)}/: "
          + ", ".join(p.stem for p in paths))
    if args.write_only:
        return 0
    print(f"Voilà serves them at http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    return subprocess.call(voila_command(args.port, open_browser=not args.no_browser), cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
