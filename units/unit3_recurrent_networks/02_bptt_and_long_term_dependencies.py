# %% [markdown]
# # Back-propagation through time and long-term dependencies (syllabus III.5, III.11)
#
# **What you will learn**
# - **back-propagation through time** (BPTT): the gradient of an RNN's loss computed by hand
#   on the unfolded graph, and checked against torch's autograd to $10^{-10}$ (III.5);
# - why the gradient that reaches an early step is a product of one Jacobian per step, and
#   how the **spectral radius** of $W$ makes it vanish or explode, live in a demo;
# - what **gradient clipping** does and does not fix;
# - the eigenvalue argument for **long-term dependencies**, $h^{(t)} = Q^\top\Lambda^t Q\,
#   h^{(0)}$ (III.11), which lesson 05 tests on a task where a plain RNN fails and an LSTM
#   does not.
#
# Notation of GBC chapter 10 (lesson 01): $a^{(t)} = b + W h^{(t-1)} + U x^{(t)}$,
# $h^{(t)} = \tanh(a^{(t)})$, $o^{(t)} = c + V h^{(t)}$, $\hat y^{(t)} = \operatorname{softmax}(o^{(t)})$.

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
    os.chdir("/content/ad3501/units/unit3_recurrent_networks")

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from utils.checks import check, check_function, quiz
from utils.demos import rnn_gradients as rg
from utils.plotting import set_style
from utils.rnn import bptt
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads(small=True)  # tiny models: one thread (utils/threads.py)
set_seed(0)

# %% [markdown]
# ## 1. The loss of a sequence
#
# A transducer RNN (lesson 01) predicts a label at every step. With the cross-entropy at
# each step, the loss of one sequence is the **sum over time** (GBC eq. 10.12–10.14):
#
# $$L = \sum_{t=1}^{\tau} L^{(t)} = -\sum_{t=1}^{\tau} \log \hat y^{(t)}_{y^{(t)}} .$$
#
# The gradient is ordinary back-propagation (lesson I.13) applied to the **unfolded**
# graph, walking from the last step to the first: hence the name back-propagation through
# time. Its cost is $O(\tau)$ in time and in memory, since every $h^{(t)}$ of the forward
# pass is kept for the backward pass (GBC §10.2).
#
# ## 2. BPTT by hand (GBC §10.2.2)
#
# Working backwards from the output (GBC eq. 10.18–10.21):
#
# $$\nabla_{o^{(t)}} L = \hat y^{(t)} - \mathbf 1_{y^{(t)}}, \qquad
#   \nabla_{h^{(\tau)}} L = V^\top \nabla_{o^{(\tau)}} L,$$
#
# $$\nabla_{h^{(t)}} L = W^\top \operatorname{diag}\!\big(1 - (h^{(t+1)})^2\big)\,
#   \nabla_{h^{(t+1)}} L \;+\; V^\top \nabla_{o^{(t)}} L \qquad (t < \tau):$$
#
# $h^{(t)}$ affects the loss through its own output $o^{(t)}$ **and** through the next state
# $h^{(t+1)}$. The parameters are shared by all steps, so their gradients are **sums over
# time** (GBC eq. 10.22–10.28), with $\nabla_{a^{(t)}} L = \operatorname{diag}(1 - (h^{(t)})^2)
# \nabla_{h^{(t)}} L$:
#
# $$\nabla_c L = \sum_t \nabla_{o^{(t)}} L, \quad \nabla_V L = \sum_t (\nabla_{o^{(t)}} L)\,
#   h^{(t)\top}, \quad \nabla_b L = \sum_t \nabla_{a^{(t)}} L, \quad
#   \nabla_W L = \sum_t (\nabla_{a^{(t)}} L)\, h^{(t-1)\top}, \quad
#   \nabla_U L = \sum_t (\nabla_{a^{(t)}} L)\, x^{(t)\top}.$$
#
# `utils.rnn.bptt` implements exactly these lines in numpy (no autograd); its backward loop:
#
# ```python
# grad_next = np.zeros(n_h)               # nothing comes from beyond the last step
# for t in range(T, 0, -1):
#     g = V.T @ grad_o[t - 1] + grad_next # dL/dh(t)
#     grad_a = (1 - H[t] ** 2) * g        # dL/da(t), through tanh
#     grads["c"] += grad_o[t - 1]
#     grads["V"] += np.outer(grad_o[t - 1], H[t])
#     grads["b"] += grad_a
#     grads["W"] += np.outer(grad_a, H[t - 1])
#     grads["U"] += np.outer(grad_a, X[t - 1])
#     grad_next = W.T @ grad_a            # the part of dL/dh(t-1) that comes through h(t)
# ```
#
# A small RNN: 2 inputs, 3 hidden units, 4 classes, $\tau = 6$ steps, random weights, all in
# float64. We compare every gradient with autograd's on the same computation.

