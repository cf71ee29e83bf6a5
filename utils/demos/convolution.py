"""Convolution arithmetic: input size, kernel, padding, stride, dilation, transposed mode.

The **model** (numbers only, no widgets):

- `conv_output_size` / `conv_transpose_output_size`: the closed-form output sizes
  o = ⌊(W + 2P − D(K−1) − 1)/S⌋ + 1 and o = (i−1)S − 2P + D(K−1) + output_padding + 1;
- `resolve_padding`: the presets 'valid', 'same', 'full' (and a custom number) as
  (before, after) padding;
- `convolve(ConvSettings(...))`: checks a setting, explains it if torch would refuse it,
  and otherwise computes the output LIVE with `torch.nn.functional.conv2d` /
  `conv_transpose2d` on a small integer input (the notes' 7×7 example, tiled to any size),
  together with the formula with its numbers and the equivalent `nn.Conv2d(...)` line;
- `kernel_taps`: the cells one kernel position reads (convolution) or writes (transposed);
- `conv2d_from_scratch`, `conv_transpose2d_from_scratch`: loops that the tests compare
  with torch.

The **view** is `demo()`: controls above one figure (padded input | output), the kernel
position slider with Play, the formula and the `nn.Conv2d` line. A kernel-position change
redraws only the animated highlights (blitting); a setting change rebuilds the grids.
"""
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from utils.widgets import Demo, FigureView, OKABE_ITO, message, new_figure, one_thread, say

# The strided-convolution example of the notes (002:L2083–2105). Row 7, column 5 is 2 in
# the source slide; the OCR of the notes shows it as "3 ⁻²" (the −2 is a kernel weight
# printed over the cell), which would make the last output entry 73 instead of 74.
NOTES_X = np.array([[2, 3, 7, 4, 6, 2, 9],
                    [6, 6, 9, 8, 7, 4, 3],
                    [3, 4, 8, 3, 8, 9, 7],
                    [7, 8, 3, 6, 6, 3, 4],
                    [4, 2, 1, 8, 3, 4, 6],
                    [3, 2, 4, 1, 9, 8, 3],
                    [0, 1, 3, 9, 2, 1, 4]])
NOTES_K = np.array([[3, 4, 4],
                    [1, 0, 2],
                    [-1, 0, 3]])
NOTES_Y_PRINTED = np.array([[91, 110, 83], [69, 91, 127], [44, 72, 74]])  # 002:L2103–2105
NOTES_Y_CORRECT = np.array([[91, 100, 88], [69, 91, 117], [44, 72, 74]])

PADDING_MODES = ("valid", "same", "full", "custom")
LIMITS = {"input_size": (1, 12), "kernel_size": (1, 7), "custom_padding": (0, 6),
          "stride": (1, 4), "dilation": (1, 4), "output_padding": (0, 3)}


# ----------------------------------------------------------------------------- model
def conv_output_size(n, k, p=0, s=1, d=1):
    """Output size of a convolution: ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 (may be ≤ 0).
    `p` may be a pair (before, after) for asymmetric padding."""
    total = sum(p) if isinstance(p, tuple) else 2 * p
    return (n + total - d * (k - 1) - 1) // s + 1


