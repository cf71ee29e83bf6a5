"""Vanishing and exploding gradients: per-layer gradient norms of a deep MLP (lesson I.15).

Model (numbers only, no widgets; the tests and the lesson use these directly):

- The network: `depth` hidden layers of `width` units, h⁽ˡ⁾ = g(a⁽ˡ⁾) with
  a⁽ˡ⁾ = W⁽ˡ⁾h⁽ˡ⁻¹⁾ (no biases: they start at 0 and change nothing at initialisation),
  optionally with batch normalisation of a⁽ˡ⁾ (batch statistics, γ = 1, β = 0) and with
  residual connections h⁽ˡ⁾ = h⁽ˡ⁻¹⁾ + g(a⁽ˡ⁾); then an output layer of N_CLASSES logits
  and the cross-entropy loss J against random labels.
- The inputs: N_SAMPLES = 64 vectors x ~ N(0, I) of dimension `width`, fixed by the seed,
  with random labels. Why not images: the initialisation rules assume zero-mean,
  unit-variance inputs, which is what standardised data gives, and the effects shown here
  belong to the network, not to the data; Gaussian inputs of any width need no projection
  and no loading. Why 64: the statistics of 64 × width numbers per layer are stable, and a
  pass through 50 layers of 256 units stays at a few tens of ms on one core. Any other
  batch (e.g. Fashion-MNIST images projected to `width` features) can be passed as X, y.
- `gradient_profile(depth, width, activation, init, residual, batch_norm, seed)` runs one
  forward and backward pass (torch autograd, float32 as in training) and returns a
  `Profile`: ‖∂J/∂W⁽ˡ⁾‖ for every layer (the output layer last; inf/NaN when the numbers
  overflowed), the mean and standard deviation of every h⁽ˡ⁾, and the fraction of units
  whose slope g'(a) is nearly 0 (saturated sigmoid/tanh, ReLU off).
- `init_std(init, n_in, n_out)`: the standard deviation of each initialisation rule.

View: `demo(**defaults)` returns a `utils.widgets.Demo`: controls above one figure with the
gradient norms (log scale) on top and the activation statistics below.
"""
import math
from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.lines import Line2D

from utils.widgets import OKABE_ITO, Demo, FigureView, message, new_figure, one_thread, say

MAX_DEPTH = 50
MAX_WIDTH = 256
N_SAMPLES = 64  # the fixed batch: enough for stable statistics, small enough for ~20 ms
N_CLASSES = 10
BN_EPS = 1e-5  # as in torch.nn.BatchNorm1d
FLAT = 0.05  # a unit is "flat" when |g'(a)| < FLAT × the largest slope of g

ACTIVATIONS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU",
               "leaky_relu": "leaky ReLU (0.01)", "gelu": "GELU", "identity": "identity (linear)"}
INITS = {"zero": "zero (W = 0)", "small": "small N(0, 0.01²)",
         "xavier": "Xavier/Glorot N(0, 2/(n_in+n_out))", "he": "He/Kaiming N(0, 2/n_in)",
         "large": "large N(0, 1)"}
MAX_SLOPE = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "leaky_relu": 1.0,
             "gelu": 1.1289, "identity": 1.0}  # max over a of |g'(a)|


# ------------------------------------------------------------------------------- model
def init_std(init, n_in, n_out):
    """Standard deviation of the weights of an (n_out × n_in) layer under rule `init`."""
    if init == "zero":
        return 0.0
    if init == "small":
        return 0.01
    if init == "xavier":
        return math.sqrt(2.0 / (n_in + n_out))
    if init == "he":
        return math.sqrt(2.0 / n_in)
    if init == "large":
        return 1.0
    raise ValueError(f"unknown init {init!r}; choose one of {list(INITS)}")


def activate(activation, a):
    """g(a) for the activation called `activation` (a key of ACTIVATIONS)."""
    if activation == "sigmoid":
        return torch.sigmoid(a)
    if activation == "tanh":
        return torch.tanh(a)
    if activation == "relu":
        return torch.relu(a)
    if activation == "leaky_relu":
        return F.leaky_relu(a, 0.01)
    if activation == "gelu":
        return F.gelu(a)
    if activation == "identity":
        return a
    raise ValueError(f"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}")


