"""Capacity, over- and underfitting, validation: the models of lesson I.6-I.8, and the
capacity demo (polynomial degree and training-set size -> fit and train/test error).

Pure numpy model functions first (tested in tests/test_demo_capacity.py), then `demo()`.

The running example is GBC's Fig 5.2 setting with Bishop's target: x ~ U(0, 1),
y = sin(2 pi x) + eps, eps ~ N(0, noise^2), fitted by polynomials of degree d,

    y_hat = w_0 + w_1 x + ... + w_d x^d.

Numerically we fit in the Legendre basis P_0(t), ..., P_d(t) with t = 2x - 1: it spans
exactly the same polynomials of degree <= d (the same hypothesis space), but its design
matrix stays well conditioned up to degree 15, where the powers x^i do not.
"""
import math

import ipywidgets as widgets
import numpy as np
from numpy.polynomial import legendre

from utils.widgets import Demo, FigureView, message, new_figure, say

# ---------------------------------------------------------------- data and polynomial fits


def true_function(x):
    """The target f(x) = sin(2 pi x)."""
    return np.sin(2 * np.pi * np.asarray(x, dtype=float))


def make_data(n, noise=0.3, seed=0):
    """n points x ~ U(0, 1) and y = sin(2 pi x) + noise * N(0, 1), both of shape (n,)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=n)
    y = true_function(x) + noise * rng.standard_normal(n)
    return x, y


def poly_features(x, degree):
    """Design matrix (N, degree + 1) of the polynomials of degree <= `degree` on [0, 1]
    (Legendre basis in t = 2x - 1; column 0 is the constant 1)."""
    t = 2.0 * np.asarray(x, dtype=float) - 1.0  # (N,) in [-1, 1]
    return legendre.legvander(t, int(degree))  # (N, degree + 1)


def fit_polynomial(x, y, degree, lam=0.0):
    """Least-squares weights w (degree + 1,) minimising ||Phi w - y||^2 + lam ||w[1:]||^2.

    The constant column is not penalised. With more weights than points and lam = 0 the
    minimiser is not unique; np.linalg.lstsq returns the one with the smallest norm.
    """
    Phi = poly_features(x, degree)  # (N, p)
    y = np.asarray(y, dtype=float)
    if lam > 0:
        p = Phi.shape[1]
        penalty = math.sqrt(lam) * np.eye(p)[1:]  # (p - 1, p): no penalty on w_0
        Phi = np.vstack([Phi, penalty])  # (N + p - 1, p)
        y = np.concatenate([y, np.zeros(p - 1)])
    w, *_ = np.linalg.lstsq(Phi, y, rcond=None)
    return w


def predict_polynomial(w, x):
    """y_hat = Phi(x) w for the weights of `fit_polynomial`."""
    return poly_features(x, len(w) - 1) @ w


def mse(y_hat, y):
    """Mean squared error."""
    return float(np.mean((np.asarray(y_hat) - np.asarray(y)) ** 2))


def train_test_errors(x_train, y_train, x_test, y_test, degrees, lam=0.0):
    """Training and test MSE of a least-squares polynomial of every degree in `degrees`."""
    train_err, test_err = [], []
    for degree in degrees:
        w = fit_polynomial(x_train, y_train, degree, lam)
        train_err.append(mse(predict_polynomial(w, x_train), y_train))
        test_err.append(mse(predict_polynomial(w, x_test), y_test))
    return np.array(train_err), np.array(test_err)


# ---------------------------------------------------------------- Bayes error


def normal_cdf(z):
    """Phi(z), the standard normal CDF."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def bayes_error_two_gaussians(mu, sigma=1.0):
    """Bayes error of p(y=0) = p(y=1) = 1/2, x | y=1 ~ N(+mu, sigma^2), x | y=0 ~ N(-mu, sigma^2).

    The oracle predicts y = 1 exactly when x > 0, and is wrong with probability Phi(-mu/sigma).
    """
    return normal_cdf(-abs(mu) / sigma)