# %%
rng = np.random.default_rng(0)
n_in, n_h, n_classes, T = 2, 3, 4, 6
params = {"U": rng.normal(size=(n_h, n_in)), "W": rng.normal(size=(n_h, n_h)),
          "b": rng.normal(size=n_h), "V": rng.normal(size=(n_classes, n_h)),
          "c": rng.normal(size=n_classes), "h0": rng.normal(size=n_h)}
X = rng.normal(size=(T, n_in))  # one sequence, (T, n_in)
y = rng.integers(0, n_classes, size=T)  # a label per step
L, grads, grad_h = bptt(X, y, params["h0"], params["U"], params["W"], params["b"],
                        params["V"], params["c"])
print(f"loss L = {L:.6f}")

# %%
theta = {name: torch.tensor(value, requires_grad=True) for name, value in params.items()}
h, L_torch = theta["h0"], 0
for t in range(T):
    h = torch.tanh(theta["b"] + theta["W"] @ h + theta["U"] @ torch.tensor(X[t]))
    o = theta["c"] + theta["V"] @ h
    L_torch = L_torch - torch.log_softmax(o, dim=0)[y[t]]
L_torch.backward()

for name in theta:
    difference = np.abs(grads[name] - theta[name].grad.numpy()).max()
    print(f"dL/d{name:2}: largest difference hand vs autograd < 1e-10: {difference < 1e-10}")
print("losses agree to 1e-10:", abs(L - L_torch.item()) < 1e-10)

# %% [markdown]
# The hand-written BPTT and autograd agree to rounding error in float64 for every
# parameter. The gradients that reached each step, $\|\nabla_{h^{(t)}} L\|$:

# %%
print("||dL/dh(t)|| for t = 1..6:", np.linalg.norm(grad_h, axis=1).round(4))

# %% [markdown]
# ## 3. Why the gradient vanishes or explodes
#
# Follow only the path from the loss at the last step $\tau$ back to step $t$. Each step
# back multiplies by one Jacobian $\partial h^{(k)}/\partial h^{(k-1)} =
# \operatorname{diag}\!\big(1 - (h^{(k)})^2\big)\, W$:
#
# $$\nabla_{h^{(t)}} L^{(\tau)} = \Big(\prod_{k=t+1}^{\tau} \frac{\partial h^{(k)}}
#   {\partial h^{(k-1)}}\Big)^{\!\top} \nabla_{h^{(\tau)}} L^{(\tau)} .$$
#
# A product of $\tau - t$ matrices behaves like a power. If $W$ is $\rho$ times an
# orthogonal matrix (all its eigenvalues have modulus $\rho$, its **spectral radius**) and
# the units are linear, the norm is multiplied by exactly $\rho$ per step: it shrinks like
# $\rho^{\tau-t}$ for $\rho < 1$ and grows for $\rho > 1$. A tanh only multiplies by slopes
# $\le 1$, so with tanh the gradient vanishes even at $\rho = 1$ once the units are away
# from 0. The demo's model computes this product by hand for $\tau$ up to 100 steps
# (`rg.gradient_through_time`); at $\tau = 50$:

# %%
for rho in [0.9, 1.0, 1.1]:
    linear = rg.gradient_through_time(rho, T=50, nonlinearity="linear")
    ratio = linear.grad_h[0] / linear.grad_h[-1]
    print(f"linear, rho = {rho}: ||dL/dh(1)|| / ||dL/dh(50)|| = {ratio:.3e}   "
          f"rho^49 = {rho ** 49:.3e}")
