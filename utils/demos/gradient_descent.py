"""Gradient descent and its cousins on 1-D and 2-D surfaces (lesson I.5, with I.11 and I.15).

Model (numbers only, no widgets; the tests and the lesson use these directly):

- `SURFACES`: the objective functions J(θ₁, θ₂), each with its gradient, plot window,
  default start point and minima. The 1-D surfaces ignore θ₂ (their gradient along θ₂ is 0).
- `run_optimizer(surface, optimizer, lr, start, num_steps, ...)` runs one `torch.optim`
  optimizer on a 2-parameter tensor and returns a `Run`: the path (num_steps + 1, 2), the
  loss at every step, and the step at which |θ| left the bound (a diverged run stops there).
- `stability_threshold(optimizer, lam_max, momentum)`: the largest stable learning rate on
  a quadratic whose Hessian has largest eigenvalue `lam_max`.
- `hessian(surface, point)`: the 2 × 2 Hessian by torch autograd.

View: `demo(**defaults)` returns a `utils.widgets.Demo` (controls above one figure: the
surface with the paths on the left, the loss against the step on the right).

Introduced in units/unit1_deep_network_basics/03_gradient_based_optimization.ipynb.
"""
import html
import math
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
import torch
from matplotlib.ticker import LogLocator, NullLocator

from utils.widgets import Demo, FigureView, message, new_figure, one_thread, play_controls, say

BOUND = 1e6  # a run whose |θ₁| or |θ₂| exceeds this has diverged: it stops there
OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam")
COLORS = {"SGD": "#0072B2", "Momentum": "#E69F00", "Nesterov": "#009E73",
          "Adagrad": "#CC79A7", "RMSprop": "#56B4E9", "Adam": "#D55E00"}


# ----------------------------------------------------------------------------- surfaces
def _exp(v):
    """exp for Python floats, numpy arrays and torch tensors alike."""
    if isinstance(v, torch.Tensor):
        return torch.exp(v)
    if isinstance(v, np.ndarray):
        return np.exp(v)
    return math.exp(v)


def _parabola(x, y):
    return x * x


def _parabola_grad(x, y):
    return 2 * x, 0.0


def _quartic(x, y):
    return x * x * x * x - 3 * x * x + x


def _quartic_grad(x, y):
    return 4 * x * x * x - 6 * x + 1, 0.0


def _quadratic(x, y):
    return 0.5 * (x * x + 10 * y * y)


def _quadratic_grad(x, y):
    return x, 10 * y


# three Gaussian wells of different depths in a shallow bowl: (depth a, centre, width s)
WELLS = ((2.0, -1.5, 1.0, 0.8), (1.6, 1.4, 1.2, 0.7), (1.3, 0.2, -1.5, 0.8))


def _wells(x, y):
    value = 0.06 * (x * x + y * y)
    for a, cx, cy, s in WELLS:
        value = value - a * _exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * s * s))
    return value


def _wells_grad(x, y):
    gx, gy = 0.12 * x, 0.12 * y
    for a, cx, cy, s in WELLS:
        e = a * _exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * s * s)) / (s * s)
        gx, gy = gx + e * (x - cx), gy + e * (y - cy)
    return gx, gy


def _rosenbrock(x, y):
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)


def _rosenbrock_grad(x, y):
    return -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)


def _saddle(x, y):
    return x * x - y * y


def _saddle_grad(x, y):
    return 2 * x, -2 * y


@dataclass
class Surface:
    """An objective J(θ₁, θ₂) with its gradient. `f` and `grad` accept Python floats, numpy
    arrays or torch tensors. `minima` are the local minima (θ₁, θ₂); `f_min` is the global
    minimum value, or None when J is unbounded below; `critical` is the point whose Hessian
    the demo reports (the global minimum, or the saddle point)."""
    key: str
    label: str
    f: object
    grad: object
    dim: int
    xlim: tuple
    ylim: tuple
    start: tuple
    minima: list = field(default_factory=list)
    critical: tuple = (0.0, 0.0)
    f_min: float = None
    lr: float = 0.1  # the demo's learning rate when this surface is chosen

    def __call__(self, theta):
        """J at a point (θ₁, θ₂)."""
        return self.f(theta[0], theta[1])


