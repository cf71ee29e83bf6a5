"""The kernel demo: one output pixel of a 2-D convolution, its receptive field, the nine
products and their sum; an editable kernel; a switch from cross-correlation (what
`torch.nn.Conv2d` computes) to true convolution (the kernel flipped by 180 degrees).

The **model** (numbers only):

- `IMAGES`, `KERNELS`: small integer images (the notes' 3×3 patch of the sharpen example in
  a 4×4 input, shapes) and the notes' four kernels (identity, blur, sharpen, edge);
- `apply_kernel(KernelSettings(...))`: the whole feature map with `F.conv2d` (valid, stride
  1), the receptive field of the chosen output pixel, the products and their sum, and the
  same sum written out as text. Never raises: out-of-range settings are clipped, a kernel
  entry that is not a finite number is explained in the message.

The **view** is `demo()`: input (receptive field framed) | kernel as applied | products |
feature map (chosen pixel framed), with the sum printed under the figure.
"""
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.colors import to_rgba

from utils.demos.convolution import GridPanel, frozen_layout
from utils.widgets import Demo, FigureView, OKABE_ITO, message, new_figure, one_thread, say


def _notes_image():
    """4×4 input of the sharpen example (002:L1855). The notes print only the first 3×3
    window; its fourth row and column were in an image that the text lost, so the values
    there are ours."""
    X = np.array([[45, 12, 5, 17], [22, 10, 35, 6], [88, 26, 51, 19], [9, 73, 4, 30]])
    return X


def _shapes_image():
    """8×8: a bright square and a vertical bar on zeros (edges for the edge kernel)."""
    X = np.zeros((8, 8), dtype=int)
    X[1:4, 1:4] = 9
    X[:, 6] = 5
    X[5:7, 2:5] = 3
    return X


def _ramp_image():
    """6×6 left-to-right ramp with one bright dot: blur spreads the dot, edge finds it."""
    X = np.tile(np.arange(6), (6, 1))
    X[3, 2] = 20
    return X


IMAGES = {"notes 4×4 (sharpen example)": _notes_image(), "shapes 8×8": _shapes_image(),
          "ramp and dot 6×6": _ramp_image()}
KERNELS = {
    "sharpen": ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
    "identity": ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
    "Gaussian blur (×1/16)": ((1 / 16, 2 / 16, 1 / 16), (2 / 16, 4 / 16, 2 / 16),
                               (1 / 16, 2 / 16, 1 / 16)),
    "edge": ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
    "asymmetric (shows the flip)": ((1, 2, 0), (0, 0, 0), (0, 0, -1)),
}
CUSTOM = "custom (edit the entries)"


# ----------------------------------------------------------------------------- model
@dataclass(frozen=True)
class KernelSettings:
    image: str = "notes 4×4 (sharpen example)"
    kernel: tuple = tuple(v for row in KERNELS["sharpen"] for v in row)  # 9 numbers, row by row
    flip: bool = False  # True: true convolution (kernel rotated by 180 degrees)
    row: int = 0  # output pixel
    col: int = 0


@dataclass
class KernelResult:
    settings: KernelSettings
    ok: bool
    message: str
    X: np.ndarray  # (H, W) input
    K: np.ndarray  # (3, 3) kernel as entered
    K_used: np.ndarray  # (3, 3) the kernel the sliding window multiplies by
    Y: np.ndarray | None  # (H - 2, W - 2) feature map from F.conv2d
    window: np.ndarray | None  # (3, 3) receptive field of the chosen output
    products: np.ndarray | None  # (3, 3) window * K_used
    total: float | None  # the chosen output = sum of the products
    sum_text: str


