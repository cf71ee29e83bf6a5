"""GAN training on 2-D toy distributions, live: the course's version of GAN Lab.

Model (torch, seeded, no widgets):
- `sample_real(distribution, n)` draws from one of `DISTRIBUTIONS` (a Gaussian, a sine
  curve, two moons, a ring of 8 Gaussians, a 5 x 5 grid of Gaussians);
  `sample_noise(n, noise_dim, noise)` draws z from the noise prior p_z.
- `make_mlp`, and the losses of `LOSSES` written on the raw output a of D (a logit for the
  log losses): `discriminator_loss(loss, a_real, a_fake)`, `generator_loss(loss, a_fake)`,
  `discriminator_view(loss, a)` (the number the heatmap shows, in [0, 1]).
- `optimal_discriminator(p_data, p_g)` = p_data / (p_data + p_g) (GBC 20.10.4).
- divergence measures computed from samples: `mmd2` (unbiased kernel MMD^2) and
  `modes_covered` (for the ring and the grid).
- `GANTrainer`: G and D with their own optimizer and learning rate, k steps of D and of G
  per iteration, `step_d`, `step_g`, `train(n)`, and what the figure shows
  (`discriminator_map`, `generated`, `generator_arrows`, `manifold`), stopping with a
  message in `diverged` when a loss or the samples stop being finite.

View: `demo()` shows the D heatmap with real and generated samples, the gradient arrows of
the generator loss on the generated points, the loss curves of D and G and the MMD^2.
Play runs `steps per frame` iterations per frame; `benchmark(demo)` measures frames/s.

Introduced in
units/unit5_autoencoders_and_generative_models/06_generative_adversarial_networks.ipynb.
"""
import math
import time

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from utils.widgets import OKABE_ITO, Demo, FigureView, message, new_figure, one_thread, play_controls, say

LIMIT = 3.0  # the plane shown is [-LIMIT, LIMIT]^2
GRID_SIZE = 40  # the discriminator heatmap is evaluated on GRID_SIZE x GRID_SIZE points
NUM_SHOWN = 512  # real and generated points drawn
NUM_MMD = 256  # of them, used for the MMD^2 (its cost grows as the square)
NUM_ARROWS = 64  # gradient arrows drawn on the first generated points
ARROW_MAX = 0.6  # longer arrows are shortened to this length (direction kept)
CLIP = 0.1  # weight clipping of the Wasserstein critic
MAX_CURVE_POINTS = 1000  # longer loss curves are thinned for drawing
EXPLODED = 1e4  # generated points beyond this size count as a diverged run

DISTRIBUTIONS = {"gaussian": "one Gaussian", "curve": "sine curve", "moons": "two moons",
                 "ring8": "ring of 8 Gaussians", "grid25": "grid of 25 Gaussians"}
LOSSES = {"minimax": "minimax log loss (saturating G loss)",
          "nonsaturating": "non-saturating log loss",
          "least_squares": "least squares (LSGAN)",
          "hinge": "hinge",
          "wasserstein": "Wasserstein (weight clipping)"}
OPTIMIZERS = ("SGD", "Adam", "RMSprop")
NOISES = ("gaussian", "uniform")
HIDDEN_SIZES = (8, 16, 32, 64)
BATCH_SIZES = (16, 32, 64, 128, 256, 512)

GAUSSIAN_MEAN, GAUSSIAN_STD = (1.0, 1.0), 0.35
RING_RADIUS, RING_STD = 2.0, 0.1
GRID_STD = 0.08


def mode_centers(distribution):
    """The centres of the mixture components of 'ring8' and 'grid25' as a (K, 2) tensor;
    None for the other distributions."""
    if distribution == "ring8":
        angles = torch.arange(8) * (2 * math.pi / 8)
        return RING_RADIUS * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    if distribution == "grid25":
        ticks = torch.arange(-2.0, 3.0)
        return torch.cartesian_prod(ticks, ticks)  # (25, 2)
    return None


def sample_real(distribution, n, generator=None):
    """n samples (n, 2) of one of the DISTRIBUTIONS, drawn with the torch `generator`."""
    if distribution == "gaussian":
        return torch.tensor(GAUSSIAN_MEAN) + GAUSSIAN_STD * torch.randn(n, 2, generator=generator)
    if distribution == "curve":
        x = 4.4 * torch.rand(n, generator=generator) - 2.2
        y = 1.2 * torch.sin(1.5 * x)
        return torch.stack([x, y], dim=1) + 0.04 * torch.randn(n, 2, generator=generator)
    if distribution == "moons":
        t = math.pi * torch.rand(n, generator=generator)
        upper = torch.rand(n, generator=generator) < 0.5
        x = torch.where(upper, torch.cos(t), 1 - torch.cos(t)) - 0.5
        y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t)) - 0.25
        return 1.6 * torch.stack([x, y], dim=1) + 0.06 * torch.randn(n, 2, generator=generator)
    if distribution in ("ring8", "grid25"):
        centers = mode_centers(distribution)
        which = torch.randint(len(centers), (n,), generator=generator)
        std = RING_STD if distribution == "ring8" else GRID_STD
        return centers[which] + std * torch.randn(n, 2, generator=generator)
    raise ValueError(f"unknown distribution {distribution!r}; choose from {list(DISTRIBUTIONS)}")


