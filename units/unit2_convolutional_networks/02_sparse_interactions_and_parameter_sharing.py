# %% [markdown]
# # Sparse interactions and parameter sharing (syllabus II.2, II.3)
#
# **What you will learn**
# - that a convolution is a matrix multiplication by a **banded (Toeplitz) matrix**, and
#   how few of its entries are non-zero next to a dense layer's;
# - the **receptive field** of a unit, "seen from below" and "from above", and how it
#   grows with depth: $1 + L(k-1)$, measured with autograd;
# - the output-size formula $\lfloor (W - F + 2P)/S \rfloor + 1$ and the layer's
#   hyperparameters (number of filters, size, stride, padding);
# - parameter and multiplication counts of dense, locally connected, tiled and
#   convolutional layers, with the GBC §9.2 edge-detection example (320×280) computed;
# - a demo: select an input and see the outputs it affects, or the reverse.

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
import matplotlib.pyplot as plt

from utils.checks import check, check_function, quiz
from utils.cnn import conv_matrix_1d, correlate1d, layer_counts, receptive_field
from utils.data import load_fashion_mnist
from utils.demos import receptive_field as rf_demo
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. A convolution is a (very sparse) matrix product
#
# A dense layer computes $s = Wx$: every output interacts with every input through its own
# weight. A valid 1-D convolution with a kernel $w$ of width $k$ is also linear, so it too
# is a matrix product $s = Cx$, but the matrix $C$ has a special form: row $i$ holds the
# kernel in columns $i, \dots, i + k - 1$ and zeros elsewhere, and every row holds the
# *same* $k$ numbers (a **banded Toeplitz** matrix, Goodfellow, Bengio & Courville, *Deep
# Learning*, §9.1; GBC below).

# %%
n, w = 10, np.array([1.0, -2.0, 0.5])
C = conv_matrix_1d(n, w)  # (8, 10)
x = np.random.default_rng(0).standard_normal(n)
print(C)
print("C @ x == F.conv1d(x, w):",
      np.allclose(C @ x, F.conv1d(torch.tensor(x).reshape(1, 1, n), torch.tensor(w).reshape(1, 1, 3))[0, 0]))
print(f"non-zeros: {np.count_nonzero(C)} of {C.size}; distinct values: {sorted(set(w.tolist()))}")

# %%
W_dense = np.random.default_rng(1).standard_normal(C.shape)  # (8, 10): a dense layer of the same shape
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
for ax, M, title in [(axes[0], W_dense, f"dense W: {W_dense.size} weights"),
                     (axes[1], C, f"convolution C: {np.count_nonzero(C)} non-zeros, 3 weights")]:
    ax.imshow(np.where(M == 0, np.nan, M), cmap="coolwarm", vmin=-2.5, vmax=2.5)
    ax.set(title=title, xlabel="input i", ylabel="output j")
plt.show()

# %% [markdown]
# Two savings are visible (GBC §9.2):
#
# - **sparse interactions** (sparse connectivity): each output depends only on $k$ inputs,
#   because the kernel is smaller than the input. With $m$ inputs and $n$ outputs a dense
#   layer needs $m \times n$ weights and $O(m \times n)$ operations; limiting each output
#   to $k$ inputs needs $k \times n$ of each;
# - **parameter sharing** (tied weights): the same $k$ weights are used at every position,
#   so the layer *stores* only $k$ numbers; the run time stays $O(k \times n)$.
#
# ## 2. The receptive field, from below and from above
#
# "From below": input $x_3$ affects only the outputs whose window contains it. "From
# above": output $s_3$ depends only on the inputs in its window, its **receptive field**.
# In a stack of $L$ layers of width $k$ (stride 1) each layer widens the window by $k - 1$,
# so a unit of layer $L$ sees $1 + L(k - 1)$ inputs: deep units are *indirectly* connected
# to most of the input, though each layer is sparse (GBC fig. 9.4). We measure the field
# with autograd: the gradient of one top unit is non-zero exactly on the inputs it depends
# on.

