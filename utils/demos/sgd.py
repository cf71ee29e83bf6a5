"""Batch, mini-batch and stochastic gradient descent on the notes' example: linear regression
with 1,000 rows, y = w x + b + noise, and the loss J(w, b) = mean of (w x + b - y)^2 / 2.

Model (numpy, seeded, no widgets): `make_data`, `loss`, `least_squares`, `gradient`,
`linear_decay` (GBC 8.3.1) and `run_sgd`, which returns the whole path of (w, b).
View: `demo()`, contours of J with the path, and the excess loss J - J* against examples
seen or updates, for a batch size, a learning rate and an optional learning-rate decay.

Introduced in units/unit1_deep_network_basics/06_sgd_and_the_challenges_of_deep_learning.ipynb.
"""
import ipywidgets as widgets
import numpy as np

from utils.widgets import OKABE_ITO, Demo, FigureView, message, new_figure, play_controls, say

NUM_ROWS = 1000  # the notes' example: 1,000 rows, so SGD makes 1,000 updates per epoch
TRUE_W, TRUE_B, NOISE = 2.0, 1.0, 1.0
THETA0 = (-2.0, -2.0)  # where every run starts
BATCH_SIZES = (1, 3, 10, 30, 100, 300, 1000)
REFERENCE_BATCH_SIZES = (1, 30, 1000)  # SGD, the notes' mini-batch of 30, batch GD
DIVERGED = 1e6  # |w| + |b| beyond this counts as diverged
MAX_PATH_POINTS = 1500  # drawing cost: longer paths are thinned for display


