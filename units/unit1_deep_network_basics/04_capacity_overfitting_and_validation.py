# %% [markdown]
# # Capacity, overfitting and validation (I.6, I.7, I.8)
#
# A learning algorithm is judged on data it has **not** seen. This lesson is about the
# knob that decides how well that goes (capacity), the two ways it goes wrong
# (underfitting and overfitting), and the honest way to set the knob (validation sets
# and cross-validation).
#
# **What you will learn**
# - what the capacity of a model is: its hypothesis space (polynomial degree, width and
#   depth of a network), and the Bayes error that no capacity can beat;
# - to recognise underfitting and overfitting from training and test error, and why the
#   gap between them closes as the training set grows;
# - to stop a network's training early from its validation curve;
# - the difference between parameters and hyperparameters, and how to choose a
#   hyperparameter with a validation set or with k-fold cross-validation written from
#   scratch (plain and stratified);
# - why a single holdout split gives a noisy estimate, measured over 30 random splits.

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
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import make_moons
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from torch import nn

from utils.checks import check, check_function, quiz
from utils.demos import capacity
from utils.demos.capacity import fit_polynomial, make_data, mse, predict_polynomial, true_function
from utils.plotting import set_style
from utils.training import evaluate, set_seed, train_epoch
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. Capacity (I.6)
#
# We train on a **training set** and report the error on a **test set** drawn from the
# same distribution $p_{\text{data}}(\boldsymbol x, y)$, independently (the *i.i.d.
# assumptions*). The **training error** is what optimisation makes small; the **test
# (generalisation) error** is what we care about.
#
# The **capacity** of a model is its ability to fit a wide variety of functions. One way
# to control it is the **hypothesis space**: the set of functions the learning algorithm
# may choose from. Linear regression chooses among the lines $\hat y = b + wx$; adding
# powers of $x$ as features gives the polynomials of degree $d$ (GBC §5.2):
#
# $$\hat y = b + \sum_{i=1}^{d} w_i x^i .$$
#
# The model is still *linear in its parameters* $\boldsymbol w$, so least squares still
# fits it, but a larger $d$ means a larger hypothesis space.
#
# Our data: $x \sim U(0, 1)$ and $y = \sin(2\pi x) + \varepsilon$ with
# $\varepsilon \sim \mathcal N(0, 0.3^2)$. Because we generate it ourselves we know
# $p(x, y)$ exactly, which lets us compute things that are unknowable on real data.

# %%
x_train, y_train = make_data(10, noise=0.3, seed=2)  # 10 training points
x_test, y_test = make_data(1000, noise=0.3, seed=99)  # a large test set from the same p(x, y)
print("x_train:", x_train.shape, " y_train:", y_train.shape, " x_test:", x_test.shape)

# %% [markdown]
# From scratch: build the design matrix of powers $[1, x, x^2, \dots, x^d]$ and solve the
# least-squares problem $\min_{\boldsymbol w}\lVert \boldsymbol X\boldsymbol w - \boldsymbol y\rVert^2$.

# %%
def powers(x, degree):
    """Design matrix [1, x, x^2, ..., x^degree]."""
    return x[:, None] ** np.arange(degree + 1)  # (m, degree + 1)


def fit_powers(x, y, degree):
    X = powers(x, degree)
    w, *_ = np.linalg.lstsq(X, y, rcond=None)  # least squares
    return w


for degree in [1, 3, 9]:
    w = fit_powers(x_train, y_train, degree)
    train_mse = mse(powers(x_train, degree) @ w, y_train)
    test_mse = mse(powers(x_test, degree) @ w, y_test)
    # 4 significant digits: the numerical aside below shows why more would be noise
    print(f"degree {degree}: {degree + 1:2d} parameters, training MSE {train_mse:.4f}, "
          f"test MSE {test_mse:.4g}")

# %% [markdown]
# The degree-9 polynomial has 10 parameters for 10 points: it passes through every one
# (training error 0) and its test error is the worst. The figure is GBC's Fig 5.2 on our
# data: a line **underfits**, degree 3 is about right, degree 9 **overfits**.

# %%
grid = np.linspace(0, 1, 300)
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), sharey=True)
for ax, degree, title in zip(axes, [1, 3, 9], ["underfitting", "appropriate capacity",
                                               "overfitting"]):
    w = fit_powers(x_train, y_train, degree)
    ax.plot(grid, true_function(grid), color="#009E73", label="true sin(2πx)")
    ax.plot(grid, powers(grid, degree) @ w, color="#D55E00", label=f"degree {degree}")
    ax.scatter(x_train, y_train, color="#0072B2", zorder=3, label="training points")
    ax.set(title=f"degree {degree}: {title}", xlabel="x", ylim=(-2, 2))
    ax.legend(fontsize=8, loc="lower left")
axes[0].set_ylabel("y")
plt.show()

# %% [markdown]
# **A numerical aside: how many of those digits are real?** The powers $x^i$ on $[0, 1]$
# are nearly parallel vectors for large $i$ ($x^8$ and $x^9$ look almost alike), so the
# design matrix is **ill-conditioned**. Its **condition number**
# $\kappa(\boldsymbol X) = \sigma_{\max}/\sigma_{\min}$, the ratio of its largest to its
# smallest singular value (GBC §4.2), bounds how much a relative error in the data or in
# the arithmetic can grow in the solution: roughly
#
# $$\frac{\lVert\Delta\boldsymbol w\rVert}{\lVert\boldsymbol w\rVert} \lesssim
#   \kappa(\boldsymbol X)\,\varepsilon_{\text{machine}},\qquad
#   \varepsilon_{\text{machine}} = 2^{-52} \approx 2.2\times10^{-16}\ \text{(float64)} .$$
#
# Every floating-point sum is rounded, and *the order of the additions* depends on the
# BLAS kernel your CPU selects (AVX-512, AVX2, SSE …) and on the number of threads. So a
# result computed from an ill-conditioned system agrees between two computers only in its
# first $\approx 16 - \log_{10}\kappa$ digits; the rest are rounding noise.

