# %% [markdown]
# # Undercomplete autoencoders (syllabus V.1)
#
# **What you will learn**
# - the three parts of an autoencoder: an **encoder** $h = f(x)$, a **code** $h$ and a
#   **decoder** $\hat x = g(h)$, trained to make $\hat x$ close to $x$ (GBC §14.1);
# - that a *linear* autoencoder trained with the squared error learns the same subspace as
#   PCA, shown by the principal angles between the two subspaces;
# - that a *non-linear* autoencoder reconstructs held-out Fashion-MNIST images better than
#   PCA at the same small code size, and how the error falls with the code size;
# - what goes wrong when the code is as large as the input: the identity is a perfect
#   solution, and it has learned nothing.

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
from types import SimpleNamespace

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits

from utils.autoencoders import (linear_autoencoder, mlp_autoencoder, pca_fit, pca_reconstruct,
                                principal_angles, reconstruct, reconstruction_error,
                                train_autoencoder)
from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.plotting import OKABE_ITO, set_style
from utils.threads import use_course_threads
from utils.training import set_seed
from utils.widgets import Demo, encode_png

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. Encoder, code, decoder
#
# An autoencoder is a network trained to copy its input to its output *through a code*:
#
# $$h = f(x) \quad\text{(encoder)}, \qquad \hat x = g(h) \quad\text{(decoder)}, \qquad
#   \min_{f, g}\; L\big(x, g(f(x))\big),$$
#
# for example with the squared error $L = \lVert x - g(f(x)) \rVert^2$ (GBC §14.1). It is
# **undercomplete** when the code has fewer dimensions than the input: the network cannot
# copy, so it must keep what matters most about the training data. Training needs no
# labels: the target is the input itself (self-supervised).
#
# The notes' Keras example is $784 \to 32 \to 784$ with a ReLU code and a sigmoid output.
# In PyTorch, with `mlp_autoencoder` from `utils/autoencoders.py` (no hidden layers here):

# %%
data = load_fashion_mnist()
X = data.X_train[:4000].reshape(-1, 784)  # (4000, 784), pixels in [0, 1]
X_test = data.X_test[:2000].reshape(-1, 784)  # (2000, 784), held out
net = mlp_autoencoder(code_size=32, hidden=(), code_activation="relu")
print(net)
h = net.encoder(X[:5])  # (5, 32)
X_hat = net.decoder(h)  # (5, 784)
print("x:", tuple(X[:5].shape), "-> h:", tuple(h.shape), "-> x_hat:", tuple(X_hat.shape))
print(f"compression factor 784 / 32 = {784 / 32}")

# %% [markdown]
# > **The notes say** (002:L3191) an autoencoder is a network "where the input is the same
# > as the output". **In fact** the *target* is the input; the output $\hat x$ is only an
# > approximation of it (printed in section 3: the error is never zero).
# >
# > **The notes say** (L3270) "the reconstructed image is the same as our input but with
# > reduced dimensions". **In fact** the *code* $h$ has the reduced dimension (32 above); the
# > reconstruction $\hat x$ has the input's 784.
# >
# > **The notes say** (L3297) the model has "128 nodes in the hidden layer", but their code
# > (L3328) is $784 \to 32 \to 784$ with no such layer. Their `optimizer='adadelta'` (L3349)
# > barely moves at the current Keras default learning rate $10^{-3}$ (the original blog
# > used 1.0); this course uses Adam. `print x_train.shape` (L3379) is Python 2:
# > `print(x_train.shape)`.
#
# ## 2. A linear autoencoder learns the PCA subspace
#
# Take a **linear** encoder $h = Wx + b$ and a linear decoder $\hat x = Vh + c$ with a
# $k$-dimensional code, and the mean squared error. The reconstructions $\hat x$ then lie
# in the $k$-dimensional affine subspace spanned by the columns of $V$. The best such
# subspace for squared error is the one PCA finds: the span of the top $k$ principal
# directions (the eigenvectors of the data covariance with the largest eigenvalues). So
# "when the decoder is linear and $L$ is the mean squared error, an undercomplete
# autoencoder learns to span the same subspace as PCA" (GBC §14.1).
#
# It learns the **subspace**, not the principal directions themselves: any invertible
# mixing $V \to VA$, $W \to A^{-1}W$ gives the same reconstructions. So we compare
# subspaces by their **principal angles**: the angles $\theta_1 \le \dots \le \theta_k$
# whose cosines are the singular values of $Q_V^\top Q_P$, where $Q_V$ and $Q_P$ are
# orthonormal bases of the two spans. All angles are 0 exactly when the spans coincide.
#
# We check this on the 8×8 digits of scikit-learn (64 pixels, so full-batch training
# converges in a second or two), with $k = 4$:

# %%
X_digits = torch.tensor(load_digits().data / 16, dtype=torch.float32)  # (1797, 64) in [0, 1]
k = 4
mean, components = pca_fit(X_digits, k)  # (64,), (4, 64): the top 4 principal directions
set_seed(0)
linear_net = linear_autoencoder(k, n_in=64)
optimizer = torch.optim.Adam(linear_net.parameters(), lr=3e-2)
for step in range(1500):  # full batch: every step sees all 1797 digits
    loss = ((linear_net(X_digits) - X_digits) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
V = linear_net.decoder.weight.detach()  # (64, 4): its columns span the decoder's subspace
angles = principal_angles(V, components.T)
pca_error = ((pca_reconstruct(X_digits, mean, components) - X_digits) ** 2).mean().item()

# %% tags=["nbval-ignore-output"]
print("principal angles (degrees):", np.round(angles.numpy(), 2))
print(f"MSE: linear autoencoder {loss.item():.5f}, PCA {pca_error:.5f}")
cosines = (torch.nn.functional.normalize(V, dim=0).T @ components.T).abs()  # (4, 4)
print("|cos| between decoder column 1 and each principal direction:",
      np.round(cosines[0].numpy(), 2))

# %%
print("every principal angle below 1 degree:", bool(angles.max() < 1.0))
print("autoencoder MSE within 1 % of PCA's:", abs(loss.item() / pca_error - 1) < 0.01)
print("a single decoder column is NOT a principal direction (max |cos| < 0.99):",
      bool(cosines[0].max() < 0.99))

# %% [markdown]
# The angles are (rounded) zero: the learned decoder spans the PCA subspace, and its
# error equals PCA's, the minimum for any linear code of size 4. Yet no single decoder
# column is a principal direction (the last line): the autoencoder found *a* basis of the
# subspace, not the ordered, orthogonal one PCA gives.
#
# ## 3. Non-linear autoencoders beat PCA at the same code size
#
# With non-linear $f$ and $g$ the reconstructions may lie on a curved surface (a
# manifold) instead of a flat subspace: "a more powerful nonlinear generalization of PCA"
# (GBC §14.1). We compare on Fashion-MNIST, training on 4,000 images and measuring the
# reconstruction MSE on 2,000 **held-out** test images, for code sizes 2 to 32:
#
# - **PCA** (exact, by SVD);
# - a **linear autoencoder** trained by mini-batch Adam for only 5 epochs (PCA's error is
#   the best it could reach, section 2);
# - a **non-linear autoencoder** $784 \to 128 \to k \to 128 \to 784$ (ReLU, sigmoid output;
#   10 epochs).

# %% tags=["nbval-ignore-output"]
code_sizes = [2, 4, 8, 16, 32]
errors = {"PCA": [], "linear AE": [], "non-linear AE": []}
nets = {}
for k in code_sizes:
    mean, components = pca_fit(X, k)
    errors["PCA"].append(((pca_reconstruct(X_test, mean, components) - X_test) ** 2).mean().item())
    set_seed(0)
    linear_net = linear_autoencoder(k)
    train_autoencoder(linear_net, X, num_epochs=5, lr=3e-3)
    errors["linear AE"].append(reconstruction_error(linear_net, X_test))
    set_seed(0)
    nets[k] = mlp_autoencoder(k, hidden=(128,))
    train_autoencoder(nets[k], X, num_epochs=10, lr=2e-3)
    errors["non-linear AE"].append(reconstruction_error(nets[k], X_test))
print("held-out MSE   " + "  ".join(f"k={k:<5d}" for k in code_sizes))
for name, values in errors.items():
    print(f"{name:14s} " + "  ".join(f"{v:.4f} " for v in values))

# %%
pca, linear, nonlinear = (np.array(errors[name]) for name in errors)
print("non-linear AE beats PCA by more than 10 % at k = 2, 4 and 8:",
      bool(np.all(nonlinear[:3] < 0.9 * pca[:3])))
print("at k = 32 PCA beats this briefly trained non-linear AE:", bool(pca[4] < 0.95 * nonlinear[4]))
print("linear AE is never better than PCA (within 1 %):", bool(np.all(linear > 0.99 * pca)))

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.6))
for (name, values), color, marker in zip(errors.items(), OKABE_ITO, "osD"):
    ax.plot(code_sizes, values, marker=marker, color=color, label=name)
