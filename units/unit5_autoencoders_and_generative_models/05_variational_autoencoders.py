# %% [markdown]
# # Variational autoencoders (syllabus V.5, with the link to V.6)
#
# **What you will learn**
# - the VAE as a latent-variable model $p(x) = \int p(x \mid z)\,p(z)\,dz$ with an encoder
#   $q(z \mid x)$ that approximates the posterior (GBC §20.10.3);
# - the **evidence lower bound** (ELBO), derived, and each of its terms computed, on a toy
#   model where $\log p(x)$ is known exactly;
# - the closed-form KL divergence between Gaussians, checked against a Monte-Carlo
#   estimate; and the **reparameterisation trick** that lets gradients reach $\mu$ and $\sigma$;
# - a VAE on Fashion-MNIST: the notes' sampler-only code given its loss and training, and a
#   **latent explorer** (grid of decodings, a movable point, interpolation, β runs);
# - VAE and GAN samples side by side on the same data, with one measured comparison.

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
from torch.distributions import Normal

from utils.autoencoders import (VAE, elbo_terms, frechet_distance, gaussian_kl, pca_fit,
                                train_mlp_gan, train_vae, vae_terms)
from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.demos import latent_explorer
from utils.plotting import set_style
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. From an autoencoder to a generative model
#
# A VAE is a **latent-variable model**: draw a code $z$ from a fixed prior
# $p(z) = \mathcal N(0, I)$, then an image from the decoder $p_\theta(x \mid z)$ (lesson 03;
# here independent Bernoullis with probabilities $\sigma(g_\theta(z))$). Its likelihood
# $p_\theta(x) = \int p_\theta(x\mid z)\,p(z)\,dz$ is an integral over all codes that no one can
# compute for a neural decoder. The posterior $p_\theta(z \mid x)$ is just as intractable.
# The VAE therefore learns an **encoder** $q_\phi(z \mid x) = \mathcal N\big(\mu_\phi(x),
# \operatorname{diag}\sigma^2_\phi(x)\big)$ that approximates the posterior, and trains both
# networks on a bound on $\log p_\theta(x)$.
#
# **The ELBO** (GBC §20.10.3, §19.1). For any $q$, since $p(x) = p(x,z)/p(z\mid x)$,
#
# $$\log p(x) = \mathbb E_{z\sim q}\Big[\log\frac{p(x\mid z)\,p(z)}{q(z\mid x)}\Big]
#   + \mathbb E_{z\sim q}\Big[\log\frac{q(z\mid x)}{p(z\mid x)}\Big]
#   = \mathcal L(q) + D_{KL}\big(q(z\mid x)\,\Vert\,p(z\mid x)\big),$$
#
# and the second term is $\ge 0$, so
#
# $$\mathcal L(q) = \underbrace{\mathbb E_{z\sim q(z\mid x)}\big[\log p(x\mid z)\big]}_{\text{reconstruction}}
#   - \underbrace{D_{KL}\big(q(z\mid x)\,\Vert\,p(z)\big)}_{\text{regulariser}} \;\le\; \log p(x).$$
#
# The bound is tight exactly when $q$ equals the true posterior. Maximising $\mathcal L$
# over the decoder raises (a bound on) the likelihood; maximising it over the encoder makes
# $q$ a better posterior. The first term is an autoencoder's reconstruction loss (with a
# *noisy* code); the second pulls every $q(z\mid x)$ towards the prior.
#
# **Every term computed, on a toy where $\log p(x)$ is known.** Take 1-D
# $p(z) = \mathcal N(0, 1)$ and $p(x\mid z) = \mathcal N(x; z, s^2)$ with $s = 0.5$. Then
# $p(x) = \mathcal N(0, 1 + s^2)$ and the posterior is
# $\mathcal N\big(x/(1+s^2),\ s^2/(1+s^2)\big)$ exactly. For a Gaussian $q = \mathcal N(m, v)$ both
# ELBO terms have closed forms; we also estimate them by Monte Carlo.

# %% tags=["nbval-ignore-output"]
s, x = 0.5, 1.5
log_px = -0.5 * math.log(2 * math.pi * (1 + s ** 2)) - x ** 2 / (2 * (1 + s ** 2))  # log N(x; 0, 1 + s^2)
post_mean, post_var = x / (1 + s ** 2), s ** 2 / (1 + s ** 2)


def kl_gauss_1d(m1, v1, m2, v2):
    """KL(N(m1, v1) || N(m2, v2)) for 1-D Gaussians."""
    return 0.5 * (math.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1)


