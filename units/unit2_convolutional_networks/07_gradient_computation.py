# %% [markdown]
# # CNN learning: gradient computation (syllabus II.13)
#
# **What you will learn**
# - the gradient of a loss through a convolution layer, derived by hand:
#   $\partial L/\partial K = X \star \partial L/\partial Y$ and
#   $\partial L/\partial X = \mathrm{pad}(\partial L/\partial Y) \star \mathrm{rot180}(K)$;
# - four ways to one gradient: the analytic formulas, central differences, symbolic
#   differentiation and `torch.autograd`, with `gradcheck` in float64 as the referee;
# - how far apart they are (the largest difference, printed) and what each costs;
# - why the step size of a finite difference cannot be made arbitrarily small.

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
import numpy as np
import sympy
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

from utils.checks import check, quiz
from utils.cnn import conv2d_grads, correlate2d, numerical_gradient
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. The problem
#
# A 5×5 input $X$, a 3×3 kernel $K$, the valid cross-correlation $Y = X \star K$ (3×3,
# what `nn.Conv2d` computes), a target $T$ and the loss $L = \frac12 \|Y - T\|^2$.
# Training needs $\partial L/\partial K$ (to update the kernel) and, in a deeper network,
# $\partial L/\partial X$ (to pass the gradient on to the layer below; GBC §9.5).

# %%
rng = np.random.default_rng(0)
X = rng.standard_normal((5, 5))
K = rng.standard_normal((3, 3))
T = rng.standard_normal((3, 3))


def loss_of(X, K):
    return 0.5 * ((correlate2d(X, K) - T) ** 2).sum()


print("Y shape:", correlate2d(X, K).shape, "| L =", round(loss_of(X, K), 4))

# %% [markdown]
# ## 2. Way 1: the analytic formulas
#
# $Y_{ij} = \sum_{m,n} X_{i+m,\,j+n} K_{mn}$ and $\partial L/\partial Y = Y - T =: G$. By
# the chain rule, each weight $K_{mn}$ is used at every output position:
#
# $$\frac{\partial L}{\partial K_{mn}} = \sum_{i,j} G_{ij}\, X_{i+m,\,j+n}
#   \quad\Longrightarrow\quad \frac{\partial L}{\partial K} = X \star G,$$
#
# a cross-correlation of the input with the output gradient. Each input $X_{pq}$ feeds the
# outputs $Y_{p-m,\,q-n}$:
#
# $$\frac{\partial L}{\partial X_{pq}} = \sum_{m,n} G_{p-m,\,q-n}\, K_{mn}
#   \quad\Longrightarrow\quad \frac{\partial L}{\partial X} = \mathrm{pad}_{k-1}(G) \star \mathrm{rot180}(K),$$
#
# a *full* convolution of $G$ with $K$: the same operation as a transposed convolution
# (lesson 04).

# %%
G = correlate2d(X, K) - T  # (3, 3): dL/dY
dK_analytic, dX_analytic = conv2d_grads(X, K, G)  # (3, 3), (5, 5)
print("dL/dK (analytic):\n", dK_analytic.round(4))
dX_transposed = F.conv_transpose2d(torch.tensor(G).reshape(1, 1, 3, 3),
                                   torch.tensor(K).reshape(1, 1, 3, 3))[0, 0]  # (5, 5)
print("dL/dX == conv_transpose2d(G, K):", np.allclose(dX_analytic, dX_transposed.numpy()))

# %% [markdown]
# ## 3. Way 2: central differences
#
# Perturb one parameter at a time by $\pm\epsilon$:
# $\frac{\partial L}{\partial \theta_i} \approx \frac{L(\theta + \epsilon e_i) - L(\theta - \epsilon e_i)}{2\epsilon}$,
# with an error of order $\epsilon^2$. It needs **two loss evaluations per parameter**. We
# count them.

# %%
calls = {"n": 0}


def counted_loss_of_K(K_):
    calls["n"] += 1
    return loss_of(X, K_)


def counted_loss_of_X(X_):
    calls["n"] += 1
    return loss_of(X_, K)


dK_numeric = numerical_gradient(counted_loss_of_K, K, eps=1e-6)
dX_numeric = numerical_gradient(counted_loss_of_X, X, eps=1e-6)
print("loss evaluations:", calls["n"], "= 2 · (9 + 25)")

# %% [markdown]
# ## 4. Way 3: symbolic differentiation
#
# A computer-algebra system builds the expression of $L$ in the 9 kernel symbols and
# differentiates it exactly. Here for $\partial L/\partial K_{00}$ (with $X$ and $T$
# plugged in as numbers):

# %%
k = sympy.Matrix(3, 3, sympy.symbols("k0:9"))
Y_sym = sympy.Matrix(3, 3, lambda i, j: sum(X[i + m, j + n] * k[m, n]
                                               for m in range(3) for n in range(3)))
