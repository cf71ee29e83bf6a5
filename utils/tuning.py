"""A small, fast, real tuning problem for Unit IV: a one-hidden-layer MLP on scikit-learn's
8x8 digits (1,797 images that ship inside scikit-learn, no download).

One training run takes a fraction of a second, so a lesson can afford dozens of them
(a learning-rate sweep, a 5x5 grid, random search, Bayesian optimisation) and the
"be the tuner" demo can retrain on every click.
"""
import math
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn

from utils.training import batches
from utils.widgets import one_thread


@dataclass
class Split:
    """Digits as float tensors: X_* (N, 64) in [0, 1], y_* (N,) int64."""
    X_train: torch.Tensor
    y_train: torch.Tensor
    X_val: torch.Tensor
    y_val: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor


def load_digits_split(n_train=1000, n_val=400, seed=0):
    """A fixed random split of the 1,797 digits into train / validation / test (the rest)."""
    digits = load_digits()
    X = torch.tensor(digits.data / 16.0, dtype=torch.float32)  # (1797, 64)
    y = torch.tensor(digits.target, dtype=torch.int64)  # (1797,)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    train, val, test = order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]
    return Split(X[train], y[train], X[val], y[val], X[test], y[test])


def make_net(hidden=64, n_in=64, n_out=10, dropout=0.0):
    """n_in -> hidden (ReLU, then dropout) -> n_out; hidden = 0 gives softmax (logistic)
    regression."""
    if hidden == 0:
        return nn.Linear(n_in, n_out)
    return nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(hidden, n_out))


class SmallCNN(nn.Module):
    """For 8x8 digits given as rows of 64: conv 16 (3x3) - pool - conv 32 (3x3) - pool - linear."""

    def __init__(self, n_out=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (N, 16, 4, 4)
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))  # (N, 32, 2, 2)
        self.head = nn.Linear(32 * 2 * 2, n_out)

    def forward(self, X):
        X = X.reshape(len(X), 1, 8, 8)  # (N, 64) -> (N, 1, 8, 8)
        return self.head(self.features(X).reshape(len(X), -1))  # (N, 128) -> (N, 10)


@torch.no_grad()
def error_rate(net, X, y):
    """Fraction of misclassified rows."""
    return (net(X).argmax(dim=1) != y).float().mean().item()


def train_mlp(data, lr=0.1, hidden=64, weight_decay=0.0, num_epochs=20, batch_size=64,
              optimizer="sgd", seed=0, on_epoch=None, dropout=0.0, net=None, reset=True):
    """Train a fresh net on data.X_train and return a dict with the final `train_err`,
    `val_err`, `train_loss`, and `diverged` (loss NaN/inf or beyond 1e6: errors are then
    reported as 0.9, what guessing gives). SGD has momentum 0.9. `on_epoch(epoch)` is
    called after each epoch (a demo's progress bar). A ready-made `net` (e.g. SmallCNN())
    replaces the MLP of `hidden` units; it is re-initialised from `seed` unless
    `reset=False` (to train from an initialisation of your own).

    Runs on one torch thread: the tensors are tiny, and on a busy 2-core machine two
    threads waiting for each other made a run 10-50x slower (measured 0.2 s vs 10 s)."""
    with one_thread():
        torch.manual_seed(seed)
        if net is None:
            net = make_net(hidden, dropout=dropout)
        elif reset:
            for module in net.modules():
                if hasattr(module, "reset_parameters"):
                    module.reset_parameters()
        return _train(net, data, lr, weight_decay, num_epochs, batch_size, optimizer, seed,
                      on_epoch)


def _train(net, data, lr, weight_decay, num_epochs, batch_size, optimizer, seed, on_epoch):
    net.train()
    if optimizer == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=weight_decay)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    X, y = data.X_train, data.y_train
    for epoch in range(num_epochs):
        for idx in batches(len(X), batch_size, shuffle=True, generator=generator):
            loss = loss_fn(net(X[idx]), y[idx])
            if not math.isfinite(loss.item()) or loss.item() > 1e6:
                return {"train_err": 0.9, "val_err": 0.9, "test_err": 0.9, "train_loss": math.inf,
                        "diverged": True, "net": net}
            opt.zero_grad()
            loss.backward()
            opt.step()
        if on_epoch is not None:
            on_epoch(epoch + 1)
    net.eval()
    with torch.no_grad():
        train_loss = loss_fn(net(X), y).item()
    diverged = not math.isfinite(train_loss)
    return {"train_err": 0.9 if diverged else error_rate(net, X, y),
            "val_err": 0.9 if diverged else error_rate(net, data.X_val, data.y_val),
            "test_err": 0.9 if diverged else error_rate(net, data.X_test, data.y_test),
            "train_loss": train_loss, "diverged": diverged, "net": net}


def objective(data, num_epochs=10, seed=0, **fixed):
    """The black box of lesson 03: a point {"lr": ..., "weight_decay": ...} -> validation
    error of a freshly trained MLP (the other settings are `fixed`)."""
    def f(point):
        settings = dict(fixed, **point)
        return train_mlp(data, num_epochs=num_epochs, seed=seed, **settings)["val_err"]
    return f
