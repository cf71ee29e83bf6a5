# %% [markdown]
# # Optimizers and weight initialisation (syllabus I.15)
#
# **What you will learn**
# - why plain SGD struggles: ill-conditioning, and why saddle points, not local minima, are
#   the typical obstacle in high dimensions;
# - momentum, Nesterov momentum, AdaGrad, RMSProp and Adam written from their update rules
#   in Goodfellow, Bengio & Courville (GBC Algorithms 8.2–8.7), each checked against
#   `torch.optim`, including where the two write the same rule differently;
# - how they race on an ill-conditioned quadratic and on Rosenbrock's valley, and how they
#   train a 784-300-100-10 network on Fashion-MNIST;
# - why weights must not start at zero, what "too small" and "too large" do to a 20-layer
#   network, and where the Xavier/Glorot and He formulas come from.

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
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.optimizers import (OPTIMIZERS, adagrad_step, adam_step, gradient_function,
                              momentum_step, nesterov_step, rmsprop_step, run, run_torch)
from utils.plotting import set_style
from utils.training import evaluate, fit, set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. What makes optimisation hard
#
# Gradient descent takes the step $\theta \leftarrow \theta - \epsilon\, g$ with
# $g = \nabla_\theta J(\theta)$: it moves **along the negative gradient**, the direction in
# which $J$ decreases fastest ([lesson 03](03_gradient_based_optimization.ipynb) and
# [lesson 06](06_sgd_and_the_challenges_of_deep_learning.ipynb)).
#
# > **The notes say** (002:L1591) that gradient descent changes the parameters "in the
# > opposite direction of the loss function's negative gradient". **In fact** that double
# > negative points *uphill*. The step goes opposite to the gradient, i.e. along the
# > negative gradient.
#
# **Ill-conditioning** (GBC §8.2.1). Near a minimum, $J$ looks like a quadratic bowl with
# curvatures $\lambda_1 \ge \dots \ge \lambda_n > 0$ (the eigenvalues of the Hessian). A
# step size above $2/\lambda_1$ diverges along the steepest direction, and with
# $\epsilon < 2/\lambda_1$ the flattest direction shrinks only by a factor
# $1 - \epsilon\lambda_n$ per step. When the **condition number** $\lambda_1/\lambda_n$ is
# large, plain gradient descent zig-zags across the valley and crawls along it. Momentum
# and per-parameter step sizes (below) attack exactly this.
#
# **Local minima or saddle points?** (GBC §8.2.2–8.2.3.) At a critical point
# ($g = 0$) the Hessian's eigenvalues decide: all positive is a local minimum, mixed signs is
# a saddle point. For a "random" function of $n$ parameters, a critical point is a minimum
# only if *all* $n$ curvatures happen to be positive. We draw random symmetric matrices
# (Gaussian entries) as stand-ins for Hessians and count how often that happens:

# %%
rng = np.random.default_rng(0)
print(" n | fraction of random symmetric n x n matrices with all eigenvalues > 0")
for n in [1, 2, 3, 4, 5, 6, 8]:
    A = rng.normal(size=(100_000, n, n))
    H = (A + A.transpose(0, 2, 1)) / 2  # (100000, n, n) symmetric
    all_positive = (np.linalg.eigvalsh(H) > 0).all(axis=1).mean()
    print(f"{n:2d} | {all_positive:.5f}")

# %% [markdown]
# The fraction collapses as $n$ grows: in a network with millions of parameters almost
# every critical point is a saddle, and theory and experiments (GBC §8.2.3) suggest that
# the local minima that do exist mostly have a loss close to the global minimum. What slows
# training in practice are saddle points, flat **plateaus** and ill-conditioning.
#
# > **The notes say** (002:L1627) that deep neural networks "are highly prone to local
# > minima". **In fact** in high dimensions saddle points and plateaus are the main
# > obstacles; most local minima of large networks are nearly as good as the global one
# > (GBC §8.2). (Likewise 003:L80–84: a convex function has no *bad* local minima, every
# > local minimum is global, but it may have none or a whole set of them.)
#
# ## 2. The test bench
#
# Every update rule below is a small function in `utils/optimizers.py`, printed here, and
# written in GBC's notation: learning rate $\epsilon$ (`lr`), momentum $\alpha$, decay rates
# $\rho$, small constant $\delta$. We check each against `torch.optim` on the same problem:
# L2-regularised logistic regression on 50 random points with 5 parameters, 100 full-batch
# steps from the same start. `run(name, grad_fn, theta0, num_steps, lr, ...)` applies our
# rule; `run_torch(optimizer_class, loss_fn, theta0, num_steps, ...)` applies torch's; both
# return the path of $\theta$, one row per step.

