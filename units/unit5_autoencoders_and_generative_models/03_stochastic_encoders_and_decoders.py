# %% [markdown]
# # Stochastic encoders and decoders (syllabus V.3)
#
# **What you will learn**
# - to read a decoder as a **distribution** $p_\text{decoder}(x \mid h)$ whose parameters the
#   network outputs, and an encoder as $p_\text{encoder}(h \mid x)$ (GBC §14.4);
# - that every reconstruction loss is a negative log-likelihood: the squared error is a
#   Gaussian's, the binary cross-entropy is a Bernoulli's; both shown numerically;
# - what it means to *sample* from a decoder, and what noise in the encoder does to the
#   decodings: the step from an autoencoder to a generative model (lesson 05).

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
from torch.distributions import Bernoulli, Normal

from utils.autoencoders import mlp_autoencoder, reconstruct, train_autoencoder
from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.plotting import OKABE_ITO, set_style
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. The decoder is a distribution
#
# So far the decoder returned one image $\hat x = g(h)$. GBC §14.4 generalises: let the
# decoder output the **parameters of a distribution** over $x$, $p_\text{decoder}(x \mid h)$,
# and train by minimising $-\log p_\text{decoder}(x \mid h)$ with $h = f(x)$. Which
# distribution is a modelling choice, and it fixes the loss:
#
# | $x$ | decoder output | $-\log p_\text{decoder}(x \mid h)$ |
# |---|---|---|
# | real-valued | mean $\hat x$ of $\mathcal N(\hat x, \sigma^2 I)$ (linear output) | $\frac1{2\sigma^2}\lVert x-\hat x\rVert^2 + \frac d2\log(2\pi\sigma^2)$: the **squared error** |
# | binary | probabilities $\hat x = \sigma(a)$ of independent Bernoullis (sigmoid output) | $-\sum_i x_i\log\hat x_i + (1-x_i)\log(1-\hat x_i)$: the **binary cross-entropy** |
# | one of $K$ classes | probabilities (softmax output) | the categorical cross-entropy |
#
# The pixels are modelled as **conditionally independent given $h$**: the log-likelihood
# is a sum over pixels. This is the same recipe as for any output unit (GBC §6.2.2).
#
# We train one autoencoder ($784 \to 128 \to 32 \to 128 \to 784$, sigmoid output) on 4,000
# Fashion-MNIST images with the squared error and then read its outputs both ways.

# %%
data = load_fashion_mnist()
X = data.X_train[:4000].reshape(-1, 784)  # (4000, 784) in [0, 1]
X_test = data.X_test[:1000].reshape(-1, 784)  # (1000, 784)

# %% tags=["nbval-ignore-output"]
set_seed(0)
net = mlp_autoencoder(32, hidden=(128,))
history = train_autoencoder(net, X, num_epochs=6, lr=2e-3)
X_hat = reconstruct(net, X_test)  # (1000, 784): the decoder's output for each test image
mse = ((X_test - X_hat) ** 2).mean().item()
print(f"held-out MSE {mse:.4f}")

# %%
print("the autoencoder trained (held-out MSE below 0.03):", mse < 0.03)

# %% [markdown]
# ## 2. Squared error = Gaussian negative log-likelihood
#
# Put $p_\text{decoder}(x \mid h) = \mathcal N(x; \hat x, \sigma^2 I)$ with $\hat x$ the decoder's
# output and a fixed $\sigma$. `torch.distributions.Normal` computes the log-density pixel by
# pixel; summed over the $d = 784$ pixels and averaged over the images it should equal
# $\frac{d}{2\sigma^2}\,\text{MSE} + \frac d2\log(2\pi\sigma^2)$, an **affine** function of the
# MSE. So for a fixed $\sigma$ minimising one minimises the other.

