# %% [markdown]
# # The source assignments' model comparisons, redone with sound evaluation (Unit IV in practice)
#
# **What you will learn**
# - to compare models the way GBC ch. 11 asks: a **held-out** validation split that is not
#   the test set, training *and* validation curves, and the **spread over seeds**;
# - what seed 001's notMNIST experiments (001-B1 to B6) and seed 003's three MNIST networks
#   (003-M1 to M3) show when redone this way;
# - which of the seeds' qualitative claims hold, each verdict computed by the notebook.
#
# **What is different from the seeds** (syllabus §4.2, §4.3, §4.5). Seed 001 trained on
# 200,000 notMNIST letters and called the 17,000-image test set "validation"; seed 003
# validated on the MNIST test set. Here only a 10,000-letter sample of notMNIST is
# available, so we split it into train / 2,000 validation / 2,000 test and, to keep the
# lesson fast, train on 4,000 letters; every model trains for 8 epochs with Adam (learning rate $10^{-3}$, batch 128; the seeds' optimisers are not
# stated or are Keras defaults) and run each of seed 001's models with 3 seeds. Absolute
# numbers are therefore not comparable with the seeds'; the **qualitative** claims are.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from utils.data import load_notmnist
from utils.plotting import set_style
from utils.training import evaluate, fit, set_seed

set_style()
set_seed(0)
X_all, y_all, letters = load_notmnist()
order = torch.randperm(len(X_all), generator=torch.Generator().manual_seed(0))
X_all = X_all.reshape(len(X_all), 784)  # (10000, 784), pixels in [0, 1]
train, val, test = order[:4000], order[6000:8000], order[8000:]  # 4,000 of the first 6,000 (time)
X_train, y_train = X_all[train], y_all[train]
X_val, y_val = X_all[val], y_all[val]
X_test, y_test = X_all[test], y_all[test]
print("letters:", letters, "| train", len(train), "validation", len(val), "test", len(test))

# %% [markdown]
# ## 1. Seed 001's models
#
# | ID | architecture (ReLU hidden layers) | dropout after each hidden layer |
# |---|---|---|
# | B1 | softmax regression 784 → 10 | — |
# | B2 | 784 → 300 → 10 | — |
# | B3 | 784 → 400 → 200 → 10 | — |
# | B4 | 784 → 600 → 400 → 200 → 10 | — |
# | B5a / B5b / B5c | B3 | 0.2 / 0.4 / 0.6 on both layers |
# | B5d | B3 | 0.4, then 0.2 |
# | B6 | B4 | 0.4 on all three |

# %%
def mlp(widths, drops=None):
    """784 -> widths (ReLU, optional dropout after each) -> 10."""
    drops = drops or [0.0] * len(widths)
    layers, n_in = [], 784
    for width, p in zip(widths, drops):
        layers += [nn.Linear(n_in, width), nn.ReLU()] + ([nn.Dropout(p)] if p > 0 else [])
        n_in = width
    return nn.Sequential(*layers, nn.Linear(n_in, 10))


MODELS_001 = {
    "B1": ([], None), "B2": ([300], None), "B3": ([400, 200], None),
    "B4": ([600, 400, 200], None), "B5a": ([400, 200], [0.2, 0.2]),
    "B5b": ([400, 200], [0.4, 0.4]), "B5c": ([400, 200], [0.6, 0.6]),
    "B5d": ([400, 200], [0.4, 0.2]), "B6": ([600, 400, 200], [0.4, 0.4, 0.4]),
}
loss_fn = nn.CrossEntropyLoss()
NUM_EPOCHS, SEEDS = 8, (0, 1, 2)


def run(make_net, seed):
    set_seed(seed)
    net = make_net()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    history = fit(net, loss_fn, optimizer, X_train, y_train, X_val, y_val, num_epochs=NUM_EPOCHS,
                  batch_size=128, seed=seed, progress=False, n_train_eval=2000)
    return net, history


# %% tags=["nbval-ignore-output"]
histories = {name: [run(lambda w=w, d=d: mlp(w, d), s)[1] for s in SEEDS]
             for name, (w, d) in MODELS_001.items()}


def final(name, key):
    """Mean and std over seeds of the last-epoch value of `key`."""
    values = np.array([h[key][-1] for h in histories[name]])
    return values.mean(), values.std()


def best_epoch(name):
    """Mean over seeds of the epoch (1-based) with the lowest validation loss."""
    return np.mean([int(np.argmin(h["val_loss"])) + 1 for h in histories[name]])