def slope(activation, a):
    """g'(a): the factor by which the activation scales the backward signal, unit by unit."""
    if activation == "sigmoid":  # σ(a)(1 − σ(a)), written so that 1 − σ(a) never rounds to 0
        return torch.sigmoid(a) * torch.sigmoid(-a)
    if activation == "tanh":
        return 1 - torch.tanh(a) ** 2
    if activation == "relu":
        return (a > 0).to(a.dtype)
    if activation == "leaky_relu":
        return torch.where(a > 0, 1.0, 0.01).to(a.dtype)
    if activation == "gelu":  # d/da [a Φ(a)] = Φ(a) + a φ(a)
        Phi = 0.5 * (1 + torch.erf(a / math.sqrt(2)))
        return Phi + a * torch.exp(-a * a / 2) / math.sqrt(2 * math.pi)
    if activation == "identity":
        return torch.ones_like(a)
    raise ValueError(f"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}")


@lru_cache(maxsize=4 * (MAX_DEPTH + 2))
def _standard_normals(seed, layer):
    """Standard normal draws for `layer` (0..MAX_DEPTH - 1: hidden, MAX_DEPTH: output,
    MAX_DEPTH + 1: the batch) of the largest network, made once per seed and layer.

    A network of width w uses the top-left w × w block of each matrix (itself a matrix of
    independent N(0, 1) draws) scaled by its init's std: changing depth, width or init
    then costs no new random numbers, and the same seed gives the same network everywhere."""
    g = torch.Generator().manual_seed(1000 * int(seed) + layer)
    if layer < MAX_DEPTH:
        return torch.randn(MAX_WIDTH, MAX_WIDTH, generator=g)  # (256, 256) hidden layer
    if layer == MAX_DEPTH:
        return torch.randn(N_CLASSES, MAX_WIDTH, generator=g)  # (10, 256) output layer
    X = torch.randn(N_SAMPLES, MAX_WIDTH, generator=g)  # (64, 256) inputs
    y = torch.randint(0, N_CLASSES, (N_SAMPLES,), generator=g)  # (64,) labels
    return X, y


def make_weights(depth, width, init, seed=0):
    """The weight matrices [W⁽¹⁾, ..., W⁽ᴸ⁾, W_out]: depth × (width, width), then (10, width)."""
    _check_size(depth, width)
    std = init_std(init, width, width)
    hidden = [std * _standard_normals(seed, l)[:width, :width] for l in range(depth)]
    output = init_std(init, width, N_CLASSES) * _standard_normals(seed, MAX_DEPTH)[:, :width]
    return hidden + [output]


def make_batch(width, seed=0):
    """The fixed batch: X (N_SAMPLES, width) ~ N(0, 1) and labels y (N_SAMPLES,) in 0..9."""
    _check_size(1, width)
    X, y = _standard_normals(seed, MAX_DEPTH + 1)
    return X[:, :width], y


def _check_size(depth, width):
    if not (1 <= depth <= MAX_DEPTH and 1 <= width <= MAX_WIDTH):
        raise ValueError(f"depth must be in 1..{MAX_DEPTH} and width in 1..{MAX_WIDTH}, "
                         f"got depth {depth}, width {width}")


def forward(weights, X, activation, residual=False, batch_norm=False):
    """Run the network: returns the logits (N, 10), the pre-activations a⁽ˡ⁾ (after batch
    norm, if on) and the layer outputs h⁽ˡ⁾, one (N, width) tensor per hidden layer."""
    h, pre, outs = X, [], []
    for W in weights[:-1]:
        a = h @ W.T  # (N, width)
        if batch_norm:  # (a - batch mean) / sqrt(batch variance + eps), unit by unit
            a = F.batch_norm(a, None, None, training=True, eps=BN_EPS)
        h = h + activate(activation, a) if residual else activate(activation, a)
        pre.append(a)
        outs.append(h)
    return h @ weights[-1].T, pre, outs  # logits (N, 10)


@dataclass
class Profile:
    """What one forward/backward pass measured, layer by layer."""
    grad_norms: np.ndarray  # (depth + 1,) ‖∂J/∂W⁽ˡ⁾‖ (Frobenius), the output layer last
    act_mean: np.ndarray  # (depth,) mean of h⁽ˡ⁾ over the batch and the units
    act_std: np.ndarray  # (depth,) standard deviation of h⁽ˡ⁾ (population, over the same)
    flat: np.ndarray  # (depth,) fraction of units with |g'(a)| < FLAT × max slope
    loss: float

    @property
    def overflow(self):
        """Layers (1-based; depth + 1 is the output layer) whose gradient is inf or NaN."""
        return [l + 1 for l, v in enumerate(self.grad_norms) if not math.isfinite(v)]