L_sym = sum((Y_sym[i, j] - T[i, j]) ** 2 for i in range(3) for j in range(3)) / 2
dL_dk00 = sympy.diff(L_sym, k[0, 0])
value = float(dL_dk00.subs(dict(zip(k, K.ravel()))))
print("number of terms in dL/dk00:", len(sympy.expand(dL_dk00).args))
print("symbolic dL/dK[0,0] =", round(value, 6), "| analytic", round(dK_analytic[0, 0], 6))

# %% [markdown]
# Exact, but the expression grows with the network (here already the sum printed above for
# one weight of one tiny layer); this is why deep learning uses the next way.
#
# ## 5. Way 4: automatic differentiation, refereed by gradcheck
#
# `torch.autograd` records the forward computation and runs the chain rule backwards: one
# forward and one backward pass give the gradient with respect to *all* inputs, for a cost
# of a small multiple of the forward pass. `torch.autograd.gradcheck` compares autograd's
# Jacobian with finite differences in float64 and returns True if they agree.

# %%
X_t = torch.tensor(X, requires_grad=True)
K_t = torch.tensor(K, requires_grad=True)
Y_t = F.conv2d(X_t.reshape(1, 1, 5, 5), K_t.reshape(1, 1, 3, 3))[0, 0]  # (3, 3)
L_t = 0.5 * ((Y_t - torch.tensor(T)) ** 2).sum()
L_t.backward()
conv = lambda x, w: F.conv2d(x.reshape(1, 1, 5, 5), w.reshape(1, 1, 3, 3))
print("gradcheck (float64):", torch.autograd.gradcheck(conv, (X_t.detach().requires_grad_(),
                                                            K_t.detach().requires_grad_())))

# %% [markdown]
# The largest differences between the ways (they differ only by rounding, and by the
# $\epsilon^2$ error of the finite differences):

# %% tags=["nbval-ignore-output"]
pairs = {
    "analytic vs autograd": max(np.abs(dK_analytic - K_t.grad.numpy()).max(),
                                np.abs(dX_analytic - X_t.grad.numpy()).max()),
    "central differences vs autograd": max(np.abs(dK_numeric - K_t.grad.numpy()).max(),
                                           np.abs(dX_numeric - X_t.grad.numpy()).max()),
}
for name, diff in pairs.items():
    print(f"{name:32s} max |difference| = {diff:.1e}")

# %%
print("analytic == autograd to 1e-12:", pairs["analytic vs autograd"] < 1e-12)
print("central differences agree to 1e-7:", pairs["central differences vs autograd"] < 1e-7)

# %% [markdown]
# **What each costs**, for $P$ parameters and a forward pass of cost $F$:
#
# | way | cost | here |
# | --- | --- | --- |
# | analytic | two correlations, written and checked by hand for each layer type | $9 \cdot 9$ + $25 \cdot 9$ multiplications (printed below) |
# | central differences | $2P$ forward passes: $O(P \cdot F)$ | $2 \cdot (9 + 25)$ loss evaluations (counted in section 3) |
# | symbolic | an expression that grows with depth; evaluated per weight | the sum above, for one weight |
# | autograd (reverse mode) | one forward + one backward, a small multiple of $F$ | 1 + 1 passes |

# %%
multiplications_dK = dK_analytic.size * G.size  # each of the 9 entries: a 3×3 window times G
multiplications_dX = dX_analytic.size * K.size  # each of the 25 entries: a 3×3 window times K
forward = G.size * K.size
print(f"forward pass: {forward} multiplications | analytic gradients: {multiplications_dK} + "
      f"{multiplications_dX} | central differences: {calls['n']} forward passes = "
      f"{calls['n'] * forward} multiplications")

# %% [markdown]
# For a network with a million weights, central differences need two million forward
# passes per step, autograd one backward pass: finite differences are for *testing*
# gradients (as `gradcheck` does), not for training.
#
# ## 6. Choosing the step $\epsilon$
#
# A smaller $\epsilon$ reduces the truncation error ($\propto \epsilon^2$ for central,
# $\propto \epsilon$ for forward differences) but increases the rounding error
# ($\propto 10^{-16}/\epsilon$ in float64). Our loss is quadratic in $K$, and for a
# quadratic the central difference has *no* truncation error at all; so we study a loss
# with curvature that changes, $L = \frac12\|\tanh(X \star K) - T\|^2$, whose exact
# gradient we take from autograd. The total error has a minimum:

# %%
def tanh_loss(K_):
    return 0.5 * ((np.tanh(correlate2d(X, K_)) - T) ** 2).sum()


