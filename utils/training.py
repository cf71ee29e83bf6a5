"""Seeds, device selection and the one training loop every notebook uses.

The data sets of this course fit in memory, so mini-batches are *slices* of tensors that
are already there: no `Dataset`/`DataLoader` and no Python loop over samples.
"""
import math
import random

import numpy as np
import torch
from tqdm.auto import tqdm


def set_seed(seed=0):
    """Seed Python, numpy and torch so that a run can be repeated."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def get_device():
    """The fastest device present: CUDA, then Apple's MPS, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def accuracy(y_hat, y):
    """Fraction of rows of the logits `y_hat` (N, C) whose argmax equals the label `y` (N,)."""
    return (y_hat.argmax(dim=1) == y).float().mean().item()


def batches(n, batch_size, shuffle=False, generator=None):
    """Yield index tensors that split range(n) into mini-batches (the last may be smaller)."""
    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


@torch.no_grad()
def evaluate(net, loss_fn, X, y, batch_size=1000):
    """Mean loss and accuracy of `net` on (X, y), computed in batches to bound memory."""
    net.eval()
    device = next(net.parameters()).device
    total_loss, total_correct = 0.0, 0.0
    for idx in batches(len(X), batch_size):
        X_b, y_b = X[idx].to(device), y[idx].to(device)
        y_hat = net(X_b)
        total_loss += loss_fn(y_hat, y_b).item() * len(idx)
        total_correct += (y_hat.argmax(dim=1) == y_b).sum().item()
    return total_loss / len(X), total_correct / len(X)


def train_epoch(net, loss_fn, optimizer, X, y, batch_size, generator=None):
    """One pass over (X, y) in shuffled mini-batches. Returns the mean training loss, or
    nan as soon as a batch loss is not finite (the caller stops training)."""
    net.train()
    device = next(net.parameters()).device
    total_loss = 0.0
    for idx in batches(len(X), batch_size, shuffle=True, generator=generator):
        X_b, y_b = X[idx].to(device), y[idx].to(device)
        loss = loss_fn(net(X_b), y_b)
        value = loss.item()  # one conversion per batch, used for the check and the mean
        if not math.isfinite(value):
            return math.nan
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += value * len(idx)
    return total_loss / len(X)


def fit(net, loss_fn, optimizer, X_train, y_train, X_val=None, y_val=None,
        num_epochs=10, batch_size=128, scheduler=None, seed=0, progress=True,
        n_train_eval=10_000):
    """Train `net` and return its history: a dict of per-epoch lists
    `train_loss`, `train_acc`, `val_loss`, `val_acc` (val_* only when a validation set is
    given) and `diverged` (True if the loss became NaN or infinite; training stops there).

    A learning-rate `scheduler` (from torch.optim.lr_scheduler), if given, steps once per
    epoch. After each epoch the training loss and accuracy are measured in eval mode (no
    dropout, batch norm frozen) on the first `n_train_eval` training samples, so that they
    are comparable with the validation numbers and cheap to compute.
    """
    generator = torch.Generator().manual_seed(seed)
    history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": [],
               "diverged": False}
    epochs = tqdm(range(num_epochs), desc="epochs", disable=not progress)
    for epoch in epochs:
        if math.isnan(train_epoch(net, loss_fn, optimizer, X_train, y_train,
                                  batch_size, generator)):
            history["diverged"] = True
            print(f"Stopped at epoch {epoch + 1}: the loss became NaN or infinite. "
                  "Lower the learning rate, re-create the network and optimizer, and run again.")
            break
        if scheduler is not None:
            scheduler.step()
        train_loss, train_acc = evaluate(net, loss_fn, X_train[:n_train_eval],
                                         y_train[:n_train_eval])
        history["train_loss"].append(train_loss)
        history["train_acc"].append(train_acc)
        if X_val is not None and len(X_val) > 0:
            val_loss, val_acc = evaluate(net, loss_fn, X_val, y_val)
            history["val_loss"].append(val_loss)
            history["val_acc"].append(val_acc)
        epochs.set_postfix(train_loss=f"{train_loss:.3f}", val_acc=_last(history["val_acc"]))
    return history


def _last(values):
    return f"{values[-1]:.3f}" if values else "-"