def elbo_toy(m, v):
    """Reconstruction term E_q log p(x|z), KL(q || p(z)) and the ELBO, in closed form."""
    reconstruction = -0.5 * math.log(2 * math.pi * s ** 2) - ((x - m) ** 2 + v) / (2 * s ** 2)
    kl = kl_gauss_1d(m, v, 0.0, 1.0)
    return reconstruction, kl, reconstruction - kl


generator = torch.Generator().manual_seed(0)
print(f"log p(x) = {log_px:.4f}")
print("   q = N(m, v)            E log p(x|z)   KL(q||p(z))   ELBO      Monte-Carlo ELBO   "
      "log p(x) - ELBO   KL(q || posterior)")
for m, v in [(0.0, 1.0), (1.0, 0.1), (post_mean, post_var)]:
    reconstruction, kl, elbo = elbo_toy(m, v)
    z = m + math.sqrt(v) * torch.randn(200_000, generator=generator)  # z ~ q
    mc = (Normal(z, s).log_prob(torch.tensor(x)) + Normal(0.0, 1.0).log_prob(z)
          - Normal(m, math.sqrt(v)).log_prob(z)).mean().item()  # E_q log p(x,z)/q(z|x)
    print(f"m = {m:.3f}, v = {v:.3f}   {reconstruction:12.4f}   {kl:11.4f}   {elbo:7.4f}   "
          f"{mc:16.3f}   {log_px - elbo:15.4f}   {kl_gauss_1d(m, v, post_mean, post_var):18.4f}")

# %%
gaps = [log_px - elbo_toy(m, v)[2] - kl_gauss_1d(m, v, post_mean, post_var)
        for m, v in [(0.0, 1.0), (1.0, 0.1), (-2.0, 3.0)]]
print("log p(x) - ELBO = KL(q || posterior) for every q (to 1e-9):", max(map(abs, gaps)) < 1e-9)
print("ELBO = log p(x) when q is the posterior:", abs(elbo_toy(post_mean, post_var)[2] - log_px) < 1e-9)

# %% [markdown]
# ## 2. The Gaussian KL in closed form, and a Monte-Carlo check
#
# With $q = \mathcal N(\mu, \operatorname{diag}\sigma^2)$ and $p(z) = \mathcal N(0, I)$ the
# regulariser needs no sampling:
#
# $$D_{KL}\big(q\,\Vert\,p\big) = \frac12\sum_{j=1}^{L}\big(\mu_j^2 + \sigma_j^2 - \log\sigma_j^2 - 1\big)$$
#
# (`gaussian_kl`, from the encoder's $\mu$ and $\log\sigma^2$). A Monte-Carlo estimate
# $\frac1S\sum_s[\log q(z_s) - \log p(z_s)]$ with $z_s \sim q$ must agree within its standard
# error:

# %% tags=["nbval-ignore-output"]
mu = torch.tensor([[0.5, -1.0, 2.0]])  # (1, 3)
log_var = torch.tensor([[0.0, -1.0, 0.7]])  # (1, 3): log sigma^2
closed = gaussian_kl(mu, log_var).item()
q, prior = Normal(mu, (0.5 * log_var).exp()), Normal(0.0, 1.0)
z = q.sample((100_000,))  # (100000, 1, 3)
log_ratio = (q.log_prob(z) - prior.log_prob(z)).sum(-1)  # (100000, 1)
mc, standard_error = log_ratio.mean().item(), log_ratio.std().item() / math.sqrt(len(z))
print(f"closed form {closed:.4f}; Monte Carlo {mc:.3f} ± {standard_error:.3f}")

# %%
print("closed form and Monte Carlo agree within 4 standard errors:", abs(mc - closed) < 4 * standard_error)

# %% [markdown]
# ## 3. The reparameterisation trick
#
# The reconstruction term is an expectation over $z \sim q_\phi(z\mid x)$, and we need its
# gradient with respect to $\phi$, i.e. to $\mu$ and $\sigma$. A sample drawn by a random
# number generator has no gradient. The trick (Kingma & Welling 2014; GBC §20.9) writes the
# sample as a differentiable function of the parameters and parameter-free noise:
#
# $$z = \mu + \sigma \odot \epsilon, \qquad \epsilon \sim \mathcal N(0, I).$$
#
# Check on $f(z) = z^2$, where $\mathbb E[f] = \mu^2 + \sigma^2$, so
# $\partial/\partial\mu = 2\mu$ and $\partial/\partial\sigma = 2\sigma$:

# %% tags=["nbval-ignore-output"]
mu_1 = torch.tensor(1.5, requires_grad=True)
sigma_1 = torch.tensor(0.8, requires_grad=True)
eps = torch.randn(200_000, generator=torch.Generator().manual_seed(1))
z_1 = mu_1 + sigma_1 * eps  # reparameterised: z depends on mu and sigma
(z_1 ** 2).mean().backward()
print(f"d/dmu:    autograd through the samples {mu_1.grad.item():.3f}, exact 2 mu = {2 * 1.5:.3f}")
print(f"d/dsigma: autograd through the samples {sigma_1.grad.item():.3f}, exact 2 sigma = {2 * 0.8:.3f}")
z_plain = Normal(mu_1, sigma_1).sample((5,))  # a plain sample: cut off from mu and sigma
print("a plain .sample() carries a gradient:", z_plain.requires_grad,
      "| .rsample() (reparameterised) does:", Normal(mu_1, sigma_1).rsample((5,)).requires_grad)

# %%
print("reparameterised gradients within 1 % of exact:",
      abs(mu_1.grad.item() / 3.0 - 1) < 0.01 and abs(sigma_1.grad.item() / 1.6 - 1) < 0.01)

# %% [markdown]
# ## 4. The notes' VAE, with the loss and the training it lacks
#
# The notes (002:L3723–3760) show only the sampling step, with `latent_size = 5`:
# the encoder's two outputs $\mu$ and $\log\sigma$ and $z = \mu + e^{\log\sigma}\odot\epsilon$.
# The model is useless without a loss. `utils.autoencoders.VAE` has the same parts
# (encoder $784 \to 256 \to (\mu, \log\sigma^2)$, sampler, decoder $L \to 256 \to 784$
# logits), and `elbo_terms` returns the two terms per image:
#
# $$\text{loss} = \underbrace{-\log p(x\mid z)}_{\text{BCE summed over pixels}}
#   + \beta\,\underbrace{D_{KL}(q(z\mid x)\Vert p(z))}_{\text{closed form}}, \qquad
#   z = \mu + \sigma\odot\epsilon,$$
#
# with $\beta = 1$ for the negative ELBO. (We parametrise $\log\sigma^2$ rather than the
# notes' $\log\sigma$; $\sigma = e^{\frac12\log\sigma^2}$, the same thing.)
#
# > **The notes say** the VAE maps inputs to a "secret space" with a "secret code"
# > (L3688). **In fact** these are the **latent** space and the **latent** code.
# > **The notes say** (L3727) "or even an LSTM decoder" where the sentence is about the
# > encoder. **In fact** it should read "encoder". **The notes** never state the loss
# > (L3678–3760): it is the negative ELBO above.
#
# We train it on the 5,505 Fashion-MNIST training trousers (the GAN of lesson 06 uses the
# same images, section 7).

# %%
data = load_fashion_mnist()
trouser = data.classes.index("Trouser")
X_trousers = data.X_train[data.y_train == trouser].reshape(-1, 784)  # (5505, 784)
X_trousers_test = data.X_test[data.y_test == trouser].reshape(-1, 784)  # (1000, 784)
print("trousers: train", tuple(X_trousers.shape), "test", tuple(X_trousers_test.shape))

# %% tags=["nbval-ignore-output"]
set_seed(0)
vae_5 = VAE(latent_dim=5)  # the notes' latent_size = 5
history = train_vae(vae_5, X_trousers, num_epochs=8, beta=1.0)
for epoch, (reconstruction, kl) in enumerate(history, 1):
    print(f"epoch {epoch}: reconstruction {reconstruction:7.2f}  KL {kl:5.2f}  "
          f"negative ELBO {reconstruction + kl:7.2f} nats per image")
rec_test, kl_test = vae_terms(vae_5, X_trousers_test)
print(f"held-out: reconstruction {rec_test:.2f}, KL {kl_test:.2f}, -ELBO {rec_test + kl_test:.2f}")

# %%
print("training lowered the negative ELBO by more than a third:",
      sum(history[-1]) < 0.67 * sum(history[0]))
print("held-out -ELBO within 5 % of the last training epoch's (no overfitting):",
      abs((rec_test + kl_test) / sum(history[-1]) - 1) < 0.05)

