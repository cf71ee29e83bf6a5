"""scripts/app.py: one Voilà app notebook per demo module, each of which runs and shows its demo."""
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import app  # noqa: E402


def test_every_demo_module_becomes_an_app_page(tmp_path):
    modules = dict(app.demo_modules())
    assert {"gradient_descent", "gan", "pooling"} <= set(modules)
    assert modules["gradient_descent"].startswith("Gradient descent")
    (tmp_path / "old.ipynb").write_text("{}")
    paths = app.write_app(tmp_path)
    assert sorted(p.stem for p in paths) == sorted(modules)
    assert not (tmp_path / "old.ipynb").exists()  # a demo that was removed disappears


def test_an_app_page_runs_and_shows_its_demo(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    notebook = app.app_notebook("gradient_descent", "Gradient descent")
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    outputs = notebook.cells[1].outputs
    assert len(outputs) == 1
    assert "application/vnd.jupyter.widget-view+json" in outputs[0]["data"]


def test_the_voila_command_listens_on_loopback_only():
    command = app.voila_command(8899, open_browser=False)
    assert "--Voila.ip=127.0.0.1" in command and "--port=8899" in command
    assert "--no-browser" in command


def test_the_latency_benchmark_covers_every_demo_module():
    import latency
    assert latency.DEMOS == [module for module, _title in app.demo_modules()]


def test_benchmark_parts_can_run_alone():
    import benchmark
    assert benchmark.parse_args([]).sections == {"notebooks", "latency", "loops"}
    trial = benchmark.parse_args(["--notebooks-only", "units/u/01_a.ipynb", "units/u/02_b.py",
                                  "--threads", "1", "--output", "/tmp/x.md"])
    assert trial.sections == {"notebooks"} and trial.threads == ["1"]
    assert trial.notebooks == ["units/u/01_a.ipynb", "units/u/02_b.py"]
    assert [p.name for p in benchmark.notebook_paths(trial.notebooks)] == ["01_a.ipynb", "02_b.ipynb"]
    assert benchmark.parse_args(["latency", "loops"]).sections == {"latency", "loops"}
    assert benchmark.parse_args(["units/u/01_a.ipynb"]).sections == {"notebooks"}
    with pytest.raises(SystemExit):
        benchmark.parse_args(["no-such-section"])
    with pytest.raises(SystemExit):
        benchmark.parse_args(["--threads", "3"])
    settings = benchmark.thread_settings(["1", "all"])
    assert list(settings.values())[0] == "1" and int(list(settings.values())[1]) >= 1
