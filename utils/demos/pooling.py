"""Pooling: max, average and global pooling, their output size, their gradient, and shifts.

The **model** (numbers only, no widgets):

- `pool_output_size`: ⌊(W + 2P − K)/S⌋ + 1, and `notes_pool_output_size`, the notes'
  formula (W − K + 1)/S (002:L2012), which is wrong;
- `example_input`: a small integer image (a few shapes on zeros, or random digits),
  shifted right by `shift` pixels (circularly, so nothing is lost);
- `pool(PoolSettings(...))`: checks a setting, explains it if torch would refuse it, and
  otherwise pools LIVE with `torch.nn.functional.max_pool2d(..., return_indices=True)`,
  `avg_pool2d` or `adaptive_max_pool2d` / `adaptive_avg_pool2d` (global pooling). It also
  returns the gradient of the sum of the outputs with respect to the input (autograd): max
  pooling routes it to the argmax cells only, average pooling spreads it evenly; and which
  outputs change when the input is shifted;
- `pool2d_from_scratch`: loops that the tests compare with torch.

The **view** is `demo()`: input (padding, argmax cells) | output (cells changed by the
shift) | gradient map, a window-position slider, the formulas and the `nn` line.
"""
from dataclasses import dataclass, replace
from fractions import Fraction

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.colors import to_rgba

from utils.demos.convolution import GridPanel, fill_colors, frozen_layout, grey_where
from utils.widgets import Demo, FigureView, OKABE_ITO, message, new_figure, one_thread, say

POOL_MODES = ("max", "average", "global max", "global average")
PATTERNS = ("shapes", "random")
LIMITS = {"input_size": (2, 12), "window": (1, 6), "stride": (1, 6), "padding": (0, 3),
          "shift": (0, 4)}


# ----------------------------------------------------------------------------- model
def pool_output_size(n, k, s, p=0):
    """Output size of pooling: ⌊(n + 2p − k)/s⌋ + 1 (may be ≤ 0)."""
    return (n + 2 * p - k) // s + 1


def notes_pool_output_size(n, k, s):
    """The notes' pooling formula (n − f + 1)/s (002:L2012). It is wrong: for n = 32,
    f = 2, s = 2 it gives 15.5, where the notes' own example (and torch) give 16."""
    return (n - k + 1) / s


def example_input(n, pattern="shapes", shift=0):
    """An n×n integer image shifted right by `shift` pixels (np.roll: what leaves on the
    right comes back on the left). 'shapes': a plus sign and a short diagonal bar on zeros;
    'random': digits 0–9 from a fixed seed."""
    if pattern == "random":
        X = np.random.default_rng(0).integers(0, 10, size=(n, n))
    else:
        X = np.zeros((n, n), dtype=int)
        r, c = n // 3, n // 3
        for dr, dc, value in [(0, 0, 9), (-1, 0, 6), (1, 0, 6), (0, -1, 5), (0, 1, 7)]:
            if 0 <= r + dr < n and 0 <= c + dc < n:
                X[r + dr, c + dc] = value
        for i, value in enumerate([4, 8, 3]):
            row, col = n - 3 + i, n - 2 - i
            if 0 <= row < n and 0 <= col < n and X[row, col] == 0:
                X[row, col] = value
    return np.roll(X, shift, axis=1)


def pool2d_from_scratch(X, k, s, p=0, mode="max"):
    """Max or average pooling with loops (average counts the zero padding, like torch's
    default count_include_pad=True; max pads with −∞)."""
    X = np.asarray(X, dtype=float)
    fill = -np.inf if mode == "max" else 0.0
    X = np.pad(X, p, constant_values=fill)  # (n + 2p, n + 2p)
    size = pool_output_size(len(X), k, s)
    Y = np.zeros((size, size))
    for i in range(size):
        for j in range(size):
            window = X[i * s:i * s + k, j * s:j * s + k]
            Y[i, j] = window.max() if mode == "max" else window.mean()
    return Y


@dataclass(frozen=True)
class PoolSettings:
    """One setting of the demo's controls."""
    input_size: int = 8
    window: int = 2
    stride: int = 2
    padding: int = 0
    mode: str = "max"  # one of POOL_MODES
    shift: int = 0  # pixels to the right
    pattern: str = "shapes"  # one of PATTERNS