def _descend(grad, start, lr=0.1, num_steps=5000):
    """Plain gradient descent in Python floats: used once to locate the minima."""
    x, y = start
    for _ in range(num_steps):
        gx, gy = grad(x, y)
        x, y = x - lr * gx, y - lr * gy
    return x, y


def quadratic_surface(H, key="custom quadratic", window=3.0, start=(-2.5, 2.0)):
    """The quadratic J(θ) = ½ θᵀ H θ for a symmetric positive definite 2 × 2 matrix H."""
    H = np.asarray(H, dtype=float)
    a, b, c = float(H[0, 0]), float(H[0, 1]), float(H[1, 1])

    def f(x, y):
        return 0.5 * (a * x * x + 2 * b * x * y + c * y * y)

    def grad(x, y):
        return a * x + b * y, b * x + c * y

    return Surface(key, f"J = ½ θᵀHθ, H = [[{a:g}, {b:g}], [{b:g}, {c:g}]]", f, grad, 2,
                   (-window, window), (-window, window), start, [(0.0, 0.0)], (0.0, 0.0), 0.0)


def _make_surfaces():
    quartic_minima = [(float(r.real), 0.0) for r in np.roots([4, 0, -6, 1])
                      if abs(r.imag) < 1e-12 and 12 * r.real ** 2 - 6 > 0]
    wells_minima = [_descend(_wells_grad, (cx, cy)) for _, cx, cy, _ in WELLS]
    surfaces = [
        Surface("parabola", "1-D: J = θ²", _parabola, _parabola_grad, 1,
                (-3.0, 3.0), (-0.6, 9.6), (2.5, 0.0), [(0.0, 0.0)], lr=0.1),
        Surface("quartic", "1-D: J = θ⁴ − 3θ² + θ (non-convex)", _quartic, _quartic_grad, 1,
                (-2.2, 2.2), (-4.5, 10.0), (2.0, 0.0), quartic_minima, lr=0.02),
        Surface("quadratic", "2-D: J = ½(θ₁² + 10θ₂²) (ill-conditioned)", _quadratic,
                _quadratic_grad, 2, (-3.0, 3.0), (-3.0, 3.0), (-2.5, 2.0), [(0.0, 0.0)],
                lr=0.18),
        Surface("wells", "2-D: three wells (several minima)", _wells, _wells_grad, 2,
                (-3.0, 3.0), (-3.0, 3.0), (2.6, -0.4), wells_minima, lr=0.1),
        Surface("rosenbrock", "2-D: Rosenbrock (1 − θ₁)² + 100(θ₂ − θ₁²)²", _rosenbrock,
                _rosenbrock_grad, 2, (-2.0, 2.0), (-1.0, 3.0), (-1.2, 1.0), [(1.0, 1.0)],
                lr=0.001),
        Surface("saddle", "2-D: saddle J = θ₁² − θ₂²", _saddle, _saddle_grad, 2,
                (-2.0, 2.0), (-2.0, 2.0), (1.8, 0.05), [], lr=0.1),
    ]
    for surface in surfaces:
        if surface.minima:
            values = [surface(m) for m in surface.minima]
            surface.f_min = float(min(values))
            surface.critical = tuple(surface.minima[int(np.argmin(values))])
    return {surface.key: surface for surface in surfaces}


SURFACES = _make_surfaces()


def hessian(surface, point):
    """The Hessian matrix (2, 2) of `surface` at `point`, by torch autograd."""
    theta = torch.tensor(point, dtype=torch.float64)
    return torch.autograd.functional.hessian(lambda p: surface.f(p[0], p[1]), theta).numpy()


