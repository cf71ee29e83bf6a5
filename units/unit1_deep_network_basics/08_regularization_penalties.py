# %% [markdown]
# # Regularization I: norm penalties, early stopping and data augmentation (syllabus I.14)
#
# **What you will learn**
# - what regularisation is, and the penalty view $\tilde J(w) = J(w) + \alpha\,\Omega(w)$;
# - ridge (L2) regression in closed form, and why the same penalty is called *weight decay*
#   in gradient descent;
# - lasso (L1) regression with a proximal gradient step (ISTA), and why only the L1 penalty
#   sets weights *exactly* to zero (feature selection);
# - L1 and L2 penalties on a deep network, reproducing the Fashion-MNIST sweeps of the
#   source assignment (seed 001);
# - two regularisers that are not penalties: early stopping and data augmentation.

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
    os.chdir("/content/ad3501/units/unit1_deep_network_basics")

# %%
import copy
import inspect
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.linear_model import Lasso, Ridge

from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.plotting import OKABE_ITO, set_style, show_images
from utils.regularization import (DEMO_LAMS, augment, l1_penalty, l2_penalty, lasso_ista,
                                  make_mlp, make_regression_data, mse, paths_demo,
                                  penalized_loss, regularisation_paths, ridge_fit,
                                  soft_threshold, weight_matrices)
from utils.training import evaluate, fit, set_seed, train_epoch
from utils.threads import use_course_threads

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. What regularisation is
#
# Goodfellow, Bengio & Courville (*Deep Learning*, GBC below, §5.2.2) define regularisation
# as *any modification we make to a learning algorithm that is intended to reduce its
# generalisation error but not its training error*. Lesson 07 showed why we need it: a
# network with enough capacity fits its training set better and better while its
# validation error stops improving.
#
# Many regularisers **add a penalty** to the objective (GBC §7.1):
#
# $$\tilde J(w; X, y) = J(w; X, y) + \alpha\,\Omega(w), \qquad \alpha \ge 0,$$
#
# where $J$ is the data loss, $\Omega$ measures the size of the parameters and $\alpha$ sets
# how much we care about it. $\alpha = 0$ is no regularisation; a large $\alpha$ forces small
# weights even at the cost of a worse fit. The two classic choices are
#
# - **L2**: $\Omega(w) = \tfrac12\lVert w\rVert_2^2 = \tfrac12\sum_j w_j^2$ (ridge regression,
#   weight decay);
# - **L1**: $\Omega(w) = \lVert w\rVert_1 = \sum_j \lvert w_j\rvert$ (lasso).
#
# Others change the data (augmentation), the training procedure (early stopping) or the
# network (dropout, lesson 09). We start with a linear model, where everything can be
# computed exactly.
#
# ## 2. A regression problem with a collinear pair
#
# Ten features, of which only three enter the target: $y = 1 + 3x_0 - 2x_1 + 1.5x_2 +
# \varepsilon$ with noise $\varepsilon \sim \mathcal N(0, 2^2)$. Feature 3 is a noisy copy of
# feature 0, so the pair (0, 3) is nearly **collinear**. We get only 30 training points for
# 10 weights, and 500 validation points to measure generalisation.

# %%
data = make_regression_data()
print("X_train:", data.X_train.shape, " X_val:", data.X_val.shape)
print("true weights:", data.w_true.tolist())
print(f"correlation of features 0 and 3: {np.corrcoef(data.X_train[:, 0], data.X_train[:, 3])[0, 1]:.3f}")

# %% [markdown]
# The model is $\hat y = b + \sum_{j=1}^{n} w_j x_j$: **one** intercept $b$ and one weight
# per feature, all of them learned.
#
# > **The notes say** (002:L1524–1532) $y = \beta_0 + \beta_1x_1 + \dots + \beta_nx_n + b$,
# > with "β₀ … the bias" *and* "b the intercept", and that linear regression "tries to
# > optimize the β₀ and b". **In fact** $\beta_0$ and $b$ are the same thing, the intercept;
# > a model has one of them. And training optimises *all* the coefficients
# > $\beta_0, \dots, \beta_n$, not only the intercept.
#
# Ordinary least squares (OLS) minimises the residual sum of squares
# $\mathrm{RSS} = \sum_i (y_i - \hat y_i)^2$. With the collinear pair and few points, it
# can trade weight between features 0 and 3 almost freely:

# %%
w_ols, b_ols = ridge_fit(data.X_train, data.y_train, lam=0.0)  # lam = 0 is plain least squares
print("OLS weights:", np.round(w_ols, 2).tolist())
print(f"OLS intercept {b_ols:.2f}; weights of the pair (0, 3): {w_ols[0]:.2f}, {w_ols[3]:.2f}")
print(f"OLS train MSE {mse(data.X_train, data.y_train, w_ols, b_ols):.2f}, "
      f"validation MSE {mse(data.X_val, data.y_val, w_ols, b_ols):.2f}")