# %%
A = torch.randn(50, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
labels = torch.sign(A @ torch.tensor([1.0, -2.0, 0.5, 0.0, 1.0], dtype=torch.float64) + 0.3)


def problem_loss(theta):
    """Logistic loss with labels in {-1, +1}, plus a small L2 penalty: a smooth convex J."""
    return nn.functional.softplus(-labels * (A @ theta)).mean() + 0.01 * (theta ** 2).sum()


grad_fn = gradient_function(problem_loss)  # the gradient, through autograd, as numpy
theta0 = np.array([2.0, 2.0, -2.0, 1.0, -1.0])
num_steps = 100


def same_path(ours, theirs):
    """How far apart two paths are. A difference below 1e-12 is float64 rounding, whose
    digits depend on the CPU's kernels, so it is reported as such, not digit by digit."""
    diff = np.abs(ours - theirs).max()
    size = "below 1e-12 (rounding)" if diff < 1e-12 else f"{diff:.1e}"
    return f"max |difference| {size}, allclose: {np.allclose(ours, theirs)}"


print("loss at the start:", round(problem_loss(torch.tensor(theta0)).item(), 4))
print("plain SGD vs torch.optim.SGD:",
      same_path(run("sgd", grad_fn, theta0, num_steps, lr=0.5),
                run_torch(torch.optim.SGD, problem_loss, theta0, num_steps, lr=0.5)))

# %% [markdown]
# ## 3. Momentum (GBC Algorithm 8.2)
#
# Momentum keeps a **velocity** $v$, an exponentially decaying average of past negative
# gradients, and moves by it:
#
# $$v \leftarrow \alpha v - \epsilon\, g, \qquad \theta \leftarrow \theta + v .$$
#
# Gradients that agree from step to step add up; gradients that flip sign (the zig-zag
# across a narrow valley) cancel. If the gradient is constant the velocity approaches
# $-\epsilon g/(1-\alpha)$: with $\alpha = 0.9$ the steps become up to 10 times longer.

# %%
print(inspect.getsource(momentum_step))

# %% [markdown]
# **torch writes it differently.** `torch.optim.SGD(momentum=μ)` keeps $b \leftarrow \mu b
# + g$ and steps $\theta \leftarrow \theta - \epsilon b$. With a constant learning rate
# that is the same algorithm, since $v = -\epsilon b$ at every step. (The two differ only
# when $\epsilon$ changes during training: torch's form rescales the whole velocity at
# once.) The 003 notes (L90–92) use torch's form, $V_t = \alpha V_{t-1} + \eta\,g$,
# $W_t = W_{t-1} - V_t$, with the learning rate inside $V$: the same again.

# %%
ours = run("momentum", grad_fn, theta0, num_steps, lr=0.5, alpha=0.9)
theirs = run_torch(torch.optim.SGD, problem_loss, theta0, num_steps, lr=0.5, momentum=0.9)
print("momentum vs torch.optim.SGD(momentum=0.9):", same_path(ours, theirs))

# %% [markdown]
# ## 4. Nesterov momentum (GBC Algorithm 8.3)
#
# Nesterov's variant evaluates the gradient where the velocity is about to carry us, at the
# interim point $\tilde\theta = \theta + \alpha v$, and so corrects the step before it
# overshoots:
#
# $$\tilde g = \nabla_\theta J(\theta + \alpha v), \qquad v \leftarrow \alpha v - \epsilon\,\tilde g,
#   \qquad \theta \leftarrow \theta + v .$$

# %%
print(inspect.getsource(nesterov_step))

# %% [markdown]
# **torch writes it differently.** `SGD(momentum=μ, nesterov=True)` never computes a
# gradient at a second point. It stores the *look-ahead* point $\phi = \theta + \alpha v$
# as its parameters and updates $b \leftarrow \mu b + g(\phi)$,
# $\phi \leftarrow \phi - \epsilon\,(g(\phi) + \mu b)$. A line of algebra shows that $\phi$
# follows exactly GBC's $\theta + \alpha v$. So we compare torch's parameters with our
# $\theta + \alpha v$, where $v$ is the last step we took:

# %%
ours = run("nesterov", grad_fn, theta0, num_steps, lr=0.5, alpha=0.9)
v = np.diff(ours, axis=0)  # (num_steps, 5): v after each step is theta_k - theta_(k-1)
look_ahead = ours[1:] + 0.9 * v
theirs = run_torch(torch.optim.SGD, problem_loss, theta0, num_steps, lr=0.5, momentum=0.9,
                   nesterov=True)
print("Nesterov (theta + alpha v) vs torch.optim.SGD(nesterov=True):",
      same_path(look_ahead, theirs[1:]))

# %% [markdown]
# ## 5. AdaGrad (GBC Algorithm 8.4)
#
# Adaptive methods give **every parameter its own step size**. AdaGrad accumulates the
# squared gradients and divides by their root:
#
# $$r \leftarrow r + g \odot g, \qquad
#   \theta \leftarrow \theta - \frac{\epsilon}{\delta + \sqrt{r}} \odot g ,$$
#
# with $\delta = 10^{-7}$ for numerical stability. Parameters with large past gradients get
# small steps and vice versa. Because $r$ only grows, the steps shrink for ever (like
# $1/\sqrt t$ for a constant gradient), which suits convex problems but can stop deep
# networks too early.

# %%
print(inspect.getsource(adagrad_step))
ours = run("adagrad", grad_fn, theta0, num_steps, lr=0.5, delta=1e-7)
theirs = run_torch(torch.optim.Adagrad, problem_loss, theta0, num_steps, lr=0.5, eps=1e-7)
print("AdaGrad vs torch.optim.Adagrad(eps=1e-7):", same_path(ours, theirs))

# %% [markdown]
# torch's `Adagrad` has the same formula ($\delta$ outside the root); its default `eps` is
# $10^{-10}$ rather than GBC's $10^{-7}$, so we pass GBC's value.
#
# **AdaGrad still has a learning rate.** Its *per-parameter* scaling is automatic, but the
# global $\epsilon$ multiplies everything, and it matters a lot:

# %%
final_loss = {}
for lr in [0.001, 0.01, 0.1, 1.0]:
    path = run("adagrad", grad_fn, theta0, num_steps, lr=lr)
    final_loss[lr] = problem_loss(torch.tensor(path[-1])).item()
    print(f"AdaGrad with lr = {lr:5}: loss after {num_steps} steps {final_loss[lr]:.4f}")

# %% [markdown]
# > **The notes say** (003:L96) that with AdaGrad there is "no need to manually tune the
# > learning rate". **In fact** AdaGrad adapts the *relative* step sizes of the parameters,
# > but the global learning rate $\epsilon$ remains a hyperparameter to tune: above, the same
# > problem ends at very different losses for different $\epsilon$.
#
# ## 6. RMSProp (GBC Algorithm 8.5)
#
# RMSProp replaces AdaGrad's sum by an exponentially decaying average, so old gradients are
# forgotten and the steps do not shrink for ever:
#
# $$r \leftarrow \rho\, r + (1-\rho)\, g \odot g, \qquad
#   \theta \leftarrow \theta - \frac{\epsilon}{\sqrt{\delta + r}} \odot g ,$$
#
# with $\rho = 0.9$ and $\delta = 10^{-6}$ in GBC.

# %%
print(inspect.getsource(rmsprop_step))

# %% [markdown]
# **torch writes $\delta$ elsewhere.** GBC puts $\delta$ *inside* the square root,
# $\sqrt{\delta + r}$; `torch.optim.RMSprop` adds its `eps` *outside*, $\sqrt{r} +
# \epsilon_{\text{torch}}$, and calls the decay rate `alpha`. With both constants set to
# zero the rules coincide; with the defaults they differ slightly, most where $r$ is tiny:

# %%
ours = run("rmsprop", grad_fn, theta0, num_steps, lr=0.01, rho=0.9, delta=0.0)
theirs = run_torch(torch.optim.RMSprop, problem_loss, theta0, num_steps, lr=0.01, alpha=0.9, eps=0.0)
print("RMSProp (delta = 0) vs torch.optim.RMSprop(eps=0):", same_path(ours, theirs))
ours = run("rmsprop", grad_fn, theta0, num_steps, lr=0.01, rho=0.9)  # GBC: delta = 1e-6 inside
theirs = run_torch(torch.optim.RMSprop, problem_loss, theta0, num_steps, lr=0.01,
                   alpha=0.9)  # torch: eps = 1e-8 outside
print("RMSProp with each one's default constant:        ", same_path(ours, theirs))

# %% [markdown]
# > **The notes say** (002:L1611) that RMSProp "deals with the issue of deep neural network
# > gradients that vanish and explode". **In fact** RMSProp only rescales each parameter's
# > step by the recent size of its gradient. That keeps step sizes sensible when gradient
# > *magnitudes* differ between parameters, but it does not make vanishing gradients carry
# > information again: a gradient lost in a saturated layer or drowned by $\delta$ stays
# > lost. The remedies for vanishing and exploding gradients are initialisation (section
# > 10), non-saturating activations, normalisation, skip connections and gradient clipping
# > ([lesson 09](09_dropout_and_batch_normalization.ipynb) and
# > [lesson 11](11_vanishing_and_exploding_gradients.ipynb)).
#
# GBC Algorithm 8.6 combines RMSProp with Nesterov momentum. torch's `RMSprop(momentum=…)`
# adds *plain* momentum instead, so it has no direct counterpart there and we skip it.
#
# ## 7. Adam (GBC Algorithm 8.7)
#
# Adam keeps decaying averages of both the gradient (first moment $s$, a momentum) and its
# square (second moment $r$, as in RMSProp), and corrects both for starting at zero:
#
# $$s \leftarrow \rho_1 s + (1-\rho_1)\, g, \qquad r \leftarrow \rho_2 r + (1-\rho_2)\, g \odot g,$$
# $$\hat s = \frac{s}{1-\rho_1^t}, \qquad \hat r = \frac{r}{1-\rho_2^t}, \qquad
#   \theta \leftarrow \theta - \epsilon \frac{\hat s}{\sqrt{\hat r} + \delta},$$
#
# with $\rho_1 = 0.9$, $\rho_2 = 0.999$, $\delta = 10^{-8}$ and $t$ the step number.

# %%
print(inspect.getsource(adam_step))
ours = run("adam", grad_fn, theta0, num_steps, lr=0.05)
theirs = run_torch(torch.optim.Adam, problem_loss, theta0, num_steps, lr=0.05)
print("Adam vs torch.optim.Adam:", same_path(ours, theirs))

# %% [markdown]
# Here torch's formula is GBC's: `betas=(ρ1, ρ2)`, `eps` added outside the root of the
# bias-corrected $\hat r$. **Why the bias correction?** After the first step $s = 0.1\,g$
# and $r = 0.001\,g^2$, both far too small because they started at 0. The corrected first
# step is exactly $\epsilon$ per parameter (in the gradient's sign), whatever the gradient's
# size; without correction it would be about three times larger:

# %%
g = np.array([0.001, 1.0, -50.0])  # gradients of very different sizes
zeros = np.zeros(3)
corrected, *_ = adam_step(zeros, zeros, zeros, 0, g, lr=0.01)
s, r = 0.1 * g, 0.001 * g * g  # the moments after one step, uncorrected
uncorrected = -0.01 * s / (np.sqrt(r) + 1e-8)
print("first Adam step, corrected:  ", corrected.round(5))
print("first Adam step, uncorrected:", uncorrected.round(5))

# %% [markdown]
# **Where $\delta$ goes in other libraries.** torch adds $\delta$ exactly where GBC does.
# TensorFlow/Keras, which the student reports (seeds 000, 001, 003) used, implement the
# form given just before Section 2.1 of Kingma and Ba's paper: the bias corrections are
# folded into the learning rate, $\epsilon_t = \epsilon\sqrt{1-\rho_2^t}/(1-\rho_1^t)$, and
# their constant $\hat\delta$ is added to $\sqrt r$ rather than to $\sqrt{\hat r}$. That is
# GBC's rule with $\delta = \hat\delta/\sqrt{1-\rho_2^t}$, a larger $\delta$ in the first
# steps; it matters only for gradients not much larger than $\delta$:

# %%
def keras_style_first_adam_step(g, lr, rho1=0.9, rho2=0.999, delta_hat=1e-7):
    s, r = (1 - rho1) * g, (1 - rho2) * g * g  # moments after one step
    lr_t = lr * np.sqrt(1 - rho2) / (1 - rho1)  # bias corrections folded into the rate
    return -lr_t * s / (np.sqrt(r) + delta_hat)


g = np.array([1e-6, 1e-3, 1.0])
gbc_form, *_ = adam_step(zeros, zeros, zeros, 0, g, lr=0.01, delta=1e-7)
print("gradient:               ", g)
print("first step, GBC / torch:", gbc_form.round(5))
print("first step, Keras form: ", keras_style_first_adam_step(g, lr=0.01).round(5))

# %% [markdown]
# ## 8. The race
#
# Two classic test functions of $\theta = (x, y)$:
# - an **ill-conditioned quadratic** $J = \frac12(x^2 + 50\,y^2)$ (condition number 50),
#   100 steps from $(-4, 1)$;
# - **Rosenbrock's valley** $J = (1-x)^2 + 100\,(y - x^2)^2$, a curved, flat-bottomed
#   valley with its minimum at $(1, 1)$, 1,000 steps from $(-1.2, 1)$.
#
# Each optimizer gets its best learning rate from a grid (the one with the lowest final
# loss; momentum methods use $\alpha = 0.9$, the others GBC's defaults), so the race
# compares the methods, not our guesses. For an interactive version, where you pick the
# surface, the optimizers and the learning rate and watch them run, see the
# gradient-descent demo in [lesson 03, section 10](03_gradient_based_optimization.ipynb).

# %%
def quadratic(theta):
    return 0.5 * (theta[..., 0] ** 2 + 50 * theta[..., 1] ** 2)


def quadratic_gradient(theta):
    return np.array([theta[0], 50 * theta[1]])


def rosenbrock(theta):
    return (1 - theta[..., 0]) ** 2 + 100 * (theta[..., 1] - theta[..., 0] ** 2) ** 2


def rosenbrock_gradient(theta):
    x, y = theta
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


problems = {"quadratic": (quadratic, quadratic_gradient, [-4.0, 1.0], 100),
            "Rosenbrock": (rosenbrock, rosenbrock_gradient, [-1.2, 1.0], 1000)}
lr_grid = np.geomspace(1e-4, 3.0, 14)
momentum = {"momentum": {"alpha": 0.9}, "nesterov": {"alpha": 0.9}}


def best_run(name, f, grad, start, steps):
    """The path with the lowest final loss over lr_grid, and its learning rate."""
    best_loss, best_path, best_lr = np.inf, None, None
    for lr in lr_grid:
        path = run(name, grad, start, steps, lr, **momentum.get(name, {}))
        final = f(path[-1])
        if np.isfinite(final) and final < best_loss:
            best_loss, best_path, best_lr = final, path, lr
    return best_path, best_lr


races = {problem: {name: best_run(name, *problems[problem]) for name in OPTIMIZERS}
         for problem in problems}
for problem, results in races.items():
    f = problems[problem][0]
    print(f"{problem}:")
    for name, (path, lr) in results.items():
        final = f"{f(path[-1]):.1e}" if f(path[-1]) > 1e-30 else "below 1e-30"
        print(f"  {name:9} best lr {lr:7.4f}   final loss {final}")

# %%
minima = {"quadratic": (0.0, 0.0), "Rosenbrock": (1.0, 1.0)}
fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
grids = {"quadratic": np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-1.5, 1.5, 200)),
         "Rosenbrock": np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1, 3, 200))}
