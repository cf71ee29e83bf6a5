"""Latent explorer: the 2-D latent space of variational autoencoders trained with several β.

The **model** (numbers only, no widgets):

- `train_runs(X, betas, ...)`: one 2-D-latent `VAE` per β, trained on X (N, 784), with its
  held-out reconstruction term and KL (`Run`);
- `LatentExplorer(runs, X_pairs)`: caches per run the decoded latent grid (a mosaic), and
  returns for a setting (β, z, pair, t) everything the view shows (`explore`): the mosaic,
  the decoding of the point z, the interpolation between the two images of a pair
  (between their latent means) and the image at position t, and a message.

The **view** is `demo(explorer=None)`: mosaic with the movable point and the interpolation
path | decoding of z | decoding at t | bars of reconstruction and KL per β; below, the
interpolation strip. Sliders z1, z2, t, a β selection slider and a pair dropdown.
"""
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import torch

from utils.autoencoders import VAE, train_vae, vae_terms
from utils.widgets import Demo, FigureView, OKABE_ITO, message, new_figure, one_thread, say

LIMIT = 3.0  # the latent grid spans [-LIMIT, LIMIT]^2
GRID = 10  # images per side of the mosaic
STRIP = 8  # images in the interpolation strip


@dataclass
class Run:
    """One trained VAE and its held-out terms (means per image, in nats)."""
    beta: float
    vae: VAE
    reconstruction: float
    kl: float


def train_runs(X, X_val, betas=(0.1, 1.0, 10.0), num_epochs=6, seed=0):
    """One 2-D-latent VAE per β on X (N, 784); terms measured on X_val."""
    runs = []
    for beta in betas:
        torch.manual_seed(seed)
        vae = VAE(latent_dim=2)
        train_vae(vae, X, num_epochs=num_epochs, beta=beta, seed=seed)
        reconstruction, kl = vae_terms(vae, X_val)
        runs.append(Run(float(beta), vae, reconstruction, kl))
    return runs


def latent_grid(vae, n=GRID, limit=LIMIT):
    """The decoder's mean image at an n×n grid of z in [-limit, limit]^2, as one mosaic
    (n*28, n*28); row 0 is the top (largest z2)."""
    values = torch.linspace(-limit, limit, n)
    z2, z1 = torch.meshgrid(values.flip(0), values, indexing="ij")  # (n, n) each
    z = torch.stack([z1.reshape(-1), z2.reshape(-1)], dim=1)  # (n*n, 2)
    images = vae.decode(z).reshape(n, n, 28, 28)  # (row, col, H, W)
    return images.permute(0, 2, 1, 3).reshape(n * 28, n * 28).numpy()  # (n*28, n*28)


def clip_z(z1, z2):
    """z clipped to the grid, and whether it had to be clipped."""
    z = np.clip([float(z1), float(z2)], -LIMIT, LIMIT)
    ok = bool(np.all(np.isfinite([z1, z2]))) and np.allclose(z, [z1, z2])
    return np.nan_to_num(z), ok


class LatentExplorer:
    """The pure model behind the demo: trained runs, two image pairs, cached mosaics."""

    def __init__(self, runs, pairs):
        """runs: list of Run; pairs: {name: (x_a (784,), x_b (784,))}."""
        self.runs = {run.beta: run for run in runs}
        self.betas = sorted(self.runs)
        self.pairs = dict(pairs)
        self._mosaics, self._strips = {}, {}

    def run(self, beta):
        beta = min(self.betas, key=lambda b: abs(b - float(beta)))  # nearest trained β
        return self.runs[beta]

    def mosaic(self, beta):
        run = self.run(beta)
        if run.beta not in self._mosaics:
            with one_thread():
                self._mosaics[run.beta] = latent_grid(run.vae)
        return self._mosaics[run.beta]

    def path(self, beta, pair):
        """Latent means of the pair's two images, the strip of STRIP decodings between them
        (28, STRIP*28), and the path's end points (2, 2)."""
        run = self.run(beta)
        key = (run.beta, pair)
        if key not in self._strips:
            x_a, x_b = self.pairs[pair]
            with one_thread(), torch.no_grad():
                mu, _ = run.vae.encode(torch.stack([x_a, x_b]))  # (2, 2)
                ts = torch.linspace(0, 1, STRIP)[:, None]  # (STRIP, 1)
                images = run.vae.decode((1 - ts) * mu[0] + ts * mu[1])  # (STRIP, 784)
            strip = images.reshape(STRIP, 28, 28).permute(1, 0, 2).reshape(28, STRIP * 28)
            self._strips[key] = (mu.numpy(), strip.numpy())
        return self._strips[key]

    def explore(self, beta, z1, z2, pair, t):
        """Everything the view shows for one setting (never raises)."""
        run = self.run(beta)
        z, ok = clip_z(z1, z2)
        pair = pair if pair in self.pairs else next(iter(self.pairs))
        t = float(np.clip(np.nan_to_num(t), 0, 1))
        ends, strip = self.path(run.beta, pair)
        z_t = (1 - t) * ends[0] + t * ends[1]  # (2,)
        with one_thread():
            images = run.vae.decode(torch.tensor(np.stack([z, z_t]), dtype=torch.float32))
        images = images.reshape(2, 28, 28).numpy()
        radius = float(np.hypot(*z))
        if not ok:
            text = f"z was outside the grid [−{LIMIT:g}, {LIMIT:g}]² and is shown clipped."
        elif radius > 2.5:
            text = (f"|z| = {radius:.1f}: the prior N(0, I) puts little mass this far out, so "
                    "the decoder has seen few codes here.")
        else:
            text = ""
        return {"run": run, "mosaic": self.mosaic(run.beta), "z": z, "point": images[0],
                "ends": ends, "strip": strip, "z_t": z_t, "at_t": images[1], "t": t,
                "pair": pair, "message": text}