# --------------------------------------------------------------------------- optimizers
def make_optimizer(name, params, lr, momentum=0.9):
    """The torch.optim optimizer called `name` (one of OPTIMIZERS). Momentum β is used by
    "Momentum" and "Nesterov" (Nesterov with β = 0 is plain SGD, since torch refuses it);
    Adagrad, RMSprop and Adam keep torch's defaults apart from the learning rate."""
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr)
    if name == "Momentum":
        return torch.optim.SGD(params, lr=lr, momentum=momentum)
    if name == "Nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=momentum > 0)
    if name == "Adagrad":
        return torch.optim.Adagrad(params, lr=lr)
    if name == "RMSprop":
        return torch.optim.RMSprop(params, lr=lr)
    if name == "Adam":
        return torch.optim.Adam(params, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")


@dataclass
class Run:
    """One optimizer's trajectory. Rows of `path` and `losses` after a divergence are nan."""
    optimizer: str
    path: np.ndarray  # (num_steps + 1, 2)
    losses: np.ndarray  # (num_steps + 1,)
    diverged_at: int = None  # first step at which |θ₁| or |θ₂| exceeded BOUND


def _surface(surface):
    return SURFACES[surface] if isinstance(surface, str) else surface


def run_optimizer(surface, optimizer="SGD", lr=0.1, start=None, num_steps=50,
                  momentum=0.9, noise=0.0, seed=0):
    """Run `optimizer` (one of OPTIMIZERS) from `start` for `num_steps` steps on `surface`
    (a key of SURFACES or a Surface) and return a Run.

    Each step sets the gradient of J (plus Gaussian noise of std `noise`, the same draws for
    every optimizer with the same seed: a stand-in for the noise of a mini-batch gradient)
    on a float64 tensor of 2 parameters and calls `optimizer.step()`. The run stops when
    |θ₁| or |θ₂| exceeds BOUND, so huge values never overflow or warn."""
    surface = _surface(surface)
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"the learning rate must be a positive number, got {lr}")
    if not (0 <= momentum < 1):
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    num_steps = int(num_steps)
    start = surface.start if start is None else start
    x = float(start[0])
    y = float(start[1]) if surface.dim == 2 else 0.0  # a 1-D surface ignores θ₂
    path = np.full((num_steps + 1, 2), np.nan)
    path[0] = x, y
    diverged_at = None
    if not (abs(x) <= BOUND and abs(y) <= BOUND):
        diverged_at = 0
    else:
        draws = noise * np.random.default_rng(seed).standard_normal((num_steps, 2))
        if surface.dim == 1:
            draws[:, 1] = 0.0
        theta = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
        theta.grad = torch.zeros(2, dtype=torch.float64)
        # numpy views of the same memory: writing the gradient and reading θ cost no new
        # tensors (a new tensor per step was a third of the demo's recompute time)
        grad_np, theta_np = theta.grad.numpy(), theta.detach().numpy()
        opt = make_optimizer(optimizer, [theta], lr, momentum)
        for k in range(1, num_steps + 1):
            gx, gy = surface.grad(x, y)
            grad_np[0], grad_np[1] = gx + draws[k - 1, 0], gy + draws[k - 1, 1]
            opt.step()  # updates theta (and theta_np) in place
            x, y = float(theta_np[0]), float(theta_np[1])
            path[k] = x, y
            if not (abs(x) <= BOUND and abs(y) <= BOUND):
                diverged_at = k
                break
    with np.errstate(all="ignore"):  # a start point beyond BOUND may overflow: inf, no warning
        losses = np.asarray(surface.f(path[:, 0], path[:, 1]), dtype=float)
    return Run(optimizer, path, losses, diverged_at)


def stability_threshold(optimizer, lam_max, momentum=0.9):
    """The largest learning rate for which `optimizer` converges on a quadratic whose Hessian
    has largest eigenvalue `lam_max` (> 0); None for the adaptive optimizers, whose step
    size does not scale with the gradient.

    On the eigen-direction of λ, plain GD multiplies the error by (1 − αλ) per step: stable
    iff α < 2/λ. Heavy-ball momentum (torch's SGD with momentum β) is stable iff
    α < 2(1 + β)/λ, torch's Nesterov iff α < 2(1 + β)/((1 + 2β)λ) (from the 2 × 2 linear
    recurrence of (θ, velocity))."""
    if optimizer == "SGD":
        return 2.0 / lam_max
    if optimizer == "Momentum":
        return 2.0 * (1 + momentum) / lam_max
    if optimizer == "Nesterov":
        return 2.0 * (1 + momentum) / ((1 + 2 * momentum) * lam_max)
    return None