def make_data(m=NUM_ROWS, seed=0):
    """x ~ N(1, 1) and y = 2 x + 1 + N(0, 1) noise: two arrays of shape (m,)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 1.0, m)
    y = TRUE_W * x + TRUE_B + rng.normal(0.0, NOISE, m)
    return x, y


def loss(w, b, x, y):
    """J(w, b) = mean((w x + b - y)^2) / 2 for arrays w and b of any (equal) shape,
    computed from the moments of the data, so a whole path or grid costs one pass."""
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    xx, xy, yy = np.mean(x * x), np.mean(x * y), np.mean(y * y)
    return 0.5 * (w * w * xx + 2 * w * b * np.mean(x) + b * b
                  - 2 * w * xy - 2 * b * np.mean(y) + yy)


def least_squares(x, y):
    """The minimiser (w*, b*) of J, by the normal equations."""
    X = np.stack([x, np.ones_like(x)], axis=1)  # (m, 2)
    return np.linalg.solve(X.T @ X, X.T @ y)


def gradient(w, b, x, y):
    """The gradient (dJ/dw, dJ/db) of J computed on the rows (x, y) given: the full
    gradient for all rows, a mini-batch gradient for a subset."""
    residual = w * x + b - y  # (m',)
    return np.array([np.mean(residual * x), np.mean(residual)])


def linear_decay(k, lr0, tau, lr_tau=None):
    """GBC 8.3.1: lr_k = (1 - k/tau) lr0 + (k/tau) lr_tau for k <= tau, then lr_tau.
    lr_tau defaults to lr0 / 100 (GBC: roughly 1% of lr0)."""
    lr_tau = lr0 / 100 if lr_tau is None else lr_tau
    alpha = np.minimum(np.asarray(k, dtype=float) / tau, 1.0)
    return (1 - alpha) * lr0 + alpha * lr_tau


def run_sgd(x, y, batch_size, lr, num_epochs=10, decay=False, seed=0, theta0=THETA0):
    """Mini-batch SGD on J: each epoch shuffles the rows and takes one step per batch of
    `batch_size` rows (the last batch may be smaller). batch_size=1 is SGD, batch_size=m is
    batch gradient descent. With decay=True the learning rate decays linearly (GBC 8.3.1)
    from lr to lr/100 over the whole run.

    Returns a dict: `path` (U+1, 2) of (w, b) after each update, `examples` (U+1,) the
    number of examples seen, `lrs` (U,) the learning rates used, and `diverged` (bool;
    the path stops where |w| + |b| first exceeds 1e6).
    """
    m = len(x)
    batch_size = int(min(max(batch_size, 1), m))
    starts = np.arange(0, m, batch_size)
    counts = np.diff(np.append(starts, m))  # rows per batch
    num_updates = num_epochs * len(starts)
    if decay:
        lrs = linear_decay(np.arange(num_updates), lr, num_updates)
    else:
        lrs = np.full(num_updates, lr)
    rng = np.random.default_rng(seed)
    moments = []  # per batch: mean x^2, mean x, mean x*y, mean y
    for _ in range(num_epochs):
        order = rng.permutation(m)
        xs, ys = x[order], y[order]
        epoch = [np.add.reduceat(v, starts) / counts for v in (xs * xs, xs, xs * ys, ys)]
        moments.append(np.stack(epoch, axis=1))  # (batches, 4)
    moments = np.concatenate(moments).tolist()  # (U, 4) as Python floats: fast scalar loop
    w, b = theta0
    path, diverged = [(w, b)], False
    for lr_k, (xx, x1, xy, y1) in zip(lrs.tolist(), moments):
        # the mini-batch gradient of J is linear in (w, b): (xx w + x1 b - xy, x1 w + b - y1)
        w, b = w - lr_k * (xx * w + x1 * b - xy), b - lr_k * (x1 * w + b - y1)
        if abs(w) + abs(b) > DIVERGED:
            diverged = True
            break
        path.append((w, b))
    path = np.array(path)  # (updates + 1, 2)
    seen = np.cumsum(np.tile(counts, num_epochs))[:len(path) - 1]  # after each update
    return {"path": path, "examples": np.concatenate([[0], seen]), "lrs": lrs,
            "diverged": diverged}


def _log_spaced(n, num=300):
    """About `num` indices of range(n), evenly spaced on a log scale, including the last."""
    if n == 0:
        return np.arange(0)
    return np.unique(np.append(np.geomspace(1, n, num).astype(int) - 1, n - 1))


class SGDDemo:
    """The view: controls above a figure with the path on contours and the loss curves."""

    def __init__(self, batch_size=30, lr=0.1, decay=False, num_epochs=10, seed=0):
        self.x, self.y = make_data()
        self.theta_star = least_squares(self.x, self.y)
        self.j_star = float(loss(*self.theta_star, self.x, self.y))
        self.num_epochs, self.seed = num_epochs, seed
        self.budget = num_epochs * len(self.x)
        self._cache = {}
        self._build_controls(batch_size, lr, decay)
        self._build_figure()
        self.view = FigureView(self.fig)  # draws the figure once, so the layout is known
        label = self.ax_loss.xaxis.label.get_window_extent()
        self.xlabel.set_position(self.fig.transFigure.inverted().transform(
            ((label.x0 + label.x1) / 2, (label.y0 + label.y1) / 2)))
        self.xlabel.set_transform(self.fig.transFigure)
        self.update()

    def _build_controls(self, batch_size, lr, decay):
        style = {"description_width": "initial"}
        self.batch = widgets.SelectionSlider(options=BATCH_SIZES, value=batch_size,
                                             description="batch size", style=style)
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0.3, step=0.05,
                                         description="learning rate", readout_format=".3f",
                                         style=style)
        self.decay = widgets.Checkbox(value=decay, description="linear LR decay (GBC 8.3.1)")
        self.xaxis = widgets.ToggleButtons(options=["examples seen", "updates"],
                                           value="examples seen", style={"button_width": "110px"})
        self.reshuffle = widgets.Button(description="new shuffle", icon="random")
        self.seen = widgets.IntSlider(value=self.budget, min=0, max=self.budget, step=50,
                                      description="examples seen", style=style)
        self.message = message()
        for control in (self.batch, self.lr, self.decay, self.seen):
            control.observe(lambda _: self.update(), names="value")
        self.xaxis.observe(lambda _: self.update(), names="value")
        self.reshuffle.on_click(self._on_reshuffle)
        self.play_box, self.play = play_controls(self._step, self._reset, interval_ms=100)

    def _build_figure(self):
        self.fig = new_figure(9.0, 3.6, dpi=80)
        self.ax_path, self.ax_loss = self.fig.subplots(1, 2)
        w_grid, b_grid = np.meshgrid(np.linspace(-3, 4.5, 120), np.linspace(-3, 3.5, 120))
        levels = self.j_star + np.geomspace(0.01, 40, 12)
        self.ax_path.contour(w_grid, b_grid, loss(w_grid, b_grid, self.x, self.y),
                             levels=levels, colors="0.6", linewidths=0.8)
        self.ax_path.plot(*THETA0, "o", color="0.3", ms=6, label="start")
        self.ax_path.set(xlabel="w", ylabel="b", xlim=(-3, 4.5), ylim=(-3, 3.5),
                         title="path of (w, b) over contours of J")
        self.path_line, = self.ax_path.plot([], [], "-", color="black", lw=1.0, alpha=0.8,
                                            animated=True)
        self.path_dot, = self.ax_path.plot([], [], "o", color=OKABE_ITO[0], ms=7, animated=True)
        self.ax_path.plot(*self.theta_star, "*", color=OKABE_ITO[3], ms=13, label="minimum",
                          animated=True)  # animated: drawn over the path
        self.ax_path.legend(loc="upper left", fontsize=9)
        self.ref_lines = {}
        for color, size in zip(OKABE_ITO, REFERENCE_BATCH_SIZES):
            self.ref_lines[size], = self.ax_loss.plot([], [], color=color, lw=1.2, alpha=0.45,
                                                      label=f"batch {size}", animated=True)
        self.loss_line, = self.ax_loss.plot([], [], color="black", lw=1.8, label="selected",
                                            animated=True)
        self.loss_dot, = self.ax_loss.plot([], [], "o", color=OKABE_ITO[0], ms=7, animated=True)
        self.ax_loss.set(xscale="log", yscale="log", xlim=(1, self.budget), ylim=(1e-5, 1e2),
                         ylabel="excess loss J - J*", title="loss")
        # the x label changes with the toggle: an animated text drawn where the axis label
        # would be (the real label is invisible and only reserves the space)
        self.ax_loss.set_xlabel("examples seen", alpha=0.0)
        self.xlabel = self.ax_loss.text(0, 0, "", ha="center", va="center", fontsize=12,
                                        animated=True)
        self.ax_loss.legend(loc="lower left", fontsize=9)

    def widget(self):
        row1 = widgets.HBox([self.batch, self.lr])
        row2 = widgets.HBox([self.decay, self.xaxis, self.reshuffle])
        row3 = widgets.HBox([self.play_box, self.seen])
        return widgets.VBox([row1, row2, row3, self.message, self.view.image])

    def run(self, batch_size):
        """The run for `batch_size` at the current learning rate, decay and shuffle (cached)."""
        key = (batch_size, round(self.lr.value, 12), self.decay.value, self.seed)
        if key not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = run_sgd(self.x, self.y, batch_size, self.lr.value,
                                       self.num_epochs, self.decay.value, self.seed)
        return self._cache[key]

    def _curve(self, result):
        """x and y of a loss curve (from the first update on, for the log axes)."""
        excess = loss(result["path"][1:, 0], result["path"][1:, 1], self.x, self.y) - self.j_star
        if self.xaxis.value == "updates":
            xs = np.arange(1, len(result["path"]))
        else:
            xs = result["examples"][1:]
        keep = _log_spaced(len(xs))  # a few hundred points suffice on log axes
        return xs[keep], np.maximum(excess[keep], 1e-12)

    def update(self):
        """Recompute (or fetch) the runs and redraw; never raises."""
        for size, line in self.ref_lines.items():
            line.set_data(*self._curve(self.run(size)))
        result = self.run(self.batch.value)
        now = int(np.searchsorted(result["examples"], self.seen.value, side="right"))  # points shown
        path = result["path"][:max(now, 1)]
        shown = np.vstack([path[::max(1, len(path) // MAX_PATH_POINTS)], path[-1:]])  # thinned
        self.path_line.set_data(shown[:, 0], shown[:, 1])
        self.path_dot.set_data(path[-1:, 0], path[-1:, 1])
        xs, ys = self._curve(result)
        done = xs <= (now - 1 if self.xaxis.value == "updates" else result["examples"][now - 1])
        self.loss_line.set_data(xs[done], ys[done])
        self.loss_dot.set_data(xs[done][-1:], ys[done][-1:])
        self.xlabel.set_text(self.xaxis.value)
        self._explain(result, len(path) - 1)
        self.view.redraw()

    def _explain(self, result, updates):
        batch, lr = self.batch.value, self.lr.value
        if result["diverged"]:
            say(self.message, f"Diverged after {len(result['path']) - 1} updates: the learning "
                f"rate {lr:.3g} is too large for batch size {batch}. Lower it.",
                "warn")
            return
        w, b = result["path"][min(updates, len(result["path"]) - 1)]
        excess = float(loss(w, b, self.x, self.y)) - self.j_star
        say(self.message, f"batch {batch}: {updates} updates so far, lr now "
            f"{result['lrs'][max(updates - 1, 0)]:.3g}, excess loss {excess:.2e}")

    def _step(self):
        start = 0 if self.seen.value >= self.budget else self.seen.value
        self.seen.value = min(start + self.budget // 50, self.budget)
        if self.seen.value >= self.budget:
            self.play.playing = False

    def _reset(self):
        self.seen.value = 0

    def _on_reshuffle(self, _):
        self.seed += 1
        self.update()


def demo(batch_size=30, lr=0.1, decay=False, num_epochs=10, seed=0):
    """The SGD demo: batch size, learning rate and decay on the 1,000-row linear regression."""
    view = SGDDemo(batch_size, lr, decay, num_epochs, seed)
    controls = {"batch_size": view.batch, "lr": view.lr, "decay": view.decay,
                "xaxis": view.xaxis, "examples_seen": view.seen, "reshuffle": view.reshuffle,
                "play": view.play}
    return Demo(view.widget(), controls, view.view)