# %%
X9 = powers(x_train, 9)  # (10, 10): 10 points, degree 9
kappa = np.linalg.cond(X9)
eps = np.finfo(float).eps
trusted_digits = int(-np.log10(kappa * eps))
print(f"condition number of the degree-9 design matrix: {kappa:.1e}")
print(f"kappa * eps = {kappa * eps:.1e}: about {trusted_digits} significant digits can be trusted")
largest_weight = np.abs(fit_powers(x_train, y_train, 9)).max()
print(f"largest |w_i| of the degree-9 fit: {largest_weight:.1e}")
print("kappa is between 1e8 and 1e10, leaving 6 trusted digits:",
      1e8 < kappa < 1e10 and trusted_digits == 6)
print("the weights are between 1e6 and 1e8 in size:", 1e6 < largest_weight < 1e8)

# the same interpolating polynomial, computed three ways
X9_test = powers(x_test, 9)  # (1000, 10)
test_mse_3_ways = {
    "lstsq on powers": mse(X9_test @ fit_powers(x_train, y_train, 9), y_test),
    "solve on powers": mse(X9_test @ np.linalg.solve(X9, y_train), y_test),
    "Legendre basis": mse(predict_polynomial(fit_polynomial(x_train, y_train, 9), x_test), y_test),
}
for name, value in test_mse_3_ways.items():
    print(f"{name:16s}: test MSE {value:.{trusted_digits}g}")
values = np.array(list(test_mse_3_ways.values()))
spread = (values.max() - values.min()) / values.min()
print(f"the three agree to within kappa * eps: {spread < kappa * eps}")
print(f"the three are not identical to 12 digits: {spread > 1e-12}")

# %% [markdown]
# The condition number printed above is about $10^9$, so only about the first 6 digits of
# the degree-9 fit (its weights, its predictions, its test MSE) mean anything. The three
# computations agree in those digits and disagree after them, and so do two CPUs: this
# lesson once printed the test MSE to 4 decimals (11 significant digits), and the last one
# came out differently on another machine. The weights, of order $10^7$ (printed above),
# also show why: predictions of order 1 are sums of huge terms that almost cancel, and
# every cancellation throws away leading digits.
#
# Two cures, which can be combined: **print only meaningful digits** (4 significant digits
# above), and **fit in a well-conditioned basis**. Scaling the input to $t = 2x - 1 \in
# [-1, 1]$ helps; the **Legendre polynomials** $P_0(t), \dots, P_d(t)$
# (`numpy.polynomial.legendre`) help more. They span *exactly the same* polynomials of
# degree $\le d$ (the same hypothesis space, so the same fitted curve), with a far smaller
# condition number. That is why the course module `utils.demos.capacity` fits in the
# Legendre basis. On 100 evenly spaced points:

# %%
x_many = np.linspace(0, 1, 100)
print("degree | cond powers of x | cond powers of 2x-1 | cond Legendre")
for degree in [3, 9, 15]:
    cond_powers = np.linalg.cond(powers(x_many, degree))
    cond_scaled = np.linalg.cond(powers(2 * x_many - 1, degree))
    cond_legendre = np.linalg.cond(capacity.poly_features(x_many, degree))
    print(f"{degree:6d} | {cond_powers:16.1e} | {cond_scaled:19.1e} | {cond_legendre:13.1e}")

w_legendre = fit_polynomial(x_train, y_train, 3)
same = np.allclose(predict_polynomial(w_legendre, grid), powers(grid, 3) @ fit_powers(x_train, y_train, 3))
print("degree 3: same fitted curve in both bases:", same)
print("degree 15: Legendre is better conditioned than powers of x by a factor > 1e9:",
      np.linalg.cond(powers(x_many, 15)) > 1e9 * np.linalg.cond(capacity.poly_features(x_many, 15)))

# %% [markdown]
# ### Representational and effective capacity
#
# - The **representational capacity** is the family of functions the model *can*
#   represent. The **effective capacity** can be smaller: the optimiser may not find the
#   best member, and regularisation steers it away from some (GBC §5.2).
# - Statistical learning theory measures capacity, for example by the
#   **Vapnik–Chervonenkis dimension**: the largest number of points that the classifier
#   family can label in every possible way (lines in the plane: 3 points). The gap between
#   training and test error is bounded by a quantity that grows with capacity and shrinks
#   with the number of training examples.
# - **Occam's razor**: among hypotheses that explain the data equally well, prefer the
#   simplest. **No free lunch**: averaged over *all* possible data-generating
#   distributions, every classifier has the same test error, so a learning algorithm is
#   good only for the kinds of distributions we actually meet.
#
# For a neural network the capacity grows with the number of hidden units per layer (the
# **width**) and the number of layers (the **depth**). First the width: a network with one
# hidden ReLU layer on the two-moons data set.

# %%
X_moons, y_moons = make_moons(200, noise=0.2, random_state=1)
X = torch.tensor(X_moons, dtype=torch.float32)  # (200, 2)
y = torch.tensor(y_moons)  # (200,)
loss_fn = nn.CrossEntropyLoss()


def one_hidden_layer(width):
    return nn.Sequential(nn.Linear(2, width), nn.ReLU(), nn.Linear(width, 2))


# %% tags=["nbval-ignore-output"]
widths = [2, 4, 64]
nets = {}
for width in widths:
    set_seed(0)
    net = one_hidden_layer(width)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.03)
    for epoch in range(250):  # full batch: one step per epoch
        train_epoch(net, loss_fn, optimizer, X, y, batch_size=200)
    nets[width] = net
    print(f"width {width:2d}: training accuracy {evaluate(net, loss_fn, X, y)[1]:.3f}")

