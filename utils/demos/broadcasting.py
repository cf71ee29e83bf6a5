"""Shape lab: does A + b broadcast, to which shape, and which entries are implicit copies?

Introduced in units/unit1_deep_network_basics/01_tensors_and_linear_algebra.

Model (no widgets):
- `broadcast(shape_a, shape_b)` applies the broadcasting rule of numpy and torch axis by
  axis and explains each step (the tests compare it with `torch.broadcast_shapes`);
- `example_A`, `example_b` build matrices whose digits tell where each entry came from;
- `copy_mask(shape, result_shape)` marks which entries of the stretched operand are
  originals and which are implicit copies.

View: `demo()` returns a Demo with sliders for the shape of A and b and three panels
(A stretched, b stretched, A + b) drawn with blitting.
"""
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from utils.widgets import Demo, FigureView, message, new_figure, say


class Broadcast(NamedTuple):
    """The result of the broadcasting rule: `shape` is None when the shapes do not broadcast."""
    shape: tuple | None
    steps: list  # one sentence per aligned axis


def broadcast(shape_a, shape_b):
    """Broadcast two shapes, explaining each axis.

    Rule: align the shapes on their LAST axis; a missing axis counts as size 1. On each
    axis the sizes must be equal, or one of them must be 1 (that operand is copied along
    the axis). Otherwise the shapes do not broadcast.
    """
    shape_a, shape_b = tuple(shape_a), tuple(shape_b)
    ndim = max(len(shape_a), len(shape_b))
    padded_a = (1,) * (ndim - len(shape_a)) + shape_a
    padded_b = (1,) * (ndim - len(shape_b)) + shape_b
    shape, steps = [], []
    for axis, (size_a, size_b) in enumerate(zip(padded_a, padded_b)):
        missing_a, missing_b = axis < ndim - len(shape_a), axis < ndim - len(shape_b)
        label = f"axis {axis}: {'-' if missing_a else size_a} vs {'-' if missing_b else size_b}"
        if size_a == size_b:
            steps.append(f"{label}: equal, keep {size_a}")
        elif size_a == 1:
            steps.append(f"{label}: A {'has no such axis' if missing_a else 'has size 1'}, "
                         f"copy A {size_b} times")
        elif size_b == 1:
            steps.append(f"{label}: b {'has no such axis' if missing_b else 'has size 1'}, "
                         f"copy b {size_a} times")
        else:
            steps.append(f"{label}: different and neither is 1, so they do NOT broadcast")
            return Broadcast(None, steps)
        shape.append(max(size_a, size_b))
    return Broadcast(tuple(shape), steps)


def example_A(m, n):
    """A (m, n) with A[i, j] = 10 i + j, 1-based: entry 23 sits in row 2, column 3."""
    rows = np.arange(1, m + 1)[:, None]  # (m, 1)
    cols = np.arange(1, n + 1)[None, :]  # (1, n)
    return 10 * rows + cols  # (m, n) by broadcasting


def example_b(shape):
    """b of shape (), (k,) or (r, k): 100 for a scalar, b[k] = 100 k, b[r, k] = 1000 r + 100 k."""
    if len(shape) == 0:
        return np.array(100)
    if len(shape) == 1:
        return 100 * np.arange(1, shape[0] + 1)
    return 1000 * np.arange(1, shape[0] + 1)[:, None] + 100 * np.arange(1, shape[1] + 1)[None, :]


def copy_mask(shape, result_shape):
    """Boolean array of `result_shape`: True where the stretched operand holds an original
    entry, False where the entry is an implicit copy (every index beyond 0 along an axis on
    which the operand had size 1 or did not exist)."""
    shape = (1,) * (len(result_shape) - len(shape)) + tuple(shape)
    mask = np.ones(result_shape, dtype=bool)
    for axis, (size, size_out) in enumerate(zip(shape, result_shape)):
        if size == 1 and size_out > 1:
            index = [slice(None)] * len(result_shape)
            index[axis] = slice(1, None)
            mask[tuple(index)] = False
    return mask


def as_grid(values):
    """Any 0-, 1- or 2-D array as 2-D for drawing: a scalar is 1x1, a vector is one row."""
    return np.atleast_2d(values)


def torch_line(shape_a, shape_b, result):
    """The torch expression for the current setting and what it gives."""
    args_a = ", ".join(map(str, shape_a))
    args_b = ", ".join(map(str, shape_b)) if shape_b else ""
    code_b = f"torch.ones({args_b})" if shape_b else "torch.tensor(1.0)"
    outcome = f"shape {result.shape}" if result.shape is not None else "RuntimeError"
    return f"torch.ones({args_a}) + {code_b}  # -> {outcome}"


# ---------------------------------------------------------------- view
MAX = 4  # largest size on any axis in the demo
A_COLOR = np.array([0.0, 0.447, 0.698])  # Okabe-Ito blue
B_COLOR = np.array([0.902, 0.624, 0.0])  # orange
C_COLOR = np.array([0.0, 0.620, 0.451])  # bluish green
B_SHAPES = ["scalar ()", "vector (k,)", "matrix (r, k)"]