def sample_noise(n, noise_dim, noise="gaussian", generator=None):
    """n draws (n, noise_dim) from the noise prior p_z: N(0, I) or uniform on [-1, 1]^d."""
    if noise == "uniform":
        return 2 * torch.rand(n, noise_dim, generator=generator) - 1
    return torch.randn(n, noise_dim, generator=generator)


def make_mlp(n_in, n_out, hidden=32, layers=2):
    """A ReLU MLP n_in -> hidden (x layers) -> n_out with a linear output."""
    sizes = [n_in] + [hidden] * layers
    modules = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        modules += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*modules, nn.Linear(sizes[-1], n_out))


# ---- losses, written on the raw output a of D (for the log losses D(x) = sigmoid(a)) ----

def discriminator_loss(loss, a_real, a_fake):
    """The loss D minimises, averaged over the batch, for raw outputs on real and fake points.

    minimax / nonsaturating: -E log D(x) - E log(1 - D(G(z))) with D = sigmoid(a)
    least_squares (LSGAN):    E (a_real - 1)^2 / 2 + E a_fake^2 / 2
    hinge:                    E max(0, 1 - a_real) + E max(0, 1 + a_fake)
    wasserstein:              E a_fake - E a_real (the critic's weights are clipped)
    """
    if loss in ("minimax", "nonsaturating"):
        # -log sigmoid(a) = softplus(-a) and -log(1 - sigmoid(a)) = softplus(a), computed stably
        return F.softplus(-a_real).mean() + F.softplus(a_fake).mean()
    if loss == "least_squares":
        return 0.5 * ((a_real - 1) ** 2).mean() + 0.5 * (a_fake ** 2).mean()
    if loss == "hinge":
        return F.relu(1 - a_real).mean() + F.relu(1 + a_fake).mean()
    if loss == "wasserstein":
        return a_fake.mean() - a_real.mean()
    raise ValueError(f"unknown loss {loss!r}; choose from {list(LOSSES)}")


def generator_loss(loss, a_fake):
    """The loss G minimises, averaged over the batch, for D's raw outputs on fake points.

    minimax (saturating):  E log(1 - D(G(z)))   (the minimax game itself)
    nonsaturating:         -E log D(G(z))
    least_squares:         E (a_fake - 1)^2 / 2
    hinge, wasserstein:    -E a_fake
    """
    if loss == "minimax":
        return -F.softplus(a_fake).mean()  # log(1 - sigmoid(a)) = -softplus(a)
    if loss == "nonsaturating":
        return F.softplus(-a_fake).mean()  # -log sigmoid(a) = softplus(-a)
    if loss == "least_squares":
        return 0.5 * ((a_fake - 1) ** 2).mean()
    if loss in ("hinge", "wasserstein"):
        return -a_fake.mean()
    raise ValueError(f"unknown loss {loss!r}; choose from {list(LOSSES)}")


def discriminator_view(loss, a):
    """What the heatmap shows, in [0, 1] (1 = "real"): D(x) = sigmoid(a) for the log losses,
    a clipped to [0, 1] for least squares (targets 0 and 1), (a + 1)/2 clipped for hinge
    (margins -1 and 1), and the Wasserstein critic rescaled from its min..max on `a`."""
    if loss in ("minimax", "nonsaturating"):
        return torch.sigmoid(a)
    if loss == "least_squares":
        return a.clamp(0, 1)
    if loss == "hinge":
        return ((a + 1) / 2).clamp(0, 1)
    span = a.max() - a.min()
    if not torch.isfinite(span) or span <= 0:
        return torch.full_like(a, 0.5)
    return (a - a.min()) / span


EQUILIBRIUM = {  # (D loss, G loss) when p_g = p_data and D is optimal (D = 1/2 for the log losses)
    "minimax": (2 * math.log(2), -math.log(2)),
    "nonsaturating": (2 * math.log(2), math.log(2)),
    "least_squares": (0.25, 0.125),
}


