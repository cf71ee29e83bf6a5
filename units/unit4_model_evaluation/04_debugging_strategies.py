# %% [markdown]
# # Debugging strategies: a bug hunt (syllabus IV.7)
#
# **What you will learn**
# - the debugging checks of GBC §11.5: reason about train and test error, **fit a tiny
#   data set**, **compare back-propagated and numerical derivatives**, monitor
#   **activations, gradients and the update-to-weight ratio**, and **look at the worst
#   mistakes**;
# - six real bugs from the course's source assignments, each with its symptom in seconds,
#   the check that finds it, and the fix.
#
# The notes have no content on this topic (syllabus §6.4): everything here follows GBC
# §11.5. Machine-learning bugs rarely crash; the program runs and the numbers are merely
# wrong, so we need tests that know what the numbers *should* be.

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
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from torch import nn

from utils.checks import check, check_function, quiz
from utils.plotting import set_style
from utils.threads import use_course_threads
from utils.training import set_seed
from utils.tuning import load_digits_split, make_net

set_style()
use_course_threads(small=True)  # tiny models: one thread
set_seed(0)
data = load_digits_split(seed=0)
X, y = data.X_train, data.y_train  # (1000, 64), (1000,)
loss_fn = nn.CrossEntropyLoss()

# %% [markdown]
# ## Bug 1: an accuracy that says 0.90 for an untrained network (seed 000)
#
# Seed 000 (000:L38–53) measured accuracy by rounding the softmax outputs and comparing them
# **element-wise** with the one-hot labels, averaging over all $N \times 10$ entries. The
# **symptom**: a fresh, untrained network already "scores" about 0.9.

# %%
def buggy_accuracy(y_hat, y):
    """Seed 000's metric: round(softmax) == one-hot, averaged over every entry."""
    one_hot = nn.functional.one_hot(y, 10).float()  # (N, 10)
    return (torch.round(torch.softmax(y_hat, dim=1)) == one_hot).float().mean().item()


def true_accuracy(y_hat, y):
    return (y_hat.argmax(dim=1) == y).float().mean().item()


torch.manual_seed(0)
untrained = make_net(64)
with torch.no_grad():
    y_hat = untrained(data.X_val)  # (400, 10) logits
print(f"untrained network: seed 000's accuracy {buggy_accuracy(y_hat, data.y_val):.3f}, "
      f"true accuracy {true_accuracy(y_hat, data.y_val):.3f}")
all_zero = torch.zeros(400, 10)  # an output that rounds to zero everywhere
print(f"an all-zero output scores {(all_zero == nn.functional.one_hot(data.y_val, 10)).float().mean().item():.3f}")

# %% [markdown]
# **The check that finds it** (GBC §11.5, "reason about the software using train and test
# error"): compare with a baseline whose score you know. Guessing among 10 classes gives
# 0.1; a metric that gives 0.9 to a network that has learned nothing is broken. With 10
# classes, 9 of the 10 one-hot entries are 0 and an output that rounds to all zeros
# matches them.

# %%
print("buggy metric far above chance for an untrained net:", buggy_accuracy(y_hat, data.y_val) > 0.8)
print("true accuracy near chance (< 0.25):", true_accuracy(y_hat, data.y_val) < 0.25)

# %% [markdown]
# ## Bug 2: dropout divided by $p$ and left on at evaluation (seed 000)
#
# Seed 000 (000:L82–99) kept units with probability $1-p$ but divided by $p$, and used the
# same forward pass for evaluation. **Symptoms**: the same image gets different predictions
# on two calls, and the activations are scaled by $(1-p)/p$ on average.

# %%
def seed000_dropout(h, p):
    keep = (torch.rand(h.shape) < 1 - p).float()
    return keep * h / p  # bug: should be / (1 - p), and only while training


h = torch.ones(100_000)
print(f"p = 0.3: mean activation after seed 000's dropout {seed000_dropout(h, 0.3).mean():.2f} (should be 1)")
x_one = data.X_val[:1]
hidden = nn.functional.relu(untrained[0](x_one))  # (1, 64)
outputs = [untrained[3](seed000_dropout(hidden, 0.3)).argmax().item() for _ in range(20)]
print("20 evaluations of ONE image give the classes:", sorted(set(outputs)))

# %% [markdown]
# **The check**: evaluation must be deterministic, and dropout must preserve the mean.
# The fix is `nn.Dropout(p)` (which divides by $1-p$) and `net.eval()` before evaluating:

# %%
fixed = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 10)).eval()
with torch.no_grad():
    same = all(torch.equal(fixed(x_one), fixed(x_one)) for _ in range(20))
print("fixed: evaluation is deterministic:", same)
print(f"fixed: mean after nn.Dropout(0.3) in training mode {nn.Dropout(0.3).train()(h).mean():.2f}")

