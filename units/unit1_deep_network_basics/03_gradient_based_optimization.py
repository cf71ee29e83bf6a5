# %% [markdown]
# # Gradient-based optimization (syllabus I.5, with I.11 and I.15)
#
# **What you will learn**
# - the derivative, the gradient and the directional derivative, and why $-\nabla J$ is the
#   steepest way down;
# - the update $\theta \leftarrow \theta - \alpha \nabla_\theta J(\theta)$, from scratch and
#   with `torch.optim`, and why its steps shrink near a minimum although $\alpha$ is constant;
# - the Taylor-series argument for the learning rate, and why gradient descent on a quadratic
#   diverges exactly when $\alpha > 2/\lambda_{\max}$ (the largest Hessian eigenvalue);
# - the Jacobian and the Hessian; local minima, maxima and saddle points; why gradient descent
#   does **not** need a convex function;
# - momentum, Nesterov, AdaGrad, RMSProp and Adam racing on the same surfaces in a demo.

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
import numpy as np
import torch
import matplotlib.pyplot as plt

from utils.checks import check, check_function, quiz
from utils.demos import gradient_descent as gd
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. Optimization: make an objective small
#
# Training a network means finding parameters $\theta$ that make a number small: the
# **objective** (also called the cost or loss) $J(\theta)$. Maximising $f$ is the same as
# minimising $-f$, so we only ever minimise (Goodfellow, Bengio & Courville, *Deep Learning*,
# §4.3; GBC below). We write $\theta^* = \arg\min_\theta J(\theta)$.
#
# > **The notes say** (002:L873) "Loss function, simply speaking, is the measure of the
# > squared difference between actual values and predictions". **In fact** the squared
# > difference is *one* loss, the mean squared error used for regression. Classifiers
# > minimise the cross-entropy (lesson 07), robust regression the absolute error, and so on.
# > Gradient descent works the same way for any loss that is differentiable in $\theta$.
#
# ## 2. The derivative
#
# For a function of one number, the derivative $J'(\theta)$ is the slope of $J$ at
# $\theta$. It tells how $J$ changes under a small move $\epsilon$:
#
# $$J(\theta + \epsilon) \approx J(\theta) + \epsilon\, J'(\theta).$$
#
# So a small move *against* the sign of the derivative lowers $J$. We check the slope of the
# non-convex $J(\theta) = \theta^4 - 3\theta^2 + \theta$ at $\theta = 1.5$ three ways: the
# formula $J'(\theta) = 4\theta^3 - 6\theta + 1$, a central finite difference, and torch's
# autograd.

# %%
def J(theta):
    return theta**4 - 3 * theta**2 + theta


def dJ(theta):
    return 4 * theta**3 - 6 * theta + 1


theta, eps = 1.5, 1e-6
finite_difference = (J(theta + eps) - J(theta - eps)) / (2 * eps)
theta_t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
J(theta_t).backward()
print(f"J'(1.5): formula {dJ(theta):.6f}, finite difference {finite_difference:.6f}, "
      f"autograd {theta_t.grad.item():.6f}")
print(f"J(1.5) = {J(theta):.4f};  J(1.5 - 0.01 * sign(J')) = {J(theta - 0.01):.4f}  (lower)")

# %% [markdown]
# ## 3. The gradient and the directional derivative
#
# With several parameters the **gradient** collects the partial derivatives,
# $\nabla_\theta J = \left(\frac{\partial J}{\partial \theta_1}, \dots,
# \frac{\partial J}{\partial \theta_n}\right)^\top$. The slope in a direction $u$ (a unit
# vector) is the **directional derivative**
#
# $$\frac{\partial}{\partial \alpha} J(\theta + \alpha u)\Big|_{\alpha=0} = u^\top \nabla_\theta J
#   = \|\nabla_\theta J\|\cos\varphi,$$
#
# where $\varphi$ is the angle between $u$ and the gradient. It is most negative for
# $\varphi = 180°$: **the negative gradient is the direction of steepest descent** (GBC
# §4.3). We check this on the ill-conditioned bowl $J = \frac12(\theta_1^2 + 10\theta_2^2)$
# of the demo, at $\theta = (-2.5, 2)$, by trying 3600 directions.