# ------------------------------------------------------------------------------ view
class ExplorerView:
    def __init__(self, explorer, state):
        self.explorer = explorer
        fig = self.fig = new_figure(8.6, 4.2, dpi=72)
        grid = fig.add_gridspec(2, 4, height_ratios=[3, 1], width_ratios=[3, 1.2, 1.2, 1.6])
        self.ax_mosaic = fig.add_subplot(grid[0, 0])
        self.ax_point = fig.add_subplot(grid[0, 1])
        self.ax_t = fig.add_subplot(grid[0, 2])
        self.ax_bars = fig.add_subplot(grid[0, 3])
        self.ax_strip = fig.add_subplot(grid[1, :])
        extent = (-LIMIT - 0.33, LIMIT + 0.33, -LIMIT - 0.33, LIMIT + 0.33)
        self.mosaic = self.ax_mosaic.imshow(state["mosaic"], cmap="gray_r", vmin=0, vmax=1,
                                            extent=extent)
        self.ax_mosaic.set(xlabel="$z_1$", ylabel="$z_2$", xlim=extent[:2], ylim=extent[2:])
        self.ax_mosaic.set_autoscale_on(False)  # a path that leaves the grid is cut at its edge
        (self.path_line,) = self.ax_mosaic.plot(*state["ends"].T, color=OKABE_ITO[1], lw=2)
        (self.marker,) = self.ax_mosaic.plot(*state["z"], "o", ms=11, mfc="none",
                                             mec=OKABE_ITO[5], mew=2.5, animated=True)
        (self.t_marker,) = self.ax_mosaic.plot(*state["z_t"], "s", ms=8, color=OKABE_ITO[1],
                                               animated=True)
        self.point = self.ax_point.imshow(state["point"], cmap="gray_r", vmin=0, vmax=1,
                                          animated=True)
        self.at_t = self.ax_t.imshow(state["at_t"], cmap="gray_r", vmin=0, vmax=1, animated=True)
        self.ax_point.set_title("decoded z (circle)", fontsize=9)
        self.ax_t.set_title("decoded at t (square)", fontsize=9)
        for ax in (self.ax_point, self.ax_t, self.ax_strip):
            ax.set(xticks=[], yticks=[])
        self.strip = self.ax_strip.imshow(state["strip"], cmap="gray_r", vmin=0, vmax=1,
                                          aspect="auto")
        (self.strip_frame,) = self.ax_strip.plot([], [], color=OKABE_ITO[1], lw=2, animated=True)
        self._draw_bars()
        self.set_state(state, full=True, redraw=False)
        # one cached background per (β, pair): switching back to a choice costs a blit
        self.view = FigureView(fig, key=(state["run"].beta, state["pair"]), max_backgrounds=32)

    def _draw_bars(self):
        """Bars of the held-out terms of every run, drawn once; `_color_bars` marks one."""
        ax = self.ax_bars
        runs = [self.explorer.runs[b] for b in self.explorer.betas]
        positions = np.arange(len(runs))
        rec = np.array([r.reconstruction for r in runs])
        low = rec.min() - 2
        self.rec_bars = ax.bar(positions - 0.2, rec - low, 0.4, bottom=low)
        ax.set_ylim(low, rec.max() + 2)
        ax.set_xticks(positions, [f"β={r.beta:g}" for r in runs], fontsize=8)
        ax.set_ylabel("reconstruction (nats)", fontsize=8, color=OKABE_ITO[0])
        ax.tick_params(labelsize=7)
        twin = ax.twinx()
        self.kl_bars = twin.bar(positions + 0.2, [r.kl for r in runs], 0.4)
        twin.set_ylabel("KL (nats)", fontsize=8, color=OKABE_ITO[2])
        twin.tick_params(labelsize=7)
        ax.set_title("held-out terms per β", fontsize=9)

    def _color_bars(self, beta):
        for b, rec_bar, kl_bar in zip(self.explorer.betas, self.rec_bars, self.kl_bars):
            rec_bar.set_facecolor(OKABE_ITO[0] if b == beta else "0.75")
            kl_bar.set_facecolor(OKABE_ITO[2] if b == beta else "0.85")

    def set_state(self, state, full=False, redraw=True):
        if full:
            self.mosaic.set_data(state["mosaic"])
            self.path_line.set_data(*state["ends"].T)
            self.strip.set_data(state["strip"])
            self._color_bars(state["run"].beta)
            self.ax_mosaic.set_title(f"decoder means on a grid, β = {state['run'].beta:g}",
                                     fontsize=9)
            self.ax_strip.set_title(f"interpolation between the latent means: {state['pair']}",
                                    fontsize=9)
        self.marker.set_data([state["z"][0]], [state["z"][1]])
        self.t_marker.set_data([state["z_t"][0]], [state["z_t"][1]])
        self.point.set_data(state["point"])
        self.at_t.set_data(state["at_t"])
        k = int(round(state["t"] * (STRIP - 1)))
        x0, x1 = k * 28 - 0.5, (k + 1) * 28 - 0.5
        self.strip_frame.set_data([x0, x1, x1, x0, x0], [-0.5, -0.5, 27.5, 27.5, -0.5])
        if redraw:
            self.view.redraw(full=full, key=(state["run"].beta, state["pair"]) if full else None)