@dataclass
class PoolResult:
    """Everything the view shows for one setting."""
    settings: PoolSettings
    ok: bool  # False: torch would refuse the setting; `message` says why
    message: str  # the explanation, or remarks when ok
    X: np.ndarray  # (n, n) int input (shifted)
    k: int  # the window, stride and padding actually used (global: n, n, 0)
    s: int
    p: int
    Y: np.ndarray | None  # (o, o) pooled output
    argmax: list | None  # max modes: the (row, col) input cell chosen by each window
    grad: np.ndarray | None  # (n, n) d(sum of outputs)/d(input), by autograd
    changed: np.ndarray | None  # (o, o) bool: output differs from the unshifted input's
    n_input_changed: int  # input pixels that the shift changed
    formula: str  # the correct formula with numbers
    notes_formula: str  # the notes' formula with numbers
    formula_size: int
    torch_size: int | None
    code: str  # the equivalent torch.nn line
    positions: int  # number of windows

    @property
    def matches_torch(self):
        return self.ok and self.formula_size == self.torch_size

    @property
    def n_changed(self):
        return 0 if self.changed is None else int(self.changed.sum())


def _clip(value, name):
    low, high = LIMITS[name]
    return int(min(max(int(value), low), high))


def sanitize(settings):
    """The same settings with every number clipped to the demo's ranges."""
    mode = settings.mode if settings.mode in POOL_MODES else "max"
    pattern = settings.pattern if settings.pattern in PATTERNS else "shapes"
    return replace(settings, mode=mode, pattern=pattern,
                   **{name: _clip(getattr(settings, name), name) for name in LIMITS})


def code_line(settings):
    """The torch.nn layer with these settings, as text."""
    s = settings
    if s.mode == "global max":
        return "nn.AdaptiveMaxPool2d(1)  # global max pooling"
    if s.mode == "global average":
        return "nn.AdaptiveAvgPool2d(1)  # global average pooling"
    layer = "MaxPool2d" if s.mode == "max" else "AvgPool2d"
    return f"nn.{layer}(kernel_size={s.window}, stride={s.stride}, padding={s.padding})"


def _formulas(n, k, s, p, is_global):
    size = pool_output_size(n, k, s, p)
    if is_global:
        formula = (f"global pooling: one number per channel, o = 1 "
                   f"(the window is the whole {n}×{n} map)")
        return formula, "", 1
    formula = (f"o = ⌊(W + 2P − K)/S⌋ + 1 = ⌊({n} + 2·{p} − {k})/{s}⌋ + 1 = "
               f"⌊{n + 2 * p - k}/{s}⌋ + 1 = {size}")
    notes = notes_pool_output_size(n, k, s)
    verdict = ("right here, only because W − K + 1 is a multiple of S" if notes == size
               else "wrong")
    notes_formula = (f"the notes' (W − K + 1)/S = ({n} − {k} + 1)/{s} = {notes:g}: {verdict}"
                     + (" (and padding is missing)" if p else ""))
    return formula, notes_formula, size


def _explain(n, k, s, p):
    if 2 * p > k:
        return (f"torch requires padding ≤ window/2, but P = {p} > {k}/2: a window could then "
                "lie entirely in the padding. Use less padding or a larger window.")
    if pool_output_size(n, k, s, p) <= 0:
        return (f"The window ({k}×{k}) is larger than the padded input ({n + 2 * p}×{n + 2 * p}): "
                "no window fits. Use a smaller window or a larger input.")
    return ""


def _remarks(settings, n, k, s, p, size):
    notes = []
    if settings.mode.startswith("global"):
        notes.append("Global pooling ignores the window, stride and padding controls.")
    elif s > k:
        notes.append(f"Stride {s} > window {k}: the cells between windows never reach the output "
                     "(their gradient is 0).")
    elif s < k:
        notes.append(f"Stride {s} < window {k}: the windows overlap, so one cell can feed several "
                     "outputs (see its gradient).")
    unused = n + 2 * p - ((size - 1) * s + k)
    if unused > 0 and not settings.mode.startswith("global"):
        notes.append(f"The last {unused} row(s) and column(s) are in no window (the floor).")
    if settings.mode == "average" and p:
        notes.append("AvgPool2d counts the zero padding in the average (count_include_pad=True).")
    return " ".join(notes)