# %% [markdown]
# The training error is far below the validation error: OLS fits the noise of 30 points
# with its 10 free weights, and the weights of the irrelevant features 4–9 are not zero.
#
# ## 3. Ridge regression (L2)
#
# Ridge regression adds the squared weights to the RSS:
#
# $$J_{\text{ridge}}(w, b) = \sum_{i=1}^{m} \big(y_i - b - \textstyle\sum_{j=1}^{n} w_j x_{ij}\big)^2
#   + \lambda \sum_{j=1}^{n} w_j^2 .$$
#
# This is GBC's $\tilde J$ with $J = \mathrm{RSS}$, $\Omega = \tfrac12\lVert w\rVert^2$ and
# $\alpha = 2\lambda$. The intercept $b$ is **not penalised**: shifting every target by a
# constant should shift $b$, not shrink the weights. Centring the data takes $b$ out: with
# $\tilde X = X - \bar x$ and $\tilde y = y - \bar y$, setting the gradient to zero gives
#
# $$w = (\tilde X^\top \tilde X + \lambda I)^{-1}\tilde X^\top \tilde y, \qquad
#   b = \bar y - \bar x^\top w .$$
#
# The term $\lambda I$ makes the matrix invertible even when features are collinear
# ($\tilde X^\top\tilde X$ is then nearly singular); $\lambda \to 0$ gives back OLS.
#
# > **The notes say** (002:L1551–1555) "In the above equation, the penalty term
# > regularizes the coefficients…", but the equation is missing. **In fact** the ridge cost
# > is the one above: RSS $+\ \lambda\sum_j w_j^2$ (the penalty is λ times the sum of the
# > squared weights).
#
# `ridge_fit` in `utils/regularization.py` is these two lines. It agrees with
# scikit-learn's `Ridge`, which minimises the same cost:

# %%
lam = 5.0
w_ridge, b_ridge = ridge_fit(data.X_train, data.y_train, lam)
sk_ridge = Ridge(alpha=lam).fit(data.X_train, data.y_train)
print("ridge weights:", np.round(w_ridge, 2).tolist())
print("equal to scikit-learn's Ridge:", np.allclose(w_ridge, sk_ridge.coef_)
      and np.isclose(b_ridge, sk_ridge.intercept_))
print(f"ridge train MSE {mse(data.X_train, data.y_train, w_ridge, b_ridge):.2f}, "
      f"validation MSE {mse(data.X_val, data.y_val, w_ridge, b_ridge):.2f}")

# %% [markdown]
# Ridge shortens the weight vector and shares the signal of the collinear pair between
# features 0 and 3: both get a positive weight, where OLS let them fight with opposite
# signs. The training error goes up, the validation error goes down: the trade
# regularisation is meant to make.

# %%
print("validation MSE lower with ridge than with OLS:",
      mse(data.X_val, data.y_val, w_ridge, b_ridge) < mse(data.X_val, data.y_val, w_ols, b_ols))
print("ridge weight vector shorter than OLS's:", np.linalg.norm(w_ridge) < np.linalg.norm(w_ols))
print("pair (0, 3): opposite signs under OLS:", w_ols[0] * w_ols[3] < 0,
      "| both positive under ridge:", w_ridge[0] > 0 and w_ridge[3] > 0)

# %% [markdown]
# ## 4. Weight decay: the L2 penalty inside gradient descent
#
# With $\Omega(w) = \tfrac12 w^\top w$ the gradient of $\tilde J$ is $\alpha w + \nabla_w J$,
# so a gradient step with learning rate $\epsilon$ is (GBC eq. 7.5)
#
# $$w \leftarrow w - \epsilon(\alpha w + \nabla_w J(w)) = (1 - \epsilon\alpha)\,w - \epsilon\,\nabla_w J(w).$$
#
# Before each ordinary gradient step the weights are multiplied by $1 - \epsilon\alpha < 1$:
# they **decay**. Run long enough on the ridge cost ($J = \mathrm{RSS}$, $\alpha = 2\lambda$),
# this update lands on the closed-form ridge solution:

# %%
X_c = data.X_train - data.X_train.mean(axis=0)  # centred features (m, n)
y_c = data.y_train - data.y_train.mean()  # centred targets (m,)
alpha = 2 * lam  # GBC's alpha for the penalty lam * sum w^2
lr = 1 / (2 * np.linalg.norm(X_c, 2) ** 2 + alpha)  # a safe step size
w = np.zeros(10)
for step in range(5000):
    grad_J = 2 * X_c.T @ (X_c @ w - y_c)  # gradient of the RSS
    w = (1 - lr * alpha) * w - lr * grad_J  # weight decay, then the ordinary step
print("gradient descent with weight decay reaches the ridge solution:",
      np.allclose(w, w_ridge, atol=1e-6))

# %% [markdown]
# In PyTorch this is the `weight_decay` argument of `torch.optim.SGD`: it adds
# `weight_decay * w` to the gradient. One step by hand and one by the optimiser agree:

# %%
w_torch = torch.tensor(w_ols, requires_grad=True)
optimizer = torch.optim.SGD([w_torch], lr=lr, weight_decay=alpha)
rss = ((torch.tensor(X_c) @ w_torch - torch.tensor(y_c)) ** 2).sum()
rss.backward()
optimizer.step()
by_hand = (1 - lr * alpha) * w_ols - lr * (2 * X_c.T @ (X_c @ w_ols - y_c))
print("torch.optim.SGD(weight_decay=alpha) makes the same step:",
      np.allclose(w_torch.detach().numpy(), by_hand))