def gap(name):
    """Mean over seeds of final training accuracy minus validation accuracy (both in eval mode)."""
    return np.mean([h["train_acc"][-1] - h["val_acc"][-1] for h in histories[name]])


print(f"{'model':6}{'train acc':>16}{'val acc':>16}{'val loss':>16}{'gap':>8}{'best epoch':>12}")
for name in MODELS_001:
    cells = "".join(f"{final(name, k)[0]:10.3f} ±{final(name, k)[1]:.3f}" for k in ("train_acc", "val_acc", "val_loss"))
    print(f"{name:6}{cells}{gap(name):8.3f}{best_epoch(name):12.1f}")

# %% [markdown]
# "gap" is training minus validation accuracy, both measured in evaluation mode (dropout
# off) after the last epoch; "best epoch" is where the validation loss was lowest, the
# epoch early stopping would keep (a low value means the model starts to overfit early).
#
# Training and validation curves (mean over the 3 seeds):

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), sharey=True)
groups = [("depth", ["B1", "B2", "B3", "B4"]), ("dropout on B3", ["B3", "B5a", "B5b", "B5c", "B5d"]),
          ("dropout on B4", ["B4", "B6"])]
epochs = np.arange(1, NUM_EPOCHS + 1)
for ax, (title, names) in zip(axes, groups):
    for name in names:
        train_loss = np.mean([h["train_loss"] for h in histories[name]], axis=0)
        val_loss = np.mean([h["val_loss"] for h in histories[name]], axis=0)
        line, = ax.plot(epochs, val_loss, label=f"{name} validation")
        ax.plot(epochs, train_loss, "--", color=line.get_color())
    ax.set(title=f"{title} (dashed: training)", xlabel="epoch", ylim=(0, 1.0))
    ax.legend(fontsize=8)
axes[0].set_ylabel("cross-entropy loss")
plt.show()

# %% [markdown]
# ## 2. The seeds' claims, checked
#
# Each verdict below is computed from the table above: a claim "holds" only if it holds
# for the means by more than the stated margin.

# %%
verdicts = {}
verdicts["001-B1 'significantly overfitting' (L297)"] = gap("B1") > 0.03
verdicts["deeper nets overfit earlier: best epoch of B4 at least 0.5 before B2's"] = (
    best_epoch("B4") <= best_epoch("B2") - 0.5)
verdicts["deeper nets open a larger gap: gap B4 > gap B2"] = gap("B4") > gap("B2") + 0.005
verdicts["dropout 0.2-0.4 narrows the gap of B3 (mean of B5a, B5b)"] = (gap("B5a") + gap("B5b")) / 2 < gap("B3") - 0.003
verdicts["dropout 0.4 on all layers closes the gap of B4 (B6)"] = gap("B6") < gap("B4")
verdicts["001-B5c: dropout 0.6 'causes overfit' (L378)"] = gap("B5c") > gap("B3")
verdicts["dropout 0.6 underfits: lower train acc than B3 and the smallest gap of the B3 family"] = (
    final("B5c", "train_acc")[0] < final("B3", "train_acc")[0]
    and gap("B5c") <= min(gap(n) for n in ["B3", "B5a", "B5b", "B5d"]))
for claim, holds in verdicts.items():
    print(f"{'holds' if holds else 'does NOT hold':14} {claim}")

# %% [markdown]
# How to read these verdicts:
#
# - **B1** (softmax regression) has the capacity of a linear model and a gap near zero: it
#   cannot "significantly overfit". Seed 001 said so while its validation accuracy was
#   *above* its training accuracy; the claim is wrong.
# - **Depth**: the bigger networks fit the training set better, and the gap between
#   training and validation grows, and the lowest validation loss comes earlier for B4 than
#   for B2 (on average over seeds; with only 8 epochs the shallower nets are mostly still
#   improving at the end).
# - **Dropout 0.2–0.4** reduces the gap, as seed 001 found, though by less than a
#   percentage point at 8 epochs; dropout 0.4 on all layers of B4 (B6) reduces it clearly.
# - **Dropout 0.6** reduces training accuracy the most and leaves the smallest gap: that is
#   **underfitting**, not overfitting. Seed 001 saw training accuracy below validation
#   accuracy because Keras reports training accuracy with dropout *on*; measured in
#   evaluation mode, as here, the model simply fits less.
#
# > **The notes say** (001:L297) that softmax regression on notMNIST is "significantly
# > overfitting", and (001:L378) that higher dropout "causes overfit". **In fact** both are
# > contradicted by the computed verdicts above: B1's gap is about zero, and dropout 0.6
# > lowers the training accuracy and the gap, i.e. it underfits.
#
# ## 3. Seed 003's three networks, side by side
#
# Seed 003 (003:L213–615) compared three batch-norm + dropout networks on MNIST with the
# test set as validation. We rebuild them (Keras order: Dense + ReLU, then BN, then
# dropout), check their parameter counts against the seed's summaries, and train each once
# on the same notMNIST split, plotting both curves.

