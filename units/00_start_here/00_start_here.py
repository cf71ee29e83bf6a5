# %% [markdown]
# # Start here: AD3501 Deep Learning, an interactive course
#
# This course teaches every topic of the Anna University **AD3501 Deep Learning** syllabus
# with code you run: short explanations with the maths (checked against Goodfellow, Bengio
# & Courville, *Deep Learning*, cited as GBC), PyTorch code on real data (mostly
# Fashion-MNIST), interactive demos with sliders, exercises that check your answers, and
# Part-A review questions. Where the usual lecture notes are wrong, a lesson says so.
# Every lesson runs on a laptop CPU in well under a minute.
#
# ## How to run it
#
# - **On your own computer** (Linux or macOS, Python 3.11): `make lab` in the course
#   folder sets everything up the first time (about 2 minutes) and opens JupyterLab.
#   Then `make data` once while online, and the course works offline.
# - **Binder**: the Binder badge in the README starts JupyterLab in the browser, nothing to
#   install (the session is deleted when you close it: download what you change).
# - **Colab**: open a lesson from the README's Colab badge; its first cell installs the
#   course there (and does nothing anywhere else). Colab lacks JupyterLab's settings and
#   Voilà; the demos work, as they use only the standard widgets.
# - **Jupyter Notebook 7, VS Code**: open any `.ipynb`; the demos work there too.
# - **Projecting a demo in a lecture**: `make app` shows the demos as Voilà pages, without
#   code on screen.
# - **A class on a JupyterHub**: see `docs/teaching.md` in the course folder.
#
# In each lesson run the cells from top to bottom (**Run → Run All Cells**). A demo
# responds when you move a slider; a check cell prints whether your answer is right.
#
# ## Every lesson
#
# The table below is made by code from the lesson files (their title lines) and from the
# measured run times in `scripts/benchmark_results.md` (a fresh kernel on a 2-core
# machine); a click opens the lesson in JupyterLab.

# %%
# Colab only: installs the course from REPOSITORY (its git address). Elsewhere: does nothing.
REPOSITORY = ""  # @param {type:"string"}
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
    os.chdir("/content/ad3501/units/00_start_here")

# %%
from IPython.display import Markdown

from utils.course import lesson_table, lessons
from utils.threads import use_course_threads

use_course_threads(small=True)
Markdown(lesson_table())

# %% [markdown]
# How many lessons and syllabus topics that is, counted from the same files:

# %%
all_lessons = lessons()
topics = {topic for lesson in all_lessons for topic in lesson["topics"]}
print(f"{len(all_lessons)} lessons covering {len(topics)} syllabus topic numbers "
      "(a range such as III.1–III.4 counts once)")

# %% [markdown]
# Start with Unit I, lesson 01: [Scalars, vectors, matrices and
# tensors](../unit1_deep_network_basics/01_tensors_and_linear_algebra.ipynb).
