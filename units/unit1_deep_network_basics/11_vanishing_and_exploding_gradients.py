# %% [markdown]
# # Vanishing and exploding gradients (syllabus I.15)
#
# **What you will learn**
# - why the gradient that reaches the first layers of a deep network is a *product* of one
#   Jacobian per layer, and why such products shrink or grow exponentially with depth;
# - why sigmoid stacks with weights $|w| \le 1$ lose at least a factor 4 per layer
#   ($\sigma'(a) \le 1/4$), and what is
#   wrong with the exploding-gradient example of the 004 notes;
# - how Xavier and He initialisation keep the signal's scale through 30 layers, and how
#   residual connections, batch normalisation and gradient clipping help;
# - to read per-layer gradient norms in a live demo, and to see in training what a vanishing
#   gradient costs.
#
# This lesson builds on [lesson 10](10_optimizers_and_initialization.ipynb) (optimizers and
# the derivation of the initialisation rules) and lesson 09 (batch normalisation); it does
# not repeat them.

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
from torch import nn

from utils.checks import check, quiz
from utils.data import load_fashion_mnist
from utils.demos.vanishing_gradients import (activate, demo, gradient_profile, make_batch,
                                             make_weights, slope)
from utils.plotting import set_style
from utils.training import evaluate, set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. The chain rule through layers
#
# A feedforward network computes, layer after layer (GBC Algorithm 6.3, with the biases at 0),
#
# $$\boldsymbol a^{(l)} = \boldsymbol W^{(l)} \boldsymbol h^{(l-1)}, \qquad
#   \boldsymbol h^{(l)} = g\big(\boldsymbol a^{(l)}\big), \qquad l = 1, \dots, L,
#   \qquad \boldsymbol h^{(0)} = \boldsymbol x,$$
#
# and a cost $J$ of the output. Back-propagation (GBC Algorithm 6.4) walks the same chain
# backwards: $\nabla_{\boldsymbol a^{(l)}} J = \nabla_{\boldsymbol h^{(l)}} J \odot
# g'(\boldsymbol a^{(l)})$, then $\nabla_{\boldsymbol W^{(l)}} J = \nabla_{\boldsymbol a^{(l)}} J\,
# \boldsymbol h^{(l-1)\top}$ and $\nabla_{\boldsymbol h^{(l-1)}} J = \boldsymbol W^{(l)\top}
# \nabla_{\boldsymbol a^{(l)}} J$. Unrolled, the gradient that reaches layer $l$ is the
# gradient at the top multiplied by one **Jacobian** per layer above it:
#
# $$\frac{\partial \boldsymbol h^{(L)}}{\partial \boldsymbol h^{(l)}}
#   = \prod_{k=L}^{l+1} \operatorname{diag}\!\big(g'(\boldsymbol a^{(k)})\big)\, \boldsymbol W^{(k)},
#   \qquad
#   \big\|\nabla_{\boldsymbol h^{(l)}} J\big\| \le \prod_{k=l+1}^{L}
#   \big\|\operatorname{diag}(g'(\boldsymbol a^{(k)}))\big\|\,\big\|\boldsymbol W^{(k)}\big\|
#   \;\big\|\nabla_{\boldsymbol h^{(L)}} J\big\| .$$
#
# (the matrix product runs from layer $L$ on the left down to layer $l+1$ on the right).
# A product of $L - l$ factors: if the typical factor is below 1 the gradient **vanishes**
# exponentially with depth, if above 1 it **explodes**. First the smallest case, one unit per
# layer (the univariate network of the 004 notes): $h^{(l)} = \sigma(w_l h^{(l-1)} + b_l)$ and
# $J = \frac12 (h^{(L)} - 1)^2$. The chain rule, factor by factor, against autograd:

# %%
def sigmoid_slope(a):
    """σ'(a) = σ(a)(1 − σ(a)), written σ(a)σ(−a) so that 1 − σ(a) never rounds to 0."""
    return torch.sigmoid(a) * torch.sigmoid(-a)


set_seed(0)
L = 6
w = torch.randn(L, dtype=torch.float64, requires_grad=True)  # w[0] is the first layer's weight
b = torch.randn(L, dtype=torch.float64)
h = [torch.tensor(0.8, dtype=torch.float64)]  # h[0] = x
a = []
for l in range(L):
    a.append(w[l] * h[-1] + b[l])
    h.append(torch.sigmoid(a[-1]))
J = 0.5 * (h[-1] - 1) ** 2
J.backward()

with torch.no_grad():
    factors = [sigmoid_slope(a[k]) * w[k] for k in range(1, L)]  # ∂h⁽ᵏ⁺¹⁾/∂h⁽ᵏ⁾
    dJ_dw1 = (h[-1] - 1) * torch.stack(factors).prod() * sigmoid_slope(a[0]) * h[0]
print("per-layer factors σ'(a)·w:", [round(f.item(), 4) for f in factors])
print(f"chain rule: dJ/dw1 = {dJ_dw1.item():.6e}")
print(f"autograd:   dJ/dw1 = {w.grad[0].item():.6e}")

# %% [markdown]
# Every factor is small, so the first weight's gradient is tiny. With many units per layer
# the factors are matrices. `jacobian_product` multiplies
# $\operatorname{diag}(g'(\boldsymbol a^{(k)}))\,\boldsymbol W^{(k)}$ layer by layer for one
# input $\boldsymbol x$ (weights from the demo module: `make_weights(depth, width, init)`),
# checked against `torch.autograd.functional.jacobian` on 5 layers:

# %%
def jacobian_product(weights, x, activation):
    """∂h⁽ᴸ⁾/∂x for one input x, and the spectral norm of the product after each layer."""
    h, jac, norms = x, torch.eye(len(x)), []
    for W in weights:
        a = W @ h
        h = activate(activation, a)
        jac = slope(activation, a)[:, None] * W @ jac  # diag(g'(a)) W (previous product)
        norms.append(torch.linalg.matrix_norm(jac, ord=2).item())
    return jac, norms


width = 64
x = make_batch(width, seed=0)[0][0]  # (64,) one input vector
weights = make_weights(30, width, "xavier", seed=0)[:30]  # 30 hidden layers, (64, 64) each


def first_five_layers(x):
    for W in weights[:5]:
        x = torch.sigmoid(W @ x)
    return x


jac_5, _ = jacobian_product(weights[:5], x, "sigmoid")
print("product of Jacobians equals autograd's Jacobian:",
      torch.allclose(jac_5, torch.autograd.functional.jacobian(first_five_layers, x), atol=1e-6))

# %% [markdown]
# Now the size of the product, $\|\partial \boldsymbol h^{(l)}/\partial \boldsymbol x\|_2$ (its
# largest singular value: the most any input direction can be amplified), after
# $l = 1, \dots, 30$ layers, for three activation/initialisation pairs:

# %%
products = {"sigmoid, Xavier": jacobian_product(weights, x, "sigmoid")[1],
            "tanh, Xavier": jacobian_product(weights, x, "tanh")[1],
            "ReLU, He": jacobian_product(make_weights(30, width, "he", seed=0)[:30], x, "relu")[1]}
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, norms in products.items():
    ax.semilogy(range(1, 31), norms, "o-", ms=3, label=name)
ax.set(xlabel="number of layers l", ylabel=r"$\|\partial h^{(l)}/\partial x\|_2$",
       title="Size of the Jacobian product")
ax.legend()
plt.show()
for name, norms in products.items():
    print(f"{name:16}: after 10 layers {norms[9]:.1e}, after 20 {norms[19]:.1e}, "
          f"after 30 {norms[29]:.1e}")

# %% [markdown]
# On a log scale the sigmoid's line is straight: a constant factor per layer, an
# exponential decay. tanh and ReLU with their matching initialisations keep the product of
# order 1. Sections 2–4 explain both.
#
# ## 2. The sigmoid's derivative is at most 1/4
#
# $\sigma(a) = 1/(1+e^{-a})$ has the derivative $\sigma'(a) = \sigma(a)\,(1-\sigma(a))
# = \sigma(a)\,\sigma(-a)$. A
# product $s(1-s)$ with $s \in (0,1)$ is largest at $s = 1/2$, i.e. at $a = 0$, so
# $\sigma'(a) \le 1/4$ everywhere, and it falls to 0 as $|a|$ grows (the unit
# **saturates**). tanh reaches $\tanh'(0) = 1$; ReLU's derivative is exactly 1 or 0.

# %%
z = torch.linspace(-6, 6, 1201)
print(f"largest σ'(z) on the grid: {sigmoid_slope(z).max().item():.4f} at z = "
      f"{z[sigmoid_slope(z).argmax()].item():.2f}")
z_grad = z.clone().requires_grad_()
torch.sigmoid(z_grad).sum().backward()
print("σ(z)σ(−z) equals autograd's derivative:",
      torch.allclose(z_grad.grad, sigmoid_slope(z), atol=1e-6))

fig, ax = plt.subplots(figsize=(7, 3.2))
for name in ["sigmoid", "tanh", "relu"]:
    ax.plot(z, slope(name, z), label=f"{name}'(z)")
ax.axhline(0.25, color="grey", ls=":", lw=1)
ax.set(xlabel="z", ylabel="derivative", title="Slopes of three activations")
ax.legend()
plt.show()

# %% [markdown]
# In the scalar chain of section 1 every factor is $\sigma'(a_k)\,w_k$. Even at best
# ($a_k = 0$) and with weights $|w_k| \le 1$, each factor is at most $1/4$, so $L$ sigmoid
# layers shrink the gradient by **at least** $(1/4)^L$:

# %%
for depth in [5, 20, 30]:
    print(f"L = {depth:2d}: (1/4)^L = {0.25 ** depth:.3e}")

# %% [markdown]
# Larger weights can compensate, $|w\,\sigma'(a)|$ can exceed 1, but only if $a = w h + b$
# stays near 0, where $\sigma'$ is not tiny; section 3 shows how narrow that window is.
#
# ## 3. The 004 exploding-gradient example, recomputed
#
# The 004 notes (L93–135) illustrate exploding gradients with a sigmoid network: they assume
# $\sigma'(z) = 0.2$ and a weight $W_{21} = 500$, so that one local derivative is
# $0.2 \times 500 = 100$; multiplying along the chain gives $100 \times 100 \times 50$; the
# update with learning rate 0.9 from $W_\text{old} = 300$ is printed as
# $300 - 0.9 \times 50{,}000$. The arithmetic:

# %%
notes_slope, W21 = 0.2, 500
local_factor = notes_slope * W21
chain = local_factor * local_factor * 50
lr, W_old = 0.9, 300
print("0.2 x 500 =", local_factor)
print("100 x 100 x 50 =", chain)
print("the notes' update, 300 - 0.9 x 50,000 =", W_old - lr * 50_000)
print("with the chain's value, 300 - 0.9 x 500,000 =", W_old - lr * chain)