# %% tags=["nbval-ignore-output"]
d = 784
print("  sigma   NLL by torch.distributions   d MSE / (2 sigma^2) + d/2 log(2 pi sigma^2)")
for sigma in [0.05, 0.1, 0.2, 0.5]:
    nll_torch = -Normal(X_hat, sigma).log_prob(X_test).sum(1).mean().item()
    nll_formula = d * mse / (2 * sigma ** 2) + d / 2 * math.log(2 * math.pi * sigma ** 2)
    print(f"{sigma:7.2f}   {nll_torch:26.2f}   {nll_formula:40.2f}")

# %%
nll = lambda sigma: -Normal(X_hat, sigma).log_prob(X_test).sum(1).mean().item()  # noqa: E731
formula = lambda sigma: d * mse / (2 * sigma ** 2) + d / 2 * math.log(2 * math.pi * sigma ** 2)  # noqa: E731
print("torch's Gaussian NLL equals the formula (relative 1e-4) at every sigma:",
      all(abs(nll(s) / formula(s) - 1) < 1e-4 for s in [0.05, 0.1, 0.2, 0.5]))

# %% [markdown]
# If $\sigma$ is learned too, the best value is found by setting the derivative of the NLL
# in $\sigma$ to zero: $-\frac{d\,\text{MSE}}{\sigma^3} + \frac d\sigma = 0$, so
# $\sigma^2_\text{ML} = \text{MSE}$. A grid search agrees:

# %% tags=["nbval-ignore-output"]
sigmas = np.linspace(0.05, 0.4, 701)
best_sigma = sigmas[np.argmin([formula(s) for s in sigmas])]
print(f"grid minimiser sigma = {best_sigma:.4f}, sqrt(MSE) = {math.sqrt(mse):.4f}")

# %%
print("grid minimiser and sqrt(MSE) agree to 0.001:", abs(best_sigma - math.sqrt(mse)) < 1e-3)

# %% [markdown]
# ## 3. Binary cross-entropy = Bernoulli negative log-likelihood
#
# For binary images (pixels 0 or 1; here the test images thresholded at 0.5) the natural
# decoder is a product of Bernoullis with probabilities $\hat x$, and its NLL is the BCE,
# exactly:

# %% tags=["nbval-ignore-output"]
X_binary = (X_test > 0.5).float()  # (1000, 784) in {0, 1}
probs = X_hat.clamp(1e-6, 1 - 1e-6)  # decoder probabilities, away from 0 and 1
nll_bernoulli = -Bernoulli(probs=probs).log_prob(X_binary).sum(1).mean().item()
bce = F.binary_cross_entropy(probs, X_binary, reduction="none").sum(1).mean().item()
print(f"Bernoulli NLL {nll_bernoulli:.3f}, BCE {bce:.3f} (per image, summed over pixels)")

# %%
print("Bernoulli NLL and BCE identical (relative 1e-6):", abs(nll_bernoulli / bce - 1) < 1e-6)

# %% [markdown]
# Fashion-MNIST pixels are grey levels in $[0, 1]$, not bits. BCE is still a fine loss for
# them (it is minimised at $\hat x = x$), but it is then no longer the log-likelihood of a
# normalised distribution over grey levels: a Bernoulli gives probability only to 0 and
# 1. (The *continuous Bernoulli* of Loaiza-Ganem & Cunningham 2019 adds the missing
# normalising constant.) Which loss to choose is therefore a statement about the data.
#
# ## 4. Sampling from the decoder
#
# A distribution can be sampled. For a fixed code $h = f(x)$ the decoder's **mean** is
# the smooth reconstruction $\hat x$; a **sample** adds the pixel noise the model believes
# in: independent Bernoulli bits, or Gaussian noise with $\sigma_\text{ML}$.

# %%
generator = torch.Generator().manual_seed(0)
x_hat_0 = X_hat[:1]  # (1, 784): the decoder's output for test image 0
bernoulli_samples = torch.bernoulli(x_hat_0.expand(4, -1), generator=generator)  # (4, 784)
gaussian_samples = x_hat_0 + math.sqrt(mse) * torch.randn(4, 784, generator=generator)
rows = [(X_test[:1], "input x"), (x_hat_0, "mean of p(x|h)"),
        (bernoulli_samples, "Bernoulli samples"), (gaussian_samples.clamp(0, 1), "Gaussian samples")]