# %%
train_acc = {width: evaluate(nets[width], loss_fn, X, y)[1] for width in widths}
print("width 64 fits the training set better than width 2:", train_acc[64] > train_acc[2])
print("width 64 training accuracy >= 0.95:", train_acc[64] >= 0.95)

# %%
g0, g1 = np.meshgrid(np.linspace(-1.5, 2.5, 150), np.linspace(-1.0, 1.5, 120))
X_grid = torch.tensor(np.column_stack([g0.ravel(), g1.ravel()]), dtype=torch.float32)  # (18000, 2)
fig, axes = plt.subplots(1, len(widths), figsize=(12, 3.2), sharey=True)
for ax, width in zip(axes, widths):
    with torch.no_grad():
        p1 = torch.softmax(nets[width](X_grid), dim=1)[:, 1].numpy().reshape(g0.shape)  # (120, 150)
    ax.contourf(g0, g1, p1, levels=[0, 0.5, 1], colors=["#cfe3f3", "#f8dcc4"])
    ax.scatter(X_moons[:, 0], X_moons[:, 1], c=y_moons, cmap="coolwarm", s=10)
    ax.set(title=f"{width} hidden units", xlabel="$x_1$")
axes[0].set_ylabel("$x_2$")
plt.show()

# %% [markdown]
# Two hidden ReLU units can only bend the decision boundary once or twice; 64 can follow
# the moons. Now the depth. A layer of **two** ReLU units computes the "tent" map
# $t(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - \tfrac12)$, which folds $[0, 1]$ onto
# itself. Stacking $L$ such layers folds $L$ times: a sawtooth with $2^L$ linear pieces
# from only $2L$ hidden units. A network with *one* hidden layer of $w$ ReLU units is
# piecewise linear with at most $w + 1$ pieces on a line, so it needs $2^L - 1$ units for
# the same function (Montúfar et al. 2014; GBC §6.4.1).

# %%
x_line = np.linspace(0, 1, 2 ** 12 + 1)
print(" depth L | linear pieces | deep units (2L) | shallow units needed (2^L - 1)")
for depth in [1, 2, 3, 5, 10]:
    pieces = capacity.count_linear_pieces(x_line, capacity.sawtooth_net(x_line, depth))
    print(f"{depth:8d} | {pieces:13d} | {2 * depth:15d} | {pieces - 1:12d}")

# %%
fig, axes = plt.subplots(1, 4, figsize=(12, 2.6), sharey=True)
for ax, depth in zip(axes, [1, 2, 3, 5]):
    ax.plot(x_line, capacity.sawtooth_net(x_line, depth), color="#0072B2")
    ax.set(title=f"depth {depth}: {2 ** depth} pieces", xlabel="x")
plt.show()

# %% [markdown]
# Depth buys capacity exponentially, width only linearly: that is one reason deep
# networks can be more *efficient* than very wide shallow ones. It is not a promise that
# a deeper network trains or generalises better on a given data set (see the notes'
# errors below).
#
# ### Bayes error
#
# Even an **oracle** that knows the true $p(\boldsymbol x, y)$ makes mistakes when the
# classes overlap or $y$ is noisy. The error of the best possible predictor, the one
# that uses the true distribution, is the **Bayes error**. For squared error in
# regression with $y = f(x) + \varepsilon$ it is the noise variance $\sigma^2$: no model
# beats $\hat y = f(x)$.
#
# A problem where we can compute it: two equally likely classes with
# $x \mid y{=}1 \sim \mathcal N(+\mu, \sigma^2)$ and $x \mid y{=}0 \sim \mathcal N(-\mu, \sigma^2)$.
# The oracle predicts the class with the larger $p(y \mid x)$, i.e. $y = 1$ exactly when
# $x > 0$, and errs when a point lands on the wrong side of 0:
#
# $$\text{Bayes error} = P(x > 0 \mid y{=}0) = \Phi(-\mu/\sigma).$$

# %%
mu, sigma = 1.0, 1.0
bayes = 0.5 * (1 + math.erf(-mu / sigma / math.sqrt(2)))  # Phi(-mu / sigma)
x_big, y_big = capacity.sample_two_gaussians(200_000, mu, sigma, seed=0)
oracle_error = np.mean((x_big > 0).astype(int) != y_big)
print(f"Bayes error, closed form Phi(-mu/sigma): {bayes:.4f}")
print(f"error of the oracle rule x > 0 on 200,000 samples: {oracle_error:.4f}")
print("closed form agrees with the module:", math.isclose(bayes, capacity.bayes_error_two_gaussians(mu, sigma)))

