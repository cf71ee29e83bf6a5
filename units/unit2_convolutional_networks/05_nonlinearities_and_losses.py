# %% [markdown]
# # CNN learning: non-linearities and loss functions (syllabus II.9, II.10)
#
# **What you will learn**
# - what a network **without** non-linearities collapses to, shown on its weights and on a
#   fit;
# - ReLU, leaky ReLU, PReLU, ELU, SELU, tanh, sigmoid and softmax, with their derivatives
#   computed by autograd, and which of them have parameters (SELU's constants are fixed);
# - MSE, MAE, Huber, binary and categorical cross-entropy from scratch, checked against
#   `torch.nn`; loss (one example) versus cost (the average);
# - why MAE and Huber shrug off an outlier that drags the MSE fit;
# - why cross-entropy, not MSE, goes with a sigmoid output: the saturated gradient.

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
import torch
import torch.nn.functional as F
from torch import nn
import matplotlib.pyplot as plt
from scipy.optimize import minimize

from utils.checks import check, check_function, quiz
from utils.demos import losses as loss_demo
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. Without non-linearities a deep network is one linear map
#
# Three `nn.Linear` layers without activations compute
# $W_3(W_2(W_1x + b_1) + b_2) + b_3 = Wx + b$ with $W = W_3W_2W_1$: an affine map, no
# more expressive than a single layer, however deep (GBC §6.1).

# %%
linear_stack = nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 8), nn.Linear(8, 3))
W1, W2, W3 = (layer.weight for layer in linear_stack)
b1, b2, b3 = (layer.bias for layer in linear_stack)
W = W3 @ W2 @ W1  # (3, 4)
b = W3 @ (W2 @ b1 + b2) + b3  # (3,)
X = torch.randn(100, 4)
print("three layers == one layer x W^T + b:",
      torch.allclose(linear_stack(X), X @ W.T + b, atol=1e-5))

# %% [markdown]
# The same on a fit: a 1-16-16-1 network trained on $y = |x|$. Without activations the
# best it can do is the least-squares **line**; with ReLU it bends.

# %%
x_fit = torch.linspace(-2, 2, 200).reshape(-1, 1)  # (200, 1)
y_fit = x_fit.abs()


def fit_curve(activation, steps=300):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(1, 16), activation, nn.Linear(16, 16), activation,
                        nn.Linear(16, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.02)
    for _ in range(steps):
        loss = F.mse_loss(net(x_fit), y_fit)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return net, loss.item()


net_identity, mse_identity = fit_curve(nn.Identity())
net_relu, mse_relu = fit_curve(nn.ReLU())
A = torch.cat([x_fit, torch.ones_like(x_fit)], dim=1)  # (200, 2): the least-squares line
line = A @ torch.linalg.lstsq(A, y_fit).solution
mse_line = F.mse_loss(line, y_fit).item()
print(f"MSE: no activation {mse_identity:.4f} | best straight line {mse_line:.4f} | ReLU {mse_relu:.4f}")

# %%
print("without activations the fit is no better than the line:", mse_identity > mse_line - 1e-3)
print("ReLU fits at least 10 times better:", mse_relu < mse_line / 10)

# %%
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(x_fit, y_fit, "k", lw=3, alpha=0.3, label="y = |x|")
with torch.no_grad():
    ax.plot(x_fit, net_identity(x_fit), label="3 linear layers, no activation")
    ax.plot(x_fit, net_relu(x_fit), label="with ReLU")
ax.legend(fontsize=9)
ax.set(xlabel="x", title="A network without non-linearities is a line")
plt.show()