# %% [markdown]
# With adaptive optimisers such as Adam the two are *not* the same: Adam rescales the
# penalty's gradient per parameter like any other gradient. Decoupling the decay from that
# rescaling is what `torch.optim.AdamW` does (Loshchilov & Hutter, 2019).
#
# ## 5. Lasso regression (L1)
#
# The lasso replaces the squares of the weights by their absolute values:
#
# $$J_{\text{lasso}}(w, b) = \sum_{i=1}^{m} \big(y_i - b - \textstyle\sum_{j=1}^{n} w_j x_{ij}\big)^2
#   + \lambda \sum_{j=1}^{n} \lvert w_j\rvert .$$
#
# > **The notes say** (002:L1561) that LASSO stands for "Least Absolute and Selection
# > Operator". **In fact** it is the Least Absolute **Shrinkage** and Selection Operator
# > (Tibshirani, 1996).
# >
# > **The notes say** (002:L1569) $\sum_i (y_i - y'_i)^2 = \sum_i(y_i - \sum_{j=0}^n
# > \beta_j x_{ij})^2 + \lambda\sum_{j=0}^n\lvert\beta_j\rvert$. **In fact** the left side
# > is not the RSS (the equation would say the RSS equals itself plus a penalty): it is the
# > new cost $J(\beta)$. And the penalty sums over $j = 1, \dots, n$: the intercept
# > $\beta_0$ is not penalised, as in ridge.
#
# $\lvert w\rvert$ has no derivative at 0, so plain gradient descent does not fit. **ISTA**
# (iterative soft-thresholding, a *proximal gradient* method) takes a gradient step on the
# RSS only, then applies the **soft-thresholding** operator, which solves the L1 part
# exactly:
#
# $$w \leftarrow S_{\epsilon\lambda}\big(w - \epsilon\,\nabla_w \mathrm{RSS}(w)\big), \qquad
#   S_t(z) = \operatorname{sign}(z)\,\max(\lvert z\rvert - t,\ 0).$$
#
# $S_t$ moves every entry $t$ closer to zero and sets every entry with $\lvert z\rvert \le t$
# **exactly** to zero:

# %%
z = np.array([-3.0, -0.5, 0.0, 0.2, 1.0, 2.5])
print("z          :", z.tolist())
print("S_1(z)     :", soft_threshold(z, 1.0).tolist())

# %% [markdown]
# `lasso_ista` (in `utils/regularization.py`) runs this update with step
# $\epsilon = 1/L$, where $L$ is twice the largest eigenvalue of $\tilde X^\top\tilde X$ (the
# largest curvature of the RSS). scikit-learn's `Lasso` minimises
# $\frac{1}{2m}\lVert y - Xw - b\rVert^2 + a\lVert w\rVert_1$, the same cost divided by
# $2m$, so its $a$ is our $\lambda / (2m)$:

# %%
lam_lasso = 30.0
w_lasso, b_lasso = lasso_ista(data.X_train, data.y_train, lam_lasso, num_steps=3000)
m = len(data.y_train)
sk_lasso = Lasso(alpha=lam_lasso / (2 * m), tol=1e-12, max_iter=100_000).fit(data.X_train, data.y_train)
print("lasso weights:", np.round(w_lasso, 2).tolist())
print("equal to scikit-learn's Lasso:", np.allclose(w_lasso, sk_lasso.coef_, atol=1e-6))
print("weights exactly 0 - lasso:", int(np.sum(w_lasso == 0)), "| ridge:", int(np.sum(w_ridge == 0)),
      "| OLS:", int(np.sum(w_ols == 0)))
print(f"lasso validation MSE {mse(data.X_val, data.y_val, w_lasso, b_lasso):.2f}")

# %% [markdown]
# The lasso sets several weights to exactly 0: it **selects features**, giving a
# model that uses only a few inputs. Ridge only shrinks: its weights get small but never 0.
# The reason is the shape of the penalty near 0: the push of $\lambda\lvert w_j\rvert$
# towards zero has the same strength $\lambda$ however small $w_j$ is, while the push of
# $\lambda w_j^2$, which is $2\lambda w_j$, fades away as $w_j$ approaches 0.
#
# The exact zeros come from the proximal step. A plain *subgradient* step,
# $w \leftarrow w - \epsilon(\nabla \mathrm{RSS} + \lambda\operatorname{sign}(w))$, aims at
# the same cost but overshoots 0 back and forth, so its weights do not land exactly on 0:

# %%
w_sub = np.zeros(10)
eps = 1 / (2 * np.linalg.norm(X_c, 2) ** 2)
for step in range(3000):
    w_sub = w_sub - eps * (2 * X_c.T @ (X_c @ w_sub - y_c) + lam_lasso * np.sign(w_sub))
print("subgradient descent: weights exactly 0:", int(np.sum(w_sub == 0)),
      "| largest |w_j| where the lasso has 0:", f"{np.abs(w_sub[w_lasso == 0]).max():.4f}")

# %% [markdown]
# ## 6. Regularisation paths: choosing λ on the validation set
#
# How do the weights move as $\lambda$ grows? We fit both models on a grid of $\lambda$
# from $10^{-2}$ to $10^{3}$ (for the lasso each fit starts from the previous one, a *warm
# start*) and draw each weight against $\log\lambda$: a **regularisation path**.

# %%
paths = regularisation_paths(data, DEMO_LAMS)
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
for ax, name in zip(axes[:2], ["ridge", "lasso"]):
    for j in range(10):
        style = {"lw": 2.5} if j in (0, 1, 2) else ({"lw": 2, "ls": "--"} if j == 3 else
                                                    {"lw": 1, "color": "grey", "alpha": 0.6})
        ax.plot(DEMO_LAMS, paths[name][:, j], label=f"$w_{j}$" if j <= 3 else None, **style)
    ax.axhline(0, color="k", lw=0.8)
    ax.set(xscale="log", xlabel=r"$\lambda$", ylabel="weight", title=f"{name} path")