# %%
xs = np.linspace(-4, 4, 400)
density = lambda center: np.exp(-0.5 * ((xs - center) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(xs, 0.5 * density(-mu), label="p(x, y=0)")
ax.plot(xs, 0.5 * density(mu), label="p(x, y=1)")
ax.fill_between(xs, 0, np.minimum(0.5 * density(-mu), 0.5 * density(mu)), color="grey",
                alpha=0.4, label="Bayes error (area)")
ax.axvline(0, color="black", lw=1)
ax.set(xlabel="x", ylabel="joint density")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# Learned classifiers only see a sample, so they cannot do better than the oracle. Below,
# logistic regression (low capacity, the right shape here) and 1-nearest-neighbour (very
# high capacity) learn from 50 points and are scored on the 200,000 test points.

# %%
x_small, y_small = capacity.sample_two_gaussians(50, mu, sigma, seed=1)
test_errors = {}
for name, model in [("logistic regression", LogisticRegression()),
                    ("1-nearest neighbour", KNeighborsClassifier(n_neighbors=1))]:
    model.fit(x_small[:, None], y_small)  # (50, 1)
    test_errors[name] = np.mean(model.predict(x_big[:, None]) != y_big)
    print(f"{name:20s}: test error {test_errors[name]:.4f}  (>= Bayes error: {test_errors[name] >= bayes})")
print("1-nearest neighbour worse than logistic regression:",
      test_errors["1-nearest neighbour"] > test_errors["logistic regression"])

x_reg, y_reg = make_data(100_000, noise=0.3, seed=5)
print(f"regression: MSE of the true f itself {mse(true_function(x_reg), y_reg):.4f}; "
      f"sigma^2 = {0.3 ** 2:.4f}")

# %% [markdown]
# Neither learner gets below the Bayes error. The 1-nearest-neighbour rule memorises its
# 50 points (training error 0), noise included, and pays for it on new data. In regression the true function
# itself has a test MSE of $\sigma^2$: the dotted floor in every error plot that follows.
#
# ## 2. Overfitting and underfitting (I.7)
#
# A learning algorithm does well if it can (1) make the training error small and (2) make
# the gap between training and test error small (GBC §5.2). Failing (1) is
# **underfitting**; failing (2) is **overfitting**. Capacity decides which one threatens:
# too little and the model underfits, too much and it overfits.
#
# Fit every degree $0,\dots,15$ to 15 training points and plot both errors.

# %%
x_train, y_train = make_data(15, noise=0.3, seed=1)
degrees = np.arange(16)
train_err, test_err = capacity.train_test_errors(x_train, y_train, x_test, y_test, degrees)
best_degree = int(np.argmin(test_err))
for d in [0, 1, best_degree, 9, 14]:
    print(f"degree {d:2d}: training MSE {train_err[d]:.4f}, test MSE {test_err[d]:.4g}")
print("degree with the smallest test error:", best_degree)

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.semilogy(degrees, train_err + 1e-16, "o-", label="training error")
ax.semilogy(degrees, test_err, "o-", label="test error")
ax.axhline(0.3 ** 2, color="black", ls=":", label="Bayes error σ²")
ax.axvline(best_degree, color="grey", lw=1)
ax.set(xlabel="degree d (capacity)", ylabel="MSE", ylim=(1e-3, 1e4),
       title="underfitting zone ← optimal capacity → overfitting zone")
ax.legend()
plt.show()

# %% [markdown]
# The training error only goes down as capacity grows (a bigger hypothesis space contains
# the smaller one). The test error falls, then rises: the **U-curve** of GBC Fig 5.3.
# From degree 14 on the polynomial has at least as many weights as there are points (15),
# passes through all of them, and the training error is 0.
#
# **More data closes the gap.** Keep the degree fixed at 9 and grow the training set.
# Each point is the median over 20 independent training sets (one unlucky draw with a
# gap near the ends of $[0, 1]$ can blow up a single fit).

# %%
sizes = [12, 15, 20, 30, 50, 100, 200, 500]
median_train, median_test = [], []
for n_train in sizes:
    errs = [capacity.train_test_errors(*make_data(n_train, 0.3, seed=100 + s), x_test, y_test, [9])
            for s in range(20)]
    median_train.append(np.median([e[0][0] for e in errs]))
    median_test.append(np.median([e[1][0] for e in errs]))
print("  m | training MSE | test MSE | gap")
for n_train, tr, te in zip(sizes, median_train, median_test):
    print(f"{n_train:3d} | {tr:12.4f} | {te:8.4f} | {te - tr:.4f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
axes[0].semilogy(sizes, median_train, "o-", label="training error")
axes[0].semilogy(sizes, median_test, "o-", label="test error")
axes[0].axhline(0.3 ** 2, color="black", ls=":", label="Bayes error σ²")
axes[0].set(xscale="log", xlabel="training set size m", ylabel="median MSE",
            title="degree 9: the gap closes as m grows")
axes[0].legend()
for n_train in [15, 50, 500]:
    x_m, y_m = make_data(n_train, 0.3, seed=7)
    test_m = capacity.train_test_errors(x_m, y_m, x_test, y_test, degrees)[1]
    print(f"m = {n_train:3d}: test MSE of degree 3 {test_m[3]:.3f}, of degree 12 {test_m[12]:.3g}")
    axes[1].semilogy(degrees, test_m, "o-", ms=3, label=f"m = {n_train}")
axes[1].axhline(0.3 ** 2, color="black", ls=":")
axes[1].set(xlabel="degree d", ylabel="test MSE", ylim=(5e-2, 1e2),
            title="more data: higher capacity pays off")
axes[1].legend()
plt.show()

# %% [markdown]
# The training error *rises* towards $\sigma^2$ (a fixed model can memorise fewer points
# as there are more of them) while the test error falls towards it: the gap closes. On
# the right, more data takes the sting out of high capacity: compare the printed test
# error of degree 12 at $m = 15$ and at $m = 500$. How much capacity is too much depends
# on how much data there is.
#
# ### Overfitting in a network, and early stopping
#
# A network with two hidden layers of 128 units has about 17,000 parameters; we give it
# 100 noisy two-moons points. Its capacity is far larger than the data can pin down. We
# train with full-batch Adam and measure the loss on a **validation set** of 200 points
# after every epoch, keeping a copy of the weights whenever the validation loss reaches a
# new minimum.

# %%
X_all, y_all = make_moons(300, noise=0.3, random_state=0)
X_all = torch.tensor(X_all, dtype=torch.float32)  # (300, 2)
y_all = torch.tensor(y_all)  # (300,)
X_train, y_train_t, X_val, y_val = X_all[:100], y_all[:100], X_all[100:], y_all[100:]
print("train:", tuple(X_train.shape), " validation:", tuple(X_val.shape))

# %% tags=["nbval-ignore-output"]
set_seed(0)
net = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                    nn.Linear(128, 2))
print("parameters:", sum(p.numel() for p in net.parameters()))
optimizer = torch.optim.Adam(net.parameters(), lr=0.003)
num_epochs = 300
history = {"train_loss": [], "val_loss": [], "val_acc": []}
best_val, best_state = math.inf, None
for epoch in range(num_epochs):
    train_epoch(net, loss_fn, optimizer, X_train, y_train_t, batch_size=100)
    history["train_loss"].append(evaluate(net, loss_fn, X_train, y_train_t)[0])
    val_loss, val_acc = evaluate(net, loss_fn, X_val, y_val)
    history["val_loss"].append(val_loss)
    history["val_acc"].append(val_acc)
    if val_loss < best_val:  # a new best: remember these weights
        best_val = val_loss
        best_state = {name: t.clone() for name, t in net.state_dict().items()}
best_epoch, stop_epoch = capacity.early_stopping_epoch(history["val_loss"], patience=20)
print(f"best validation loss {best_val:.3f} at epoch {best_epoch}; "
      f"with patience 20, training stops at epoch {stop_epoch}")
print(f"after {num_epochs} epochs: training loss {history['train_loss'][-1]:.3f}, "
      f"validation loss {history['val_loss'][-1]:.3f}")

# %%
print("training loss at the end < training loss at the best epoch:",
      history["train_loss"][-1] < history["train_loss"][best_epoch - 1])
print("final validation loss > 1.5 x the best one (overfitting):",
      history["val_loss"][-1] > 1.5 * best_val)
print("early stopping ends training before epoch", num_epochs, ":", stop_epoch < num_epochs)

# %%
epochs = np.arange(1, num_epochs + 1)
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(epochs, history["train_loss"], "--", label="training loss")
ax.plot(epochs, history["val_loss"], label="validation loss")
ax.axvline(best_epoch, color="#009E73", label="best epoch (weights kept)")
ax.axvline(stop_epoch, color="grey", ls=":", label="stop (patience 20)")
ax.set(xlabel="epoch", ylabel="cross-entropy", title="an over-parameterised MLP overfits")
ax.legend()
plt.show()

# %% [markdown]
# The training loss keeps falling; the validation loss falls, reaches its minimum, then
# climbs as the network starts to memorise the noise. **Early stopping** treats the
# number of epochs as a hyperparameter chosen on the validation set: stop once the
# validation loss has not improved for `patience` epochs and restore the best weights.

# %% tags=["nbval-ignore-output"]
final_val_acc = evaluate(net, loss_fn, X_val, y_val)[1]
net.load_state_dict(best_state)  # early stopping: go back to the best epoch
restored_val_loss, restored_val_acc = evaluate(net, loss_fn, X_val, y_val)
print(f"validation accuracy: last epoch {final_val_acc:.3f}, restored best epoch {restored_val_acc:.3f}")

# %%
print("restored weights have the best validation loss:", math.isclose(restored_val_loss, best_val, rel_tol=1e-5))

# %% [markdown]
# ## Demo: capacity and data
#
# Move the **degree** slider to change the capacity and the **train size** slider to
# change $m$. The left panel shows the fit, the right one the training and test error of
# every degree for the current data, with the chosen degree marked. The noise slider sets
# $\sigma$, and with it the Bayes error.

# %%
demo = capacity.demo(degree=3, n_train=15, noise=0.3)
demo

# %% [markdown]
# **Try this**
# 1. With $m = 15$, move the degree from 0 to 15. Where is the test error smallest? Where
#    does the training error reach 0?
# 2. Set degree 9 and move $m$ from 10 to 500. Watch the wild curve calm down and the two
#    error curves meet near the dotted Bayes error.
# 3. Set the noise to 0. Which degrees now reach a tiny test error with $m = 500$?
# 4. Change the data seed at $m = 15$, degree 9: how much does the fit change from one
#    training set to the next? (That spread is the *variance* of lesson 05.)
# 5. With $m = 10$, compare degree 9 and degree 15. Beyond the point where the model
#    interpolates, the smallest-norm solution can get *better* again ("double descent").
#
# ## 3. Hyperparameters and validation sets (I.8)
#
# **Parameters** are what the learning algorithm fits to the training data: the weights
# $\boldsymbol w$ of the polynomial, the weights and biases of a network.
# **Hyperparameters** are settings that control the learning algorithm and are *not*
# fitted by it on the training set:
#
# | model | parameters (learned) | hyperparameters (chosen outside) |
# |---|---|---|
# | polynomial regression | $w_0, \dots, w_d$ | degree $d$, weight decay $\lambda$ |
# | MLP above | 17,000 weights and biases | width, depth, learning rate, epochs, batch size, patience |
# | k-nearest neighbours | none (stores the data) | $k$ |
#
# Why not fit hyperparameters on the training set too? Because the training error always
# prefers *more* capacity:

# %%
print("degree with the smallest TRAINING error:", int(np.argmin(train_err[:14])),
      "(of 0-13); with the smallest test error:", best_degree)

# %% [markdown]
# Choosing on the test set is no better: the test error of the chosen model would then be
# an optimistic, biased estimate. So we hold out a third set. The **validation set** is
# split off the training data, never used to fit the parameters, and used to choose
# hyperparameters and models; the **test set** is touched once, at the end.
#
# Hyperparameters need not stay fixed during training: a learning-rate *schedule* changes
# the learning rate as training goes on.

# %%
w_dummy = torch.zeros(1, requires_grad=True)
optimizer = torch.optim.SGD([w_dummy], lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(6):
    print(f"epoch {epoch}: learning rate {optimizer.param_groups[0]['lr']:.4f}")
    optimizer.step()  # (a real training epoch would go here)
    scheduler.step()

# %% [markdown]
# ### Train / validation / test
#
# A common split is 60 % / 20 % / 20 %. We shuffle the indices once and cut them; the
# degree is chosen by validation error, and the test error of the chosen model is
# reported once.

# %%
x_all, y_all_np = make_data(100, noise=0.3, seed=11)
train_idx, val_idx, test_idx = capacity.train_val_test_split(100, (0.6, 0.2, 0.2), seed=0)
print("sizes:", len(train_idx), len(val_idx), len(test_idx),
      "| disjoint:", len(set(train_idx) | set(val_idx) | set(test_idx)) == 100)
_, val_err = capacity.train_test_errors(x_all[train_idx], y_all_np[train_idx],
                                        x_all[val_idx], y_all_np[val_idx], range(13))
chosen = int(np.argmin(val_err))
w = fit_polynomial(x_all[train_idx], y_all_np[train_idx], chosen)
print(f"degree chosen on the validation set: {chosen}; its test MSE: "
      f"{mse(predict_polynomial(w, x_all[test_idx]), y_all_np[test_idx]):.4f}")

# %% [markdown]
# ### k-fold cross-validation from scratch
#
# With little data a 20 % validation set is small and its error is noisy. **k-fold
# cross-validation** uses every example for validation once: cut the data into $k$ folds;
# in round $i$, **fold $i$ alone** is the validation set and the **other $k-1$ folds**
# are the training set; average the $k$ validation errors (GBC Algorithm 5.1).

# %%
def kfold(n, k, seed=None):
    """A list of k pairs (train_idx, val_idx): round i holds out fold i only."""
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    folds = np.array_split(order, k)  # k folds of nearly equal size
    rounds = []
    for i in range(k):
        val_idx = folds[i]  # exactly ONE fold is held out
        train_idx = np.concatenate(folds[:i] + folds[i + 1:])  # the other k - 1 folds
        rounds.append((np.sort(train_idx), np.sort(val_idx)))
    return rounds


rounds = kfold(20, 5)
for i, (tr, va) in enumerate(rounds):
    print(f"round {i + 1}: validate on {va.tolist()}, train on {len(tr)} points")
validated = np.concatenate([va for _, va in rounds])
print("every point validated exactly once:", sorted(validated.tolist()) == list(range(20)))
print("same as capacity.kfold_indices:",
      all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
          for a, b in zip(kfold(50, 7, seed=3), capacity.kfold_indices(50, 7, seed=3))))

# %%
fold_map = np.zeros((5, 20))  # (rounds, points): 1 = validation
for i, (_, va) in enumerate(rounds):
    fold_map[i, va] = 1
fig, ax = plt.subplots(figsize=(8, 2.2))
ax.imshow(fold_map, cmap="coolwarm", vmin=-0.3, vmax=1.3, aspect="auto")
ax.set(xlabel="example index (blue: training, red: validation)", ylabel="round",
       yticks=range(5), yticklabels=range(1, 6))
ax.grid(False)
plt.show()

# %% [markdown]
# ### Stratified k-fold
#
# With class labels, a random fold can by chance contain few or none of a rare class.
# **Stratified** k-fold deals the examples out class by class, so every fold has (almost)
# the class proportions of the whole data set. Take 100 examples of which 10 are
# positive, and count the positives in each validation fold over 30 shuffles.

# %%
def stratified_kfold(y, k, seed=0):
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(np.flatnonzero(y == c)) for c in np.unique(y)])
    fold_of = np.empty(len(y), dtype=int)
    fold_of[order] = np.arange(len(y)) % k  # deal class by class, like cards
    return [(np.flatnonzero(fold_of != i), np.flatnonzero(fold_of == i)) for i in range(k)]


