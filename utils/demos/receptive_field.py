"""The sparse-interactions demo: select an input unit and see every output it affects, or
select an output unit and see every input it depends on (its receptive field), through a
stack of 1-D convolutions or of dense layers (GBC figs. 9.2–9.4).

The **model** (numbers only):

- `layer_matrix(n, k, dense)`: the (n - k + 1, n) 0/1 connection matrix of one layer; for a
  convolution it is banded (a Toeplitz pattern), for a dense layer all ones;
- `connectivity(ConnSettings(...))`: layer sizes, the first layer's matrix, and for every
  layer which units are highlighted: walking *up* from an input (the outputs it affects)
  or *down* from a top-layer output (its receptive field), plus counts. Never raises:
  out-of-range values are clipped and impossible stacks (too deep for the input) are
  explained in the message.

The **view** is `demo()`: the network (units as dots, connections as lines, highlighted
cone) | the first layer's connection matrix with the selected column or row.
"""
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from utils.widgets import Demo, FigureView, OKABE_ITO, message, new_figure, say

DIRECTIONS = ("input → outputs it affects", "output → inputs it depends on")
CONNECTIVITY = ("convolution (sparse)", "dense")
LIMITS = {"n": (4, 24), "k": (1, 7), "layers": (1, 4)}


# ----------------------------------------------------------------------------- model
def layer_matrix(n, k, dense=False):
    """0/1 matrix (n - k + 1, n): entry (j, i) is 1 if output j of a valid width-k layer
    reads input i. Dense: every output reads every input."""
    n_out = n - k + 1
    if dense:
        return np.ones((n_out, n), dtype=int)
    rows = np.arange(n_out)[:, None]
    cols = np.arange(n)[None, :]
    return ((cols >= rows) & (cols < rows + k)).astype(int)


@dataclass(frozen=True)
class ConnSettings:
    n: int = 12  # input units
    k: int = 3  # kernel width
    layers: int = 2
    connectivity: str = CONNECTIVITY[0]
    direction: str = DIRECTIONS[0]
    unit: int = 5  # the selected input (direction 0) or top-layer output (direction 1)


@dataclass
class ConnResult:
    settings: ConnSettings
    ok: bool
    message: str
    sizes: list  # units per layer, input first
    matrices: list  # one 0/1 matrix per layer (n_{l+1}, n_l)
    highlighted: list  # one bool array per layer
    selected: tuple  # (layer, index) of the selected unit
    counts: str


def _clip(value, name):
    low, high = LIMITS[name]
    return int(min(max(int(value), low), high))


def sanitize(settings):
    connectivity = (settings.connectivity if settings.connectivity in CONNECTIVITY
                    else CONNECTIVITY[0])
    direction = settings.direction if settings.direction in DIRECTIONS else DIRECTIONS[0]
    return replace(settings, connectivity=connectivity, direction=direction,
                   **{name: _clip(getattr(settings, name), name) for name in LIMITS})


def connectivity(settings):
    """Layer sizes, connection matrices and the highlighted cone for one setting."""
    st = sanitize(settings)
    n, k, L = st.n, st.k, st.layers
    sizes = [n - l * (k - 1) for l in range(L + 1)]
    if sizes[-1] < 1:
        return ConnResult(st, False, f"{L} layers of width {k} need at least {L * (k - 1) + 1} "
                          f"inputs (each valid layer is {k - 1} shorter); use more inputs, "
                          "fewer layers or a narrower kernel.", [n], [], [], (0, 0), "")
    dense = st.connectivity == "dense"
    matrices = [layer_matrix(sizes[l], k, dense) for l in range(L)]
    going_up = st.direction == DIRECTIONS[0]
    layer = 0 if going_up else L
    unit = int(min(max(int(st.unit), 0), sizes[layer] - 1))
    st = replace(st, unit=unit)
    highlighted = [np.zeros(size, dtype=bool) for size in sizes]
    highlighted[layer][unit] = True
    if going_up:
        for l in range(L):
            highlighted[l + 1] = matrices[l] @ highlighted[l] > 0
    else:
        for l in range(L - 1, -1, -1):
            highlighted[l] = matrices[l].T @ highlighted[l + 1] > 0
    return ConnResult(st, True, _message(st, sizes, highlighted, dense), sizes, matrices,
                      highlighted, (layer, unit), _counts(sizes, matrices, k, dense))