for column, (problem, results) in enumerate(races.items()):
    f = problems[problem][0]
    W, B = grids[problem]
    surface = f(np.stack([W, B], axis=-1))  # (200, 200)
    axes[0, column].contour(W, B, surface, levels=np.geomspace(surface.min() + 1e-3, surface.max(), 15),
                            colors="0.7", linewidths=0.7)
    for name, (path, lr) in results.items():
        axes[0, column].plot(path[:, 0], path[:, 1], lw=1.3, label=name)
        axes[1, column].semilogy(f(path) + 1e-16, lw=1.3, label=f"{name} (lr {lr:.3g})")
    axes[0, column].plot(*minima[problem], "k*", ms=12)
    axes[0, column].set(title=f"{problem}: paths", xlabel="x", ylabel="y")
    axes[1, column].set(title=f"{problem}: loss per step", xlabel="step", ylabel="J",
                        ylim=(1e-14, None))
    axes[1, column].legend(fontsize=8)
axes[0, 0].legend(fontsize=8, loc="lower right")
fig.tight_layout()
plt.show()

# %%
quadratic_final = {name: quadratic(path[-1]) for name, (path, _) in races["quadratic"].items()}
rosenbrock_final = {name: rosenbrock(path[-1]) for name, (path, _) in races["Rosenbrock"].items()}
print("on the quadratic, momentum beats plain SGD:",
      quadratic_final["momentum"] < quadratic_final["sgd"])