def gradient_profile(depth=20, width=128, activation="sigmoid", init="small",
                     residual=False, batch_norm=False, seed=0, X=None, y=None, weights=None):
    """One forward and backward pass on the fixed batch (or on X (N, width), y (N,)) and
    the per-layer numbers the demo plots. `weights` (a list like make_weights returns)
    replaces the `init` rule. Never raises on overflow: gradients that overflow float32
    come back as inf or NaN."""
    with one_thread(), torch.enable_grad():
        if weights is None:
            weights = [W.requires_grad_() for W in make_weights(depth, width, init, seed)]
        else:  # leave the caller's tensors alone
            weights = [W.detach().clone().requires_grad_() for W in weights]
        depth, width = len(weights) - 1, weights[0].shape[1]
        if X is None:
            X, y = make_batch(width, seed)
        logits, pre, outs = forward(weights, X, activation, residual, batch_norm)
        loss = F.cross_entropy(logits, y)
        grads = torch.autograd.grad(loss, weights)
        with torch.no_grad():
            norms = torch.stack([torch.linalg.vector_norm(g) for g in grads]).double()
            for l in torch.nonzero(torch.isinf(norms)).flatten().tolist():
                # the float32 sum of squares overflowed: redo it in float64 (inf stays inf)
                norms[l] = torch.linalg.vector_norm(grads[l].double())
            H = torch.stack(outs).reshape(depth, -1).double()  # (depth, N * width)
            mean = H.mean(dim=1)
            std = torch.linalg.vector_norm(H - mean[:, None], dim=1) / math.sqrt(H.shape[1])
            flat = slope(activation, torch.stack(pre)).abs() < FLAT * MAX_SLOPE[activation]
            return Profile(grad_norms=norms.numpy(),
                           act_mean=mean.numpy(), act_std=std.numpy(),
                           flat=flat.double().mean(dim=(1, 2)).numpy(), loss=loss.item())


def _orders(ratio):
    """log10 of a positive finite ratio, else None."""
    return math.log10(ratio) if ratio > 0 and math.isfinite(ratio) else None


def verdict(profile, init=None, residual=False):
    """(text, kind) explaining a profile in one or two sentences; kind "warn" means trouble.
    `init` and `residual` are the settings the profile was measured with."""
    g = profile.grad_norms
    if profile.overflow or not np.isfinite(profile.act_std).all():
        layers = profile.overflow
        what = ("the activations are" if not layers
                else f"the gradient of layer {layers[0]} is" if len(layers) == 1
                else f"the gradients of {len(layers)} layers ({layers[0]}–{layers[-1]}) are")
        return (f"Exploding: the numbers overflowed float32 (largest 3.4e38), so {what} inf "
                "or NaN (✕). A training step would destroy the weights: use a smaller init "
                "(Xavier/He) or batch norm.", "warn")
    if init == "zero":
        later = ("The skips carry the input forward, so the units of a layer differ and later "
                 "steps can tell them apart." if residual else
                 "And all units of a layer compute the same value, so they would get the same "
                 "updates for ever (symmetry).")
        return ("Zero initialisation: every hidden-layer gradient is exactly 0, because the "
                f"zero output weights pass nothing back. {later}", "warn")
    if g.max() < 1e-4:
        return (f"Vanished everywhere: the signal dies out on the way forward (the last layer's "
                f"activations have std {profile.act_std[-1]:.1e}), so every gradient is below "
                f"1e-4 (largest {g.max():.1e}).", "warn")
    first, last = float(g[0]), float(g[-2])  # W⁽¹⁾ and W⁽ᴸ⁾, the last hidden layer
    if first == 0:
        return ("Vanished: the gradient of layer 1 underflowed to exactly 0 in float32 (▼), "
                "so the first layers cannot learn at all.", "warn")
    orders = _orders(first / last) if last > 0 else None
    if orders is None:
        return ("The last hidden layer gets no gradient (‖∂J/∂W⁽ᴸ⁾‖ = 0).", "warn")
    if orders < -3:
        return (f"Vanishing: ‖∂J/∂W⁽¹⁾‖ is {-orders:.0f} orders of magnitude smaller than "
                "‖∂J/∂W⁽ᴸ⁾‖, so the first layers barely learn.", "warn")
    if orders > 3:
        return (f"Exploding: ‖∂J/∂W⁽¹⁾‖ is {orders:.0f} orders of magnitude larger than "
                "‖∂J/∂W⁽ᴸ⁾‖; a step small enough for the first layers would leave the last "
                "ones frozen, one large enough for the last would wreck the first.", "warn")
    if g.max() > 1e4:
        return (f"Exploded everywhere: the activations grow layer by layer (std of the last "
                f"layer {profile.act_std[-1]:.1e}) and the gradients reach {g.max():.1e}; one "
                "gradient step would throw the weights far away.", "warn")
    return (f"Healthy: ‖∂J/∂W⁽¹⁾‖ and ‖∂J/∂W⁽ᴸ⁾‖ are within a factor of "
            f"{10 ** abs(orders):.2g} of each other.", "info")