def _message(st, sizes, highlighted, dense):
    L, k = st.layers, st.k
    if st.direction == DIRECTIONS[0]:
        reached = int(highlighted[-1].sum())
        return (f"Input x{st.unit} affects {reached} of the {sizes[-1]} outputs of layer {L}"
                + ("" if dense else f" (at most 1 + L(k − 1) = {1 + L * (k - 1)}: fewer near the ends)"))
    field = int(highlighted[0].sum())
    text = f"Output s{st.unit} of layer {L} depends on {field} of the {sizes[0]} inputs"
    return text + ("" if dense else f": its receptive field, 1 + L(k − 1) = {1 + L * (k - 1)}")


def _counts(sizes, matrices, k, dense):
    n_in, n_out = sizes[0], sizes[1]
    nonzero = int(matrices[0].sum())
    if dense:
        return (f"layer 1: {nonzero} connections = {n_out}·{n_in}, each its own weight "
                f"({nonzero} parameters)")
    return (f"layer 1: {nonzero} connections = {n_out}·{k} (dense would have {n_out * n_in}); "
            f"parameter sharing: all of them use the same {k} weights")


# ------------------------------------------------------------------------------ view
PALE = "#CCCCCC"


class ConnectivityView:
    """Left: the layered network. Right: the first layer's connection matrix."""

    def __init__(self, result):
        self.fig = new_figure(9.2, 3.8, dpi=80)
        grid = self.fig.add_gridspec(1, 2, width_ratios=[1.6, 1])
        self.net_ax = self.fig.add_subplot(grid[0])
        self.mat_ax = self.fig.add_subplot(grid[1])
        self.edges = LineCollection([], linewidths=0.6, colors=PALE)  # every connection
        self.lit = LineCollection([], linewidths=1.8, colors=OKABE_ITO[0], animated=True)
        self.net_ax.add_collection(self.edges)
        self.net_ax.add_collection(self.lit)
        self.nodes = self.net_ax.scatter([], [], s=60, zorder=3, edgecolors="black",
                                         linewidths=0.6, animated=True)
        self.net_ax.set_axis_off()
        self.matrix = self.mat_ax.imshow(np.zeros((2, 2, 3)), interpolation="nearest",
                                         aspect="auto", animated=True)
        self.mat_ax.set_axis_off()  # tick labels would cost more than everything else
        self.net_ax.set_title(" ", fontsize=10)
        self.mat_ax.set_title(" \n ", fontsize=10)
        self.note = self.net_ax.text(0.5, 0.5, "", transform=self.net_ax.transAxes,
                                     ha="center", va="center", color=OKABE_ITO[3])
        self.fig.canvas.draw()  # lay out once, then keep that layout (constrained layout
        self.fig.set_layout_engine("none")  # costs as much as drawing)
        self.shape = None
        self.view = None
        self.update(result)
        self.view = FigureView(self.fig, key=self.shape, max_backgrounds=32)

    def update(self, result):
        """Redraw; only the animated highlights if the network itself did not change. The
        picture of each network shape is kept (`FigureView` backgrounds by key), so going
        back to a shape seen before costs a blit, not a full draw."""
        shape = None if not result.ok else (tuple(result.sizes), result.settings.connectivity)
        full = shape is None or shape != self.shape
        self.shape = shape
        if not result.ok:
            self._show_message(result)
        else:
            self._draw_network(result, full)
            self._draw_matrix(result, full)
        if self.view is not None:
            self.view.redraw(full=full, key=shape)

    def _show_message(self, result):
        self.edges.set_segments([])
        self.lit.set_segments([])
        self.nodes.set_offsets(np.zeros((0, 2)))
        self.note.set_text("no network:\nsee the message")
        self.matrix.set_data(np.ones((1, 1, 3)))
        self.net_ax.set_title("")
        self.mat_ax.set_title("")

    def _draw_network(self, result, full):
        self.note.set_text("")
        sizes, n = result.sizes, result.sizes[0]
        positions = [np.column_stack([np.arange(size) + (n - size) / 2, np.full(size, l)])
                     for l, size in enumerate(sizes)]  # centred rows of dots, layer l at height l
        segments, lit = [], []
        for l, M in enumerate(result.matrices):
            rows, cols = np.nonzero(M)
            layer_segments = np.stack([positions[l][cols], positions[l + 1][rows]], axis=1)  # (E, 2, 2)
            segments.append(layer_segments)
            lit.append(layer_segments[result.highlighted[l][cols] & result.highlighted[l + 1][rows]])
        segments, lit = np.concatenate(segments), np.concatenate(lit)
        self.lit.set_segments(lit)
        highlighted = np.concatenate(result.highlighted)
        face = np.where(highlighted, OKABE_ITO[1], "white")
        layer, unit = result.selected
        face[sum(sizes[:layer]) + unit] = OKABE_ITO[3]
        self.nodes.set_offsets(np.concatenate(positions))
        self.nodes.set_facecolors(face)
        if full:
            self.edges.set_segments(segments)
            self.net_ax.set_xlim(-0.7, n - 0.3)
            self.net_ax.set_ylim(-0.5, len(sizes) - 0.5)
            names = ["x"] + [f"layer {l}" for l in range(1, len(sizes))]
            self.net_ax.set_title(f"{' → '.join(names)} (bottom to top)", fontsize=10)

    def _draw_matrix(self, result, full):
        M = result.matrices[0]
        rgb = np.where(M[:, :, None] > 0, np.array([0.55, 0.55, 0.55]), np.array([1.0, 1.0, 1.0]))
        layer, unit = result.selected
        if result.settings.direction == DIRECTIONS[0]:
            column = M[:, unit] > 0
            rgb[column, unit] = [0.84, 0.37, 0.0]  # the selected input's column
        elif len(result.sizes) == 2:
            row = M[unit] > 0
            rgb[unit, row] = [0.84, 0.37, 0.0]  # the selected output's row
        self.matrix.set_data(rgb)
        if not full:
            return
        self.matrix.set_extent((-0.5, M.shape[1] - 0.5, M.shape[0] - 0.5, -0.5))
        kind = "banded (Toeplitz)" if result.settings.connectivity != "dense" else "dense"
        self.mat_ax.set_title(f"layer-1 matrix {M.shape[0]}×{M.shape[1]} (rows: outputs)"
                              f"\n{kind}, {int(M.sum())} non-zeros", fontsize=10)


