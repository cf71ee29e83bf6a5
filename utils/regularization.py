"""Regularisation (syllabus I.14): the helpers of lessons 08 and 09.

- ridge and lasso on a small synthetic regression (closed form and ISTA), their paths;
- norm penalties on a network's weight matrices, and a loss that adds them while training;
- an MLP builder with optional batch normalisation and dropout (correct or seed 000's bug);
- data augmentation of image batches with torch ops (random shifts and flips);
- two small demos: regularisation paths (lesson 08) and dropout scaling (lesson 09).

Notation follows Goodfellow, Bengio & Courville (GBC), ch. 7: the regularised objective is
J~(w) = J(w) + alpha * Omega(w). Here J is the residual sum of squares for the linear
models (as in the course notes) and the mean cross-entropy for the networks (as seed 001).
"""
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from utils.plotting import OKABE_ITO
from utils.widgets import Demo, FigureView, message, new_figure, say

# ---------------------------------------------------------------- linear models


class RegressionData(NamedTuple):
    """A small regression problem: training and validation splits and the true weights."""
    X_train: np.ndarray  # (n_train, 10)
    y_train: np.ndarray  # (n_train,)
    X_val: np.ndarray  # (n_val, 10)
    y_val: np.ndarray  # (n_val,)
    w_true: np.ndarray  # (10,)


INFORMATIVE = (0, 1, 2)  # the features that enter y
COLLINEAR = (0, 3)  # feature 3 is a noisy copy of feature 0 (and does not enter y itself)


def make_regression_data(n_train=30, n_val=500, noise=2.0, seed=2):
    """10 standard-normal features; y = 1 + 3 x0 - 2 x1 + 1.5 x2 + noise * N(0, 1).

    Feature 3 is x0 plus a little noise (std 0.2): the pair (0, 3) is nearly collinear
    (correlation about 0.98), so least squares can hardly tell which of the two carries
    the signal. With 30 training points for 10 weights, least squares overfits.
    """
    rng = np.random.default_rng(seed)
    n = n_train + n_val
    X = rng.standard_normal((n, 10))
    X[:, 3] = X[:, 0] + 0.2 * rng.standard_normal(n)
    w_true = np.zeros(10)
    w_true[list(INFORMATIVE)] = [3.0, -2.0, 1.5]
    y = 1.0 + X @ w_true + noise * rng.standard_normal(n)
    return RegressionData(X[:n_train], y[:n_train], X[n_train:], y[n_train:], w_true)


def _centre(X, y):
    """Column means of X, mean of y, and the centred X and y. The intercept is never
    penalised, so it is fitted by centring: b = mean(y) - mean(X) @ w."""
    x_mean, y_mean = X.mean(axis=0), y.mean()
    return x_mean, y_mean, X - x_mean, y - y_mean


def ridge_fit(X, y, lam):
    """Minimise sum_i (y_i - b - x_i.w)^2 + lam * sum_j w_j^2 in closed form.

    Returns (w, b) with w = (Xc^T Xc + lam I)^{-1} Xc^T yc on centred data; lam = 0 is
    ordinary least squares (np.linalg.solve needs Xc^T Xc to be invertible then).
    """
    x_mean, y_mean, Xc, yc = _centre(np.asarray(X, float), np.asarray(y, float))
    d = Xc.shape[1]
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(d), Xc.T @ yc)
    return w, y_mean - x_mean @ w


def soft_threshold(z, t):
    """The proximal operator of t * |.|: shrink every entry of z towards 0 by t, and set
    the entries with |z| <= t exactly to 0."""
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def lasso_ista(X, y, lam, num_steps=1000, w0=None):
    """Minimise sum_i (y_i - b - x_i.w)^2 + lam * sum_j |w_j| by ISTA.

    ISTA (iterative soft-thresholding) alternates a gradient step on the squared error
    with the proximal step of the L1 penalty: w <- S_{eps lam}(w - eps * grad), with the
    step eps = 1 / L, L = 2 * largest eigenvalue of Xc^T Xc. Returns (w, b).
    """
    x_mean, y_mean, Xc, yc = _centre(np.asarray(X, float), np.asarray(y, float))
    eps = 1.0 / (2.0 * np.linalg.norm(Xc, 2) ** 2)
    w = np.zeros(Xc.shape[1]) if w0 is None else np.array(w0, dtype=float)
    for _ in range(num_steps):
        grad = 2.0 * Xc.T @ (Xc @ w - yc)  # gradient of the residual sum of squares
        w = soft_threshold(w - eps * grad, eps * lam)
    return w, y_mean - x_mean @ w