ax.set(xscale="log", xticks=code_sizes, xticklabels=code_sizes, xlabel="code size k",
       ylabel="held-out reconstruction MSE", title="Fashion-MNIST: error against code size")
ax.legend()
plt.show()

# %% [markdown]
# The check cells above state the result. The briefly trained linear autoencoder stays
# well above PCA, its optimum: gradient descent finds the directions of small variance
# slowly (section 2 needed 1,500 full-batch steps on 64 pixels). At small codes the non-linear autoencoder wins
# clearly, because a curved surface fits the data better than a flat one of the same
# dimension. At $k = 32$ PCA is better *here*: with 4,000 images and 10 epochs the
# non-linear network is not trained to its optimum, while PCA is exact. More data and
# longer training move the crossing point, but the lesson holds: an autoencoder is only as
# good as its training.
#
# What the codes keep, for $k = 2$ and $k = 8$ (top: held-out originals):

# %%
def reconstructions_grid(rows, titles, n=8):
    """One row of n images per entry of `rows` (each (N, 784))."""
    fig, axes = plt.subplots(len(rows), n, figsize=(n * 0.9, len(rows) * 1.0))
    for r, (images, title) in enumerate(zip(rows, titles)):
        for c in range(n):
            axes[r, c].imshow(images[c].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
            axes[r, c].axis("off")
        axes[r, 0].set_title(title, fontsize=8, loc="left")
    plt.show()


mean8, components8 = pca_fit(X, 8)
reconstructions_grid(
    [X_test, pca_reconstruct(X_test, mean8, components8).clamp(0, 1), reconstruct(nets[8], X_test),
     reconstruct(nets[2], X_test)],
    ["original", "PCA, k = 8", "non-linear AE, k = 8", "non-linear AE, k = 2"])

# %% [markdown]
# **Demo: the code-size slider.** Move the slider to pick a code size $k$; the picture shows
# eight held-out images (top), their PCA reconstruction and the non-linear autoencoder's at
# that $k$, and the line below it the held-out MSE of the three methods from the table above.

# %%
def code_size_png(k):
    """PNG bytes: 8 held-out originals, PCA and non-linear AE reconstructions at code size k."""
    mean_k, components_k = pca_fit(X, k)
    rows = [X_test[:8], pca_reconstruct(X_test[:8], mean_k, components_k).clamp(0, 1),
            reconstruct(nets[k], X_test[:8])]
    mosaic = torch.cat([torch.cat(list(row.reshape(8, 28, 28)), dim=1) for row in rows])  # (84, 224)
    gray = (255 * (1 - mosaic)).round().to(torch.uint8).repeat_interleave(2, 0).repeat_interleave(2, 1)
    return encode_png(np.dstack([gray.numpy()] * 3 + [np.full(gray.shape, 255, np.uint8)]))  # (168, 448, 4)


pictures = {k: code_size_png(k) for k in code_sizes}  # drawn once: a slider move only swaps them
slider = widgets.SelectionSlider(options=code_sizes, value=8, description="code size k")
caption = widgets.HTML()
image = widgets.Image(format="png")


def show_code_size(k):
    i = code_sizes.index(k)
    image.value = pictures[k]
    caption.value = ("rows: original, PCA, non-linear AE. Held-out MSE at k = "
                     f"{k}: PCA {errors['PCA'][i]:.4f}, linear AE {errors['linear AE'][i]:.4f}, "
                     f"non-linear AE {errors['non-linear AE'][i]:.4f}")


slider.observe(lambda change: show_code_size(change["new"]), names="value")
show_code_size(slider.value)
Demo(widgets.VBox([slider, image, caption]), {"k": slider}, SimpleNamespace(image=image))

# %% [markdown]
# ## 4. A code as large as the input
#
# If the code has as many dimensions as the input ($k = 784$), nothing forces the
# autoencoder to learn anything: $f = g = $ identity reconstructs **every** input perfectly.
# We build that solution by hand and compare it with the undercomplete $k = 8$ network on
# something that is not a garment at all, uniform noise:

# %%
identity = linear_autoencoder(784)
with torch.no_grad():
    identity.encoder.weight.copy_(torch.eye(784))
    identity.decoder.weight.copy_(torch.eye(784))
    identity.encoder.bias.zero_()
    identity.decoder.bias.zero_()
noise = torch.rand(500, 784, generator=torch.Generator().manual_seed(0))  # (500, 784)
print(f"identity (k = 784): MSE on garments {reconstruction_error(identity, X_test):.4f}, "
      f"on noise {reconstruction_error(identity, noise):.4f}")

# %% tags=["nbval-ignore-output"]
error_garments = reconstruction_error(nets[8], X_test)
error_noise = reconstruction_error(nets[8], noise)
print(f"non-linear AE (k = 8): MSE on garments {error_garments:.4f}, on noise {error_noise:.4f}")

# %%
print("the k = 8 autoencoder reconstructs noise at least 5x worse than garments:",
      error_noise > 5 * error_garments)

# %% [markdown]
# The identity has zero loss and has learned nothing about clothes: it "reconstructs" noise
# just as well. The undercomplete network fails on noise because it has kept only what is
# typical of the training images, and that failure is exactly what makes its code useful
# (lesson 04 uses it to detect anomalies). An overcomplete ($k > 784$) or very high-capacity
# autoencoder has the same problem, unless something else stops it from copying: a
# regulariser (lesson 02).
#
# > **The notes say** (002:L3441) "undercomplete autoencoders do not need any
# > regularization as they maximize the probability of data rather than copying". **In
# > fact** GBC §14.2 says this of *variational autoencoders and generative stochastic
# > networks*. An undercomplete autoencoder is kept from copying by its bottleneck, and
# > it can still fail if the encoder and decoder have too much capacity (GBC §14.1: a
# > powerful enough encoder could map each training example to one integer code and learn
# > nothing useful).
# >
# > **The notes say** (004:L881–883) the undercomplete code is "loss-free" and reconstructs
# > the input perfectly. **In fact** a code smaller than the input loses information in
# > general: the held-out errors printed in section 3 are all greater than zero.
#
# ## 5. Exercises
#
# **Exercise 1.** The notes' autoencoder has a code of 32 numbers for 784 pixels. What
# code size gives a compression factor of 49?

# %%
code_size_49 = ...  # your answer, an integer
check(code_size_49, 784 / 49, hint="compression factor = input size / code size")

# %% tags=["solution"] jupyter={"source_hidden": true}
code_size_49 = 784 // 49
check(code_size_49, 784 / 49)

# %% [markdown]
# **Exercise 2.** Write `pca_mse(X_train, X_eval, k)`: fit PCA with $k$ components on
# `X_train` and return the mean squared reconstruction error on `X_eval` (a float). Use
# `torch.linalg.svd` on the centred training data.

# %%
def pca_mse(X_train, X_eval, k):
    ...  # your code


def reference_pca_mse(X_train, X_eval, k):
    mean, components = pca_fit(X_train, k)
    return ((pca_reconstruct(X_eval, mean, components) - X_eval) ** 2).mean().item()


test_inputs = [(X_digits[:1000], X_digits[1000:], k) for k in (1, 3, 10)]
check_function(pca_mse, reference_pca_mse, test_inputs,
               hint="mean = X_train.mean(0); _, _, Vh = svd(X_train - mean); P = Vh[:k]; "
               "reconstruction = (X_eval - mean) @ P.T @ P + mean")

# %% tags=["solution"] jupyter={"source_hidden": true}
def pca_mse(X_train, X_eval, k):
    mean = X_train.mean(0)
    _, _, Vh = torch.linalg.svd(X_train - mean, full_matrices=False)
    P = Vh[:k]  # (k, d)
    X_hat = (X_eval - mean) @ P.T @ P + mean  # (N, d)
    return ((X_hat - X_eval) ** 2).mean().item()


check_function(pca_mse, reference_pca_mse, test_inputs)

# %% [markdown]
# **Exercise 3.** Two subspaces of $\mathbb R^3$: the $x$–$y$ plane and the plane spanned
# by $(1, 0, 0)$ and $(0, 1, 1)$. What is the largest principal angle between them, in
# degrees? Compute it with `principal_angles`.

# %%
largest_angle = ...  # your answer: principal_angles(A, B).max().item()
check(largest_angle, 45.0, hint="A = torch.tensor([[1., 0], [0, 1], [0, 0]]), "
      "B = torch.tensor([[1., 0], [0, 1], [0, 1]])", atol=1e-3)

# %% tags=["solution"] jupyter={"source_hidden": true}
A = torch.tensor([[1.0, 0], [0, 1], [0, 0]])  # columns span the x-y plane
B = torch.tensor([[1.0, 0], [0, 1], [0, 1]])  # columns (1, 0, 0) and (0, 1, 1)
largest_angle = principal_angles(A, B).max().item()
check(largest_angle, 45.0, atol=1e-3)

# %% [markdown]
# ## 6. Review questions (Part A)

# %%
quiz("What are the three components of an autoencoder?",
     ["Encoder, code, decoder", "Generator, discriminator, noise", "Input, hidden, softmax"],
     answer=0, explanation="h = f(x) is the code, produced by the encoder f; the decoder g "
     "maps it back to a reconstruction g(h).")

# %%
quiz("A linear autoencoder with a k-dimensional code is trained with the squared error. "
     "What does it learn?",
     ["The top k principal directions, in order", "A basis of the span of the top k "
      "principal directions", "Nothing: linear autoencoders copy their input"],
     answer=1, explanation="Its decoder spans the PCA subspace (principal angles 0), but any "
     "invertible mixing of the code gives the same reconstructions.")

# %%
quiz("Why can an autoencoder with a code as large as its input be useless?",
     ["It cannot be trained with gradient descent", "It can learn the identity, which has "
      "zero loss and captures nothing about the data", "Its loss is not differentiable"],
     answer=1, explanation="The identity reconstructs every input, noise included (section 4).")

# %% [markdown]
# <details><summary><b>Name three properties of autoencoders. (Unit V, Q2)</b></summary>
# Data-specific (they compress well only data like their training data: the k = 8
# network reconstructs noise badly), lossy (the reconstruction is an approximation), and
# trained without labels (self-supervised: the target is the input).
# </details>
#
# <details><summary><b>Write the loss of an undercomplete autoencoder, and say when it
# learns the same subspace as PCA. (Unit V, Q3)</b></summary>
# L(x, g(f(x))), for example the squared error ‖x − g(f(x))‖², with a code h = f(x) of
# fewer dimensions than x. With a linear decoder and the mean squared error it learns the
# span of the top principal directions (GBC §14.1).
# </details>
#
# <details><summary><b>What are the hyperparameters of an autoencoder?</b></summary>
# The code size, the number of layers, the number of units per layer (usually shrinking
# towards the code and growing back), and the loss (binary cross-entropy for inputs in
# [0, 1], or the squared error; lesson 03 shows each is a likelihood).
# </details>
#
# ## Summary
# - An autoencoder is trained to reconstruct its input through a code: $h = f(x)$,
#   $\hat x = g(h)$, loss $L(x, g(f(x)))$; undercomplete means $\dim h < \dim x$.
# - Linear with squared error: it spans the PCA subspace (principal angles printed above,
#   all below 1°), though not with the principal directions themselves.
# - Non-linear: better than PCA at small code sizes on held-out data (checked at
#   $k = 2, 4, 8$), if it is trained well enough.
# - A code as large as the input admits the identity: zero error, nothing learned.
#
# **Next:** lesson 02 keeps large codes useful with regularisers: sparsity, denoising and
# contraction.
