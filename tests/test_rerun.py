"""A notebook executed twice in a row stores the same notebook: every output (images
included) and all metadata are equal, so nbval passes both times. Only the cell ids
differ (scripts/execute_notebooks.py gets new random ids from jupytext each time), which
this test leaves out, with widget model ids and the split of printed text into stream
outputs (both differ by chance; nbval ignores them too). Checked on the start page and on a lesson with plots and a demo."""
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import execute_notebooks  # noqa: E402

LESSONS = ["units/00_start_here/00_start_here.py",
           "units/unit1_deep_network_basics/03_gradient_based_optimization.py"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: Path(p).stem)
def test_two_runs_store_the_same_notebook(lesson, tmp_path):
    source = ROOT / lesson
    runs = []
    for run in ("first", "second"):
        folder = tmp_path / run / source.parent.name  # the same depth, so ../ links resolve
        folder.mkdir(parents=True)
        copy = folder / source.name
        shutil.copy(source, copy)
        execute_notebooks.execute(copy)
        runs.append(normalised(json.loads(copy.with_suffix(".ipynb").read_text())))
    assert runs[0] == runs[1]


def normalised(notebook):
    """The notebook without what differs by chance between two equal runs: cell ids (new
    random ones each time jupytext reads the .py), widget model ids (random), and how
    printed text was split into stream outputs (timing); consecutive stream outputs to the
    same stream are joined, as nbval compares them."""
    for cell in notebook["cells"]:
        cell.pop("id", None)
        outputs = []
        for output in cell.get("outputs", []):
            output.get("data", {}).get("application/vnd.jupyter.widget-view+json", {}).pop(
                "model_id", None)
            if (output["output_type"] == "stream" and outputs
                    and outputs[-1]["output_type"] == "stream"
                    and outputs[-1]["name"] == output["name"]):
                outputs[-1]["text"] = "".join(outputs[-1]["text"]) + "".join(output["text"])
                continue
            if output["output_type"] == "stream":
                output["text"] = "".join(output["text"])
            outputs.append(output)
        if "outputs" in cell:
            cell["outputs"] = outputs
    return notebook
