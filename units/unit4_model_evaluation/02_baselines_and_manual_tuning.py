# %% [markdown]
# # Baselines and manual hyperparameter tuning (syllabus IV.2, IV.3)
#
# **What you will learn**
# - to build a **baseline ladder**, from guessing to a small CNN, with the spread over
#   seeds, and to read off what each step buys;
# - the difference between **parameters** (learned) and **hyperparameters** (chosen);
# - the learning rate as the first knob: the U-shaped curve of GBC Fig. 11.1, computed;
# - how each hyperparameter moves a model's capacity (GBC Table 11.1), measured;
# - to tune by hand against a budget of trials ("be the tuner").
#
# GBC §11.2 (*default baseline models*) and §11.4.1 (*manual hyperparameter tuning*). The
# data is scikit-learn's 8×8 digits (1,797 images, no download), split once into 1,000
# training, 400 validation and 397 test images, so that one training run takes a fraction
# of a second and we can afford many.

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
    os.chdir("/content/ad3501/units/unit4_model_evaluation")

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from utils import metrics
from utils.checks import check, check_function, quiz
from utils.demos.tuner import demo
from utils.plotting import set_style
from utils.threads import use_course_threads
from utils.training import set_seed
from utils.tuning import SmallCNN, load_digits_split, train_mlp

set_style()
use_course_threads(small=True)  # tiny models: one thread
set_seed(0)
data = load_digits_split(seed=0)
print("train", tuple(data.X_train.shape), "validation", tuple(data.X_val.shape),
      "test", tuple(data.X_test.shape))

# %% [markdown]
# ## 1. Baselines: the floor and the ladder
#
# A **baseline** is the simplest thing that could work, run first. It tells you what a
# number means ("54 % accuracy" is excellent for 100 balanced classes and useless for two),
# catches pipeline bugs early (a deep network that cannot beat a linear model is probably
# broken), and tells you whether the next, costlier model is worth it. The notes list three
# kinds: **dummy** baselines that ignore the input, **simple ML** baselines, and **AutoML**.
# GBC §11.2 adds the deep-learning default: start from a standard architecture for the
# data type (an MLP for vectors, a CNN for images, an LSTM/GRU for sequences) with ReLU,
# Adam or SGD with momentum, and early stopping.
#
# Our ladder on digits, each rung trained on the training split and scored on the test split:
#
# 1. **majority class**: always predict the most frequent training class;
# 2. **stratified random**: guess a class at random with the training class frequencies;
# 3. **nearest centroid**: predict the class whose mean training image is closest;
# 4. **logistic (softmax) regression**: one linear layer;
# 5. a **small MLP**: 64 → 64 ReLU → 10;
# 6. a **small CNN**: two 3×3 convolutions with pooling.
#
# One split and one seed can flatter or punish any model, so every rung is run on 5
# different random splits (and network seeds); we report mean ± standard deviation.

# %%
def majority_predict(y_train, n):
    return np.full(n, np.bincount(y_train).argmax())


def stratified_predict(y_train, n, rng):
    frequencies = np.bincount(y_train, minlength=10) / len(y_train)
    return rng.choice(10, size=n, p=frequencies)


def nearest_centroid_predict(X_train, y_train, X):
    centroids = np.stack([X_train[y_train == k].mean(axis=0) for k in range(10)])  # (10, 64)
    distances = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)  # (N, 10)
    return distances.argmin(axis=1)


def ladder_accuracies(seed):
    """Test accuracy of each rung on the split `seed`."""
    d = load_digits_split(seed=seed)
    X_tr, y_tr, X_te, y_te = (t.numpy() for t in (d.X_train, d.y_train, d.X_test, d.y_test))
    rng = np.random.default_rng(seed)
    return {
        "majority class": metrics.accuracy(y_te, majority_predict(y_tr, len(y_te))),
        "stratified random": metrics.accuracy(y_te, stratified_predict(y_tr, len(y_te), rng)),
        "nearest centroid": metrics.accuracy(y_te, nearest_centroid_predict(X_tr, y_tr, X_te)),
        "logistic regression": 1 - train_mlp(d, lr=0.1, hidden=0, num_epochs=20, seed=seed)["test_err"],
        "MLP 64": 1 - train_mlp(d, lr=0.1, hidden=64, num_epochs=20, seed=seed)["test_err"],
        "small CNN": 1 - train_mlp(d, lr=0.05, net=SmallCNN(), num_epochs=10, seed=seed)["test_err"],
    }


