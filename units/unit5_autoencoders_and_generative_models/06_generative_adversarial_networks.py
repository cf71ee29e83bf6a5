# %% [markdown]
# # Generative adversarial networks (syllabus V.6)
#
# **What you will learn**
# - the two players of a GAN: a generator $G$ that turns noise $z \sim p_z$ into samples,
#   and a discriminator $D$ that tells real samples from generated ones; and the minimax
#   game they play (Goodfellow et al. 2014; GBC §20.10.4);
# - the optimal discriminator $D^* = p_\text{data}/(p_\text{data} + p_g)$, checked against a
#   trained network, and why the game makes $G$ minimise the Jensen–Shannon divergence;
# - why $G$ is trained with the *non-saturating* loss (its gradient does not vanish when $D$
#   rejects every fake);
# - the failure modes (mode collapse, oscillation, divergence) on a ring of 8 Gaussians, and
#   the training tricks that fight them, in a live demo;
# - a small GAN that learns to draw Fashion-MNIST trousers in a few seconds on a CPU.

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
    os.chdir("/content/ad3501/units/unit5_autoencoders_and_generative_models")

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.demos.gan import (demo, discriminator_loss, generator_loss, make_mlp, mode_centers,
                             modes_covered, optimal_discriminator, sample_real)
from utils.plotting import OKABE_ITO, set_style
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads(small=True)  # tiny models: one thread
set_seed(0)

# %% [markdown]
# ## 1. Two networks and a game
#
# A **generative model** learns to produce new samples that look as if they came from the
# training distribution $p_\text{data}$. A VAE (lesson 05) maximises a lower bound on
# the likelihood (the ELBO), not the likelihood itself; a GAN never writes down a
# likelihood at all. It trains two networks against each other:
#
# - the **generator** $G(z; \theta_g)$ maps a noise vector $z$, drawn from a fixed
#   **noise prior** $p_z$ (here $\mathcal N(0, I)$), to a sample $x = G(z)$. The
#   distribution of these samples is the **generator's distribution** $p_g$: it is $p_z$
#   pushed through $G$;
# - the **discriminator** $D(x; \theta_d)$ outputs the probability that $x$ came from the
#   data rather than from $G$. It is an ordinary binary classifier, real = 1, fake = 0.
#
# They play a two-player minimax game with value function
#
# $$\min_G \max_D V(D, G) = \mathbb E_{x \sim p_\text{data}}\big[\log D(x)\big]
#   + \mathbb E_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big].$$
#
# $D$ wants $D(x) \to 1$ on real points and $D(G(z)) \to 0$ on fakes (both logs up to 0);
# $G$ wants the opposite on its fakes. Goodfellow et al.'s analogy is a team of
# counterfeiters ($G$) and the police ($D$) (the notes use fake 100-rupee notes): each
# improves because the other does.
#
# > **The notes say** (002:L3855) "$p(z)$ = distribution of generator". **In fact**
# > $p_z$ is the distribution of the **noise** fed into the generator, fixed before
# > training (for example $\mathcal N(0, I)$); the generator's distribution is $p_g$, the
# > distribution of $G(z)$ for $z \sim p_z$, and it is what training changes.
# >
# > **The notes say** (L3827) "There is a Generator $G(x)$". **In fact** the generator's
# > input is the noise: $G(z)$. Only $D$ takes a data point $x$.
# >
# > **The notes say** (L3792) the generator loss "penalizes the Generator for failing to
# > do the discriminator". **In fact** it penalises $G$ for failing to **fool** the
# > discriminator. (L3801–3803 of the notes are an advertisement, not content.)
#
# Both players are small MLPs here; `make_mlp(n_in, n_out, hidden, layers)` from
# `utils/demos/gan.py` builds a ReLU MLP with a linear output. $D$ outputs a **logit**
# $a$ and $D(x) = \sigma(a)$.

# %%
set_seed(0)
noise_dim = 2
G = make_mlp(noise_dim, 2)  # z (N, 2) -> x (N, 2)
D = make_mlp(2, 1)  # x (N, 2) -> logit (N, 1)
z = torch.randn(256, noise_dim)  # z ~ p_z = N(0, I)
x_fake = G(z)  # (256, 2): samples of p_g
x_real = sample_real("ring8", 256)  # (256, 2): samples of p_data, a ring of 8 Gaussians
print("z:", tuple(z.shape), "-> G(z):", tuple(x_fake.shape), "-> D logits:", tuple(D(x_fake).shape))

# %% [markdown]
# **$D$'s half of the game is logistic regression.** With $D = \sigma(a)$, the batch
# estimate of $V$ is minus the sum of two binary cross-entropies: real points with label
# 1 and fakes with label 0. So "$D$ maximises $V$" means "$D$ minimises the usual BCE".

