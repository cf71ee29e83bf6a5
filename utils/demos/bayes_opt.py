"""Bayesian optimisation, one trial at a time (lesson IV.4–IV.6).

The **model** is `utils.search.BayesOpt` on one hyperparameter, x = log10(learning rate)
in [-4, 1], with one of two objectives: a synthetic 1-D function with two dips (instant,
its true curve is drawn) or the real validation error of the digits MLP (about 0.1 s a
trial). The first `N_INIT` trials are random; then each trial is the argmax of the
expected improvement under the Gaussian process fitted to all trials so far.

The **view** is `demo()`: a length-scale slider and an exploration slider (xi) that refit
the GP and move the acquisition at once; Next trial and Reset buttons. The demo starts (and
restarts) on the synthetic objective with its `N_INIT` random trials done (instant), so
the GP is on screen from the first moment and the sliders reshape it at once; on the digits
objective every trial is a training run and happens only on the Next trial button, with a
progress bar over its epochs. The top panel shows
the trials, the GP mean ± 2σ (and the true curve for the synthetic objective), the bottom
panel the expected improvement and the point it picks next.
"""
import math

import ipywidgets as widgets
import numpy as np

from utils.search import BayesOpt, expected_improvement
from utils.tuning import load_digits_split, objective
from utils.widgets import Demo, FigureView, message, new_figure, one_thread, say

SPACE = {"lr": (1e-4, 10.0, "log")}
X_RANGE = (-4.0, 1.0)
N_INIT = 2
MAX_TRIALS = 25
NUM_EPOCHS = 10  # of one digits trial
OBJECTIVES = ("synthetic: two dips", "digits MLP validation error")


def synthetic(point):
    """A 1-D test function of x = log10(lr): a broad dip at x = -2.5, a deeper narrow one
    at x = -0.7, and a rise towards the edges (what a learning-rate curve looks like)."""
    x = math.log10(point["lr"])
    return (0.5 - 0.25 * math.exp(-((x + 2.5) / 0.8) ** 2) - 0.4 * math.exp(-((x + 0.7) / 0.25) ** 2)
            + 0.02 * (x + 1.5) ** 2)


class BayesOptModel:
    """One BO run on the chosen objective; `step()` evaluates the next suggestion."""

    def __init__(self, kind=OBJECTIVES[0], seed=0, data=None):
        self.kind, self.seed, self.data = kind, seed, data
        self.reset()

    def reset(self, kind=None, length_scale=0.15, xi=0.0):
        self.kind = kind or self.kind
        if self.kind == OBJECTIVES[1] and self.data is None:
            self.data = load_digits_split()
        self.on_epoch = None  # a view may set it: called after each epoch of a digits trial
        self.f = (synthetic if self.kind == OBJECTIVES[0]
                  else objective(self.data, num_epochs=NUM_EPOCHS, on_epoch=self._epoch_done))
        self.opt = BayesOpt(SPACE, n_init=N_INIT, length_scale=length_scale, n_candidates=400,
                            seed=self.seed)
        self.xi = xi

    def _epoch_done(self, epoch):
        if self.on_epoch is not None:
            self.on_epoch(epoch)

    def step(self):
        """Evaluate the next trial (random for the first N_INIT, else argmax EI)."""
        if len(self.opt.values) >= MAX_TRIALS:
            return None
        if len(self.opt.values) < N_INIT:
            point = self.opt.suggest()
        else:
            point = self.opt.to_point(self.opt.candidates[int(np.argmax(self.acquisition()[2]))])
        value = float(self.f(point))
        self.opt.tell(point, value)
        return point, value

    def acquisition(self):
        """(mean, std, EI) on the candidate grid, with the exploration bonus xi."""
        mean, std = self.opt.posterior()
        return mean, std, expected_improvement(mean, std, min(self.opt.values), xi=self.xi)

    def x_grid(self):
        return X_RANGE[0] + self.opt.candidates[:, 0] * (X_RANGE[1] - X_RANGE[0])  # (M,)

    def x_trials(self):
        return np.array([math.log10(p["lr"]) for p, _ in self.opt.trials])