# %% tags=["nbval-ignore-output"]
runs = [ladder_accuracies(seed) for seed in range(5)]
rungs = list(runs[0])
ladder = {name: np.array([run[name] for run in runs]) for name in rungs}
previous = None
print(f"{'rung':22}{'test accuracy':>18}{'gain over previous':>20}")
for name in rungs:
    acc = ladder[name]
    gain = "" if previous is None else f"{acc.mean() - previous:+.3f}"
    print(f"{name:22}{acc.mean():10.3f} ± {acc.std():.3f}{gain:>20}")
    previous = acc.mean()

# %% [markdown]
# The statements below are checked against the numbers above (they are robust to the
# small differences between CPUs):

# %%
means = {name: acc.mean() for name, acc in ladder.items()}
print("dummy baselines are near chance (accuracy < 0.2):",
      means["majority class"] < 0.2 and means["stratified random"] < 0.2)
print("nearest centroid, a one-line model, jumps above 0.8:", means["nearest centroid"] > 0.8)
print("logistic regression beats nearest centroid by more than 0.03:",
      means["logistic regression"] - means["nearest centroid"] > 0.03)
print("each learned rung is at least as good as the one before (within 0.02):",
      means["MLP 64"] >= means["logistic regression"] - 0.02
      and means["small CNN"] >= means["MLP 64"] - 0.02)
print("CNN and MLP differ by less than 3 of their standard deviations over splits:",
      abs(means["small CNN"] - means["MLP 64"]) < 3 * max(ladder["MLP 64"].std(), ladder["small CNN"].std()))

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
ax.bar(range(len(rungs)), [ladder[n].mean() for n in rungs],
       yerr=[ladder[n].std() for n in rungs], capsize=5, color="#56B4E9")
for i, name in enumerate(rungs):
    ax.scatter([i] * 5, ladder[name], color="#000000", s=10, zorder=3)
ax.set_xticks(range(len(rungs)), rungs, rotation=15)
ax.set(ylabel="test accuracy", ylim=(0, 1.05), title="baseline ladder on digits (5 splits, dots = runs)")
plt.show()

# %% [markdown]
# **What each step buys** (read from the table above): the dummy baselines fix the floor
# at about one in ten, what guessing among 10 balanced classes gives. Nearest centroid, which
# only averages images, gets most of the way; a learned linear model adds several points;
# the hidden layer and the convolutions add little on these tiny 8×8 images: the MLP
# and the CNN differ by less than the spread between splits. That last point is the
# reason for the spread: a difference smaller than the seed-to-seed variation is not
# evidence that one model is better.
#
# **Exercise 1.** With class frequencies $p_k$, the majority baseline has expected accuracy
# $\max_k p_k$ and the stratified random baseline $\sum_k p_k^2$ (it guesses class $k$ with
# probability $p_k$ and is right when the truth is $k$, also with probability $p_k$). Write
# `stratified_expected_accuracy(p)` and compare it with the measured values above.

# %%
def stratified_expected_accuracy(p):
    ...  # your code