def optimal_discriminator(p_data, p_g):
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) (GBC 20.10.4), elementwise on numpy arrays of
    densities; where both densities are 0 every D is optimal and 1/2 is returned."""
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    total = p_data + p_g
    return np.divide(p_data, total, out=np.full_like(total, 0.5), where=total > 0)


def mmd2(X, Y, bandwidths=(0.1, 0.3, 1.0)):
    """Unbiased estimate of the squared kernel maximum mean discrepancy between the samples
    X (n, 2) and Y (m, 2), with a sum of Gaussian kernels (averaged over `bandwidths`).
    It is about 0 when both come from the same distribution and at most 2."""
    X, Y = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(Y, dtype=torch.float32)
    n, m = len(X), len(Y)
    d_xx, d_yy, d_xy = torch.cdist(X, X) ** 2, torch.cdist(Y, Y) ** 2, torch.cdist(X, Y) ** 2
    total = 0.0
    for h in bandwidths:
        k_xx, k_yy, k_xy = (torch.exp(-d / (2 * h * h)) for d in (d_xx, d_yy, d_xy))
        total += ((k_xx.sum() - k_xx.diagonal().sum()) / (n * (n - 1))
                  + (k_yy.sum() - k_yy.diagonal().sum()) / (m * (m - 1))
                  - 2 * k_xy.mean())
    return float(total / len(bandwidths))


def modes_covered(samples, distribution, min_fraction=0.25):
    """(covered, K) for 'ring8' and 'grid25': a mode counts as covered when at least
    `min_fraction` of its fair share (1/K of the samples) lies within 3 standard deviations
    of its centre. None for distributions without modes."""
    centers = mode_centers(distribution)
    if centers is None:
        return None
    std = RING_STD if distribution == "ring8" else GRID_STD
    samples = torch.as_tensor(samples, dtype=torch.float32)
    distances = (samples[:, None, :] - centers[None, :, :]).norm(dim=2)  # (n, K)
    near = distances < 3 * std
    counts = near.sum(dim=0)
    return int((counts >= min_fraction * len(samples) / len(centers)).sum()), len(centers)


def make_optimizer(name, params, lr):
    """SGD (no momentum), Adam with the GAN betas (0.5, 0.999) of Radford et al. 2016, or
    RMSprop."""
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr)
    if name == "Adam":
        return torch.optim.Adam(params, lr=lr, betas=(0.5, 0.999))
    if name == "RMSprop":
        return torch.optim.RMSprop(params, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}; choose from {OPTIMIZERS}")



def _mean(values):
    return sum(values) / len(values) if values else math.nan


_grid_ticks = torch.linspace(-LIMIT, LIMIT, GRID_SIZE)
GRID = torch.stack(torch.meshgrid(_grid_ticks, _grid_ticks, indexing="xy"),
                   dim=-1).reshape(-1, 2)  # (GRID_SIZE^2, 2), x varies fastest


class GANTrainer:
    """A GAN on a 2-D toy distribution: G maps z ~ p_z (noise_dim) to the plane, D maps the
    plane to one raw score. One *iteration* is `d_steps` updates of D, then `g_steps` of G.

    Settings in RESET_SETTINGS rebuild the networks; the others (loss, learning rates,
    optimizers, steps, batch size) change a run in flight, as in GAN Lab.
    """

    RESET_SETTINGS = ("distribution", "noise_dim", "noise", "hidden", "layers", "seed")

    def __init__(self, distribution="ring8", loss="nonsaturating", noise_dim=2, noise="gaussian",
                 hidden=32, layers=2, d_lr=1e-3, g_lr=1e-3, d_optimizer="Adam",
                 g_optimizer="Adam", d_steps=1, g_steps=1, batch_size=128, seed=0):
        self.settings = dict(distribution=distribution, loss=loss, noise_dim=noise_dim,
                             noise=noise, hidden=hidden, layers=layers, d_lr=d_lr, g_lr=g_lr,
                             d_optimizer=d_optimizer, g_optimizer=g_optimizer,
                             d_steps=d_steps, g_steps=g_steps, batch_size=batch_size, seed=seed)
        self.steps_done = 0  # training iterations over all runs (resets do not clear it)
        self.reset()

    def reset(self):
        """New networks, optimizers and fixed display samples from the seed; empty history."""
        s = self.settings
        with torch.random.fork_rng():  # seed the initial weights, leave the global RNG alone
            torch.manual_seed(s["seed"])
            self.G = make_mlp(s["noise_dim"], 2, s["hidden"], s["layers"])
            self.D = make_mlp(2, 1, s["hidden"], s["layers"])
        self.d_opt = make_optimizer(s["d_optimizer"], self.D.parameters(), s["d_lr"])
        self.g_opt = make_optimizer(s["g_optimizer"], self.G.parameters(), s["g_lr"])
        self.rng = torch.Generator().manual_seed(s["seed"])
        shown = torch.Generator().manual_seed(1000 + s["seed"])
        self.real_shown = sample_real(s["distribution"], NUM_SHOWN, shown)  # (NUM_SHOWN, 2)
        self.z_shown = sample_noise(NUM_SHOWN, s["noise_dim"], s["noise"], shown)
        self.iteration = 0
        self.diverged = ""  # why training stopped, or "" while it is healthy
        self.history = {"iteration": [], "d_loss": [], "g_loss": [], "mmd2": []}
        self._d_losses, self._g_losses = [], []
        self.record()

    def configure(self, **changes):
        """Change settings; returns True if the run was reset (new networks)."""
        changes = {k: v for k, v in changes.items() if self.settings.get(k) != v}
        unknown = set(changes) - set(self.settings)
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}")
        self.settings.update(changes)
        if any(k in self.RESET_SETTINGS for k in changes):
            self.reset()
            return True
        s = self.settings
        if "d_optimizer" in changes:
            self.d_opt = make_optimizer(s["d_optimizer"], self.D.parameters(), s["d_lr"])
        if "g_optimizer" in changes:
            self.g_opt = make_optimizer(s["g_optimizer"], self.G.parameters(), s["g_lr"])
        for opt, lr in ((self.d_opt, s["d_lr"]), (self.g_opt, s["g_lr"])):
            for group in opt.param_groups:
                group["lr"] = lr
        return False

    # ---- training ----

    def _stop(self, why):
        self.diverged = f"Diverged at iteration {self.iteration}: {why}."

    def step_d(self):
        """One update of D on a batch of real and a batch of generated points."""
        if self.diverged:
            return
        s, n = self.settings, self.settings["batch_size"]
        x = sample_real(s["distribution"], n, self.rng)  # (n, 2)
        with torch.no_grad():
            fake = self.G(sample_noise(n, s["noise_dim"], s["noise"], self.rng))  # (n, 2)
        a = self.D(torch.cat([x, fake]))  # (2n, 1)
        loss = discriminator_loss(s["loss"], a[:n], a[n:])
        value = loss.item()
        if not math.isfinite(value):
            return self._stop(f"the discriminator loss became {value}")
        self.d_opt.zero_grad()
        loss.backward()
        self.d_opt.step()
        if s["loss"] == "wasserstein":
            with torch.no_grad():
                for p in self.D.parameters():
                    p.clamp_(-CLIP, CLIP)
        self._d_losses.append(value)

    def step_g(self):
        """One update of G: push generated points where D scores them as real."""
        if self.diverged:
            return
        s = self.settings
        z = sample_noise(s["batch_size"], s["noise_dim"], s["noise"], self.rng)
        loss = generator_loss(s["loss"], self.D(self.G(z)))
        value = loss.item()
        if not math.isfinite(value):
            return self._stop(f"the generator loss became {value}")
        self.g_opt.zero_grad()
        loss.backward(inputs=list(self.G.parameters()))  # no gradients for D's weights
        self.g_opt.step()
        self._g_losses.append(value)

    @one_thread()
    def train(self, num_iterations=1):
        """`num_iterations` iterations of d_steps D updates then g_steps G updates; records
        the mean losses and the MMD^2 once at the end. Stops early if the run diverges."""
        for _ in range(num_iterations):
            if self.diverged:
                break
            for _ in range(self.settings["d_steps"]):
                self.step_d()
            for _ in range(self.settings["g_steps"]):
                self.step_g()
            if not self.diverged:
                self.iteration += 1
                self.steps_done += 1
        self.record()

    @one_thread()
    def record(self):
        """Append to the history the mean losses of the updates since the last record (nan
        if there were none) and the MMD^2; stop the run if the generated points blew up."""
        fake = self.generated()
        if not self.diverged:
            if not torch.isfinite(fake).all():
                self._stop("the generated points are no longer finite numbers")
            elif fake.abs().max() > EXPLODED:
                self._stop(f"the generated points left the plane (|x| > {EXPLODED:g})")
        h = self.history
        h["iteration"].append(self.iteration)
        h["d_loss"].append(_mean(self._d_losses))
        h["g_loss"].append(_mean(self._g_losses))
        h["mmd2"].append(math.nan if self.diverged
                         else mmd2(self.real_shown[:NUM_MMD], fake[:NUM_MMD]))
        self._d_losses, self._g_losses = [], []

    # ---- what the figure shows ----

    @torch.no_grad()
    def generated(self):
        """G applied to the fixed display noise: (NUM_SHOWN, 2)."""
        return self.G(self.z_shown)

    @torch.no_grad()
    def discriminator_map(self):
        """The heatmap, (GRID_SIZE, GRID_SIZE) in [0, 1], rows = y from -LIMIT up."""
        a = self.D(GRID).reshape(GRID_SIZE, GRID_SIZE)  # (y, x)
        return torch.nan_to_num(discriminator_view(self.settings["loss"], a), nan=0.5).numpy()

    def generator_arrows(self, points):
        """-d(loss of G)/dx at each point x (n, 2), per point (the batch mean times n): the
        direction in which G's update moves that generated point, and how hard."""
        x = torch.as_tensor(points, dtype=torch.float32).detach().requires_grad_(True)
        loss = generator_loss(self.settings["loss"], self.D(x)) * len(x)
        (grad,) = torch.autograd.grad(loss, x)
        return -grad

    @torch.no_grad()
    def manifold(self, num_lines=9, num_points=30):
        """Images under G of grid lines of the noise space (first two coordinates, the others
        0; one line for noise_dim 1): a list of (num_points, 2) arrays."""
        noise_dim = self.settings["noise_dim"]
        r = 1.0 if self.settings["noise"] == "uniform" else 2.0
        t = torch.linspace(-r, r, num_points)
        lines = []
        if noise_dim == 1:
            lines.append(t[:, None])  # (num_points, 1)
        else:
            for c in torch.linspace(-r, r, num_lines):
                for a, b in ((t, torch.full_like(t, c)), (torch.full_like(t, c), t)):
                    z = torch.zeros(num_points, noise_dim)
                    z[:, 0], z[:, 1] = a, b
                    lines.append(z)
        z = torch.cat(lines)  # (lines * num_points, noise_dim)
        return list(self.G(z).reshape(len(lines), num_points, 2).numpy())