print("on Rosenbrock, every method with momentum (momentum, Nesterov, Adam) beats every one without:",
      max(rosenbrock_final[name] for name in ["momentum", "nesterov", "adam"])
      < min(rosenbrock_final[name] for name in ["sgd", "adagrad", "rmsprop"]))

# %% [markdown]
# What the race shows:
# - Plain SGD ends among the worst on both: its learning rate is capped by the steep
#   direction, so it crawls along the flat one.
# - Momentum and Nesterov pick up speed along the valley floor.
# - The adaptive methods rescale each *coordinate*. Our quadratic's valley is aligned with
#   the axes, so that rescaling removes its ill-conditioning completely (AdaGrad's win);
#   on a valley that is not aligned with the axes they lose this advantage. On Rosenbrock's
#   curved valley the runs with momentum (including Adam's first moment) do best.
# - On real networks no method wins everywhere; Adam with its defaults is a robust first
#   choice, and SGD with momentum and a tuned schedule often generalises as well or better.
#
# ## 9. Training the 784-300-100-10 network with four optimizers
#
# The network of [lesson 07](07_deep_feedforward_networks.ipynb), on 20,000 Fashion-MNIST training images (standardised) for 3
# epochs with mini-batches of 128, with four optimizers at their customary learning rates:
# SGD 0.1, SGD with momentum 0.9 at 0.01, RMSProp 0.001 and Adam 0.001.

# %%
data = load_fashion_mnist(n_val=5000, seed=0)
X_train = data.X_train[:20000].reshape(-1, 784)  # (20000, 1, 28, 28) -> (20000, 784)
y_train = data.y_train[:20000]
X_val = data.X_val.reshape(-1, 784)  # (5000, 784)
mean, std = X_train.mean(), X_train.std()
X_train, X_val = (X_train - mean) / std, (X_val - mean) / std
y_val = data.y_val


def make_mlp():
    return nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
                         nn.Linear(100, 10))


optimizer_settings = {
    "SGD": (torch.optim.SGD, {"lr": 0.1}),
    "momentum": (torch.optim.SGD, {"lr": 0.01, "momentum": 0.9}),
    "RMSProp": (torch.optim.RMSprop, {"lr": 0.001}),
    "Adam": (torch.optim.Adam, {"lr": 0.001}),
}

# %% tags=["nbval-ignore-output"]
histories = {}
for name, (optimizer_class, kwargs) in optimizer_settings.items():
    set_seed(0)
    net = make_mlp()
    optimizer = optimizer_class(net.parameters(), **kwargs)
    histories[name] = fit(net, nn.CrossEntropyLoss(), optimizer, X_train, y_train, X_val, y_val,
                          num_epochs=3, batch_size=128, progress=False)
    print(f"{name:9}: validation accuracy per epoch",
          [round(acc, 3) for acc in histories[name]["val_acc"]])

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for name, history in histories.items():
    epochs = range(1, len(history["train_loss"]) + 1)
    axes[0].plot(epochs, history["train_loss"], "o-", label=name)
    axes[1].plot(epochs, history["val_acc"], "o-", label=name)