def b_shape(b_kind, b_rows, b_cols):
    """The shape of b chosen by the controls."""
    return {"scalar ()": (), "vector (k,)": (b_cols,)}.get(b_kind, (b_rows, b_cols))


class _Panel:
    """One MAX x MAX grid of coloured cells with a number in each, all artists animated."""

    def __init__(self, ax):
        ax.set_xlim(-0.5, MAX - 0.5)
        ax.set_ylim(MAX - 0.5, -0.9)
        ax.axis("off")
        self.image = ax.imshow(np.ones((MAX, MAX, 4)), extent=(-0.5, MAX - 0.5, MAX - 0.5, -0.5),
                               interpolation="nearest", animated=True)
        self.texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=9, animated=True)
                       for j in range(MAX)] for i in range(MAX)]
        self.title = ax.text(-0.5, -0.75, "", fontsize=10, animated=True)

    def show(self, title, values=None, color=None, original=None):
        """Draw `values` (2-D) in `color`; cells where `original` is False are pale copies."""
        rgba = np.ones((MAX, MAX, 4))
        self.title.set_text(title)
        for i in range(MAX):
            for j in range(MAX):
                self.texts[i][j].set_visible(False)
        if values is not None:
            m, n = values.shape
            strong = original if original is not None else np.ones((m, n), bool)
            rgba[:m, :n, :3] = np.where(strong[..., None], color, 0.6 + 0.4 * color)
            rgba[:m, :n, 3] = 1.0
            for i in range(m):
                for j in range(n):
                    text = self.texts[i][j]
                    text.set_text(str(int(values[i, j])))
                    text.set_visible(True)
                    text.set_color("white" if strong[i, j] else "#444444")
                    text.set_style("normal" if strong[i, j] else "italic")
        self.image.set_data(rgba)


class ShapeLab:
    """Figure and callback of the shape lab; `update()` redraws from the control values."""

    def __init__(self, controls):
        self.controls = controls
        fig = new_figure(8.4, 2.6, dpi=80)
        axes = fig.subplots(1, 3)
        self.panels = [_Panel(ax) for ax in axes]
        fig.text(0.345, 0.45, "+", fontsize=22, ha="center")
        fig.text(0.665, 0.45, "=", fontsize=22, ha="center")
        self.view = FigureView(fig)
        self.label = message()
        self.code = widgets.HTML()

    def setting(self):
        c = self.controls
        shape_a = (c["A_rows"].value, c["A_cols"].value)
        shape_b = b_shape(c["b_kind"].value, c["b_rows"].value, c["b_cols"].value)
        return shape_a, shape_b

    def update(self, _change=None):
        shape_a, shape_b = self.setting()
        c = self.controls
        c["b_rows"].disabled = c["b_kind"].value != "matrix (r, k)"
        c["b_cols"].disabled = c["b_kind"].value == "scalar ()"
        result = broadcast(shape_a, shape_b)
        A, b = example_A(*shape_a), example_b(shape_b)
        a_panel, b_panel, c_panel = self.panels
        if result.shape is None:
            a_panel.show(f"A {shape_a}", A, A_COLOR)
            b_panel.show(f"b {shape_b}", as_grid(b), B_COLOR)
            c_panel.show("A + b: does not broadcast")
            say(self.label, "; ".join(result.steps), kind="warn")
        else:
            shape = result.shape
            a_panel.show(f"A {shape_a} → {shape}", np.broadcast_to(A, shape), A_COLOR,
                         copy_mask(shape_a, shape))
            b_panel.show(f"b {shape_b} → {shape}", np.broadcast_to(b, shape), B_COLOR,
                         copy_mask(shape_b, shape))
            c_panel.show(f"A + b {shape}", A + b, C_COLOR)
            say(self.label, "; ".join(result.steps) + f". Result shape {shape}.")
        self.code.value = f"<code>{torch_line(shape_a, shape_b, result)}</code>"
        self.view.redraw()


def demo(A_rows=3, A_cols=4, b_kind="vector (k,)", b_rows=1, b_cols=4):
    """The shape lab: choose the shapes of A and b and see A + b, with b's implicit copies
    drawn pale. Pale italic cells are copies broadcasting makes without storing them."""
    size = dict(min=1, max=MAX, continuous_update=True)
    controls = {
        "A_rows": widgets.IntSlider(value=A_rows, description="A rows m", **size),
        "A_cols": widgets.IntSlider(value=A_cols, description="A cols n", **size),
        "b_kind": widgets.Dropdown(options=B_SHAPES, value=b_kind, description="b is a"),
        "b_rows": widgets.IntSlider(value=b_rows, description="b rows r", **size),
        "b_cols": widgets.IntSlider(value=b_cols, description="b cols k", **size),
    }
    lab = ShapeLab(controls)
    for control in controls.values():
        control.observe(lab.update, names="value")
    lab.update()
    row = widgets.HBox
    layout = widgets.VBox([
        row([controls["A_rows"], controls["A_cols"]]),
        row([controls["b_kind"], controls["b_rows"], controls["b_cols"]]),
        lab.code, lab.label, lab.view.image,
    ])
    return Demo(layout, controls, lab.view)