def mse(X, y, w, b):
    """Mean squared error of the linear model y_hat = X w + b."""
    return float(np.mean((X @ w + b - y) ** 2))


def regularisation_paths(data, lams, num_steps=500):
    """Ridge and lasso fitted for every lam in `lams` (ascending or not).

    The lasso is warm-started from the solution at the previous lam, so `num_steps` ISTA
    steps per lam suffice. Returns a dict of arrays: "lams" (K,), "ridge" and "lasso"
    coefficients (K, 10), and the train/validation MSE of each (K,).
    """
    lams = np.asarray(lams, dtype=float)
    paths = {"lams": lams, "ridge": [], "lasso": []}
    errors = {f"{name}_{split}": [] for name in ("ridge", "lasso") for split in ("train", "val")}
    w_lasso = None
    order = np.argsort(lams)[::-1]  # large lam first: the lasso path starts at w = 0
    fits = {}
    for k in order:
        w_ridge, b_ridge = ridge_fit(data.X_train, data.y_train, lams[k])
        w_lasso, b_lasso = lasso_ista(data.X_train, data.y_train, lams[k], num_steps, w_lasso)
        fits[k] = (w_ridge, b_ridge, w_lasso, b_lasso)
    for k in range(len(lams)):
        w_ridge, b_ridge, w_lasso, b_lasso = fits[k]
        paths["ridge"].append(w_ridge)
        paths["lasso"].append(w_lasso)
        for name, w, b in (("ridge", w_ridge, b_ridge), ("lasso", w_lasso, b_lasso)):
            errors[f"{name}_train"].append(mse(data.X_train, data.y_train, w, b))
            errors[f"{name}_val"].append(mse(data.X_val, data.y_val, w, b))
    return {key: np.array(value) for key, value in {**paths, **errors}.items()}


# ---------------------------------------------------------------- penalties on a network


def weight_matrices(net):
    """The weight matrices of every nn.Linear layer of `net` (not biases, not BN's gamma)."""
    return [module.weight for module in net.modules() if isinstance(module, nn.Linear)]


def l2_penalty(net):
    """Omega(w) = sum of the squares of every weight-matrix entry (seed 001's L2 cost)."""
    return sum((W ** 2).sum() for W in weight_matrices(net))


def l1_penalty(net):
    """Omega(w) = sum of the absolute values of every weight-matrix entry (seed 001's L1 cost)."""
    return sum(W.abs().sum() for W in weight_matrices(net))


def penalized_loss(net, alpha, penalty):
    """A loss_fn(y_hat, y) for utils.training.fit: mean cross-entropy + alpha * penalty(net)
    while `net` is in training mode, the plain mean cross-entropy in eval mode (so the
    learning curves show the data loss, comparable across alphas)."""
    def loss_fn(y_hat, y):
        loss = F.cross_entropy(y_hat, y)
        if net.training and alpha:
            loss = loss + alpha * penalty(net)
        return loss
    return loss_fn


# ---------------------------------------------------------------- dropout and the MLP builder