def default_explorer(n_train=1500, num_epochs=3):
    """A quickly trained explorer (used when demo() gets none: tests, latency script)."""
    from utils.data import load_fashion_mnist
    data = load_fashion_mnist()
    X = data.X_train[:n_train].reshape(-1, 784)  # (n_train, 784)
    X_val = data.X_val[:500].reshape(-1, 784)
    runs = train_runs(X, X_val, num_epochs=num_epochs)
    return LatentExplorer(runs, default_pairs(data.X_test, data.y_test, data.classes))


def default_pairs(X_test, y_test, classes):
    """Three pairs of held-out images: {"T-shirt/top → Ankle boot": (x_a, x_b), ...}."""
    pairs = {}
    for a, b in [("T-shirt/top", "Ankle boot"), ("Trouser", "Bag"), ("Sneaker", "Sandal")]:
        x_a = X_test[y_test == classes.index(a)][0].reshape(784)
        x_b = X_test[y_test == classes.index(b)][0].reshape(784)
        pairs[f"{a} → {b}"] = (x_a, x_b)
    return pairs


def demo(explorer=None, beta=None):
    """The latent explorer. explorer: a LatentExplorer (trained in the lesson); None
    trains a small one on the spot (a few seconds)."""
    explorer = explorer or default_explorer()
    beta = explorer.betas[len(explorer.betas) // 2] if beta is None else beta
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="260px")
    controls = {
        "z1": widgets.FloatSlider(0.0, min=-LIMIT, max=LIMIT, step=0.1, description="z₁",
                                  style=style, layout=layout),
        "z2": widgets.FloatSlider(0.0, min=-LIMIT, max=LIMIT, step=0.1, description="z₂",
                                  style=style, layout=layout),
        "t": widgets.FloatSlider(0.5, min=0, max=1, step=0.05, description="interpolation t",
                                 style=style, layout=layout),
        "beta": widgets.SelectionSlider(options=[(f"{b:g}", b) for b in explorer.betas],
                                        value=explorer.run(beta).beta,
                                        description="β (trained runs)", style=style,
                                        layout=layout),
        "pair": widgets.Dropdown(options=list(explorer.pairs), description="pair",
                                 style=style, layout=widgets.Layout(width="300px")),
    }
    label, caption = message(), widgets.HTML()

    def current():
        c = controls
        return explorer.explore(c["beta"].value, c["z1"].value, c["z2"].value,
                                c["pair"].value, c["t"].value)

    @one_thread()
    def update(full):
        state = current()
        say(label, state["message"], "warn" if state["message"] else "info")
        run = state["run"]
        caption.value = (f"β = {run.beta:g}: held-out reconstruction term −E log p(x|z) = "
                         f"{run.reconstruction:.1f} nats, KL(q(z|x) ‖ p(z)) = {run.kl:.2f} nats, "
                         f"negative ELBO (β = 1 form) = {run.reconstruction + run.kl:.1f}")
        view.set_state(state, full=full)

    view = ExplorerView(explorer, current())
    for name in ("z1", "z2", "t"):
        controls[name].observe(lambda _: update(False), names="value")
    for name in ("beta", "pair"):
        controls[name].observe(lambda _: update(True), names="value")
    update(True)
    rows = [widgets.HBox([controls["z1"], controls["z2"], controls["beta"]]),
            widgets.HBox([controls["t"], controls["pair"]])]
    return Demo(widgets.VBox(rows + [label, view.view.image, caption]), controls, view.view)
