"""utils.course: the lesson table of the start page is made from the lesson files; the
Colab install cell that starts every lesson."""
import os
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from utils import course

ROOT = Path(__file__).resolve().parent.parent


def test_parse_title():
    assert course.parse_title("# # Equivariance and pooling (syllabus II.4, II.5)") == (
        "Equivariance and pooling", ["II.4", "II.5"])
    assert course.parse_title("# # Unfolding graphs (syllabus III.1–III.4)") == (
        "Unfolding graphs", ["III.1–III.4"])
    assert course.parse_title("# # Capacity (I.6, I.7, with I.8)") == ("Capacity", ["I.6", "I.7", "I.8"])
    assert course.parse_title("# # A review of Unit II") == ("A review of Unit II", [])
    assert course.parse_title("# # Losses (in practice)") == ("Losses (in practice)", [])


def test_every_lesson_is_listed_once_with_a_link_that_exists(tmp_path):
    table = course.lesson_table()
    sources = sorted(ROOT.glob("units/unit*/[0-9]*.py"))
    assert len(course.lessons()) == len(sources) > 0
    for py in sources:
        link = f"(../{py.parent.name}/{py.with_suffix('.ipynb').name})"
        assert table.count(link) == 1
        assert (course.START_DIR / link.strip("()")).resolve() == py.with_suffix(".ipynb")


def test_run_times_come_from_the_benchmark_file(tmp_path):
    units = tmp_path / "units"
    (units / "unit2_x").mkdir(parents=True)
    (units / "unit2_x" / "01_a.py").write_text("# %% [markdown]\n# # Alpha (syllabus II.1)\n")
    (units / "unit2_x" / "02_b.py").write_text("# %% [markdown]\n# # Beta (II.2)\n")
    results = tmp_path / "results.md"
    results.write_text("| notebook | wall time (s) | peak memory (MB) | ok |\n| --- | --- | --- | --- |\n"
                       "| units/unit2_x/01_a.ipynb | 12.4 | 800 | yes |\n| **total** | 12.4 | | |\n")
    rows = course.lesson_table(units, results).splitlines()[2:]
    assert rows == ["| II Convolutional Neural Networks | [01 Alpha](../unit2_x/01_a.ipynb) | II.1 | 12 |",
                    "| II Convolutional Neural Networks | [02 Beta](../unit2_x/02_b.ipynb) | II.2 | not measured yet |"]


def test_the_colab_cell_does_nothing_where_the_course_is_installed(monkeypatch):
    cell = course.colab_cell("units/unit1_deep_network_basics")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("nothing may run"))
    namespace = {}
    exec(cell, namespace)  # utils is importable here
    assert namespace["REPOSITORY"] == "" and "subprocess" not in namespace


def test_the_colab_cell_without_an_address_stops_with_a_message(monkeypatch):
    cell = course.colab_cell("units/unit1_deep_network_basics")
    monkeypatch.setitem(sys.modules, "utils.training", None)  # as if not installed
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("nothing may run"))
    with pytest.raises(SystemExit, match="REPOSITORY"):
        exec(cell, {})


def test_the_colab_cell_clones_installs_and_enters_the_lesson_folder(monkeypatch, tmp_path):
    cell = course.colab_cell("units/unit3_recurrent_networks").replace(
        'REPOSITORY = ""', 'REPOSITORY = "https://example.org/ad3501.git"')
    monkeypatch.setitem(sys.modules, "utils.training", None)
    commands = []
    monkeypatch.setattr(subprocess, "run", lambda command, **k: commands.append(command))
    monkeypatch.setattr(os, "chdir", lambda path: commands.append(["chdir", path]))
    monkeypatch.setattr(sys, "path", list(sys.path))
    exec(cell, {})
    assert commands[0][:2] == ["git", "clone"] and "https://example.org/ad3501.git" in commands[0]
    assert commands[1][-3:] == ["--no-deps", "-e", "/content/ad3501"]
    assert commands[2] == ["chdir", "/content/ad3501/units/unit3_recurrent_networks"]


def test_every_lesson_starts_with_the_colab_cell():
    for py in sorted(ROOT.glob("units/*/[0-9]*.py")):
        notebook = jupytext.read(py)
        first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
        folder = py.parent.relative_to(ROOT).as_posix()
        assert first_code.source == course.colab_cell(folder), f"{py}: first code cell"


def test_the_start_page_is_paired_and_executed():
    notebook = jupytext.read(ROOT / "units/00_start_here/00_start_here.ipynb")
    assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def test_run_times_read_the_one_thread_columns_of_the_two_setting_table(tmp_path):
    """scripts/benchmark.py writes time and peak memory per thread setting; the start page
    shows the first setting's (OMP_NUM_THREADS=1) time."""
    results = tmp_path / "results.md"
    results.write_text(
        "| notebook | 1 thread: time (s) | 1 thread: peak (MB) | all cores (2): time (s) "
        "| all cores (2): peak (MB) | within budget |\n| --- | ---: | ---: | ---: | ---: | --- |\n"
        "| units/unit2_x/01_a.ipynb | 12.4 | 800 | 9.1 | 810 | yes |\n"
        "| **total** | 12.4 |  | 9.1 |  |  |\n")
    assert course.run_times(results) == {"units/unit2_x/01_a.ipynb": (12.4, 800.0)}
