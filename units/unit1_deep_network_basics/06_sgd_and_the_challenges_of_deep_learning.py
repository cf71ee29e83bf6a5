# %% [markdown]
# # Stochastic gradient descent, and the challenges that motivate deep learning (syllabus I.11, I.12)
#
# **What you will learn**
# - batch gradient descent, stochastic gradient descent (SGD) and mini-batch SGD as one
#   algorithm with a batch size, on the notes' own example (linear regression, 1,000 rows);
# - why a mini-batch gradient is an *unbiased* estimate of the full gradient, and why its
#   variance falls like $1/m'$ (checked numerically);
# - how the batch size trades updates against examples seen and examples per second, and why
#   SGD needs a decaying learning rate (GBC §8.3.1);
# - the three challenges the textbook means by "challenges motivating deep learning": the
#   curse of dimensionality, the limits of the smoothness prior, and the manifold hypothesis.

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
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from torch import nn

from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.demos.sgd import demo, gradient, least_squares, linear_decay, loss, make_data, run_sgd
from utils.plotting import set_style, show_images
from utils.training import accuracy, set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# # Part 1 · Stochastic gradient descent (I.11)
#
# ## 1. The notes' example: 1,000 rows of linear regression
#
# The notes explain SGD with a data set of 1,000 rows. We make one: $x \sim \mathcal N(1, 1)$
# and $y = 2x + 1 + \text{noise}$, and fit $\hat y = wx + b$ with parameters
# $\theta = (w, b)$. The cost is the average of a per-example loss (GBC §5.9):
#
# $$J(\theta) = \frac{1}{m}\sum_{i=1}^{m} L(x^{(i)}, y^{(i)}, \theta), \qquad
#   L = \tfrac12 \big(w x^{(i)} + b - y^{(i)}\big)^2 .$$
#
# Its gradient is also an average, one term per example:
#
# $$\nabla_\theta J = \frac1m \sum_{i=1}^m \nabla_\theta L^{(i)}, \qquad
#   \nabla_\theta L^{(i)} = \big(w x^{(i)} + b - y^{(i)}\big)\begin{bmatrix} x^{(i)} \\ 1 \end{bmatrix}.$$
#
# So one exact gradient step costs $O(m)$ work. The functions `make_data`, `loss`,
# `gradient` and `least_squares` live in `utils/demos/sgd.py` (the demo below uses them too).

# %%
x, y = make_data()  # (1000,), (1000,)
theta_star = least_squares(x, y)  # the exact minimiser, for reference
j_star = loss(*theta_star, x, y)
print("rows:", len(x))
print("least-squares fit: w* = {:.3f}, b* = {:.3f}, J* = {:.3f}".format(*theta_star, j_star))
print("full gradient at the start (w, b) = (-2, -2):", gradient(-2.0, -2.0, x, y).round(3))

# %% [markdown]
# ## 2. Three ways to descend, one loop
#
# - **Batch gradient descent** uses all $m$ rows for each step: 1 update per epoch.
# - **Stochastic gradient descent** in the strict sense uses one row per step: 1,000 updates
#   per epoch on our data, as the notes say.
# - **Mini-batch SGD** uses a batch $\mathbb B$ of $m'$ rows:
#   $\theta \leftarrow \theta - \epsilon\, g$ with $g = \frac{1}{m'}\sum_{i \in \mathbb B}
#   \nabla_\theta L^{(i)}$ (GBC Algorithm 8.1; the notes' pseudocode uses $m' = 30$).
#
# In deep learning "SGD" almost always means the mini-batch version. All three are the same
# loop with a different `batch_size`: shuffle the rows every epoch, then walk through them in
# batches.

# %%
def minibatch_sgd(x, y, batch_size, lr, num_epochs, seed=0):
    """Mini-batch SGD on J from (w, b) = (-2, -2); returns the path (updates + 1, 2)."""
    rng = np.random.default_rng(seed)
    w, b = -2.0, -2.0
    path = [(w, b)]
    for epoch in range(num_epochs):
        order = rng.permutation(len(x))  # shuffle every epoch
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]  # one mini-batch of row indices
            g = gradient(w, b, x[idx], y[idx])  # (2,): an estimate of the full gradient
            w, b = w - lr * g[0], b - lr * g[1]
            path.append((w, b))
    return np.array(path)


for batch_size in [1, 30, 1000]:
    path = minibatch_sgd(x, y, batch_size, lr=0.1, num_epochs=2)
    print(f"batch size {batch_size:4d}: {len(path) - 1:4d} updates in 2 epochs, "
          f"excess loss J - J* = {loss(*path[-1], x, y) - j_star:.4f}")

# %% [markdown]
# > **The notes say** (L1597) that SGD chooses "a part of the training data" for each
# > iteration, and two lines later (L1599) that it uses "a single example", adding that
# > "each iteration of the algorithm may result in a different local minimum". **In fact**
# > both are SGD, with different batch sizes: strict SGD uses $m' = 1$ example, mini-batch
# > SGD $m' > 1$; say which one you mean. And an iteration does not "result in" a minimum:
# > the noise of $g$ perturbs the *path*, which wanders around a minimum rather than
# > landing in a new one at every step (section 5 shows the wandering).
#
# The demo module's `run_sgd` is the same algorithm written for speed (it precomputes batch
# averages). With the same shuffles it must give the same path:

# %%
for batch_size in [1, 30, 1000]:
    ours = minibatch_sgd(x, y, batch_size, lr=0.1, num_epochs=2)
    same = np.allclose(ours, run_sgd(x, y, batch_size, lr=0.1, num_epochs=2)["path"])
    print(f"batch size {batch_size:4d}: run_sgd gives the same path: {same}")

# %% [markdown]
# ## 3. The mini-batch gradient is an unbiased, noisy estimate
#
# Draw the $m'$ examples of a batch uniformly at random from the training set. Each term
# $\nabla_\theta L^{(i)}$ is then a random vector whose mean is the full gradient, so
# (GBC §5.9, §8.1.3)
#
# $$\mathbb E[g] = \nabla_\theta J(\theta), \qquad
#   \operatorname{Cov}[g] = \frac{\Sigma}{m'},$$
#
# where $\Sigma$ is the covariance of the per-example gradients. The estimate is
# **unbiased** for every batch size; only its **variance** shrinks, like $1/m'$, so its
# standard error shrinks like $1/\sqrt{m'}$: 100 times more examples per step buy only 10
# times less noise. We check both claims at $\theta = (0, 0)$ with 4,000 random batches of
# each size.

# %%
w0, b0 = 0.0, 0.0
residual = w0 * x + b0 - y  # (1000,)
G = np.stack([residual * x, residual], axis=1)  # (1000, 2): one gradient per example
full_gradient = G.mean(axis=0)
total_variance = np.trace(np.cov(G.T, bias=True))  # trace of Sigma
print("full gradient:", full_gradient.round(3), "| trace of Sigma:", round(total_variance, 2))