def _run(x, mode, k, s, p):
    """Pool x (1, 1, n, n); returns the output and, for max modes, the flat argmax indices."""
    if mode == "max":
        return F.max_pool2d(x, k, s, p, return_indices=True)
    if mode == "global max":
        return F.adaptive_max_pool2d(x, 1, return_indices=True)
    if mode == "global average":
        return F.adaptive_avg_pool2d(x, 1), None
    return F.avg_pool2d(x, k, s, p), None


def pool(settings):
    """Check a setting and pool with torch (output, argmax, gradient). Never raises."""
    st = sanitize(settings)
    n = st.input_size
    is_global = st.mode.startswith("global")
    k, s, p = (n, n, 0) if is_global else (st.window, st.stride, st.padding)
    X = example_input(n, st.pattern, st.shift)
    formula, notes_formula, size = _formulas(n, k, s, p, is_global)
    n_input_changed = int((X != example_input(n, st.pattern, 0)).sum())
    result = PoolResult(st, False, _explain(n, k, s, p), X, k, s, p, None, None, None, None,
                        n_input_changed, formula, notes_formula, size, None, code_line(st), 0)
    if result.message:
        return result
    x = torch.tensor(X, dtype=torch.float32).reshape(1, 1, n, n).requires_grad_()  # (N, C, H, W)
    x0 = torch.tensor(example_input(n, st.pattern, 0), dtype=torch.float32).reshape(1, 1, n, n)
    try:
        with one_thread():
            y, indices = _run(x, st.mode, k, s, p)
            y.sum().backward()  # d(sum of outputs)/dx: where each output's gradient goes
            y0, _ = _run(x0, st.mode, k, s, p)
    except RuntimeError as error:  # a safety net: every refusal should be explained above
        result.message = f"torch refused this setting: {error}"
        return result
    result.ok = True
    result.Y = y.detach()[0, 0].numpy().astype(float)  # (o, o)
    result.torch_size = int(y.shape[-1])
    result.grad = x.grad[0, 0].numpy().astype(float)  # (n, n)
    result.changed = ~np.isclose(result.Y, y0[0, 0].numpy())
    if indices is not None:  # flat indices into the (unpadded) n×n input
        result.argmax = [divmod(int(i), n) for i in indices[0, 0].flatten()]
    result.positions = result.torch_size ** 2
    result.message = _remarks(st, n, k, s, p, result.torch_size)
    return result


def pool_window(result, position):
    """The window of output number `position`: (top, left, size) in padded-input
    coordinates, and the output cell (row, col). None if the setting has no output."""
    if not result.ok:
        return None
    o = result.torch_size
    row, col = divmod(int(min(max(position, 0), o * o - 1)), o)
    return (row * result.s, col * result.s, result.k), (row, col)


def format_value(value):
    """Short text for a cell value: integers as such, else a fraction (1/4) or 2 decimals."""
    if float(value).is_integer():
        return str(int(value))
    fraction = Fraction(float(value)).limit_denominator(64)
    if abs(float(fraction) - value) < 1e-6:
        return f"{fraction.numerator}/{fraction.denominator}"
    return f"{value:.2f}"


# ------------------------------------------------------------------------------ view
INPUT_COLOR, PAD_COLOR, ARGMAX_COLOR = "#FFFFFF", "#D9D9D9", "#F4B183"
OUTPUT_COLOR, CHANGED_COLOR, GRAD_COLOR = "#FCE9C8", "#D9B8D0", "#56B4E9"