axes[0].set(xlabel="epoch", ylabel="training loss", title="training loss", xticks=[1, 2, 3])
axes[1].set(xlabel="epoch", ylabel="validation accuracy", title="validation accuracy", xticks=[1, 2, 3])
axes[1].legend()
plt.show()

# %%
final_val_acc = {name: history["val_acc"][-1] for name, history in histories.items()}
print("every optimizer reaches validation accuracy >= 0.80 in 3 epochs:",
      all(acc >= 0.80 for acc in final_val_acc.values()))
print("Adam ends with a lower training loss than plain SGD:",
      histories["Adam"]["train_loss"][-1] < histories["SGD"]["train_loss"][-1])

# %% [markdown]
# With learning rates of the customary size all four train this network well within a few
# epochs; the differences are in the speed of the first epoch and in how much tuning each
# needs. A fair comparison would tune each optimizer's learning rate (Unit IV does
# hyperparameter search).
#
# ## 10. Weight initialisation (GBC §8.4)
#
# Optimisation starts from the initial weights, and where it starts matters.
#
# ### 10.1 Why not zero? Symmetry
#
# If two hidden units of a layer start with the same weights, they compute the same output,
# receive the same gradient, and so stay identical: the layer behaves like a single unit.
# All-zero weights are the extreme case. We train a 784-50-10 tanh network for 50
# full-batch steps from three starts, then compare the hidden units (the rows of $W_1$)
# with each other. (In float64: see the remark after the results.)