# %% [markdown]
# > **The notes say** (002:L2200, L511) that without activation functions the network
# > "is just a linear regression model". **In fact** it is one affine map $Wx + b$: a
# > linear regression when trained with MSE, a logistic or softmax regression when its
# > output goes through a sigmoid or softmax (lesson I.07).
#
# ## 2. The activation functions and their derivatives
#
# | name | $f(x)$ | parameters |
# | --- | --- | --- |
# | ReLU | $\max(0, x)$ | none |
# | leaky ReLU | $x$ if $x > 0$, else $\alpha x$ (torch: $\alpha = 0.01$) | none ($\alpha$ fixed) |
# | PReLU | as leaky ReLU, $\alpha$ **learned** (He et al. 2015) | 1 (or one per channel) |
# | ELU | $x$ if $x > 0$, else $\alpha(e^x - 1)$ | none ($\alpha = 1$) |
# | SELU | $\lambda x$ if $x > 0$, else $\lambda\alpha(e^x - 1)$ | none: $\lambda \approx 1.0507$, $\alpha \approx 1.6733$ fixed |
# | tanh | $\tanh x$, $\tanh' = 1 - \tanh^2$ | none |
# | sigmoid | $\sigma(x) = 1/(1 + e^{-x})$, $\sigma' = \sigma(1 - \sigma) \le \frac14$ | none |
#
# We compute every derivative with autograd: `backward()` on the sum of $f$ over a grid of
# $x$ gives $f'(x)$ at each grid point (each output depends only on its own input).