# %%
bowl = gd.SURFACES["quadratic"]
theta = np.array([-2.5, 2.0])
g = np.array(bowl.grad(*theta))  # (2,)
angles = np.linspace(0, 360, 3600, endpoint=False)
U = np.column_stack([np.cos(np.radians(angles)), np.sin(np.radians(angles))])  # (3600, 2)
slopes = U @ g  # directional derivative in each direction
print("gradient:", g, "| its length:", round(float(np.linalg.norm(g)), 4))
print(f"steepest descent found at {angles[slopes.argmin()]:.1f} degrees, slope "
      f"{slopes.min():.4f}")
print(f"direction of -gradient:   {np.degrees(np.arctan2(-g[1], -g[0])) % 360:.1f} degrees")

# %%
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(angles, slopes)
ax.axvline(angles[slopes.argmin()], color="#D55E00", ls="--", label="steepest descent = -gradient")
ax.axhline(0, color="grey", lw=0.8)
ax.set(xlabel="direction u (degrees)", ylabel="slope uᵀ∇J",
       title="Directional derivative at θ = (-2.5, 2)")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# ## 4. Gradient descent
#
# Gradient descent repeats a small step against the gradient,
#
# $$\theta \leftarrow \theta - \alpha\, \nabla_\theta J(\theta),
#   \qquad\text{one parameter at a time: }\ \theta_j \leftarrow \theta_j - \alpha\,
#   \frac{\partial J}{\partial \theta_j},$$
#
# with a **learning rate** (step size) $\alpha > 0$.
#
# > **The notes say** (Part-A Q14, 002:L163–175) "The notation used in the above Formula is
# > given below", but the formula itself was lost with an image. **In fact** it is the update
# > above, $\theta_j \leftarrow \theta_j - \alpha\, \partial J/\partial\theta_j$ for every
# > parameter $j$, with $\alpha$ the learning rate, $J$ the cost function and $\theta$ the
# > parameters.
#
# From scratch on $J(\theta) = \theta^2$ (so $J'(\theta) = 2\theta$), with $\alpha = 0.1$
# from $\theta = 2.5$:

# %%
theta, lr = 2.5, 0.1
for k in range(6):
    grad = 2 * theta
    step = lr * grad
    print(f"k = {k}: theta = {theta:.4f}, J'(theta) = {grad:.4f}, step lr * J'(theta) = {step:.4f}")
    theta = theta - step

# %% [markdown]
# The learning rate stayed 0.1, yet every step is 0.8 times the one before: the step is
# $\alpha\,|J'(\theta)|$, and the slope flattens towards the minimum.
#
# > **The notes say** (002:L896) that as we approach the minimum the smaller gradient
# > "reduces the step size (learning rate) automatically". **In fact** the learning rate
# > $\alpha$ does not change; the *step* $\alpha\|\nabla J\|$ shrinks because the gradient
# > shrinks. (Schedules that really lower $\alpha$ during training exist; lesson 06.)
#
# The same descent with torch: autograd computes the gradient and `torch.optim.SGD`
# applies the update. The model function `gd.run_optimizer` of the demo does the same with
# any `torch.optim` optimizer; all three paths agree.