fig, axes = plt.subplots(1, 10, figsize=(9, 1.4))
images = torch.cat([images for images, _ in rows])  # (10, 784)
titles = ["input", "mean"] + ["Bernoulli"] * 4 + ["Gaussian"] * 4
for ax, image, title in zip(axes, images, titles):
    ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(title, fontsize=8)
    ax.axis("off")
plt.show()

# %% [markdown]
# The samples look worse than the mean, because the model says every pixel is
# independent given $h$: all the structure of the image has to be in $h$ and the mean;
# the noise is white. (This is why generative autoencoders show the decoder's mean, not a
# sample, in pictures.)
#
# ## 5. A stochastic encoder
#
# The encoder can be a distribution too: $p_\text{encoder}(h \mid x)$. The simplest is
# $h \sim \mathcal N(f(x), s^2 I)$: the code is $f(x)$ plus noise. Decoding several draws of
# $h$ for the same image shows how much the decoder depends on the exact code, and how the
# reconstruction error grows with $s$:

# %% tags=["nbval-ignore-output"]
with torch.no_grad():
    code = net.encoder(X_test)  # (1000, 32)
    code_spread = code.std().item()
    errors = {}
    for s in [0.0, 0.5, 1.0, 2.0]:
        noisy_code = code + s * code_spread * torch.randn(code.shape, generator=generator)
        errors[s] = ((net.decoder(noisy_code) - X_test) ** 2).mean().item()
        if s == 1.0:
            draws = net.decoder(code[:1] + s * code_spread * torch.randn(6, 32, generator=generator))
print("noise in the code (x the codes' std)   held-out MSE of the decodings")
for s, value in errors.items():
    print(f"{s:38.1f}   {value:.4f}")

# %%
values = list(errors.values())
print("the error grows with the encoder's noise:", all(a < b for a, b in zip(values, values[1:])))

# %%
fig, axes = plt.subplots(1, 7, figsize=(6.5, 1.4))
for ax, image, title in zip(axes, torch.cat([X_test[:1], draws]),
                            ["input"] + ["h ~ p(h|x)"] * 6):
    ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(title, fontsize=8)
    ax.axis("off")
plt.show()

# %% [markdown]
# This autoencoder was trained with a deterministic code, so noise in $h$ hurts it. A
# **variational autoencoder** (lesson 05) is trained *with* a noisy Gaussian encoder
# $q(h \mid x)$ and a penalty that keeps the codes of all images close to $\mathcal N(0, I)$.
# Then any $h \sim \mathcal N(0, I)$ decodes to a plausible image, and the decoder becomes a
# **generative model**: sample $h$ from the prior, then $x$ from $p_\text{decoder}(x \mid h)$.
#
# Generative models come in two kinds (notes L3658–3676): **explicit** ones write down a
# (bound on the) likelihood, like the VAE (lesson 05); **implicit** ones only give a way to
# sample, like the GAN (lesson 06).
#
# > **The notes say** (002:L3637) "we have seen an example of this with the RBM". **In
# > fact** restricted Boltzmann machines are not part of AD3501 and the notes never taught
# > one (the sentence is copied from a course that did). The idea it illustrates, an encoder
# > and a decoder that are conditional distributions $p(h \mid x)$ and $p(x \mid h)$, is the
# > one of this lesson.
#
# ## 6. Exercises
#
# **Exercise 1.** A decoder outputs $\hat x = (0.2, 0.9)$ for a two-pixel image
# $x = (0.0, 1.0)$ with a Gaussian of $\sigma = 0.1$. What is
# $-\log p_\text{decoder}(x \mid h)$? Use the formula of section 2.

# %%
gaussian_nll = ...  # your answer, a number
check(gaussian_nll, -Normal(torch.tensor([0.2, 0.9]), 0.1).log_prob(torch.tensor([0.0, 1.0])).sum().item(),
      hint="(0.2^2 + 0.1^2) / (2 * 0.01) + 2/2 * log(2 pi 0.01)")