# %%
activations = {"ReLU": nn.ReLU(), "leaky ReLU": nn.LeakyReLU(0.01), "PReLU": nn.PReLU(),
               "ELU": nn.ELU(), "SELU": nn.SELU(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid()}
x_grid = torch.linspace(-4, 4, 801)
x_grid[400] = 0.0  # exactly 0 (linspace leaves a rounding error there)
values, slopes = {}, {}
for name, f in activations.items():
    x = x_grid.clone().requires_grad_()
    y = f(x)
    y.sum().backward()
    values[name], slopes[name] = y.detach(), x.grad
    n_params = sum(p.numel() for p in f.parameters())
    print(f"{name:10s} parameters: {n_params} | f'(-3) = {x.grad[100]:.4f}, f'(0) = {x.grad[400]:.4f}, "
          f"f'(3) = {x.grad[700]:.4f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for name in activations:
    axes[0].plot(x_grid, values[name], label=name)
    axes[1].plot(x_grid, slopes[name], label=name)
axes[0].set(title="f(x)", xlabel="x", ylim=(-2, 4))
axes[1].set(title="f'(x) by autograd", xlabel="x")
axes[0].legend(fontsize=8, ncol=2)
plt.show()

# %% [markdown]
# Checks of the formulas in the table, and of what torch does at the kink of ReLU:

# %%
s = values["sigmoid"]
print("sigmoid' == s(1 - s):", torch.allclose(slopes["sigmoid"], s * (1 - s), atol=1e-6),
      "| max sigmoid' =", round(slopes["sigmoid"].max().item(), 4))
print("tanh' == 1 - tanh^2:", torch.allclose(slopes["tanh"], 1 - values["tanh"] ** 2, atol=1e-6))
print("SELU: slope for x > 0 (lambda) =", round(slopes["SELU"][700].item(), 4),
      "| limit for x -> -inf (-lambda*alpha) =", round(F.selu(torch.tensor(-50.0)).item(), 4))
print("ReLU'(0) as torch defines it:", slopes["ReLU"][400].item())

# %% [markdown]
# ReLU has no derivative at 0 (the left slope is 0, the right slope 1); autograd uses 0
# there, a valid *subgradient*, and since an input is exactly 0 almost never this choice
# does not matter (GBC §6.3.1). ReLU is non-linear because of that kink: it is piecewise
# linear, so $f(a + b) \ne f(a) + f(b)$ in general, e.g. $f(1) + f(-1) = 1 \ne f(0) = 0$.
#
# **SELU's constants** are chosen so that, with weights drawn from $N(0, 1/n)$, activations
# keep mean 0 and variance 1 through many layers ("self-normalising", Klambauer et al.
# 2017). Nothing is learned; we check the effect on 20 layers of width 256:

# %%
torch.manual_seed(0)
h = torch.randn(2000, 256)
for layer in range(20):
    weight = torch.randn(256, 256) / 256 ** 0.5  # N(0, 1/n), LeCun normal
    h = F.selu(h @ weight.T)
print(f"after 20 SELU layers: mean {h.mean():.2f}, variance {h.var():.2f}")
print("mean within 0.1 of 0 and variance within 0.2 of 1:",
      abs(h.mean().item()) < 0.1 and abs(h.var().item() - 1) < 0.2)

# %% [markdown]
# > **The notes say** (002:L2210) SELU "automatically adjust[s] its parameters".
# > **In fact** SELU has no parameters: $\lambda \approx 1.0507$ and $\alpha \approx 1.6733$
# > are fixed constants (printed above), and `nn.SELU()` has 0 parameters. The function
# > with a *learned* slope is PReLU (1 parameter above).
# >
# > **The notes say** (L2235) ReLU is non-linear "because the slope is always either 0 or
# > 1". **In fact** a function whose slope is one constant is linear; ReLU is non-linear
# > because its slope *changes* (from 0 to 1) at the kink.
#
# ### Softmax
#
# The output layer of a classifier turns $K$ scores (logits) $z$ into probabilities,
# $\mathrm{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$. Adding a constant to every $z_k$
# changes nothing, which makes a stable implementation possible: subtract $\max z$ first.

# %%
def softmax(z):
    e = torch.exp(z - z.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)


z = torch.tensor([[2.0, 1.0, 0.1], [1000.0, 1001.0, 1002.0]])
print("from scratch:", [[round(v, 4) for v in row] for row in softmax(z).tolist()])
print("== torch.softmax:", torch.allclose(softmax(z), torch.softmax(z, dim=1)))
print("naive exp(1000) overflows:", torch.exp(z[1]).isinf().any().item(), "| rows sum to 1:",
      torch.allclose(softmax(z).sum(1), torch.ones(2)))

# %% [markdown]
# ## 3. Loss functions
#
# A **loss** $L(y, \hat y)$ measures the error on one example; the **cost** $J$ is its
# average over the data set (002 Q21). For regression (residual $r = y - \hat y$):
#
# - MSE $= \frac1N \sum_i (y_i - \hat y_i)^2$, MAE $= \frac1N \sum_i |y_i - \hat y_i|$;
# - Huber: $L_\delta(r) = \frac12 r^2$ if $|r| \le \delta$, else $\delta(|r| - \frac12\delta)$:
#   quadratic near 0, linear (like MAE) for large errors.
#
# For classification with predicted probabilities: binary cross-entropy
# $-[y \log p + (1 - y)\log(1 - p)]$ and categorical cross-entropy $-\sum_k y_k \log p_k$
# (with a one-hot $y$: $-\log p_{\text{true class}}$). From scratch against `torch.nn`:

# %%
def huber(r, delta=1.0):
    return torch.where(r.abs() <= delta, 0.5 * r**2, delta * (r.abs() - 0.5 * delta))


y = torch.tensor([1.0, 2.0, 3.0, 10.0])
y_hat = torch.tensor([1.5, 1.0, 3.2, 4.0])
r = y - y_hat
print("MSE   scratch", round((r**2).mean().item(), 4), "| nn.MSELoss  ", round(nn.MSELoss()(y_hat, y).item(), 4))
print("MAE   scratch", round(r.abs().mean().item(), 4), "| nn.L1Loss   ", round(nn.L1Loss()(y_hat, y).item(), 4))
print("Huber scratch", round(huber(r).mean().item(), 4), "| nn.HuberLoss", round(nn.HuberLoss(delta=1.0)(y_hat, y).item(), 4))
print("loss per example (reduction='none'):",
      [round(v, 4) for v in nn.MSELoss(reduction="none")(y_hat, y).tolist()],
      "-> cost = their mean")

# %%
p = torch.tensor([0.9, 0.2, 0.6])
t = torch.tensor([1.0, 0.0, 1.0])
bce = -(t * p.log() + (1 - t) * (1 - p).log()).mean()
print("BCE scratch", round(bce.item(), 4), "| nn.BCELoss", round(nn.BCELoss()(p, t).item(), 4))
logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
labels = torch.tensor([0, 1])
cce = -torch.log(softmax(logits)[torch.arange(2), labels]).mean()
print("CCE scratch", round(cce.item(), 4), "| nn.CrossEntropyLoss (takes logits)",
      round(nn.CrossEntropyLoss()(logits, labels).item(), 4))

# %% [markdown]
# > **The notes say** (002:L469, L2250) "Hubber loss" and (L495)
# > $\mathrm{MAE} = \frac1N\sum|y_i - \hat y|$. **In fact** it is the **Huber** loss (Huber
# > 1964), and the MAE subtracts each example's own prediction, $|y_i - \hat y_i|$.
# >
# > **The notes' definition** (L2239, "In mathematical optimization and or values of one
# > or more variables onto a real number…") is a truncated sentence. **In full:** a loss
# > function maps the values of one or more variables (here a prediction and its target)
# > onto a real number that represents the cost of the error; training minimises its
# > average, the cost.
#
# ### An outlier: MSE against MAE and Huber
#
# Twenty points on the line $y = 2x + 1$ with a little noise, and one point whose $y$ we
# move upwards. We fit a line with each loss (minimised with scipy's Nelder–Mead; two
# parameters) and watch the slope.

# %%
rng = np.random.default_rng(0)
x_line = np.linspace(0, 1, 21)
y_clean = 2 * x_line + 1 + 0.05 * rng.standard_normal(21)
losses = {"MSE": lambda r: r**2, "MAE": np.abs,
          "Huber (δ=0.1)": lambda r: np.where(np.abs(r) <= 0.1, 0.5 * r**2, 0.1 * (np.abs(r) - 0.05))}


def fit_line(y, loss):
    cost = lambda theta: loss(y - (theta[0] * x_line + theta[1])).mean()
    return minimize(cost, x0=[0.0, 0.0], method="Nelder-Mead",
                    options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 4000}).x


outlier_heights = [0, 5, 10, 20]
slopes_by_loss = {name: [] for name in losses}
for height in outlier_heights:
    y_out = y_clean.copy()
    y_out[-1] += height  # the point at x = 1
    for name, loss in losses.items():
        slopes_by_loss[name].append(float(fit_line(y_out, loss)[0]))
for name, values_ in slopes_by_loss.items():
    print(f"{name:14s} slope for outlier +0, +5, +10, +20:", [round(v, 2) for v in values_])

# %%
mse_move = slopes_by_loss["MSE"][-1] - slopes_by_loss["MSE"][0]
mae_move = slopes_by_loss["MAE"][-1] - slopes_by_loss["MAE"][0]
huber_move = slopes_by_loss["Huber (δ=0.1)"][-1] - slopes_by_loss["Huber (δ=0.1)"][0]
print("MSE's slope moves by more than 5:", mse_move > 5)
print("MAE's and Huber's slopes move by less than 0.5:", abs(mae_move) < 0.5 and abs(huber_move) < 0.5)

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
y_out = y_clean.copy()
y_out[-1] += 10
ax.plot(x_line, y_out, "ko", ms=4, label="data (outlier +10 at x = 1)")
for name, loss in losses.items():
    slope, intercept = fit_line(y_out, loss)
    ax.plot(x_line, slope * x_line + intercept, label=f"{name}: slope {slope:.2f}")
ax.set(xlabel="x", ylabel="y", ylim=(0, 6), title="One outlier pulls the MSE fit")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# The MSE's gradient grows with the residual ($\partial r^2/\partial r = 2r$), so one
# far-away point dominates; the MAE's and Huber's gradients are bounded by 1 and $\delta$.
#
# **Demo.** Move the outlier (up or down), choose which point it is and Huber's $\delta$:
# the right panel shows each loss $\rho(r)$ and, as a dot, the outlier's residual under
# each fit. The demo fits the lines exactly (MSE: least squares; MAE: the best line
# through two data points; Huber: iteratively reweighted least squares) instead of with
# Nelder–Mead.

# %%
loss_demo.demo()

# %% [markdown]
# Its model function on the setting of the plot above (outlier +10 at $x = 1$) gives the
# same slopes as the Nelder–Mead fits:

# %%
demo_fit = loss_demo.fits(loss_demo.LossSettings(outlier=10.0, delta=0.1, position=20))
print(demo_fit.message)
nelder_mead = {"MSE": slopes_by_loss["MSE"][2], "MAE": slopes_by_loss["MAE"][2],
               "Huber": slopes_by_loss["Huber (δ=0.1)"][2]}  # outlier +10
print("same slopes as Nelder-Mead to 1e-3:",
      all(abs(demo_fit.lines[name][0] - nelder_mead[name]) < 1e-3 for name in nelder_mead))
#
# ### The saturated gradient of MSE on a sigmoid output
#
# A binary classifier outputs $p = \sigma(z)$. With target $y = 1$ and a confidently wrong
# logit ($z \ll 0$):
#
# - MSE: $\frac{\partial}{\partial z}\frac12(p - y)^2 = (p - y)\,\sigma'(z) = (p - y)p(1 - p)$,
#   which goes to **0** as $p \to 0$: the more wrong, the weaker the signal;
# - cross-entropy: $\frac{\partial}{\partial z}[-\log p] = p - y$, which goes to $-1$: the
#   log undoes the exponential of the sigmoid (GBC §6.2.2.2).

# %%
z = torch.linspace(-8, 8, 161, requires_grad=True)
p = torch.sigmoid(z)
mse = 0.5 * (p - 1) ** 2
bce_z = F.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction="none")
mse_grad, = torch.autograd.grad(mse.sum(), z, retain_graph=True)
bce_grad, = torch.autograd.grad(bce_z.sum(), z)
at = 20  # z = -6
print(f"z = {z[at].item():.0f}: p = {p[at].item():.4f}; dMSE/dz = {mse_grad[at].item():.5f}, "
      f"dBCE/dz = {bce_grad[at].item():.4f}")