# %% [markdown]
# ## Bug 3: a scaler fitted on the test split (seed 004)
#
# Seed 004 (004:L588) standardised its test set with `sc.fit_transform(x_test)`: the test
# data are scaled with **their own** mean and standard deviation, information a deployed
# model never has. **Symptom**: a prediction depends on which other samples are in the test
# set; a single patient cannot be scored at all.

# %%
cancer = load_breast_cancer()
X_c, y_c = cancer.data, 1 - cancer.target
order = np.random.default_rng(0).permutation(len(y_c))
tr, te = order[:400], order[400:]
scaler = StandardScaler().fit(X_c[tr])
clf = LogisticRegression(max_iter=1000).fit(scaler.transform(X_c[tr]), y_c[tr])

p_test = clf.predict_proba(scaler.transform(X_c[te]))[:, 1]
k = int(np.argmin(np.abs(p_test - 0.5)))  # the least certain test patient
one_patient = X_c[te[k:k + 1]]  # (1, 30)
buggy_one = StandardScaler().fit_transform(one_patient)  # the test set's own statistics
print("one patient scaled by its own statistics:", np.unique(buggy_one))
small_test = np.r_[te[k], te[:19][te[:19] != te[k]]][:20]  # this patient and 19 others
p_full = clf.predict_proba(StandardScaler().fit_transform(X_c[te]))[k, 1]
p_half = clf.predict_proba(StandardScaler().fit_transform(X_c[small_test]))[0, 1]
p_right = p_test[k]
print(f"P(malignant) of the same patient: {p_full:.3f} in the full test set, {p_half:.3f} in "
      f"a test set of 20, {p_right:.3f} with the training scaler")

# %% [markdown]
# **The check**: predict one sample alone and inside a batch; the answers must agree.
# The fix is `scaler.transform(X_test)` with the scaler fitted on the training split.

# %%
same_alone_and_in_batch = np.isclose(clf.predict_proba(scaler.transform(one_patient))[0, 1], p_right)
print("fixed: a patient's score does not depend on the other test patients:", bool(same_alone_and_in_batch))
print("buggy: it does (the two buggy scores differ by more than 0.01):", abs(p_full - p_half) > 0.01)

# %% [markdown]
# ## Bug 4: softmax fed to `CrossEntropyLoss`
#
# `nn.CrossEntropyLoss` expects **logits**: it applies log-softmax itself. A network that
# ends in `nn.Softmax` gets softmax twice. **Symptom**: the loss cannot go low. Since the
# probabilities lie in [0, 1], the best the second softmax can do is
# $-\log\frac{e}{e + 9} \approx 1.46$ for 10 classes.
#
# **The check** (GBC §11.5, "fit a tiny dataset"): any correct network must drive the loss
# on **one small batch** close to 0. We try, with and without the bug:

# %%
def overfit_one_batch(net, steps=300, lr=0.01):
    """Adam on the first 32 training images; returns the final loss."""
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    X_b, y_b = X[:32], y[:32]
    for _ in range(steps):
        loss = loss_fn(net(X_b), y_b)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


# %% tags=["nbval-ignore-output"]
torch.manual_seed(0)
loss_ok = overfit_one_batch(make_net(64))
torch.manual_seed(0)
loss_bug = overfit_one_batch(nn.Sequential(make_net(64), nn.Softmax(dim=1)))
print(f"one batch of 32 after 300 steps: correct {loss_ok:.3f}, softmax twice {loss_bug:.3f}; "
      f"floor -log(e/(e+9)) = {-np.log(np.e / (np.e + 9)):.3f}")

# %%
print("correct net overfits the batch (< 0.05):", loss_ok < 0.05)
print("buggy net stuck above 1.4:", loss_bug > 1.4)

# %% [markdown]
# ## Bug 5: a missing `zero_grad`
#
# PyTorch **adds** each `backward()` into `.grad`. Without `optimizer.zero_grad()` every
# step uses the sum of all past gradients. **The check** (GBC §11.5, "compare
# back-propagated derivatives to numerical derivatives"): a centred finite difference
# $\frac{L(\theta + \epsilon) - L(\theta - \epsilon)}{2\epsilon}$ for a few weights.

# %%
def numerical_grad(net, X_b, y_b, index, eps=1e-3):
    """Centred difference of the loss with respect to one weight of the first layer (float64)."""
    w = net[0].weight
    with torch.no_grad():
        w[index] += eps
        plus = loss_fn(net(X_b), y_b).item()
        w[index] -= 2 * eps
        minus = loss_fn(net(X_b), y_b).item()
        w[index] += eps
    return (plus - minus) / (2 * eps)