tanh_run = rg.gradient_through_time(1.0, T=50, nonlinearity="tanh", input_scale=1.0)
tanh_ratio = tanh_run.grad_h[0] / tanh_run.grad_h[-1]
print(f"tanh, rho = 1.0, inputs of scale 1: ratio = {tanh_ratio:.1e} "
      f"(mean |h| = {tanh_run.saturation:.2f})")

# %%
linear_exact = all(np.isclose(rg.gradient_through_time(rho, T=50, nonlinearity="linear").grad_h[0]
                              / rg.gradient_through_time(rho, T=50, nonlinearity="linear").grad_h[-1],
                              rho ** 49, rtol=1e-8) for rho in [0.9, 1.0, 1.1])
print("linear units: the ratio is rho^49 (to 1e-8):", linear_exact)
print("tanh units at rho = 1 lose more than 6 orders of magnitude over 50 steps:", tanh_ratio < 1e-6)

# %% [markdown]
# ## 4. Gradient clipping (GBC §10.11.1)
#
# When the gradient explodes, one step can throw the parameters far away. **Clipping the
# norm** rescales the whole gradient vector $g$ if it is too long:
#
# $$\text{if } \|g\| > v: \qquad g \leftarrow \frac{g\, v}{\|g\|} .$$
#
# The direction is kept and the step is bounded. Clipping does **nothing** for a vanishing
# gradient: a tiny contribution from step 1 stays tiny relative to the others (in torch:
# `torch.nn.utils.clip_grad_norm_`, used in the training runs of this unit).

# %%
def clip_by_norm(g, threshold):
    norm = np.linalg.norm(g)
    return g * threshold / norm if norm > threshold else g


exploding = rg.gradient_through_time(1.3, T=50, nonlinearity="linear", clip=True, threshold=1.0)
print(f"rho = 1.3, linear: ||grad_W L|| = {exploding.grad_W:.3e}, clipping scales it by "
      f"{exploding.scale:.3e}, to norm {exploding.grad_W * exploding.scale:.3f}")
g = np.array([30.0, -40.0])
print("clip_by_norm([30, -40], 5) =", clip_by_norm(g, 5.0), "| same direction:",
      np.allclose(clip_by_norm(g, 5.0) / 5, g / 50))

# %% [markdown]
# And the claim that clipping cannot revive a vanished gradient, on the tanh run above
# (threshold 1e-3, so that clipping is active): the share of step 1 relative to step 50 is
# the same before and after, since one factor scales every step's contribution.

# %%
vanished = rg.gradient_through_time(1.0, T=50, nonlinearity="tanh", input_scale=1.0,
                                    clip=True, threshold=1e-3)
clipped_h = vanished.grad_h * vanished.scale
print("clipping was active (scale < 1):", vanished.scale < 1)
print("ratio step 1 / step 50 unchanged by clipping:",
      np.isclose(clipped_h[0] / clipped_h[-1], vanished.grad_h[0] / vanished.grad_h[-1], rtol=1e-12))

# %% [markdown]
# ## 5. Demo: the gradient through time
#
# The loss is read at the last step $T$; the curve shows how much gradient reaches each
# earlier step. Move the **spectral radius** $\rho$ of $W$ (an orthogonal matrix times $\rho$)
# and the number of steps; switch between tanh and linear units; the **input scale** $s$
# decides how far the tanh units are pushed into saturation. The dotted line is
# $\rho^{T-t}$, the exact answer for linear units. Tick **clip** to see the gradient after
# norm clipping (dashed) and, on the right, the norm of $\nabla_W L$ before and after.

# %%
demo = rg.demo()
demo

