"""Robust regression: one outlier pulls the MSE line, not the MAE or Huber lines.

The **model** (numbers only, no widgets):

- `make_data()`: 21 points on y = 2x + 1 with a little noise (the data of lesson II.05);
- `fit_line(x, y, loss, delta)`: the line that minimises the mean loss. MSE: least
  squares (closed form). MAE: exact, by trying the line through every pair of points (an
  L1 line fit always passes through two data points). Huber: iteratively reweighted least
  squares from the MSE line (weights 1 inside ±δ, δ/|r| outside), which lowers the cost at
  every step;
- `fits(LossSettings(...))`: the data with the outlier moved, the three lines and a
  message. Never raises: out-of-range or non-finite values are clipped or replaced.

The **view** is `demo()`: the data and the three fitted lines | the three losses ρ(r) with
the outlier's residual under each fit marked.
"""
import math
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np

from utils.widgets import Demo, FigureView, OKABE_ITO, message, new_figure, say

LOSSES = ("MSE", "MAE", "Huber")
LIMITS = {"outlier": (-20.0, 20.0), "delta": (0.01, 5.0), "position": (0, 20)}
Y_VIEW = (-1.0, 7.0)  # the y range shown; an outlier outside it is drawn at the edge


# ----------------------------------------------------------------------------- model
def make_data(n=21, seed=0):
    """x in [0, 1] and y = 2x + 1 + N(0, 0.05²) noise."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 1, n)
    return x, 2 * x + 1 + 0.05 * rng.standard_normal(n)


def loss_values(r, loss, delta=1.0):
    """ρ(r) for each residual: r², |r| or Huber's ½r² inside ±δ and δ(|r| − ½δ) outside."""
    r = np.asarray(r, dtype=float)
    if loss == "MSE":
        return r**2
    if loss == "MAE":
        return np.abs(r)
    return np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))


def cost(theta, x, y, loss, delta=1.0):
    """Mean loss of the line y = theta[0] x + theta[1]."""
    return float(loss_values(y - (theta[0] * x + theta[1]), loss, delta).mean())


def fit_line(x, y, loss, delta=1.0, iterations=100):
    """(slope, intercept) minimising the mean `loss` ("MSE", "MAE" or "Huber")."""
    A = np.column_stack([x, np.ones_like(x)])  # (n, 2)
    theta = np.linalg.lstsq(A, y, rcond=None)[0]
    if loss == "MSE":
        return theta
    if loss == "MAE":
        i, j = np.triu_indices(len(x), k=1)
        keep = x[i] != x[j]
        i, j = i[keep], j[keep]
        slopes = (y[j] - y[i]) / (x[j] - x[i])  # (pairs,)
        intercepts = y[i] - slopes * x[i]
        costs = np.abs(y[None, :] - (slopes[:, None] * x[None, :] + intercepts[:, None])).mean(1)
        best = int(np.argmin(costs))
        return np.array([slopes[best], intercepts[best]])
    for _ in range(iterations):  # Huber by iteratively reweighted least squares
        r = np.abs(y - A @ theta)
        w = np.where(r <= delta, 1.0, delta / np.maximum(r, 1e-300))
        new = np.linalg.solve(A.T @ (w[:, None] * A), A.T @ (w * y))
        if np.allclose(new, theta, rtol=0, atol=1e-12):
            return new
        theta = new
    return theta


@dataclass(frozen=True)
class LossSettings:
    outlier: float = 10.0  # added to the y of the chosen point
    delta: float = 0.1  # Huber's δ
    position: int = 20  # which point is the outlier (0 .. 20, left to right)


@dataclass
class FitResult:
    settings: LossSettings
    x: np.ndarray
    y: np.ndarray
    lines: dict  # loss name -> (slope, intercept)
    message: str


def _number(value, default):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def sanitize(settings):
    low, high = LIMITS["outlier"]
    outlier = min(max(_number(settings.outlier, 0.0), low), high)
    low, high = LIMITS["delta"]
    delta = min(max(_number(settings.delta, 0.1), low), high)
    low, high = LIMITS["position"]
    position = int(min(max(_number(settings.position, high), low), high))
    return replace(settings, outlier=outlier, delta=delta, position=position)


def fits(settings):
    """The data with the outlier and the three fitted lines."""
    st = sanitize(settings)
    x, y = make_data()
    y = y.copy()
    y[st.position] += st.outlier
    lines = {name: tuple(float(v) for v in fit_line(x, y, name, st.delta)) for name in LOSSES}
    clean = fit_line(*make_data(), "MSE")
    moved = abs(lines["MSE"][0] - clean[0])
    text = (f"slopes: MSE {lines['MSE'][0]:.2f}, MAE {lines['MAE'][0]:.2f}, "
            f"Huber(δ={st.delta:.2f}) {lines['Huber'][0]:.2f} (true slope 2). "
            f"The outlier moved the MSE slope by {moved:.2f}.")
    return FitResult(st, x, y, lines, text)