print("BCE's gradient is over 100 times MSE's when confidently wrong:",
      abs(bce_grad[at].item()) > 100 * abs(mse_grad[at].item()))

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
axes[0].plot(z.detach(), mse.detach(), label="MSE on σ(z)")
axes[0].plot(z.detach(), bce_z.detach(), label="cross-entropy")
axes[1].plot(z.detach(), mse_grad, label="dMSE/dz")
axes[1].plot(z.detach(), bce_grad, label="dBCE/dz")
axes[0].set(title="loss for target y = 1", xlabel="logit z")
axes[1].set(title="gradient", xlabel="logit z")
for ax in axes:
    ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# ## 4. Exercises
#
# **Exercise 1.** Write `huber_loss(y_hat, y, delta)`: the mean Huber loss of tensors.

# %%
def huber_loss(y_hat, y, delta):
    ...  # your code: return a 0-d tensor


def huber_reference(y_hat, y, delta):
    return nn.HuberLoss(delta=delta)(y_hat, y)


huber_inputs = [(torch.tensor([0.0, 2.0, -3.0]), torch.tensor([0.5, 0.0, 1.0]), 1.0),
                (torch.randn(20), torch.randn(20), 0.3), (torch.randn(5), torch.randn(5), 5.0)]
check_function(huber_loss, huber_reference, huber_inputs,
               hint="r = y - y_hat; 0.5 r² where |r| <= delta, else delta (|r| - delta/2); then the mean")