# %% [markdown]
# **Try this**
# 1. Linear units: at $\rho = 1$ the curve is flat; at $\rho = 0.9$ and $T = 100$ how many
#    orders of magnitude are lost? Compare with $0.9^{99}$.
# 2. Linear units, $\rho = 1.3$: tick **clip**. The dashed curve has the same *shape* as the
#    solid one: clipping bounds the step, it does not change which steps dominate.
# 3. tanh, $\rho = 1.3$: raise the input scale. Saturated units have slopes near 0, which
#    stops the explosion but makes the gradient vanish instead.
#
# ## 6. Long-term dependencies: the eigenvalue argument (III.11)
#
# Strip the recurrence to its core, no input and no nonlinearity: $h^{(t)} = W^\top
# h^{(t-1)}$, so $h^{(t)} = (W^t)^\top h^{(0)}$ (GBC eq. 10.36–10.37). If $W$ has the
# eigendecomposition $W = Q\Lambda Q^\top$ with orthogonal $Q$ (GBC eq. 10.38),
#
# $$h^{(t)} = Q^\top \Lambda^t Q\, h^{(0)} :$$
#
# each component of $h^{(0)}$ along an eigenvector is multiplied by $\lambda^t$. Components
# with $|\lambda| < 1$ decay to zero, those with $|\lambda| > 1$ explode, and after a long
# time only the direction of the largest eigenvalue is left. The same powers multiply the
# gradient going back, so the gradient of a **long-term** interaction (over many steps) is
# exponentially smaller than that of a short-term one (GBC §10.7): learning long-term
# dependencies is hard, not impossible, and "the longer the span, the harder".
#
# (GBC's $Q$ holds the eigenvectors as rows; numpy's `eigh` and `qr` return them as
# **columns**, and then the same formula reads $h^{(t)} = Q \Lambda^t Q^\top h^{(0)}$, as
# in the code.) Checked on a symmetric $W$ with eigenvalues 0.9, 1.0 and 1.1, over 50 steps:

# %%
Q, _ = np.linalg.qr(np.random.default_rng(1).normal(size=(3, 3)))
Lam = np.diag([0.9, 1.0, 1.1])
W_sym = Q @ Lam @ Q.T
h = h0 = np.ones(3)
for t in range(50):
    h = W_sym.T @ h
closed_form = Q @ np.linalg.matrix_power(Lam, 50) @ Q.T @ h0  # (Q Λ^t Q^T) h(0)
print("50 steps of the loop == Q Lambda^50 Q^T h(0):", np.allclose(h, closed_form))
print("components along the eigenvectors, start:", (Q.T @ h0).round(3))
print("                           after 50 steps:", (Q.T @ h).round(3))
print("lambda^50 for 0.9, 1.0, 1.1:", np.round(np.diag(Lam) ** 50, 3))

# %%
steps = np.arange(0, 101)
fig, ax = plt.subplots(figsize=(7, 3.5))
for lam in [0.9, 1.0, 1.1]:
    ax.plot(steps, lam ** steps, label=f"λ = {lam}")
ax.set_yscale("log")
ax.set(xlabel="steps t", ylabel="$\\lambda^t$", title="One eigenvalue, t steps: λ^t")
ax.legend()
plt.show()

# %% [markdown]
# What helps (each in a later lesson): gated units that learn when to keep their state,
# $c^{(t)} = f \odot c^{(t-1)} + \dots$ with $f \approx 1$ (LSTM and GRU, lesson 05); leaky
# units and skip connections through time (lesson 05); clipping for the exploding side
# (above); shorter paths, as in recursive networks over balanced trees (lesson 04).
# Lesson 05 trains a plain RNN and an LSTM on a task that needs memory over a chosen lag.
#
# > **The notes say** (002:L2441–2453) that the gradient "becomes too small" or "grows
# > exponentially", without saying why, and number the two problems "1." and "1.".
# > **In fact** both come from the same product of $\tau - t$ Jacobians: its norm behaves
# > like $\lambda^{\tau-t}$ for the eigenvalues $\lambda$ of $W$ scaled by the slopes of
# > the activation (above), so vanishing and exploding are the two sides of one problem
# > (GBC §10.7); they are problems 1 and **2**.
#
# ## 7. Exercises
#
# **Exercise 1.** A scalar linear RNN $h^{(t)} = w\, h^{(t-1)} + x^{(t)}$ with $w = 0.8$.
# What is $\partial h^{(30)}/\partial h^{(0)}$?

# %%
dh30_dh0 = ...  # your answer
check(dh30_dh0, 0.8**30, hint="each step multiplies by w")

# %% tags=["solution"] jupyter={"source_hidden": true}
dh30_dh0 = 0.8**30
check(dh30_dh0, 0.8**30)
w = torch.tensor(0.8, dtype=torch.float64)
h_start = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
h_run = h_start
for t in range(30):
    h_run = w * h_run + 0.1
h_run.backward()
print("autograd agrees:", np.isclose(h_start.grad.item(), 0.8**30))