torch.manual_seed(0)
net64 = make_net(64).double()
X_b, y_b = X[:32].double(), y[:32]
loss_fn(net64(X_b), y_b).backward()
top = net64[0].weight.grad.abs().flatten().argsort(descending=True)[:3]  # 3 weights with large gradients
indices = [divmod(int(k), 64) for k in top]  # (unit, pixel) pairs
grad_ratios = {}
for n_backward in (1, 3):
    net64.zero_grad()
    for _ in range(n_backward):  # 3 backward passes without zero_grad in between
        loss_fn(net64(X_b), y_b).backward()
    grad_ratios[n_backward] = np.array([net64[0].weight.grad[i].item() / numerical_grad(net64, X_b, y_b, i)
                                        for i in indices])
    print(f"{n_backward} backward pass(es): autograd / numerical = "
          + ", ".join(f"{r:.4f}" for r in grad_ratios[n_backward]))

# %%
print("with zero_grad the gradients match the numerical ones (within 1e-4):",
      bool(np.allclose(grad_ratios[1], 1, atol=1e-4)))
print("without it, three backward passes give three times the gradient:",
      bool(np.allclose(grad_ratios[3], 3, atol=1e-3)))

# %% [markdown]
# The ratio 3 is the accumulated gradient. (In `torch.autograd.gradcheck` PyTorch ships
# the same test for any function.)
#
# ## Bug 6: learning rate ×100, NaN losses
#
# A learning rate 100 times too large (compare seed 004's exploding-gradient arithmetic,
# 004:L129) makes the loss explode; a little larger still and it overflows to `inf` and
# `nan` (`utils.training.fit` stops and says so). **The check** (GBC §11.5,
# "monitor histograms of activations and gradients"): the size of each update relative
# to the weights, $\|\Delta W\| / \|W\|$, should be about $10^{-3}$–$10^{-2}$ per step.

# %%
def train_and_watch(lr, steps=30):
    """SGD with momentum 0.9 on batches of 64; returns the losses and the update-to-weight
    ratios of layer 1."""
    torch.manual_seed(0)
    net = make_net(64)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    losses, ratios = [], []
    for step in range(steps):
        idx = torch.arange(step * 32 % 960, step * 32 % 960 + 64)
        loss = loss_fn(net(X[idx]), y[idx])
        before = net[0].weight.detach().clone()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        ratios.append(((net[0].weight.detach() - before).norm() / before.norm()).item())
    return np.array(losses), np.array(ratios)


# %% tags=["nbval-ignore-output"]
losses_ok, ratios_ok = train_and_watch(0.1)
losses_bad, ratios_bad = train_and_watch(10.0)
print(f"lr 0.1: first loss {losses_ok[0]:.2f}, largest {losses_ok.max():.2f}, last {losses_ok[-1]:.2f}; "
      f"update/weight ratio of the first 5 steps {np.median(ratios_ok[:5]):.1e}")
print(f"lr 10 : first loss {losses_bad[0]:.2f}, largest {losses_bad.max():.0f}; "
      f"update/weight ratio of the first 5 steps {np.median(ratios_bad[:5]):.1e}")

# %%
print("healthy: ratio between 1e-3 and 5e-2:", 1e-3 < np.median(ratios_ok[:5]) < 5e-2)
print("lr x100: the ratio is above 0.1 (weights change by more than 10 % a step):", np.median(ratios_bad[:5]) > 0.1)
print("lr x100: the loss explodes to more than 10 times its start:", losses_bad.max() > 10 * losses_bad[0])

# %% [markdown]
# ## Two more GBC checks: activation histograms and the worst mistakes
#
# A trained network (60 epochs of Adam on the digits, a few seconds). The histograms of the
# hidden activations show dead units (always 0) or saturation at a glance; the
# worst-mistakes gallery shows the validation images with the highest loss (GBC §11.5:
# "visualize the worst mistakes"), often mislabelled or ambiguous examples, or a
# preprocessing bug.