# %%
def measured_field(num_layers, k, n=40):
    """Inputs with a non-zero gradient of one output in the middle of the top layer."""
    x = torch.zeros(1, 1, n, requires_grad=True)  # (N, C, L)
    h = x
    for _ in range(num_layers):
        h = F.conv1d(h, torch.ones(1, 1, k))  # (1, 1, length - k + 1)
    h[0, 0, h.shape[-1] // 2].backward()
    return int((x.grad != 0).sum())


for k in (3, 5):
    print(f"k = {k}:", ", ".join(f"L={L}: {measured_field(L, k)} (formula {receptive_field(L, k)})"
                                  for L in (1, 2, 3, 4)))

# %% [markdown]
# ## 3. How many outputs fit: the output size
#
# A convolution layer has four hyperparameters (Part-A Q7): the number of filters
# (the **depth** of the output), their size $F$, the **stride** $S$ and the
# **zero-padding** $P$. Along one axis of width $W$, the kernel's first cell can sit at
# $0, S, 2S, \dots$ as long as the kernel still fits into the padded input, so
#
# $$\text{outputs} = \left\lfloor \frac{W - F + 2P}{S} \right\rfloor + 1 .$$
#
# The notes' example (002:L1892): $W = 5$, $F = 2$, $P = 0$, $S = 1$ gives 4 (a 4×4 map).
# The formula against torch on a few settings:

# %%
def outputs(W, F_, P, S):
    return (W - F_ + 2 * P) // S + 1


for W, F_, P, S in [(5, 2, 0, 1), (32, 5, 2, 1), (28, 3, 0, 2), (7, 3, 1, 2), (227, 11, 0, 4)]:
    torch_size = F.conv2d(torch.zeros(1, 1, W, W), torch.zeros(1, 1, F_, F_), stride=S, padding=P).shape[-1]
    print(f"W={W:3d} F={F_:2d} P={P} S={S}: formula {outputs(W, F_, P, S):3d}, torch {torch_size:3d}")

# %% [markdown]
# ## 4. Counting parameters and multiplications
#
# One 28×28 input map, one 3×3 window, one 26×26 output map, four ways to connect them
# (GBC §9.5, fig. 9.16): **dense** (every output sees all 784 inputs), **locally
# connected** (each output has its own 3×3 weights: sparse but not shared), **tiled**
# (2×2 = 4 kernels cycled over the positions) and **convolutional** (one kernel shared by
# all positions). Biases are left out.

# %%
counts = layer_counts(28, 28, 3, t=2)
for kind, c in counts.items():
    print(f"{kind:18s} weights {c['weights']:>8,d}   multiplications {c['multiplications']:>8,d}")
print("sharing does not change the multiplications (6,084 for all but dense):",
      {c["multiplications"] for kind, c in counts.items() if kind != "dense"} == {26 * 26 * 9})

# %%
fig, ax = plt.subplots(figsize=(7, 3))
ax.barh(list(counts), [c["weights"] for c in counts.values()], color="#0072B2")
ax.set_xscale("log")
ax.set(xlabel="weights (log scale)", title="28×28 → 26×26 with a 3×3 window")
ax.invert_yaxis()
plt.show()

# %% [markdown]
# Sparse connectivity cuts the multiplications from 529,984 to 6,084 (printed above);
# sharing cuts the *stored* weights further, from 6,084 to 9, without changing the number
# of multiplications. Fewer parameters need less memory and fewer examples to estimate
# (statistical efficiency). Sharing also makes the layer **equivariant to translation**, the
# third motivation (lesson 03).
#
# ### GBC's edge-detection example
#
# GBC §9.2 detects vertical edges in a 320×280 image by subtracting each pixel's left
# neighbour: a convolution with the two-weight kernel $[-1, 1]$. We build a 280×320 image
# from Fashion-MNIST pictures and count.

# %%
data = load_fashion_mnist()
tiles = data.X_test[:120, 0]  # (120, 28, 28)
mosaic = tiles.reshape(10, 12, 28, 28).permute(0, 2, 1, 3).reshape(280, 336)[:, :320]  # (280, 320)
edges = F.conv2d(mosaic.reshape(1, 1, 280, 320), torch.tensor([[[[-1.0, 1.0]]]]))[0, 0]  # (280, 319)
gbc = layer_counts(280, 320, 1, kw=2)
out_pixels = edges.numel()
print("image", tuple(mosaic.shape), "-> edge map", tuple(edges.shape))
print(f"convolution: {gbc['convolutional']['weights']} weights, "
      f"{gbc['convolutional']['multiplications']:,} multiplications + {out_pixels:,} additions "
      f"= {gbc['convolutional']['multiplications'] + out_pixels:,} floating-point operations")
print(f"dense matrix: {gbc['dense']['weights']:,} entries (about {gbc['dense']['weights']:.1e}),"
      f" {gbc['dense']['weights'] * 4 / 1e9:.0f} GB in float32")
print(f"the same as a sparse matrix: {gbc['locally connected']['weights']:,} stored entries")
print("GBC §9.2's numbers (267,960 operations; about 8.0e9 dense entries):",
      gbc["convolutional"]["multiplications"] + out_pixels == 267_960,
      round(gbc["dense"]["weights"] / 1e9, 1) == 8.0)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
axes[0].imshow(mosaic, cmap="gray")
axes[0].set_title("input 280×320")
axes[1].imshow(edges, cmap="gray")
axes[1].set_title("x[i, j + 1] − x[i, j]: vertical edges")
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# The two-weight convolution did in 267,960 operations what a dense layer would need an
# 8-billion-entry matrix for (both printed above, and checked equal to GBC §9.2's numbers).
#
# > **The notes say** (002:L378, L1872) the output of a convolution "focuses solely on the
# > regions of the data which exhibited the feature it was searching for". **In fact**
# > sparse connectivity is a property of the wiring, not of the data: every output is
# > computed, from a small local window of the input; large outputs are where the window
# > resembles the kernel. Nothing is switched off.
#
# ## 5. Demo: which outputs does one input affect?
#
# The left panel draws a stack of 1-D layers (inputs at the bottom). Select an input with
# the slider and the orange units above it are those it affects; switch the dropdown to
# "output → inputs it depends on" to see a top unit's receptive field. Make the layers
# **dense** and every unit is connected to everything. The right panel is the first
# layer's matrix, with the selected input's column (or output's row) in orange; the line
# under the figure counts connections and weights.

# %%
rf_demo.demo()

# %% [markdown]
# The demo's model function, for the record (the test suite compares it with autograd):

# %%
up = rf_demo.connectivity(rf_demo.ConnSettings(n=16, k=3, layers=3, unit=8))
down = rf_demo.connectivity(rf_demo.ConnSettings(n=16, k=3, layers=3, unit=4,
                                                 direction=rf_demo.DIRECTIONS[1]))
print(up.message)
print(down.message)
print(up.counts)

# %% [markdown]
# ## 6. Exercises
#
# **Exercise 1.** Write `conv_matrix(n, w)`: the $(n - k + 1) \times n$ matrix of the
# valid 1-D cross-correlation with kernel `w`, so that `conv_matrix(n, w) @ x` equals
# `F.conv1d` of `x` with `w`.

# %%
def conv_matrix(n, w):
    ...  # your code: a numpy array of shape (n - len(w) + 1, n)


matrix_inputs = [(6, np.array([1.0, -1.0])), (8, np.array([0.25, 0.5, 0.25])), (5, np.array([2.0]))]
check_function(conv_matrix, conv_matrix_1d, matrix_inputs,
               hint="row i is zero except columns i .. i + k - 1, which hold w")

# %% tags=["solution"] jupyter={"source_hidden": true}
def conv_matrix(n, w):
    k = len(w)
    C = np.zeros((n - k + 1, n))
    for i in range(n - k + 1):
        C[i, i:i + k] = w
    return C


check_function(conv_matrix, conv_matrix_1d, matrix_inputs)

# %% [markdown]
# **Exercise 2.** How many parameters (weights and biases) does `nn.Conv2d(3, 16,
# kernel_size=5)` have, and how many would a dense layer from a 3×32×32 input to the same
# 16×28×28 output need (with biases)? Give the pair `(conv, dense)`.

# %%
answer = ...  # your answer: a tuple (conv, dense)
check(answer, (sum(p.numel() for p in torch.nn.Conv2d(3, 16, 5).parameters()),
               3 * 32 * 32 * 16 * 28 * 28 + 16 * 28 * 28),
      hint="a filter has 5·5·3 weights and one bias; the dense layer has one weight per (input, output) pair")

# %% tags=["solution"] jupyter={"source_hidden": true}
answer = (16 * (5 * 5 * 3) + 16, 3 * 32 * 32 * 16 * 28 * 28 + 16 * 28 * 28)
check(answer, (sum(p.numel() for p in torch.nn.Conv2d(3, 16, 5).parameters()),
               3 * 32 * 32 * 16 * 28 * 28 + 16 * 28 * 28))

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("What are the three motivations for convolution in GBC §9.2?",
     ["Sparse interactions, parameter sharing, equivariant representations",
      "Pooling, padding, stride", "Rotation invariance, scale invariance, sparsity"],
     answer=0, explanation="Pooling and strides are tools; rotation and scale invariance are not given by convolution.")

# %%
quiz("A 5×5 input and a 2×2 filter, stride 1, no padding: how many outputs fit?",
     ["4×4", "3×3", "5×5", "2.5×2.5"],
     answer=0, explanation="⌊(5 − 2 + 0)/1⌋ + 1 = 4 per axis.")

# %%
quiz("Parameter sharing reduces which cost of a convolution layer?",
     ["The stored parameters (to k per kernel)", "The run time (below O(k × n))",
      "The number of outputs"],
     answer=0, explanation="Run time stays O(k × n); sharing only reduces what is stored and learned.")

# %% [markdown]
# <details><summary><b>What are the motivations of convolution? (Q5)</b></summary>
# Sparse interactions (each output depends on a small window, so far fewer weights and
# operations), parameter sharing (one kernel used at every position, so only k weights
# are stored) and equivariant representations (a shifted input gives a shifted output).
# Convolution also handles inputs of varying size.
# </details>
#
# <details><summary><b>Define sparse connectivity (sparse interactions). (Q6)</b></summary>
# Each output unit is connected only to the inputs in a small window (its receptive
# field), because the kernel is smaller than the input: $k \times n$ connections instead of
# $m \times n$. Example: a 5×5 input with a 2×2 filter gives a 4×4 map; each output uses 4
# inputs, and the first is $1\cdot0 + 2\cdot1 + 2\cdot1 + 1\cdot2 = 6$ (lesson 01).
# Deeper units still see a large part of the input indirectly: $1 + L(k-1)$ inputs.
# </details>
#
# <details><summary><b>Which hyperparameters does each convolution layer have? (Q7)</b></summary>
# The number of filters (the depth of the output), the filter size F, the stride S and the
# zero-padding P (and, for dilated convolutions, the dilation).
# </details>
#
# <details><summary><b>Give the formula for how many neurons "fit". (Q8)</b></summary>
# $\lfloor (W - F + 2P)/S \rfloor + 1$ per axis: W input size, F filter size, P padding,
# S stride; round down when the division is not exact.
# </details>
#
# <details><summary><b>What is parameter sharing? (Q9)</b></summary>
# Using the same weights for several positions: one kernel slides over the whole input
# ("tied weights"), so a 3×3 convolution stores 9 weights however large the image, where a
# locally connected layer stores 9 per output position (6,084 for 28×28 → 26×26).
# </details>
#
# ## Summary
# - A convolution is multiplication by a banded Toeplitz matrix: few non-zeros (sparse
#   interactions), and the same numbers in every row (parameter sharing).
# - Receptive fields grow by $k - 1$ per layer: $1 + L(k-1)$ (measured by autograd).
# - 28×28 → 26×26: 529,984 dense weights, 6,084 locally connected, 36 tiled, 9 shared;
#   GBC's edge detector: 2 weights and 267,960 operations against an 8×10⁹-entry matrix.
#
# **Next:** equivariance and pooling (lesson 03).