# ------------------------------------------------------------------------------ view
COLORS = {"MSE": OKABE_ITO[0], "MAE": OKABE_ITO[1], "Huber": OKABE_ITO[2]}


class LossView:
    """Left: the data and the three lines. Right: ρ(r) of each loss and the outlier's
    residual under each fit."""

    def __init__(self, result):
        self.fig = new_figure(9.2, 3.6, dpi=80)
        self.ax, self.loss_ax = self.fig.subplots(1, 2, width_ratios=[1.4, 1])
        self.ax.set(xlim=(-0.05, 1.05), ylim=Y_VIEW, xlabel="x", ylabel="y",
                    title="one outlier (diamond), three fits")
        self.points = self.ax.scatter([], [], s=18, color="black", animated=True, zorder=3)
        self.outlier = self.ax.scatter([], [], s=60, color=OKABE_ITO[5], marker="D",
                                       animated=True, zorder=4)
        grid = np.array([-0.05, 1.05])
        self.lines = {name: self.ax.plot(grid, grid, color=COLORS[name], lw=2, label=name,
                                         animated=True)[0] for name in LOSSES}
        self.ax.legend(loc="upper left", fontsize=9)
        self.note = self.ax.text(0.98, 0.03, "", transform=self.ax.transAxes, ha="right",
                                 fontsize=9, color=OKABE_ITO[5], animated=True)
        self.r = np.linspace(-3, 3, 241)
        self.curves = {name: self.loss_ax.plot(self.r, self.r, color=COLORS[name], lw=2,
                                               animated=True)[0] for name in LOSSES}
        self.marks = {name: self.loss_ax.plot([], [], "o", color=COLORS[name], ms=7,
                                              animated=True)[0] for name in LOSSES}
        self.loss_ax.set(xlim=(-3, 3), ylim=(0, 4), xlabel="residual r = y − ŷ",
                         ylabel="ρ(r)", title="the losses; dots: the outlier's residual")
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # keep the layout; blitting needs fixed axes
        self.update(result, redraw=False)
        self.view = FigureView(self.fig)

    def update(self, result, redraw=True):
        st = result.settings
        mask = np.arange(len(result.x)) != st.position
        self.points.set_offsets(np.column_stack([result.x[mask], result.y[mask]]))
        y_out = result.y[st.position]
        shown = min(max(y_out, Y_VIEW[0] + 0.15), Y_VIEW[1] - 0.15)
        self.outlier.set_offsets([[result.x[st.position], shown]])
        self.note.set_text("" if shown == y_out else f"outlier at y = {y_out:.1f} (off the plot)")
        grid = np.array([-0.05, 1.05])
        for name, (slope, intercept) in result.lines.items():
            self.lines[name].set_data(grid, slope * grid + intercept)
            self.curves[name].set_data(self.r, loss_values(self.r, name, st.delta))
            residual = y_out - (slope * result.x[st.position] + intercept)
            shown_r = min(max(residual, -2.95), 2.95)
            self.marks[name].set_data([shown_r], [min(loss_values(shown_r, name, st.delta), 3.9)])
        if redraw:
            self.view.redraw()


def demo(outlier=10.0, delta=0.1, position=20):
    """The robust-regression demo: move the outlier and watch the three fits."""
    style = {"description_width": "initial"}
    controls = {
        "outlier": widgets.FloatSlider(outlier, min=LIMITS["outlier"][0], max=LIMITS["outlier"][1],
                                       step=0.5, description="outlier moved by",
                                       style=style, layout=widgets.Layout(width="300px")),
        "delta": widgets.FloatSlider(delta, min=0.05, max=2.0, step=0.05, description="Huber δ",
                                     style=style, layout=widgets.Layout(width="260px")),
        "position": widgets.IntSlider(position, *LIMITS["position"], description="outlier is point",
                                      style=style, layout=widgets.Layout(width="280px")),
    }
    label = message()
    view = LossView(fits(LossSettings(outlier, delta, position)))

    def refresh(_=None):
        result = fits(LossSettings(**{name: c.value for name, c in controls.items()}))
        say(label, result.message)
        view.update(result)

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    layout = widgets.VBox([widgets.HBox(list(controls.values())), view.view.image, label])
    return Demo(layout, controls, view.view)
