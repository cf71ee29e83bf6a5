# %% [markdown]
# # CNN learning: regularisation and optimisers (syllabus II.11, II.12)
#
# **What you will learn**
# - how a small CNN trained on only 300 images **overfits**, and what weight decay,
#   dropout, data augmentation (random shifts and flips with tensor operations), batch
#   normalisation and early stopping each do to the gap between training and validation;
# - how SGD, SGD with momentum, RMSProp and Adam compare on the same CNN, each run taking
#   seconds, with the curves overlaid.
#
# Unit I taught these tools on multilayer perceptrons (lessons I.08–I.10); here they are
# applied to a CNN, the setting of the Unit II syllabus.

# %%
# Colab only: installs the course from REPOSITORY (its git address). Elsewhere: does nothing.
REPOSITORY = ""  # @param {type:"string"}
try:
    import utils.training  # noqa: F401  (the course is installed: nothing to do)
except ImportError:
    import os, subprocess, sys
    if not REPOSITORY:
        raise SystemExit("Paste the course's git repository address into REPOSITORY, then run this cell again.")
    if not os.path.isdir("/content/ad3501"):
        subprocess.run(["git", "clone", "--depth", "1", REPOSITORY, "/content/ad3501"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", "/content/ad3501"], check=True)
    sys.path.insert(0, "/content/ad3501")
    os.chdir("/content/ad3501/units/unit2_convolutional_networks")

# %%
import copy
import time

import numpy as np
import torch
from torch import nn
import matplotlib.pyplot as plt

from utils.checks import check, quiz
from utils.cnn import Augment, count_parameters, make_cnn, random_flip, random_shift
from utils.data import load_fashion_mnist
from utils.plotting import set_style, show_images
from utils.training import evaluate, fit, set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. A CNN that overfits
#
# 300 training images of Fashion-MNIST (30 per class on average), 500 validation images,
# and a CNN with 4 and 8 filters and a dense layer of 64 units: enough capacity to fit the
# 300 images much better than it generalises.

# %%
data = load_fashion_mnist()
X_small, y_small = data.X_train[:300], data.y_train[:300]  # (300, 1, 28, 28), (300,)
X_val, y_val = data.X_val[:500], data.y_val[:500]
loss_fn = nn.CrossEntropyLoss()
print("parameters:", count_parameters(make_cnn(4, 8, 64)))


def train(dropout=0.0, batch_norm=False, weight_decay=0.0, augment=False, optimizer="adam",
          lr=3e-3, num_epochs=20):
    """Train a fresh CNN on the 300 images; returns (net, history, seconds)."""
    set_seed(0)
    net = make_cnn(4, 8, 64, dropout=dropout, batch_norm=batch_norm)
    if augment:
        net = nn.Sequential(Augment(max_shift=2, flip=True), net)  # active in train mode only
    make = {"adam": lambda p: torch.optim.AdamW(p, lr=lr, weight_decay=weight_decay),
            "sgd": lambda p: torch.optim.SGD(p, lr=lr, weight_decay=weight_decay),
            "momentum": lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9, weight_decay=weight_decay),
            "rmsprop": lambda p: torch.optim.RMSprop(p, lr=lr, weight_decay=weight_decay)}
    start = time.perf_counter()
    history = fit(net, loss_fn, make[optimizer](net.parameters()), X_small, y_small, X_val, y_val,
                  num_epochs=num_epochs, batch_size=32, progress=False)
    return net, history, time.perf_counter() - start


# %% tags=["nbval-ignore-output"]
runs = {"baseline": train()}
h = runs["baseline"][1]
print(f"baseline: train accuracy {h['train_acc'][-1]:.3f}, validation {h['val_acc'][-1]:.3f}, "
      f"{runs['baseline'][2]:.1f} s")

# %%
h = runs["baseline"][1]
print("overfits: training accuracy at least 0.08 above validation:",
      h["train_acc"][-1] - h["val_acc"][-1] >= 0.08)
print("and the validation loss ends above its minimum:", h["val_loss"][-1] > min(h["val_loss"]))

# %% [markdown]
# ## 2. Five regularisers
#
# - **Weight decay** (L2, GBC §7.1.1) shrinks every weight towards 0 at each step.
#   With AdamW it is applied directly to the weights ("decoupled"), $w \leftarrow w -
#   \eta\lambda w$, which is what weight decay means for adaptive optimisers.
# - **Dropout** (GBC §7.12) zeroes each unit of the dense layer with probability $p = 0.5$
#   during training (and rescales the rest by $1/(1-p)$).
# - **Data augmentation** (GBC §7.4) shows each image shifted by up to 2 pixels and
#   mirrored left-right at random, a new version every epoch. Clothes stay clothes under
#   both, so the labels stay right. It is done with tensor operations on the whole batch:
# - **Batch normalisation** (GBC §8.7.1) normalises each channel over the batch; its
#   regularising effect comes from the noise of the batch statistics.
# - **Early stopping** (GBC §7.8) keeps the weights of the epoch with the lowest
#   validation loss; it costs a validation pass per epoch and a copy of the weights.

# %%
g = torch.Generator().manual_seed(0)
examples = X_small[:8]  # (8, 1, 28, 28)
augmented = random_flip(random_shift(examples, 2, generator=g), generator=g)
show_images(torch.cat([examples, augmented]), torch.cat([y_small[:8], y_small[:8]]),
            data.classes, n_cols=8, n_rows=2)
plt.show()

# %% tags=["nbval-ignore-output"]
settings = {"weight decay 0.1": dict(weight_decay=0.1), "dropout 0.5": dict(dropout=0.5),
            "augmentation": dict(augment=True), "batch norm": dict(batch_norm=True),
            "all four": dict(weight_decay=0.1, dropout=0.5, augment=True, batch_norm=True)}
for name, kwargs in settings.items():
    runs[name] = train(**kwargs)
for name, (net, h, seconds) in runs.items():
    print(f"{name:17s} train {h['train_acc'][-1]:.3f} | validation {h['val_acc'][-1]:.3f} | "
          f"gap {h['train_acc'][-1] - h['val_acc'][-1]:+.3f} | {seconds:.1f} s")

# %% [markdown]
# **Early stopping** needs no new run: `fit` recorded the validation loss after every
# epoch, and the epoch where it was lowest is where training should have stopped. To keep
# those weights, a loop saves a copy whenever the validation loss improves and stops after
# `patience` epochs without improvement:

# %% tags=["nbval-ignore-output"]
def train_early_stopping(patience=3, max_epochs=20):
    set_seed(0)
    net = make_cnn(4, 8, 64)
    optimizer = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=0.0)
    best_loss, best_state, best_epoch, waited = float("inf"), None, 0, 0
    for epoch in range(max_epochs):
        fit(net, loss_fn, optimizer, X_small, y_small, num_epochs=1, batch_size=32,
            seed=epoch, progress=False)
        val_loss, val_acc = evaluate(net, loss_fn, X_val, y_val)  # the extra validation pass
        if val_loss < best_loss:
            best_loss, best_epoch, waited = val_loss, epoch + 1, 0
            best_state = copy.deepcopy(net.state_dict())  # the extra copy of the weights
        else:
            waited += 1
            if waited >= patience:
                break
    net.load_state_dict(best_state)
    return net, best_epoch, epoch + 1


