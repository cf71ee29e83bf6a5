"""How the gradient of an RNN travels back through time (lesson III.5 and III.11).

Model (numpy, float64, no widgets):
- `recurrent_weights(rho, n_hidden, seed)`: W = rho * Q with Q a random orthogonal matrix,
  so every eigenvalue of W has modulus rho (the spectral radius) and every singular value
  is rho: the linear RNN then multiplies the backward signal by exactly rho per step.
- `gradient_through_time(rho, T, nonlinearity, n_hidden, seed, clip, threshold)` runs
  h(t) = g(W h(t-1) + s U x(t)) for t = 1..T from h(0) = 0 on a fixed random input
  (s = `input_scale`: large inputs saturate tanh), with
  the loss L = v^T h(T) read at the last step only, and back-propagates by hand:
  dL/dh(T) = v, dL/dh(t-1) = W^T diag(g'(a(t))) dL/dh(t) (GBC eq. 10.21 without the
  output terms of the other steps). It returns a `Gradients` record with ‖dL/dh(t)‖ for
  every t, ‖∇_W L‖, and, if `clip`, the factor by which clipping the gradient's norm to
  `threshold` scales it (GBC §10.11.1).

View: `demo()` shows ‖dL/dh(t)‖ against t on a log scale (with the line rho^(T-t) of the
linear case, and the clipped contributions dashed) and the norm of ∇_W L before and after
clipping.
"""
from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from utils.widgets import OKABE_ITO, Demo, FigureView, message, new_figure, say

N_IN = 4
MAX_T = 100
YLIM = (1e-20, 1e20)
NONLINEARITIES = {"tanh": "tanh", "linear": "linear (identity)"}


@lru_cache(maxsize=64)
def _draws(n_hidden, seed):
    """Random orthogonal Q, input weights U, inputs X (MAX_T, N_IN) and read-out v."""
    rng = np.random.default_rng(seed)
    Q, R = np.linalg.qr(rng.normal(size=(n_hidden, n_hidden)))
    Q = Q * np.sign(np.diag(R))  # a uniformly random orthogonal matrix
    U = rng.normal(size=(n_hidden, N_IN)) / np.sqrt(N_IN)
    X = rng.normal(size=(MAX_T, N_IN))
    v = rng.normal(size=n_hidden) / np.sqrt(n_hidden)
    return Q, U, X, v


def recurrent_weights(rho, n_hidden=32, seed=0):
    """W = rho Q, Q random orthogonal: spectral radius exactly rho."""
    return rho * _draws(n_hidden, seed)[0]


@dataclass
class Gradients:
    grad_h: np.ndarray  # (T,) ‖dL/dh(t)‖ for t = 1..T
    grad_W: float  # ‖∇_W L‖ (Frobenius)
    scale: float  # 1, or threshold / ‖g‖ when clipping shrank the gradient
    saturation: float  # mean |h(t)| over steps and units (near 1: tanh saturated)


def gradient_through_time(rho=1.0, T=50, nonlinearity="tanh", n_hidden=32, seed=0,
                          clip=False, threshold=1.0, input_scale=0.1):
    """Forward over T steps, backward by hand; see the module docstring."""
    if not 1 <= T <= MAX_T:
        raise ValueError(f"T must be in 1..{MAX_T}, got {T}")
    Q, U, X, v = _draws(n_hidden, seed)
    W = rho * Q
    H = np.zeros((T + 1, n_hidden))  # H[t] = h(t), H[0] = 0
    slopes = np.ones((T + 1, n_hidden))  # g'(a(t))
    for t in range(1, T + 1):
        a = W @ H[t - 1] + input_scale * (U @ X[t - 1])
        if nonlinearity == "tanh":
            H[t] = np.tanh(a)
            slopes[t] = 1 - H[t] ** 2
        else:
            H[t] = a
    grad_h = np.zeros(T)
    grad_W = np.zeros_like(W)
    g = v.copy()  # dL/dh(T)
    for t in range(T, 0, -1):
        grad_h[t - 1] = np.linalg.norm(g)
        grad_a = slopes[t] * g  # dL/da(t)
        grad_W += np.outer(grad_a, H[t - 1])
        g = W.T @ grad_a  # dL/dh(t-1)
        if not np.isfinite(g).all():  # overflowed float64: the rest stays inf
            grad_h[:t - 1] = np.inf
            break
    norm_W = float(np.linalg.norm(grad_W)) if np.isfinite(grad_W).all() else float("inf")
    scale = 1.0
    if clip and norm_W > threshold:
        scale = threshold / norm_W  # g <- g * threshold / ‖g‖ (0 when the norm is inf)
    return Gradients(grad_h, norm_W, scale, float(np.abs(H[1:]).mean()))


def verdict(grads, rho, nonlinearity, clip):
    """(text, kind) explaining what the curve shows."""
    first, last = grads.grad_h[0], grads.grad_h[-1]
    if not np.isfinite(first):
        text = "Exploded: the gradient overflowed float64."
    elif first < 1e-3 * last:
        text = (f"Vanishing: ‖∂L/∂h(1)‖ is {first / last:.1e} times ‖∂L/∂h(T)‖, so early "
                "inputs barely affect the update.")
    elif first > 1e3 * last:
        text = (f"Exploding: ‖∂L/∂h(1)‖ is {first / last:.1e} times ‖∂L/∂h(T)‖; one step "
                "could throw the weights far away.")
    else:
        text = f"Stable: ‖∂L/∂h(1)‖ / ‖∂L/∂h(T)‖ = {first / last:.3g}."
    if nonlinearity == "tanh" and rho > 1 and grads.saturation > 0.6:
        text += (f" The tanh units are saturated (mean |h| = {grads.saturation:.2f}): their "
                 "small slopes damp the growth that ρ > 1 would cause.")
    if clip:
        if grads.scale < 1:
            text += (f" Clipping scaled the whole gradient by {grads.scale:.2e}: the step is "
                     "capped, its direction kept; clipping cannot revive a vanished gradient.")
        else:
            text += " Clipping is on but the norm is below the threshold: nothing changes."
    kind = "warn" if ("Vanishing" in text or "Explod" in text) else "info"
    return text, kind