# %% [markdown]
# So the update uses a gradient 10 times smaller than the chain the notes just computed. The
# deeper problem is the assumption itself. Which pre-activation gives $\sigma'(a) = 0.2$?
# Solving $s(1-s) = 0.2$ for $s = \sigma(a)$:

# %%
s = (1 + math.sqrt(1 - 4 * notes_slope)) / 2
a_needed = math.log(s / (1 - s))
print(f"sigma'(a) = 0.2 needs |a| = {a_needed:.4f}")
a_typical = W21 * 0.5  # W = 500 times a typical sigmoid output 0.5, bias 0
for dtype in (torch.float64, torch.float32):
    value = sigmoid_slope(torch.tensor(a_typical, dtype=dtype)).item()
    print(f"W = 500, input 0.5: a = {a_typical:.0f}, sigma'(a) = {value:.2e} in {dtype}, "
          f"local factor W * sigma'(a) = {W21 * value:.2e}")

# %% [markdown]
# With $W = 500$ the unit's pre-activation is huge for almost every input, the sigmoid is
# saturated, and the local factor is essentially 0: this setting makes gradients
# **vanish**, not explode. The factor exceeds 1 only when $500\,o + b$ lands within a few
# units of 0. Even with the best bias ($b = -250$, centring the window on $o = 0.5$), only a
# sliver of inputs $o \in (0, 1)$ gets a factor above 1:

# %%
o = torch.linspace(0, 1, 1_000_001, dtype=torch.float64)
factor = W21 * sigmoid_slope(W21 * o - 250)
print(f"largest factor {factor.max().item():.0f} (= 500/4, at o = {o[factor.argmax()].item():.2f})")
print(f"fraction of inputs with factor > 1: {(factor > 1).double().mean().item():.4f}")

# %% [markdown]
# > **The 004 notes say** (L93–135) that a sigmoid unit with $\sigma' = 0.2$ and a weight of
# > 500 makes gradients explode ($0.2 \times 500 = 100$ per layer, $500{,}000$ along the
# > chain) and then update with $50{,}000$. **In fact** the update uses a value 10 times
# > smaller than the chain they computed, and the two assumptions contradict each other: with
# > $W = 500$ the sigmoid saturates for almost every input ($\sigma' \approx 0$, computed
# > above), so this network's gradients *vanish*. Exploding gradients need factors
# > $|w\,g'(a)| > 1$ at units that are **not** saturated: ReLU or linear units with too large
# > weights, or a recurrent network whose weight matrix has spectral radius above 1 (Unit III).
#
# Such units do explode. With ReLU and $\mathcal N(0, 1)$ weights (demo model, 10 layers of
# 128 units) every layer multiplies the scale by about $\sqrt{128/2}$; with linear units and
# 50 layers of 256 the numbers leave float32 altogether:

# %%
relu_large = gradient_profile(10, 128, "relu", "large")
print("ReLU, N(0, 1), 10 layers: |dJ/dW| of layers 1, 5, 10:",
      ", ".join(f"{g:.1e}" for g in relu_large.grad_norms[[0, 4, 9]]),
      f"| loss {relu_large.loss:.2e}")
linear_large = gradient_profile(50, 256, "identity", "large")
print("linear, N(0, 1), 50 layers: layers with an inf or NaN gradient:",
      len(linear_large.overflow), "of 51 | loss", linear_large.loss)

# %% [markdown]
# > **The 004 notes say** (L135) that because of exploding gradients "the training never
# > converge[s] or reach[es] global minima". **In fact** the symptom is instability: huge
# > updates throw the weights far away, the loss jumps or becomes NaN (as above) and training
# > diverges. Reaching a *global* minimum is not the issue; networks rarely need one
# > (lesson 10).
#
# ## 4. Keeping the scale: Xavier and He initialisation
#
# Lesson 10 derived the rules; in one line: for independent zero-mean weights,
# $\operatorname{Var}[a_i] = n_\text{in}\operatorname{Var}[w]\,\mathbb E[h^2]$ going
# forward and $\operatorname{Var}[\partial J/\partial h_j] = n_\text{out}\operatorname{Var}[w]
# \operatorname{Var}[\partial J/\partial a]$ going backward. Keeping both requires
# $n_\text{in}\operatorname{Var}[w] = 1$ and $n_\text{out}\operatorname{Var}[w] = 1$; Glorot
# and Bengio's compromise is
#
# $$\operatorname{Var}[w] = \frac{2}{n_\text{in} + n_\text{out}} \quad\text{(Xavier/Glorot, for tanh)},
#   \qquad \operatorname{Var}[w] = \frac{2}{n_\text{in}} \quad\text{(He/Kaiming, for ReLU,
#   which halves the second moment } \mathbb E[h^2]\text{)}.$$
#
# Both assume $g'(0) = 1$. We measure 30 layers of 256 units on the demo's batch of 64
# standard-normal inputs: the standard deviation of the activations $\boldsymbol h^{(l)}$
# and the gradient norms $\|\partial J/\partial \boldsymbol W^{(l)}\|$.

# %% tags=["nbval-ignore-output"]
cases = [("tanh", "small"), ("tanh", "xavier"), ("tanh", "large"),
         ("sigmoid", "xavier"), ("relu", "xavier"), ("relu", "he")]