# %%
def train_small_net(init, num_steps=50):
    """784-50-10 tanh network in float64, full-batch SGD on 2,000 images; returns the net."""
    set_seed(0)
    net = nn.Sequential(nn.Linear(784, 50), nn.Tanh(), nn.Linear(50, 10)).double()
    if init != "random":
        value = 0.0 if init == "zero" else 0.01
        for layer in (net[0], net[2]):
            nn.init.constant_(layer.weight, value)
            nn.init.zeros_(layer.bias)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    X, y = X_train[:2000].double(), y_train[:2000]
    for step in range(num_steps):
        loss = nn.functional.cross_entropy(net(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return net


# %% tags=["nbval-ignore-output"]
symmetry = {}
for init in ["zero", "constant 0.01", "random"]:
    net = train_small_net(init)
    W1 = net[0].weight.detach()  # (50, 784): one row per hidden unit
    spread = (W1 - W1[0]).abs().max().item()  # largest difference from hidden unit 0
    val_acc = evaluate(net.float(), nn.CrossEntropyLoss(), X_val, y_val)[1]
    symmetry[init] = (W1.abs().max().item(), spread, val_acc)
    print(f"{init:14}: largest |weight| in W1 {W1.abs().max():.3f}, largest difference "
          f"between hidden units {spread:.1e}, validation accuracy {val_acc:.3f}")

# %%
print("zero init: W1 is still exactly zero:", symmetry["zero"][0] == 0.0)
print("constant init: W1 moved, but the hidden units are still identical (difference < 1e-9):",
      symmetry["constant 0.01"][0] > 0.01 and symmetry["constant 0.01"][1] < 1e-9)
print("random init: the units differ, and validation accuracy beats the constant start by > 0.1:",
      symmetry["random"][1] > 0.1 and symmetry["random"][2] > symmetry["constant 0.01"][2] + 0.1)

# %% [markdown]
# From zero weights the hidden layer never moves: the gradient of $W_1$ passes through
# $W_2 = 0$, and the gradient of $W_2$ is weighted by $h = \tanh(0) = 0$, so only the
# output biases learn. From a constant the units move but stay identical: one unit copied
# 50 times. Random weights break the symmetry from the first step.
#
# A remark on floating point: the symmetric state is an *unstable* balance. The units are
# identical only up to rounding errors, and training can amplify those: with a larger
# learning rate or many more steps, the units of the constant start drift apart, by
# accident and by amounts that differ from machine to machine (which is why this small
# experiment runs in float64 and stops after 50 steps). Relying on rounding to break
# symmetry is slow and unreliable; a random start does it deliberately.
#
# > **The 004 notes say** (L343) that zero initialisation makes the network "no better than
# > a linear model". **In fact** it is worse: every hidden unit stays identical (symmetry), so
# > the layer acts as one unit, and with all-zero weights the hidden weights receive no
# > gradient at all; above, only the output biases learned.
#
# ### 10.2 How large? The variance argument
#
# A unit computes $a = \sum_{i=1}^{n_\text{in}} w_i x_i$. Take the weights independent of
# each other and of the inputs, with mean 0. Each term has mean
# $\mathbb E[w_i]\,\mathbb E[x_i] = 0$ and variance $\mathbb E[w_i^2 x_i^2] =
# \operatorname{Var}[w]\,\mathbb E[x^2]$, so
#
# $$\operatorname{Var}[a] = n_\text{in}\operatorname{Var}[w]\;\mathbb E[x^2] .$$
#
# Only the *weights* need mean 0. The input enters through its **second moment**
# $\mathbb E[x^2]$, which equals $\operatorname{Var}[x]$ only for zero-mean inputs such as
# tanh outputs (tanh is odd, so it keeps the mean of a symmetric $a$ at 0). To keep the
# variance of the activations from layer to layer we need
# $\operatorname{Var}[w] = 1/n_\text{in}$; to keep the variance of the back-propagated
# gradients, $1/n_\text{out}$. **Glorot and Bengio** (2010) compromise on
#
# $$\operatorname{Var}[w] = \frac{2}{n_\text{in} + n_\text{out}}:\qquad
#   W \sim U\!\left[-\sqrt{\tfrac{6}{n_\text{in}+n_\text{out}}},\ \sqrt{\tfrac{6}{n_\text{in}+n_\text{out}}}\right]
#   \ \text{ or }\ W \sim \mathcal N\!\left(0,\ \sigma^2 = \tfrac{2}{n_\text{in}+n_\text{out}}\right),$$
#
# since $U[-a, a]$ has variance $a^2/3$.
#
# **ReLU inputs are not zero-mean.** If the previous layer's pre-activation $a'$ is
# symmetric around 0, its ReLU output $x = \max(0, a')$ has mean $> 0$, and
# $x^2$ equals $a'^2$ on the half where $a' > 0$ and 0 on the other half:
# $\mathbb E[x^2] = \tfrac12 \mathbb E[a'^2] = \tfrac12\operatorname{Var}[a']$. The ReLU
# **halves the second moment** (not the variance: $\operatorname{Var}[x]$ is smaller still,
# $(\tfrac12 - \tfrac1{2\pi})\operatorname{Var}[a']$ for a Gaussian $a'$). So
# $\operatorname{Var}[a] = \tfrac12 n_\text{in}\operatorname{Var}[w]\operatorname{Var}[a']$,
# and **He et al.** (2015) double the variance to keep it constant:
# $\operatorname{Var}[w] = 2/n_\text{in}$, i.e. $\mathcal N(0, 2/n_\text{in})$ or
# $U[\pm\sqrt{6/n_\text{in}}]$. Computed on a million Gaussian pre-activations, and through
# one He-initialised layer of 256 inputs (float64, so the printed digits are far above the
# rounding noise):

# %%
rng = np.random.default_rng(0)
a_prev = rng.standard_normal(1_000_000)  # pre-activations of the previous layer, Var = 1
x = np.maximum(a_prev, 0)  # ReLU outputs: the inputs of the next layer
print(f"E[a'^2] = {np.mean(a_prev ** 2):.3f} | ReLU output: mean {x.mean():.3f}, "
      f"E[x^2] = {np.mean(x ** 2):.3f}, Var[x] = {x.var():.3f} "
      f"(theory 1/2 - 1/(2 pi) = {0.5 - 1 / (2 * np.pi):.3f})")

n_in = 256
X_relu = np.maximum(rng.standard_normal((2000, n_in)), 0)  # (2000, 256) ReLU inputs, E[x^2] = 1/2
W_he = rng.standard_normal((n_in, 500)) * np.sqrt(2 / n_in)  # (256, 500), He: Var[w] = 2/n_in
A_next = X_relu @ W_he  # (2000, 500) pre-activations of the next layer
predicted = n_in * (2 / n_in) * np.mean(X_relu ** 2)  # n Var[w] E[x^2]
print(f"Var[a]: measured {A_next.var():.3f}, n Var[w] E[x^2] = {predicted:.3f}, "
      f"n Var[w] Var[x] (the zero-mean formula) = {n_in * (2 / n_in) * X_relu.var():.3f}")

# %%
print("ReLU halves the second moment (E[x^2] within 0.01 of 1/2):", abs(np.mean(x ** 2) - 0.5) < 0.01)
print("but not the variance (Var[x] within 0.01 of 1/2 - 1/(2 pi)):",
      abs(x.var() - (0.5 - 1 / (2 * np.pi))) < 0.01)
print("Var[a] = n Var[w] E[x^2] holds within 3 %:", abs(A_next.var() / predicted - 1) < 0.03)
print("the zero-mean formula n Var[w] Var[x] is off by more than 25 %:",
      n_in * (2 / n_in) * X_relu.var() < 0.75 * A_next.var())
print("so He's Var[w] = 2/n_in keeps Var[a] within 3 % of Var[a'] = 1:", abs(A_next.var() - 1) < 0.03)

# %% [markdown]
# torch implements all
# four; we check their spread on the 784→300 layer:

# %%
n_in, n_out = 784, 300
torch.manual_seed(0)
W = torch.empty(n_out, n_in)  # torch stores a layer's weight as (out, in)
print("init            | formula                        | value  | measured")
for name, fill, formula, expected, measured in [
        ("Xavier uniform", nn.init.xavier_uniform_, "bound sqrt(6/(n_in+n_out))",
         (6 / (n_in + n_out)) ** 0.5, lambda W: W.abs().max()),
        ("Xavier normal", nn.init.xavier_normal_, "std sqrt(2/(n_in+n_out))",
         (2 / (n_in + n_out)) ** 0.5, lambda W: W.std()),
        ("He uniform", lambda W: nn.init.kaiming_uniform_(W, nonlinearity="relu"), "bound sqrt(6/n_in)",
         (6 / n_in) ** 0.5, lambda W: W.abs().max()),
        ("He normal", lambda W: nn.init.kaiming_normal_(W, nonlinearity="relu"), "std sqrt(2/n_in)",
         (2 / n_in) ** 0.5, lambda W: W.std())]:
    fill(W)
    print(f"{name:15} | {formula:30} | {expected:.4f} | {measured(W).item():.4f}")

# %% [markdown]
# > **The 004 notes say** (L402, L405) that normalised Xavier initialisation draws from a
# > Gaussian with standard deviation $\sqrt{2/\sqrt{n+m}}$. **In fact** the standard
# > deviation is $\sqrt{2/(n+m)}$ (`nn.init.xavier_normal_`, checked above). The notes'
# > formula is far too large, as the cell below shows for this layer. The same notes (L365)
# > call $U[-1/\sqrt n, 1/\sqrt n]$ "xavier": that is the older heuristic that Glorot and
# > Bengio *compare against*; their own (normalised) initialisation is the
# > $\sqrt{6/(n_\text{in}+n_\text{out})}$ rule. And He uniform, named without a formula at
# > L413–419, is $U[\pm\sqrt{6/n_\text{in}}]$.

# %%
notes_std = (2 / (n_in + n_out) ** 0.5) ** 0.5
correct_std = (2 / (n_in + n_out)) ** 0.5
print(f"n = {n_in}, m = {n_out}: notes' std sqrt(2/sqrt(n+m)) = {notes_std:.4f}, "
      f"correct sqrt(2/(n+m)) = {correct_std:.4f}, {notes_std / correct_std:.1f} times too large")

# %% [markdown]
# **The 004 example, recomputed (004-X1).** The notes draw 1,000 weights from
# $U[-1/\sqrt n, 1/\sqrt n]$ with $n = 10$ inputs, without a seed, and print the bounds, the
# extremes, the mean and the standard deviation. With a seed the numbers are repeatable,
# and we can compare the standard deviation with its theoretical value $a/\sqrt 3$:

# %%
n = 10
lower, upper = -1 / np.sqrt(n), 1 / np.sqrt(n)
weights = np.random.default_rng(0).uniform(lower, upper, size=1000)
print(f"bounds: {lower:.8f} {upper:.8f}")
print(f"min {weights.min():.8f}, max {weights.max():.8f}")
print(f"mean {weights.mean():.8f}, std {weights.std():.8f}, "
      f"theoretical std a/sqrt(3) = {upper / np.sqrt(3):.8f}")
print("the sample std is within 0.01 of a/sqrt(3):", abs(weights.std() - upper / np.sqrt(3)) < 0.01)

# %% [markdown]
# The notes' own run (std 0.1778) is likewise close to the theoretical 0.1826. For a tanh
# layer with $n_\text{in} = n_\text{out} = 10$, Glorot's rule would use the wider bound
# $\sqrt{6/20}$ instead.
#
# ### 10.3 Activations through a 20-layer network
#
# Now push 1,000 Fashion-MNIST images through 20 layers of 256 units and watch the standard
# deviation of the activations, layer by layer, for four initialisations: too small
# ($\mathcal N(0, 0.01^2)$), too large ($\mathcal N(0, 1)$), Xavier normal and He normal,
# with tanh and with ReLU (biases zero).

# %%
def activation_stds(init, activation, depth=20, width=256):
    """Std of the activations after each of `depth` layers, for 1,000 validation images."""
    torch.manual_seed(0)
    h = X_val[:1000]  # (1000, 784)
    stds = []
    for layer in range(depth):
        n_in = h.shape[1]
        if init == "too small":
            W = 0.01 * torch.randn(n_in, width)
        elif init == "too large":
            W = torch.randn(n_in, width)
        elif init == "Xavier":
            W = torch.randn(n_in, width) * (2 / (n_in + width)) ** 0.5
        else:  # He
            W = torch.randn(n_in, width) * (2 / n_in) ** 0.5
        h = activation(h @ W)  # (1000, width)
        stds.append(h.std().item())
    return np.array(stds)


inits = ["too small", "too large", "Xavier", "He"]
stds = {(act_name, init): activation_stds(init, act)
        for act_name, act in [("tanh", torch.tanh), ("ReLU", torch.relu)] for init in inits}

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for ax, act_name in zip(axes, ["tanh", "ReLU"]):
    for init in inits:
        ax.semilogy(range(1, 21), np.maximum(stds[act_name, init], 1e-30), "o-", ms=3, label=init)
    ax.set(title=f"{act_name} network", xlabel="layer", xticks=[1, 5, 10, 15, 20])
axes[0].set_ylabel("std of activations")
axes[0].legend(loc="upper right")
plt.show()

# %%
print("activation  | init      | std after layer 1 | layer 10 | layer 20")
for (act_name, init), s in stds.items():
    print(f"{act_name:11} | {init:9} | {s[0]:17.2e} | {s[9]:8.2e} | {s[19]:8.2e}")
with torch.no_grad():
    torch.manual_seed(0)
    h = X_val[:1000]
    for layer in range(20):
        h = torch.tanh(h @ torch.randn(h.shape[1], 256))
saturated = (h.abs() > 0.99).float().mean().item()
print(f"tanh, too large: fraction of saturated units (|h| > 0.99) at layer 20: {saturated:.2f}")

# %% [markdown]
# What was measured here is the **forward** signal only: the spread of the activations.
#
# - **Too small**: every layer multiplies the spread by about $\sqrt{n}\,\sigma_w < 1$; after
#   20 layers the signal has vanished.
# - **Too large**: ReLU activations explode; tanh units saturate at ±1 (the fraction
#   printed above). A saturated unit has a derivative near 0, so one might expect the
#   gradients to vanish, but the **backward** pass behaves differently: the few units that
#   are not saturated pass the gradient on multiplied by weights of size 1, about
#   $\sqrt{256} = 16$ per layer. [Lesson 11, section 4](11_vanishing_and_exploding_gradients.ipynb)
#   measures the gradients of the same kind of network (tanh, $\mathcal N(0, 1)$ weights,
#   256 units per layer, 30 layers) and finds them *exploding* towards the input: the first layer's gradient is many orders of
#   magnitude larger than the last layer's.
# - **Xavier** suits tanh (the spread decays only slowly); with ReLU it loses half the
#   variance per layer, the factor He's rule restores. **He** keeps ReLU activations at a
#   steady scale through all 20 layers.
#
# The same story for the *gradients*, live, with depth, activation and initialisation as
# controls, is the vanishing-gradients demo of
# [lesson 11, section 8](11_vanishing_and_exploding_gradients.ipynb). **Batch normalisation**
# ([lesson 09, section 4](09_dropout_and_batch_normalization.ipynb)) removes much of this
# sensitivity by re-standardising the activations of every layer
# during training.

# %%
print("He keeps ReLU activations within a factor 3 of layer 1 at layer 20:",
      stds["ReLU", "He"][19] / stds["ReLU", "He"][0] > 1 / 3)
print("too-small weights shrink tanh activations below 1e-10 by layer 20:",
      stds["tanh", "too small"][19] < 1e-10)
print("too-large weights saturate most tanh units:", saturated > 0.5)

# %% [markdown]
# ## 11. Exercises
#
# **Exercise 1.** Write RMSProp's update (GBC Algorithm 8.5) as a function that returns the
# new parameters and the new $r$. Put $\delta$ inside the square root, as GBC does.

# %%
def my_rmsprop_step(theta, r, g, lr, rho=0.9, delta=1e-6):
    ...  # your code: return theta, r


step_inputs = [(np.array([1.0, -2.0]), np.zeros(2), np.array([0.5, 3.0]), 0.01),
               (np.array([0.3]), np.array([4.0]), np.array([-1.0]), 0.1)]
check_function(my_rmsprop_step, rmsprop_step, step_inputs,
               hint="r = rho * r + (1 - rho) * g * g; theta = theta - lr * g / sqrt(delta + r)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def my_rmsprop_step(theta, r, g, lr, rho=0.9, delta=1e-6):
    r = rho * r + (1 - rho) * g * g
    return theta - lr * g / np.sqrt(delta + r), r


check_function(my_rmsprop_step, rmsprop_step, step_inputs)

# %% [markdown]
# **Exercise 2.** The first layer of our network maps 784 inputs to 300 units. What bound
# $a$ does Glorot's uniform initialisation use for it?

# %%
glorot_bound = ...  # your answer
check(glorot_bound, (6 / (784 + 300)) ** 0.5, hint="a = sqrt(6 / (n_in + n_out))")

# %% tags=["solution"] jupyter={"source_hidden": true}
glorot_bound = np.sqrt(6 / (784 + 300))
check(glorot_bound, (6 / (784 + 300)) ** 0.5)

# %% [markdown]
# **Exercise 3.** The second layer (300 → 100) is followed by a ReLU. Which standard
# deviation does He normal initialisation use?

# %%
he_std = ...  # your answer
check(he_std, (2 / 300) ** 0.5, hint="He normal: variance 2 / n_in")

# %% tags=["solution"] jupyter={"source_hidden": true}
he_std = np.sqrt(2 / 300)
check(he_std, (2 / 300) ** 0.5)

# %% [markdown]
# **Exercise 4.** With `run`, give AdaGrad 100 steps on the test-bench problem of section 2
# for each learning rate in `[0.01, 0.1, 1.0, 10.0]`. Which one ends with the lowest loss?

# %%
best_adagrad_lr = ...  # your answer, one of 0.01, 0.1, 1.0, 10.0


def adagrad_final_loss(lr):
    return problem_loss(torch.tensor(run("adagrad", grad_fn, theta0, 100, lr=lr)[-1])).item()


check(best_adagrad_lr, min([0.01, 0.1, 1.0, 10.0], key=adagrad_final_loss),
      hint="compute adagrad_final_loss(lr) for each lr and take the smallest")

# %% tags=["solution"] jupyter={"source_hidden": true}
print({lr: round(adagrad_final_loss(lr), 4) for lr in [0.01, 0.1, 1.0, 10.0]})
best_adagrad_lr = min([0.01, 0.1, 1.0, 10.0], key=adagrad_final_loss)
check(best_adagrad_lr, min([0.01, 0.1, 1.0, 10.0], key=adagrad_final_loss))

# %% [markdown]
# ## 12. Review questions (Part A)

# %%
quiz("torch.optim.SGD(momentum=0.9) stores b = 0.9 b + g and steps θ -= lr·b. GBC stores "
     "v = 0.9 v − lr·g and steps θ += v. With a constant learning rate…",
     ["they are different algorithms", "they give the same parameters: v = −lr·b",
      "torch's version has no momentum"],
     answer=1, explanation="Multiply torch's recursion by −lr: it becomes GBC's.")

# %%
quiz("Why does Adam divide its moment estimates by 1 − ρᵗ?",
     ["to make the learning rate decay", "because s and r start at 0 and are biased "
      "towards 0 in the first steps", "to avoid division by zero"],
     answer=1, explanation="The bias correction undoes the zero start; δ is what avoids "
                           "division by zero.")

# %%
quiz("All weights of an MLP start at the same non-zero constant. After training…",
     ["the hidden units have become different", "the hidden units of a layer are still "
      "identical", "the network cannot produce any output"],
     answer=1, explanation="Identical units get identical gradients: the symmetry is never "
                           "broken.")

# %% [markdown]
# <details><summary><b>What is the difference between regularisation and optimisation? (Q30)</b></summary>
# Optimisation is the procedure that finds parameters minimising an objective J(θ) on the
# training data (gradient descent, momentum, Adam). Regularisation changes what is learned to
# improve generalisation rather than training error: it adds a penalty to the objective
# (L2, L1), constrains the parameters, or injects noise (dropout, data augmentation). The
# optimiser then minimises the regularised objective J(θ) + αΩ(θ). Some tools do both:
# early stopping and SGD's noise act as implicit regularisers.
# </details>
#
# <details><summary><b>What is a gradient-based optimiser? (Q14)</b></summary>
# An algorithm that updates parameters using the gradient of the cost: θ ← θ − ε∇θJ for
# gradient descent; momentum adds a velocity, AdaGrad/RMSProp/Adam scale each parameter's
# step by a running size of its gradients. It needs a differentiable cost, not a convex one.
# </details>
#
# <details><summary><b>Momentum, RMSProp and Adam in one line each.</b></summary>
# Momentum: v ← αv − εg, θ ← θ + v (average the gradient direction). RMSProp:
# r ← ρr + (1−ρ)g², θ ← θ − εg/√(δ+r) (per-parameter step size from recent gradient size).
# Adam: both moments, bias-corrected, θ ← θ − ε ŝ/(√r̂ + δ).
# </details>
#
# <details><summary><b>Why are saddle points, not local minima, the main obstacle in deep networks?</b></summary>
# At a critical point of a function of n parameters, a local minimum needs all n Hessian
# eigenvalues positive; for large n that is exponentially unlikely, so most critical points
# are saddles, and the local minima that exist tend to have low loss (GBC 8.2).
# </details>
#
# <details><summary><b>Why do we need careful weight initialisation?</b></summary>
# Equal weights keep units identical (symmetry); too small weights make activations and
# gradients vanish with depth; too large ones make them explode or saturate the units. Xavier
# (Var = 2/(n_in+n_out)) and He (Var = 2/n_in, for ReLU) keep the variance constant across
# layers.
# </details>
#
# ## Summary
# - Ill-conditioning, saddle points and plateaus, not bad local minima, make training slow.
# - Momentum averages gradient directions; AdaGrad, RMSProp and Adam scale each parameter's
#   step; Adam combines both with bias correction. Our GBC implementations match
#   `torch.optim` step for step, once the conventions are translated (momentum sign and
#   learning-rate placement, Nesterov's look-ahead parameters, RMSProp's δ inside or outside
#   the root).
# - Adaptive methods still need a learning rate.
# - Initialise randomly (break symmetry) with the variance of Xavier (tanh) or He (ReLU):
#   the standard deviation is $\sqrt{2/(n_\text{in}+n_\text{out})}$, not the notes'
#   $\sqrt{2/\sqrt{n+m}}$.
#
# **Next:** [lesson 11](11_vanishing_and_exploding_gradients.ipynb) follows the gradients
# through deep networks (vanishing and exploding), and
# [lesson 09](09_dropout_and_batch_normalization.ipynb) shows how batch normalisation keeps
# every layer well scaled.