# %% tags=["solution"] jupyter={"source_hidden": true}
def huber_loss(y_hat, y, delta):
    r = (y - y_hat).abs()
    return torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)).mean()


check_function(huber_loss, huber_reference, huber_inputs)

# %% [markdown]
# **Exercise 2.** At which $x$ is the sigmoid's derivative largest, and what is its value
# there? Give `(x, value)`.

# %%
answer = ...  # your answer: a tuple (x, value)
check(answer, (x_grid[slopes["sigmoid"].argmax()].item(), slopes["sigmoid"].max().item()),
      hint="σ' = σ(1 − σ) is largest where σ = 1/2")

# %% tags=["solution"] jupyter={"source_hidden": true}
answer = (0.0, 0.25)
check(answer, (x_grid[slopes["sigmoid"].argmax()].item(), slopes["sigmoid"].max().item()))

# %% [markdown]
# ## 5. Review questions (Part A)

# %%
quiz("Which activation has a learned parameter?",
     ["SELU", "PReLU", "ELU", "leaky ReLU"],
     answer=1, explanation="PReLU learns the negative slope; SELU's λ and α are fixed constants.")

# %%
quiz("A regression target has a few gross outliers. Which loss is least affected?",
     ["MSE", "MAE", "binary cross-entropy"],
     answer=1, explanation="Its gradient has size 1 for any residual; MSE's grows with the residual.")