# %% tags=["nbval-ignore-output"]
torch.manual_seed(0)
net = make_net(64)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for _ in range(60):
    loss = loss_fn(net(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
with torch.no_grad():
    hidden = nn.functional.relu(net[0](data.X_val))  # (400, 64)
    per_sample = nn.functional.cross_entropy(net(data.X_val), data.y_val, reduction="none")  # (400,)
    y_pred = net(data.X_val).argmax(dim=1)
dead = (hidden.max(dim=0).values == 0).sum().item()
worst = per_sample.argsort(descending=True)[:8]
fig, axes = plt.subplots(1, 9, figsize=(13, 1.9), gridspec_kw={"width_ratios": [3] + [1] * 8})
axes[0].hist(hidden.flatten().numpy(), bins=40)
axes[0].set(title="hidden activations", yscale="log")
for ax, i in zip(axes[1:], worst.tolist()):
    ax.imshow(data.X_val[i].reshape(8, 8), cmap="gray_r")  # (8, 8)
    ax.set_title(f"{y_pred[i].item()} ({data.y_val[i].item()})", fontsize=9)
    ax.axis("off")
plt.show()
print(f"dead hidden units (never active on validation data): {dead} of 64")

# %%
print("fewer than a quarter of the units are dead:", dead < 16)

# %% [markdown]
# ## Exercises: fix the bugs
#
# **Exercise 1.** Write `accuracy(y_hat, y)` correctly for logits `y_hat` (N, 10).

# %%
def accuracy(y_hat, y):
    ...  # your code


acc_inputs = [(y_hat, data.y_val), (torch.eye(10), torch.arange(10)), (torch.zeros(5, 10), torch.ones(5).long())]
check_function(accuracy, true_accuracy, acc_inputs, hint="(y_hat.argmax(dim=1) == y).float().mean()")

# %% tags=["solution"] jupyter={"source_hidden": true}
def accuracy(y_hat, y):
    return (y_hat.argmax(dim=1) == y).float().mean().item()


check_function(accuracy, true_accuracy, acc_inputs)

# %% [markdown]
# **Exercise 2.** Fix seed 000's dropout: `dropout(h, p, training)` keeps each entry with
# probability $1-p$, divides by $1-p$ while training, and returns `h` unchanged otherwise.
# The check compares the mean over many entries and the evaluation output.

# %%
def dropout(h, p, training):
    ...  # your code


def dropout_summary(fn, p):
    """[mean of the training output over 200,000 ones (rounded), sum of the eval output of 3 ones]."""
    torch.manual_seed(0)
    big = torch.ones(200_000)
    train_out, eval_out = fn(big, p, True), fn(big[:3], p, False)
    if train_out is None or eval_out is None:
        return ...  # not written yet
    return [round(train_out.mean().item(), 1), eval_out.sum().item()]


check(dropout_summary(dropout, 0.3), [1.0, 3.0],
      hint="keep = (torch.rand(h.shape) < 1 - p).float(); return keep * h / (1 - p)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def dropout(h, p, training):
    if not training:
        return h
    keep = (torch.rand(h.shape) < 1 - p).float()
    return keep * h / (1 - p)


check(dropout_summary(dropout, 0.3), [1.0, 3.0])

# %% [markdown]
# **Exercise 3.** Remove the softmax bug: build the network so that the one-batch check of
# Bug 4 passes (final loss below 0.05).

# %%
def build_net():
    return nn.Sequential(make_net(64), nn.Softmax(dim=1))  # fix me


torch.manual_seed(0)
check(overfit_one_batch(build_net()) < 0.05, True, hint="CrossEntropyLoss wants logits: drop nn.Softmax")

# %% tags=["solution"] jupyter={"source_hidden": true}
def build_net():
    return make_net(64)  # logits; CrossEntropyLoss applies log-softmax itself


torch.manual_seed(0)
check(overfit_one_batch(build_net()) < 0.05, True)

# %% [markdown]
# ## Review questions (Part A)

# %%
quiz("Your network's loss on a single batch of 32 images will not go below 1.4. The first "
     "suspect is…",
     ["too little data", "a bug, e.g. softmax before CrossEntropyLoss", "the learning rate "
      "schedule", "the test set"], answer=1,
     explanation="Any working network can memorise one small batch (GBC §11.5, fit a tiny "
     "dataset). Failing that is a bug in the model, loss or optimiser.")

# %%
quiz("How do you check that back-propagation computes the right gradient?",
     ["train longer", "compare it with a finite-difference estimate", "look at the accuracy",
      "use a larger batch"], answer=1,
     explanation="(L(θ+ε) − L(θ−ε))/2ε for a few parameters must match autograd (GBC §11.5).")

# %% [markdown]
# <details><summary><b>Name four debugging strategies for neural networks (GBC §11.5).</b></summary>
# Visualise the model in action and its worst mistakes; reason about the software using
# training and test error (compare with baselines); fit a tiny data set; compare
# back-propagated derivatives with numerical ones; monitor histograms of activations and
# gradients and the update-to-weight ratio (about 1 % or less per step).
# </details>
#
# ## Summary
# | bug (source) | symptom | the check that finds it |
# |---|---|---|
# | rounded-softmax accuracy (000) | untrained net "scores" 0.9 | compare with chance / a baseline |
# | dropout ÷ p, on at evaluation (000) | random predictions, activations ×(1−p)/p | determinism in eval mode, mean preserved |
# | scaler fitted on test (004) | a prediction depends on the other test samples | one sample alone vs in a batch |
# | softmax into CrossEntropyLoss | loss stuck above 1.46 | overfit one batch |
# | missing zero_grad | gradients are sums of past ones | gradient check against finite differences |
# | learning rate ×100 | inf / NaN losses | update-to-weight ratio, loss monitoring |
#
# **Next:** lesson 05 applies sound evaluation to the source assignments' model comparisons.
