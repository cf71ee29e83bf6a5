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
import struct
import zlib
from collections import OrderedDict
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from utils.plotting import OKABE_ITO  # noqa: F401  (re-exported for demos)


def new_figure(width=7.0, height=4.0, dpi=80, layout="constrained"):
    """A matplotlib Figure that is not managed by pyplot (so it never displays by itself).

    `layout="constrained"` places the axes at every full draw (about half of its cost);
    a demo whose full redraws must be fast can pass `layout="none"` and fixed margins
    (`fig.subplots_adjust`)."""
    fig = Figure(figsize=(width, height), dpi=dpi, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def encode_png(rgba):
    """PNG bytes of an (H, W, 4) uint8 RGBA picture, written as RGB without row filters.

    This is the PNG format at its simplest (signature, IHDR, one zlib-compressed IDAT, IEND),
    about half the time of PIL's encoder on a demo figure (7 ms instead of 14 ms for
    704 x 280 pixels, measured) and a smaller file: plots are mostly flat colours, which
    deflate compresses well without PNG's per-row filters. The alpha channel is dropped,
    since a figure's background is opaque."""
    height, width = rgba.shape[:2]
    raw = np.empty((height, 1 + 3 * width), dtype=np.uint8)  # (H, 1 + 3W): filter byte + RGB
    raw[:, 0] = 0  # filter type 0 (None) on every row
    raw[:, 1:] = rgba[:, :, :3].reshape(height, 3 * width)

    def chunk(tag, data):
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)) + chunk(b"IEND", b""))


class FigureView:
    """Shows a Figure as an ipywidgets.Image; call `redraw()` after changing its artists.

    Speed-up (blitting): artists created with `animated=True` (the moving parts: a path, a
    scatter of samples) are drawn over a cached picture of everything else, so a frame
    costs only their drawing plus the PNG encoding. After changing anything that is not
    animated (axis limits, a contour background, a title) call `redraw(full=True)`.

    Backgrounds by key: `redraw(full=True, key=k)` names the non-animated content with a
    hashable `k` (for example the chosen surface and the number of steps). The first time,
    the figure is drawn in full and its picture and axes positions are kept (the last
    `max_backgrounds` keys); the next full redraw with the same key reuses them instead of
    drawing again, so switching back to a choice costs a blit. The caller promises that
    the same key always means the same non-animated content. `full_draws` counts the real
    full draws (for tests and benchmarks).
    """

    def __init__(self, fig, key=None, max_backgrounds=8):
        self.fig = fig
        self.image = widgets.Image(format="png")
        self.max_backgrounds = max_backgrounds
        self.full_draws = 0
        self._background = None
        self._backgrounds = OrderedDict()  # key -> (pixels, positions of the axes)
        self.redraw(full=True, key=key)

    def redraw(self, full=False, key=None):
        canvas = self.fig.canvas
        if key is not None and full and key in self._backgrounds:
            self._backgrounds.move_to_end(key)
            self._background, positions = self._backgrounds[key]
            self._restore_positions(positions)
            canvas.restore_region(self._background)
        elif full or self._background is None:
            canvas.draw()  # everything except the animated artists
            self.full_draws += 1
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            if key is not None:
                self._keep(key)
        else:
            canvas.restore_region(self._background)
        for ax in self.fig.axes:
            for artist in ax.get_children():
                if artist.get_animated() and artist.get_visible():
                    ax.draw_artist(artist)
        self.image.value = encode_png(np.asarray(canvas.buffer_rgba()))  # (H, W, 4) uint8

    def _keep(self, key):
        positions = [(ax.get_position(original=True), ax.get_position(original=False),
                      ax.get_in_layout()) for ax in self.fig.axes]
        self._backgrounds[key] = (self._background, positions)
        while len(self._backgrounds) > self.max_backgrounds:
            self._backgrounds.popitem(last=False)  # forget the least recently used

    def _restore_positions(self, positions):
        """Put every axes where it was when that background was drawn (the layout engine
        and a fixed aspect ratio move them during a full draw; blitted artists need the
        same place)."""
        for ax, (original, active, in_layout) in zip(self.fig.axes, positions):
            ax.set_position(original, which="original")
            ax.set_position(active, which="active")
            ax.set_in_layout(in_layout)  # set_position takes an axes out of the layout


@contextmanager
def one_thread():
    """Run torch on one thread inside this block. A demo's tensors are tiny, so waking
    torch's worker threads costs more than the work, and on a busy 2-core machine two
    threads waiting for each other make each step 10-20x slower. A demo's callbacks use it
    as a decorator, `@one_thread()`, so that all their torch work runs on one thread."""
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