# %% tags=["solution"] jupyter={"source_hidden": true}
squared_error = (0.2 - 0.0) ** 2 + (0.9 - 1.0) ** 2
gaussian_nll = squared_error / (2 * 0.1 ** 2) + 2 / 2 * math.log(2 * math.pi * 0.1 ** 2)
check(gaussian_nll, -Normal(torch.tensor([0.2, 0.9]), 0.1).log_prob(torch.tensor([0.0, 1.0])).sum().item())

# %% [markdown]
# **Exercise 2.** Write `bernoulli_nll(x, p)`: the negative log-likelihood of binary
# images `x` (N, d) under independent Bernoullis with probabilities `p` (N, d), summed
# over pixels and averaged over images, from the formula (no `F.binary_cross_entropy`).

# %%
def bernoulli_nll(x, p):
    ...  # your code


test_cases = [(X_binary[:10], probs[:10]), (torch.tensor([[1.0, 0.0]]), torch.tensor([[0.9, 0.2]]))]
check_function(bernoulli_nll,
               lambda x, p: F.binary_cross_entropy(p, x, reduction="none").sum(1).mean(),
               test_cases, hint="-(x * p.log() + (1 - x) * (1 - p).log()).sum(1).mean()")

# %% tags=["solution"] jupyter={"source_hidden": true}
def bernoulli_nll(x, p):
    return -(x * p.log() + (1 - x) * (1 - p).log()).sum(1).mean()


check_function(bernoulli_nll,
               lambda x, p: F.binary_cross_entropy(p, x, reduction="none").sum(1).mean(),
               test_cases)

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("A decoder outputs the mean of a Gaussian with fixed variance. Minimising its negative "
     "log-likelihood is the same as minimising…",
     ["the binary cross-entropy", "the squared error", "the absolute error"],
     answer=1, explanation="-log N(x; x_hat, s^2 I) = ||x - x_hat||^2 / (2 s^2) + const.")

# %%
quiz("Which output unit and loss suit a decoder for binary pixels?",
     ["Linear output, squared error", "Sigmoid output, binary cross-entropy",
      "Softmax over pixels, categorical cross-entropy"],
     answer=1, explanation="Independent Bernoullis with probabilities sigmoid(a); their NLL is "
     "the BCE.")

# %% [markdown]
# <details><summary><b>Which loss does a Gaussian or a Bernoulli stochastic decoder imply?
# (Unit V, Q8)</b></summary>
# Training minimises −log p_decoder(x | h). A Gaussian decoder N(x; x̂, σ²I) gives
# ‖x − x̂‖²/(2σ²) + (d/2) log(2πσ²): the squared error, up to a scale and a constant. A
# Bernoulli decoder with probabilities x̂ gives −Σ x_i log x̂_i + (1 − x_i) log(1 − x̂_i):
# the binary cross-entropy. A categorical decoder (softmax) gives the cross-entropy.
# </details>
#
# <details><summary><b>What is a stochastic encoder?</b></summary>
# An encoder that defines a distribution p_encoder(h | x) over codes instead of one code,
# for example h ~ N(f(x), s²I). The VAE's encoder q(z | x) is one, with a mean and a
# variance computed by the network.
# </details>
#
# ## Summary
# - Decoder and encoder can be distributions $p_\text{decoder}(x\mid h)$,
#   $p_\text{encoder}(h\mid x)$; training minimises $-\log p_\text{decoder}(x\mid h)$.
# - Squared error is the Gaussian NLL up to an affine map (equal to 1e-4 above; best
#   $\sigma^2$ = MSE); BCE *is* the Bernoulli NLL (equal to 1e-6 above).
# - Sampling the decoder adds independent pixel noise; noise in the encoder spreads the
#   decodings: the ingredients of the VAE.
#
# **Next:** lesson 04 uses what autoencoders learn: 2-D maps of the data, anomaly
# detection and features for a classifier with few labels.