def format_number(value):
    """Integers as such, other numbers with up to 3 decimals ('-0.5', '0.062')."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.3f}".rstrip("0")


def sanitize(settings):
    """Valid image name, 9 kernel entries (missing ones 0), output pixel inside the map."""
    image = settings.image if settings.image in IMAGES else next(iter(IMAGES))
    entries = list(settings.kernel)[:9] + [0.0] * max(0, 9 - len(settings.kernel))
    X = IMAGES[image]
    out_h, out_w = X.shape[0] - 2, X.shape[1] - 2
    row = int(min(max(int(settings.row), 0), out_h - 1))
    col = int(min(max(int(settings.col), 0), out_w - 1))
    return replace(settings, image=image, kernel=tuple(entries), flip=bool(settings.flip),
                   row=row, col=col)


def apply_kernel(settings):
    """Feature map, receptive field, products and sum for one setting. Never raises."""
    st = sanitize(settings)
    X = IMAGES[st.image]
    try:
        K = np.array([float(v) for v in st.kernel]).reshape(3, 3)  # (3, 3)
    except (TypeError, ValueError):
        K = np.full((3, 3), np.nan)
    K_used = K[::-1, ::-1] if st.flip else K
    result = KernelResult(st, False, "", X, K, K_used, None, None, None, None, "")
    if not np.all(np.isfinite(K)) or np.abs(K).max() > 1e6:
        result.message = "Every kernel entry must be a finite number of size at most 10^6."
        return result
    with one_thread():
        x = torch.tensor(X, dtype=torch.float64).reshape(1, 1, *X.shape)  # (N, C, H, W)
        k = torch.tensor(K_used.copy(), dtype=torch.float64).reshape(1, 1, 3, 3)  # (C_out, C_in, 3, 3)
        Y = F.conv2d(x, k)[0, 0].numpy()  # (H - 2, W - 2): torch correlates with k
    i, j = st.row, st.col
    window = X[i:i + 3, j:j + 3].astype(float)
    products = window * K_used
    result.ok, result.Y, result.window, result.products = True, Y, window, products
    result.total = float(Y[i, j])
    terms = [f"{format_number(a)}·{_paren(b)}" for a, b in zip(window.ravel(), K_used.ravel())]
    result.sum_text = " + ".join(terms) + f" = {format_number(round(result.total, 6))}"
    kind = ("true convolution: the kernel is rotated by 180° before sliding"
            if st.flip else "cross-correlation, what nn.Conv2d computes")
    result.message = f"Output ({i}, {j}) = sum of the 9 products ({kind})."
    return result


def _paren(value):
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text


# ------------------------------------------------------------------------------ view
WHITE, PALE, BLUE, ORANGE = "#FFFFFF", "#FCE9C8", "#D7EAF7", "#F4B183"


def _fill(shape, color):
    return np.tile(np.array(to_rgba(color)), (*shape, 1))  # (R, C, 4)


def _texts(A):
    return np.vectorize(lambda v: format_number(round(float(v), 3)))(A)


class KernelView:
    """Four grids: input | kernel used | products | feature map."""

    def __init__(self, result):
        self.fig = new_figure(9.6, 3.0, dpi=80)
        axes = [self.fig.add_subplot(1, 4, i) for i in (1, 2, 3, 4)]
        self.input, self.kernel, self.products, self.output = (GridPanel(ax) for ax in axes)
        frozen_layout(self.fig)
        self.field = self.input.add_highlight("cell", OKABE_ITO[0])
        self.pixel = self.output.add_highlight("cell", OKABE_ITO[3], lw=3)
        self.view = None
        self.update(result)
        self.view = FigureView(self.fig)

    def update(self, result):
        self.result = result
        X = result.X
        span = max(X.shape)
        fill = _fill(X.shape, WHITE)
        self.input.show(fill, _texts(X), span=span)
        self.input.title(f"input {X.shape[0]}×{X.shape[1]}")
        title = "kernel, flipped 180°" if result.settings.flip else "kernel (as applied)"
        if not result.ok:
            self.kernel.message("kernel entry\nnot a number")
            for panel in (self.products, self.output):
                panel.message("see the message")
                panel.title(" ")
            self.kernel.title(title)
            self.field.set_visible(False)
            self.pixel.set_visible(False)
        else:
            self._draw(result, span, title)
        if self.view is not None:
            self.view.redraw(full=True)

    def _draw(self, result, span, title):
        st = result.settings
        self.kernel.show(_fill((3, 3), BLUE), _texts(result.K_used), span=span)
        self.kernel.title(title)
        self.products.show(_fill((3, 3), ORANGE), _texts(result.products), span=span)
        self.products.title(f"products, sum {format_number(round(result.total, 3))}")
        fill = _fill(result.Y.shape, PALE)
        self.output.show(fill, _texts(result.Y), span=span)
        self.output.title(f"feature map {result.Y.shape[0]}×{result.Y.shape[1]}")
        self.field.set_bounds(st.col, st.row, 3, 3)
        self.pixel.set_bounds(st.col, st.row, 1, 1)
        self.field.set_visible(True)
        self.pixel.set_visible(True)


def demo(image="notes 4×4 (sharpen example)", kernel="sharpen", flip=False, row=0, col=0):
    """The kernel demo (defaults: the notes' sharpen example, whose first output is −45)."""
    style = {"description_width": "initial"}
    controls = {
        "row": widgets.IntSlider(row, 0, 10, description="output row", style=style,
                                 layout=widgets.Layout(width="230px")),
        "col": widgets.IntSlider(col, 0, 10, description="output column", style=style,
                                 layout=widgets.Layout(width="230px")),
        "image": widgets.Dropdown(options=list(IMAGES), value=image, description="input",
                                  style=style, layout=widgets.Layout(width="300px")),
        "kernel": widgets.Dropdown(options=list(KERNELS) + [CUSTOM], value=kernel,
                                   description="kernel", style=style,
                                   layout=widgets.Layout(width="300px")),
        "flip": widgets.Checkbox(flip, description="true convolution (flip the kernel)",
                                 style=style),
    }
    entries = [widgets.FloatText(value=0.0, step=1.0, layout=widgets.Layout(width="70px"))
               for _ in range(9)]
    for index, entry in enumerate(entries):
        controls[f"k{index // 3}{index % 3}"] = entry
    label, sum_line = message(), widgets.HTML()
    state = {"hold": False}

    def set_entries(name):
        values = [v for r in KERNELS[name] for v in r]
        state["hold"] = True
        try:
            for entry, value in zip(entries, values):
                entry.value = float(value)
        finally:
            state["hold"] = False

    def refresh(_=None):
        if state["hold"]:
            return
        settings = KernelSettings(controls["image"].value, tuple(e.value for e in entries),
                                  controls["flip"].value, controls["row"].value,
                                  controls["col"].value)
        result = apply_kernel(settings)
        X = result.X
        state["hold"] = True
        try:
            controls["row"].max = X.shape[0] - 3
            controls["col"].max = X.shape[1] - 3
        finally:
            state["hold"] = False
        say(label, result.message, "info" if result.ok else "warn")
        sum_line.value = (f"<b>y[{result.settings.row}, {result.settings.col}]</b> = "
                          f"{result.sum_text}" if result.ok else "")
        view.update(result)

    def on_kernel(change):
        if change["new"] != CUSTOM:
            set_entries(change["new"])
        refresh()

    def on_entry(_):
        if state["hold"]:
            return
        if controls["kernel"].value != CUSTOM:
            state["hold"] = True
            try:
                controls["kernel"].value = CUSTOM
            finally:
                state["hold"] = False
        refresh()

    if kernel != CUSTOM:
        set_entries(kernel)
    view = KernelView(apply_kernel(KernelSettings(image, tuple(e.value for e in entries),
                                                  flip, row, col)))
    for name in ("row", "col", "image", "flip"):
        controls[name].observe(refresh, names="value")
    controls["kernel"].observe(on_kernel, names="value")
    for entry in entries:
        entry.observe(on_entry, names="value")
    refresh()

    grid = widgets.VBox([widgets.HBox(entries[r * 3:r * 3 + 3]) for r in range(3)])
    layout = widgets.VBox([
        widgets.HBox([controls["row"], controls["col"]]),
        widgets.HBox([controls["image"], controls["kernel"]]),
        widgets.HBox([widgets.HTML("<b>kernel entries</b>&nbsp;"), grid, controls["flip"]]),
        label, view.view.image, sum_line])
    return Demo(layout, controls, view.view)


def notes_sharpen_first_output():
    """The notes' worked example (002:L1855): the first 3×3 window times the sharpen kernel."""
    result = apply_kernel(KernelSettings())
    return result.total