def demo(n=12, k=3, layers=2, connectivity_=CONNECTIVITY[0], direction=DIRECTIONS[0], unit=5):
    """The sparse-interactions demo (defaults: 12 inputs, two layers of width 3)."""
    style = {"description_width": "initial"}
    slider = dict(style=style, layout=widgets.Layout(width="230px"))
    controls = {
        "unit": widgets.IntSlider(unit, 0, n - 1, description="selected unit", **slider),
        "n": widgets.IntSlider(n, *LIMITS["n"], description="inputs n", **slider),
        "k": widgets.IntSlider(k, *LIMITS["k"], description="kernel width k", **slider),
        "layers": widgets.IntSlider(layers, *LIMITS["layers"], description="layers L", **slider),
        "direction": widgets.Dropdown(options=DIRECTIONS, value=direction, description="select",
                                      style=style, layout=widgets.Layout(width="330px")),
        "connectivity": widgets.Dropdown(options=CONNECTIVITY, value=connectivity_,
                                         description="layers are", style=style,
                                         layout=widgets.Layout(width="280px")),
    }
    names = ["n", "k", "layers", "connectivity", "direction", "unit"]
    label, counts = message(), widgets.HTML()
    state = {"hold": False}

    def refresh(_=None):
        if state["hold"]:
            return
        result = connectivity(ConnSettings(**{name: controls[name].value for name in names}))
        if result.ok:
            layer = result.selected[0]
            state["hold"] = True
            try:
                controls["unit"].max = max(result.sizes[layer] - 1, 0)
                controls["unit"].value = result.settings.unit
            finally:
                state["hold"] = False
        say(label, result.message, "info" if result.ok else "warn")
        counts.value = result.counts
        view.update(result)

    view = ConnectivityView(connectivity(ConnSettings(n, k, layers, connectivity_, direction, unit)))
    for name in names:
        controls[name].observe(refresh, names="value")
    refresh()
    layout = widgets.VBox([
        widgets.HBox([controls["unit"], controls["direction"]]),
        widgets.HBox([controls["n"], controls["k"], controls["layers"]]),
        widgets.HBox([controls["connectivity"]]),
        label, view.view.image, counts])
    return Demo(layout, controls, view.view)