class PoolingView:
    """Three panels: padded input (argmax cells in orange) | output (cells changed by the
    shift in purple) | gradient of the sum of the outputs; a frame marks one window."""

    def __init__(self, result, position=0):
        self.fig = new_figure(8.4, 3.3, dpi=80)
        axes = [self.fig.add_subplot(1, 3, i) for i in (1, 2, 3)]
        self.input, self.output, self.grad = (GridPanel(ax) for ax in axes)
        frozen_layout(self.fig)
        self.frames = {
            "input": self.input.add_highlight("cell", OKABE_ITO[0]),
            "grad": self.grad.add_highlight("cell", OKABE_ITO[0]),
            "output": self.output.add_highlight("cell", OKABE_ITO[3], lw=3),
        }
        self.caption = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self.position = position
        self.view = None
        self.rebuild(result)
        self.view = FigureView(self.fig)

    def rebuild(self, result):
        """A new setting: redraw the three grids (the background) and the frames."""
        self.result = result
        st, n, p = result.settings, len(result.X), result.p
        side = n + 2 * p
        kinds = np.pad(np.zeros((n, n), dtype=int), p, constant_values=1)  # 1 = padding
        for r, c in result.argmax or []:
            kinds[r + p, c + p] = 2  # 2 = chosen by max pooling
        pad_text = "−∞" if st.mode == "max" else "0"
        texts = np.pad(result.X.astype(str), p, constant_values=pad_text)
        self.input.show(fill_colors(kinds, [INPUT_COLOR, PAD_COLOR, ARGMAX_COLOR]), texts,
                        grey_where(kinds == 1), span=side)
        self.input.outline(p, p, n, n)
        title = f"input {n}×{n}" + (f", padding {p}" if p else "")
        self.input.title(title + (" (orange: max)" if result.argmax else ""))
        if not result.ok:
            for panel in (self.output, self.grad):
                panel.message("no output:\nsee the message")
                panel.title(" ")
        else:
            self._draw_output_and_gradient(result, side)
        self.set_position(self.position, redraw=False)
        if self.view is not None:
            self.view.redraw(full=True)

    def _draw_output_and_gradient(self, result, side):
        n, p = len(result.X), result.p
        o = result.torch_size
        texts = np.vectorize(format_value)(result.Y)
        self.output.show(fill_colors(result.changed.astype(int), [OUTPUT_COLOR, CHANGED_COLOR]),
                         texts, span=side)
        title = f"output {o}×{o}"
        if result.settings.shift:
            title += f": {result.n_changed} changed by the shift"
        self.output.title(title)
        grad = np.pad(result.grad, p)  # (side, side); padding gets no gradient
        strength = (grad / max(grad.max(), 1e-12))[:, :, None]  # (side, side, 1), 0 to 1
        white, blue = np.array(to_rgba("white")), np.array(to_rgba(GRAD_COLOR))
        fill = white + strength * (blue - white)  # (side, side, 4)
        is_pad = np.pad(np.zeros((n, n), dtype=bool), p, constant_values=True)
        fill[is_pad] = to_rgba(PAD_COLOR)
        texts = np.vectorize(format_value)(grad)
        self.grad.show(fill, texts, grey_where(grad == 0), span=side)
        self.grad.outline(p, p, n, n)
        self.grad.title("gradient of Σ outputs")

    def set_position(self, position, redraw=True):
        """Frame window number `position`; only animated artists change."""
        self.position = int(position)
        found = pool_window(self.result, position)
        for frame in self.frames.values():
            frame.set_visible(found is not None)
        if found is None:
            self.caption.value = ""
        else:
            (top, left, size), (row, col) = found
            self.frames["input"].set_bounds(left, top, size, size)
            self.frames["grad"].set_bounds(left, top, size, size)
            self.frames["output"].set_bounds(col, row, 1, 1)
            self.caption.value = self._caption(top, left, size, row, col)
        if redraw and self.view is not None:
            self.view.redraw()

    def _caption(self, top, left, size, row, col):
        result = self.result
        st = result.settings
        value = format_value(result.Y[row, col])
        if st.mode in ("max", "global max"):
            r, c = result.argmax[row * result.torch_size + col]
            text = (f"Y[{row},{col}] = max of the {size}×{size} window = {value}, taken from "
                    f"X[{r},{c}]; the gradient 1 of this output goes to that cell only")
            p = result.p
            window = np.pad(result.X.astype(float), p, constant_values=-np.inf)[
                top:top + size, left:left + size]
            ties = int((window == window.max()).sum())
            if ties > 1:
                text += f" ({ties} cells tie: torch picks the first in reading order)"
        else:
            text = (f"Y[{row},{col}] = mean of the {size}×{size} window = {value}; the gradient "
                    f"1 of this output is split as 1/{size * size} to each of its cells")
        return f"<b>Window {self.position}</b>: {text}"