# ---------------------------------------------------------------- the view

def _finite_clip(a, bound=10 * LIMIT):
    """Coordinates safe to draw: non-finite values to 0, huge ones clipped to +-bound."""
    return np.clip(np.nan_to_num(np.asarray(a, dtype=float), nan=0.0, posinf=bound,
                                 neginf=-bound), -bound, bound)


class GANDemo:
    """Controls above one figure: the plane (D heatmap, real and generated points, gradient
    arrows, G manifold) and, on the right, the losses of D and G and the MMD^2 over time."""

    def __init__(self, distribution="ring8", loss="nonsaturating", noise_dim=2,
                 noise="gaussian", hidden=32, layers=2, d_lr=1e-3, g_lr=1e-3,
                 d_optimizer="Adam", g_optimizer="Adam", d_steps=1, g_steps=1,
                 batch_size=128, steps_per_frame=20, seed=0):
        self.trainer = GANTrainer(distribution, loss, noise_dim, noise, hidden, layers, d_lr,
                                  g_lr, d_optimizer, g_optimizer, d_steps, g_steps,
                                  batch_size, seed)
        self._build_controls(steps_per_frame)
        self._build_figure()
        self._cache = None  # the numbers the artists show, recomputed when the model changes
        self.view = FigureView(self.fig)  # the first full draw places the axes...
        self.fig.set_layout_engine("none")  # ...and freezing them makes full redraws cheaper
        self.refresh()

    # ---- controls ----

    def _build_controls(self, steps_per_frame):
        s = self.trainer.settings
        short = {"description_width": "70px"}
        wide = {"description_width": "95px"}
        row = lambda width: widgets.Layout(width=width)  # noqa: E731
        self.controls = {
            "distribution": widgets.Dropdown(options=[(v, k) for k, v in DISTRIBUTIONS.items()],
                                             value=s["distribution"], description="data",
                                             style=short, layout=row("240px")),
            "loss": widgets.Dropdown(options=[(v, k) for k, v in LOSSES.items()],
                                     value=s["loss"], description="loss", style=short,
                                     layout=row("330px")),
            "noise_dim": widgets.IntSlider(value=s["noise_dim"], min=1, max=8,
                                           description="noise dim", style=short,
                                           layout=row("230px")),
            "noise": widgets.Dropdown(options=NOISES, value=s["noise"], description="p_z",
                                      style={"description_width": "30px"}, layout=row("140px")),
            "d_lr": widgets.FloatLogSlider(value=s["d_lr"], base=10, min=-5, max=1, step=0.1,
                                           description="D learning rate", readout_format=".1e",
                                           style=wide, layout=row("310px")),
            "d_optimizer": widgets.Dropdown(options=OPTIMIZERS, value=s["d_optimizer"],
                                            description="D optim.", style=short,
                                            layout=row("170px")),
            "d_steps": widgets.IntSlider(value=s["d_steps"], min=0, max=10,
                                         description="D steps", style=short,
                                         layout=row("230px")),
            "g_lr": widgets.FloatLogSlider(value=s["g_lr"], base=10, min=-5, max=1, step=0.1,
                                           description="G learning rate", readout_format=".1e",
                                           style=wide, layout=row("310px")),
            "g_optimizer": widgets.Dropdown(options=OPTIMIZERS, value=s["g_optimizer"],
                                            description="G optim.", style=short,
                                            layout=row("170px")),
            "g_steps": widgets.IntSlider(value=s["g_steps"], min=0, max=10,
                                         description="G steps", style=short,
                                         layout=row("230px")),
            "hidden": widgets.Dropdown(options=HIDDEN_SIZES, value=s["hidden"],
                                       description="neurons", style=short, layout=row("150px")),
            "layers": widgets.IntSlider(value=s["layers"], min=1, max=3,
                                        description="layers", style=short, layout=row("200px")),
            "batch_size": widgets.SelectionSlider(options=BATCH_SIZES, value=s["batch_size"],
                                                  description="batch", style=short,
                                                  layout=row("230px")),
            "seed": widgets.BoundedIntText(value=s["seed"], min=0, max=9999, description="seed",
                                           style={"description_width": "35px"},
                                           layout=row("120px")),
            "steps_per_frame": widgets.IntSlider(value=steps_per_frame, min=1, max=100,
                                                 description="iters/frame", style=short,
                                                 layout=row("240px")),
        }
        for name, control in self.controls.items():
            control.observe(lambda change, name=name: self._on_setting(name, change["new"]),
                            names="value")
        self.shows = {}
        for name, label, value in (("heatmap", "D heatmap", True), ("real", "real", True),
                                   ("fake", "generated", True), ("arrows", "G gradients", True),
                                   ("manifold", "G manifold", False)):
            box = widgets.Checkbox(value=value, description=label, indent=False,
                                   layout=row("105px"))
            box.observe(lambda change: self.refresh(compute=False), names="value")
            self.shows[name] = box
            self.controls[f"show_{name}"] = box
        self.play_box, self.play = play_controls(self.frame, self.reset, interval_ms=100)
        frame_button = self.play_box.children[1]
        frame_button.description = "Frame"
        frame_button.tooltip = "run one frame (iters/frame iterations)"
        buttons = {"step_d": ("Step D", "one update of D"), "step_g": ("Step G", "one update of G"),
                   "step_both": ("Step D+G", "one iteration: k updates of D, then of G")}
        for name, (label, tip) in buttons.items():
            button = widgets.Button(description=label, tooltip=tip, layout=row("90px"))
            button.on_click(lambda _, name=name: self._on_button(name))
            self.controls[name] = button
        self.controls["play"] = self.play
        self.controls["frame"] = frame_button
        self.controls["reset"] = self.play_box.children[2]
        self.message = message()

    def widget(self):
        c = self.controls
        rows = [
            [c["distribution"], c["loss"], c["noise_dim"], c["noise"]],
            [c["d_lr"], c["d_optimizer"], c["d_steps"], c["hidden"], c["layers"]],
            [c["g_lr"], c["g_optimizer"], c["g_steps"], c["batch_size"], c["seed"]],
            [self.play_box, c["step_d"], c["step_g"], c["step_both"], c["steps_per_frame"]],
            list(self.shows.values()),
        ]
        wrap = widgets.Layout(flex_flow="row wrap")  # narrow windows: wrap, do not clip
        return widgets.VBox([widgets.HBox(r, layout=wrap) for r in rows]
                            + [self.message, self.view.image])

    @one_thread()
    def _on_setting(self, name, value):
        """A control changed: update the run (a reset for architecture/data/seed) and redraw."""
        if name == "steps_per_frame":
            return self.refresh(compute=False)
        self.trainer.configure(**{name: value})
        self.refresh()

    @one_thread()
    def _on_button(self, name):
        trainer = self.trainer
        if name == "step_d":
            trainer.step_d()
        elif name == "step_g":
            trainer.step_g()
        if name == "step_both":
            trainer.train(1)
        else:
            trainer.record()
        self.refresh()

    @one_thread()
    def frame(self):
        """Play tick / Frame button: `steps per frame` iterations, then one redraw."""
        if self.trainer.diverged:
            self.play.playing = False
        else:
            self.trainer.train(self.controls["steps_per_frame"].value)
            if self.trainer.diverged:
                self.play.playing = False
        self.refresh()

    @one_thread()
    def reset(self):
        self.trainer.reset()
        self.refresh()

    # ---- figure ----

    def _build_figure(self):
        self.fig = new_figure(9.6, 4.3, dpi=80)
        grid = self.fig.add_gridspec(2, 2, width_ratios=(1.05, 1.0))
        ax = self.ax_plane = self.fig.add_subplot(grid[:, 0])
        self.ax_loss = self.fig.add_subplot(grid[0, 1])
        self.ax_mmd = self.fig.add_subplot(grid[1, 1], sharex=self.ax_loss)
        self.heatmap = ax.imshow(np.full((GRID_SIZE, GRID_SIZE), 0.5),
                                 extent=(-LIMIT, LIMIT, -LIMIT, LIMIT), origin="lower", cmap="PRGn", vmin=0, vmax=1, alpha=0.65,
                                 interpolation="bilinear", animated=True)
        self.colorbar = self.fig.colorbar(self.heatmap, ax=ax, shrink=0.8, pad=0.02)
        self.manifold_lines = LineCollection([], colors="0.35", linewidths=0.6, animated=True)
        ax.add_collection(self.manifold_lines)
        self.real_dots = ax.scatter([], [], s=5, color="black", label="real", animated=True)
        self.fake_dots = ax.scatter([], [], s=5, color=OKABE_ITO[3], label="generated",
                                    animated=True)
        zeros = np.zeros(NUM_ARROWS)
        self.arrows = ax.quiver(zeros, zeros, zeros, zeros, angles="xy", scale_units="xy",
                                scale=1, width=0.004, color=OKABE_ITO[0], animated=True)
        self.counter = ax.text(0.02, 0.98, "", transform=ax.transAxes, va="top", fontsize=10,
                               animated=True,
                               bbox=dict(boxstyle="round", fc="white", ec="none", alpha=0.7))
        ax.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), aspect="equal",
               xticks=[-2, 0, 2], yticks=[-2, 0, 2])
        ax.grid(False)
        handles = [Line2D([], [], ls="", marker="o", ms=4, color="black", label="real"),
                   Line2D([], [], ls="", marker="o", ms=4, color=OKABE_ITO[3], label="generated"),
                   Line2D([], [], color=OKABE_ITO[0], lw=2, label="−∇ of G loss"),
                   Line2D([], [], color="0.35", lw=1, label="G manifold")]
        # above the plane (outside it), so that the animated heatmap never covers it
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4,
                  fontsize=8, frameon=False, handlelength=1.2, columnspacing=0.8)
        self.d_line, = self.ax_loss.plot([], [], color=OKABE_ITO[2], lw=1.5, label="D loss",
                                         animated=True)
        self.g_line, = self.ax_loss.plot([], [], color=OKABE_ITO[3], lw=1.5, label="G loss",
                                         animated=True)
        self.d_ref = self.ax_loss.axhline(np.nan, color=OKABE_ITO[2], ls=":", lw=1)
        self.g_ref = self.ax_loss.axhline(np.nan, color=OKABE_ITO[3], ls=":", lw=1)
        self.ax_loss.legend(loc="upper right", fontsize=8)
        self.ax_loss.set_ylabel("loss")
        self.ax_loss.set_title(self._loss_title(self.trainer.settings["loss"]), fontsize=10)
        self.colorbar.set_label(self._colorbar_label(self.trainer.settings["loss"]))
        self.ax_loss.tick_params(labelbottom=False)
        self.mmd_line, = self.ax_mmd.plot([], [], color=OKABE_ITO[0], lw=1.5, animated=True)
        self.ax_mmd.set(yscale="log", ylim=(1e-3, 2), xlabel="iteration",
                        ylabel="MMD²", yticks=[1e-3, 1e-2, 1e-1, 1])
        self.ax_mmd.minorticks_off()  # fewer artists: a cheaper full redraw
        self.ax_loss.set_xlim(0, 500)
        self._limits = None  # the loss axis limits and labels the background was drawn with
        self.full_redraws = 0

    @staticmethod
    def _loss_title(loss):
        return LOSSES[loss] + (" (dotted: equilibrium)" if loss in EQUILIBRIUM else "")

    @staticmethod
    def _colorbar_label(loss):
        name = "D(x)" if loss in ("minimax", "nonsaturating") else "D score, rescaled"
        return name + " (1 = real)"

    def _loss_limits(self):
        """(xmax, ylo, yhi): x doubles as training goes on; y follows the data with slack,
        so the (slow) full redraw happens only now and then."""
        h = self.trainer.history
        xmax = 500
        while xmax < h["iteration"][-1]:
            xmax *= 2
        values = np.array(h["d_loss"] + h["g_loss"], dtype=float)
        values = values[np.isfinite(values)]
        reference = EQUILIBRIUM.get(self.trainer.settings["loss"])
        if reference:
            values = np.append(values, reference)
        if len(values) == 0:
            values = np.array([0.0, 1.0])
        if len(values) > 20:
            lo, hi = np.percentile(values, [1, 99])  # a few wild values do not rescale the axis
        else:
            lo, hi = values.min(), values.max()
        lo, hi = max(lo, -1e6), min(hi, 1e6)
        if self._limits is not None:
            _, ylo, yhi, _ = self._limits
            inside = ylo <= lo and hi <= yhi
            tight = (hi - lo) > 0.3 * (yhi - ylo)
            if inside and tight:
                return xmax, ylo, yhi
        span = max(hi - lo, 0.1)
        return xmax, lo - 0.3 * span, hi + 0.3 * span

    @one_thread()
    def refresh(self, compute=True):
        """Update every artist from the trainer and redraw; a full redraw only when the loss
        axes or the loss type (labels, reference lines) changed."""
        trainer = self.trainer
        shows = {name: box.value for name, box in self.shows.items()}
        if compute or self._cache is None:
            fake = _finite_clip(trainer.generated().numpy())
            arrows = _finite_clip(trainer.generator_arrows(fake[:NUM_ARROWS]).numpy())
            self._cache = dict(map=trainer.discriminator_map(), fake=fake, arrows=arrows,
                               manifold=[_finite_clip(m) for m in trainer.manifold()],
                               modes=modes_covered(fake, trainer.settings["distribution"]))
        cache = self._cache
        self.heatmap.set_data(cache["map"])
        self.real_dots.set_offsets(trainer.real_shown.numpy())
        self.fake_dots.set_offsets(cache["fake"])
        length = np.linalg.norm(cache["arrows"], axis=1, keepdims=True)  # (NUM_ARROWS, 1)
        shown = cache["arrows"] * np.minimum(1.0, ARROW_MAX / np.maximum(length, 1e-12))
        self.arrows.set_offsets(cache["fake"][:NUM_ARROWS])
        self.arrows.set_UVC(shown[:, 0], shown[:, 1])
        self.manifold_lines.set_segments(cache["manifold"])
        for name, artist in (("heatmap", self.heatmap), ("real", self.real_dots),
                             ("fake", self.fake_dots), ("arrows", self.arrows),
                             ("manifold", self.manifold_lines)):
            artist.set_visible(shows[name])
        h = trainer.history
        every = len(h["iteration"]) // MAX_CURVE_POINTS + 1  # thin long curves for speed
        its = np.array(h["iteration"][::every], dtype=float)
        self.d_line.set_data(its, np.clip(h["d_loss"][::every], -1e6, 1e6))
        self.g_line.set_data(its, np.clip(h["g_loss"][::every], -1e6, 1e6))
        self.mmd_line.set_data(its, np.maximum(h["mmd2"][::every], 1e-3))
        self.counter.set_text(f"iteration {trainer.iteration}")
        limits = self._loss_limits() + (trainer.settings["loss"],)
        full = limits != self._limits
        if full:
            xmax, ylo, yhi, loss = limits
            self.ax_loss.set_xlim(0, xmax)
            self.ax_loss.set_ylim(ylo, yhi)
            d_ref, g_ref = EQUILIBRIUM.get(loss, (np.nan, np.nan))
            self.d_ref.set_ydata([d_ref, d_ref])
            self.g_ref.set_ydata([g_ref, g_ref])
            self.ax_loss.set_title(self._loss_title(loss), fontsize=10)
            self.colorbar.set_label(self._colorbar_label(loss))
            self._limits = limits
            self.full_redraws += 1
        self.view.redraw(full=full, key=self._limits)  # a known key reuses its background
        self._explain()

    def _explain(self):
        trainer = self.trainer
        if trainer.diverged:
            say(self.message, trainer.diverged + " Press Reset, then lower a learning rate "
                "(or pick Adam).", "warn")
            return
        h = trainer.history
        parts = [f"iteration {trainer.iteration}"]
        for key, name in (("d_loss", "D loss"), ("g_loss", "G loss")):
            values = [v for v in h[key] if math.isfinite(v)]
            if values:
                parts.append(f"{name} {values[-1]:.3f}")
        parts.append(f"MMD² {h['mmd2'][-1]:.4f}")
        covered = self._cache["modes"]
        if covered:
            parts.append(f"modes covered {covered[0]}/{covered[1]}")
        if trainer.settings["d_steps"] == 0 and trainer.settings["g_steps"] == 0:
            parts.append("both k are 0: nothing trains")
        say(self.message, " · ".join(parts))