y_rare = np.array([1] * 10 + [0] * 90)
plain_counts, strat_counts = [], []
for seed in range(30):
    plain_counts += [int(y_rare[va].sum()) for _, va in kfold(100, 5, seed)]
    strat_counts += [int(y_rare[va].sum()) for _, va in stratified_kfold(y_rare, 5, seed)]
sk_counts = [int(y_rare[va].sum()) for _, va in
             StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(100), y_rare)]
print("positives per validation fold, plain k-fold:     ", min(plain_counts), "to", max(plain_counts))
print("positives per validation fold, stratified k-fold:", min(strat_counts), "to", max(strat_counts))
print("scikit-learn's StratifiedKFold:", sk_counts)

# %% [markdown]
# Stratification is defined for class labels. For a continuous target (say house prices)
# you first cut it into bins, e.g. quantiles, and stratify on the bin labels:

# %%
prices = np.random.default_rng(0).lognormal(12, 0.8, size=200)  # skewed, like house prices
price_bins = np.digitize(prices, np.quantile(prices, [0.2, 0.4, 0.6, 0.8]))  # 5 bins: 0..4
spread_plain = np.std([prices[va].mean() for _, va in kfold(200, 5, seed=1)])
spread_strat = np.std([prices[va].mean() for _, va in stratified_kfold(price_bins, 5, seed=1)])
print(f"std of the fold means: plain {spread_plain:,.0f}, stratified on price bins {spread_strat:,.0f}")