class Dropout(nn.Module):
    """Dropout written out: every unit is kept with probability 1 - p, then rescaled.

    scale="inverted" multiplies the kept units by 1 / (1 - p), so the expected output equals
    the input and evaluation needs no change (torch.nn.Dropout does this).
    scale="seed" multiplies them by 1 / p instead: the bug of seed 000 (000:L85-94).
    active_in_eval=True keeps dropping units in eval mode: seed 000's second bug (000:L99).
    """

    def __init__(self, p, scale="inverted", active_in_eval=False):
        super().__init__()
        if scale not in ("inverted", "seed"):
            raise ValueError(f"scale must be 'inverted' or 'seed', got {scale!r}")
        if not 0 <= p < 1 or (scale == "seed" and p == 0):
            raise ValueError(f"p must be in [0, 1) (and > 0 for scale='seed'), got {p}")
        self.p, self.scale, self.active_in_eval = p, scale, active_in_eval

    def forward(self, h):
        if self.p == 0 or not (self.training or self.active_in_eval):
            return h
        keep = (torch.rand(h.shape, device=h.device) < 1 - self.p).to(h.dtype)
        factor = 1 / (1 - self.p) if self.scale == "inverted" else 1 / self.p
        return h * keep * factor

    def extra_repr(self):
        return f"p={self.p}, scale={self.scale!r}, active_in_eval={self.active_in_eval}"


def make_mlp(hidden=(300, 100), dropout=0.0, batch_norm=False, dropout_scale="inverted",
             dropout_in_eval=False, init="torch", bn_eps=1e-5, bn_momentum=0.1):
    """784 -> hidden[0] -> ... -> 10. Each hidden layer is Linear -> ReLU, then BatchNorm1d
    if `batch_norm`, then `Dropout` if its rate is > 0 (the order of seed 003).

    `dropout` is one rate for every hidden layer or a sequence of one rate per hidden layer.
    init="glorot" uses Glorot-uniform weights and zero biases (Keras's defaults) instead
    of torch's default initialisation.
    """
    rates = [dropout] * len(hidden) if np.isscalar(dropout) else list(dropout)
    if len(rates) != len(hidden):
        raise ValueError("give one dropout rate, or one per hidden layer")
    layers, width = [], 784
    for h, p in zip(hidden, rates):
        layers += [nn.Linear(width, h), nn.ReLU()]
        if batch_norm:
            layers.append(nn.BatchNorm1d(h, eps=bn_eps, momentum=bn_momentum))
        if p > 0:
            layers.append(Dropout(p, dropout_scale, dropout_in_eval))
        width = h
    net = nn.Sequential(*layers, nn.Linear(width, 10))
    if init == "glorot":
        for W in weight_matrices(net):
            nn.init.xavier_uniform_(W)
        for module in net.modules():
            if isinstance(module, nn.Linear):
                nn.init.zeros_(module.bias)
    elif init != "torch":
        raise ValueError(f"init must be 'torch' or 'glorot', got {init!r}")
    return net


# ---------------------------------------------------------------- data augmentation


def random_shift(X, max_shift, generator=None):
    """Shift every image of X (N, C, H, W) by its own random whole number of pixels in
    [-max_shift, max_shift] along each axis; pixels shifted in are 0 (the background)."""
    N, C, H, W = X.shape
    s = int(max_shift)
    if s == 0:
        return X.clone()
    padded = F.pad(X, (s, s, s, s))  # (N, C, H + 2s, W + 2s)
    dy = torch.randint(0, 2 * s + 1, (N,), generator=generator)
    dx = torch.randint(0, 2 * s + 1, (N,), generator=generator)
    rows = torch.arange(H)[None, :] + dy[:, None]  # (N, H): the rows each image keeps
    cols = torch.arange(W)[None, :] + dx[:, None]  # (N, W)
    n = torch.arange(N)[:, None, None, None]
    c = torch.arange(C)[None, :, None, None]
    return padded[n, c, rows[:, None, :, None], cols[:, None, None, :]]  # (N, C, H, W)


def random_flip(X, generator=None):
    """Mirror each image of X (N, C, H, W) left-right with probability 1/2."""
    flip = torch.rand(len(X), generator=generator) < 0.5  # (N,)
    return torch.where(flip[:, None, None, None], X.flip(-1), X)


def augment(X, generator=None, max_shift=1, flip=True):
    """A random shift by up to `max_shift` pixels, then (if `flip`) a random mirror."""
    X = random_shift(X, max_shift, generator)
    return random_flip(X, generator) if flip else X


# ---------------------------------------------------------------- demo: regularisation paths

DEMO_LAMS = 10.0 ** np.arange(-2.0, 3.0001, 0.05)  # the grid of the paths demo


