"""The one pattern every interactive demo follows: a pure model and a thin view.

- The **model** is plain numpy/torch: state plus a function that returns the numbers the
  figure shows. It is seeded, needs no widget, and the tests drive it directly.
- The **view** holds the controls and ONE matplotlib figure, built once. A control change
  updates the figure's artists in place (`set_data`, `set_offsets`, ...) and calls
  `FigureView.redraw()`, which renders the figure to PNG and puts it into an
  `ipywidgets.Image`.

Why PNG in an Image widget: it needs no third-party widget JavaScript, so the same demo
runs in JupyterLab, Notebook 7, Voila, VS Code and Colab; and nbval skips widget views,
so stored outputs stay stable. Rendering time is measured by `scripts/latency.py`.

Live training is driven by `play_controls`: a Play widget tick (or the Step button) runs k
steps per frame in the kernel's own thread; there are no background threads.
"""
import html
import io
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
import PIL.Image
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from utils.plotting import OKABE_ITO  # noqa: F401  (re-exported for demos)


def new_figure(width=7.0, height=4.0, dpi=80):
    """A matplotlib Figure that is not managed by pyplot (so it never displays by itself)."""
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


class FigureView:
    """Shows a Figure as an ipywidgets.Image; call `redraw()` after changing its artists.

    Speed-up (blitting): artists created with `animated=True` (the moving parts: a path, a
    scatter of samples) are drawn over a cached picture of everything else, so a frame
    costs only their drawing plus the PNG encoding. After changing anything that is not
    animated (axis limits, a contour background, a title) call `redraw(full=True)`.
    """

    def __init__(self, fig):
        self.fig = fig
        self.image = widgets.Image(format="png")
        self._background = None
        self.redraw(full=True)

    def redraw(self, full=False):
        canvas = self.fig.canvas
        if full or self._background is None:
            canvas.draw()  # everything except the animated artists
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for ax in self.fig.axes:
            for artist in ax.get_children():
                if artist.get_animated() and artist.get_visible():
                    ax.draw_artist(artist)
        rgba = np.asarray(canvas.buffer_rgba())  # (H, W, 4) uint8
        buffer = io.BytesIO()
        PIL.Image.fromarray(rgba).save(buffer, format="png", compress_level=1)
        self.image.value = buffer.getvalue()


@contextmanager
def one_thread():
    """Run torch on one thread inside this block. A demo's tensors are tiny, so waking
    torch's worker threads costs more than the work, and on a busy 2-core machine two
    threads waiting for each other make each step 10-20x slower."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def message():
    """An HTML line where a demo explains an impossible or diverged setting."""
    return widgets.HTML(layout=widgets.Layout(min_height="1.6em"))


def say(label, text, kind="info"):
    """Show `text` in the message line `label`; kind "warn" is shown in vermillion."""
    color = "#D55E00" if kind == "warn" else "#333333"
    label.value = f'<span style="color:{color}">{html.escape(text)}</span>' if text else ""


def play_controls(step, reset, interval_ms=100):
    """Play / Step / Reset controls for live training.

    `step()` advances the model by one frame (k steps) and redraws; `reset()` restores the
    start. The Play widget ticks every `interval_ms`; the frontend skips ticks while a frame
    is still drawing, so slow frames never pile up. Returns (HBox, play widget).
    """
    play = widgets.Play(interval=interval_ms, max=10**9, show_repeat=False,
                        layout=widgets.Layout(width="110px"))
    step_button = widgets.Button(description="Step", icon="step-forward",
                                 layout=widgets.Layout(width="90px"))
    reset_button = widgets.Button(description="Reset", icon="refresh",
                                  layout=widgets.Layout(width="90px"))
    play.observe(lambda change: step() if change["new"] else None, names="value")
    step_button.on_click(lambda _: step())

    def on_reset(_):
        play.playing = False
        reset()

    reset_button.on_click(on_reset)
    return widgets.HBox([play, step_button, reset_button]), play


class Demo:
    """What every `demo()` returns: the widget to display, its controls by name, and the
    FigureView. Tests and the latency benchmark set `controls[name].value` or click
    buttons and watch `view.image.value` change."""

    def __init__(self, widget, controls, view):
        self.widget = widget
        self.controls = controls
        self.view = view

    def _repr_mimebundle_(self, **kwargs):
        """Display the widget. The plain-text fallback is a fixed sentence: the widget's
        own repr would contain the PNG bytes, which bloat the notebook and break nbval."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "Interactive demo: run this notebook in JupyterLab or Voila to use it."
        return bundle