# %%
quiz("Loss versus cost:",
     ["They are synonyms", "Loss: error on one example; cost: the average over the data set",
      "Loss is for regression, cost for classification"],
     answer=1, explanation="J(θ) = (1/N) Σ L(y_i, ŷ_i).")

# %% [markdown]
# <details><summary><b>What is a non-linearity, and why is it needed between layers? (Q17, Q26)</b></summary>
# A function applied element-wise to a layer's outputs that is not linear (ReLU, tanh,
# sigmoid, ...). Without it, stacked layers multiply to one matrix: the network stays an
# affine map whatever its depth (section 1). With it, the network can approximate any
# continuous function (universal approximation).
# </details>
#
# <details><summary><b>Linear versus non-linear activation functions. (Q18)</b></summary>
# A linear activation $f(x) = ax$ keeps the network affine and its derivative constant; a
# non-linear one (ReLU, tanh, sigmoid, ELU) lets the network bend its decision boundaries.
# Their derivatives differ: ReLU's is 0 or 1, sigmoid's at most 1/4, tanh's at most 1.
# </details>
#
# <details><summary><b>Name the common non-linearities. (Q25)</b></summary>
# ReLU, leaky ReLU, PReLU, ELU, SELU, tanh, sigmoid, and softmax for the output of a
# classifier (see the table in section 2).
# </details>
#
# <details><summary><b>What is a loss function in a CNN? Give two. (Q19, Q20)</b></summary>
# A function that measures how far the prediction is from the target; training minimises
# its average (the cost). Classification: categorical cross-entropy $-\log p_{\text{true}}$
# on a softmax output; binary cross-entropy on a sigmoid. Regression: MSE, MAE, Huber.
# </details>
#
# <details><summary><b>What is the mean absolute error? (Q23)</b></summary>
# $\mathrm{MAE} = \frac1N\sum_i |y_i - \hat y_i|$: the average absolute residual, robust to
# outliers (section 3), with a gradient of constant size.
# </details>
#
# ## Summary
# - No activation: the whole network is one affine map (checked on weights and on a fit).
# - Derivatives by autograd: $\sigma' \le \frac14$, $\tanh' = 1 - \tanh^2$, ReLU' $\in
#   \{0, 1\}$ (0 at the kink in torch). SELU's $\lambda, \alpha$ are fixed; PReLU learns $\alpha$.
# - MSE is pulled by outliers; MAE and Huber are not. With a sigmoid output use
#   cross-entropy: MSE's gradient vanishes when the model is confidently wrong.
#
# **Next:** regularisation and optimisers on a small CNN (lesson 06).