axes[0].legend(fontsize=9, ncol=2)
for name, color in [("ridge", OKABE_ITO[0]), ("lasso", OKABE_ITO[1])]:
    axes[2].plot(DEMO_LAMS, paths[f"{name}_val"], color=color, label=f"{name} validation")
    axes[2].plot(DEMO_LAMS, paths[f"{name}_train"], "--", color=color, label=f"{name} train")
axes[2].set(xscale="log", yscale="log", xlabel=r"$\lambda$", ylabel="MSE", title="errors")
axes[2].legend(fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# Thick lines are the informative weights $w_0, w_1, w_2$, the dashed line is $w_3$ (the
# copy of feature 0), grey lines are the irrelevant features. Along the ridge path every
# weight shrinks smoothly towards 0; along the lasso path the weights hit 0 one after
# another and stay there. The training error only grows with $\lambda$; the validation
# error first falls, then rises: we pick $\lambda$ where it is lowest.

# %%
for name in ["ridge", "lasso"]:
    k = int(np.argmin(paths[f"{name}_val"]))
    print(f"{name}: best lambda {DEMO_LAMS[k]:.3g}, validation MSE {paths[f'{name}_val'][k]:.2f}, "
          f"weights exactly 0: {int(np.sum(paths[name][k] == 0))}")
print(f"OLS validation MSE: {mse(data.X_val, data.y_val, w_ols, b_ols):.2f}")

# %% [markdown]
# ## 7. Demo: move λ
#
# The slider moves along the paths above: the bars are the ten weights of ridge and lasso
# at that $\lambda$ (black ticks are the true weights), the right panel marks $\lambda$ on
# the error curves.

# %%
demo = paths_demo(data, paths)
demo

# %% [markdown]
# **Try this**
# - Start at the smallest λ: both models are close to OLS. Where do the weights of the
#   collinear pair (0 and 3) differ most between ridge and lasso?
# - Find the λ at which the lasso first has a zero weight, and the λ at which only the
#   three informative features (or their copy) remain.
# - Push λ to the maximum: what does each model predict then?
#
# ## 8. Penalties on a deep network: reproducing seed 001 (experiment 001-A3)
#
# For a network, $\Omega$ is computed over the **weight matrices** only: biases are few,
# and penalising them would only restrict where each unit switches on. Seed 001 added to the
# mean cross-entropy over the mini-batch
#
# $$\tilde J = \frac1m\sum_{i=1}^m L\big(f(x^{(i)}), y^{(i)}\big) + \alpha\sum_{\ell}\sum_{j,k} \big(W^{(\ell)}_{j,k}\big)^2
#   \quad\text{(L2)}, \qquad \text{or}\quad + \alpha\sum_{\ell}\sum_{j,k} \big\lvert W^{(\ell)}_{j,k}\big\rvert \quad\text{(L1)},$$
#
# with $\alpha \in \{0.001, 0.003, 0.006\}$ for L2 and $\{0.0001, 0.0003, 0.0006\}$ for L1
# (001:L213–275). In GBC's form the L2 term is $\tilde\alpha\cdot\tfrac12\lVert w\rVert^2$
# with $\tilde\alpha = 2\alpha$. The penalties are a few lines each (from
# `utils/regularization.py`):

# %%
for function in [weight_matrices, l2_penalty, l1_penalty, penalized_loss]:
    print(inspect.getsource(function))

# %%
net = make_mlp((300, 100))
print(net)
print(f"untrained network: L2 penalty sum W^2 = {l2_penalty(net).item():.1f}, "
      f"L1 penalty sum |W| = {l1_penalty(net).item():.1f}")

# %% [markdown]
# `penalized_loss(net, alpha, penalty)` (printed above) returns a `loss_fn` for
# `utils.training.fit` that adds `alpha * penalty(net)` to the mean cross-entropy while the
# network trains. In evaluation mode it returns the plain cross-entropy, so the learning
# curves below compare the *data* loss across values of α.
#
# The data are Fashion-MNIST: 55,000 training images, 5,000 held out from the training set
# for validation, and the 10,000 test images for the final report. Pixels are standardised
# with the training mean and standard deviation, as in lesson 07. Standardising also matters
# for the penalty: with inputs of larger spread, the first layer needs smaller weights for
# the same function, so a given α costs it less.

# %%
fmnist = load_fashion_mnist(n_val=5000, seed=0)
pixel_mean, pixel_std = fmnist.X_train.mean(), fmnist.X_train.std()


def prepare(X):
    """Standardise images (N, 1, 28, 28) and flatten them to (N, 784)."""
    return ((X - pixel_mean) / pixel_std).reshape(len(X), 784)  # (N, 784)


X_train, X_val, X_test = prepare(fmnist.X_train), prepare(fmnist.X_val), prepare(fmnist.X_test)
y_train, y_val, y_test = fmnist.y_train, fmnist.y_val, fmnist.y_test
print("train", tuple(X_train.shape), "validation", tuple(X_val.shape), "test", tuple(X_test.shape))

# %% [markdown]
# Seed 001 does not state its optimiser or training length. To fit six runs into a couple
# of minutes of CPU we train each for 4 epochs with Adam (learning rate $10^{-3}$, batch
# 256) and a cosine schedule that lowers the learning rate to 0 over the run. The cell
# prints how long the six runs took on your machine.

# %%
def train_penalized(penalty, alpha, num_epochs=4):
    """784-300-100-10 MLP trained on mean cross-entropy + alpha * penalty(net)."""
    set_seed(0)
    net = make_mlp((300, 100))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs)
    history = fit(net, penalized_loss(net, alpha, penalty), optimizer, X_train, y_train,
                  X_val, y_val, num_epochs=num_epochs, batch_size=256, scheduler=scheduler,
                  progress=False, n_train_eval=5000)
    return net, history


