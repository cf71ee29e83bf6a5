"""The course's plot style, learning curves and labelled image grids.

Colours come from the Okabe–Ito palette, which stays distinguishable for the common
forms of colour blindness and on a classroom projector.
"""
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
             "#56B4E9", "#F0E442", "#000000"]


def set_style():
    """Large fonts, a light grid and the colour-blind-safe palette, for every later plot."""
    plt.rcParams.update({
        "figure.figsize": (7, 4),
        "figure.dpi": 90,
        "font.size": 12,
        "axes.titlesize": 13,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=OKABE_ITO),
        "image.cmap": "viridis",
    })


def plot_history(history, title="Learning curves", axes=None):
    """Loss and accuracy per epoch for training and validation, side by side.

    `history` is the dict returned by `utils.training.fit`; several runs can share the
    same `axes` (pass the pair returned by a first call).
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    epochs = range(1, len(history["train_loss"]) + 1)
    for ax, metric, label in [(axes[0], "loss", "cross-entropy loss"),
                              (axes[1], "acc", "accuracy")]:
        line, = ax.plot(epochs, history[f"train_{metric}"], "--", label=f"train {metric}")
        if history.get(f"val_{metric}"):
            ax.plot(epochs, history[f"val_{metric}"], color=line.get_color(),
                    label=f"validation {metric}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.legend()
    axes[0].figure.suptitle(title)
    return axes


def show_images(X, y=None, classes=None, y_hat=None, n_cols=8, n_rows=2, scale=1.3):
    """A grid of the first n_rows * n_cols images of X (N, 1, H, W) or (N, H, W), titled by
    label; with predictions `y_hat`, a wrong prediction is titled in red as "pred (true)"."""
    X = X.detach().cpu().numpy() if hasattr(X, "detach") else np.asarray(X)
    n = min(len(X), n_cols * n_rows)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * scale, n_rows * scale * 1.2))
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(X[i].reshape(X.shape[-2], X.shape[-1]), cmap="gray_r")  # (H, W)
        ax.set_title(_image_title(i, y, classes, y_hat), fontsize=9,
                     color="#D55E00" if y_hat is not None and y_hat[i] != y[i] else "black")
    fig.tight_layout()
    return fig


def _image_title(i, y, classes, y_hat):
    name = (lambda k: classes[int(k)]) if classes is not None else (lambda k: str(int(k)))
    if y is None:
        return ""
    if y_hat is None or y_hat[i] == y[i]:
        return name(y[i])
    return f"{name(y_hat[i])}\n({name(y[i])})"