# %%
a_real, a_fake = D(x_real), D(x_fake)  # (256, 1) logits each
V = torch.log(torch.sigmoid(a_real)).mean() + torch.log(1 - torch.sigmoid(a_fake)).mean()
bce = (F.binary_cross_entropy_with_logits(a_real, torch.ones_like(a_real))
       + F.binary_cross_entropy_with_logits(a_fake, torch.zeros_like(a_fake)))
print("V(D, G) on this batch equals -(BCE on real + BCE on fake):",
      torch.isclose(V, -bce, atol=1e-6).item())

# %% [markdown]
# ## 2. The optimal discriminator
#
# Fix $G$. Writing both expectations as integrals over $x$,
#
# $$V(D, G) = \int \Big( p_\text{data}(x) \log D(x) + p_g(x) \log\big(1 - D(x)\big) \Big)\, dx ,$$
#
# and $D$ may choose $D(x)$ separately at every $x$. The function
# $y \mapsto a \log y + b \log(1 - y)$ (with $a, b > 0$) has derivative
# $a/y - b/(1-y)$, which is zero at $y = a/(a+b)$. Hence (GBC §20.10.4)
#
# $$D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)} .$$
#
# First the pointwise claim, by brute force on a fine grid of $y$:

# %%
a, b = 0.3, 0.1  # p_data(x) and p_g(x) at some point x
y = np.linspace(0.0005, 0.9995, 1999)
best_y = y[np.argmax(a * np.log(y) + b * np.log(1 - y))]
print(f"grid maximiser {best_y:.4f}, formula a/(a+b) = {a / (a + b):.4f}")

# %% [markdown]
# Now the real test: **train** a discriminator and compare it with the formula. In 1-D, let
# $p_\text{data} = \mathcal N(2, 0.5^2)$ and freeze a "generator" whose samples are
# $\mathcal N(0, 1)$. A small MLP trained with the BCE of section 1 on fresh samples
# should approach $D^*$ wherever there are samples to learn from.

