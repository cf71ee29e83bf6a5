"""Binder's environment, built from binder/ alone in a fresh virtual environment: the pins
of binder/requirements.txt, then binder/postBuild, then one lesson executed in it.

Slow (a few minutes: torch alone is about 750 MB). It runs in CI; skip it with
SKIP_BINDER_TEST=1. repo2docker itself is not run: it needs a Docker engine, which these
machines do not have, so this test follows the same two steps repo2docker takes for a
`requirements.txt` + `postBuild` repository (pip install -r, then run postBuild).
"""
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
LESSON = ROOT / "units/unit1_deep_network_basics/01_tensors_and_linear_algebra.ipynb"

pytestmark = pytest.mark.skipif(bool(os.environ.get("SKIP_BINDER_TEST")),
                                reason="SKIP_BINDER_TEST is set")


def run(command, env, cwd=ROOT, timeout=1500):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, (f"{' '.join(map(str, command))} failed:\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def local_requirements(tmp_path):
    """binder/requirements.txt as this machine can install it: the same pins, without the
    line for torch's CPU index, which the course's build machines cannot reach (their pip
    finds the same torch CPU wheel in its configured sources; Binder reaches the index).
    The line must be there for Binder, or Binder would install torch's CUDA build."""
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    index = "--extra-index-url https://download.pytorch.org/whl/cpu"
    assert index in lines, "binder/requirements.txt must point pip at torch's CPU builds"
    path = tmp_path / "requirements.txt"
    path.write_text("\n".join(line for line in lines if line != index) + "\n")
    return path


def test_runtime_matches_this_python():
    wanted = (BINDER / "runtime.txt").read_text().strip()  # e.g. python-3.11
    assert wanted == f"python-{sys.version_info.major}.{sys.version_info.minor}"


def test_binder_environment_builds_and_runs_a_lesson(tmp_path):
    prefix = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True).create(prefix)
    bin_dir = prefix / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", NB_PYTHON_PREFIX=str(prefix),
               HOME=str(tmp_path / "home"), JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter"))
    env.setdefault("COURSE_DATA", str(ROOT.parent / "shared" / "data"))
    run([bin_dir / "pip", "install", "--quiet", "--retries", "1", "-r", local_requirements(tmp_path)], env)
    run(["bash", BINDER / "postBuild"], env)
    assert (prefix / "share/jupyter/lab/settings/overrides.json").exists()
    # the lesson in a kernel of the new environment, with its outputs compared by nbval-like
    # means: it must run without an error (nbval itself is not part of Binder's environment)
    executed = tmp_path / LESSON.name
    run([bin_dir / "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--ExecutePreprocessor.kernel_name=python3", f"--output={executed}", LESSON], env,
        cwd=LESSON.parent)
    text = executed.read_text()
    assert '"output_type": "error"' not in text
    check = run([bin_dir / "python", "-c", "import torch, utils; print(torch.__version__, "
                 "utils.__file__)"], env)
    assert check.stdout.startswith("2.13.0") and str(ROOT / "utils") in check.stdout