# %% [markdown]
# ### Choosing the degree: k-fold against a single holdout
#
# 40 training points. For each degree we estimate the test error two ways: 5-fold
# cross-validation, and one 80/20 holdout split. Because we know $p(x, y)$, we can also
# compute the true test error of each degree trained on all 40 points.

# %%
x40, y40 = make_data(40, noise=0.3, seed=21)
degrees_cv = np.arange(11)
cv_err = np.array([capacity.cross_val_mse(x40, y40, d, k=5, seed=0) for d in degrees_cv])
holdout_err = np.array([capacity.holdout_mse(x40, y40, d, 0.2, seed=0) for d in degrees_cv])
_, true_err = capacity.train_test_errors(x40, y40, x_test, y_test, degrees_cv)
print(f"mean squared noise in these 40 points: {np.mean((y40 - true_function(x40)) ** 2):.4f} "
      f"(sigma^2 = {0.3 ** 2:.4f})")
print("degree chosen by 5-fold CV:", int(np.argmin(cv_err)),
      "| by one holdout split:", int(np.argmin(holdout_err)),
      "| best by the true test error:", int(np.argmin(true_err)))

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.semilogy(degrees_cv, cv_err, "o-", label="5-fold CV estimate")
ax.semilogy(degrees_cv, holdout_err, "s--", label="holdout estimate (seed 0)")
ax.semilogy(degrees_cv, true_err, "k:", label="true test error")
ax.set(xlabel="degree d", ylabel="MSE", ylim=(5e-2, 1e1))
ax.legend()
plt.show()