def surface_facts(surface, momentum=0.9, eigenvalues=None):
    """The curvature facts the demo states about `surface`: Hessian eigenvalues at its
    critical point (pass them as `eigenvalues` if known), condition number and (where they
    exist) the stable learning rates."""
    surface = _surface(surface)
    if eigenvalues is None:
        H = hessian(surface, surface.critical)
        eigenvalues = np.linalg.eigvalsh(H[:1, :1] if surface.dim == 1 else H)  # ascending
    eig = np.asarray(eigenvalues)
    lam_min, lam_max = float(eig[0]), float(eig[-1])
    facts = {"eigenvalues": eig, "lam_max": lam_max, "lam_min": lam_min,
             "condition": lam_max / lam_min if lam_min > 0 else None}
    if lam_min > 0:
        facts["thresholds"] = {name: stability_threshold(name, lam_max, momentum)
                               for name in ("SGD", "Momentum", "Nesterov")}
    return facts


def growth_message(run, k):
    """Text explaining a run that diverged or whose loss grew by step k, or ""."""
    if run.diverged_at is not None and run.diverged_at <= k:
        return f"{run.optimizer} diverged at step {run.diverged_at}: |θ| exceeded {BOUND:.0e}"
    if k >= 1 and run.losses[k] > run.losses[0] + 1e-9 * (1 + abs(run.losses[0])):
        return (f"{run.optimizer} is not converging: J grew from {run.losses[0]:.3g} "
                f"to {run.losses[k]:.3g} by step {k}")
    return ""


# --------------------------------------------------------------------------------- view
def _fmt(value):
    return "–" if value is None or not np.isfinite(value) else f"{value:.3g}"