# %% tags=["nbval-ignore-output"]
sweeps = {"L2": (l2_penalty, [0.001, 0.003, 0.006]), "L1": (l1_penalty, [0.0001, 0.0003, 0.0006])}
runs = {}  # (name, alpha) -> (net, history)
start = time.perf_counter()
for name, (penalty, alphas) in sweeps.items():
    for alpha in alphas:
        runs[name, alpha] = train_penalized(penalty, alpha)
        history = runs[name, alpha][1]
        print(f"{name} alpha={alpha:<7}: train acc {history['train_acc'][-1]:.4f}, "
              f"validation acc {history['val_acc'][-1]:.4f}")
print(f"6 runs of 4 epochs took {time.perf_counter() - start:.0f} s")

# %% [markdown]
# The learning curves of every setting: dashed lines on (5,000 images of) the training set,
# solid lines on the validation set.

# %%
fig, axes = plt.subplots(2, 2, figsize=(12, 7))
for row, (name, (penalty, alphas)) in zip(axes, sweeps.items()):
    for alpha, color in zip(alphas, OKABE_ITO):
        history = runs[name, alpha][1]
        epochs = range(1, len(history["val_acc"]) + 1)
        for ax, metric in zip(row, ["loss", "acc"]):
            ax.plot(epochs, history[f"train_{metric}"], "--", color=color)
            ax.plot(epochs, history[f"val_{metric}"], color=color, label=f"α = {alpha}")
    for ax in row:
        ax.set_xticks(list(epochs))
    row[0].set(ylabel="cross-entropy", title=f"{name} penalty: loss")
    row[1].set(ylabel="accuracy", title=f"{name} penalty: accuracy")
    row[1].legend()
for ax in axes[1]:
    ax.set_xlabel("epoch")
fig.tight_layout()
plt.show()

# %% [markdown]
# The best setting of each sweep is the one with the highest validation accuracy; only for
# that one do we look at the test set. Seed 001 reports validation accuracies of 0.86 for
# L2 (best α = 0.003) and 0.85 for L1 (best α = 0.0003).

# %% tags=["nbval-ignore-output"]
best = {}
for name, (penalty, alphas) in sweeps.items():
    alpha = max(alphas, key=lambda a: runs[name, a][1]["val_acc"][-1])
    net, history = runs[name, alpha]
    test_acc = evaluate(net, penalized_loss(net, 0, penalty), X_test, y_test)[1]
    best[name] = (alpha, history["val_acc"][-1], test_acc)
    print(f"{name}: best alpha {alpha}, validation accuracy {history['val_acc'][-1]:.4f}, "
          f"test accuracy {test_acc:.4f}")

# %%
print("001-A3 L2 sweep: best validation accuracy >= 0.86:", best["L2"][1] >= 0.86)
print("001-A3 L1 sweep: best validation accuracy >= 0.85:", best["L1"][1] >= 0.85)
print("test accuracy of both best settings >= 0.84:", min(best["L2"][2], best["L1"][2]) >= 0.84)

# %% [markdown]
# Within each sweep, the strongest penalty gives the lowest training *and* validation
# accuracy here: it restricts the network more than it helps. Seed 001 trained much longer
# (its curves run past 200 iterations and it says the unregularised network overfits after
# 150 epochs). The longer a network trains, the more it overfits and the more a penalty
# can help, which is the likely reason why it found the middle values 0.003 and 0.0003
# best. In our short runs the train–validation gap is small for every α, so the weakest
# penalty wins. The checks below state the ordering and the gap for the runs above.

# %%
for name, (penalty, alphas) in sweeps.items():
    val_accs = [runs[name, alpha][1]["val_acc"][-1] for alpha in alphas]
    train_accs = [runs[name, alpha][1]["train_acc"][-1] for alpha in alphas]
    gaps = [t - v for t, v in zip(train_accs, val_accs)]
    print(f"{name}: the largest alpha has the lowest validation and training accuracy:",
          val_accs[-1] == min(val_accs) and train_accs[-1] == min(train_accs))
    print(f"{name}: train-validation accuracy gap below 0.02 for every alpha:", max(gaps) < 0.02)

# %% [markdown]
# What did the penalties do to the weights? Adam's steps do not produce *exact* zeros (that
# needs a proximal step, as in ISTA), so we count the first-layer weights below $10^{-3}$ in
# absolute value, and the hidden units all of whose 784 input weights are that small (such
# a unit no longer looks at the image at all).