profiles = {case: gradient_profile(30, 256, *case) for case in cases}
print("activation | init   | std h(1) | std h(10) | std h(30) | |dJ/dW(1)| | |dJ/dW(30)|")
for (activation, init), p in profiles.items():
    print(f"{activation:10} | {init:6} | {p.act_std[0]:8.2e} | {p.act_std[9]:9.2e} | "
          f"{p.act_std[29]:9.2e} | {p.grad_norms[0]:10.2e} | {p.grad_norms[29]:11.2e}")

# %% [markdown]
# The digits of this table are float32 results of 30 layers: in the exploding tanh case
# the last digits, even the first one, differ between CPUs (rounding errors are amplified
# like the gradient). What holds everywhere is checked here:

# %%
def ratio(case):
    """|dJ/dW(1)| / |dJ/dW(30)|: above 1 the gradient grows towards the input."""
    return profiles[case].grad_norms[0] / profiles[case].grad_norms[29]


print("tanh, small: the gradients underflow to exactly 0:",
      profiles["tanh", "small"].grad_norms[0] == 0.0)
print("tanh, large: the gradient explodes towards the input (layer 1 > 1e6 x layer 30):",
      ratio(("tanh", "large")) > 1e6)
print("tanh, Xavier and ReLU, He: layer 1 and layer 30 within a factor 10:",
      all(0.1 < ratio(case) < 10 for case in [("tanh", "xavier"), ("relu", "he")]))
print("sigmoid, Xavier: the gradient vanishes towards the input (layer 1 < 1e-10 x layer 30):",
      ratio(("sigmoid", "xavier")) < 1e-10)
print("ReLU, Xavier: std h(30) below 1e-3 x std h(1):",
      profiles["relu", "xavier"].act_std[29] < 1e-3 * profiles["relu", "xavier"].act_std[0])

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for (activation, init), p in profiles.items():
    label = f"{activation}, {init}"
    axes[0].semilogy(range(1, 31), np.maximum(p.act_std, 1e-40), "o-", ms=3, label=label)
    axes[1].semilogy(range(1, 31), np.maximum(p.grad_norms[:30], 1e-40), "o-", ms=3, label=label)
axes[0].set(xlabel="layer l", ylabel=r"std of $h^{(l)}$", title="Forward: activations")
axes[1].set(xlabel="layer l", ylabel=r"$\|\partial J/\partial W^{(l)}\|$",
            title="Backward: gradients (0 drawn at 1e-40)")
axes[1].legend(fontsize=8)
plt.show()

# %% [markdown]
# - **tanh, small** ($\mathcal N(0, 0.01^2)$): every layer multiplies the spread by
#   $\sqrt{256} \times 0.01 = 0.16$. The signal dies, and the gradients underflow to exactly 0.
# - **tanh, large** ($\mathcal N(0,1)$): most units saturate, yet the few unsaturated ones carry
#   factors $\approx \sqrt{256} = 16$ backwards: the first layers' gradients are many orders
#   of magnitude *larger* than the last layers'.
# - **tanh, Xavier** and **ReLU, He** keep both the activations and the gradients within a
#   small factor over all 30 layers.
# - **ReLU, Xavier** loses half of the variance per layer (the factor He's rule restores), and
#   **sigmoid, Xavier** still vanishes: Xavier assumes $g'(0) = 1$, but $\sigma'(0) = 1/4$.
#
# > **The 004 notes say** (L10) that the reason for vanishing gradients is "use of Sigmoid
# > activation function". **In fact** the sigmoid is one cause among several: the table
# > shows tanh with too small weights vanishing completely, ReLU with Xavier's variance
# > shrinking layer by layer, and too large weights exploding; depth multiplies every one of
# > them, and recurrence does the same through time (Unit III).
#
# **The notes' Glorot-normal formula.** Lesson 10 corrected the 004 notes' standard deviation
# (L402, L405). What would the wrong formula do to this 30-layer tanh network?

# %% tags=["nbval-ignore-output"]
def notes_glorot_std(n, m):
    """The 004 notes' 'normalised Xavier' std, sqrt(2 / sqrt(n + m)) (wrong)."""
    return math.sqrt(2 / math.sqrt(n + m))


g = torch.Generator().manual_seed(0)
hidden = [torch.randn(256, 256, generator=g) * notes_glorot_std(256, 256) for _ in range(30)]
weights_notes = hidden + [torch.randn(10, 256, generator=g) * notes_glorot_std(256, 10)]
p_notes = gradient_profile(activation="tanh", weights=weights_notes)
p_xavier = profiles["tanh", "xavier"]
print(f"std of W for n = m = 256: notes {notes_glorot_std(256, 256):.4f}, "
      f"Glorot sqrt(2/(n+m)) = {math.sqrt(2 / 512):.4f}")
for name, p in [("notes' formula", p_notes), ("Glorot normal", p_xavier)]:
    print(f"{name:14}: saturated units at layer 30 {p.flat[29]:.2f}, "
          f"|dJ/dW(1)| / |dJ/dW(30)| = {p.grad_norms[0] / p.grad_norms[29]:.1e}")

# %%
print("notes' formula: most units saturated at layer 30 (> 0.5):", p_notes.flat[29] > 0.5)
print("notes' formula: layer 1's gradient > 1e4 x layer 30's; Glorot: within a factor 10:",
      p_notes.grad_norms[0] / p_notes.grad_norms[29] > 1e4,
      0.1 < p_xavier.grad_norms[0] / p_xavier.grad_norms[29] < 10)