def paths_demo(data=None, paths=None, lam=1.0):
    """Ridge and lasso coefficients and errors as the penalty strength lam moves.

    Left: the ten coefficients of ridge and lasso at lam, with the true weights. Right:
    training and validation MSE of both against lam, with a marker at lam. The paths
    (`regularisation_paths(data, DEMO_LAMS)`, computed here if not given) are computed
    once; the slider only picks the nearest point of the grid DEMO_LAMS.
    """
    data = make_regression_data() if data is None else data
    if paths is None or len(paths["lams"]) != len(DEMO_LAMS):
        paths = regularisation_paths(data, DEMO_LAMS)
    fig = new_figure(9.5, 3.6)
    ax_w, ax_e = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
    features = np.arange(10)
    ridge_bars = ax_w.bar(features - 0.2, paths["ridge"][0], 0.4, color=OKABE_ITO[0],
                          label="ridge (L2)", animated=True)
    lasso_bars = ax_w.bar(features + 0.2, paths["lasso"][0], 0.4, color=OKABE_ITO[1],
                          label="lasso (L1)", animated=True)
    ax_w.plot(features, data.w_true, "k_", markersize=14, mew=2, label="true w")
    ax_w.axhline(0, color="grey", lw=0.8)
    top = max(np.abs(paths["ridge"]).max(), np.abs(paths["lasso"]).max()) * 1.1
    ax_w.set(ylim=(-top, top), xticks=features, xlabel="feature j", ylabel="$w_j$")
    ax_w.legend(fontsize=8, loc="upper right")
    for name, color in (("ridge", OKABE_ITO[0]), ("lasso", OKABE_ITO[1])):
        ax_e.plot(DEMO_LAMS, paths[f"{name}_val"], color=color, label=f"{name} validation")
        ax_e.plot(DEMO_LAMS, paths[f"{name}_train"], "--", color=color, label=f"{name} train")
    ax_e.set(xscale="log", yscale="log", xlabel=r"$\lambda$", ylabel="MSE (log scale)")
    ax_e.legend(fontsize=8, loc="upper left")
    marker = ax_e.axvline(DEMO_LAMS[0], color="k", lw=1, animated=True)
    text = ax_w.text(0.02, 0.04, "", transform=ax_w.transAxes, fontsize=9, animated=True)
    view = FigureView(fig)
    slider = widgets.FloatLogSlider(value=lam, base=10, min=-2, max=3, step=0.05,
                                    description="λ", readout_format=".3g",
                                    continuous_update=True)
    note = message()

    def update(change=None):
        k = int(np.argmin(np.abs(np.log10(DEMO_LAMS) - np.log10(max(slider.value, 1e-300)))))
        for bars, name in ((ridge_bars, "ridge"), (lasso_bars, "lasso")):
            for bar, height in zip(bars, paths[name][k]):
                bar.set_height(height)
        marker.set_xdata([DEMO_LAMS[k], DEMO_LAMS[k]])
        zeros = int(np.sum(paths["lasso"][k] == 0))
        text.set_text(f"λ = {DEMO_LAMS[k]:.3g}: lasso has {zeros} of 10 weights exactly 0, "
                      f"ridge {int(np.sum(paths['ridge'][k] == 0))}")
        best = {name: DEMO_LAMS[np.argmin(paths[f"{name}_val"])] for name in ("ridge", "lasso")}
        say(note, f"lowest validation MSE: ridge at λ ≈ {best['ridge']:.3g}, "
                  f"lasso at λ ≈ {best['lasso']:.3g}")
        view.redraw()

    slider.observe(update, names="value")
    update()
    box = widgets.VBox([slider, note, view.image])
    return Demo(box, {"lam": slider}, view)


# ---------------------------------------------------------------- demo: dropout scaling

SCALINGS = {"1/(1-p): inverted dropout": "inverted", "1/p: seed 000's bug": "seed",
            "none": "none"}