def sample_two_gaussians(n, mu, sigma=1.0, seed=0):
    """n samples (x, y) from the two-Gaussian problem above: x (n,) float, y (n,) int."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    x = np.where(y == 1, mu, -mu) + sigma * rng.standard_normal(n)
    return x, y


# ---------------------------------------------------------------- depth versus width


def tent(x):
    """The tent map on [0, 1] as a ReLU layer of width 2: 2 relu(x) - 4 relu(x - 1/2)."""
    return 2 * np.maximum(x, 0) - 4 * np.maximum(x - 0.5, 0)


def sawtooth_net(x, depth):
    """A deep ReLU net of width 2: the tent map composed `depth` times (2**depth pieces)."""
    for _ in range(depth):
        x = tent(x)
    return x


def count_linear_pieces(x, y, tol=1e-6):
    """Number of linear pieces of a piecewise-linear function sampled at sorted x."""
    slopes = np.diff(y) / np.diff(x)  # (N - 1,)
    return int(1 + np.sum(np.abs(np.diff(slopes)) > tol))


# ---------------------------------------------------------------- splits and cross-validation


def train_val_test_split(n, fractions=(0.6, 0.2, 0.2), seed=0):
    """Shuffle range(n) and cut it into disjoint train / validation / test index arrays."""
    if len(fractions) != 3 or min(fractions) < 0 or not math.isclose(sum(fractions), 1.0):
        raise ValueError("fractions must be three non-negative numbers that sum to 1")
    order = np.random.default_rng(seed).permutation(n)
    n_train = int(round(fractions[0] * n))
    n_val = int(round(fractions[1] * n))
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


def kfold_indices(n, k, seed=None):
    """k-fold cross-validation: a list of k pairs (train_idx, val_idx).

    range(n) (shuffled if a seed is given) is cut into k folds of nearly equal size; in
    round i fold i is the validation set and the other k - 1 folds are the training set.
    """
    if not 2 <= k <= n:
        raise ValueError(f"k must be between 2 and n = {n}, got {k}")
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    folds = np.array_split(order, k)
    return [(np.sort(np.concatenate(folds[:i] + folds[i + 1:])), np.sort(folds[i]))
            for i in range(k)]


def stratified_kfold_indices(y, k, seed=None):
    """Stratified k-fold for class labels y: every fold gets each class in (almost) the
    same proportion as the whole data set (per-class counts differ by at most one)."""
    y = np.asarray(y)
    n = len(y)
    if not 2 <= k <= n:
        raise ValueError(f"k must be between 2 and n = {n}, got {k}")
    rng = None if seed is None else np.random.default_rng(seed)
    by_class = []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        by_class.append(members if rng is None else rng.permutation(members))
    order = np.concatenate(by_class)  # class by class
    fold_of = np.empty(n, dtype=int)
    fold_of[order] = np.arange(n) % k  # deal the samples out to the folds like cards
    return [(np.flatnonzero(fold_of != i), np.flatnonzero(fold_of == i)) for i in range(k)]


def cross_val_mse(x, y, degree, k=5, seed=0, lam=0.0):
    """k-fold estimate of the test MSE of a degree-`degree` polynomial fit."""
    errors = []
    for train_idx, val_idx in kfold_indices(len(x), k, seed):
        w = fit_polynomial(x[train_idx], y[train_idx], degree, lam)
        errors.append(mse(predict_polynomial(w, x[val_idx]), y[val_idx]))
    return float(np.mean(errors))


def holdout_mse(x, y, degree, val_fraction=0.2, seed=0, lam=0.0):
    """Single holdout estimate: fit on a random (1 - val_fraction) part, score on the rest."""
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = max(1, int(round(val_fraction * len(x))))
    val_idx, train_idx = order[:n_val], order[n_val:]
    w = fit_polynomial(x[train_idx], y[train_idx], degree, lam)
    return mse(predict_polynomial(w, x[val_idx]), y[val_idx])


def early_stopping_epoch(val_losses, patience=20):
    """Early stopping with `patience`: returns (best_epoch, stop_epoch), 1-based.

    Training stops once the validation loss has not improved for `patience` epochs in a
    row; the weights of `best_epoch` are the ones kept. If that never happens, training
    runs to the end (stop_epoch = len(val_losses)).
    """
    best, best_epoch = math.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


# ---------------------------------------------------------------- the capacity demo

MAX_DEGREE = 15
N_POOL = 500  # the training sets are the first n points of one pool of 500
N_TEST = 1000
SIZES = [3, 5, 10, 15, 20, 30, 50, 100, 200, 500]
ERR_LIMITS = (1e-3, 1e2)  # y range of the error panel (values are clipped into it)
Y_LIMITS = (-2.0, 2.0)


class CapacityModel:
    """Numbers of the capacity demo. One pool of N_POOL training inputs and unit noise
    draws per seed; a setting (n, noise) uses the first n points, y = f(x) + noise * z."""

    def __init__(self, seed=0):
        self.grid = np.linspace(0, 1, 200)
        self.set_seed(seed)

    def set_seed(self, seed):
        rng = np.random.default_rng(seed)
        self.x_pool = rng.uniform(0, 1, N_POOL)
        self.z_pool = rng.standard_normal(N_POOL)
        self.x_test = rng.uniform(0, 1, N_TEST)
        self.z_test = rng.standard_normal(N_TEST)

    def data(self, n, noise):
        """Training set (x, y) of size n and test set (x, y) at this noise level."""
        x, y = self.x_pool[:n], true_function(self.x_pool[:n]) + noise * self.z_pool[:n]
        y_test = true_function(self.x_test) + noise * self.z_test
        return x, y, self.x_test, y_test

    def errors(self, n, noise):
        """Training and test MSE of every degree 0..MAX_DEGREE, and the fitted weights."""
        x, y, x_test, y_test = self.data(n, noise)
        weights = [fit_polynomial(x, y, d) for d in range(MAX_DEGREE + 1)]
        train_err = np.array([mse(predict_polynomial(w, x), y) for w in weights])
        test_err = np.array([mse(predict_polynomial(w, x_test), y_test) for w in weights])
        return train_err, test_err, weights


def _fmt(value):
    """An error for display: tiny values (rounding noise of an exact fit) shown as 0."""
    return "0" if value < 1e-12 else f"{value:.3g}"


def _clip_errors(values):
    return np.clip(values, ERR_LIMITS[0], ERR_LIMITS[1])


def demo(degree=3, n_train=15, noise=0.3, seed=0):
    """Capacity demo: degree and training-set size -> the fit, and train/test MSE vs degree."""
    model = CapacityModel(seed)
    degree_slider = widgets.IntSlider(value=int(degree), min=0, max=MAX_DEGREE,
                                      description="degree d")
    n_slider = widgets.SelectionSlider(options=SIZES, value=n_train if n_train in SIZES else 15,
                                       description="train size n")
    noise_slider = widgets.FloatSlider(value=noise, min=0.0, max=1.0, step=0.05,
                                       description="noise σ")
    seed_slider = widgets.IntSlider(value=seed, min=0, max=20, description="data seed")
    info = message()

    fig = new_figure(9.0, 3.6, dpi=80)
    ax_fit, ax_err = fig.subplots(1, 2)
    ax_fit.plot(model.grid, true_function(model.grid), color="#009E73", lw=2,
                label="true f(x) = sin 2πx")
    fit_line, = ax_fit.plot([], [], color="#D55E00", lw=2, animated=True, label="fitted polynomial")
    points = ax_fit.scatter([], [], s=18, color="#0072B2", zorder=3, animated=True,
                            label="training points")
    scores = widgets.HTML()  # the numbers, as HTML: cheaper than drawing text in the figure
    ax_fit.set(xlim=(0, 1), ylim=Y_LIMITS, xlabel="x", ylabel="y")
    ax_fit.legend(loc="upper right", fontsize=8)

    degrees = np.arange(MAX_DEGREE + 1)
    train_line, = ax_err.plot([], [], "o-", ms=3, color="#0072B2", animated=True,
                              label="training MSE")
    test_line, = ax_err.plot([], [], "o-", ms=3, color="#D55E00", animated=True,
                             label="test MSE")
    bayes_line, = ax_err.plot([], [], ":", color="black", animated=True,
                              label="Bayes error σ²")
    marker = ax_err.axvline(degree, color="#777777", lw=1, animated=True)
    ax_err.set(yscale="log", xlim=(-0.5, MAX_DEGREE + 0.5), ylim=ERR_LIMITS,
               xlabel="degree d (capacity)", ylabel="MSE (clipped to the axes)")
    ax_err.legend(loc="upper left", fontsize=8)
    view = FigureView(fig)
    cache = {}

    def update(_=None):
        d, n, sigma = degree_slider.value, n_slider.value, noise_slider.value
        key = (seed_slider.value, n, sigma)
        if cache.get("key") != key:
            if cache.get("seed") != seed_slider.value:
                model.set_seed(seed_slider.value)
                cache["seed"] = seed_slider.value
            cache["key"] = key
            cache["errors"] = model.errors(n, sigma)
        train_err, test_err, weights = cache["errors"]
        x, y, _, _ = model.data(n, sigma)
        points.set_offsets(np.column_stack([x, y]))  # (n, 2)
        fit_line.set_data(model.grid, np.clip(predict_polynomial(weights[d], model.grid), -10, 10))
        scores.value = (f"<b>d = {d}, n = {n}</b>: training MSE {_fmt(train_err[d])}, "
                        f"test MSE {_fmt(test_err[d])}, Bayes error σ² = {_fmt(sigma ** 2)}")
        train_line.set_data(degrees, _clip_errors(train_err))
        test_line.set_data(degrees, _clip_errors(test_err))
        bayes_line.set_data([-0.5, MAX_DEGREE + 0.5], _clip_errors([sigma ** 2] * 2))
        marker.set_xdata([d, d])
        if d + 1 > n:
            say(info, f"{d + 1} weights but only {n} points: infinitely many polynomials pass "
                      "through every point; least squares returns the one with the smallest "
                      "weights. Training error is 0, the test error says what it is worth.", "warn")
        elif sigma == 0:
            say(info, "No noise: the Bayes error is 0, and a flexible enough model can reach "
                      "test MSE near 0 once n is large.")
        else:
            say(info, "")
        view.redraw()

    for control in (degree_slider, n_slider, noise_slider, seed_slider):
        control.observe(update, names="value")
    update()
    controls = {"degree": degree_slider, "n_train": n_slider, "noise": noise_slider,
                "seed": seed_slider}
    layout = widgets.VBox([widgets.HBox([degree_slider, n_slider]),
                           widgets.HBox([noise_slider, seed_slider]), info, scores,
                           view.image])
    return Demo(layout, controls, view)