# %% tags=["nbval-ignore-output"]
for (name, alpha), (net, history) in runs.items():
    W1 = net[0].weight.detach()  # (300, 784): the first layer's weights
    dead_units = int((W1.abs() < 1e-3).all(dim=1).sum())  # units with no weight left
    print(f"{name} alpha={alpha:<7}: first-layer weights with |w| < 1e-3: "
          f"{(W1.abs() < 1e-3).float().mean().item():6.1%}; units with all 784 below 1e-3: "
          f"{dead_units:3d} of 300")

# %%
W1_l1 = runs["L1", 0.0006][0][0].weight.detach()
W1_l2 = runs["L2", 0.006][0][0].weight.detach()
print("strongest L1 has more near-zero first-layer weights than strongest L2:",
      (W1_l1.abs() < 1e-3).float().mean().item() > (W1_l2.abs() < 1e-3).float().mean().item())
print("strongest L1 switches off more hidden units than strongest L2:",
      (W1_l1.abs() < 1e-3).all(dim=1).sum().item() > (W1_l2.abs() < 1e-3).all(dim=1).sum().item())

# %% [markdown]
# Both penalties switch some hidden units off entirely, L1 many more (counted above). Each
# unit's 784 input weights form a 28×28 image; here are the first six units of the two
# strongest penalties. Under L1 the surviving weights sit on a few pixels; under L2 they are
# small but spread over the garment:

# %%
fig, axes = plt.subplots(2, 6, figsize=(12, 4.4))
for row, (name, W1) in zip(axes, [("L1 α=0.0006", W1_l1), ("L2 α=0.006", W1_l2)]):
    for unit, ax in enumerate(row):
        ax.imshow(W1[unit].reshape(28, 28), cmap="RdBu", vmin=-0.1, vmax=0.1)  # (784,) -> (28, 28)
        ax.axis("off")
    row[0].set_title(name, loc="left", fontsize=11)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 9. Early stopping
#
# The number of training steps is a hyperparameter too. **Early stopping** (GBC §7.8,
# Algorithm 7.1) evaluates the network on the validation set after every epoch, keeps a
# copy of the weights whenever the validation loss reaches a new minimum, and stops when it
# has not improved for `patience` epochs; it then returns the *saved* weights, not the
# last ones. It is cheap but not free (GBC §7.8): its main cost is the **validation pass**
# it runs after every epoch (here over 2,000 validation images, twice as many as the 1,000
# it trains on; evaluating less often, or on a second processor, reduces it), plus the
# memory for **a copy of the best weights**. In return it limits how far the weights can
# travel from their small initial values, much like an L2 penalty (GBC §7.8 shows the
# equivalence for a quadratic loss).
#
# To see overfitting in seconds we train on only 1,000 training images and validate on
# 2,000. We let the run continue past the point where early stopping would have stopped,
# to see what it saves us from.

# %%
X_small, y_small = fmnist.X_train[:1000], fmnist.y_train[:1000]  # raw images (1000, 1, 28, 28)
X_val_small, y_val_small = X_val[:2000], y_val[:2000]
loss_fn = torch.nn.CrossEntropyLoss()


def train_with_early_stopping(num_epochs=40, patience=8, augment_images=None, seed=0):
    """Train on (X_small, y_small); record the curves and, like Algorithm 7.1, the best
    weights seen until `patience` epochs pass without a new lowest validation loss."""
    set_seed(seed)
    net = make_mlp((300, 100))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(seed)
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_epoch, best_state, stop_epoch = math.inf, 0, None, None
    for epoch in range(1, num_epochs + 1):
        X_epoch = X_small if augment_images is None else augment_images(X_small, generator)
        train_epoch(net, loss_fn, optimizer, prepare(X_epoch), y_small, 128, generator)
        history["train_loss"].append(evaluate(net, loss_fn, prepare(X_small), y_small)[0])
        val_loss, val_acc = evaluate(net, loss_fn, X_val_small, y_val_small)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if stop_epoch is None and val_loss < best_loss:
            best_loss, best_epoch, best_state = val_loss, epoch, copy.deepcopy(net.state_dict())
        elif stop_epoch is None and epoch - best_epoch >= patience:
            stop_epoch = epoch  # early stopping would end the training here
    return net, history, best_state, best_epoch, stop_epoch


# %% tags=["nbval-ignore-output"]
net_plain, history_plain, best_state, best_epoch, stop_epoch = train_with_early_stopping()
final_test = evaluate(net_plain, loss_fn, X_test, y_test)
net_plain.load_state_dict(best_state)  # what early stopping returns
early_test = evaluate(net_plain, loss_fn, X_test, y_test)
print(f"lowest validation loss at epoch {best_epoch}; with patience 8 training stops at epoch {stop_epoch}")
print(f"after all 40 epochs:   test loss {final_test[0]:.3f}, test accuracy {final_test[1]:.4f}")
print(f"early-stopped weights: test loss {early_test[0]:.3f}, test accuracy {early_test[1]:.4f}")

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.8))
epochs = range(1, len(history_plain["val_loss"]) + 1)
ax.plot(epochs, history_plain["train_loss"], "--", label="training loss")
ax.plot(epochs, history_plain["val_loss"], label="validation loss")
ax.axvline(best_epoch, color="k", lw=1, label="best epoch (weights kept)")
ax.axvline(stop_epoch, color="grey", ls=":", label="early stopping stops")
ax.set(xlabel="epoch", ylabel="cross-entropy", title="1,000 training images, no penalty")
ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.01, 0.5))
plt.show()