# %% [markdown]
# > **The 004 notes say** (L402, L405) that the normalised Xavier (Glorot) initialisation
# > draws from a Gaussian with standard deviation $\sqrt{2/\sqrt{n+m}}$. **In fact** it is
# > $\sqrt{2/(n+m)}$ (`nn.init.xavier_normal_`). With $n = m = 256$ the notes' value is several
# > times too large (printed above): the units saturate and the gradients of the first layers
# > explode relative to the last ones, the very problem the rule was designed to prevent.
#
# ## 5. Residual connections: a path without a product
#
# A residual block adds its input to its output, $\boldsymbol h^{(l)} = \boldsymbol h^{(l-1)}
# + F(\boldsymbol h^{(l-1)})$ with $F(\boldsymbol h) = g(\boldsymbol W \boldsymbol h)$. Its
# Jacobian is the identity plus the usual one,
#
# $$\frac{\partial J}{\partial \boldsymbol h^{(l-1)}} = \frac{\partial J}{\partial \boldsymbol h^{(l)}}
#   \left(\boldsymbol I + \frac{\partial F}{\partial \boldsymbol h^{(l-1)}}\right),$$
#
# so the gradient at the top reaches every layer through the identity terms, however small
# the $\partial F/\partial \boldsymbol h$ factors are. The formula, checked for one block:

# %%
W = make_weights(1, 8, "xavier", seed=1)[0]  # (8, 8)
x8 = make_batch(8, seed=1)[0][0]  # (8,)


def residual_block(h):
    return h + torch.sigmoid(W @ h)


jac_formula = torch.eye(8) + slope("sigmoid", W @ x8)[:, None] * W  # I + diag(σ'(a)) W
jac_autograd = torch.autograd.functional.jacobian(residual_block, x8)  # (8, 8)
print("I + diag(sigma'(a)) W equals autograd's Jacobian:",
      torch.allclose(jac_autograd, jac_formula, atol=1e-6))

# %%
plain = gradient_profile(30, 128, "sigmoid", "xavier", residual=False)
residual = gradient_profile(30, 128, "sigmoid", "xavier", residual=True)
for name, p in [("plain", plain), ("residual", residual)]:
    print(f"sigmoid, Xavier, 30 layers, {name:8}: |dJ/dW(1)| = {p.grad_norms[0]:.2e}, "
          f"|dJ/dW(30)| = {p.grad_norms[29]:.2e}")

# %% [markdown]
# The first layer's gradient is many orders of magnitude larger with the skip connections.
# The price: the sums grow, the std of $\boldsymbol h^{(30)}$ is printed below. Residual
# networks (ResNet, Unit II) therefore combine the skips with batch normalisation.

# %%
print(f"std of h(30): plain {plain.act_std[29]:.2f}, residual {residual.act_std[29]:.2f}")

# %% [markdown]
# ## 6. Batch normalisation (lesson 09) fixes the scale at every layer
#
# Batch normalisation standardises each unit's pre-activation over the mini-batch,
# $\hat a = (a - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}$ (then scales and shifts by learned
# $\gamma, \beta$; at the start $\gamma = 1, \beta = 0$). Whatever the scale of
# $\boldsymbol W$, the sigmoid then sees inputs of unit variance, where its slope is healthy.
# Scaling $\boldsymbol W$ by any $c > 0$ scales $\boldsymbol a$ by $c$, which the normalisation
# removes (up to the small $\epsilon$):

# %%
A = 0.5 * torch.randn(64, 16) + 3  # pre-activations of 16 units over a batch of 64
A_hat = nn.functional.batch_norm(A, None, None, training=True)  # γ = 1, β = 0
print("after BN every unit has mean 0 and std 1:",
      torch.allclose(A_hat.mean(0), torch.zeros(16), atol=1e-4),
      torch.allclose(A_hat.std(0, unbiased=False), torch.ones(16), atol=1e-2))
A_hat_100 = nn.functional.batch_norm(100 * A, None, None, training=True)
print("BN(100 a) equals BN(a):", torch.allclose(A_hat_100, A_hat, atol=1e-3))

# %%
for batch_norm in [False, True]:
    p = gradient_profile(30, 128, "sigmoid", "small", batch_norm=batch_norm)
    print(f"sigmoid, N(0, 0.01^2), 30 layers, batch norm {str(batch_norm):5}: "
          f"|dJ/dW(1)| = {p.grad_norms[0]:.2e}, |dJ/dW(30)| = {p.grad_norms[29]:.2e}")

# %% [markdown]
# ## 7. Gradient clipping for exploding gradients
#
# When a gradient is occasionally huge (a cliff in the loss surface, a long recurrent chain),
# **clipping** caps the size of the step without changing its direction (GBC §10.11.1): if
# $\|\boldsymbol g\| > v$, replace $\boldsymbol g \leftarrow \boldsymbol g\, v / \|\boldsymbol g\|$,
# where $\|\boldsymbol g\|$ is the norm of *all* parameters' gradients together. From
# scratch, then with `torch.nn.utils.clip_grad_norm_`, on a ReLU network whose $\mathcal N(0,1)$
# weights make the gradients explode:

# %%
def clip_by_total_norm(grads, max_norm):
    """Scale a list of gradient tensors so that their joint norm is at most max_norm."""
    total_norm = torch.sqrt(sum((g ** 2).sum() for g in grads))
    scale = min(1.0, max_norm / (total_norm.item() + 1e-6))  # torch adds the same 1e-6
    return [g * scale for g in grads], total_norm.item()


