"""The course as a whole: its lessons (read from the lesson files), their measured run
times (from scripts/benchmark_results.md) and the first cell that installs the course on
Colab. The start page units/00_start_here/00_start_here.ipynb shows `lesson_table()`, so
it stays right as lessons are added: re-execute it after `make benchmark`.
"""
import re
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
UNITS_DIR = REPO_DIR / "units"
RESULTS = REPO_DIR / "scripts" / "benchmark_results.md"
START_DIR = UNITS_DIR / "00_start_here"

UNIT_NAMES = {"unit1": "I Deep Networks Basics", "unit2": "II Convolutional Neural Networks",
              "unit3": "III Recurrent Neural Networks", "unit4": "IV Model Evaluation",
              "unit5": "V Autoencoders and Generative Models"}
TOPIC = re.compile(r"\b[IVX]+\.\d+(?:\s*[–-]\s*[IVX]+\.\d+)?")


def parse_title(line):
    """(title, topics) from a lesson's title line, e.g.
    '# # Pooling (syllabus II.4, II.5)' -> ('Pooling', ['II.4', 'II.5']). The topics are the
    syllabus numbers in the last parentheses; a title without them has no topics."""
    text = line.lstrip("# ").strip()
    match = re.search(r"\s*\(([^()]*)\)\s*$", text)
    if match and TOPIC.search(match.group(1)):
        topics = [re.sub(r"\s*[–-]\s*", "–", t) for t in TOPIC.findall(match.group(1))]
        return text[:match.start()].strip(), topics
    return text, []


def run_times(results=RESULTS):
    """{notebook path relative to the repository: (seconds, peak MB)} from the benchmark file."""
    times = {}
    if not Path(results).exists():
        return times
    for line in Path(results).read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].endswith(".ipynb"):
            try:
                times[cells[0]] = (float(cells[1]), float(cells[2]))
            except ValueError:
                continue
    return times


def lessons(units_dir=UNITS_DIR, results=RESULTS):
    """Every lesson (units/unitN_*/NN_*.py), in course order, as dicts with unit, number,
    title, topics, path (of the .ipynb, relative to the repository) and seconds/peak_mb
    (None when not measured yet)."""
    times = run_times(results)
    found = []
    for py in sorted(Path(units_dir).glob("unit*/[0-9]*.py")):
        title_line = next((line for line in py.read_text(encoding="utf-8").splitlines()
                           if line.startswith("# # ")), py.stem)
        title, topics = parse_title(title_line)
        ipynb = py.with_suffix(".ipynb")
        relative = f"units/{py.parent.name}/{ipynb.name}"
        seconds, peak = times.get(relative, (None, None))
        found.append({"unit": UNIT_NAMES.get(py.parent.name.split("_")[0], py.parent.name),
                      "number": py.stem.split("_")[0], "title": title, "topics": topics,
                      "path": relative, "seconds": seconds, "peak_mb": peak})
    return found


def lesson_table(units_dir=UNITS_DIR, results=RESULTS):
    """The markdown table of every lesson with links relative to the start page's folder
    (they open in JupyterLab), its syllabus topics and its measured run time."""
    rows = ["| unit | lesson | syllabus topics | run time (s) |", "| --- | --- | --- | ---: |"]
    for lesson in lessons(units_dir, results):
        link = f"[{lesson['number']} {lesson['title']}](../{lesson['path'][len('units/'):]})"
        topics = ", ".join(lesson["topics"]) or "review"
        seconds = "not measured yet" if lesson["seconds"] is None else f"{lesson['seconds']:.0f}"
        rows.append(f"| {lesson['unit']} | {link} | {topics} | {seconds} |")
    return "\n".join(rows)


# The first code cell of every lesson. Where the course is installed (make lab, Binder, a
# hub) it does nothing. On Colab it asks for the repository's address (a form field, as the
# notebook cannot know where it was opened from), clones it, installs `utils` and moves into
# the lesson's folder; without an address it stops "Run all" with a message saying what to do.
COLAB_CELL = '''\
# Colab only: installs the course from REPOSITORY (its git address). Elsewhere: does nothing.
REPOSITORY = ""  # @param {{type:"string"}}
try:
    import utils.training  # noqa: F401  (the course is installed: nothing to do)
except ImportError:
    import os, subprocess, sys
    if not REPOSITORY:
        raise SystemExit("Paste the course's git repository address into REPOSITORY, then run this cell again.")
    if not os.path.isdir("/content/ad3501"):
        subprocess.run(["git", "clone", "--depth", "1", REPOSITORY, "/content/ad3501"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", "/content/ad3501"], check=True)
    sys.path.insert(0, "/content/ad3501")
    os.chdir("/content/ad3501/{folder}")'''


def colab_cell(folder):
    """The text of the install cell for a lesson in `folder` (e.g. 'units/unit1_deep_network_basics')."""
    return COLAB_CELL.format(folder=folder)