def demo(**settings):
    """The GAN demo; keyword arguments set the starting controls (see GANDemo)."""
    view = GANDemo(**settings)
    result = Demo(view.widget(), view.controls, view.view)
    result.app = view  # the GANDemo behind it (trainer, frame(), ...) for tests and benchmarks
    result.model = view.trainer  # scripts/latency.py counts model.steps_done while playing
    return result


def benchmark(demo_or_none=None, num_frames=50, **settings):
    """Time `num_frames` Play frames (train + redraw) and return frames/s, iterations/s,
    the split between training and drawing (wall milliseconds per frame), the process CPU
    time per frame and the number of full redraws."""
    result = demo_or_none if demo_or_none is not None else demo(**settings)
    app = result.app
    train_time, total_start, cpu_start = 0.0, time.perf_counter(), time.process_time()
    start_iteration, full_start = app.trainer.iteration, app.full_redraws
    for _ in range(num_frames):
        start = time.perf_counter()
        app.trainer.train(app.controls["steps_per_frame"].value)
        middle = time.perf_counter()
        app.refresh()
        train_time += middle - start
    total, cpu = time.perf_counter() - total_start, time.process_time() - cpu_start
    iterations = app.trainer.iteration - start_iteration
    return {"frames_per_s": num_frames / total, "iterations_per_s": iterations / total,
            "ms_per_frame": 1000 * total / num_frames,
            "ms_training_per_frame": 1000 * train_time / num_frames,
            "ms_drawing_per_frame": 1000 * (total - train_time) / num_frames,
            "cpu_ms_per_frame": 1000 * cpu / num_frames,  # less sensitive to a busy machine
            "iterations": iterations, "full_redraws": app.full_redraws - full_start,
            "diverged": app.trainer.diverged}