# %% [markdown]
# The held-out negative ELBO is an **upper bound** on $-\log p(x)$ in nats per image: a
# number that lets two likelihood models be compared, which a GAN cannot provide.
#
# ## 5. The β trade-off, and the latent explorer
#
# Weighting the KL by $\beta$ (the β-VAE of Higgins et al. 2017) trades reconstruction for
# regularity: a large $\beta$ pulls every $q(z\mid x)$ towards $\mathcal N(0, I)$, so the latent
# space is smooth and fully used, but codes carry less information and reconstructions
# blur; a small $\beta$ does the opposite. We train three VAEs with a **2-D** latent space
# on 5,000 images of all classes (8 epochs each), $\beta \in \{0.1, 1, 10\}$, and measure
# both terms on 1,000 validation images.

# %% tags=["nbval-ignore-output"]
X_all = data.X_train[:5000].reshape(-1, 784)  # (5000, 784)
X_val = data.X_val[:1000].reshape(-1, 784)  # (1000, 784)
runs = latent_explorer.train_runs(X_all, X_val, betas=(0.1, 1.0, 10.0), num_epochs=8)
for run in runs:
    print(f"beta = {run.beta:4}: reconstruction {run.reconstruction:7.2f}  KL {run.kl:5.2f} nats")

# %%
rec = [run.reconstruction for run in runs]
kl = [run.kl for run in runs]
print("larger beta: reconstruction term rises:", rec[0] < rec[1] < rec[2])
print("larger beta: KL falls:", kl[0] > kl[1] > kl[2])

# %% [markdown]
# **Demo.** Left: the decoder's mean image at a 10×10 grid of $z \in [-3, 3]^2$ (a map of what
# the latent space has learned), with a circle at the point $z$ you choose with the
# sliders and, in orange, the straight path between the latent means $\mu(x_a)$, $\mu(x_b)$
# of two held-out images. Middle: the decoding of $z$, and of the point at fraction $t$ of
# the path (the square). Right: the held-out reconstruction and KL terms of the three runs;
# the β slider switches between them. Bottom: the whole interpolation.

# %%
explorer = latent_explorer.LatentExplorer(
    runs, latent_explorer.default_pairs(data.X_test, data.y_test, data.classes))
latent_explorer.demo(explorer)

# %% [markdown]
# **Try this**
# - With β = 1, sweep $z_1$ from −3 to 3 at $z_2 = 0$: the decodings change gradually from one
#   kind of garment to another. A VAE's latent space has no holes near the origin, because
#   the KL term packs every image's code into $\mathcal N(0, I)$.
# - Move $t$ on *T-shirt/top → Ankle boot*: the middle images are plausible garments, not
#   two pictures superimposed (compare lesson 04, section 3).
# - Switch β to 0.1: the codes spread further from the origin (a larger KL) and the grid
#   shows more detail where the data lies; at β = 10 the codes crowd into the prior, the
#   grid is smoother and blurrier, and the bars show the reconstruction term up and the KL
#   down (the check above).
# - Move $z$ beyond $|z| = 2.5$: the message explains why the decodings get strange there.
#
# ## 6. Samples from the prior
#
# Generation is the VAE's purpose: $z \sim \mathcal N(0, I)$, then decode. The images shown
# are the decoder's **means** $\mathbb E[x\mid z]$ (lesson 03, section 4: a sample would add
# independent pixel noise).

# %%
with torch.no_grad():
    vae_samples = vae_5.decode(torch.randn(1000, 5, generator=torch.Generator().manual_seed(2)))

# %% [markdown]
# ## 7. VAE and GAN side by side (link to V.6)
#
# Lesson 06 trains a GAN on the same trousers. We train that GAN here (the same networks,
# `train_mlp_gan`, 800 iterations) and compare samples. The comparison is one honest
# number: the **Fréchet distance** between Gaussians fitted to features of 1,000 held-out
# real trousers and of 1,000 samples, $\lVert\mu_r-\mu_g\rVert^2 + \operatorname{tr}(\Sigma_r +
# \Sigma_g - 2(\Sigma_r\Sigma_g)^{1/2})$: the formula of the FID (Heusel et al. 2017), but with
# the 20 leading PCA components of the training trousers as features instead of an
# Inception network (which the course does not have). It measures whether the samples have
# the right average and the right spread, not whether each one is sharp. As a floor, the
# same distance between 1,000 *training* trousers and the held-out ones.
#
# A second number describes *how* the samples differ: the mean **total variation** of an
# image, $\sum |x_{r,c+1} - x_{r,c}|$ over neighbouring pixels (large for sharp edges and
# for noise, small for blur), compared with the real trousers'.