# %%
def bn_net(widths, drops):
    layers, n_in = [], 784
    for width, p in zip(widths, drops):
        layers += [nn.Linear(n_in, width), nn.ReLU(), nn.BatchNorm1d(width)]
        layers += [nn.Dropout(p)] if p > 0 else []
        n_in = width
    return nn.Sequential(*layers, nn.Linear(n_in, 10))


MODELS_003 = {
    "M1": ([512, 128, 64], [0.5, 0.5, 0.0]),
    "M2": ([512, 128, 128, 64], [0.5, 0.5, 0.5, 0.5]),
    "M3": ([512, 128, 128, 64, 64, 64], [0, 0, 0, 0, 0.5, 0.5]),
}
for name, (w, d) in MODELS_003.items():
    net = bn_net(w, d)
    trainable = sum(p.numel() for p in net.parameters())
    running = sum(b.numel() for n, b in net.named_buffers() if "running" in n)
    print(f"{name}: {trainable + running:,} Keras 'parameters' ({trainable:,} trainable, {running:,} non-trainable)")

# %%
print("parameter counts equal seed 003's 479,306 (M1), 496,330 (M2), 505,162 (M3):",
      [sum(p.numel() for p in bn_net(*MODELS_003[n]).parameters())
       + sum(b.numel() for k, b in bn_net(*MODELS_003[n]).named_buffers() if "running" in k)
       for n in MODELS_003] == [479_306, 496_330, 505_162])

# %% tags=["nbval-ignore-output"]
runs_003 = {name: run(lambda w=w, d=d: bn_net(w, d), 0) for name, (w, d) in MODELS_003.items()}
histories_003 = {name: h for name, (_, h) in runs_003.items()}
fig, axes = plt.subplots(1, 3, figsize=(14, 3.6), sharey=True)
for ax, (name, h) in zip(axes, histories_003.items()):
    ax.plot(epochs, h["train_loss"], "--", label="training")
    ax.plot(epochs, h["val_loss"], label="validation")
    ax.set(title=name, xlabel="epoch")
    ax.legend()
axes[0].set_ylabel("cross-entropy loss")
plt.show()
for name, h in histories_003.items():
    print(f"{name}: train acc {h['train_acc'][-1]:.3f}, validation acc {h['val_acc'][-1]:.3f}")

# %%
accs_003 = [h["val_acc"][-1] for h in histories_003.values()]
print("all three reach validation accuracy above 0.85:", min(accs_003) > 0.85)
print("the three are within 0.05 of each other (one seed each: no ranking is claimed):",
      max(accs_003) - min(accs_003) < 0.05)

# %% [markdown]
# Seed 003 ranked M2 (0.9773) above M3 (0.9768) above M1 (0.9694) on MNIST's test set,
# which it also used for validation. Differences of a few tenths of a percent from one
# run each are within the seed-to-seed spread seen in §1, and choosing the model on the
# test set makes its reported accuracy optimistic. The sound protocol: choose on the
# validation split, then report the chosen model once on the test split:

# %% tags=["nbval-ignore-output"]
chosen = max(histories_003, key=lambda n: histories_003[n]["val_acc"][-1])
chosen_net = runs_003[chosen][0]
test_loss, test_acc = evaluate(chosen_net, loss_fn, X_test, y_test)
print(f"chosen on validation: {chosen}; its test accuracy {test_acc:.3f}")

# %%
print("test accuracy of the chosen model above 0.85:", test_acc > 0.85)

# %% [markdown]
# ## Summary
# - Compare models on a validation split that is not the test set, with training and
#   validation curves and several seeds; report the test set once, at the end.
# - Seed 001's claims, verdicts computed in §2: B1 does not overfit; dropout 0.2–0.4
#   narrows the gap; dropout 0.6 underfits rather than overfits; the depth claims are
#   judged by the verdict lines.
# - Seed 003's three networks have the parameter counts it reported; one run each cannot
#   rank models that differ by less than the seed spread.