# %%
def gaussian_pdf(x, mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


set_seed(0)
D_1d = make_mlp(1, 1)  # x (N, 1) -> logit (N, 1)
optimizer = torch.optim.Adam(D_1d.parameters(), lr=3e-3)
for step in range(1000):
    x_real_1d = 2 + 0.5 * torch.randn(256, 1)  # p_data = N(2, 0.5^2)
    x_fake_1d = torch.randn(256, 1)  # p_g = N(0, 1)
    loss = discriminator_loss("minimax", D_1d(x_real_1d), D_1d(x_fake_1d))  # the BCE above
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

x_grid = np.linspace(-1.5, 3.5, 201)
d_star = optimal_discriminator(gaussian_pdf(x_grid, 2, 0.5), gaussian_pdf(x_grid, 0, 1))
with torch.no_grad():
    logits = D_1d(torch.tensor(x_grid, dtype=torch.float32)[:, None])  # (201, 1)
    d_trained = torch.sigmoid(logits).numpy().ravel()  # (201,)

# %% tags=["nbval-ignore-output"]
error = np.abs(d_trained - d_star)
print(f"|D - D*| on [-1.5, 3.5]: mean {error.mean():.4f}, max {error.max():.4f}")

# %%
print("the trained D matches D* (mean error < 0.03, max < 0.15):",
      error.mean() < 0.03 and error.max() < 0.15)

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(x_grid, gaussian_pdf(x_grid, 2, 0.5), color=OKABE_ITO[2], alpha=0.5, label="$p_{data}$")
ax.plot(x_grid, gaussian_pdf(x_grid, 0, 1), color=OKABE_ITO[3], alpha=0.5, label="$p_g$")
ax.plot(x_grid, d_star, "k", lw=3, alpha=0.35, label="$D^*$ (formula)")
ax.plot(x_grid, d_trained, color=OKABE_ITO[0], ls="--", label="trained $D$")
ax.set(xlabel="x", title="A trained discriminator learns $p_{data}/(p_{data}+p_g)$")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# ## 3. What the generator then minimises: the Jensen–Shannon divergence
#
# Put $D^*$ back into $V$. With the mixture $m = \tfrac12(p_\text{data} + p_g)$,
# $D^* = p_\text{data}/(2m)$ and $1 - D^* = p_g/(2m)$, so
#
# $$C(G) = \max_D V(D, G) = \mathbb E_{p_\text{data}}\Big[\log \tfrac{p_\text{data}}{2m}\Big]
#   + \mathbb E_{p_g}\Big[\log \tfrac{p_g}{2m}\Big]
#   = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g),$$
#
# where $\mathrm{JSD}(p\|q) = \tfrac12 D_{KL}(p\|m) + \tfrac12 D_{KL}(q\|m)$ is the
# Jensen–Shannon divergence (GBC §20.10.4). JSD $\ge 0$ with equality only when
# $p_g = p_\text{data}$, so the global minimum of $C$ is $-\log 4$, reached when the
# generator reproduces the data and $D^* = \tfrac12$ everywhere (it cannot tell).
#
# Both sides by numerical integration, for the two Gaussians of section 2. Densities are
# handled as log-densities, so that no $\log 0$ ever occurs:

# %%
x_int = np.linspace(-12, 14, 26_001)


def log_gaussian(x, mu, sigma):
    return -0.5 * ((x - mu) / sigma) ** 2 - math.log(sigma * math.sqrt(2 * math.pi))


def game_value_and_jsd(mu_g, sigma_g, mu_data=2.0, sigma_data=0.5):
    """C(G) = V(D*, G) and JSD(p_data || p_g) for two 1-D Gaussians, by the trapezoid rule."""
    log_p, log_q = log_gaussian(x_int, mu_data, sigma_data), log_gaussian(x_int, mu_g, sigma_g)
    log_sum = np.logaddexp(log_p, log_q)  # log(p_data + p_g)
    p, q = np.exp(log_p), np.exp(log_q)
    value = np.trapezoid(p * (log_p - log_sum) + q * (log_q - log_sum), x_int)  # log D*, log(1-D*)
    log_m = log_sum - math.log(2)
    jsd = (0.5 * np.trapezoid(p * (log_p - log_m), x_int)  # KL(p_data || m) / 2
           + 0.5 * np.trapezoid(q * (log_q - log_m), x_int))  # KL(p_g || m) / 2
    return value, jsd


value, jsd = game_value_and_jsd(mu_g=0.0, sigma_g=1.0)
print(f"C(G) = {value:.5f};  -log 4 + 2 JSD = {-math.log(4) + 2 * jsd:.5f}")
value, jsd = game_value_and_jsd(mu_g=2.0, sigma_g=0.5)
print(f"p_g = p_data:  C(G) = {value:.5f}, JSD = {jsd:.5f}, -log 4 = {-math.log(4):.5f}")

# %% [markdown]
# Slide the generator's mean across the data. $C(G)$ has its minimum $-\log 4$ at
# $\mu_g = 2$; far away the supports barely overlap, JSD saturates at $\log 2$ and $C$ is
# **flat** at 0: moving $G$ a little changes nothing, so a perfect discriminator gives the
# generator no gradient to follow. This is why the original loss can stall, and what
# Wasserstein GANs (section 6) were designed to fix.

# %%
mus = np.linspace(-5, 9, 57)
values = [game_value_and_jsd(mu, 0.5)[0] for mu in mus]
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(mus, values, color=OKABE_ITO[0])
ax.axhline(-math.log(4), color="0.5", ls=":", label="$-\\log 4$")
ax.axhline(0, color="0.5", ls="--", label="0 (JSD = log 2)")
ax.set(xlabel="generator mean $\\mu_g$ (data: $\\mathcal{N}(2, 0.5^2)$)", ylabel="$C(G)$",
       title="The generator's objective under an optimal D")
ax.legend(fontsize=9)
plt.show()
print(f"minimum of C(G): {min(values):.4f} at mu_g = {mus[np.argmin(values)]:.2f}")
print("C(G) at mu_g = -5 is within 1e-4 of 0:", abs(values[0]) < 1e-4)

# %% [markdown]
# ## 4. Saturating and non-saturating generator losses
#
# In the game, $G$ minimises $\mathbb E_z \log(1 - D(G(z)))$: the **saturating** (minimax)
# loss. Early in training the fakes are poor and $D$ rejects them confidently,
# $D(G(z)) \approx 0$. With $D = \sigma(a)$,
#
# $$\frac{\partial}{\partial a} \log\big(1 - \sigma(a)\big) = -\sigma(a) = -D(G(z)) \approx 0:$$
#
# the generator gets almost no gradient exactly when it most needs one. Goodfellow et al.
# therefore train $G$ to maximise $\log D(G(z))$ instead, the **non-saturating** loss
#
# $$L_G = -\mathbb E_z \log D(G(z)), \qquad
#   \frac{\partial}{\partial a}\big(-\log \sigma(a)\big) = -(1 - \sigma(a)) \approx -1 .$$
#
# Both push $D(G(z))$ up and have the same fixed point; only the size of the push differs.
# Autograd confirms the formulas (`generator_loss` is in `utils/demos/gan.py`):

# %%
print(" D(G(z))   d/da saturating   d/da non-saturating")
for d_value in [0.001, 0.01, 0.1, 0.5, 0.9]:
    a = torch.tensor([[math.log(d_value / (1 - d_value))]], requires_grad=True)  # logit of D
    (grad_sat,) = torch.autograd.grad(generator_loss("minimax", a), a)
    (grad_ns,) = torch.autograd.grad(generator_loss("nonsaturating", a), a)
    print(f"{d_value:8.3f}   {grad_sat.item():15.4f}   {grad_ns.item():19.4f}")

# %%
a_values = torch.linspace(-8, 4, 300)[:, None]  # (300, 1) logits of D(G(z))
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(a_values, [generator_loss("minimax", a[None]).item() for a in a_values],
        color=OKABE_ITO[3], label="saturating: $\\log(1-\\sigma(a))$")
ax.plot(a_values, [generator_loss("nonsaturating", a[None]).item() for a in a_values],
        color=OKABE_ITO[0], label="non-saturating: $-\\log \\sigma(a)$")
ax.set(xlabel="logit $a$ of $D(G(z))$  (left: D rejects the fakes)", ylabel="generator loss",
       title="Where D rejects the fakes, the saturating loss is flat")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# ## 5. Training a GAN from scratch, and mode collapse
#
# Training alternates (Goodfellow et al. 2014, Algorithm 1; the notes' 004:L1119–1123):
#
# 1. $k_D$ times: take a batch of real points and a batch of fakes (with $G$ frozen: its
#    forward pass runs under `no_grad`) and take a step on $D$'s BCE;
# 2. $k_G$ times: take a batch of fakes and take a step on $G$'s non-saturating loss
#    (with $D$ frozen: only $G$'s optimizer steps; the gradients that reach $D$'s weights
#    are cleared by `zero_grad` before $D$'s next step).
#
# > **The notes say** (004:L1119) that while $D$ trains, "the training set for the
# > generator is turned as False". **In fact** freezing a network means that its
# > *parameters* are not updated (in Keras `trainable = False`; here: its optimizer does not
# > step); it still runs forward to produce the fakes.
#
# The losses use softplus: $-\log\sigma(a) = \operatorname{softplus}(-a)$ and
# $-\log(1-\sigma(a)) = \operatorname{softplus}(a)$, which never overflow. Adam with
# $\beta_1 = 0.5$ is the usual GAN choice (Radford et al. 2016).

# %%
def train_gan(distribution, num_iterations, d_steps=1, g_steps=1, lr=1e-3, batch_size=128,
              seed=0, snapshot_every=250):
    """A GAN on 2-D toy data; returns G and {iteration: G(z_fixed)} snapshots (512, 2)."""
    set_seed(seed)
    G, D = make_mlp(2, 2), make_mlp(2, 1)
    d_optimizer = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    g_optimizer = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    z_fixed = torch.randn(512, 2)
    snapshots = {}
    for iteration in range(1, num_iterations + 1):
        for _ in range(d_steps):
            x = sample_real(distribution, batch_size)  # (batch_size, 2)
            with torch.no_grad():
                x_fake = G(torch.randn(batch_size, 2))  # G frozen
            d_loss = F.softplus(-D(x)).mean() + F.softplus(D(x_fake)).mean()  # = -V on the batch
            d_optimizer.zero_grad()
            d_loss.backward()
            d_optimizer.step()
        for _ in range(g_steps):
            g_loss = F.softplus(-D(G(torch.randn(batch_size, 2)))).mean()  # -log D(G(z))
            g_optimizer.zero_grad()
            g_loss.backward()
            g_optimizer.step()
        if iteration % snapshot_every == 0:
            with torch.no_grad():
                snapshots[iteration] = G(z_fixed)
    return G, snapshots


# %% [markdown]
# The data is a ring of 8 Gaussians: 8 separate **modes**. A mode counts as *covered* when
# at least a quarter of its fair share (1/8 of the samples) lands within 3 standard
# deviations of its centre (`modes_covered`). We train twice for 1,000 iterations:
#
# - **D ahead**: $k_D = 2$ discriminator steps per generator step;
# - **G ahead**: $k_G = 3$ generator steps per discriminator step.

# %% tags=["nbval-ignore-output"]
_, snapshots_d_ahead = train_gan("ring8", 1000, d_steps=2, g_steps=1)
_, snapshots_g_ahead = train_gan("ring8", 1000, d_steps=1, g_steps=3)
for name, snapshots in [("D ahead", snapshots_d_ahead), ("G ahead", snapshots_g_ahead)]:
    print(f"{name}: modes covered at iterations 250, 500, 750, 1000:",
          [modes_covered(s, "ring8")[0] for s in snapshots.values()])

# %%
covered_d_ahead = modes_covered(snapshots_d_ahead[1000], "ring8")[0]
covered_g_ahead = modes_covered(snapshots_g_ahead[1000], "ring8")[0]
print("D ahead covers at least 5 of the 8 modes:", covered_d_ahead >= 5)
print("G ahead covers at most 2 of the 8 modes (mode collapse):", covered_g_ahead <= 2)

# %%
real = sample_real("ring8", 512, torch.Generator().manual_seed(1))
fig, axes = plt.subplots(2, 4, figsize=(11, 5.6), sharex=True, sharey=True)
for row, (name, snapshots) in zip(axes, [("D ahead ($k_D$=2)", snapshots_d_ahead),
                                          ("G ahead ($k_G$=3)", snapshots_g_ahead)]):
    for ax, (iteration, fake) in zip(row, snapshots.items()):
        ax.scatter(*real.T, s=3, color="black", alpha=0.4)
        ax.scatter(*fake.T, s=3, color=OKABE_ITO[3])
        ax.set_title(f"{name}, iteration {iteration}", fontsize=9)
        ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal")
fig.suptitle("Generated (orange) vs real (black) points on the ring of 8")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Mode collapse** (the "Helvetica scenario" of Goodfellow et al.): when $G$ is trained
# much more than $D$, it finds the one region that the *current* $D$ scores as most real
# and sends almost every $z$ there. $D$ then learns to reject that region, and $G$ moves
# on. What the run above shows (measured in the next cell): at every snapshot the "G
# ahead" samples form a narrow streak, far narrower than the ring, lying next to a single
# mode; that nearest mode changes from snapshot to snapshot; and the streak rarely sits
# *on* a mode (the modes-covered counts printed above are 0 or 1). The generated cloud
# oscillates around the ring as a narrow streak instead of spreading over it.

# %%
centres = mode_centers("ring8")  # (8, 2)
real_spread = real.std(0).norm().item()  # size of the real cloud (the ring)
nearest_modes, shares, spreads = [], [], []
for fake in snapshots_g_ahead.values():
    nearest = (fake[:, None, :] - centres[None]).norm(dim=2).argmin(1)  # (512,) mode index
    counts = torch.bincount(nearest, minlength=8)
    nearest_modes.append(int(counts.argmax()))
    shares.append(counts.max().item() / len(fake))
    spreads.append(fake.std(0).norm().item() / real_spread)

# %% tags=["nbval-ignore-output"]
print("G ahead, at iterations 250, 500, 750, 1000:")
print("  mode nearest to most samples:", nearest_modes)
print("  share of samples nearest to it:", [round(v, 2) for v in shares])
print("  spread of the samples / spread of the ring:", [round(v, 2) for v in spreads])

# %%
changes = sum(a != b for a, b in zip(nearest_modes, nearest_modes[1:]))
print("every snapshot: >= 80 % of the samples next to one mode:", min(shares) >= 0.8)
print("every snapshot: a narrow streak (spread < 0.35 of the ring's):", max(spreads) < 0.35)
print("the streak moves to another mode at least twice in 4 snapshots:", changes >= 2)

# %% [markdown]
# Nothing in the game's loss forbids this: a GAN is trained by simultaneous gradient steps
# on a game, which need not converge to the equilibrium that section 3 describes.
#
# ## 6. Failure modes and training tricks
#
# | problem | what you see | common remedies |
# |---|---|---|
# | vanishing generator gradient | $D$ wins, $G$ stops improving | non-saturating loss (section 4); a less confident $D$ (one-sided label smoothing: real label 0.9) |
# | mode collapse | samples cover few modes, look alike | keep $D$ ahead (more $D$ steps or a higher $D$ learning rate), minibatch discrimination, unrolled GANs, Wasserstein loss |
# | oscillation | losses and samples cycle, never settle | smaller learning rates, Adam with $\beta_1 = 0.5$, separate learning rates for $D$ and $G$ (TTUR) |
# | divergence | losses become NaN | lower learning rates; Adam instead of plain SGD |
# | disjoint supports | JSD stuck at $\log 2$ (section 3) | least squares (LSGAN), Wasserstein with weight clipping or gradient penalty (WGAN, WGAN-GP), hinge loss with spectral normalisation |
#
# The demo below has the losses of this table: minimax (saturating), non-saturating, least
# squares ($D$ regresses to 1 on real and 0 on fake points), hinge
# ($\max(0, 1 - a)$ on real and $\max(0, 1 + a)$ on fake points) and Wasserstein (a
# critic $f$ maximises $\mathbb E f(x) - \mathbb E f(G(z))$ with its weights clipped to
# $[-0.1, 0.1]$; the generator maximises $\mathbb E f(G(z))$).
#
# ## 7. Demo: a GAN you can steer
#
# The left panel is the plane: the heatmap is $D$'s output (green: "real", purple:
# "fake"), black dots are real samples, orange dots are generated samples and the blue
# arrows are $-\nabla_x$ of the generator's loss at generated points: the direction in
# which $G$'s next update pushes them (longer arrows are shortened to 0.6). On the right:
# the losses of $D$ and $G$ (dotted lines: their values at the equilibrium of section 3)
# and the kernel MMD² between real and generated samples (0 when the distributions
# match). Play runs *iters/frame* training iterations per frame; **Step D**, **Step G** and
# **Step D+G** make single updates so you can watch each player move.

# %%
demo()

# %% [markdown]
# **Try this**
# - Press Play with the defaults and watch the heatmap: $D$ turns purple wherever fakes
#   pile up and green where real points are not yet covered; the arrows point from purple
#   to green. How many iterations until all 8 modes are covered?
# - Set **G steps** to 3 and press Reset, then Play: mode collapse, as in section 5. Now
#   raise **D steps** to 3 as well. Does coverage come back?
# - Pick *minimax log loss (saturating)*, set the **D learning rate** to 1e-2, press Reset
#   and click **Step D** twenty times: $D$ now rejects the fakes and the arrows almost
#   vanish. Switch the loss to *non-saturating*: the same $D$ and the same points, but
#   long arrows (section 4 in pictures).
# - Set the **D learning rate** to 1e-5: $D$ hardly learns, the heatmap stays flat, and the
#   generator has nothing to follow.
# - Choose SGD for both players and a learning rate of 10: the run diverges and says so.
#   Reset it.
# - Set **noise dim** to 1 and tick *G manifold*: $G$ maps a line into the plane. How does
#   a single curve cover 8 separate modes?
# - Try *least squares*, *hinge* and *Wasserstein* on the two moons and on the grid of 25.

# %% [markdown]
# ## 8. A GAN on Fashion-MNIST
#
# The same recipe scales to images. We take the 28×28 **trousers** of the training set,
# scale the pixels to $[-1, 1]$ (so that a $\tanh$ output fits them) and train two MLPs:
# $G$: 32 → 128 → 256 → 784 and $D$: 784 → 128 → 1 with leaky ReLU (a common choice for
# discriminators: it passes a gradient for negative inputs too).

# %%
data = load_fashion_mnist()
trouser = data.classes.index("Trouser")
X = data.X_train[data.y_train == trouser].reshape(-1, 784) * 2 - 1  # (N, 784) in [-1, 1]
X_val = data.X_val[data.y_val == trouser].reshape(-1, 784) * 2 - 1  # held-out trousers
print("training trousers:", tuple(X.shape), "| held-out trousers:", tuple(X_val.shape))

# %%
set_seed(0)
latent_dim = 32
G_img = nn.Sequential(nn.Linear(latent_dim, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(),
                      nn.Linear(256, 784), nn.Tanh())
D_img = nn.Sequential(nn.Linear(784, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
z_fixed = torch.randn(500, latent_dim)  # the same noise before and after training


def show_samples(X_flat, title, n_rows=2, n_cols=8):
    """A grid of the first n_rows * n_cols rows of X_flat (N, 784), pixels in [-1, 1]."""
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * 0.9, n_rows * 0.95 + 0.3))
    images = X_flat[:n_rows * n_cols].detach().reshape(-1, 28, 28)  # (n, 28, 28)
    for ax, image in zip(axes.flat, images):
        ax.imshow(image, cmap="gray_r", vmin=-1, vmax=1)
        ax.axis("off")
    fig.suptitle(title, fontsize=11)
    plt.show()


show_samples(X, "real trousers")
show_samples(G_img(z_fixed), "G(z) before training (fixed noise)")

# %% tags=["nbval-ignore-output"]
d_optimizer = torch.optim.Adam(D_img.parameters(), lr=1e-3, betas=(0.5, 0.999))
g_optimizer = torch.optim.Adam(G_img.parameters(), lr=1e-3, betas=(0.5, 0.999))
batch_size, num_iterations = 64, 1000
with torch.no_grad():
    mean_gap_before = (G_img(z_fixed).mean(0) - X.mean(0)).norm().item()
d_losses, g_losses, d_batch_accuracy = [], [], []
for iteration in range(num_iterations):
    x = X[torch.randint(len(X), (batch_size,))]  # (64, 784) real
    with torch.no_grad():
        x_fake = G_img(torch.randn(batch_size, latent_dim))  # (64, 784) fake
    a_real, a_fake = D_img(x), D_img(x_fake)  # (64, 1) logits each
    d_loss = discriminator_loss("nonsaturating", a_real, a_fake)
    d_batch_accuracy.append(((a_real > 0).float().mean().item()
                             + (a_fake < 0).float().mean().item()) / 2)
    d_optimizer.zero_grad()
    d_loss.backward()
    d_optimizer.step()
    g_loss = generator_loss("nonsaturating", D_img(G_img(torch.randn(batch_size, latent_dim))))
    g_optimizer.zero_grad()
    g_loss.backward()
    g_optimizer.step()
    d_losses.append(d_loss.item())
    g_losses.append(g_loss.item())

with torch.no_grad():
    fake = G_img(z_fixed)  # (500, 784)
    mean_gap_after = (fake.mean(0) - X.mean(0)).norm().item()
    real_right = (D_img(X_val) > 0).float().mean().item()  # real called real
    fake_right = (D_img(fake) < 0).float().mean().item()  # fake called fake
    d_accuracy = (real_right + fake_right) / 2
print(f"distance between mean generated and mean real image: "
      f"{mean_gap_before:.2f} -> {mean_gap_after:.2f}")
print(f"D's accuracy on held-out real vs generated trousers: {d_accuracy:.3f}")
d_recent = float(np.mean(d_batch_accuracy[-300:]))  # D's accuracy on its last 300 batches
print(f"D's accuracy on its training batches, mean of the last 300 iterations: {d_recent:.3f}")
print(f"last losses: D {d_losses[-1]:.3f}, G {g_losses[-1]:.3f}")
print(f"{num_iterations} iterations of {batch_size} images = "
      f"{num_iterations * batch_size / len(X):.1f} epochs over the trousers")

# %% [markdown]
# The checks: the losses stayed finite and the generated images moved toward the real
# ones (the mean image at less than half its starting distance). $D$'s accuracy needs
# care. On a single snapshot (the held-out number printed above) it swings widely from
# update to update: this same run gives about 0.6 on some CPU kernels and above 0.8 on
# others, since a GAN amplifies rounding differences. Averaged over its last 300
# training batches it is steady: a little above $\tfrac12$ (printed above). So $D$
# keeps a small edge: the game is near balance, but not at the equilibrium of section 3
# (where $D = \tfrac12$ everywhere and its accuracy would be exactly $\tfrac12$), and $D$
# has not won outright (accuracy near 1, which would starve $G$ of gradient, section 4).

# %%
print("losses finite:", all(math.isfinite(v) for v in d_losses + g_losses))
print("mean-image distance more than halved:", mean_gap_after < 0.5 * mean_gap_before)
print("D keeps a small edge over its last 300 batches (mean accuracy 0.53 to 0.70):",
      0.53 < d_recent < 0.70)
print("the held-out snapshot is neither chance nor a D win (0.5 to 0.95):", 0.5 < d_accuracy < 0.95)

# %%
def smooth(values, width=25):
    return np.convolve(values, np.ones(width) / width, mode="valid")  # moving average


show_samples(fake, "G(z) after training (same noise)")
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(smooth(d_losses), color=OKABE_ITO[2], label="D loss")
ax.plot(smooth(g_losses), color=OKABE_ITO[3], label="G loss (non-saturating)")
ax.axhline(2 * math.log(2), color=OKABE_ITO[2], ls=":", lw=1)
ax.axhline(math.log(2), color=OKABE_ITO[3], ls=":", lw=1)
ax.set(xlabel="iteration", ylabel="loss (moving average of 25)",
       title="GAN losses do not fall like a classifier's (dotted: equilibrium values)")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# The samples look like trousers after a few seconds of training, but many look alike:
# a mild mode collapse, the same failure as on the ring. Convolutional GANs (DCGAN: strided
# convolutions in $D$, transposed convolutions and batch normalisation in $G$) and longer
# training give much better images.
#
# > **The notes say** (L3911 vs L3915) that the second picture shows the images "after
# > training on 1000 epoch", but the code loads `gan_images/10000.png`. **In fact** the two
# > disagree, and the notes never define their hyperparameters; the run above states every
# > setting and checks its result. (An *iteration* is one update of each network; an
# > *epoch* is one pass over the data. The training cell prints how many epochs its
# > iterations amount to.)
#
# **Where GANs are used** (004:L1131–1187): predicting the next video frame, text-to-image
# generation, image-to-image translation, super-resolution and interactive image editing.
# Their **challenges**: unstable training (section 6), mode collapse, and, for images,
# getting counts, perspective and global structure right.
#
# ## 9. Exercises
#
# **Exercise 1.** At $x = 1$, let $p_\text{data} = \mathcal N(2, 0.5^2)$ and
# $p_g = \mathcal N(0, 1)$ (section 2). Compute $D^*(1)$ with `gaussian_pdf`.

# %%
d_star_at_1 = ...  # your answer, a number
check(d_star_at_1, optimal_discriminator(gaussian_pdf(1, 2, 0.5), gaussian_pdf(1, 0, 1)),
      hint="D* = p_data / (p_data + p_g), both densities evaluated at x = 1")

# %% tags=["solution"] jupyter={"source_hidden": true}
p_data_1, p_g_1 = gaussian_pdf(1, 2, 0.5), gaussian_pdf(1, 0, 1)
d_star_at_1 = p_data_1 / (p_data_1 + p_g_1)
check(d_star_at_1, optimal_discriminator(gaussian_pdf(1, 2, 0.5), gaussian_pdf(1, 0, 1)))

# %% [markdown]
# **Exercise 2.** At the equilibrium $p_g = p_\text{data}$ the best discriminator outputs
# $\tfrac12$ everywhere. What is the value $V(D, G)$ of the game there? Compute it from the
# definition of $V$ (both expectations of a constant).

# %%
value_at_equilibrium = ...  # your answer, a number
check(value_at_equilibrium, -math.log(4), hint="log(1/2) + log(1 - 1/2)")

# %% tags=["solution"] jupyter={"source_hidden": true}
value_at_equilibrium = math.log(0.5) + math.log(1 - 0.5)
check(value_at_equilibrium, -math.log(4))

# %% [markdown]
# **Exercise 3.** Write the non-saturating generator loss $-\frac1N\sum_i \log
# \sigma(a_i)$ from the discriminator's logits $a$ (N, 1), stably: it must stay finite for
# $a = -1000$. (Use $-\log\sigma(a) = \operatorname{softplus}(-a)$, `F.softplus`.)

# %%
def non_saturating_loss(a_fake):
    ...  # your code: return a scalar tensor


test_logits = [(torch.tensor([[-1000.0], [0.0], [3.0]]),), (torch.randn(8, 1),)]
check_function(non_saturating_loss, lambda a: generator_loss("nonsaturating", a), test_logits,
               hint="F.softplus(-a_fake).mean()")

# %% tags=["solution"] jupyter={"source_hidden": true}
def non_saturating_loss(a_fake):
    return F.softplus(-a_fake).mean()


check_function(non_saturating_loss, lambda a: generator_loss("nonsaturating", a), test_logits)

# %% [markdown]
# **Exercise 4.** Use `game_value_and_jsd` (section 3) to compute $C(G)$ when the generator's
# samples are $\mathcal N(-10, 0.5^2)$, far from the data $\mathcal N(2, 0.5^2)$. What does
# the value tell you about the gradient the generator gets?

# %%
c_far = ...  # your answer: game_value_and_jsd(...)[0]
check(c_far, 0.0, atol=1e-3,
      hint="JSD of (almost) disjoint distributions is log 2, so C = -log 4 + 2 log 2")

# %% tags=["solution"] jupyter={"source_hidden": true}
c_far = game_value_and_jsd(mu_g=-10.0, sigma_g=0.5)[0]
check(c_far, 0.0, atol=1e-3)
# C(G) is 0 = -log 4 + 2 log 2 and stays 0 as mu_g moves: flat, so no gradient for G.

# %% [markdown]
# ## 10. Review questions (Part A)

# %%
quiz("In V(D, G) = E log D(x) + E log(1 - D(G(z))), what is p_z?",
     ["The distribution of the generator's outputs", "A fixed noise prior, such as N(0, I)",
      "The data distribution"],
     answer=1, explanation="z ~ p_z is the generator's input noise; the generator's "
     "distribution is p_g, the distribution of G(z).")

# %%
quiz("The generator has learned the data exactly (p_g = p_data). What does the optimal "
     "discriminator output?",
     ["1 everywhere", "0 everywhere", "1/2 everywhere"],
     answer=2, explanation="D* = p_data / (p_data + p_g) = 1/2; the game's value is -log 4.")

# %%
quiz("Why is G usually trained to minimise -log D(G(z)) rather than log(1 - D(G(z)))?",
     ["It has a different optimum", "Its gradient does not vanish when D rejects the fakes",
      "It makes D train faster"],
     answer=1, explanation="d/da log(1 - sigmoid(a)) = -D(G(z)), about 0 early in training; "
     "d/da (-log sigmoid(a)) = -(1 - D(G(z))), about -1.")

# %% [markdown]
# <details><summary><b>Write the GAN minimax objective and explain the roles of G and D.
# (Unit V, Q10)</b></summary>
# min_G max_D V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 − D(G(z)))]. The
# discriminator D is a binary classifier that outputs the probability that its input is
# real; it maximises V, i.e. labels real data 1 and generated data 0. The generator G maps
# noise z from the prior p_z to samples; it minimises V, i.e. tries to make D label its
# samples real. In practice G minimises −log D(G(z)) (non-saturating loss).
# </details>
#
# <details><summary><b>What is the optimal discriminator, and what does G then
# minimise?</b></summary>
# For a fixed G, D*(x) = p_data(x) / (p_data(x) + p_g(x)). Substituting it gives
# C(G) = −log 4 + 2·JSD(p_data ‖ p_g), minimised (value −log 4) exactly when p_g = p_data.
# </details>
#
# <details><summary><b>What is mode collapse?</b></summary>
# The generator maps most noise vectors to a few outputs (few modes of the data), so its
# samples lack diversity; often it hops from mode to mode as D adapts. Remedies: keep D
# ahead of G, minibatch discrimination, Wasserstein or least-squares losses.
# </details>
#
# <details><summary><b>Name two challenges and two applications of GANs.</b></summary>
# Challenges: unstable training (oscillation, divergence), mode collapse, vanishing
# generator gradients when D is too good. Applications: image-to-image translation,
# super-resolution, text-to-image generation, predicting the next video frame.
# </details>
#
# ## Summary
# - A GAN trains a generator $G(z)$, $z \sim p_z$ (the noise prior), against a
#   discriminator $D(x)$ in the game $\min_G\max_D \mathbb E\log D(x) + \mathbb E
#   \log(1 - D(G(z)))$; $D$'s side is ordinary BCE classification.
# - For a fixed $G$ the best $D$ is $p_\text{data}/(p_\text{data}+p_g)$ (a trained $D$ matched
#   it above); against it, $G$ minimises $-\log 4 + 2\,\mathrm{JSD}(p_\text{data}\|p_g)$.
# - The saturating loss $\log(1 - D(G(z)))$ gives no gradient when $D$ wins; the
#   non-saturating $-\log D(G(z))$ does.
# - Training is a game, not a descent: watch for mode collapse, oscillation and
#   divergence, and balance the players (steps, learning rates, losses).
# - Even small MLPs learn recognisable Fashion-MNIST trousers in seconds.
#
# **Next:** the unit's README links the other generative model, the VAE (lesson 05), for
# comparison: an explicit likelihood bound versus an adversarial game.
