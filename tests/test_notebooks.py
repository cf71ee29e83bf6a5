"""Every notebook is paired with a py:percent twin whose cells are the same, and every
notebook has been executed (nbval compares nothing in a cell without stored outputs)."""
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("units/*/*.ipynb"))
SCRIPTS = sorted(ROOT.glob("units/*/*.py"))


def cells(path):
    notebook = jupytext.read(path)
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_script_has_a_notebook(path):
    assert path.with_suffix(".ipynb").exists(), f"{path} has no paired .ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_and_script_have_the_same_cells(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{path} has no paired .py"
    assert cells(path) == cells(script), (
        f"{path.name} and its .py differ: run `make notebooks NB={script.relative_to(ROOT)}`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed(path):
    code = [cell for cell in jupytext.read(path).cells if cell.cell_type == "code"]
    assert all(cell.get("outputs") is not None for cell in code)
    assert any(cell.outputs for cell in code), f"{path.name} has no outputs: execute it"