# %% tags=["nbval-ignore-output"]
G = train_mlp_gan(X_trousers, latent_dim=32, num_iterations=800)
with torch.no_grad():
    gan_samples = (G(torch.randn(1000, 32, generator=torch.Generator().manual_seed(3))) + 1) / 2
mean20, components20 = pca_fit(X_trousers, 20)


def features(images):
    return ((images - mean20) @ components20.T).numpy()  # (N, 20)


real = features(X_trousers_test)
fd = {"VAE (decoder means)": frechet_distance(features(vae_samples), real),
      "GAN": frechet_distance(features(gan_samples), real),
      "real training trousers (floor)": frechet_distance(features(X_trousers[:1000]), real)}
for name, value in fd.items():
    print(f"Fréchet distance in PCA-20 space, {name:30s} {value:7.2f}")


def total_variation(images):
    """Mean over images of sum |x[r, c+1] - x[r, c]|: (N, 784) -> float."""
    return images.reshape(-1, 28, 28).diff(dim=2).abs().sum((1, 2)).mean().item()  # (N, 28, 27)


tv = {"real (held out)": total_variation(X_trousers_test), "VAE": total_variation(vae_samples),
      "GAN": total_variation(gan_samples)}
print("mean total variation:", ", ".join(f"{name} {value:.1f}" for name, value in tv.items()))

# %%
print("both models are far from the floor (more than 10x it):",
      min(fd["VAE (decoder means)"], fd["GAN"]) > 10 * fd["real training trousers (floor)"])
print("the VAE's means are blurrier than real trousers (total variation < 0.75x real):",
      tv["VAE"] < 0.75 * tv["real (held out)"])
print("the GAN's samples have far more pixel-to-pixel variation than the VAE's (> 1.3x):",
      tv["GAN"] > 1.3 * tv["VAE"])
print("by the Fréchet distance neither model is clearly better (within a factor 2):",
      max(fd["VAE (decoder means)"], fd["GAN"]) < 2 * min(fd["VAE (decoder means)"], fd["GAN"]))