def dropout_means(h, p, scaling, in_eval=False, num_masks=100, seed=0):
    """Mean output / mean input of dropout on the activations h (an array or tensor), in
    training mode (averaged over `num_masks` random masks) and at evaluation. Returns
    (train_ratio, eval_ratio), or None when the scaling is undefined (1/p at p = 0,
    1/(1-p) at p = 1) or h has mean 0.

    scaling: "inverted" (x 1/(1-p)), "seed" (x 1/p) or "none"; in_eval: dropout is left
    on at evaluation (seed 000) instead of being switched off.
    """
    if scaling not in ("inverted", "seed", "none"):
        raise ValueError(f"unknown scaling {scaling!r}")
    if not 0 <= p <= 1 or (scaling == "seed" and p == 0) or (scaling == "inverted" and p == 1):
        return None
    h = np.asarray(h, dtype=float)  # numpy: small arrays, no thread start-up per call
    if h.mean() == 0:
        return None
    factor = {"inverted": 1 / (1 - p) if p < 1 else 0.0, "seed": 1 / p if p > 0 else 0.0,
              "none": 1.0}[scaling]
    keep = np.random.default_rng(seed).random((num_masks, *h.shape)) < 1 - p
    train_ratio = factor * float((h * keep).mean() / h.mean())  # scale last: no overflow
    return train_ratio, train_ratio if in_eval else 1.0


def dropout_demo(image=None, p=0.3):
    """Dropout on the pixels of one image: what a mask does, and how the scaling changes
    the mean activation in training against evaluation."""
    if image is None:
        image = np.random.default_rng(0).random((28, 28))
    if hasattr(image, "detach"):
        image = image.detach().cpu().numpy()
    image = np.asarray(image, dtype=float).reshape(28, 28)  # (28, 28)
    fig = new_figure(8, 3.4)
    ax_img, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.2]})
    shown = ax_img.imshow(image, cmap="gray_r", vmin=0, vmax=2 * float(image.max()),
                          animated=True)
    ax_img.set_title("one training-mode sample", fontsize=10)
    ax_img.axis("off")
    bars = ax_bar.bar([0, 1], [1, 1], color=[OKABE_ITO[0], OKABE_ITO[1]], animated=True)
    ax_bar.axhline(1, color="k", ls="--", lw=1)
    ax_bar.set(xticks=[0, 1], xticklabels=["training", "evaluation"], ylim=(0, 5),
               ylabel="mean output / mean input")
    text = ax_bar.text(0.5, 4.5, "", ha="center", fontsize=9, animated=True)
    view = FigureView(fig)
    p_slider = widgets.FloatSlider(value=p, min=0, max=0.95, step=0.05, description="p (drop)")
    scaling = widgets.Dropdown(options=list(SCALINGS), description="scaling",
                               layout=widgets.Layout(width="340px"))
    in_eval = widgets.Checkbox(value=False, description="dropout left on at evaluation")
    note = message()

    def update(change=None):
        key = SCALINGS[scaling.value]
        ratios = dropout_means(image, p_slider.value, key, in_eval.value)
        if ratios is None:
            say(note, "Undefined: 1/p cannot be computed at p = 0 (and the image must not "
                      "be all zeros).", "warn")
            shown.set_data(image)
            for bar in bars:
                bar.set_height(0)
            text.set_text("undefined")
            view.redraw()
            return
        factor = {"inverted": 1 / (1 - p_slider.value), "seed": 1 / max(p_slider.value, 1e-12),
                  "none": 1.0}[key]
        keep = np.random.default_rng(1).random(image.shape) < 1 - p_slider.value
        shown.set_data(image * keep * factor)
        for bar, ratio in zip(bars, ratios):
            bar.set_height(min(ratio, 5))
        text.set_text(f"training {ratios[0]:.2f}, evaluation {ratios[1]:.2f}")
        if abs(ratios[0] - ratios[1]) > 0.05:
            say(note, "Training and evaluation see activations of different sizes: the next "
                      "layer was trained on one scale and is tested on another.", "warn")
        elif in_eval.value and p_slider.value > 0:
            say(note, "The scales agree, but evaluation is random: the same image can get "
                      "different predictions.", "warn")
        else:
            say(note, "Training and evaluation see activations of the same mean size.")
        view.redraw()

    for control in (p_slider, scaling, in_eval):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([p_slider, scaling]), in_eval, note, view.image])
    return Demo(box, {"p": p_slider, "scaling": scaling, "in_eval": in_eval}, view)