# %% [markdown]
# The training loss keeps falling towards 0 while the validation loss turns round and
# climbs: the network memorises the 1,000 images and becomes over-confident on the images
# it gets wrong. The weights saved at the best epoch have a clearly lower test loss than
# the final ones; compare also the two test accuracies printed above (accuracy counts only
# the arg max, so it moves less than the loss).

# %%
print(f"validation passes run: {len(history_plain['val_loss'])}, of {len(X_val_small):,} images each "
      f"(training set: {len(X_small):,} images); weight copies held: 1 "
      f"({sum(t.numel() for t in best_state.values()):,} numbers)")
print("early-stopped weights have a lower test loss than the final ones:", early_test[0] < final_test[0])
print("validation loss at the end is above its minimum by more than 0.1:",
      history_plain["val_loss"][-1] > min(history_plain["val_loss"]) + 0.1)

# %% [markdown]
# ## 10. Data augmentation
#
# The best way to generalise better is more data. When we cannot collect it, we can make
# it: transform each training image in ways that do not change its label (GBC §7.4). For
# Fashion-MNIST, shifting a garment by a pixel or mirroring it left–right leaves it the same
# garment. (Not every transformation is safe: mirroring a "b" into a "d" changes a letter,
# and rotating a 6 by 180° gives a 9.)
#
# `augment` in `utils/regularization.py` shifts every image by its own random offset of
# up to one pixel in each direction (padding with the background value 0, then cutting a
# 28×28 window with index tensors) and mirrors half of the images, all with tensor
# operations on the whole batch. A new random version of the training set is drawn for
# every epoch. Top row: originals; bottom row: one augmented draw of the same images.

# %%
generator = torch.Generator().manual_seed(0)
X_shown = torch.cat([X_small[:8], augment(X_small[:8], generator, max_shift=2)])  # (16, 1, 28, 28)
show_images(X_shown, torch.cat([y_small[:8], y_small[:8]]), fmnist.classes, n_cols=8, n_rows=2)
plt.show()

# %% [markdown]
# (The grid uses shifts of up to 2 pixels so that they are visible; the training below uses
# 1 pixel.) Same 1,000 images, same network and epochs, now with a fresh augmentation in
# every epoch:

# %% tags=["nbval-ignore-output"]
net_aug, history_aug, *_ = train_with_early_stopping(augment_images=augment)
print(f"no augmentation:   final validation loss {history_plain['val_loss'][-1]:.3f}, "
      f"accuracy {history_plain['val_acc'][-1]:.4f}")
print(f"with augmentation: final validation loss {history_aug['val_loss'][-1]:.3f}, "
      f"accuracy {history_aug['val_acc'][-1]:.4f}")

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.8))
for history, label, color in [(history_plain, "no augmentation", OKABE_ITO[0]),
                              (history_aug, "shift ±1 px + mirror", OKABE_ITO[1])]:
    ax.plot(epochs, history["train_loss"], "--", color=color, label=f"{label}: training")
    ax.plot(epochs, history["val_loss"], color=color, label=f"{label}: validation")
ax.set(xlabel="epoch", ylabel="cross-entropy", title="Data augmentation on 1,000 images")
ax.legend(fontsize=9)
plt.show()

# %%
print("augmentation lowers the final validation loss:",
      history_aug["val_loss"][-1] < history_plain["val_loss"][-1])
print("augmentation narrows the final train-validation loss gap:",
      history_aug["val_loss"][-1] - history_aug["train_loss"][-1]
      < history_plain["val_loss"][-1] - history_plain["train_loss"][-1])

# %% [markdown]
# Augmentation slows the memorisation down: the training loss falls more slowly (each epoch
# shows new versions of the images) and the validation loss stays lower. Compare the
# accuracies printed above too: within 40 epochs the gain shows mainly in the loss. An MLP has no
# built-in notion that a shifted image is the same image, so shifts help it less than they
# help the convolutional networks of Unit II, which are built to handle translation.
#
# ## 11. Exercises
#
# **Exercise 1.** Write the closed-form ridge solution for data that are already centred:
# `ridge_weights(X, y, lam)` returns $(X^\top X + \lambda I)^{-1}X^\top y$. Use
# `np.linalg.solve` rather than an explicit inverse.

# %%
def ridge_weights(X, y, lam):
    ...  # your code: return an array of shape (X.shape[1],)