def conv_transpose_output_size(n, k, p=0, s=1, d=1, output_padding=0):
    """Output size of a transposed convolution: (n−1)s − 2p + d(k−1) + output_padding + 1."""
    return (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1


def effective_kernel_size(k, d=1):
    """The footprint of a k-tap kernel with dilation d: d(k−1) + 1 cells."""
    return d * (k - 1) + 1


def resolve_padding(mode, k, d=1, custom=0):
    """Padding (before, after) of one side pair for a preset.

    'valid' adds nothing; 'same' adds d(k−1) in total, the extra cell after when it is odd
    (torch's rule for padding='same'); 'full' adds d(k−1) on each side, so that every
    kernel position that touches the input counts; 'custom' adds `custom` on each side.
    """
    total = d * (k - 1)
    if mode == "valid":
        return (0, 0)
    if mode == "same":
        return (total // 2, total - total // 2)
    if mode == "full":
        return (total, total)
    return (int(custom), int(custom))


def example_input(n):
    """An n×n integer input: the notes' 7×7 matrix, repeated (tiled) to size n."""
    rows, cols = np.indices((n, n))
    return NOTES_X[rows % 7, cols % 7]


def example_kernel(k):
    """A k×k integer kernel: the notes' 3×3 kernel, repeated (tiled) to size k."""
    rows, cols = np.indices((k, k))
    return NOTES_K[rows % 3, cols % 3]


@dataclass(frozen=True)
class ConvSettings:
    """One setting of the demo's controls."""
    input_size: int = 7
    kernel_size: int = 3
    padding_mode: str = "valid"  # one of PADDING_MODES
    custom_padding: int = 0  # used when padding_mode == "custom"
    stride: int = 2
    dilation: int = 1
    transposed: bool = False
    output_padding: int = 0  # transposed only


@dataclass
class ConvResult:
    """Everything the view shows for one setting."""
    settings: ConvSettings
    ok: bool  # False: torch would refuse the setting; `message` says why
    message: str  # the explanation (or a remark when ok), "" if none
    pad: tuple  # (before, after) padding in cells
    X: np.ndarray  # (n, n) int input
    K: np.ndarray  # (k, k) int kernel
    Y: np.ndarray | None  # (o, o) output from torch, None if not ok
    canvas: np.ndarray | None  # transposed only: the uncropped (C, C) sum of kernel copies
    formula: str  # the output-size formula with the numbers filled in
    formula_size: int  # what the formula gives
    torch_size: int | None  # torch's actual output size, None if not ok
    code: str  # the equivalent torch.nn line
    positions: int  # number of kernel positions (output cells, or input cells if transposed)

    @property
    def matches_torch(self):
        return self.ok and self.formula_size == self.torch_size


def _clip(value, name):
    low, high = LIMITS[name]
    return int(min(max(int(value), low), high))


def sanitize(settings):
    """The same settings with every number clipped to the demo's ranges."""
    mode = settings.padding_mode if settings.padding_mode in PADDING_MODES else "valid"
    return replace(settings, padding_mode=mode, transposed=bool(settings.transposed),
                   **{name: _clip(getattr(settings, name), name) for name in LIMITS})


def code_line(settings, pad):
    """The torch.nn layer with these settings, as text."""
    s = settings
    if s.transposed:
        return (f"nn.ConvTranspose2d(1, 1, kernel_size={s.kernel_size}, stride={s.stride}, "
                f"padding={pad[0]}, output_padding={s.output_padding}, dilation={s.dilation})")
    padding = {"valid": "'valid'", "same": "'same'"}.get(s.padding_mode, str(pad[0]))
    return (f"nn.Conv2d(1, 1, kernel_size={s.kernel_size}, stride={s.stride}, "
            f"padding={padding}, dilation={s.dilation})")


def _formula(settings, pad):
    """The size formula with the numbers filled in, and its value."""
    n, k, s, d = settings.input_size, settings.kernel_size, settings.stride, settings.dilation
    if settings.transposed:
        p, op = pad[0], settings.output_padding
        size = conv_transpose_output_size(n, k, p, s, d, op)
        text = (f"o = (i−1)S − 2P + D(K−1) + output_padding + 1 = ({n}−1)·{s} − 2·{p} + "
                f"{d}·({k}−1) + {op} + 1 = {size}")
        return text, size
    size = conv_output_size(n, k, pad, s, d)
    padding_term = f"2·{pad[0]}" if pad[0] == pad[1] else f"({pad[0]}+{pad[1]})"
    numerator = n + pad[0] + pad[1] - d * (k - 1) - 1
    text = (f"o = ⌊(W + 2P − D(K−1) − 1)/S⌋ + 1 = "
            f"⌊({n} + {padding_term} − {d}·({k}−1) − 1)/{s}⌋ + 1 = ⌊{numerator}/{s}⌋ + 1 = {size}")
    return text, size


def _explain(settings, pad, size):
    """Why torch refuses this setting, or "" if it does not."""
    s = settings
    n, k, d = s.input_size, s.kernel_size, s.dilation
    footprint = effective_kernel_size(k, d)
    if s.transposed:
        if s.padding_mode == "same" and (d * (k - 1)) % 2:
            return (f"ConvTranspose2d pads both sides equally, but 'same' needs D(K−1) = "
                    f"{d * (k - 1)} cells in total, an odd number: choose an odd kernel, or a "
                    "custom padding.")
        if s.output_padding >= s.stride and s.output_padding >= d:
            return (f"output_padding = {s.output_padding} must be smaller than the stride ({s.stride}) "
                    f"or the dilation ({d}): it only picks one of the input sizes that a stride-"
                    f"{s.stride} convolution maps to the same output size.")
        if size <= 0:
            canvas = conv_transpose_output_size(n, k, 0, s.stride, d, s.output_padding)
            return (f"Padding {pad[0]} crops 2·{pad[0]} = {2 * pad[0]} cells from an output of only "
                    f"{canvas}: the output size would be {size}. Use less padding.")
        return ""
    if s.padding_mode == "same" and s.stride > 1:
        return (f"torch refuses padding='same' with stride {s.stride} (it is defined for stride 1 "
                f"only). Choose 'custom' with P = {d * (k - 1) // 2}: the output then has "
                f"⌈W/S⌉ = {-(-n // s.stride)} cells when D(K−1) is even.")
    if size <= 0:
        return (f"The kernel covers D(K−1) + 1 = {footprint} cells but the padded input has only "
                f"W + P = {n + pad[0] + pad[1]}: no kernel position fits (the formula gives "
                f"{size}). Use a smaller kernel or dilation, or more padding.")
    return ""


def _remark(settings, pad, size):
    """A note about a valid but instructive setting ("" if none)."""
    s = settings
    if s.transposed:
        conv_back = conv_output_size(size, s.kernel_size, pad[0], s.stride, s.dilation)
        return (f"This is the adjoint (transpose) of nn.Conv2d(kernel_size={s.kernel_size}, "
                f"stride={s.stride}, padding={pad[0]}, dilation={s.dilation}), which maps "
                f"{size}×{size} back to {conv_back}×{conv_back}.")
    used = (size - 1) * s.stride + effective_kernel_size(s.kernel_size, s.dilation)
    unused = s.input_size + pad[0] + pad[1] - used
    if unused > 0:
        return (f"The last {unused} row(s) and column(s) of the padded input are never read: "
                "the floor in the formula drops the positions that do not fit.")
    return ""



def convolve(settings):
    """Check a setting and compute its output with torch. Never raises."""
    s = sanitize(settings)
    n, k, d = s.input_size, s.kernel_size, s.dilation
    pad = resolve_padding(s.padding_mode, k, d, s.custom_padding)
    X, K = example_input(n), example_kernel(k)
    formula, size = _formula(s, pad)
    code = code_line(s, pad)
    reason = _explain(s, pad, size)
    result = ConvResult(s, False, reason, pad, X, K, None, None, formula, size, None, code, 0)
    if reason:
        return result
    x = torch.tensor(X, dtype=torch.float32).reshape(1, 1, n, n)  # (N, C, H, W)
    w = torch.tensor(K, dtype=torch.float32).reshape(1, 1, k, k)  # (C_out, C_in, kH, kW)
    try:
        with one_thread():
            if s.transposed:
                y = F.conv_transpose2d(x, w, stride=s.stride, padding=pad[0],
                                       output_padding=s.output_padding, dilation=d)
            else:
                x = F.pad(x, (pad[0], pad[1], pad[0], pad[1]))  # also asymmetric 'same'
                y = F.conv2d(x, w, stride=s.stride, dilation=d)
    except RuntimeError as error:  # a safety net: every refusal should be explained above
        result.message = f"torch refused this setting: {error}"
        return result
    if s.transposed:  # the whole sum before cropping, drawn with the cropped cells grey
        result.canvas = conv_transpose2d_from_scratch(X, K, s.stride, 0, d, s.output_padding)
    result.ok = True
    result.Y = np.rint(y[0, 0].numpy()).astype(int)  # integer inputs give integer outputs
    result.torch_size = int(y.shape[-1])
    result.positions = n * n if s.transposed else size * size
    result.message = _remark(s, pad, size)
    return result


def kernel_taps(result, position):
    """The cells that kernel position `position` reads (convolution: in padded-input
    coordinates) or writes (transposed: in uncropped-output coordinates), and the other
    grid's cell (row, col) that it belongs to: the output cell, or the input cell."""
    s = result.settings
    if not result.ok:
        return [], None
    position = int(min(max(position, 0), result.positions - 1))
    side = s.input_size if s.transposed else result.Y.shape[0]
    row, col = divmod(position, side)
    d, k = s.dilation, s.kernel_size
    taps = [(row * s.stride + d * u, col * s.stride + d * v) for u in range(k) for v in range(k)]
    return taps, (row, col)


def conv2d_from_scratch(X, K, stride=1, padding=(0, 0), dilation=1):
    """Cross-correlation with loops, as torch's conv2d computes it (one channel)."""
    X = np.pad(np.asarray(X), [padding, padding])  # zero padding, (H + P1 + P2, W + P1 + P2)
    k = len(K)
    size = conv_output_size(len(X), k, 0, stride, dilation)
    Y = np.zeros((size, size), dtype=np.result_type(X, K))
    for i in range(size):
        for j in range(size):
            rows = i * stride + dilation * np.arange(k)
            cols = j * stride + dilation * np.arange(k)
            Y[i, j] = (X[np.ix_(rows, cols)] * K).sum()
    return Y


def conv_transpose2d_from_scratch(X, K, stride=1, padding=0, dilation=1, output_padding=0):
    """Transposed convolution as a scatter: every input cell adds its value times the kernel
    into the output, at stride steps; then `padding` cells are cropped from each border."""
    X, K = np.asarray(X), np.asarray(K)
    n, k = len(X), len(K)
    side = (n - 1) * stride + dilation * (k - 1) + 1 + output_padding
    canvas = np.zeros((side, side), dtype=np.result_type(X, K))
    for a in range(n):
        for b in range(n):
            rows = a * stride + dilation * np.arange(k)
            cols = b * stride + dilation * np.arange(k)
            canvas[np.ix_(rows, cols)] += X[a, b] * K
    if padding:
        canvas = canvas[padding:side - padding, padding:side - padding]
    return canvas


# ------------------------------------------------------------------------------ view
INPUT_COLOR, PAD_COLOR, OUTPUT_COLOR, GRID_COLOR = "#FFFFFF", "#D9D9D9", "#FCE9C8", "#8C8C8C"
TAP_COLOR = (0.0, 0.447, 0.698, 0.45)  # Okabe-Ito blue, half transparent
_GLYPHS = {}  # character -> (outline starting at x = 0, advance), at a 1-point font size
_TEXT_PATHS = {}  # (text, font size, middle) -> outline


def _box(path):
    """(x0, y0, x1, y1) of a path's points: cheap, unlike Path.get_extents, which solves
    for the extremes of every curve (the points of a glyph hug its curves closely)."""
    return (*path.vertices.min(axis=0), *path.vertices.max(axis=0))


def _glyph(char):
    """One character's outline and advance width at a 1-point font (outlines scale
    linearly with the size). The advance is measured between two zeros, since a text's
    ink box does not include the space around its glyphs."""
    if char not in _GLYPHS:
        x0, _, x1, _ = _box(TextPath((0, 0), "00", size=100))
        c0, _, c1, _ = _box(TextPath((0, 0), f"0{char}0", size=100))
        advance = (c1 - c0) - (x1 - x0)
        outline = TextPath((0, 0), char, size=100) if char.strip() else Path(np.zeros((0, 2)))
        _GLYPHS[char] = (outline.transformed(Affine2D().scale(0.01)), advance / 100)
    return _GLYPHS[char]


def _text_path(text, size, middle=True):
    """The outline of `text` at `size` points, centred on (0, 0), or (middle=False) centred
    horizontally with its baseline on y = 0. Built from cached glyphs, so a new number or a
    new size costs no font work; cached itself, since the same labels come back often."""
    key = (text, size, middle)
    if key not in _TEXT_PATHS:
        pieces, pen = [], 0.0
        for char in text:
            outline, advance = _glyph(char)
            pieces.append(outline.transformed(Affine2D().translate(pen, 0)))
            pen += advance
        path = Path.make_compound_path(*pieces) if text.strip() else Path(np.zeros((0, 2)))
        if len(path.vertices):
            x0, y0, x1, y1 = _box(path)
            dy = -(y0 + y1) / 2 if middle else 0
            path = path.transformed(Affine2D().translate(-(x0 + x1) / 2, dy).scale(size))
        _TEXT_PATHS[key] = path
    return _TEXT_PATHS[key]


class GridPanel:
    """A grid of square cells on one axes (row 0 at the top), with a number in each cell.

    The fills are one QuadMesh and all the numbers one PathCollection of glyph outlines:
    two artists, which draw many times faster than one Text per cell (the title is drawn
    the same way). The artists are made once and updated in place by `show()`, except the
    QuadMesh, which is remade when the grid changes shape. Highlights added with
    `add_highlight` are animated (blitted)."""

    def __init__(self, ax):
        self.ax = ax
        self.mesh = None
        self.rows = self.cols = self.span = 1
        ax.set_aspect("equal")
        ax.set_axis_off()  # no ticks, spines or axis labels to lay out and draw
        ax.set_title("input 0×0", fontsize=10)  # reserves room for the title in the layout
        dpi = ax.figure.dpi
        self.numbers = PathCollection([], offsets=np.zeros((0, 2)), offset_transform=ax.transData,
                                      transform=Affine2D().scale(dpi / 72), edgecolors="none",
                                      zorder=3)
        ax.add_collection(self.numbers, autolim=False)
        above = Affine2D().scale(dpi / 72).translate(0, 5 * dpi / 72)  # 5 points above the axes
        self.title_text = PathCollection([], offsets=[(0.5, 1.0)], offset_transform=ax.transAxes,
                                         transform=above, facecolors="black", edgecolors="none",
                                         clip_on=False)
        ax.add_collection(self.title_text, autolim=False)
        self.frame = Rectangle((0, 0), 1, 1, fill=False, lw=1.8, ec="black", zorder=4)
        ax.add_patch(self.frame)
        self.label = ax.text(0.5, 0.5, "", ha="center", va="center", fontsize=10,
                             color=OKABE_ITO[3], transform=ax.transAxes)

    def title(self, text, size=10):
        """Set the panel's title (after `frozen_layout`, which removes the placeholder)."""
        self.title_text.set_paths([_text_path(text, size, middle=False)])

    def font_size(self, characters=3):
        """Points that fit a label of `characters` characters (at least 3) into one cell,
        in steps of half a point; 0 if the cells are too small for readable numbers."""
        box = self.ax.get_position()
        width, height = self.ax.figure.get_size_inches()
        cell_points = min(box.width * width, box.height * height) / self.span * 72
        size = min(cell_points * 1.1 / max(characters, 3), 10)  # a digit is ~0.64 em wide
        size = round(size * 2) / 2
        return size if size >= 5 else 0

    def show(self, fill, texts=None, text_colors=None, span=None):
        """Draw cells with RGBA `fill` (R, C, 4) and strings `texts` (R, C) or None.
        The axes shows `span` cells across (at least the grid's size), the grid centred,
        so that two panels given the same span have cells of the same size."""
        shape = fill.shape[:2]
        self.span = max(span or 0, *shape)
        if self.mesh is not None and shape == (self.rows, self.cols):
            self.mesh.set_array(fill)
        else:
            if self.mesh is not None:
                self.mesh.remove()
            self.rows, self.cols = shape
            self.mesh = self.ax.pcolormesh(np.arange(self.cols + 1), np.arange(self.rows + 1),
                                           fill, edgecolors=GRID_COLOR, linewidth=0.6)
        self.mesh.set_edgecolor(GRID_COLOR)
        self.frame.set_visible(False)
        self.label.set_visible(False)
        longest = 0 if texts is None else max(len(text) for text in np.asarray(texts).flat)
        size = self.font_size(longest)
        self.numbers.set_visible(texts is not None and size > 0)
        if self.numbers.get_visible():
            rows, cols = np.indices(shape)
            self.numbers.set_paths([_text_path(text, size) for text in np.asarray(texts).flat])
            self.numbers.set_offsets(np.column_stack([cols.ravel() + 0.5, rows.ravel() + 0.5]))
            colors = "black" if text_colors is None else list(np.asarray(text_colors).flat)
            self.numbers.set_facecolor(colors)
        margin_x = (self.span - self.cols) / 2 + 0.08
        margin_y = (self.span - self.rows) / 2 + 0.08
        self.ax.set_xlim(-margin_x, self.cols + margin_x)
        self.ax.set_ylim(self.rows + margin_y, -margin_y)

    def outline(self, row, col, height, width):
        """A black frame around a block of cells (hidden again by the next `show`)."""
        self.frame.set_bounds(col, row, width, height)
        self.frame.set_visible(True)

    def message(self, text):
        """An empty panel that says `text`."""
        self.show(np.ones((1, 1, 4)))
        self.mesh.set_edgecolor("none")
        self.label.set_text(text)
        self.label.set_visible(True)

    def add_highlight(self, kind="cell", color=OKABE_ITO[3], lw=2.5):
        """An animated artist for moving highlights: a frame ('cell') or squares ('taps')."""
        if kind == "taps":
            artist = PolyCollection([], facecolors=[color], edgecolors="none", animated=True)
            self.ax.add_collection(artist, autolim=False)
        else:
            artist = Rectangle((0, 0), 1, 1, fill=False, lw=lw, ec=color, animated=True)
            self.ax.add_patch(artist)
        return artist


def set_taps(artist, cells):
    """Move a 'taps' highlight onto the cells [(row, col), ...]."""
    artist.set_verts([[(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)] for r, c in cells])


def fill_colors(kinds, colors):
    """(R, C, 4) RGBA array from an integer array of cell kinds and a list of colours."""
    return np.array([to_rgba(color) for color in colors])[kinds]


def grey_where(mask):
    """Text colours: grey where `mask`, black elsewhere."""
    return np.where(mask, "#7F7F7F", "black")


def frozen_layout(fig):
    """Lay the figure out once (constrained layout) and keep that layout: later full
    redraws then skip the layout pass, which costs as much as drawing. The placeholder
    titles that reserved room are removed (GridPanel.title draws the real ones)."""
    fig.canvas.draw()
    fig.set_layout_engine("none")
    for ax in fig.axes:
        ax.set_title("", y=1.0)  # an explicit y also skips matplotlib's title placement


class ConvolutionView:
    """The figure: padded input | output, highlights for one kernel position, and a
    caption (HTML) with the sum of products of the current position."""

    def __init__(self, result, position=0):
        self.fig = new_figure(7.6, 3.7, dpi=80)
        self.input = GridPanel(self.fig.add_subplot(1, 2, 1))
        self.output = GridPanel(self.fig.add_subplot(1, 2, 2))
        frozen_layout(self.fig)
        self.highlights = {
            "input_taps": self.input.add_highlight("taps", TAP_COLOR),
            "input_frame": self.input.add_highlight("cell", OKABE_ITO[0]),
            "input_cell": self.input.add_highlight("cell", OKABE_ITO[3], lw=3),
            "output_taps": self.output.add_highlight("taps", TAP_COLOR),
            "output_frame": self.output.add_highlight("cell", OKABE_ITO[0]),
            "output_cell": self.output.add_highlight("cell", OKABE_ITO[3], lw=3),
        }
        self.caption = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self.position = position
        self.view = None
        self.rebuild(result)
        self.view = FigureView(self.fig)

    def rebuild(self, result):
        """A new setting: redraw both grids (the background) and the highlights."""
        self.result = result
        if result.settings.transposed:
            self._draw_transposed_grids(result)
        else:
            self._draw_conv_grids(result)
        self.set_position(self.position, redraw=False)
        if self.view is not None:
            self.view.redraw(full=True)

    def _draw_conv_grids(self, result):
        (before, after), X = result.pad, result.X
        n = len(X)
        side = n + before + after
        padded = np.pad(X, [result.pad, result.pad])  # (side, side), zeros around
        is_pad = np.pad(np.zeros((n, n), dtype=int), [result.pad, result.pad], constant_values=1)
        o = 0 if result.Y is None else len(result.Y)
        span = max(side, o)
        self.input.show(fill_colors(is_pad, [INPUT_COLOR, PAD_COLOR]), padded.astype(str),
                        grey_where(is_pad == 1), span)
        self.input.outline(before, before, n, n)
        title = f"input {n}×{n}"
        if before or after:
            title += f", padded to {side}×{side} (grey: zeros)"
        self.input.title(title)
        if result.Y is None:
            self.output.message("no output:\nsee the message above")
            self.output.title("output")
            return
        self.output.show(fill_colors(np.zeros((o, o), dtype=int), [OUTPUT_COLOR]),
                         result.Y.astype(str), span=span)
        self.output.title(f"output {o}×{o} (torch F.conv2d)")

    def _draw_transposed_grids(self, result):
        X = result.X
        n = len(X)
        side = n if result.canvas is None else len(result.canvas)
        self.input.show(fill_colors(np.zeros((n, n), dtype=int), [INPUT_COLOR]), X.astype(str),
                        span=side)
        self.input.title(f"input {n}×{n}")
        if not result.ok:
            self.output.message("no output:\nsee the message above")
            self.output.title("output")
            return
        canvas, p, o = result.canvas, result.pad[0], len(result.Y)
        is_crop = np.ones((side, side), dtype=int)
        is_crop[p:p + o, p:p + o] = 0
        self.output.show(fill_colors(is_crop, [OUTPUT_COLOR, PAD_COLOR]), canvas.astype(str),
                         grey_where(is_crop == 1))
        self.output.outline(p, p, o, o)
        title = f"output {o}×{o} (torch F.conv_transpose2d)"
        if side != o:
            title = f"output {o}×{o} (grey: cropped by padding)"
        self.output.title(title)

    def set_position(self, position, redraw=True):
        """Highlight kernel position `position`; only animated artists change."""
        self.position = int(position)
        result = self.result
        taps, cell = kernel_taps(result, position)
        for artist in self.highlights.values():
            artist.set_visible(False)
        if taps:
            self._show_taps(result, taps, cell)
        else:
            self.caption.value = ""
        if redraw and self.view is not None:
            self.view.redraw()

    def _show_taps(self, result, taps, cell):
        s = result.settings
        side = "output" if s.transposed else "input"
        other = "input" if s.transposed else "output"
        set_taps(self.highlights[f"{side}_taps"], taps)
        span = effective_kernel_size(s.kernel_size, s.dilation)
        top, left = taps[0]
        self.highlights[f"{side}_frame"].set_bounds(left, top, span, span)
        row, col = cell
        self.highlights[f"{other}_cell"].set_bounds(col, row, 1, 1)
        for name in (f"{side}_taps", f"{side}_frame", f"{other}_cell"):
            self.highlights[name].set_visible(True)
        if s.transposed:
            value = result.X[row, col]
            text = (f"X[{row},{col}] = {value} adds {value}·K into the {len(taps)} blue cells "
                    f"(kernel {s.kernel_size}×{s.kernel_size}, dilation {s.dilation}); the "
                    "output is the sum of these copies over all input cells")
        else:
            padded = np.pad(result.X, [result.pad, result.pad])
            products = [f"{padded[r, c]}·{w}" if w >= 0 else f"{padded[r, c]}·({w})"
                        for (r, c), w in zip(taps, result.K.flat)]
            total = result.Y[row, col]
            if len(products) <= 9:
                text = f"Y[{row},{col}] = " + " + ".join(products) + f" = {total}"
            else:
                text = (f"Y[{row},{col}] = the sum of {len(products)} products "
                        f"(blue cells × kernel) = {total}")
        self.caption.value = f"<b>Position {self.position}</b>: {text}"


def _formula_html(result):
    if result.ok:
        verdict = "✓ equals" if result.matches_torch else "✗ differs from"
        size = result.torch_size
        check = f" &nbsp; torch's output is {size}×{size}: {verdict} the formula"
    else:
        check = " &nbsp; (torch refuses this setting)"
    return f"<b>Output size</b>: {result.formula}{check}"


def demo(input_size=7, kernel_size=3, padding_mode="valid", custom_padding=0, stride=2,
         dilation=1, transposed=False, output_padding=0, position=0):
    """The convolution-arithmetic demo (defaults: the notes' 7×7 ∗ 3×3, stride 2)."""
    style = {"description_width": "initial"}
    slider = dict(continuous_update=True, style=style, layout=widgets.Layout(width="210px"))
    controls = {
        "input_size": widgets.IntSlider(input_size, *LIMITS["input_size"],
                                        description="input W", **slider),
        "kernel_size": widgets.IntSlider(kernel_size, *LIMITS["kernel_size"],
                                         description="kernel K", **slider),
        "stride": widgets.IntSlider(stride, *LIMITS["stride"], description="stride S", **slider),
        "dilation": widgets.IntSlider(dilation, *LIMITS["dilation"], description="dilation D",
                                      **slider),
        "padding_mode": widgets.Dropdown(options=PADDING_MODES, value=padding_mode,
                                         description="padding", style=style,
                                         layout=widgets.Layout(width="170px")),
        "custom_padding": widgets.IntSlider(custom_padding, *LIMITS["custom_padding"],
                                            description="custom P", **slider),
        "transposed": widgets.Checkbox(value=transposed, description="transposed",
                                       indent=False, layout=widgets.Layout(width="110px")),
        "output_padding": widgets.IntSlider(output_padding, *LIMITS["output_padding"],
                                            description="output_padding", **slider),
        "position": widgets.IntSlider(position, 0, 10**4, description="kernel position",
                                      style=style, layout=widgets.Layout(width="320px")),
        "play": widgets.Play(interval=700, max=10**9, show_repeat=False,
                             layout=widgets.Layout(width="110px")),
        "notes_example": widgets.Button(description="notes' 7×7 example",
                                        layout=widgets.Layout(width="170px")),
    }
    setting_names = ["input_size", "kernel_size", "padding_mode", "custom_padding", "stride",
                     "dilation", "transposed", "output_padding"]
    label, formula, code = message(), widgets.HTML(), widgets.HTML()
    state = {"hold": False}

    def current_settings():
        return ConvSettings(**{name: controls[name].value for name in setting_names})

    def show_text(result):
        if result.ok:
            say(label, result.message, "info")
        else:
            say(label, result.message, "warn")
        formula.value = _formula_html(result)
        code.value = f"<b>Same layer in torch</b>: <code>{result.code}</code>"
        controls["custom_padding"].disabled = result.settings.padding_mode != "custom"
        controls["output_padding"].disabled = not result.settings.transposed

    @one_thread()
    def on_setting(_=None):
        if state["hold"]:
            return
        result = convolve(current_settings())
        state["hold"] = True
        try:
            position_slider = controls["position"]
            position_slider.max = max(result.positions - 1, 1)
            position_slider.value = min(position_slider.value, max(result.positions - 1, 0))
            position_slider.disabled = result.positions <= 1
        finally:
            state["hold"] = False
        view.position = controls["position"].value
        show_text(result)
        view.rebuild(result)

    @one_thread()
    def on_position(change):
        if not state["hold"]:
            view.set_position(change["new"])

    @one_thread()
    def on_play(change):
        positions = view.result.positions
        if positions > 1 and change["new"]:
            controls["position"].value = (controls["position"].value + 1) % positions

    @one_thread()
    def on_notes_example(_):
        state["hold"] = True
        try:
            for name, value in [("input_size", 7), ("kernel_size", 3), ("padding_mode", "valid"),
                                ("stride", 2), ("dilation", 1), ("transposed", False),
                                ("output_padding", 0), ("position", 0)]:
                controls[name].value = value
        finally:
            state["hold"] = False
        on_setting()

    view = ConvolutionView(convolve(current_settings()), position)
    for name in setting_names:
        controls[name].observe(on_setting, names="value")
    controls["position"].observe(on_position, names="value")
    controls["play"].observe(on_play, names="value")
    controls["notes_example"].on_click(on_notes_example)
    on_setting()

    rows = [
        widgets.HBox([controls[n] for n in ("input_size", "kernel_size", "stride", "dilation")]),
        widgets.HBox([controls[n] for n in ("padding_mode", "custom_padding", "transposed",
                                            "output_padding")]),
        widgets.HBox([controls["position"], controls["play"], controls["notes_example"]]),
    ]
    layout = widgets.VBox(rows + [label, view.view.image, view.caption, formula, code])
    return Demo(layout, controls, view.view)