rng = np.random.default_rng(0)
batch_sizes = [1, 3, 10, 30, 100, 300, 1000]
variances = []
print(" m'  | mean of g        | within 3 s.e. | m' x variance / tr(Sigma)")
for m_prime in batch_sizes:
    idx = rng.integers(0, len(x), size=(4000, m_prime))  # 4,000 batches drawn with replacement
    g = G[idx].mean(axis=1)  # (4000, 2): one mini-batch gradient per row
    variance = np.trace(np.cov(g.T))
    standard_error = np.sqrt(np.diag(np.cov(g.T)) / len(g))
    unbiased = np.all(np.abs(g.mean(axis=0) - full_gradient) < 3 * standard_error)
    variances.append(variance)
    print(f"{m_prime:4d} | {np.array2string(g.mean(axis=0), precision=2):16} | {str(unbiased):13} "
          f"| {m_prime * variance / total_variance:.2f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.loglog(batch_sizes, variances, "o", label="measured (4,000 batches each)")
ax.loglog(batch_sizes, total_variance / np.array(batch_sizes), "-", label=r"theory tr$(\Sigma)/m'$")
ax.set(xlabel="batch size m'", ylabel="variance of g (trace)",
       title="Mini-batch gradient noise falls like 1/m'")
ax.legend()
plt.show()

# %% [markdown]
# The ratio in the last column stays close to 1 for every batch size: the variance is
# $\operatorname{tr}\Sigma / m'$, the straight line of slope $-1$ in the plot. (A batch taken
# *without* replacement from a shuffled epoch is slightly less noisy: with $m' = m$ it is the
# full gradient and has no noise at all.)
#
# > **The notes say** (L982–994) that mini-batch GD "overcomes the time complexity of SGD",
# > that "the number of iterations … is large for MB-GD compared to GD and the cost of
# > computation is also large", and that its updates are "much noisy". **In fact**
# > mini-batch SGD is the middle ground: its gradient noise is $m'$ times *smaller* than
# > SGD's (the table above), each update costs $m'$ examples instead of GD's $m$, so it needs
# > more *updates* than GD but far fewer *examples* (less computation) to reach a given loss
# > (next section).
#
# ## 4. Updates against examples seen
#
# Now run the three variants with the same learning rate $\epsilon = 0.1$ for the same
# budget: 20 epochs, i.e. 20,000 examples seen. We plot the **excess loss**
# $J(\theta) - J^*$ on log axes, first against the number of updates, then against the
# number of examples seen (the real cost: every example costs one gradient term).

# %%
num_epochs = 20
runs = {batch_size: run_sgd(x, y, batch_size, lr=0.1, num_epochs=num_epochs)
        for batch_size in [1, 30, 1000]}


def excess_loss(path):
    return loss(path[:, 0], path[:, 1], x, y) - j_star  # (updates + 1,)


def trailing_mean(values):
    """At each k, the mean of values[0.9k .. k]: a smoothing window that grows with k, so
    the noisy curves stay readable on a log axis."""
    cumsum = np.cumsum(np.insert(values, 0, 0.0))
    k = np.arange(len(values))
    low = (9 * k) // 10
    return (cumsum[k + 1] - cumsum[low]) / (k + 1 - low)


fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for color, (batch_size, result) in zip(["C0", "C1", "C2"], runs.items()):
    excess = excess_loss(result["path"])[1:]  # after update 1, 2, ...
    updates = np.arange(1, len(excess) + 1)
    for ax, xs in [(axes[0], updates), (axes[1], result["examples"][1:])]:
        ax.loglog(xs, excess, color=color, alpha=0.25, lw=0.8)
        ax.loglog(xs, trailing_mean(excess), color=color, lw=2, label=f"batch {batch_size}")
axes[0].set(xlabel="number of updates", ylabel="excess loss J - J*", title="per update")
axes[1].set(xlabel="number of examples seen", title="per example seen")
axes[1].legend(title="thin: raw, thick: smoothed", fontsize=10, title_fontsize=9)
plt.show()

# %%
print("batch | updates | excess loss after 20 updates | after 1,000 examples | mean over last epoch")
for batch_size, result in runs.items():
    excess = excess_loss(result["path"])
    after_1000_examples = excess[np.searchsorted(result["examples"], 1000)]
    last_epoch = excess[-(len(excess) - 1) // num_epochs:].mean()
    print(f"{batch_size:5d} | {len(excess) - 1:7d} | {excess[20]:28.4f} | {after_1000_examples:20.4f} "
          f"| {last_epoch:.4f}")

# %% [markdown]
# Read the two panels together:
# - **Per update** (left), batch 1,000 and batch 30 do about equally well over the first 20
#   updates, and both are far ahead of batch 1. An average over 30 examples already points
#   almost where the full gradient points; the other 970 examples of a full batch improve
#   the direction little (the $1/\sqrt{m'}$ law) but cost 33 times more.
# - **Per example seen** (right), the small batches are far ahead: after one epoch (1,000
#   examples) batch GD has taken a single step, SGD a thousand.
# - **At the end**, SGD with a constant learning rate stalls at a noise floor far above the
#   other two: its steps keep jittering around $\theta^*$ (see the last column).
#
# > **The notes say** (Q23, L263) that SGD "is faster than Batch and Mini-Batch Gradient
# > Descent". **In fact** it is faster only *per update*. Per epoch it is slower on real
# > hardware, because one matrix product over a batch costs far less than $m'$ separate
# > products (section 7 measures it), and its noisy steps need a small, decaying learning rate.
#
# ## 5. Why SGD needs a decaying learning rate
#
# At the minimum the *full* gradient is zero, so batch GD can keep a fixed learning rate and
# still converge. The *per-example* gradients are not zero there (the data are noisy), so the
# mini-batch gradient $g$ keeps a variance $\Sigma/m'$ at $\theta^*$, and a constant step
# $\epsilon g$ keeps kicking $\theta$ around: the excess loss settles at a floor that grows
# with $\epsilon$ and shrinks with $m'$.

# %%
print("noise floor = mean excess loss over the last epoch")
print("constant lr | batch 1: noise floor | batch 30: noise floor")
floors = {}
for lr in [0.1, 0.03, 0.01]:
    for batch_size in [1, 30]:
        excess = excess_loss(run_sgd(x, y, batch_size, lr, num_epochs)["path"])
        floors[lr, batch_size] = excess[-(len(excess) - 1) // num_epochs:].mean()
    print(f"{lr:11.2f} | {floors[lr, 1]:20.5f} | {floors[lr, 30]:.5f}")
gd = run_sgd(x, y, 1000, lr=0.5, num_epochs=100)["path"]
print("batch GD with a constant lr of 0.5, after 100 updates: excess loss below 1e-10:",
      excess_loss(gd)[-1] < 1e-10)

# %% [markdown]
# A sufficient condition for SGD to converge (GBC eq. 8.12–8.13) is a learning-rate
# sequence with
#
# $$\sum_{k=1}^{\infty} \epsilon_k = \infty \qquad\text{and}\qquad \sum_{k=1}^{\infty} \epsilon_k^2 < \infty,$$
#
# large enough to get anywhere, shrinking fast enough to average the noise away. In
# practice GBC (§8.3.1) recommends decaying the learning rate **linearly** until
# iteration $\tau$ and keeping it constant afterwards:
#
# $$\epsilon_k = (1 - \alpha)\,\epsilon_0 + \alpha\, \epsilon_\tau, \qquad \alpha = \frac{k}{\tau},$$
#
# with $\epsilon_\tau$ about 1% of $\epsilon_0$. Here $\tau$ is the whole run. The demo
# module's `linear_decay(k, lr0, tau)` is this formula.

# %%
constant = run_sgd(x, y, 1, lr=0.1, num_epochs=num_epochs)
decayed = run_sgd(x, y, 1, lr=0.1, num_epochs=num_epochs, decay=True)
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
axes[0].plot(constant["lrs"], label="constant")
axes[0].plot(decayed["lrs"], label="linear decay (GBC 8.3.1)")
axes[0].set(xlabel="update k", ylabel=r"learning rate $\epsilon_k$", title="schedules")
axes[0].legend()
for color, (name, result) in zip(["C0", "C1"], [("constant", constant), ("linear decay", decayed)]):
    excess = excess_loss(result["path"])[1:]
    axes[1].loglog(result["examples"][1:], excess, color=color, alpha=0.25, lw=0.8)
    axes[1].loglog(result["examples"][1:], trailing_mean(excess), color=color, lw=2, label=name)
axes[1].set(xlabel="examples seen", ylabel="excess loss J - J*",
            title="SGD (batch 1), lr 0.1 (thick: smoothed)")
axes[1].legend()
plt.show()

# %%
floor_constant = excess_loss(constant["path"])[-1000:].mean()
floor_decayed = excess_loss(decayed["path"])[-1000:].mean()
print(f"SGD, last epoch: constant lr {floor_constant:.4f}, linear decay {floor_decayed:.5f}")
print("decay lowers the final excess loss more than 10-fold:", floor_decayed < floor_constant / 10)

# %% [markdown]
# > **The notes say** (Q23, L267) that thanks to its noisy updates SGD can "escape from local
# > minima and converge to a global minimum". **In fact** there is no such guarantee. With a
# > constant learning rate SGD does not even converge on this *convex* problem with a single
# > minimum: it hovers at the noise floor measured above. With a decaying rate it converges to
# > a minimum of a convex cost; on a non-convex cost, to a stationary point, which may be a
# > poor local minimum or a saddle. The noise *may* help it leave shallow minima and saddle
# > points, nothing more. (The same section's L1020, "may get stuck at local minimum, i.e.
# > not reach up to the local minimum", should read "… not reach the *global* minimum".)
#
# ## 6. Demo: batch size, learning rate and decay
#
# Pick a batch size, a learning rate and the decay; the left panel shows the path of
# $(w, b)$ over the contours of $J$, the right one the excess loss against examples seen
# (or updates), with batch sizes 1, 30 and 1,000 as thin reference curves. The
# "examples seen" slider and the Play button replay the run.

# %%
demo()

# %% [markdown]
# **Try this**
# - Batch size 1000 (batch GD): the path is a smooth curve of 10 dots. Batch size 1: a
#   random walk that never settles. Where does batch size 30 sit?
# - With batch size 1, lower the learning rate from 0.1 to 0.01: the cloud around the star
#   shrinks, but the first epoch gets slower. Now tick the decay: both at once.
# - Find the largest learning rate that still works for batch 1000 (the message line says
#   when a run diverges), then for batch 1. Which batch size tolerates the larger rate?
# - Switch the x axis to "updates": which batch size wins now?
# - Press "new shuffle" a few times with batch size 1: the path changes, the noise floor
#   does not.
#
# ## 7. Mini-batch SGD on Fashion-MNIST: examples per second
#
# On real data the batch size also decides how fast the hardware works. We train softmax
# regression (one `nn.Linear(784, 10)` layer and the cross-entropy) for one pass over 4,000
# Fashion-MNIST images with batch sizes 1, 10, 100 and 1,000, the same learning rate, and
# time each run. (The setup cell limited torch to one CPU thread, so the timings show the
# batch size and not the thread scheduling of a busy machine.)

# %%
data = load_fashion_mnist(n_val=5000, seed=0)
X_train = data.X_train[:4000].reshape(-1, 784)  # (4000, 1, 28, 28) -> (4000, 784)
y_train = data.y_train[:4000]
X_val = data.X_val.reshape(-1, 784)  # (5000, 784)
mean, std = X_train.mean(), X_train.std()
X_train, X_val = (X_train - mean) / std, (X_val - mean) / std
y_val = data.y_val
print("training subset:", tuple(X_train.shape), "| validation:", tuple(X_val.shape))


# %%
def one_epoch_of_sgd(batch_size, lr=0.01):
    """Softmax regression, one shuffled pass over X_train; returns (seconds, net)."""
    set_seed(0)
    net = nn.Linear(784, 10)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(X_train))
    start_time = time.perf_counter()
    for start in range(0, len(X_train), batch_size):
        idx = order[start:start + batch_size]
        loss = loss_fn(net(X_train[idx]), y_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start_time, net


# %% tags=["nbval-ignore-output"]
speed, val_acc = {}, {}
print("batch | updates | seconds | examples/s | validation accuracy")
for batch_size in [1, 10, 100, 1000]:
    seconds, net = one_epoch_of_sgd(batch_size)
    speed[batch_size] = len(X_train) / seconds
    with torch.no_grad():
        val_acc[batch_size] = accuracy(net(X_val), y_val)
    print(f"{batch_size:5d} | {len(X_train) // batch_size:7d} | {seconds:7.2f} | "
          f"{speed[batch_size]:10.0f} | {val_acc[batch_size]:.3f}")

# %% [markdown]
# The timings vary from machine to machine; the checks below state what does not:

# %%
print("batch 100 processes at least 5x more examples per second than batch 1:",
      speed[100] >= 5 * speed[1])
print("after one epoch, batch 10 is more accurate than batch 1,000 (100x more updates):",
      val_acc[10] > val_acc[1000] + 0.1)

# %% [markdown]
# Both effects pull in opposite directions. Large batches use the hardware well (vectorised
# matrix products) but make few updates per epoch; tiny batches make many updates but waste
# the hardware and need small learning rates. Mini-batches of a few tens to a few hundreds
# get most of both, which is why they are the default (batch sizes of 32–256 are typical).
#
# # Part 2 · Challenges motivating deep learning (I.12)
#
# > **The notes say** (L1440–1473, "Challenges motivating deep learning") that the
# > challenges are learning without supervision, coping with data outside the training
# > distribution, incorporating logic, and needing less data. **In fact** these are open
# > challenges *of* deep learning today (we keep them in section 11). The syllabus topic is
# > GBC §5.11: the challenges that simple machine-learning methods meet in high dimensions,
# > which *motivated* deep learning. There are three.
#
# ## 8. The curse of dimensionality
#
# **Many configurations.** Cut each axis of $[0, 1]^d$ into 10 bins: there are $10^d$ cells.
# With a fixed number of examples, almost every cell is empty once $d$ is moderate, so a
# method that learns "what happens in this cell" from the examples in it has nothing to go
# on. We scatter 1,000 uniform points:

# %%
rng = np.random.default_rng(0)
print(" d | cells 10^d      | cells occupied by 1,000 points | fraction occupied")
for d in [1, 2, 3, 4, 5, 6, 8, 10]:
    X = rng.random((1000, d))  # (1000, d) uniform points
    occupied = len(np.unique(np.floor(10 * X).astype(int), axis=0))
    print(f"{d:2d} | {10 ** d:15,d} | {occupied:30d} | {occupied / 10 ** d:.3g}")

# %% [markdown]
# **Distances stop meaning "near".** For a query point, compare the distance to its nearest
# and to its farthest neighbour among 1,000 uniform points. In high dimensions the ratio
# tends to 1: every point is about as far as every other, so "the nearest examples" say
# little about the query.

# %%
dims = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
ratios = []
for d in dims:
    X = rng.random((1000, d))  # (1000, d)
    queries = rng.random((20, d))  # (20, d)
    distances = np.sqrt(((queries[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))  # (20, 1000)
    ratios.append(np.mean(distances.min(axis=1) / distances.max(axis=1)))
print("d:", dims)
print("nearest / farthest distance:", np.round(ratios, 3).tolist())

fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogx(dims, ratios, "o-")
ax.set(xlabel="dimension d", ylabel="nearest / farthest", ylim=(0, 1),
       title="Distance concentration (1,000 uniform points)")
plt.show()

# %% [markdown]
# ## 9. Local constancy and the smoothness prior
#
# Nearest neighbours, kernel machines and decision trees all rely on one prior belief: the
# function barely changes in a small region, $f^*(x) \approx f^*(x + \epsilon)$ (GBC
# §5.11.2). To learn a function with $N$ regions of different behaviour, such a learner needs
# examples in (almost) every region. A checkerboard makes this concrete: $c \times c$
# squares on $[0,1]^2$, colours alternating, learned by 1-nearest-neighbour from 1,000
# random examples.

# %%
def checkerboard(X, c):
    """Label 0/1 of points X (n, 2) on a c x c checkerboard over the unit square."""
    return ((np.floor(c * X[:, 0]) + np.floor(c * X[:, 1])) % 2).astype(int)


X_train_2d, X_test_2d = rng.random((1000, 2)), rng.random((4000, 2))
knn_acc = {}
print("regions c^2 | 1-NN test accuracy (1,000 training points)")
for c in [2, 4, 8, 16, 32, 64, 128]:
    knn = KNeighborsClassifier(n_neighbors=1).fit(X_train_2d, checkerboard(X_train_2d, c))
    knn_acc[c] = (knn.predict(X_test_2d) == checkerboard(X_test_2d, c)).mean()
    print(f"{c * c:11d} | {knn_acc[c]:.3f}")

# %%
axis_points = np.linspace(0, 1, 200)
grid = np.stack(np.meshgrid(axis_points, axis_points), axis=-1).reshape(-1, 2)  # (40000, 2)
fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
for ax, c in zip(axes, [4, 40]):
    knn = KNeighborsClassifier(n_neighbors=1).fit(X_train_2d, checkerboard(X_train_2d, c))
    prediction = knn.predict(grid).reshape(200, 200)  # (200, 200) image of the learned labels
    ax.imshow(prediction, origin="lower", extent=(0, 1, 0, 1), cmap="Greys", alpha=0.5)
    ax.scatter(*X_train_2d[:150].T, c=checkerboard(X_train_2d[:150], c), cmap="coolwarm", s=8)
    ax.set(title=f"1-NN, {c}x{c} board: {c * c} regions", xticks=[], yticks=[])
plt.show()

# %% [markdown]
# With a few regions and 1,000 examples the learner does well; once the regions outnumber
# the examples its accuracy falls to a coin toss (0.5). The smoothness prior alone
# cannot generalise to regions it has no examples in.
#
# Deep learning adds a different assumption: the data were generated by a **composition of
# factors**, possibly at several levels. Here the checkerboard is a product of two periodic
# factors, one per axis. A model that assumes that structure, with the single feature
# $\sin(\pi c x_1)\sin(\pi c x_2)$, learns the 16,384-region board from only 50 examples:

# %%
def product_feature(X, c):
    return (np.sin(np.pi * c * X[:, 0]) * np.sin(np.pi * c * X[:, 1]))[:, None]  # (n, 1)


c = 128
model = LogisticRegression().fit(product_feature(X_train_2d[:50], c), checkerboard(X_train_2d[:50], c))
structured_acc = model.score(product_feature(X_test_2d, c), checkerboard(X_test_2d, c))
print(f"{c * c} regions: 1-NN with 1,000 examples {knn_acc[c]:.3f}, "
      f"factored model with 50 examples {structured_acc:.3f}")

# %% [markdown]
# We *gave* this model the right factors. A deep network's layers learn such factors from the
# data (distributed representations, GBC §15.4), which lets it describe exponentially many
# regions with a number of parameters that grows only polynomially: the argument of GBC
# §5.11.2 and §6.4.1.
#
# ## 10. Manifold learning
#
# The **manifold hypothesis**: real data such as images occupy a tiny, connected,
# low-dimensional region (a *manifold*) of the input space (GBC §5.11.3). Evidence one:
# random points of $[0,1]^{784}$ never look like clothes.

# %%
random_images = torch.rand(8, 1, 28, 28)  # 8 uniform random "images"
fig = show_images(torch.cat([random_images, data.X_train[:8]]), n_cols=8, n_rows=2, scale=1.1)
fig.suptitle("top: uniform random points of [0,1]^784 | bottom: Fashion-MNIST")
plt.show()

# %% [markdown]
# Evidence two: **principal component analysis** (PCA) of 5,000 images. The eigenvalues of
# the covariance matrix of the pixels are the variances along the principal directions. If
# images filled all 784 dimensions, the variance would be spread over all of them, as for
# random images; instead a small fraction of the directions holds most of it.

# %%
def cumulative_variance(X):
    """Fraction of the total variance in the first k principal components, k = 1..784."""
    X = X.reshape(len(X), -1).double()  # (n, 784)
    X = X - X.mean(dim=0)
    variances = torch.linalg.eigvalsh(X.T @ X / len(X)).flip(0).clamp(min=0)  # (784,) largest first
    return (torch.cumsum(variances, dim=0) / variances.sum()).numpy()


fashion_cum = cumulative_variance(data.X_train[:5000])
random_cum = cumulative_variance(torch.rand(5000, 784, generator=torch.Generator().manual_seed(0)))
for name, cum in [("Fashion-MNIST", fashion_cum), ("random images", random_cum)]:
    k90, k99 = np.searchsorted(cum, 0.90) + 1, np.searchsorted(cum, 0.99) + 1
    print(f"{name:14}: {k90:3d} components hold 90% of the variance, {k99:3d} hold 99%")

fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.plot(np.arange(1, 785), fashion_cum, label="Fashion-MNIST")
ax.plot(np.arange(1, 785), random_cum, label="uniform random images")
ax.set(xlabel="number of principal components k", ylabel="fraction of variance",
       title="PCA spectrum of 5,000 images")
ax.legend()
plt.show()

# %% [markdown]
# Fashion-MNIST images lie close to a low-dimensional subspace; random images do not. PCA
# finds only *flat* subspaces, so this is an upper bound: the manifold itself is curved.
# Shifting an image by two pixels is a tiny move *along* the manifold (it stays the same
# garment), yet in pixel space it can be a long way, as far as a different garment of the
# same class:

# %%
X_flat = data.X_train[:5000].reshape(5000, -1)  # (5000, 784)
image, label = data.X_train[0, 0], data.y_train[0]
shifted = torch.roll(image, shifts=2, dims=1)  # the same garment, 2 pixels to the right
same_class = X_flat[1:][data.y_train[1:5000] == label]  # (n, 784): other images of its class
distance_to_shifted = torch.dist(image.flatten(), shifted.flatten()).item()
distances_to_others = torch.cdist(image.reshape(1, -1), same_class)[0]  # (n,)
print(f"class {data.classes[label]}: distance to its own 2-pixel shift {distance_to_shifted:.2f}; "
      f"to other images of the class: nearest {distances_to_others.min():.2f}, "
      f"median {distances_to_others.median():.2f}")
print("the shift moves it farther than its nearest same-class neighbour:",
      distance_to_shifted > distances_to_others.min().item())

# %% [markdown]
# Curved manifolds can have even fewer dimensions than the flat subspace PCA finds.
# Autoencoders (Unit V) learn such curved coordinates; deep networks in general are thought
# to work because they follow the manifold instead of filling the whole space.
#
# ## 11. Open challenges (the notes' list)
#
# The notes' section lists problems that deep learning has *not* solved yet; they are worth
# knowing, under their proper name:
# - **Data hunger and labels.** Deep networks need many labelled examples; transfer learning,
#   self-supervised and semi-supervised learning (Unit V) try to need fewer.
# - **Out-of-distribution data.** A model is reliable only on data like its training data;
#   the cell below trains a classifier on two Gaussian blobs and tests it on shifted copies.
# - **Incorporating logic and prior knowledge.** Rules and reasoning are hard to combine with
#   learning from data.
# - **Efficiency.** Large models cost a lot of data, computation and energy to train.

# %%
def blobs(n, shift, seed):
    """Two Gaussian classes in 2-D; `shift` moves the whole test distribution."""
    r = np.random.default_rng(seed)
    labels = r.integers(0, 2, n)
    X = r.normal(0, 0.8, (n, 2)) + np.where(labels[:, None] == 1, 1.5, -1.5) + shift  # (n, 2)
    return X, labels


classifier = LogisticRegression().fit(*blobs(1000, 0.0, seed=1))
for shift in [0.0, 0.5, 1.0, 1.5, 2.0]:
    print(f"test data shifted by {shift}: accuracy {classifier.score(*blobs(2000, shift, seed=2)):.3f}")

# %% [markdown]
# ## 12. Exercises
#
# **Exercise 1.** Write the mini-batch gradient of $J$ for a batch `(x_b, y_b)`: the mean of
# the per-example gradients $(w x + b - y)\,[x, 1]$. Return a numpy array of shape (2,).

# %%
def minibatch_gradient(w, b, x_b, y_b):
    ...  # your code


test_batches = [(0.0, 0.0, x[:1], y[:1]), (1.5, -0.5, x[:30], y[:30]), (-2.0, 3.0, x, y)]
check_function(minibatch_gradient, gradient, test_batches,
               hint="residual = w * x_b + b - y_b; average residual * x_b and residual")

# %% tags=["solution"] jupyter={"source_hidden": true}
def minibatch_gradient(w, b, x_b, y_b):
    residual = w * x_b + b - y_b
    return np.array([np.mean(residual * x_b), np.mean(residual)])


check_function(minibatch_gradient, gradient, test_batches)

# %% [markdown]
# **Exercise 2.** Write GBC's linear learning-rate decay: $\epsilon_k = (1-\alpha)\epsilon_0
# + \alpha\epsilon_\tau$ with $\alpha = k/\tau$ for $k \le \tau$, and $\epsilon_\tau$ after
# that; $\epsilon_\tau = \epsilon_0/100$.

# %%
def my_linear_decay(k, lr0, tau):
    ...  # your code


decay_inputs = [(0, 0.1, 100), (50, 0.1, 100), (100, 0.1, 100), (500, 0.1, 100), (3, 1.0, 4)]
check_function(my_linear_decay, linear_decay, decay_inputs,
               hint="alpha = min(k / tau, 1); lr_tau = lr0 / 100")

# %% tags=["solution"] jupyter={"source_hidden": true}
def my_linear_decay(k, lr0, tau):
    alpha = min(k / tau, 1.0)
    return (1 - alpha) * lr0 + alpha * lr0 / 100


check_function(my_linear_decay, linear_decay, decay_inputs)

# %% [markdown]
# **Exercise 3.** Use `run_sgd` (10 epochs, learning rate 0.3, no decay) to find which batch
# size among 1, 30 and 1000 ends with the lowest excess loss $J - J^*$ (mean over the last
# epoch's updates). Answer with the batch size.

# %%
best_batch_size = ...  # your answer: 1, 30 or 1000


def final_excess(batch_size):
    path = run_sgd(x, y, batch_size, lr=0.3, num_epochs=10)["path"]
    per_epoch = (len(path) - 1) // 10
    return np.mean(loss(path[-per_epoch:, 0], path[-per_epoch:, 1], x, y) - j_star)


check(best_batch_size, min([1, 30, 1000], key=final_excess),
      hint="compare final_excess(1), final_excess(30) and final_excess(1000)")

# %% tags=["solution"] jupyter={"source_hidden": true}
print({batch_size: round(float(final_excess(batch_size)), 5) for batch_size in [1, 30, 1000]})
best_batch_size = min([1, 30, 1000], key=final_excess)
check(best_batch_size, min([1, 30, 1000], key=final_excess))

# %% [markdown]
# **Exercise 4.** 1,000 points can occupy at most 1,000 cells. In $d = 5$ dimensions with 10
# bins per axis, what is the largest possible fraction of occupied cells?

# %%
max_fraction = ...  # your answer
check(max_fraction, 1000 / 10 ** 5, hint="cells = 10 ** d")

# %% tags=["solution"] jupyter={"source_hidden": true}
max_fraction = 1000 / 10 ** 5
check(max_fraction, 1000 / 10 ** 5)

# %% [markdown]
# **Exercise 5.** From `fashion_cum` (the cumulative fraction of variance), how many
# principal components are needed to keep 95% of the variance of Fashion-MNIST?

# %%
k95 = ...  # your answer, an integer
check(k95, int(np.argmax(fashion_cum >= 0.95)) + 1,
      hint="the first k with fashion_cum[k - 1] >= 0.95")

# %% tags=["solution"] jupyter={"source_hidden": true}
k95 = int(np.searchsorted(fashion_cum, 0.95)) + 1
print("components for 95% of the variance:", k95)
check(k95, int(np.argmax(fashion_cum >= 0.95)) + 1)

# %% [markdown]
# ## 13. Review questions (Part A)

# %%
quiz("SGD with a constant learning rate on a convex cost such as linear regression…",
     ["converges exactly to the global minimum thanks to its noise",
      "keeps fluctuating around the minimum, at a level that grows with the learning rate",
      "diverges for every learning rate"],
     answer=1, explanation="The mini-batch gradient keeps its variance at the minimum; "
                           "only a decaying learning rate averages it away.")

# %%
quiz("Doubling the batch size m' of mini-batch SGD…",
     ["halves the variance of the gradient estimate",
      "halves its standard deviation", "makes the estimate biased"],
     answer=0, explanation="Var[g] = Σ/m': the variance halves, the standard deviation "
                           "falls only by √2, and the estimate stays unbiased.")

# %%
quiz("In GBC, which is NOT one of the 'challenges motivating deep learning'?",
     ["the curse of dimensionality", "the limits of local constancy (smoothness) priors",
      "the manifold structure of data", "incorporating logic into models"],
     answer=3, explanation="GBC §5.11 names the first three; incorporating logic is an open "
                           "challenge of deep learning itself.")

# %% [markdown]
# <details><summary><b>What is a gradient-based optimiser? (Q14)</b></summary>
# An algorithm that minimises a differentiable cost J(θ) by repeatedly stepping against its
# gradient: θ ← θ − ε ∇θ J(θ), with learning rate ε. It needs only differentiability, not
# convexity; on a convex cost it reaches the global minimum, otherwise a stationary point.
# Examples: batch GD, SGD, momentum, Adam (lesson 10).
# </details>
#
# <details><summary><b>Define stochastic gradient descent with its merits and demerits. (Q23)</b></summary>
# SGD updates θ ← θ − ε g with g the gradient on one example (strict SGD) or a small random
# mini-batch of m' examples: an unbiased estimate of the full gradient with variance ∝ 1/m'.
# Merits: each update is cheap and independent of the training-set size; many updates per
# epoch, so fast early progress; works with data that do not fit in memory; the noise may
# help leave saddle points and shallow minima. Demerits: noisy steps, so the loss fluctuates
# and a constant learning rate stalls at a noise floor (a decaying rate is needed); sensitive
# to the learning rate; batch size 1 wastes vector hardware. No guarantee of a global minimum.
# </details>
#
# <details><summary><b>Batch GD vs SGD vs mini-batch SGD?</b></summary>
# Batch GD: all m examples per update, exact gradient, 1 update per epoch. SGD: 1 example,
# m updates per epoch, the noisiest. Mini-batch: m' examples (typically 32–256), m/m' updates
# per epoch, noise ∝ 1/m', and the best use of vector hardware; the usual choice.
# </details>
#
# <details><summary><b>What is the curse of dimensionality?</b></summary>
# The number of distinguishable configurations of d variables grows exponentially (10^d
# cells with 10 values each), so examples cannot cover the space; distances between random
# points become nearly equal. Methods that generalise only from nearby examples then fail.
# </details>
#
# <details><summary><b>What is the manifold hypothesis?</b></summary>
# Real data (images, sounds, text) concentrate near a low-dimensional manifold of the input
# space: random inputs almost never look like data, and the PCA spectrum of images is
# concentrated in a few directions.
# </details>
#
# ## Summary
# - Batch GD, SGD and mini-batch SGD are one algorithm with a batch size $m'$; the
#   mini-batch gradient is unbiased and its variance falls like $1/m'$ (measured).
# - Per update, big batches win; per example seen, small batches win; per second, moderate
#   mini-batches win because hardware is vectorised.
# - With a constant learning rate SGD stalls at a noise floor that grows with $\epsilon$ and
#   shrinks with $m'$; a decaying rate (GBC's linear decay) removes it. SGD carries no
#   global-minimum guarantee.
# - GBC's challenges motivating deep learning are the curse of dimensionality, the failure of
#   the smoothness prior when regions outnumber examples, and the manifold structure of
#   data; the notes' list is a list of *open* challenges.
#
# **Next:** [lesson 07](07_deep_feedforward_networks.ipynb) builds deep feedforward networks;
# [lesson 10](10_optimizers_and_initialization.ipynb) improves on plain SGD with momentum and
# adaptive learning rates.
