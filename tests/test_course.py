"""utils.course: the lesson table of the start page is made from the lesson files."""
from pathlib import Path

import jupytext

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


def test_the_colab_cell_is_valid_python_and_does_nothing_when_installed():
    cell = course.colab_cell("https://example.org/ad3501.git", "units/unit1_deep_network_basics")
    compile(cell, "<colab cell>", "exec")
    namespace = {}
    exec(cell, namespace)  # utils is importable here: nothing is cloned or installed
    assert "subprocess" in namespace and not Path("/content/ad3501").exists()


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