def _shown(values):
    """Values clipped to the plotted range; inf at the top edge."""
    values = np.where(np.isfinite(values), values, YLIM[1])
    return np.clip(values, *YLIM)


class _GradientView:
    def __init__(self, rho=1.0, T=50, nonlinearity="tanh", clip=False, threshold=1.0, seed=0,
                 input_scale=0.1):
        style = {"description_width": "initial"}
        c = self.controls = {}
        c["rho"] = widgets.FloatSlider(value=rho, min=0.5, max=1.5, step=0.01,
                                       description="spectral radius ρ of W", style=style,
                                       layout=widgets.Layout(width="380px"))
        c["T"] = widgets.IntSlider(value=T, min=5, max=MAX_T, description="steps T",
                                   style=style, layout=widgets.Layout(width="300px"))
        c["nonlinearity"] = widgets.Dropdown(options=[(v, k) for k, v in NONLINEARITIES.items()],
                                             value=nonlinearity, description="g",
                                             layout=widgets.Layout(width="200px"))
        c["clip"] = widgets.Checkbox(value=clip, description="clip the gradient norm")
        c["threshold"] = widgets.FloatLogSlider(value=threshold, base=10, min=-2, max=2,
                                                step=0.1, description="threshold",
                                                layout=widgets.Layout(width="300px"))
        c["input_scale"] = widgets.FloatLogSlider(value=input_scale, base=10, min=-2, max=0.5,
                                                  step=0.1, description="input scale s",
                                                  style=style, layout=widgets.Layout(width="300px"))
        c["seed"] = widgets.Dropdown(options=list(range(5)), value=seed, description="seed",
                                     layout=widgets.Layout(width="140px"))
        self.message = message()
        self._build_figure()
        self.view = FigureView(self.fig)
        self.update()
        for control in c.values():
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([c["rho"], c["T"], c["nonlinearity"]]),
            widgets.HBox([c["input_scale"], c["clip"], c["threshold"], c["seed"]]),
            self.message, self.view.image])

    def _build_figure(self):
        self.fig = new_figure(9.0, 3.8)
        self.ax, self.ax_norm = self.fig.subplots(1, 2, width_ratios=[3, 1])
        ax = self.ax
        ax.set_yscale("log")
        ax.set_ylim(*YLIM)
        ax.set_xlim(0, MAX_T + 1)
        ax.set_xlabel("time step t")
        ax.set_ylabel(r"$\|\partial L/\partial h^{(t)}\|$")
        ax.set_title("gradient reaching each step (loss at step T)", fontsize=11, loc="left")
        blue, orange = OKABE_ITO[0], OKABE_ITO[1]
        self.line, = ax.plot([], [], "o-", ms=3, color=blue, animated=True)
        self.clipped, = ax.plot([], [], "--", color=orange, animated=True)
        self.reference, = ax.plot([], [], ":", color="grey", animated=True)
        ax.legend(handles=[Line2D([], [], marker="o", ms=3, color=blue, label="‖∂L/∂h(t)‖"),
                           Line2D([], [], ls="--", color=orange, label="after clipping"),
                           Line2D([], [], ls=":", color="grey", label="ρ^(T−t) ‖∂L/∂h(T)‖")],
                  fontsize=8, loc="lower left")
        ax = self.ax_norm
        ax.set_yscale("log")
        ax.set_ylim(*YLIM)
        ax.set_xlim(-0.6, 1.6)
        ax.set_xticks([0, 1], ["‖∇_W L‖", "clipped"])
        ax.set_title("gradient of W", fontsize=11, loc="left")
        self.bars = [ax.plot([], [], lw=18, solid_capstyle="butt", color=col, animated=True)[0]
                     for col in (blue, orange)]

    def update(self, change=None):
        s = {name: control.value for name, control in self.controls.items()}
        self.grads = grads = gradient_through_time(s["rho"], s["T"], s["nonlinearity"],
                                                   seed=s["seed"], clip=s["clip"],
                                                   threshold=s["threshold"],
                                                   input_scale=s["input_scale"])
        t = np.arange(1, s["T"] + 1)
        self.line.set_data(t, _shown(grads.grad_h))
        if s["clip"]:
            self.clipped.set_data(t, _shown(grads.grad_h * grads.scale))
        else:
            self.clipped.set_data([], [])
        with np.errstate(over="ignore"):
            reference = grads.grad_h[-1] * float(s["rho"]) ** (s["T"] - t).astype(float)
        self.reference.set_data(t, _shown(reference))
        after = grads.grad_W * grads.scale if s["clip"] else grads.grad_W
        for k, value in enumerate([grads.grad_W, after]):
            self.bars[k].set_data([k, k], [YLIM[0], _shown(np.array([value]))[0]])
        say(self.message, *verdict(grads, s["rho"], s["nonlinearity"], s["clip"]))
        self.view.redraw()


def demo(rho=1.0, T=50, nonlinearity="tanh", clip=False, threshold=1.0, seed=0, input_scale=0.1):
    """The gradient-through-time demo: controls rho, T, nonlinearity, input_scale, clip,
    threshold and seed."""
    v = _GradientView(rho, T, nonlinearity, clip, threshold, seed, input_scale)
    return Demo(v.widget, v.controls, v.view)