def demo(length_scale=0.15, xi=0.0):
    """Bayesian optimisation with a 'next trial' button: GP mean ± 2σ and expected improvement."""
    model = BayesOptModel()
    scale_slider = widgets.FloatSlider(value=length_scale, min=0.03, max=0.5, step=0.01,
                                       description="length scale")
    xi_slider = widgets.FloatSlider(value=xi, min=0.0, max=0.1, step=0.005, description="explore ξ",
                                    readout_format=".3f")
    kind = widgets.Dropdown(options=OBJECTIVES, value=OBJECTIVES[0], description="objective")
    next_button = widgets.Button(description="Next trial", icon="step-forward", button_style="primary")
    reset_button = widgets.Button(description="Reset", icon="refresh")
    progress = widgets.IntProgress(value=0, min=0, max=NUM_EPOCHS, description="trial")
    info = message()

    fig = new_figure(9.0, 4.4, dpi=80)
    ax_f, ax_ei = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    grid = model.x_grid()
    true_curve = np.array([synthetic({"lr": 10 ** x}) for x in grid])
    true_line, = ax_f.plot([], [], ":", color="#000000", lw=1, label="true objective", animated=True)
    band = ax_f.fill_between(grid, np.zeros_like(grid), np.zeros_like(grid), color="#56B4E9",
                             alpha=0.3, label="GP mean ± 2σ", animated=True)
    mean_line, = ax_f.plot([], [], color="#0072B2", lw=2, animated=True)
    trial_points = ax_f.scatter([], [], color="#D55E00", zorder=3, s=30, label="trials",
                                animated=True)
    last_point = ax_f.scatter([], [], facecolor="none", edgecolor="#000000", s=120, zorder=4,
                              animated=True)
    ax_f.set(xlim=X_RANGE, ylim=(0, 1), ylabel="validation error")
    ax_f.legend(loc="upper left", fontsize=8, ncol=2)
    ei_line, = ax_ei.plot([], [], color="#009E73", lw=2, animated=True)
    next_line = ax_ei.axvline(0, color="#D55E00", ls="--", animated=True)
    ax_ei.set(xlim=X_RANGE, xlabel="log10 learning rate", ylim=(0, 1.1),
           ylabel="EI\n(max = 1)")
    view = FigureView(fig)

    @one_thread()
    def draw():
        model.opt.length_scale, model.xi = scale_slider.value, xi_slider.value
        if kind.value == OBJECTIVES[0]:
            true_line.set_data(grid, true_curve)
        else:
            true_line.set_data([], [])
        n = len(model.opt.values)
        if n:
            trial_points.set_offsets(np.column_stack([model.x_trials(), model.opt.values]))  # (n, 2)
            last_point.set_offsets([[model.x_trials()[-1], model.opt.values[-1]]])
        else:
            trial_points.set_offsets(np.empty((0, 2)))
            last_point.set_offsets(np.empty((0, 2)))
        if n >= N_INIT:
            mean, std, ei = model.acquisition()
            band.set_verts([np.column_stack([np.r_[grid, grid[::-1]],
                                             np.r_[mean - 2 * std, (mean + 2 * std)[::-1]]])])
            mean_line.set_data(grid, mean)
            ei_line.set_data(grid, ei / ei.max() if ei.max() > 0 else ei)
            x_next = grid[int(np.argmax(ei))]
            next_line.set_xdata([x_next, x_next])
            next_line.set_visible(n < MAX_TRIALS)
            best = min(model.opt.values)
            say(info, f"{n} trials, best {best:.3f} at log10 lr = "
                      f"{model.x_trials()[int(np.argmin(model.opt.values))]:.2f}. "
                      f"Next: log10 lr = {x_next:.2f} (largest EI, {ei.max():.2g}).")
        else:
            band.set_verts([np.empty((0, 2))])
            mean_line.set_data([], [])
            ei_line.set_data([], [])
            next_line.set_visible(False)
            say(info, f"{n} trials: the first {N_INIT} are random (a GP needs data). "
                      "Press Next trial.")
        if n >= MAX_TRIALS:
            say(info, f"{MAX_TRIALS} trials is this demo's budget: press Reset.", "warn")
        view.redraw()

    @one_thread()
    def on_next(_):
        progress.value = 0
        model.on_epoch = lambda epoch: setattr(progress, "value", epoch)
        model.step()
        progress.value = NUM_EPOCHS  # a synthetic trial has no epochs: show it as done
        draw()

    @one_thread()
    def on_reset(_=None):
        model.reset(kind.value, scale_slider.value, xi_slider.value)
        progress.value = 0
        if kind.value == OBJECTIVES[0]:  # instant: start with the random trials done
            for _ in range(N_INIT):
                model.step()
        draw()

    scale_slider.observe(lambda _: draw(), names="value")
    xi_slider.observe(lambda _: draw(), names="value")
    kind.observe(on_reset, names="value")
    next_button.on_click(on_next)
    reset_button.on_click(on_reset)
    on_reset()
    controls = {"length_scale": scale_slider, "xi": xi_slider, "objective": kind,
                "next": next_button, "reset": reset_button}
    layout = widgets.VBox([widgets.HBox([scale_slider, xi_slider, kind]),
                           widgets.HBox([next_button, reset_button, progress]), info, view.image])
    demo_ = Demo(layout, controls, view)
    demo_.model = model
    return demo_