net_es, best_epoch, stopped_at = train_early_stopping()
es_loss, es_acc = evaluate(net_es, loss_fn, X_val, y_val)
base_loss, base_acc = evaluate(runs["baseline"][0], loss_fn, X_val, y_val)
print(f"early stopping: best epoch {best_epoch}, stopped after {stopped_at}; validation loss "
      f"{es_loss:.3f} (baseline after 20 epochs {base_loss:.3f}), accuracy {es_acc:.3f}")

# %%
print("early stopping ends with a lower validation loss than 20 epochs:", es_loss < base_loss)
print("it stopped before epoch 20:", stopped_at < 20)

# %% [markdown]
# The validation curves of all runs, overlaid (dashed: training accuracy):

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for (name, (net, h, seconds)), color in zip(runs.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
    epochs = range(1, len(h["val_acc"]) + 1)
    axes[0].plot(epochs, h["val_acc"], color=color, label=name)
    axes[0].plot(epochs, h["train_acc"], "--", color=color, lw=1)
    axes[1].plot(epochs, h["val_loss"], color=color, label=name)
axes[0].set(xlabel="epoch", ylabel="accuracy", title="validation (solid) and training (dashed)")
axes[1].set(xlabel="epoch", ylabel="validation loss", title="validation loss")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# What the runs show (the checks below state it against the numbers printed above):

# %%
gap = {name: h["train_acc"][-1] - h["val_acc"][-1] for name, (_, h, _) in runs.items()}
val = {name: h["val_acc"][-1] for name, (_, h, _) in runs.items()}
print("all four together narrow the train-validation gap:", gap["all four"] < gap["baseline"])
print("at least one regulariser raises validation accuracy over the baseline:",
      any(val[name] > val["baseline"] for name in settings))

# %% [markdown]
# ## 3. Optimisers on the same CNN
#
# The update rules (GBC §8.3–8.5; lesson I.10 races them on 2-D surfaces):
#
# - SGD: $\theta \leftarrow \theta - \eta g$;
# - momentum: $v \leftarrow \alpha v - \eta g$, $\theta \leftarrow \theta + v$ ($\alpha = 0.9$);
# - RMSProp: $r \leftarrow \rho r + (1 - \rho) g^2$, $\theta \leftarrow \theta - \eta g / (\sqrt{r} + \epsilon)$;
# - Adam: momentum on $g$ and RMSProp on $g^2$, both bias-corrected.
#
# Each at a learning rate in its usual range, 15 epochs on the 300 images:

# %% tags=["nbval-ignore-output"]
optimizer_runs = {}
for name, lr in [("sgd", 0.05), ("momentum", 0.01), ("rmsprop", 1e-3), ("adam", 3e-3)]:
    optimizer_runs[name] = train(optimizer=name, lr=lr, num_epochs=15)
    h = optimizer_runs[name][1]
    print(f"{name:9s} lr {lr:<6} train loss {h['train_loss'][-1]:.3f} | validation accuracy "
          f"{h['val_acc'][-1]:.3f} | {optimizer_runs[name][2]:.1f} s")

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
for name, (net, h, seconds) in optimizer_runs.items():
    ax.plot(range(1, len(h["train_loss"]) + 1), h["train_loss"], label=name)
ax.set(xlabel="epoch", ylabel="training loss", yscale="log", title="Four optimisers, same CNN")
ax.legend()
plt.show()

# %%
final = {name: h["train_loss"][-1] for name, (_, h, _) in optimizer_runs.items()}
print("plain SGD ends with the highest training loss:", final["sgd"] == max(final.values()))
print("Adam's final training loss is below plain SGD's:", final["adam"] < final["sgd"])

# %% [markdown]
# ## 4. Exercises
#
# **Exercise 1.** What does the `Augment` layer do to a batch in **eval** mode? Apply
# `Augment(2, True)` in eval mode to `X_small[:4]` and give the largest absolute change.

# %%
change = ...  # your answer: a number
layer = Augment(2, True).eval()
check(change, (layer(X_small[:4]) - X_small[:4]).abs().max().item(),
      hint="augmentation is for training only: layer.eval() passes the batch through")

# %% tags=["solution"] jupyter={"source_hidden": true}
change = 0.0
check(change, (layer(X_small[:4]) - X_small[:4]).abs().max().item())

# %% [markdown]
# **Exercise 2.** Dropout with $p = 0.5$ on a dense layer of 64 units: how many units are
# kept on average in one training step?

# %%
kept = ...  # your answer: a number
check(kept, 64 * (1 - 0.5), hint="each unit is kept with probability 1 − p")

# %% tags=["solution"] jupyter={"source_hidden": true}
kept = 32
check(kept, 64 * (1 - 0.5))

# %% [markdown]
# ## 5. Review questions (Part A)

# %%
quiz("Which regulariser changes the training data rather than the model or the loss?",
     ["weight decay", "dropout", "data augmentation", "early stopping"],
     answer=2, explanation="Augmentation shows label-preserving transformations of the images.")

# %%
quiz("What does early stopping cost?",
     ["nothing", "a validation pass per epoch and a copy of the best weights", "a second network"],
     answer=1, explanation="GBC §7.8: it evaluates the validation set regularly and keeps the best parameters.")

# %% [markdown]
# <details><summary><b>Name the regularisation techniques used in CNNs. (Q22, Q24)</b></summary>
# L2 weight decay (and L1), dropout (on dense layers, or spatial dropout on whole feature
# maps), data augmentation (shifts, flips, crops, rotations, colour changes), batch
# normalisation (mainly an optimisation aid, with a mild regularising effect) and early
# stopping. All reduce the gap between training and validation error (section 2); none
# is free: each trades some training fit for better generalisation.
# </details>
#
# <details><summary><b>Which optimisers are used to train CNNs?</b></summary>
# Mini-batch SGD, usually with momentum (0.9) and a learning-rate schedule, and adaptive
# methods (RMSProp, Adam/AdamW) that scale each parameter's step by a running estimate of
# its gradient's size. Adam needs less tuning; well-tuned SGD with momentum often
# generalises as well or better on large image data sets.
# </details>
#
# ## Summary
# - 300 images and a small CNN (parameters printed above): training accuracy well above
#   validation accuracy, and a validation loss that rises after its minimum.
# - Weight decay, dropout, augmentation and batch norm each change the gap (printed
#   above); together they narrow it (checked); early stopping keeps the epoch with the
#   lowest validation loss.
# - Plain SGD ends with the highest training loss of the four optimisers (curves above).
#
# **Next:** how the gradients of a convolution layer are computed (lesson 07).