freq_inputs = [(np.array([0.5, 0.5]),), (np.array([0.95, 0.05]),), (np.full(10, 0.1),)]
check_function(stratified_expected_accuracy, lambda p: np.sum(p ** 2), freq_inputs,
               hint="np.sum(p ** 2)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def stratified_expected_accuracy(p):
    return np.sum(p ** 2)


check_function(stratified_expected_accuracy, lambda p: np.sum(p ** 2), freq_inputs)
p_digits = np.bincount(data.y_train.numpy()) / len(data.y_train)
print(f"digits: majority {p_digits.max():.3f}, stratified random {stratified_expected_accuracy(p_digits):.3f}")

# %% [markdown]
# ## 2. Parameters and hyperparameters
#
# **Parameters** are learned by the training algorithm: the weights and biases. A
# **hyperparameter** is a setting the learning algorithm does not learn, chosen by us before
# training: the architecture (number of layers and units), the learning rate, the batch
# size, the number of epochs, weight decay, dropout rate, the optimiser and its momentum.
# (GBC §5.3: some settings are hyperparameters because optimising them on the training set
# would always choose maximal capacity; they are chosen on a **validation** set.)
#
# > **The notes say** (002:L3106) that hyperparameters have "different optimal values for
# > different values". **In fact** they have different optimal values for different
# > **data sets and tasks**, which is why they are tuned on each problem's validation set.

# %%
net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
print("learned parameters:", sum(p.numel() for p in net.parameters()), "(= 64·64 + 64 + 64·10 + 10)")
hyperparameters = {"hidden units": 64, "learning rate": 0.1, "momentum": 0.9,
                   "batch size": 64, "epochs": 20, "weight decay": 0.0}
print("hyperparameters we chose:", hyperparameters)

# %% [markdown]
# ## 3. The learning rate first: GBC's U-shaped curve
#
# GBC §11.4.1: "If you have time to tune only one hyperparameter, tune the learning rate."
# Its Fig. 11.1 sketches the **training** error against the learning rate: too small and
# training is slow, so after a fixed budget the error is still high; too large and the
# updates overshoot, the error goes up and training may diverge; in between is the minimum.
# We compute the curve: SGD with momentum 0.9 for 10 epochs at 11 learning rates, 3 seeds each.

# %% tags=["nbval-ignore-output"]
lrs = np.logspace(-4, 1, 11)  # every half decade
sweep = np.array([[[train_mlp(data, lr=float(lr), num_epochs=10, seed=s)[key] for key in ("train_err", "val_err")]
                   for lr in lrs] for s in range(3)])  # (3 seeds, 11 rates, 2)
train_err, val_err = sweep[:, :, 0], sweep[:, :, 1]
best = int(np.argmin(train_err.mean(axis=0)))
print(f"lowest mean training error {train_err.mean(axis=0)[best]:.3f} at lr = {lrs[best]:.3g}")

# %%
fig, ax = plt.subplots(figsize=(8, 3.8))
for errors, label in [(train_err, "training error"), (val_err, "validation error")]:
    ax.errorbar(lrs, errors.mean(axis=0), yerr=errors.std(axis=0), marker="o", ms=4, capsize=3, label=label)
ax.set(xscale="log", xlabel="learning rate (log scale)", ylabel="error after 10 epochs",
       title="GBC Fig. 11.1, computed: too slow on the left, unstable on the right")
ax.legend()
plt.show()
mean_train = train_err.mean(axis=0)
print("U shape: minimum inside the range, both ends at least 0.3 above it:",
      0 < best < len(lrs) - 1 and mean_train[0] > mean_train[best] + 0.3
      and mean_train[-1] > mean_train[best] + 0.3)
print("the best learning rate lies between 0.01 and 1:", 0.01 <= lrs[best] <= 1)

# %% [markdown]
# The left side is not a different minimum: the small learning rates would get there
# given many more epochs. The right side is worse: a learning rate above the stable range
# never gets there (GBC: "the error increases dramatically" once the learning rate exceeds
# a threshold).
#
# > **The notes say** (002:L3123) "a lower learning rate makes the network train faster but
# > might result in missing the minimum". **In fact** it is the other way round, as the
# > curve shows: a **higher** learning rate moves faster but may overshoot or diverge; a
# > lower one is stable but slow:

# %%
i_low, i_mid = int(np.argmin(np.abs(lrs - 1e-3))), best
print(f"after 10 epochs: lr {lrs[i_low]:.2g} -> training error {mean_train[i_low]:.2f}; "
      f"lr {lrs[i_mid]:.2g} -> {mean_train[i_mid]:.2f}")
print("the lower learning rate is the slower one:", mean_train[i_low] > mean_train[i_mid] + 0.2)

# %% [markdown]
# > **The notes say** (002:L3124) "an epoch is a group of samples which are passed through
# > the model together". **In fact** that group is a (mini-)**batch**; an **epoch** is one
# > full pass over the training set, and an **iteration** is one parameter update (one
# > batch). With 1,000 training images and batch size 64:

# %%
n_train, batch_size = len(data.X_train), 64
print(f"iterations per epoch = ceil({n_train} / {batch_size}) = {-(-n_train // batch_size)}; "
      f"10 epochs = {10 * -(-n_train // batch_size)} updates")

# %% [markdown]
# > **The notes say** (002:L3130) that momentum "works by waiting after a weight is
# > updated, and updating it a second time using a delta amount". **In fact** there is no
# > waiting and no second update: momentum keeps a velocity, an exponentially decaying
# > average of past gradients, and each step moves along it (GBC §8.3.2):
# > $v \leftarrow \beta v - \eta\nabla_\theta L,\ \theta \leftarrow \theta + v$. For a
# > constant gradient $g$ the step grows towards $\eta g/(1-\beta)$, ten times the plain
# > step for $\beta = 0.9$:

# %%
v, beta, lr_m, g = 0.0, 0.9, 0.1, 1.0
steps = []
for _ in range(50):
    v = beta * v - lr_m * g
    steps.append(-v)
print(f"step sizes: first {steps[0]:.2f}, after 10 {steps[9]:.3f}, after 50 {steps[-1]:.3f}; "
      f"limit eta g / (1 - beta) = {lr_m * g / (1 - beta):.2f}")

# %% [markdown]
# > **The notes say** (002:L3117) that dropout chooses the neurons to drop "during each
# > epoch". **In fact** a new mask is drawn for every example in every mini-batch: in one
# > batch of 4 examples, the rows already get different masks.

# %%
torch.manual_seed(0)
masks = (nn.Dropout(0.5).train()(torch.ones(4, 8)) > 0).int()  # (4 examples, 8 units)
print(masks)
print("different masks within one batch:", len({tuple(row.tolist()) for row in masks}) > 1)

# %% [markdown]
# > **The notes say** (002:L3119) that zero or random initialisation "can result in
# > vanishing or exploding gradient" and that Xavier initialisation is "a formula tied to
# > the number of neuron layers". **In fact** all-zero initialisation fails for a different
# > reason, **symmetry**: every hidden unit computes the same thing and receives the same
# > gradient, so they stay identical forever. Xavier/Glorot initialisation (GBC §8.4) sets
# > the weight variance from each layer's **fan-in and fan-out**,
# > $\mathrm{Var}(W) = 2/(n_{in} + n_{out})$, not from the number of layers. Zero
# > initialisation, measured:

# %%
zero_net = nn.Sequential(nn.Linear(64, 16), nn.Tanh(), nn.Linear(16, 10))
for p in zero_net.parameters():
    nn.init.constant_(p, 0.0)
zero_result = train_mlp(data, lr=0.1, num_epochs=5, net=zero_net, reset=False)
hidden_weights = zero_net[0].weight.detach()  # (16, 64)
print("from zeros, the 16 hidden units stay identical:",
      bool(torch.allclose(hidden_weights, hidden_weights[0].expand_as(hidden_weights))))
print("here they even stay exactly zero (tanh(0) = 0 and W2 = 0 block every gradient):",
      bool(torch.all(hidden_weights == 0)))
print(f"training error {zero_result['train_err']:.2f}: only the output bias learned (the class frequencies)")

# %% [markdown]
# ## 4. How each hyperparameter moves capacity (GBC Table 11.1)
#
# Tuning means matching the model's **effective capacity** to the task. GBC's Table 11.1
# says in which direction each hyperparameter moves capacity. The training error is our
# gauge: more capacity fits the training set better. Three rows of the table, measured
# (10 epochs, learning rate 0.1, one seed):

# %% tags=["nbval-ignore-output"]
table_11_1 = {
    "hidden units": ([2, 4, 16, 64, 256], lambda v: {"hidden": v}),
    "weight decay": ([0.0, 1e-3, 1e-2, 3e-2, 1e-1], lambda v: {"weight_decay": v}),
    "dropout rate": ([0.0, 0.3, 0.6, 0.9], lambda v: {"dropout": v}),
}
capacity = {}
for name, (values, settings) in table_11_1.items():
    capacity[name] = [train_mlp(data, lr=0.1, num_epochs=10, **settings(v))["train_err"] for v in values]
    print(f"{name:13}", "  ".join(f"{v:g}: {e:.3f}" for v, e in zip(values, capacity[name])))

# %%
def trend(errors):
    """+1 if the training error rises from the first to the last value, -1 if it falls."""
    return int(np.sign(errors[-1] - errors[0]))


print("more hidden units -> lower training error (capacity up):", trend(capacity["hidden units"]) < 0)
print("more weight decay -> higher training error (capacity down):", trend(capacity["weight decay"]) > 0)
print("more dropout -> higher training error (capacity down):", trend(capacity["dropout rate"]) > 0)

# %% [markdown]
# | hyperparameter (GBC Table 11.1) | increases capacity when… | why | measured above |
# |---|---|---|---|
# | number of hidden units | increased | more parameters, more functions | ✓ |
# | learning rate | tuned optimally | too small or too large both lower *effective* capacity | §3 |
# | convolution kernel width | increased | more parameters | — |
# | implicit zero padding | increased | keeps the representation size | — |
# | weight decay coefficient | decreased | frees the weights | ✓ |
# | dropout rate | decreased | units may co-adapt, less noise | ✓ |
#
# **Manual tuning** is this, done by a person: change one setting, train, look at
# training *and* validation error, decide. It is simple and, with an expert who knows
# these directions, effective; but it is slow for the person, hard to reproduce, and it
# does not scale to many hyperparameters. Lesson 03 automates it.
#
# ## 5. Demo: be the tuner
#
# You have **12 trials**. Set the sliders, press **Train**: a fresh network trains on the
# 1,000 training digits (about a second) and its training and validation errors are added
# to the history. Try to reach the lowest validation error within the budget. Then press
# **Reveal LR sweep** to see the learning-rate curve at your other settings (not counted in
# the budget). Strategy hint from GBC: the learning rate first, on a log scale.

# %%
tuner_demo = demo(budget=12)
tuner_demo

# %% [markdown]
# ## 6. Exercises
#
# **Exercise 2.** The training set has 60,000 images. How many parameter updates are 5
# epochs with batch size 128? (The last batch of an epoch may be smaller.)

# %%
updates = ...  # your answer
check(updates, 5 * 469, hint="ceil(60000 / 128) updates per epoch")

# %% tags=["solution"] jupyter={"source_hidden": true}
updates = 5 * -(-60_000 // 128)
check(updates, 5 * 469)

# %% [markdown]
# **Exercise 3.** Your network's training error is 0.30 and its validation error 0.31. Per
# Table 11.1, should you *increase* or *decrease* the weight decay? Answer "increase" or
# "decrease".

# %%
weight_decay_move = ...  # "increase" or "decrease"
check(weight_decay_move, "decrease", hint="a high training error means too little capacity")

# %% tags=["solution"] jupyter={"source_hidden": true}
weight_decay_move = "decrease"  # underfitting: free the weights to add capacity
check(weight_decay_move, "decrease")

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("Which of these is a model parameter rather than a hyperparameter?",
     ["the learning rate", "the number of hidden units", "a bias of the output layer",
      "the dropout rate"],
     answer=2, explanation="Weights and biases are learned by gradient descent; the others "
     "are chosen before training and tuned on the validation set.")

# %%
quiz("Training error after a fixed number of epochs, plotted against the learning rate, is…",
     ["decreasing: larger is always faster", "increasing: smaller is always better",
      "U-shaped: too small is slow, too large is unstable", "flat: the learning rate does not matter"],
     answer=2, explanation="GBC Fig. 11.1, computed in §3.")

# %%
quiz("A model underfits (training error high). Which change raises its capacity?",
     ["more weight decay", "a higher dropout rate", "more hidden units", "fewer epochs"],
     answer=2, explanation="Table 11.1: more hidden units raise capacity; more weight decay "
     "or dropout lower it.")

# %% [markdown]
# <details><summary><b>What is a baseline model? Give its three types.</b></summary>
# The simplest reasonable model, run first to give other results a meaning and to catch
# bugs: (1) dummy baselines that ignore the input (majority class, stratified random, the
# mean for regression, whose R² is 0); (2) simple ML baselines (nearest centroid, logistic
# or linear regression); (3) AutoML baselines. GBC §11.2 adds the standard deep default for
# the data type.
# </details>
#
# <details><summary><b>Model parameter vs hyperparameter.</b></summary>
# Parameters (weights, biases) are learned from the training data; hyperparameters
# (learning rate, architecture, batch size, epochs, regularisation strength) are set
# before training and chosen by their validation error.
# </details>
#
# <details><summary><b>Manual tuning: one advantage and one drawback.</b></summary>
# Advantage: an expert who understands how each hyperparameter moves capacity (Table 11.1)
# can reach a good model in few trials. Drawback: it needs that expertise and the person's
# time, is hard to reproduce, and scales badly to many hyperparameters.
# </details>
#
# ## Summary
# - Run baselines first, with the spread over seeds: the dummy floor, then the simplest
#   learned models. A gain smaller than the spread is not a gain.
# - Hyperparameters are chosen, not learned, and are judged on validation data.
# - Tune the learning rate first: training error against it is U-shaped (GBC Fig. 11.1).
# - Each hyperparameter moves capacity in a known direction (GBC Table 11.1); tuning
#   matches capacity to the task.
#
# **Next:** lesson 03 replaces the person by an algorithm: grid search, random search and
# Bayesian optimisation.