class _GradientDescentView:
    """Controls + one figure: the surface with the optimizers' paths, and J against step."""

    def __init__(self, surface="quadratic", lr=None, momentum=0.5, num_steps=50,
                 optimizers=("SGD", "Momentum", "Adam"), noise=0.0, start=None):
        self._busy = False
        self._eigenvalues = {}  # surface key -> Hessian eigenvalues at its critical point
        self.surface = SURFACES[surface]
        self.runs = {}
        self.k = num_steps
        self._make_controls(surface, lr, momentum, num_steps, optimizers, noise)
        self._make_figure()
        self._set_start_sliders(self.surface, start)
        if lr is not None:
            self.controls["lr"].value = lr
        self._show_surface()
        self._recompute()
        self._update_artists()
        self.view = FigureView(self.fig, key=self._background_key())
        self._observe()

    # ---- controls
    def _make_controls(self, surface, lr, momentum, num_steps, optimizers, noise):
        wide = widgets.Layout(width="330px")
        style = {"description_width": "initial"}
        c = {}
        c["surface"] = widgets.Dropdown(
            options=[(s.label, key) for key, s in SURFACES.items()], value=surface,
            description="surface", layout=widgets.Layout(width="390px"))
        c["lr"] = widgets.FloatLogSlider(value=SURFACES[surface].lr, base=10, min=-5, max=2,
                                         step=0.01, description="learning rate α",
                                         readout_format=".3g", style=style, layout=wide)
        c["momentum"] = widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                            description="momentum β", style=style,
                                            layout=widgets.Layout(width="260px"))
        c["x0"] = widgets.FloatSlider(description="start θ₁", step=0.01, style=style,
                                      layout=widgets.Layout(width="250px"))
        c["y0"] = widgets.FloatSlider(description="start θ₂", step=0.01, style=style,
                                      layout=widgets.Layout(width="250px"))
        c["num_steps"] = widgets.IntSlider(value=num_steps, min=1, max=500,
                                           description="steps", style=style,
                                           layout=widgets.Layout(width="250px"))
        c["noise"] = widgets.FloatSlider(value=noise, min=0.0, max=5.0, step=0.1,
                                         description="gradient noise σ", style=style,
                                         layout=widgets.Layout(width="260px"))
        for name in OPTIMIZERS:
            c[name] = widgets.Checkbox(
                value=name in optimizers, indent=False, description_allow_html=True,
                description=f'<b style="color:{COLORS[name]}">■</b> {name}',
                layout=widgets.Layout(width="110px"))
        play_box, c["play"] = play_controls(self.step, self.reset, interval_ms=100)
        c["step_button"], c["reset_button"] = play_box.children[1], play_box.children[2]
        c["step"] = widgets.IntSlider(value=num_steps, min=0, max=num_steps,
                                      description="show step", style=style,
                                      layout=widgets.Layout(width="330px"))
        self.controls = c
        self.facts_line = widgets.HTML()
        self.message = message()
        self.table = widgets.HTML()
        self.rows = [
            widgets.HBox([c["surface"], c["lr"], c["momentum"]]),
            widgets.HBox([c["x0"], c["y0"], c["num_steps"], c["noise"]]),
            widgets.HBox([c[name] for name in OPTIMIZERS]),
            widgets.HBox([play_box, c["step"]]),
            self.facts_line, self.message]

    def _observe(self):
        c = self.controls
        c["surface"].observe(self._on_surface, names="value")
        for name in ("lr", "momentum", "x0", "y0", "noise", *OPTIMIZERS):
            c[name].observe(self._on_setting, names="value")
        c["num_steps"].observe(self._on_num_steps, names="value")
        c["step"].observe(self._on_step_slider, names="value")

    def _set_start_sliders(self, surface, start=None):
        """Put the start sliders on the surface's window and its default start point."""
        start = surface.start if start is None else start
        self._busy = True
        self.controls["lr"].value = surface.lr
        for name, (lo, hi), value in (("x0", surface.xlim, start[0]),
                                      ("y0", surface.ylim if surface.dim == 2 else (-1, 1),
                                       start[1] if surface.dim == 2 else 0.0)):
            slider = self.controls[name]
            slider.min = min(lo, slider.min)  # keep min <= max while moving the range
            slider.max = hi
            slider.min = lo
            slider.value = value
        self.controls["y0"].disabled = surface.dim == 1
        self._busy = False

    # ---- figure
    def _make_figure(self):
        # fixed margins, not the constrained layout: that would halve the speed of the full
        # redraw that a new surface needs (measured); these fit every surface's labels
        self.fig = new_figure(8.8, 3.5, dpi=80, layout="none")
        self.fig.subplots_adjust(left=0.07, right=0.985, bottom=0.13, top=0.92, wspace=0.25)
        self.ax, self.ax_loss = self.fig.subplots(1, 2, width_ratios=[1.15, 1])
        # Fixed places for the axis labels (axes coordinates) and titles (y=1.0 in
        # set_title): placed automatically, matplotlib measures every tick label's box
        # at each full draw to move them clear of the ticks, a third of the draw (profiled)
        for axes in (self.ax, self.ax_loss):
            axes.xaxis.set_label_coords(0.5, -0.105)
        self.ax.yaxis.set_label_coords(-0.125, 0.5)
        self.ax_loss.yaxis.set_label_coords(-0.15, 0.5)
        self.backgrounds = {}  # surface key -> its static artists, drawn once, then toggled
        self.lines, self.heads, self.loss_lines = {}, {}, {}
        for name in OPTIMIZERS:
            color = COLORS[name]
            self.lines[name], = self.ax.plot([], [], "-o", color=color, lw=1.6, ms=2.5,
                                             animated=True)
            self.heads[name], = self.ax.plot([], [], "o", color=color, ms=8, mec="black",
                                             mew=0.8, animated=True)
            self.loss_lines[name], = self.ax_loss.plot([], [], color=color, lw=1.6,
                                                       animated=True)
        self.start_marker, = self.ax.plot([], [], "s", color="black", ms=6, animated=True)
        self.tangent, = self.ax.plot([], [], "--", color="black", lw=1.0, animated=True)
        self.step_marker = self.ax_loss.axvline(0, color="grey", lw=0.8, animated=True)
        self.ax_loss.set_xlabel("step k")

    def _background(self, surface):
        """Contours (2-D) or the curve (1-D) of `surface`, built the first time it is shown."""
        if surface.key in self.backgrounds:
            return self.backgrounds[surface.key]
        artists = []
        if surface.dim == 1:
            theta = np.linspace(*surface.xlim, 400)
            artists += self.ax.plot(theta, surface.f(theta, 0.0), color="0.35", lw=1.5)
        else:
            x = np.linspace(*surface.xlim, 140)
            y = np.linspace(*surface.ylim, 140)
            X, Y = np.meshgrid(x, y)  # (140, 140) each
            Z = surface.f(X, Y)
            if surface.f_min is None:
                levels = np.linspace(Z.min(), Z.max(), 17)
            else:
                levels = surface.f_min + np.geomspace(1e-3, 1, 16) * (Z.max() - surface.f_min)
            artists.append(self.ax.contourf(X, Y, Z, levels=levels, cmap="Greys_r", alpha=0.45,
                                            extend="both"))
            artists.append(self.ax.contour(X, Y, Z, levels=levels, colors="0.45",
                                           linewidths=0.5))
        points = surface.minima if surface.minima else [surface.critical]
        marker = "*" if surface.minima else "X"
        for point in points:
            py = point[1] if surface.dim == 2 else surface(point)
            artists += self.ax.plot(point[0], py, marker, color="white", mec="black",
                                    ms=13 if marker == "*" else 10, zorder=3)
        self.backgrounds[surface.key] = artists
        return artists

    def _show_surface(self):
        s = self.surface
        for key, artists in self.backgrounds.items():
            for artist in artists:
                artist.set_visible(key == s.key)
        self._background(s)
        self.ax.set_xlim(*s.xlim)
        self.ax.set_ylim(*s.ylim)
        self.ax.set_aspect("equal" if s.dim == 2 else "auto", adjustable="box")
        self.ax.set_xlabel("θ" if s.dim == 1 else "θ₁")
        self.ax.set_ylabel("J(θ)" if s.dim == 1 else "θ₂")
        self.ax.set_title(s.label, fontsize=10, y=1.0)
        if s.f_min is None:
            self.ax_loss.set_yscale("symlog", linthresh=1e-2)
            self.ax_loss.set_ylim(-1e4, 1e2)
            self.ax_loss.set_yticks([-1e4, -1e2, -1, 0, 1, 1e2])
            self.ax_loss.set_ylabel("J(θₖ)  (unbounded below)")
        else:
            x = np.linspace(*s.xlim, 60)
            y = np.linspace(*s.ylim, 60) if s.dim == 2 else np.zeros(1)
            top = float(np.max(s.f(*np.meshgrid(x, y))) - s.f_min)  # J - J* over the window
            self.ax_loss.set_yscale("log")  # (resets the ticks set for the saddle)
            self.ax_loss.set_ylim(1e-10, 10 * top)
            self.ax_loss.set_ylabel("J(θₖ) − J*")
            self.ax_loss.yaxis.set_major_locator(LogLocator(numticks=7))
        self.ax_loss.yaxis.set_minor_locator(NullLocator())  # fewer ticks: faster full redraws
        self.ax_loss.set_xlim(0, self.controls["num_steps"].value)
        self.ax_loss.set_title("loss against step (log scale)", fontsize=10, y=1.0)

    # ---- model
    def _settings_problem(self):
        """Text if the current settings cannot be run, else ""."""
        c = self.controls
        lr, beta = c["lr"].value, c["momentum"].value
        if not (math.isfinite(lr) and lr > 0):
            return "The learning rate must be a positive number."
        if not (0 <= beta < 1):
            return "Momentum β must be in [0, 1)."
        if not (math.isfinite(c["noise"].value) and c["noise"].value >= 0):
            return "The gradient noise σ must be a number ≥ 0."
        if not (math.isfinite(c["x0"].value) and math.isfinite(c["y0"].value)):
            return "The start point must be finite."
        return ""

    @one_thread()  # the Hessian of a new surface and the optimizers' runs
    def _recompute(self):
        c = self.controls
        self.problem = self._settings_problem()
        self.runs = {}
        self.facts_line.value = self._facts_html(c["lr"].value, c["momentum"].value)
        if self.problem:
            return
        for name in OPTIMIZERS:
            if c[name].value:
                self.runs[name] = run_optimizer(
                    self.surface, name, c["lr"].value, (c["x0"].value, c["y0"].value),
                    c["num_steps"].value, c["momentum"].value, c["noise"].value)

    # ---- drawing
    def _display_xy(self, run, k):
        """Plot coordinates of the path up to step k, clipped far outside the window so that
        a diverging path leaves the plot without huge numbers reaching the renderer."""
        s = self.surface
        path = run.path[:k + 1]
        x = np.clip(path[:, 0], s.xlim[0] - 100, s.xlim[1] + 100)
        if s.dim == 1:
            y = np.clip(run.losses[:k + 1], s.ylim[0] - 1e3, s.ylim[1] + 1e3)
        else:
            y = np.clip(path[:, 1], s.ylim[0] - 100, s.ylim[1] + 100)
        return x, y

    def _display_loss(self, run, k):
        if self.surface.f_min is None:
            return np.clip(np.nan_to_num(run.losses[:k + 1], nan=1e12), -1e12, 1e12)
        gap = np.nan_to_num(run.losses[:k + 1] - self.surface.f_min, nan=1e12)
        return np.clip(gap, 1e-14, 1e12)

    def _update_artists(self):
        k = self.k
        for name in OPTIMIZERS:
            run = self.runs.get(name)
            for artist in (self.lines[name], self.heads[name], self.loss_lines[name]):
                artist.set_visible(run is not None)
            if run is None:
                continue
            x, y = self._display_xy(run, k)
            self.lines[name].set_data(x, y)
            self.heads[name].set_data(x[-1:], y[-1:])
            self.loss_lines[name].set_data(np.arange(k + 1), self._display_loss(run, k))
        c = self.controls
        s = self.surface
        x0 = c["x0"].value
        y0 = c["y0"].value if s.dim == 2 else s.f(x0, 0.0)
        self.start_marker.set_data([x0], [y0])
        self.step_marker.set_xdata([k, k])
        self._update_tangent()
        self._update_text()

    def _update_tangent(self):
        """On a 1-D surface: the tangent at the first optimizer's current θ (slope J'(θ))."""
        run = next(iter(self.runs.values()), None)
        visible = self.surface.dim == 1 and run is not None and run.diverged_at is None
        self.tangent.set_visible(visible)
        if visible:
            theta = run.path[self.k, 0]
            slope = self.surface.grad(theta, 0.0)[0]
            dx = np.array([-0.6, 0.6])
            self.tangent.set_data(theta + dx, run.losses[self.k] + slope * dx)

    def _update_text(self):
        c = self.controls
        if self.problem:
            say(self.message, self.problem, "warn")
        elif not self.runs:
            say(self.message, "Tick at least one optimizer to draw its path.")
        else:
            texts = [growth_message(run, self.k) for run in self.runs.values()]
            texts = [t for t in texts if t]
            if texts and self.surface.f_min is None:
                texts.append("(θ₁² − θ₂² has no minimum: J → −∞ along θ₂)")
            say(self.message, "; ".join(texts), "warn")
        self.table.value = self._table_html()

    def _facts_html(self, lr, beta):
        s = self.surface
        if not (math.isfinite(lr) and 0 <= beta < 1):
            return ""
        if s.key not in self._eigenvalues:
            self._eigenvalues[s.key] = surface_facts(s)["eigenvalues"]
        facts = surface_facts(s, beta, self._eigenvalues[s.key])
        where = f"θ* = ({s.critical[0]:.3g}{'' if s.dim == 1 else f', {s.critical[1]:.3g}'})"
        if facts["lam_min"] <= 0:
            eig = ", ".join(f"{e:.3g}" for e in facts["eigenvalues"])
            return (f"Hessian at the critical point {where}: eigenvalues {eig}. One is "
                    "negative, so it is a <b>saddle point</b>, not a minimum: GD escapes "
                    "along θ₂ unless θ₂ starts at exactly 0.")
        t = facts["thresholds"]
        exact = s.key in ("parabola", "quadratic")
        curv = (f"J″ = {facts['lam_max']:.3g}" if s.dim == 1 else
                f"Hessian eigenvalues {facts['lam_min']:.3g}, {facts['lam_max']:.3g} "
                f"(condition number κ = {facts['condition']:.3g})")
        ratio = lr * facts["lam_max"]
        color = "#D55E00" if ratio >= 2 else "#333333"
        return (f"At the minimum {where}: {curv}. {'' if exact else 'Near θ*, '}"
                f"GD is stable iff α &lt; 2/λmax = {t['SGD']:.3g}; with momentum β = {beta:.2f} "
                f"iff α &lt; 2(1+β)/λmax = {t['Momentum']:.3g}; Nesterov iff α &lt; "
                f"{t['Nesterov']:.3g}. <span style='color:{color}'>Now α·λmax = "
                f"{ratio:.3g}</span>. Adagrad, RMSprop and Adam scale their own steps.")

    def _table_html(self):
        if not self.runs:
            return ""
        k = self.k
        rows = []
        for name, run in self.runs.items():
            theta = run.path[k]
            if np.all(np.isfinite(theta)) and run.diverged_at is None:
                gx, gy = self.surface.grad(float(theta[0]), float(theta[1]))
                grad_norm = math.hypot(gx, gy)
                step = (float(np.hypot(*(run.path[k] - run.path[k - 1]))) if k >= 1 else None)
                cells = [_fmt(run.losses[k]), _fmt(grad_norm), _fmt(step)]
            else:
                cells = ["diverged", "–", "–"]
            rows.append(f"<tr><td style='color:{COLORS[name]}'><b>{html.escape(name)}</b></td>"
                        + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
        head = ("<tr><th>step " + str(k) + "</th><th>J(θₖ)</th><th>‖∇J(θₖ)‖</th>"
                "<th>step length ‖θₖ − θₖ₋₁‖</th></tr>")
        return ("<table style='font-size:90%;border-spacing:12px 0'>" + head + "".join(rows)
                + "</table>")

    def _background_key(self):
        """What the non-animated part of the figure depends on: the surface (contours, axes,
        titles) and the number of steps (the loss axis). Each one is drawn in full once and
        then reused by the FigureView, so switching back to a surface costs a blit."""
        return self.surface.key, self.controls["num_steps"].value

    def _draw(self, full=False):
        self._update_artists()
        self.view.redraw(full=full, key=self._background_key())

    # ---- callbacks
    def _on_surface(self, change):
        self.surface = SURFACES[change["new"]]
        self._set_start_sliders(self.surface)
        self._show_surface()
        self._recompute()
        self._draw(full=True)

    def _on_setting(self, change):
        if self._busy:
            return
        self._recompute()
        self._draw()

    def _on_num_steps(self, change):
        num_steps = change["new"]
        at_end = self.k >= change["old"]
        self._busy = True
        slider = self.controls["step"]
        slider.max = num_steps
        self.k = num_steps if at_end else min(self.k, num_steps)
        slider.value = self.k
        self._busy = False
        self.ax_loss.set_xlim(0, num_steps)
        self._recompute()
        self._draw(full=True)

    def _on_step_slider(self, change):
        if self._busy:
            return
        self.k = change["new"]
        self._draw()

    def _go_to(self, k):
        self.k = k
        self._busy = True
        self.controls["step"].value = k
        self._busy = False
        self._draw()

    def step(self):
        """Advance the shown step by one frame; from the last step, start again at 0."""
        num_steps = self.controls["num_steps"].value
        if self.k >= num_steps:
            self._go_to(0)
            return
        k = min(num_steps, self.k + max(1, num_steps // 40))
        if k == num_steps:
            self.controls["play"].playing = False
        self._go_to(k)

    def reset(self):
        self._go_to(0)


def demo(surface="quadratic", lr=None, momentum=0.5, num_steps=50,
         optimizers=("SGD", "Momentum", "Adam"), noise=0.0, start=None):
    """The gradient-descent demo: pick a surface, learning rate, momentum, start point and
    optimizers; their paths are drawn on the surface and their losses against the step.
    Choosing a surface resets the start point and the learning rate to its defaults (`lr`
    None: the surface's own)."""
    view = _GradientDescentView(surface, lr, momentum, num_steps, optimizers, noise, start)
    widget = widgets.VBox([*view.rows, view.view.image, view.table])
    return Demo(widget, view.controls, view.view)