set_seed(0)
net = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10))
for layer in [net[0], net[2], net[4]]:
    nn.init.normal_(layer.weight, std=1.0)
X_clip, y_clip = make_batch(32, seed=0)  # (64, 32), (64,)
nn.functional.cross_entropy(net(X_clip), y_clip).backward()

ours, total_before = clip_by_total_norm([p.grad for p in net.parameters()], max_norm=1.0)
torch_total = nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)  # clips in place
clipped_norm = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters())).item()
print(f"total gradient norm before clipping: ours {total_before:.1f}, "
      f"torch {torch_total.item():.1f}")
print(f"after clipping: {clipped_norm:.4f}; same clipped gradients as ours:",
      all(torch.allclose(g, p.grad) for g, p in zip(ours, net.parameters())))

# %% [markdown]
# Clipping keeps an SGD step at most $\epsilon v$ long, however large the raw gradient. It
# does nothing for *vanishing* gradients (small gradients are left alone), and it cannot
# rescue inf or NaN gradients: torch's `clip_grad_norm_(..., error_if_nonfinite=True)`
# raises an error in that case rather than producing NaN weights.
#
# ## 8. Demo: gradient norms layer by layer
#
# The demo runs the network of sections 4–6 (one forward and one backward pass on a fixed
# batch of 64 standard-normal inputs, the zero-mean unit-variance inputs the initialisation
# rules assume, with random labels) every time you move a control. Top: $\|\partial
# J/\partial \boldsymbol W^{(l)}\|$ per layer on a log scale, the output layer as a square;
# ▼/▲ mark values beyond the axis and a red ✕ an overflow (inf or NaN). Bottom left: std and
# |mean| of the activations; bottom right: the fraction of units whose slope is nearly 0
# (saturated sigmoid/tanh, ReLU off). The line under the controls says what you are looking
# at.

# %%
vanishing_demo = demo(depth=20, width=128, activation="sigmoid", init="xavier")
vanishing_demo

# %% [markdown]
# **Try this**
# 1. Sigmoid with Xavier: raise the depth from 5 to 50. Does the first layer's gradient fall
#    by a constant number of decades per layer?
# 2. Switch to ReLU: which initialisation makes the gradient line flat? What does Xavier do?
# 3. tanh with "large N(0, 1)": most units are flat (bottom right), yet the gradient
#    *explodes* towards the input. Why do both happen at once?
# 4. Linear activation, large init, depth 50, width 256: find the depth at which the ✕
#    (overflow) first appears.
# 5. Back to sigmoid with small init: tick **batch norm**, then untick it and tick
#    **residual connections**. Which one gives the more even profile?
# 6. Zero init: why is every hidden gradient exactly 0, whatever the activation?
#
# ## 9. What a vanishing gradient costs in training
#
# Four 20-layer networks of 64 units on 6,000 Fashion-MNIST training images, two epochs of
# Adam (learning rate $10^{-3}$, batches of 128): sigmoid with $\mathcal N(0, 0.01^2)$ weights,
# sigmoid with Xavier, ReLU with He, and sigmoid with $\mathcal N(0, 0.01^2)$ plus batch norm.
# We record the training loss and the first layer's gradient norm at every step.

# %%
data = load_fashion_mnist(n_val=5000, seed=0)
X_train = data.X_train[:6000].reshape(-1, 784)  # (6000, 1, 28, 28) -> (6000, 784)
y_train = data.y_train[:6000]
mean, std = X_train.mean(), X_train.std()
X_train = (X_train - mean) / std
X_val = (data.X_val.reshape(-1, 784) - mean) / std  # (5000, 784)
y_val = data.y_val
print("training:", tuple(X_train.shape), "validation:", tuple(X_val.shape))


# %%
def make_deep_mlp(activation, init, batch_norm=False, depth=20, width=64):
    """784 -> depth hidden layers of `width` units -> 10, biases 0, weights drawn by `init`."""
    layers, n_in = [], 784
    for _ in range(depth):
        layers.append(nn.Linear(n_in, width))
        if batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(activation())
        n_in = width
    net = nn.Sequential(*layers, nn.Linear(n_in, 10))
    for layer in net:
        if isinstance(layer, nn.Linear):
            nn.init.zeros_(layer.bias)
            if init == "small":
                nn.init.normal_(layer.weight, std=0.01)
            elif init == "xavier":
                nn.init.xavier_normal_(layer.weight)
            else:
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    return net