# %% [markdown]
# **Exercise 2.** Write `clip_norm(g, threshold)` for a list of gradient arrays (one per
# parameter): if the norm of all of them together, $\sqrt{\sum \|g_i\|^2}$, exceeds the
# threshold, scale every array by threshold / norm; return the list.

# %%
def clip_norm(grads, threshold):
    ...  # your code


def reference_clip(grads, threshold):
    norm = np.sqrt(sum((g**2).sum() for g in grads))
    factor = min(1.0, threshold / norm)
    return np.concatenate([(g * factor).ravel() for g in grads])


clip_inputs = [([np.array([3.0, 4.0]), np.array([[12.0]])], 1.0),
               ([np.array([0.1, 0.2])], 5.0)]
check_function(lambda g, v: np.concatenate([a.ravel() for a in clip_norm(g, v)]),
               reference_clip, clip_inputs, hint="one norm over all arrays, one factor for all")

# %% tags=["solution"] jupyter={"source_hidden": true}
def clip_norm(grads, threshold):
    norm = np.sqrt(sum((g**2).sum() for g in grads))
    if norm > threshold:
        return [g * threshold / norm for g in grads]
    return grads


check_function(lambda g, v: np.concatenate([a.ravel() for a in clip_norm(g, v)]),
               reference_clip, clip_inputs)

# %% [markdown]
# ## 8. Review questions (Part A)

# %%
quiz("In BPTT, why is the gradient of W a sum over time steps?",
     ["Because W is shared by every step, so each step contributes a term",
      "Because the loss is averaged", "It is not; only the last step counts"],
     answer=0, explanation="Shared parameters collect the gradient of every copy in the unfolded graph.")

# %%
quiz("W = 0.9 times an orthogonal matrix, linear units. Roughly how much of the gradient at step 100 reaches step 1?",
     ["0.9", "0.9 x 99 = 89", "0.9^99, about 3e-5"],
     answer=2, explanation="Each step back multiplies the norm by 0.9.")

# %%
quiz("What does gradient-norm clipping fix?",
     ["Vanishing gradients", "Exploding gradients: it bounds the step and keeps its direction",
      "Both"],
     answer=1, explanation="A vanished contribution stays small after rescaling (GBC §10.11).")

# %% [markdown]
# <details><summary><b>What is back-propagation through time?</b></summary>
# Back-propagation applied to the RNN's graph unfolded over the time steps: the forward pass
# runs the recurrence and stores every h(t); the backward pass goes from the last step to
# the first, with ∇h(t) L = Wᵀ diag(1 − h(t+1)²) ∇h(t+1) L + Vᵀ ∇o(t) L, and the gradient
# of each shared parameter is the sum of its contributions over the steps. Time and memory
# are O(τ) (GBC §10.2.2).
# </details>
#
# <details><summary><b>Why do RNN gradients vanish or explode?</b></summary>
# The gradient from step τ to step t is multiplied by τ − t Jacobians diag(g′) W. For a
# linear RNN this is W^(τ−t): components along eigenvectors with |λ| < 1 shrink like
# λ^(τ−t) and those with |λ| > 1 grow. Saturating activations (slopes < 1) push towards
# vanishing. So long-term interactions get exponentially small weight in the gradient
# (GBC §10.7).
# </details>
#
# <details><summary><b>What is gradient clipping?</b></summary>
# Before the update, if ‖g‖ exceeds a threshold v, replace g by g v / ‖g‖ (or clip each
# element). It prevents one huge step on a cliff of the loss surface; it does not help
# vanishing gradients (GBC §10.11.1).
# </details>
#
# ## Summary
# - BPTT is back-propagation on the unfolded graph; shared weights sum their gradients over
#   time. The hand-written version equals autograd to $10^{-10}$ in float64.
# - The gradient reaching step $t$ from step $\tau$ is a product of $\tau - t$ Jacobians: it
#   behaves like $\rho^{\tau - t}$, vanishing for $\rho < 1$ (or saturated tanh units) and
#   exploding for $\rho > 1$.
# - Clipping the gradient's norm bounds the step; it does not revive a vanished gradient.
# - $h^{(t)} = Q^\top \Lambda^t Q h^{(0)}$: this is why long-term dependencies are hard.
#
# **Next:** lesson 03 conditions an RNN on a context, reads sequences in both directions, and
# maps sequences to sequences.
