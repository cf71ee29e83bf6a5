"""Kernel-side latency of every interactive demo: time from a change of a slider or a
dropdown to the updated figure (the observer runs synchronously, so `control.value = v` returns only
after `view.image.value` holds the new PNG). For the GAN demo also training steps and
redraws per second while playing.

Every demo module of utils/demos is measured: the list comes from scripts/app.py's
`demo_modules()` (a module with a `demo()` function), so a new demo appears by itself.
Besides the wall time (the goal) the table gives the kernel's CPU time per change: on a
busy machine the wall time is inflated by waiting for a core, the CPU time much less.

    python scripts/latency.py                      # the markdown table of every demo
    python scripts/latency.py gradient_descent sgd # only these demo modules
"""
import importlib
import sys
import time
from pathlib import Path

import numpy as np
import ipywidgets as widgets

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from app import demo_modules  # noqa: E402

DEMOS = [module for module, _title in demo_modules()]
SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider,
           widgets.SelectionSlider)


def slider_values(slider, n):
    """n values that sweep the slider back and forth across (a part of) its range."""
    if isinstance(slider, widgets.Dropdown):  # cycle through the options by index
        return [i % len(slider.options) for i in range(n)]
    if isinstance(slider, widgets.SelectionSlider):  # by index too: options may be pairs
        count = len(slider.options)
        return [i % count for i in range(n)]
    low, high = slider.min, slider.max
    if isinstance(slider, widgets.FloatLogSlider):
        low, high = slider.base ** slider.min, slider.base ** slider.max
        grid = np.geomspace(low, high, 12)
    else:
        grid = np.linspace(low, high, 12)
    if isinstance(slider, widgets.IntSlider):
        grid = np.unique(np.round(grid).astype(int))
    sweep = list(grid) + list(grid[-2:0:-1])  # up and down, never the same value twice
    return [type(slider.value)(sweep[i % len(sweep)]) for i in range(n)]


def time_changes(demo, name, n=60, cpu=None):
    """Wall milliseconds per change of control `name` that redrew the figure, over n
    changes; the CPU milliseconds of the same changes are appended to the list `cpu`.
    (A control that belongs to another setting, e.g. a parameter of a distribution that is
    not shown, redraws nothing and is left out.)"""
    control = demo.controls[name]
    times = []
    for value in slider_values(control, n):
        before = bytes(demo.view.image.value)
        start, start_cpu = time.perf_counter(), time.process_time()
        if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider)):
            control.index = value
        else:
            control.value = value
        elapsed = (time.perf_counter() - start) * 1000
        elapsed_cpu = (time.process_time() - start_cpu) * 1000
        if bytes(demo.view.image.value) != before:
            times.append(elapsed)
            if cpu is not None:
                cpu.append(elapsed_cpu)
    return times


def measure(module_name, with_cpu=False):
    """Rows (demo, control, median ms, 95th percentile ms) for the first three sliders and
    the first two dropdowns of a demo, and the demo itself. With `with_cpu` each row also
    has the median and 95th percentile of the CPU milliseconds."""
    module = importlib.import_module(f"utils.demos.{module_name}")
    demo = module.demo()
    sliders = [n for n, c in demo.controls.items() if isinstance(c, SLIDERS)][:3]
    dropdowns = [n for n, c in demo.controls.items() if isinstance(c, widgets.Dropdown)][:2]
    rows = []
    for name in sliders + dropdowns:
        cpu = []
        times = time_changes(demo, name, cpu=cpu)
        if len(times) >= 10:
            row = (module_name, name, np.median(times), np.percentile(times, 95))
            rows.append(row + (np.median(cpu), np.percentile(cpu, 95)) if with_cpu else row)
    return rows, demo


def gan_throughput(demo, frames=50):
    """(redraws per second, training iterations per second) while playing the GAN demo;
    an iteration is the demo's k steps of D and k steps of G."""
    play = demo.controls["play"]
    iterations_before = demo.model.steps_done
    start = time.perf_counter()
    for _ in range(frames):
        play.value += 1  # one Play tick = one frame of training iterations and a redraw
    seconds = time.perf_counter() - start
    return frames / seconds, (demo.model.steps_done - iterations_before) / seconds


def table(modules=None):
    """The latency results of `modules` (default: every demo) as markdown."""
    lines = ["| demo | control | median (ms) | 95th percentile (ms) | CPU median (ms) "
             "| CPU 95th percentile (ms) |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    extra = []
    for module_name in modules or DEMOS:
        rows, demo = measure(module_name, with_cpu=True)
        if not rows:
            extra.append(f"- {module_name}: no slider or dropdown that redraws the figure")
        lines += [f"| {m} | {c} | {med:.1f} | {p95:.1f} | {cmed:.1f} | {cp95:.1f} |"
                  for m, c, med, p95, cmed, cp95 in rows]
        if module_name == "gan":
            fps, sps = gan_throughput(demo)
            extra.append(f"- GAN demo while playing: {fps:.1f} redraws per second, "
                         f"{sps:.0f} training iterations per second")
    return "\n".join(lines + [""] + extra)


if __name__ == "__main__":
    print(table(sys.argv[1:]))