# -------------------------------------------------------------------------------- view
# Fixed axes, so that a control change only redraws the animated artists (a full redraw of
# this figure costs several times the latency budget): layers 1..51 on x, and a log range
# for norms and stds with a marker at the edge for values beyond it.
YLIM = (1e-20, 1e20)
XLIM = (0.3, MAX_DEPTH + 1.7)
RED = "#D55E00"


def _clip(values):
    """Values inside YLIM as they are, outside it at the edge; inf and NaN become NaN (gaps)."""
    return np.where(np.isfinite(values), np.clip(values, *YLIM), np.nan)


def _edges(x, values):
    """x positions of the values below YLIM (0 included), above it, and not finite."""
    finite = np.isfinite(values)
    return x[finite & (values < YLIM[0])], x[finite & (values > YLIM[1])], x[~finite]


class _VanishingView:
    """Controls above one figure: the gradient norms per layer on top, the activation
    statistics per layer below. Every control change recomputes the profile (one forward
    and backward pass) and redraws only the animated artists."""

    def __init__(self, depth=20, width=128, activation="sigmoid", init="xavier",
                 residual=False, batch_norm=False, seed=0):
        self._make_controls(depth, width, activation, init, residual, batch_norm, seed)
        self._make_figure()
        make_weights(MAX_DEPTH, MAX_WIDTH, init, seed)  # draw every layer's weights now
        self.view = FigureView(self.fig)
        self.update()
        for control in self.controls.values():
            control.observe(self.update, names="value")

    def _make_controls(self, depth, width, activation, init, residual, batch_norm, seed):
        style = {"description_width": "initial"}
        c = {}
        c["depth"] = widgets.IntSlider(value=depth, min=1, max=MAX_DEPTH, description="depth L",
                                       style=style, layout=widgets.Layout(width="330px"))
        c["width"] = widgets.IntSlider(value=width, min=16, max=MAX_WIDTH, step=16,
                                       description="width", style=style,
                                       layout=widgets.Layout(width="300px"))
        c["activation"] = widgets.Dropdown(options=[(v, k) for k, v in ACTIVATIONS.items()],
                                           value=activation, description="activation g",
                                           style=style, layout=widgets.Layout(width="250px"))
        c["init"] = widgets.Dropdown(options=[(v, k) for k, v in INITS.items()], value=init,
                                     description="init", style=style,
                                     layout=widgets.Layout(width="380px"))
        c["residual"] = widgets.Checkbox(value=residual, description="residual connections",
                                         indent=False, layout=widgets.Layout(width="180px"))
        c["batch_norm"] = widgets.Checkbox(value=batch_norm, description="batch norm",
                                           indent=False, layout=widgets.Layout(width="120px"))
        c["seed"] = widgets.BoundedIntText(value=seed, min=0, max=9999, description="seed",
                                           style=style, layout=widgets.Layout(width="130px"))
        self.controls = c
        self.message = message()
        self.rows = [widgets.HBox([c["depth"], c["width"]]),
                     widgets.HBox([c["activation"], c["init"]]),
                     widgets.HBox([c["residual"], c["batch_norm"], c["seed"]]),
                     self.message]

    def _make_figure(self):
        self.fig = new_figure(8.4, 5.3, dpi=80)
        axes = self.fig.subplot_mosaic([["grad", "grad"], ["std", "flat"]],
                                       height_ratios=[1.15, 1])
        self.ax_grad, self.ax_std, self.ax_flat = axes["grad"], axes["std"], axes["flat"]
        blue, orange, green = OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2]

        ax = self.ax_grad
        ax.set_yscale("log")
        ax.set_ylim(*YLIM)
        ax.set_yticks([10.0 ** k for k in range(-20, 21, 5)])
        ax.set_ylabel(r"$\|\partial J/\partial W^{(l)}\|$")
        ax.set_title("gradient norm per layer", loc="left", fontsize=11, pad=10)
        self.grad_line, = ax.plot([], [], "o-", color=blue, ms=4, animated=True)
        self.out_point, = ax.plot([], [], "s", color=orange, ms=7, animated=True)
        self.below, = ax.plot([], [], "v", color=blue, ms=8, animated=True, clip_on=False,
                                 in_layout=False)
        self.above, = ax.plot([], [], "^", color=blue, ms=8, animated=True, clip_on=False,
                                 in_layout=False)
        self.over, = ax.plot([], [], "X", color=RED, ms=9, animated=True, clip_on=False,
                                 in_layout=False)
        ax.legend(handles=[
            Line2D([], [], marker="o", color=blue, ms=4, label="hidden layer"),
            Line2D([], [], marker="s", ls="", color=orange, label="output layer"),
            Line2D([], [], marker="v", ls="", color=blue, label="< 1e-20 or 0"),
            Line2D([], [], marker="^", ls="", color=blue, label="> 1e20"),
            Line2D([], [], marker="X", ls="", color=RED, label="overflow (inf/NaN)")],
            loc="lower right", bbox_to_anchor=(1.0, 1.02), ncol=5, fontsize=8,
            frameon=False, handletextpad=0.3, columnspacing=1.0, borderaxespad=0)

        ax = self.ax_std
        ax.set_yscale("log")
        ax.set_ylim(*YLIM)
        ax.set_yticks([10.0 ** k for k in range(-20, 21, 10)])
        ax.axhline(1.0, color="grey", lw=0.8, ls=":")
        ax.set_title(r"activations $h^{(l)}$: std and |mean|", loc="left", fontsize=11, pad=10)
        self.std_line, = ax.plot([], [], "o-", color=green, ms=3, animated=True, label="std")
        self.mean_line, = ax.plot([], [], "--", color=orange, animated=True, label="|mean|")
        self.std_above, = ax.plot([], [], "^", color=green, ms=7, animated=True, clip_on=False,
                                  in_layout=False)
        self.std_over, = ax.plot([], [], "X", color=RED, ms=8, animated=True, clip_on=False,
                                 in_layout=False)
        ax.legend(loc="lower left", fontsize=8, ncol=2)

        ax = self.ax_flat
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(r"fraction of flat units ($|g'(a)| \approx 0$)", loc="left", fontsize=11,
                     pad=10)
        self.flat_line, = ax.plot([], [], "o-", color=OKABE_ITO[4], ms=3, animated=True)
        for ax in (self.ax_grad, self.ax_std, self.ax_flat):
            ax.set_xlim(*XLIM)
            ax.set_xlabel("layer l")
        self.ax_grad.set_xlabel("layer l  (the output layer is l = L + 1)")

    def update(self, change=None):
        """Recompute the profile for the controls' values and redraw."""
        settings = {name: control.value for name, control in self.controls.items()}
        self.profile = profile = gradient_profile(**settings)
        depth = settings["depth"]
        x = np.arange(1, depth + 2, dtype=float)  # layers 1..L and the output layer L + 1
        g = profile.grad_norms
        shown = _clip(g)
        self.grad_line.set_data(x[:-1], shown[:-1])
        self.out_point.set_data(x[-1:], shown[-1:])
        below, above, over = _edges(x, g)
        self.below.set_data(below, np.full(len(below), YLIM[0]))
        self.above.set_data(above, np.full(len(above), YLIM[1]))
        self.over.set_data(over, np.full(len(over), YLIM[1]))

        x = x[:-1]  # hidden layers only
        self.std_line.set_data(x, _clip(profile.act_std))
        self.mean_line.set_data(x, _clip(np.abs(profile.act_mean)))
        _, above, over = _edges(x, profile.act_std)
        self.std_above.set_data(above, np.full(len(above), YLIM[1]))
        self.std_over.set_data(over, np.full(len(over), YLIM[1]))
        self.flat_line.set_data(x, profile.flat)

        text, kind = verdict(profile, settings["init"], settings["residual"])
        say(self.message, f"{text}  (loss J = {profile.loss:.3g})", kind)
        self.view.redraw()


def demo(depth=20, width=128, activation="sigmoid", init="xavier", residual=False,
         batch_norm=False, seed=0):
    """The vanishing/exploding-gradients demo: a Demo with controls depth, width,
    activation, init, residual, batch_norm and seed above the figure."""
    v = _VanishingView(depth, width, activation, init, residual, batch_norm, seed)
    return Demo(widgets.VBox([*v.rows, v.view.image]), v.controls, v.view)