ridge_inputs = [(X_c, y_c, 0.0), (X_c, y_c, 5.0), (X_c[:, :3], y_c, 100.0)]
check_function(ridge_weights, lambda X, y, lam: ridge_fit(X, y, lam)[0], ridge_inputs,
               hint="np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def ridge_weights(X, y, lam):
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


check_function(ridge_weights, lambda X, y, lam: ridge_fit(X, y, lam)[0], ridge_inputs)

# %% [markdown]
# **Exercise 2.** Write the soft-thresholding operator `shrink(z, t)` $= S_t(z)$ for a numpy
# array `z` and a threshold `t ≥ 0`.

# %%
def shrink(z, t):
    ...  # your code


shrink_inputs = [(np.array([-3.0, -0.5, 0.0, 0.2, 1.0, 2.5]), 1.0), (np.linspace(-2, 2, 9), 0.0),
                 (np.array([0.3, -0.3]), 0.3)]
check_function(shrink, soft_threshold, shrink_inputs,
               hint="np.sign(z) * np.maximum(np.abs(z) - t, 0)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def shrink(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


check_function(shrink, soft_threshold, shrink_inputs)

# %% [markdown]
# **Exercise 3.** One step of weight decay: with $w = (2, -4)$, gradient of the data loss
# $\nabla J = (1, 1)$, learning rate $\epsilon = 0.1$ and $\alpha = 0.5$, what is the new
# $w$? Compute it with the update rule of section 4 (as a numpy array).

# %%
w_new = ...  # your answer
check(w_new, np.array([(1 - 0.1 * 0.5) * 2 - 0.1, (1 - 0.1 * 0.5) * -4 - 0.1]),
      hint="w <- (1 - lr * alpha) * w - lr * grad")

# %% tags=["solution"] jupyter={"source_hidden": true}
w_new = (1 - 0.1 * 0.5) * np.array([2.0, -4.0]) - 0.1 * np.array([1.0, 1.0])
check(w_new, np.array([(1 - 0.1 * 0.5) * 2 - 0.1, (1 - 0.1 * 0.5) * -4 - 0.1]))

# %% [markdown]
# **Exercise 4.** Using the paths computed in section 6 (`paths["lasso"]` has one row of
# ten weights per λ in `DEMO_LAMS`), find the smallest λ of the grid at which the lasso
# has at least 5 weights exactly equal to 0.

# %%
lam_five_zeros = ...  # your answer, a number from DEMO_LAMS
check(lam_five_zeros, DEMO_LAMS[np.argmax((paths["lasso"] == 0).sum(axis=1) >= 5)],
      hint="count (paths['lasso'] == 0) along axis 1, then take the first index where it is >= 5")

# %% tags=["solution"] jupyter={"source_hidden": true}
zeros_per_lam = (paths["lasso"] == 0).sum(axis=1)  # (len(DEMO_LAMS),)
lam_five_zeros = DEMO_LAMS[np.nonzero(zeros_per_lam >= 5)[0][0]]
check(lam_five_zeros, DEMO_LAMS[np.argmax((paths["lasso"] == 0).sum(axis=1) >= 5)])

# %% [markdown]
# ## 12. Review questions (Part A)

# %%
quiz("Which penalty can set weights exactly to zero, and so select features?",
     ["L2 (ridge)", "L1 (lasso)", "both", "neither"],
     answer=1, explanation="The L1 penalty pulls with constant strength λ down to 0; the "
     "L2 pull 2λw fades as w approaches 0, so ridge only shrinks.")

# %%
quiz("Gradient descent on J(w) + (α/2)||w||² multiplies the weights at every step by…",
     ["1 + εα", "1 − εα", "α", "it leaves them unchanged"],
     answer=1, explanation="w ← (1 − εα)w − ε∇J: this shrinking is why the L2 penalty is "
     "called weight decay.")

# %%
quiz("Which of these is a regulariser that adds no penalty term to the loss?",
     ["ridge", "lasso", "early stopping", "weight decay"],
     answer=2, explanation="Early stopping limits the number of steps (and keeps the best "
     "validation weights); data augmentation and dropout also add no penalty.")

# %% [markdown]
# <details><summary><b>What is regularisation? (Q28)</b></summary>
# Any change to a learning algorithm meant to reduce its generalisation (test) error, not
# its training error. Many regularisers add a penalty αΩ(w) to the loss, e.g. L2
# (α/2)‖w‖² or L1 α‖w‖₁, which discourages large weights; others are early stopping, data
# augmentation and dropout. The strength α is a hyperparameter chosen on a validation set.
# </details>
#
# <details><summary><b>What is the difference between regularisation and optimisation? (Q30)</b></summary>
# Optimisation finds the parameters that minimise a given objective on the training data
# (gradient descent, Adam, …). Regularisation changes the problem so that its solution
# generalises better: it adds a penalty to the objective, restricts the parameters, adds
# noise (dropout) or stops the optimiser early. Optimisation serves the training error;
# regularisation trades some training error for a lower test error.
# </details>
#
# <details><summary><b>Ridge versus lasso.</b></summary>
# Ridge adds λΣw_j² to the residual sum of squares and has the closed form
# (XᵀX + λI)⁻¹Xᵀy on centred data; it shrinks all weights and copes with collinear
# features. Lasso (Least Absolute Shrinkage and Selection Operator) adds λΣ|w_j|; it sets
# some weights exactly to zero, so it also selects features. Neither penalises the intercept.
# </details>
#
# ## Summary
# - Regularisation trades training error for validation error; the penalty view is
#   $\tilde J = J + \alpha\Omega(w)$ with α chosen on a validation set.
# - L2 (ridge): closed form $(\tilde X^\top\tilde X + \lambda I)^{-1}\tilde X^\top\tilde y$;
#   in gradient descent it is weight decay $w \leftarrow (1-\epsilon\alpha)w - \epsilon\nabla J$.
# - L1 (lasso): solved by proximal steps (soft-thresholding); it gives exact zeros, i.e.
#   feature selection; ridge only shrinks.
# - On Fashion-MNIST, the L1 and L2 sweeps of seed 001 reach the validation accuracies it
#   reports (checked above); with short training the weakest penalty does best.
# - Early stopping keeps the weights of the best validation epoch; data augmentation makes
#   new training examples from label-preserving transformations. Both slow overfitting.
#
# **Next:** lesson 09 adds noise to the network itself (dropout) and normalises its hidden
# layers (batch normalisation).