# %% [markdown]
# One holdout split is one draw of 8 validation points. How much does it depend on
# *which* 8? Repeat both procedures with 30 different random seeds: the split for the
# holdout, the shuffle before cutting the folds for k-fold.

# %%
seeds = range(30)
holdout_d3 = [capacity.holdout_mse(x40, y40, 3, 0.2, seed=s) for s in seeds]
cv_d3 = [capacity.cross_val_mse(x40, y40, 3, k=5, seed=s) for s in seeds]
chosen_holdout = [int(np.argmin([capacity.holdout_mse(x40, y40, d, 0.2, seed=s) for d in degrees_cv]))
                  for s in seeds]
chosen_cv = [int(np.argmin([capacity.cross_val_mse(x40, y40, d, k=5, seed=s) for d in degrees_cv]))
             for s in seeds]
print(f"degree 3, true test error:   {true_err[3]:.4f}")
print(f"holdout estimate over 30 seeds: mean {np.mean(holdout_d3):.4f}, std {np.std(holdout_d3):.4f}")
print(f"5-fold estimate over 30 seeds:  mean {np.mean(cv_d3):.4f}, std {np.std(cv_d3):.4f}")
print("std ratio holdout / 5-fold:", round(np.std(holdout_d3) / np.std(cv_d3), 1))
print("degrees chosen by holdout:", np.bincount(chosen_holdout, minlength=11).tolist())
print("degrees chosen by 5-fold: ", np.bincount(chosen_cv, minlength=11).tolist())

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
axes[0].boxplot([holdout_d3, cv_d3], tick_labels=["single 80/20 holdout", "5-fold CV"])
axes[0].axhline(true_err[3], color="black", ls=":", label="true test error")
axes[0].set(ylabel="estimated MSE (degree 3)", title="30 random seeds")
axes[0].legend()
width = 0.4
axes[1].bar(degrees_cv - width / 2, np.bincount(chosen_holdout, minlength=11), width, label="holdout")
axes[1].bar(degrees_cv + width / 2, np.bincount(chosen_cv, minlength=11), width, label="5-fold CV")
axes[1].set(xlabel="degree chosen", ylabel="number of seeds", xticks=degrees_cv)
axes[1].legend()
plt.show()

# %% [markdown]
# The holdout estimate scatters several times more widely than the k-fold estimate (the
# std ratio printed above), and the degree it picks changes from seed to seed. Both
# estimates use only these 40 points, so both inherit this sample's luck: compare the mean
# squared noise of the 40 points, printed earlier, with $\sigma^2$. That is why they can
# sit away from the true test error together; no resampling of one data set can fix it. k-fold costs $k$ fits instead of one;
# with small data sets that is a good trade. (The remaining spread of k-fold comes from
# how the folds are cut. Leave-one-out, $k = m$, has no such randomness at all.)
#
# ## The notes say …; in fact …
#
# - **The notes say** (L1268) k-fold uses $k-1$ folds for training "and the rest of the
#   folds are used for the test set". **In fact** exactly **one** fold is held out in each
#   round, and the other $k - 1$ train; over $k$ rounds every example is validated once
#   (checked by `kfold` above). And it is a *validation* fold: the test set stays out of
#   model selection altogether.
# - **The notes say** (L1161) hyperparameters' "values cannot be changed during the
#   training process". **In fact** schedules change them during training: the `StepLR`
#   cell halved the learning rate every two epochs; warm-up, momentum schedules and
#   early stopping (the number of epochs decided while training runs) do the same. What
#   is true: the training algorithm does not *fit* them to the training loss.
# - **The notes say** (L1217) "a 3-layered neural network gives a better performance than
#   a 2-layered network … a greater number of layers make a better model". **In fact**
#   more capacity is not automatically better: the U-curves above rise again once capacity
#   outgrows the data, and the 17,000-parameter MLP overfit 100 points. Depth must match
#   the data and the regularisation; it is a hyperparameter to be validated.
# - **The notes say** (L1221) "a validation set is a set of data used to train artificial
#   intelligence". **In fact** the validation set is held out from training: it never
#   fits a weight, and is used to choose hyperparameters and models.
# - **The notes say** (L1288) stratified k-fold is illustrated with house *prices*.
#   **In fact** stratification keeps *class* proportions equal across folds; a continuous
#   target must first be binned (the price-bin cell above).
# - **The notes say** (L1155) watch "the error on the test dataset" and "stop training at
#   a point where the error starts to increase". **In fact** it is the *validation* error
#   that decides (the training error keeps falling, and the test set must not be used for
#   any choice), and because it is noisy one waits `patience` epochs and then restores
#   the best weights.
# - **The notes say** (L1125, L1147) overfitting and underfitting happen "due to" low or
#   high bias and variance. **In fact** those are descriptions, not causes: the cause is a
#   capacity that does not match the amount of data (lesson 05 measures bias and variance).
#
# ## Exercises
#
# **Exercise 1 (Bayes error).** Two equally likely classes at $\pm 1$ with
# $\sigma = 2$. Compute the Bayes error with `math.erf`.

# %%
bayes_error = ...  # Phi(-mu / sigma) with mu = 1, sigma = 2
check(bayes_error, capacity.bayes_error_two_gaussians(1.0, 2.0),
      hint="Phi(z) = (1 + erf(z / sqrt(2))) / 2, at z = -mu / sigma")

# %% tags=["solution"] jupyter={"source_hidden": true}
bayes_error = 0.5 * (1 + math.erf(-1.0 / 2.0 / math.sqrt(2)))
check(bayes_error, capacity.bayes_error_two_gaussians(1.0, 2.0))

# %% [markdown]
# **Exercise 2 (leave-one-out).** Write `loocv_mse(x, y, degree)`: for each $i$, fit on
# all points but $x_i$ with `fit_polynomial`, predict $y_i$ with `predict_polynomial`,
# and return the mean squared error over all $i$.