def _formula_html(result):
    lines = [f"<b>Output size</b>: {result.formula}"]
    if result.ok:
        verdict = "✓ equals" if result.matches_torch else "✗ differs from"
        lines[0] += f" &nbsp; torch: {result.torch_size}×{result.torch_size}, {verdict} the formula"
    else:
        lines[0] += " &nbsp; (torch refuses this setting)"
    if result.notes_formula:
        lines.append(f"<b>Notes (002:L2012)</b>: {result.notes_formula}")
    if result.ok and result.settings.shift:
        o2 = result.torch_size ** 2
        n2 = len(result.X) ** 2
        lines.append(f"<b>Shift by {result.settings.shift}</b>: {result.n_input_changed} of {n2} "
                     f"input pixels changed, {result.n_changed} of {o2} pooled outputs changed")
    return "<br>".join(lines)


def demo(input_size=8, window=2, stride=2, padding=0, mode="max", shift=0, pattern="shapes",
         position=0):
    """The pooling demo (defaults: 2×2 max pooling with stride 2 on an 8×8 image)."""
    style = {"description_width": "initial"}
    slider = dict(continuous_update=True, style=style, layout=widgets.Layout(width="200px"))
    controls = {
        "position": widgets.IntSlider(position, 0, 10**4, description="window position",
                                      style=style, layout=widgets.Layout(width="300px")),
        "mode": widgets.Dropdown(options=POOL_MODES, value=mode, description="pooling",
                                 style=style, layout=widgets.Layout(width="190px")),
        "pattern": widgets.Dropdown(options=PATTERNS, value=pattern, description="input",
                                    style=style, layout=widgets.Layout(width="160px")),
        "input_size": widgets.IntSlider(input_size, *LIMITS["input_size"], description="input W",
                                        **slider),
        "window": widgets.IntSlider(window, *LIMITS["window"], description="window K", **slider),
        "stride": widgets.IntSlider(stride, *LIMITS["stride"], description="stride S", **slider),
        "padding": widgets.IntSlider(padding, *LIMITS["padding"], description="padding P",
                                     **slider),
        "shift": widgets.IntSlider(shift, *LIMITS["shift"], description="shift input right by",
                                   style=style, layout=widgets.Layout(width="300px")),
    }
    setting_names = ["input_size", "window", "stride", "padding", "mode", "shift", "pattern"]
    label, formula, code = message(), widgets.HTML(), widgets.HTML()
    state = {"hold": False}

    def current_settings():
        return PoolSettings(**{name: controls[name].value for name in setting_names})

    @one_thread()
    def on_setting(_=None):
        result = pool(current_settings())
        state["hold"] = True
        try:
            slider_ = controls["position"]
            slider_.max = max(result.positions - 1, 1)
            slider_.value = min(slider_.value, max(result.positions - 1, 0))
            slider_.disabled = result.positions <= 1
        finally:
            state["hold"] = False
        view.position = controls["position"].value
        say(label, result.message, "info" if result.ok else "warn")
        formula.value = _formula_html(result)
        code.value = f"<b>Same layer in torch</b>: <code>{result.code}</code>"
        is_global = result.settings.mode.startswith("global")
        for name in ("window", "stride", "padding"):
            controls[name].disabled = is_global
        view.rebuild(result)

    @one_thread()
    def on_position(change):
        if not state["hold"]:
            view.set_position(change["new"])

    view = PoolingView(pool(current_settings()), position)
    for name in setting_names:
        controls[name].observe(on_setting, names="value")
    controls["position"].observe(on_position, names="value")
    on_setting()

    rows = [
        widgets.HBox([controls[n] for n in ("position", "mode", "pattern")]),
        widgets.HBox([controls[n] for n in ("input_size", "window", "stride", "padding")]),
        widgets.HBox([controls["shift"]]),
    ]
    layout = widgets.VBox(rows + [label, view.view.image, view.caption, formula, code])
    return Demo(layout, controls, view.view)