# %%
theta_t = torch.tensor([2.5], dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.SGD([theta_t], lr=0.1)
torch_path = [theta_t.item()]
for k in range(5):
    optimizer.zero_grad()
    loss = theta_t[0] ** 2
    loss.backward()
    optimizer.step()
    torch_path.append(theta_t.item())

scratch_path = [2.5 * 0.8**k for k in range(6)]
model_path = gd.run_optimizer("parabola", "SGD", lr=0.1, start=(2.5, 0.0), num_steps=5).path[:, 0]
print("torch.optim path:", np.round(torch_path, 4))
print("same as from scratch and as gd.run_optimizer:",
      np.allclose(torch_path, scratch_path), np.allclose(torch_path, model_path))

# %% [markdown]
# **Where the gradient comes from in machine learning.** The objective is an average over
# $m$ training examples, $J(\theta) = \frac1m\sum_{i=1}^m L(x^{(i)}, y^{(i)}, \theta)$.
# *Batch* gradient descent computes its exact gradient from all $m$ examples at every step.
# **Stochastic gradient descent** (I.11) estimates it from a small random mini-batch, which
# is far cheaper per step and adds noise: lesson 06 covers it in depth (the demo's
# "gradient noise" slider imitates that noise).
#
# ## 5. How large may the learning rate be? The Taylor-series argument
#
# Near $\theta$, with gradient $g$ and Hessian $H$ (the matrix of second derivatives,
# section 6), the second-order Taylor series predicts the loss after a step (GBC eq. 4.9):
#
# $$J(\theta - \alpha g) \approx J(\theta) - \alpha\, g^\top g + \tfrac12 \alpha^2\, g^\top H g.$$
#
# - The first-order term $-\alpha g^\top g$ is the gain we hoped for; the curvature term
#   $\frac12\alpha^2 g^\top H g$ eats into it. If $g^\top Hg > 0$ the best step is
#   $\alpha^* = \dfrac{g^\top g}{g^\top H g}$ (GBC eq. 4.10), and the loss decreases only
#   while $\alpha < 2\alpha^*$.
# - The worst case is a gradient along the eigenvector of the largest eigenvalue
#   $\lambda_{\max}$ of $H$: then $\alpha^* = 1/\lambda_{\max}$, and a learning rate that is
#   safe in every direction must satisfy $\alpha < 2/\lambda_{\max}$.
#
# For a quadratic $J(\theta) = \frac12\theta^\top H\theta$ the series is exact and
# $\nabla J = H\theta$, so one step is $\theta_{k+1} = (I - \alpha H)\,\theta_k$. Along each
# eigenvector $v_i$ of $H$ (eigenvalue $\lambda_i$) the error is multiplied by
# $(1 - \alpha\lambda_i)$ every step:
#
# $$v_i^\top\theta_k = (1 - \alpha\lambda_i)^k\, v_i^\top\theta_0 .$$
#
# Gradient descent converges iff $|1-\alpha\lambda_i| < 1$ for every $i$, that is iff
# $0 < \alpha < 2/\lambda_{\max}$. At $\alpha = 2/\lambda_{\max}$ the factor is $-1$: that
# component flips sign for ever. The slowest factor $\max_i|1 - \alpha\lambda_i|$ is smallest
# for $\alpha = 2/(\lambda_{\min}+\lambda_{\max})$, where it equals $(\kappa-1)/(\kappa+1)$
# with the **condition number** $\kappa = \lambda_{\max}/\lambda_{\min}$: the more elongated
# the bowl, the slower gradient descent (GBC §4.3.1).
#
# The demo's bowl $J = \frac12(\theta_1^2 + 10\theta_2^2)$: its Hessian by autograd, its
# eigenvalues and the threshold.

# %%
H = gd.hessian(bowl, (0.3, -0.7))  # the same at every point: J is quadratic
lam = np.linalg.eigvalsh(H)
print("Hessian:\n", H)
print("eigenvalues:", lam, "| condition number:", lam.max() / lam.min())
print("largest stable learning rate 2 / lambda_max =", 2 / lam.max())
print("best learning rate 2 / (lambda_min + lambda_max) =", round(2 / lam.sum(), 4),
      "| error factor per step:", round((lam.max() - lam.min()) / lam.sum(), 4))

# %% [markdown]
# The Taylor prediction at $\theta_0 = (-2.5, 2)$: the best step $\alpha^*$ and the loss it
# predicts, against the loss actually reached (equal, because $J$ is quadratic).

# %%
theta0 = np.array([-2.5, 2.0])
g = H @ theta0
lr_star = (g @ g) / (g @ H @ g)
predicted = bowl(theta0) - lr_star * (g @ g) + 0.5 * lr_star**2 * (g @ H @ g)
print(f"alpha* = {lr_star:.4f}; predicted J = {predicted:.4f}; "
      f"actual J = {bowl(theta0 - lr_star * g):.4f}; J before = {bowl(theta0):.4f}")

# %% [markdown]
# Now the claim itself: the model function runs plain gradient descent
# (`torch.optim.SGD`) for 1000 steps at learning rates around $2/\lambda_{\max} = 0.2$.

# %%
runs = {}
for lr in [0.19, 0.199, 0.2, 0.201, 0.21]:
    runs[lr] = gd.run_optimizer("quadratic", "SGD", lr, start=(-2.5, 2.0), num_steps=1000)
    run = runs[lr]
    fate = ("diverged at step %d" % run.diverged_at if run.diverged_at is not None
            else f"J after 1000 steps = {run.losses[-1]:.3g}")
    print(f"lr = {lr:.3f}: |1 - 10 lr| = {abs(1 - 10 * lr):.3f}, J(theta_0) = "
          f"{run.losses[0]:.1f}, {fate}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
for lr, run in runs.items():
    ax.plot(run.losses, label=f"α = {lr}")
ax.set(yscale="log", ylim=(1e-12, 1e12), xlabel="step k", ylabel="J(θₖ)",
       title="Plain GD on ½(θ₁² + 10θ₂²): converges iff α < 0.2")
ax.legend(fontsize=9, ncol=2)
plt.show()

# %% [markdown]
# Just below 0.2 the loss falls (slowly, since $|1 - 10\alpha|$ is close to 1); at 0.2 it
# stays at $\frac12\cdot 10 \cdot 2^2 = 20$ because $\theta_2$ jumps between $+2$ and $-2$;
# just above 0.2 it grows without bound. Nothing about the function changed: only
# $\alpha\lambda_{\max}$ crossed 2.
#
# ## 6. Jacobian and Hessian, briefly
#
# For a function $f: \mathbb R^m \to \mathbb R^n$ the **Jacobian** is the $n \times m$ matrix
# of all first derivatives, $J_{i,j} = \frac{\partial f_i}{\partial x_j}$. The **Hessian** of a
# scalar $J(\theta)$ is the matrix of second derivatives,
# $H_{i,j} = \frac{\partial^2 J}{\partial\theta_i\,\partial\theta_j}$: the Jacobian of the
# gradient. It is symmetric wherever the second derivatives are continuous, so it has real
# eigenvalues and orthogonal eigenvectors; the second derivative in a unit direction $d$ is
# $d^\top H d$, the curvature. (We say "Jacobian" only for this matrix; the objective keeps
# the name $J$.)
#
# The Rosenbrock function $(1-\theta_1)^2 + 100(\theta_2 - \theta_1^2)^2$ at its minimum
# $(1, 1)$: the Jacobian of its gradient equals its Hessian, and the curvature differs
# enormously between directions.

# %%
rosenbrock = gd.SURFACES["rosenbrock"]


def rosenbrock_gradient(p):
    return torch.stack(list(rosenbrock.grad(p[0], p[1])))  # (2,)


point = torch.tensor([1.0, 1.0], dtype=torch.float64)
jacobian_of_gradient = torch.autograd.functional.jacobian(rosenbrock_gradient, point).numpy()
H_rosen = gd.hessian(rosenbrock, (1.0, 1.0))
lam = np.linalg.eigvalsh(H_rosen)
print("Hessian at (1, 1):\n", H_rosen)
print("Jacobian of the gradient equals the Hessian:", np.allclose(jacobian_of_gradient, H_rosen))
print("eigenvalues:", lam.round(4), "| condition number:", round(lam.max() / lam.min(), 1))
print("near the minimum plain GD needs lr <", round(2 / lam.max(), 5))

# %% [markdown]
# ## 7. Critical points: minima, maxima and saddle points
#
# Where $\nabla J = 0$ the gradient gives no direction: a **critical point**. The Hessian
# tells which kind (the second-derivative test):
# - all eigenvalues positive: a **local minimum** (curving up in every direction);
# - all negative: a **local maximum**;
# - some positive and some negative: a **saddle point**, a minimum along some directions
#   and a maximum along others;
# - some zero: the test cannot tell.
#
# On $J = \theta_1^2 - \theta_2^2$ the origin is a saddle (Hessian eigenvalues $2$ and $-2$).
# Gradient descent started *exactly* on the $\theta_1$ axis walks into the saddle and stops;
# any tiny $\theta_2$ is multiplied by $1 + 2\alpha$ per step and escapes. In the
# high-dimensional losses of deep networks, saddle points are far more common than local
# minima (GBC §4.3, §8.2.3; lesson 10).

# %%
saddle = gd.SURFACES["saddle"]
print("Hessian eigenvalues at (0, 0):", np.linalg.eigvalsh(gd.hessian(saddle, (0.0, 0.0))))
for y0 in [0.0, 1e-6]:
    run = gd.run_optimizer(saddle, "SGD", lr=0.1, start=(1.8, y0), num_steps=100)
    print(f"start (1.8, {y0:g}): after 100 steps theta = ({run.path[-1, 0]:.2e}, "
          f"{run.path[-1, 1]:.2e}), J = {run.losses[-1]:.3g}")

# %% [markdown]
# ## 8. Gradient descent does not need a convex function
#
# A function is **convex** when every chord lies above its graph ($J'' \ge 0$ in 1-D, a
# positive semi-definite Hessian everywhere in n-D). Then every local minimum is a global
# minimum. $J(\theta) = \theta^4 - 3\theta^2 + \theta$ is not convex ($J'' = 12\theta^2 - 6 < 0$
# for $|\theta| < 1/\sqrt2$). Gradient descent still works on it: from every start it goes
# downhill to a local minimum, and the start decides which one.

# %%
quartic = gd.SURFACES["quartic"]
critical = np.sort(np.roots([4, 0, -6, 1]).real)  # the roots of J'(theta) = 4 theta^3 - 6 theta + 1
print("critical points:", critical.round(4), "| J'' there:", (12 * critical**2 - 6).round(2))
print("minima of J:", [(round(m[0], 4), round(quartic(m), 4)) for m in quartic.minima])
for start in [-2.0, -0.5, 0.1, 0.2, 0.5, 2.0]:
    run = gd.run_optimizer(quartic, "SGD", lr=0.02, start=(start, 0.0), num_steps=500)
    print(f"start {start:+.1f} -> theta = {run.path[-1, 0]:+.4f}, J = {run.losses[-1]:+.4f}")

# %% [markdown]
# The starts left of the local maximum (the middle critical point, where $J'' < 0$) reach
# the global minimum, those to its right the higher local one. Neural-network losses are not
# convex either, and gradient descent trains them every day.
#
# > **The notes say** (002:L165, repeated at L885) that gradient descent "is based on a convex
# > function and updates its parameters iteratively to minimize a given function to its local
# > minimum". **In fact** gradient descent needs only a differentiable function, as the
# > non-convex example shows. Convexity is what *guarantees* that the minimum it finds is
# > the global one.
# >
# > **The notes say** (002:L1020) that gradient descent "may get stuck at local minimum, i.e.,
# > not reach up to the local minimum". **In fact** the risk is the reverse: it may stop at a
# > local minimum and so not reach the **global** minimum (the starts $+0.2$, $+0.5$ and
# > $+2.0$ above).
#
# ## 9. Beyond plain gradient descent (I.15, preview)
#
# The demo below also runs the optimizers that lesson 10 studies, in `torch.optim`'s form,
# with gradient $g$ and learning rate $\alpha$ (GBC §8.3–8.5):
# - **momentum** (heavy ball): $b \leftarrow \beta b + g$, $\theta \leftarrow \theta - \alpha b$,
#   a running sum of gradients that damps zig-zags and speeds up along a valley;
# - **Nesterov** momentum: the same, with the gradient effectively taken at a look-ahead point;
# - **AdaGrad**: divides the step by $\sqrt{r}$, $r$ the sum of all past $g\odot g$;
# - **RMSProp**: the same with a decaying average $r \leftarrow \rho r + (1-\rho)\, g\odot g$;
# - **Adam**: RMSProp's scaling applied to a decaying average of the gradients, with bias
#   correction. Its step is about $\alpha$ per coordinate whatever the size of the gradient.
#
# The eigenvalue argument of section 5 extends to momentum: on a quadratic, heavy ball is
# stable iff $\alpha < 2(1+\beta)/\lambda_{\max}$ and torch's Nesterov iff
# $\alpha < 2(1+\beta)/((1+2\beta)\lambda_{\max})$ (from the $2\times2$ recurrence of
# $\theta$ and $b$). So heavy-ball momentum tolerates larger steps than plain GD, while
# torch's Nesterov form, whose update applies $\alpha(g + \beta b)$, tolerates *smaller*
# ones for the same $\alpha$ (its bound is below $2/\lambda_{\max}$ for every $\beta > 0$);
# checked at $\beta = 0.5$:

# %%
beta = 0.5
for name in ["SGD", "Momentum", "Nesterov"]:
    threshold = gd.stability_threshold(name, lam_max=10, momentum=beta)
    fates = []
    for lr in [0.97 * threshold, 1.03 * threshold]:
        run = gd.run_optimizer("quadratic", name, lr, (-2.5, 2.0), 2000, momentum=beta)
        fates.append("converges" if run.losses[-1] < 1e-6 else "diverges")
    print(f"{name:8}: threshold {threshold:.4f}; 3% below it {fates[0]}, 3% above it {fates[1]}")

# %% [markdown]
# ## 10. Demo: optimizers on six surfaces
#
# Pick a surface, a learning rate (log scale), the momentum $\beta$ of the two momentum
# methods, a start point and the number of steps, and tick the optimizers to compare. Every
# path is computed with the real `torch.optim` optimizer on a tensor of two parameters. The
# left panel shows the paths (a square marks the start, stars the minima, a cross the saddle
# point; on the 1-D surfaces the dashed line is the tangent, with slope $J'(\theta)$); the
# right panel shows $J(\theta_k) - J^*$ on a log scale. The line above the figure gives the
# Hessian's eigenvalues at the minimum and the learning rates below which plain GD, momentum
# and Nesterov are stable there; a run that diverges is reported in red. Choosing a surface
# resets the start point and the learning rate to values that suit it. **Play**, **Step**
# and the "show step" slider replay the run; the table under the figure gives, at the shown
# step, the loss, the gradient's length and the length of the last step.

# %%
demo = gd.demo()
demo

# %% [markdown]
# **Try this**
# 1. On the ill-conditioned bowl, keep only SGD and raise $\alpha$ until the path flies off
#    the plot. Where does it happen, and how does it compare with $2/\lambda_{\max}$ above
#    the figure? What does the path look like just below the threshold?
# 2. Tick Momentum: at $\alpha = 0.25$ SGD diverges but momentum with $\beta = 0.5$
#    converges. Raise $\beta$ to 0.9: fewer zig-zags or more? Find momentum's own threshold.
# 3. Replay a converging SGD run with **Step** and watch the table: the step length shrinks
#    while $\alpha$ stays fixed.
# 4. On the 1-D quartic, move the start across the local maximum (printed in section 8)
#    and watch which minimum SGD reaches. Can a large $\alpha$ jump into the other valley?
# 5. On the saddle, set the start $\theta_2$ to exactly 0, then to 0.01. Which optimizer
#    escapes fastest, and why does Adam's step not depend on the tiny gradient?
# 6. On Rosenbrock, find the largest $\alpha$ for which SGD does not diverge, then compare
#    how far SGD, Momentum and Adam get along the curved valley in 500 steps.
# 7. Turn up the gradient noise $\sigma$: SGD no longer settles at the minimum but jitters
#    around it (lesson 06 explains why a decaying learning rate helps).
#
# ## 11. Exercises
#
# **Exercise 1.** Gradient descent runs on $J(\theta) = \frac12\theta^\top H\theta$ with
# $H = \begin{bmatrix}3 & 1\\ 1 & 3\end{bmatrix}$. What is the largest learning rate for
# which it converges? (Compute the eigenvalues of $H$ with `np.linalg.eigvalsh`.)

# %%
H_ex = np.array([[3.0, 1.0], [1.0, 3.0]])
alpha_max = ...  # your answer
check(alpha_max, 0.5, hint="the threshold is 2 / (largest eigenvalue of H_ex)")

# %% tags=["solution"] jupyter={"source_hidden": true}
alpha_max = 2 / np.linalg.eigvalsh(H_ex).max()
check(alpha_max, 0.5)
surface_ex = gd.quadratic_surface(H_ex)
for lr in [0.99 * alpha_max, 1.01 * alpha_max]:
    run = gd.run_optimizer(surface_ex, "SGD", lr, start=(1.0, 0.5), num_steps=2000)
    fate = ("diverged at step %d" % run.diverged_at if run.diverged_at is not None
            else f"J after 2000 steps = {run.losses[-1]:.3g}")
    print(f"lr = {lr:.3f}: {fate}")

# %% [markdown]
# **Exercise 2.** Write one step of gradient descent: `gd_step(theta, grad_fn, lr)` returns
# the new parameters $\theta - \alpha\nabla J(\theta)$, where `grad_fn(theta)` returns the
# gradient as an array of the same shape as `theta`.

# %%
def gd_step(theta, grad_fn, lr):
    ...  # your code


def bowl_grad(theta):
    return np.array(bowl.grad(*theta))


def rosenbrock_grad(theta):
    return np.array(rosenbrock.grad(*theta))


step_inputs = [(np.array([-2.5, 2.0]), bowl_grad, 0.1),
               (np.array([-1.5, 2.0]), rosenbrock_grad, 1e-3),
               (np.array([0.0, 0.0]), bowl_grad, 0.5)]
check_function(gd_step, lambda theta, grad_fn, lr: theta - lr * grad_fn(theta), step_inputs,
               hint="move against the gradient: subtract lr times grad_fn(theta)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def gd_step(theta, grad_fn, lr):
    return theta - lr * grad_fn(theta)


check_function(gd_step, lambda theta, grad_fn, lr: theta - lr * grad_fn(theta), step_inputs)

# %% [markdown]
# **Exercise 3.** For the same $H$, which learning rate makes gradient descent converge
# fastest, and by what factor does the slowest error component shrink per step? Use
# section 5. Then check with `gd.run_optimizer` that 30 steps at that rate get closer to the
# minimum than 30 steps at 0.25 or at 0.45.

# %%
best_lr = ...  # your answer
check(best_lr, 1 / 3, hint="2 / (lambda_min + lambda_max)")

# %% tags=["solution"] jupyter={"source_hidden": true}
lam_ex = np.linalg.eigvalsh(H_ex)
best_lr = 2 / (lam_ex.min() + lam_ex.max())
check(best_lr, 1 / 3)
print("error factor per step:", round((lam_ex.max() - lam_ex.min()) / lam_ex.sum(), 4))
for lr in [0.25, best_lr, 0.45]:
    run = gd.run_optimizer(surface_ex, "SGD", lr, start=(1.0, 0.5), num_steps=30)
    print(f"lr = {lr:.3f}: J after 30 steps = {run.losses[-1]:.2e}")

# %% [markdown]
# ## 12. Review questions (Part A)

# %%
quiz("What does a gradient-based optimizer do at every step?",
     ["Moves the parameters a small step in the direction of the gradient",
      "Moves the parameters a small step against the gradient, theta <- theta - alpha * grad J",
      "Solves grad J = 0 in closed form"],
     answer=1, explanation="The gradient points uphill; a small step against it lowers J.")

# %%
quiz("Plain gradient descent on J = (theta1^2 + 10 theta2^2) / 2 with learning rate 0.25:",
     ["converges, only more slowly", "oscillates with constant amplitude",
      "diverges, because 0.25 > 2 / lambda_max = 0.2"],
     answer=2, explanation="The theta2 error is multiplied by 1 - 0.25*10 = -1.5 every step.")

# %%
quiz("Does gradient descent need a convex objective?",
     ["Yes, otherwise it cannot be applied",
      "No: it needs a differentiable objective; convexity guarantees that a minimum it finds is global",
      "No, and it always finds the global minimum anyway"],
     answer=1, explanation="On a non-convex J it reaches a local minimum that depends on the start.")

# %% [markdown]
# <details><summary><b>What is a gradient-based optimizer? (Q14)</b></summary>
# An algorithm that minimises a differentiable objective J(θ) by repeatedly moving the
# parameters against the gradient: θⱼ ← θⱼ − α ∂J/∂θⱼ for every parameter j, i.e.
# θ ← θ − α∇J(θ), where α is the learning rate, J the cost function and θ the parameters.
# The gradient points in the direction of steepest increase, so its negative is the
# direction of steepest decrease. Convexity is not required; it only guarantees that the
# minimum reached is global. Variants: batch GD, SGD and mini-batch GD, momentum, Adam.
# </details>
#
# <details><summary><b>What is the learning rate, and what happens if it is too small or too large?</b></summary>
# The factor α that scales each gradient step. Too small: many tiny steps, slow progress.
# Too large: the steps overshoot; on a quadratic with largest Hessian eigenvalue λmax,
# gradient descent oscillates at α = 2/λmax and diverges for α > 2/λmax.
# </details>
#
# <details><summary><b>Why do the steps get shorter near a minimum although α is constant?</b></summary>
# The step is α‖∇J(θ)‖, and the gradient tends to zero at a minimum, so the steps shrink
# by themselves; α is unchanged.
# </details>
#
# <details><summary><b>What is a saddle point, and how does the Hessian reveal it?</b></summary>
# A critical point (∇J = 0) that is a minimum along some directions and a maximum along
# others, such as the origin of θ₁² − θ₂². Its Hessian has both positive and negative
# eigenvalues (at a local minimum all are positive).
# </details>
#
# ## Summary
# - $-\nabla J$ is the direction of steepest descent; gradient descent repeats
#   $\theta \leftarrow \theta - \alpha\nabla J(\theta)$ and needs only a differentiable $J$,
#   not a convex one.
# - The step $\alpha\|\nabla J\|$ shrinks near a minimum because the gradient does; $\alpha$
#   stays fixed.
# - The Taylor series bounds the learning rate: on a quadratic, GD converges iff
#   $\alpha < 2/\lambda_{\max}$, and its speed is set by the condition number
#   $\lambda_{\max}/\lambda_{\min}$ of the Hessian.
# - Critical points are minima, maxima or saddle points according to the signs of the
#   Hessian's eigenvalues; GD escapes a saddle unless it starts exactly on its stable line.
# - Heavy-ball momentum tolerates larger steps on a quadratic (torch's Nesterov form, with
#   the same $\alpha$, smaller ones); adaptive methods (AdaGrad, RMSProp, Adam)
#   rescale each coordinate's step.
#
# **Next:** lesson 06 makes the gradient stochastic (SGD, I.11); lesson 10 studies momentum,
# AdaGrad, RMSProp and Adam in depth (I.15).