K_leaf = torch.tensor(K, requires_grad=True)
Y_leaf = F.conv2d(torch.tensor(X).reshape(1, 1, 5, 5), K_leaf.reshape(1, 1, 3, 3))[0, 0]
(0.5 * ((torch.tanh(Y_leaf) - torch.tensor(T)) ** 2).sum()).backward()
exact = K_leaf.grad.numpy()
eps_values = np.logspace(-12, -1, 23)
central_err, forward_err = [], []
for eps in eps_values:
    central_err.append(np.abs(numerical_gradient(tanh_loss, K, eps) - exact).max())
    forward_diff = np.zeros_like(K)
    for index in np.ndindex(K.shape):
        K_plus = K.copy()
        K_plus[index] += eps
        forward_diff[index] = (tanh_loss(K_plus) - tanh_loss(K)) / eps
    forward_err.append(np.abs(forward_diff - exact).max())
best_central = eps_values[int(np.argmin(central_err))]
best_forward = eps_values[int(np.argmin(forward_err))]
print("best eps: central in [1e-8, 1e-3]:", 1e-8 <= best_central <= 1e-3,
      "| forward in [1e-11, 1e-5]:", 1e-11 <= best_forward <= 1e-5)
print("central differences are more accurate at their best:", min(central_err) < min(forward_err))

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.loglog(eps_values, central_err, "o-", ms=3, label="central (L(θ+ε) − L(θ−ε)) / 2ε")
ax.loglog(eps_values, forward_err, "s-", ms=3, label="forward (L(θ+ε) − L(θ)) / ε")
ax.set(xlabel="ε", ylabel="max |error|", title="Finite differences: truncation vs rounding")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# > **The notes** (002, Unit II) stop after the MSE formula (L2261): CNN gradient
# > computation is not covered. The intended content (the syllabus follows Khan et al.,
# > *A Guide to Convolutional Neural Networks for Computer Vision*, ch. 5) is the four ways
# > above; the layer formulas are GBC §9.5's, for stride 1.
#
# ## 7. Exercises
#
# **Exercise 1.** For the same $X$ and a new output gradient `G2` below, compute
# $\partial L/\partial K$ with one call of `correlate2d`.

# %%
G2 = np.arange(9.0).reshape(3, 3) - 4
dK_answer = ...  # your answer: a (3, 3) array
check(dK_answer, conv2d_grads(X, K, G2)[0], hint="dL/dK = X ⋆ G: correlate X with the output gradient")

# %% tags=["solution"] jupyter={"source_hidden": true}
dK_answer = correlate2d(X, G2)
check(dK_answer, conv2d_grads(X, K, G2)[0])

# %% [markdown]
# **Exercise 2.** How many loss evaluations do central differences need for the gradient
# of a `nn.Conv2d(16, 32, 3)` layer's weights and biases?

# %%
evaluations = ...  # your answer: an integer
check(evaluations, 2 * sum(p.numel() for p in torch.nn.Conv2d(16, 32, 3).parameters()),
      hint="two per parameter; the layer has 32·16·3·3 weights and 32 biases")

# %% tags=["solution"] jupyter={"source_hidden": true}
evaluations = 2 * (32 * 16 * 3 * 3 + 32)
check(evaluations, 2 * sum(p.numel() for p in torch.nn.Conv2d(16, 32, 3).parameters()))

# %% [markdown]
# ## 8. Review questions (Part A)

# %%
quiz("The gradient of the loss with respect to a convolution's kernel is",
     ["the input cross-correlated with the output gradient",
      "the kernel rotated by 180°", "the output gradient times the kernel"],
     answer=0, explanation="∂L/∂K_mn = Σ_ij G_ij X_(i+m, j+n), i.e. X ⋆ G.")

# %%
quiz("Why do networks train with automatic differentiation rather than finite differences?",
     ["Finite differences are always wrong", "Finite differences cost 2 forward passes per parameter",
      "Autograd needs no forward pass"],
     answer=1, explanation="One backward pass gives all P partial derivatives; finite differences need 2P passes.")

# %% [markdown]
# <details><summary><b>Explain feed-forward and back-propagation in a CNN. (Q3)</b></summary>
# Feed-forward: the input passes through convolution, non-linearity and pooling layers and
# then dense layers to the output and the loss. Back-propagation applies the chain rule
# from the loss backwards: each layer receives ∂L/∂(its output) and computes ∂L/∂(its
# weights) (for a convolution: X ⋆ G) and ∂L/∂(its input) (a full convolution of G with
# the flipped kernel), which it passes to the layer below. Pooling routes the gradient to
# the max cell or spreads it evenly (lesson 03).
# </details>
#
# ## Summary
# - $\partial L/\partial K = X \star G$ and $\partial L/\partial X = \mathrm{pad}(G) \star
#   \mathrm{rot180}(K)$ (a transposed convolution), with $G = \partial L/\partial Y$.
# - Analytic, numerical, symbolic and automatic differentiation agree (differences printed
#   above); autograd costs one backward pass, finite differences $2P$ forward passes.
# - Central differences are most accurate at an intermediate $\epsilon$ (between $10^{-8}$
#   and $10^{-3}$ here, checked): smaller steps drown in rounding error.
#
# **Next:** a CNN on Fashion-MNIST (lesson 08).