def train_recording(net, num_epochs=2, batch_size=128, lr=1e-3):
    """Adam on (X_train, y_train); returns the loss and |dJ/dW(1)| at every step."""
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(0)
    losses, first_layer_grads = [], []
    for epoch in range(num_epochs):
        order = torch.randperm(len(X_train), generator=generator)
        for start in range(0, len(X_train), batch_size):
            idx = order[start:start + batch_size]
            loss = loss_fn(net(X_train[idx]), y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            first_layer_grads.append(net[0].weight.grad.norm().item())
    return np.array(losses), np.array(first_layer_grads)


configs = {"sigmoid, N(0, 0.01²)": (nn.Sigmoid, "small", False),
           "sigmoid, Xavier": (nn.Sigmoid, "xavier", False),
           "ReLU, He": (nn.ReLU, "he", False),
           "sigmoid, N(0, 0.01²) + BN": (nn.Sigmoid, "small", True)}

# %% tags=["nbval-ignore-output"]
runs, val_accs, nets = {}, {}, {}
for name, (activation, init, batch_norm) in configs.items():
    set_seed(0)
    net = make_deep_mlp(activation, init, batch_norm)
    runs[name] = train_recording(net)
    nets[name] = net
    val_accs[name] = evaluate(net, nn.CrossEntropyLoss(), X_val, y_val)[1]
    losses, grads = runs[name]
    print(f"{name:26}: first-layer gradient at step 1 {grads[0]:.1e}, "
          f"final loss (last 20 steps) {losses[-20:].mean():.3f}, "
          f"validation accuracy {val_accs[name]:.3f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for name, (losses, grads) in runs.items():
    smooth = np.convolve(losses, np.ones(10) / 10, mode="valid")  # moving average of 10 steps
    axes[0].plot(range(10, len(losses) + 1), smooth, label=name)
    axes[1].semilogy(range(1, len(grads) + 1), np.maximum(grads, 1e-20), label=name)
axes[0].set(xlabel="step", ylabel="training loss (10-step average)", title="Loss")
axes[1].set(xlabel="step", ylabel=r"$\|\partial J/\partial W^{(1)}\|$ (0 drawn at 1e-20)",
            title="First layer's gradient")
axes[0].legend(fontsize=8)
plt.show()

# %%
print("both plain sigmoid networks stay near chance (validation accuracy < 0.2):",
      val_accs["sigmoid, N(0, 0.01²)"] < 0.2 and val_accs["sigmoid, Xavier"] < 0.2)
print("ReLU + He learns (validation accuracy > 0.6):", val_accs["ReLU, He"] > 0.6)
print("batch norm rescues the small-init sigmoid network (validation accuracy > 0.35):",
      val_accs["sigmoid, N(0, 0.01²) + BN"] > 0.35)

# %% [markdown]
# The plain sigmoid networks do not learn at all in two epochs: their first layer's gradient
# (printed above) is exactly zero with the small init and tiny with Xavier, so the first
# layers never move. The upper layers then see a nearly constant signal that does not
# depend on the input: the last hidden layer's output is the same for every image, up to
# float32 rounding (checked below), so nothing the upper layers learn can tell the classes
# apart. Adam does not save them either: its step
# $\epsilon\,\hat s/(\sqrt{\hat r} + \delta)$ rescales the gradient, but with gradients far
# below $\delta = 10^{-8}$ the steps stay tiny (lesson 10: RMSProp and Adam do not fix
# vanishing gradients). ReLU with He initialisation and the batch-normalised sigmoid
# network receive gradients of order 1 in every layer and learn.

# %%
def input_dependence(net, X):
    """Largest spread over the images of X (max - min) of any unit of the last hidden layer."""
    net.eval()
    with torch.no_grad():
        h_last = net[:-1](X)  # (N, 64): everything but the output layer
    return (h_last.max(dim=0).values - h_last.min(dim=0).values).max().item()


spread = {name: input_dependence(net, X_val[:1000]) for name, net in nets.items()}
print("the last hidden layer of both plain sigmoid networks is constant over 1,000 images "
      "(spread < 1e-5):", spread["sigmoid, N(0, 0.01²)"] < 1e-5 and spread["sigmoid, Xavier"] < 1e-5)
print("while the ReLU + He network's varies (spread > 1):", spread["ReLU, He"] > 1)
#
# ## 10. Exercises
#
# **Exercise 1.** Compute the bound $(1/4)^L$ of section 2 for a stack of $L = 10$ sigmoid
# layers.

# %%
bound_10 = ...  # your answer
check(bound_10, 0.25 ** 10, hint="(1/4) multiplied by itself 10 times")

# %% tags=["solution"] jupyter={"source_hidden": true}
bound_10 = (1 / 4) ** 10
check(bound_10, 0.25 ** 10)

# %% [markdown]
# **Exercise 2.** Predict: which initialisation keeps the standard deviation of the
# activations of a 30-layer **ReLU** network near 1? Answer with one of the demo's names
# `"small"`, `"xavier"`, `"he"`, `"large"`. The check measures all four with
# `gradient_profile(30, 256, "relu", init)` and takes the one whose last layer's std is
# closest to 1 (on a log scale).

# %%
relu_init = ...  # your prediction, a string


def std_closest_to_one(activation):
    inits = ["small", "xavier", "he", "large"]
    return min(inits, key=lambda init: abs(math.log(
        gradient_profile(30, 256, activation, init).act_std[29] + 1e-300)))


check(relu_init, std_closest_to_one("relu"),
      hint="ReLU zeroes half of its inputs, so the weights' variance must be doubled: 2/n_in")

# %% tags=["solution"] jupyter={"source_hidden": true}
relu_init = "he"
check(relu_init, std_closest_to_one("relu"))

# %% [markdown]
# **Exercise 3.** Redo the 004 notes' weight update with the gradient their own chain gives,
# $100 \times 100 \times 50$, learning rate 0.9 and $W_\text{old} = 300$.

# %%
W_new = ...  # your answer
check(W_new, 300 - 0.9 * (100 * 100 * 50), hint="W_new = W_old - lr * gradient")

# %% tags=["solution"] jupyter={"source_hidden": true}
W_new = 300 - 0.9 * (100 * 100 * 50)
check(W_new, 300 - 0.9 * (100 * 100 * 50))

# %% [markdown]
# **Exercise 4.** With `gradient_profile`, find by how many orders of magnitude (a power of
# 10, rounded to the nearest integer) residual connections enlarge the first layer's gradient
# of a 12-layer, 128-unit **tanh** network with `"small"` initialisation. Use
# `.grad_norms[0]` of the two profiles and `math.log10`.

# %%
orders_gained = ...  # your answer, an integer

tanh_plain = gradient_profile(12, 128, "tanh", "small").grad_norms[0]
tanh_residual = gradient_profile(12, 128, "tanh", "small", residual=True).grad_norms[0]
check(orders_gained, round(math.log10(tanh_residual / tanh_plain)),
      hint="round(math.log10(residual / plain))")

# %% tags=["solution"] jupyter={"source_hidden": true}
plain = gradient_profile(12, 128, "tanh", "small").grad_norms[0]
with_skips = gradient_profile(12, 128, "tanh", "small", residual=True).grad_norms[0]
print(f"|dJ/dW(1)|: plain {plain:.1e}, residual {with_skips:.1e}")
orders_gained = round(math.log10(with_skips / plain))
check(orders_gained, round(math.log10(tanh_residual / tanh_plain)))

# %% [markdown]
# ## 11. Review questions (Part A)

# %%
quiz("A stack of 20 sigmoid layers has weights of size at most 1. By how much, at least, "
     "does the gradient shrink from the top to the first layer?",
     ["By a factor of 20", "By at least (1/4)^20", "Not at all: the sigmoid's derivative is 1"],
     answer=1, explanation="Each layer contributes a factor w·σ'(a) with σ'(a) ≤ 1/4.")

# %%
quiz("A sigmoid unit has an incoming weight of 500. What happens to gradients through it "
     "for almost all inputs?",
     ["They explode: 500 × σ' is large", "They vanish: the unit saturates and σ' ≈ 0",
      "Nothing: weights do not matter"],
     answer=1, explanation="a = 500·o + b is far from 0 for almost every o, where σ'(a) ≈ 0.")

# %%
quiz("Which tool is meant for EXPLODING gradients?",
     ["Gradient clipping", "Using more sigmoid layers", "A smaller batch size"],
     answer=0, explanation="Clipping caps the norm of the gradient; it does not help "
                           "vanishing gradients.")

# %% [markdown]
# <details><summary><b>What is the vanishing gradient problem? What causes it?</b></summary>
# In back-propagation the gradient reaching layer l is the top gradient times one Jacobian
# diag(g'(a))W per layer above it. When these factors are typically smaller than 1 the
# gradient shrinks exponentially with depth, so the first layers learn extremely slowly or
# not at all. Causes: saturating activations (σ' ≤ 1/4, tanh at large |a|), weights that are
# too small, great depth (or long recurrences through time).
# </details>
#
# <details><summary><b>What is the exploding gradient problem? How is it detected and handled?</b></summary>
# When the per-layer factors |w g'(a)| are typically larger than 1 (too large weights with
# ReLU or linear units, recurrent weights with spectral radius above 1), gradients grow
# exponentially with depth; updates become huge, the loss jumps or turns NaN. Remedies:
# careful initialisation (Xavier/He), batch normalisation, fewer layers, and above all
# gradient clipping (g ← g·v/‖g‖ if ‖g‖ > v), which is also how exploding gradients are
# handled in recurrent networks (GBC §10.11.1). Gated units (LSTM, GRU) address the
# *vanishing* gradient of recurrent networks (GBC §10.10), not the exploding one.
# </details>
#
# <details><summary><b>Why do Xavier and He initialisation help?</b></summary>
# They choose the weight variance so that a layer keeps the variance of its input going
# forward and of its gradient going backward: Var[w] = 2/(n_in + n_out) for tanh-like units
# (Glorot), 2/n_in for ReLU, which zeroes half of its inputs (He). Then the per-layer
# factors are about 1 and neither signal vanishes nor explodes at the start of training.
# </details>
#
# <details><summary><b>How do residual connections help the gradient?</b></summary>
# A block computes h + F(h), so its Jacobian is I + ∂F/∂h: the identity carries the
# gradient from the top to every layer unchanged, even when the ∂F/∂h factors are small.
# </details>
#
# ## Summary
# - The gradient at layer $l$ is a product of one Jacobian $\operatorname{diag}(g')\boldsymbol W$
#   per layer above it: factors below 1 make it vanish, factors above 1 make it explode,
#   exponentially in depth.
# - $\sigma'(a) \le 1/4$: sigmoid stacks with weights $|w| \le 1$ lose at least a factor 4
#   per layer.
#   Large weights do not turn a sigmoid into an exploding unit: it saturates instead, so the
#   004 notes' example vanishes; their update also uses 50,000 for 500,000.
# - Xavier ($2/(n_\text{in}+n_\text{out})$, tanh) and He ($2/n_\text{in}$, ReLU) keep the
#   per-layer factors near 1; the notes' $\sqrt{2/\sqrt{n+m}}$ is wrong and would saturate
#   a tanh network.
# - Residual connections add an identity path, batch normalisation re-standardises every
#   layer, gradient clipping caps exploding steps.
# - In training, a 20-layer sigmoid network with a vanishing gradient does not learn at all;
#   ReLU + He or batch norm does.
#
# **Next:** Unit II builds convolutional networks, whose deep versions (ResNet) rely on the
# residual connections and batch normalisation met here; Unit III meets the same product of
# Jacobians through time in recurrent networks.