# %%
fig, axes = plt.subplots(3, 8, figsize=(7.2, 3.1))
for r, (images, name) in enumerate([(X_trousers_test, "real (held out)"),
                                    (vae_samples, "VAE: decoder mean at z ~ N(0, I)"),
                                    (gan_samples, "GAN: G(z)")]):
    for c in range(8):
        axes[r, c].imshow(images[c].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        axes[r, c].axis("off")
    axes[r, 0].set_title(name, fontsize=8, loc="left")
plt.show()

# %% [markdown]
# What the pictures and the numbers say together: by the Fréchet distance the two models
# are comparable here (printed and checked above), and both remain far from the
# real-data floor, so neither is close to the data yet. They fail differently: the VAE's
# means are **smooth and blurry** (far less total variation than real trousers: the mean
# of a distribution over images averages detail away), while the GAN's samples are
# **sharper and noisier** (much more variation than the VAE's, since nothing in its loss
# averages). A single number would have hidden this; say which property a metric
# measures before ranking models by it. The two models also differ in what they give you: the VAE gives an
# encoder and a bound on the likelihood (section 4), the GAN neither; the VAE maximises a
# lower bound on $\log p(x)$, the GAN plays a game whose optimum makes $p_g = p_\text{data}$.
#
# ## 8. Exercises
#
# **Exercise 1.** Compute $D_{KL}\big(\mathcal N(\mu, \sigma^2)\Vert\mathcal N(0,1)\big)$ for a
# single latent unit with $\mu = 1$, $\sigma = 0.5$ from the closed form.

# %%
kl_one = ...  # your answer, a number
check(kl_one, gaussian_kl(torch.tensor([[1.0]]), torch.tensor([[math.log(0.25)]])).item(),
      hint="0.5 * (mu^2 + sigma^2 - log sigma^2 - 1)")

# %% tags=["solution"] jupyter={"source_hidden": true}
kl_one = 0.5 * (1.0 ** 2 + 0.5 ** 2 - math.log(0.5 ** 2) - 1)
check(kl_one, gaussian_kl(torch.tensor([[1.0]]), torch.tensor([[math.log(0.25)]])).item())

# %% [markdown]
# **Exercise 2.** Write `reparameterise(mu, log_var, eps)`: the sample
# $z = \mu + \sigma\odot\epsilon$ from $\mu$, $\log\sigma^2$ and given noise $\epsilon$.

# %%
def reparameterise(mu, log_var, eps):
    ...  # your code


test_cases = [(torch.zeros(2, 3), torch.zeros(2, 3), torch.randn(2, 3)),
              (torch.randn(4, 2), torch.randn(4, 2), torch.randn(4, 2))]
check_function(reparameterise, lambda mu, lv, eps: mu + torch.exp(0.5 * lv) * eps, test_cases,
               hint="sigma = exp(log_var / 2)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def reparameterise(mu, log_var, eps):
    sigma = torch.exp(0.5 * log_var)  # sqrt(sigma^2)
    return mu + sigma * eps


check_function(reparameterise, lambda mu, lv, eps: mu + torch.exp(0.5 * lv) * eps, test_cases)

# %% [markdown]
# **Exercise 3.** In the toy of section 1, which $q = \mathcal N(m, v)$ maximises the ELBO?
# Give $m$ (the posterior mean for $x = 1.5$, $s = 0.5$).

# %%
best_m = ...  # your answer, a number
check(best_m, post_mean, hint="the posterior mean x / (1 + s^2)")

# %% tags=["solution"] jupyter={"source_hidden": true}
best_m = 1.5 / (1 + 0.5 ** 2)
check(best_m, post_mean)

# %% [markdown]
# ## 9. Review questions (Part A)

# %%
quiz("What does a VAE maximise?",
     ["The likelihood log p(x) exactly", "A lower bound on log p(x), the ELBO",
      "The discriminator's error"],
     answer=1, explanation="ELBO = E_q log p(x|z) - KL(q(z|x) || p(z)) <= log p(x); the gap "
     "is KL(q(z|x) || p(z|x)).")

# %%
quiz("Why the reparameterisation z = mu + sigma * eps?",
     ["It makes sampling faster", "It makes z a differentiable function of mu and sigma, so "
      "gradients reach the encoder", "It removes the need for the KL term"],
     answer=1, explanation="The randomness is moved into eps, which does not depend on the "
     "parameters.")

# %%
quiz("Raising beta in a beta-VAE…",
     ["lowers both the reconstruction term and the KL", "raises the reconstruction term and "
      "lowers the KL", "has no effect after training"],
     answer=1, explanation="Measured in section 5.")

# %% [markdown]
# <details><summary><b>What does a VAE encoder output, and why is the reparameterisation
# trick needed? (Unit V, Q9)</b></summary>
# Two vectors: the mean μ(x) and the log-variance log σ²(x) (or log σ) of a Gaussian
# q(z | x). The code is sampled from it; written as z = μ + σ ⊙ ε with ε ~ N(0, I), the
# sample is a differentiable function of μ and σ, so backpropagation can train the
# encoder through the sampling step.
# </details>
#
# <details><summary><b>Write the VAE loss.</b></summary>
# −ELBO = −E_{z~q(z|x)}[log p(x | z)] + D_KL(q(z | x) ‖ p(z)), with the closed form
# D_KL = ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1) for a Gaussian q and p(z) = N(0, I). The first
# term is the reconstruction loss (BCE for a Bernoulli decoder, squared error for a
# Gaussian one), estimated with one reparameterised sample.
# </details>
#
# <details><summary><b>VAE versus GAN.</b></summary>
# A VAE is an explicit model: it has an encoder, maximises a lower bound on the
# likelihood, and its samples tend to be blurry. A GAN is implicit: it has only a sampler
# G(z), trained against a discriminator; its samples tend to be sharper, it gives no
# likelihood, and it can mode-collapse.
# </details>
#
# ## Summary
# - A VAE maximises the ELBO $\mathbb E_q\log p(x\mid z) - D_{KL}(q(z\mid x)\Vert p(z)) \le
#   \log p(x)$; the gap is $D_{KL}(q\Vert p(z\mid x))$ (computed exactly in section 1).
# - The Gaussian KL has a closed form (checked against Monte Carlo); the reparameterisation
#   $z = \mu + \sigma\odot\epsilon$ lets gradients reach the encoder (checked).
# - β trades reconstruction against KL (measured); the explorer shows a smooth latent space.
# - Against the GAN on the same trousers: a comparable Fréchet distance, blurrier samples
#   (less total variation), and in exchange an encoder and a likelihood bound.
#
# **Next:** lesson 06, generative adversarial networks.