# %%
def loocv_mse(x, y, degree):
    ...  # your code here


loocv_inputs = [(x40[:12], y40[:12], 1), (x40[:12], y40[:12], 3), (x40, y40, 5)]
check_function(loocv_mse, lambda x, y, d: capacity.cross_val_mse(x, y, d, k=len(x)),
               loocv_inputs, hint="leave-one-out is k-fold with k = m")

# %% tags=["solution"] jupyter={"source_hidden": true}
def loocv_mse(x, y, degree):
    errors = []
    for i in range(len(x)):
        keep = np.arange(len(x)) != i
        w = fit_polynomial(x[keep], y[keep], degree)
        errors.append((predict_polynomial(w, x[i:i + 1])[0] - y[i]) ** 2)
    return np.mean(errors)


check_function(loocv_mse, lambda x, y, d: capacity.cross_val_mse(x, y, d, k=len(x)),
               loocv_inputs)

# %% [markdown]
# **Exercise 3 (choose a hyperparameter).** Fix the degree at 12 on the 40 points `x40,
# y40` and choose the weight decay $\lambda$ from `lams` by 5-fold cross-validation
# (`capacity.cross_val_mse(x, y, degree, k=5, seed=0, lam=...)`). Give the best $\lambda$.

# %%
lams = 10.0 ** np.arange(-8, 2)
best_lam = ...
check(best_lam, lams[np.argmin([capacity.cross_val_mse(x40, y40, 12, 5, 0, lam) for lam in lams])],
      hint="compute one CV error per lambda and take the argmin")

# %% tags=["solution"] jupyter={"source_hidden": true}
cv_by_lam = [capacity.cross_val_mse(x40, y40, 12, k=5, seed=0, lam=lam) for lam in lams]
best_lam = lams[int(np.argmin(cv_by_lam))]
print("best lambda:", best_lam)
check(best_lam, lams[np.argmin([capacity.cross_val_mse(x40, y40, 12, 5, 0, lam) for lam in lams])])

# %% [markdown]
# ## Review questions (Part A)
#
# Check yourself with the quizzes, then compare your two-mark answers with the ones below.

# %%
quiz("A model has training MSE 0.01 and test MSE 2.5 (Bayes error 0.09). It is…",
     ["underfitting", "well fitted", "at the Bayes error", "overfitting"],
     answer=3, explanation="A small training error with a large gap to the test error is overfitting.")

# %%
quiz("Which change increases the capacity of polynomial regression?",
     ["a higher degree", "more training points", "a larger test set", "a smaller learning rate"],
     answer=0, explanation="The degree sets the hypothesis space; more points reduce overfitting "
                           "but do not change what the model can represent.")

# %%
quiz("In 5-fold cross-validation, each round…",
     ["trains on 1 fold and validates on 4", "trains on 4 folds and validates on the test set",
      "trains on 4 folds and validates on the 1 held-out fold", "trains and validates on all 5"],
     answer=2, explanation="Exactly one fold is held out per round; the other k − 1 folds train.")

# %%
quiz("The Bayes error is…",
     ["the training error of the best network", "the error of an oracle that knows p(x, y)",
      "always 0 with enough data", "the bias of an estimator"],
     answer=1, explanation="Even the true distribution cannot predict noise or separate "
                           "overlapping classes.")

# %% [markdown]
# <details><summary><b>Why do overfitting and underfitting happen? (Q15)</b></summary>
# A learner must make the training error small and the gap to the test error small.
# Underfitting: the training error stays high (too little capacity). Overfitting: the gap
# is large (capacity too large for the amount of data). Both are controlled through capacity.
# </details>
#
# <details><summary><b>What is the capacity of a model? (Q16)</b></summary>
# Its ability to fit a wide variety of functions. Low capacity cannot fit the training
# set (underfits); high capacity can memorise properties of the training set that do not
# hold on new data (overfits).
# </details>
#
# <details><summary><b>How can the capacity of a learning algorithm be controlled? (Q17)</b></summary>
# By choosing its hypothesis space: the features (e.g. polynomial degree) or the width and
# depth of a network. Its effective capacity can also be limited by regularisation such as
# weight decay or early stopping.
# </details>
#
# <details><summary><b>Define Bayes error. (Q18)</b></summary>
# The error of an oracle that predicts from the true distribution p(x, y). It is nonzero
# when y is noisy or the classes overlap, e.g. Φ(−μ/σ) for two Gaussian classes at ±μ, or
# σ² for regression with noise variance σ².
# </details>
#
# <details><summary><b>Why hyperparameters? (Q19)</b></summary>
# They control the learner's behaviour (degree, weight decay λ, learning rate, width,
# number of epochs) and are not fitted by the learning algorithm on the training set,
# because there they would always choose maximum capacity and overfit.
# </details>
#
# <details><summary><b>How is overfitting caused by choosing hyperparameters on the training set avoided? (Q20)</b></summary>
# Hold out a validation set (e.g. 20 % of the training data) that never fits a weight;
# choose hyperparameters on it; keep the test set for the single final estimate. With
# little data use k-fold cross-validation (one fold held out per round).
# </details>
#
# ## Summary
#
# - Capacity is set by the hypothesis space: polynomial degree, network width and depth
#   (depth can buy exponentially more linear pieces than width).
# - No model beats the Bayes error; in regression it is the noise variance $\sigma^2$.
# - Training error falls with capacity; test error follows a U-curve. Underfitting is a
#   high training error, overfitting a large gap; more data closes the gap.
# - Parameters are fitted on the training set; hyperparameters on a validation set or by
#   k-fold cross-validation (one fold held out per round); the test set is used once.
# - A single holdout estimate is noisy; k-fold averages it out at $k$ times the cost.
#
# **Next:** lesson 05 turns "noisy estimate" into mathematics: estimators, their bias and
# variance, and the bias–variance decomposition of the test error.
