# %% [markdown]
# # Convolution variants: strided, tiled, transposed and dilated (syllabus II.6, II.7, II.8)
#
# **What you will learn**
# - strided convolution, from scratch and with torch, on the notes' 7×7 example (and the
#   three wrong entries of the notes' answer);
# - the output-size formula $\lfloor (W + 2P - D(K-1) - 1)/S \rfloor + 1$ and the padding
#   presets *valid*, *same* and *full*, checked against torch;
# - tiled convolution, between ordinary convolution and a locally connected layer, written
#   with `unfold`, and what each costs in parameters;
# - transposed convolution: its size formula, and why it is the *transpose* (the gradient)
#   of a convolution, checked numerically with autograd;
# - dilated convolution: the correct formula and how fast the receptive field grows.

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

from utils.checks import check, check_function, quiz
from utils.demos.convolution import (NOTES_K, NOTES_X, NOTES_Y_PRINTED, conv_output_size,
                                     conv_transpose_output_size, demo, effective_kernel_size,
                                     resolve_padding)
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. Strided convolution (II.6)
#
# A convolution layer in torch computes a **cross-correlation**: the kernel $K$ slides over
# the input $V$ and each output is the sum of the element-wise products under it. With a
# **stride** $s$ the kernel jumps $s$ cells at a time (GBC §9.5, Eq. 9.8, with indices from 0):
#
# $$Z_{i,j} = \sum_{m,n} V_{is + m,\; js + n}\, K_{m,n}.$$
#
# From scratch, for one channel:

# %%
def conv2d(X, K, stride=1):
    """Cross-correlation of X (H, W) with K (k, k), no padding."""
    k = len(K)
    o = (len(X) - k) // stride + 1
    Z = torch.zeros(o, o, dtype=X.dtype)
    for i in range(o):
        for j in range(o):
            Z[i, j] = (X[i * stride:i * stride + k, j * stride:j * stride + k] * K).sum()
    return Z


# %% [markdown]
# The notes' example (002:L2079–2105): a 7×7 input and a 3×3 kernel with stride 2.

# %%
X = torch.tensor(NOTES_X)  # (7, 7)
K = torch.tensor(NOTES_K)  # (3, 3)
Z = conv2d(X, K, stride=2)
print("input:", X.tolist())
print("kernel:", K.tolist())
print("output, stride 2:", Z.tolist())
X_4d = X.reshape(1, 1, 7, 7).float()  # (N, C, H, W)
K_4d = K.reshape(1, 1, 3, 3).float()  # (C_out, C_in, kH, kW)
Z_torch = F.conv2d(X_4d, K_4d, stride=2)  # (1, 1, 3, 3)
print("equals torch's F.conv2d:", torch.equal(Z.float(), Z_torch[0, 0]))

# %% [markdown]
# The notes print the output as `[[91, 110, 83], [69, 91, 127], [44, 72, 74]]`. Three
# entries disagree with the recomputation:

# %%
for i, j in np.argwhere(NOTES_Y_PRINTED != Z.numpy()):
    window = X[2 * i:2 * i + 3, 2 * j:2 * j + 3]
    print(f"entry ({i}, {j}): notes {NOTES_Y_PRINTED[i, j]}, correct {Z[i, j].item()} "
          f"(window rows {2 * i}-{2 * i + 2}, columns {2 * j}-{2 * j + 2})")

# %% [markdown]
# In the notes' text of the input (002:L2087–2089) the kernel's weights are printed as
# small superscripts over the bottom-right window, and row 7 reads "3 ⁻²" at column 5. That
# spot is garbled: the kernel's bottom-left weight is −1, not −2. We use a 2 there (above),
# because the notes' own last output, 74, needs it; with a 3 the last entry would be:

# %%
X_ocr = X.clone()
X_ocr[6, 4] = 3
last_with_3 = conv2d(X_ocr, K, stride=2)[2, 2].item()
print("last entry with a 3:", last_with_3, "| with a 2:", Z[2, 2].item(),
      "| the notes print:", NOTES_Y_PRINTED[2, 2])
print("the notes' 74 matches the 2, not the 3:",
      Z[2, 2].item() == NOTES_Y_PRINTED[2, 2] != last_with_3)

# %% [markdown]
# > **The notes say** (L2103–2105) that the result is `[[91, 110, 83], [69, 91, 127],
# > [44, 72, 74]]`. **In fact** it is `[[91, 100, 88], [69, 91, 117], [44, 72, 74]]`, as
# > computed above by hand-written loops and by torch from the notes' own input and
# > kernel. The other six printed entries agree with the recomputation (counted below),
# > which confirms that we read the input and the kernel as the notes meant them.
#
# %%
print("printed entries that agree with the recomputation:",
      int((NOTES_Y_PRINTED == Z.numpy()).sum()), "of 9")

# %% [markdown]
# A strided convolution computes exactly every $s$-th output of the ordinary convolution,
# at a fraction of the cost:

# %%
Z_dense = conv2d(X, K, stride=1)  # (5, 5)
print("stride 2 == every 2nd output of stride 1:", torch.equal(Z_dense[::2, ::2], Z))
print("multiplications: stride 1", Z_dense.numel() * K.numel(), "| stride 2", Z.numel() * K.numel())

# %% [markdown]
# ### The output size
#
# Along one axis the input has $W$ cells, plus $P$ zeros of **padding** on each side. A
# kernel of $K$ taps with **dilation** $D$ (taps $D$ cells apart; $D = 1$ is ordinary)
# covers $D(K-1) + 1$ cells, and its first cell can sit at $0, S, 2S, \dots$ as long as the
# kernel stays inside. So
#
# $$o = \left\lfloor \frac{W + 2P - D(K-1) - 1}{S} \right\rfloor + 1,$$
#
# which for $D = 1$ is the notes' $\lfloor (n + 2p - f)/s \rfloor + 1$: for their example
# $\lfloor (7 + 0 - 3)/2 \rfloor + 1 = 3$. The floor drops the positions where the kernel
# would stick out. The formula agrees with torch on every combination of a grid of small
# settings:

# %%
n_checked, n_equal = 0, 0
for W in range(1, 10):
    for k in range(1, 5):
        for p in range(3):
            for s in range(1, 4):
                for d in range(1, 4):
                    o = conv_output_size(W, k, p, s, d)
                    if o <= 0:
                        continue  # no kernel position fits: torch refuses
                    shape = F.conv2d(torch.zeros(1, 1, W, W), torch.zeros(1, 1, k, k),
                                     stride=s, padding=p, dilation=d).shape
                    n_checked += 1
                    n_equal += shape[-1] == o
print(f"formula == torch on {n_equal} of {n_checked} settings")

# %% [markdown]
# > **The notes say** (L2115) that the output size is $\frac{n - f + 2p}{s + 1}$. **In fact**
# > it is $\left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1$: the "+1" belongs outside the
# > fraction. Their own example shows it: the mistypeset formula gives
# > $(7 - 3 + 0)/(2 + 1) = 4/3$, not 3. The sentence after it (L2117, "an output that is
# > $(n - f + 2p)$") names only the numerator.

# %%
print("mistypeset formula (7 - 3 + 0) / (2 + 1) =", round((7 - 3 + 0) / (2 + 1), 3))
print("correct formula:", conv_output_size(7, 3, 0, 2))

# %% [markdown]
# ### Padding: valid, same and full
#
# Three amounts of zero padding have names. **Valid**: none, so the output shrinks by
# $D(K-1)$. **Same**: $D(K-1)$ zeros in total, so that with stride 1 the output has the
# input's size (torch puts the extra zero at the end when the total is odd). **Full**:
# $D(K-1)$ on each side, so that every kernel position that touches the input counts and
# the output *grows*. For the notes' 7×7 input and a 3×3 kernel:

# %%
for mode in ["valid", "same", "full"]:
    before, after = resolve_padding(mode, k=3, d=1)
    sizes = [conv_output_size(7, 3, (before, after), s) for s in (1, 2)]
    print(f"{mode:5}: padding {before} + {after}, output {sizes[0]} with stride 1, "
          f"{sizes[1]} with stride 2 and the same padding")

# %% [markdown]
# > **The notes say** (Q14, L436) "Padding preserves the size of the original image".
# > **In fact** only *same* padding does, and only with stride 1: valid padding shrinks the
# > output, full padding enlarges it, and with stride 2 even same padding halves it (torch
# > refuses `padding='same'` for strides above 1).
#
# ## 2. Demo: convolution arithmetic
#
# The left grid is the input with its zero padding (grey); the right grid is the output
# computed by `F.conv2d`. The blue cells are the kernel taps of one position (with
# dilation they are spread out), the orange frame the output cell they produce; the line
# under the figure adds up the products. Press Play to slide the kernel. In **transposed**
# mode the roles swap: one input cell (orange) adds a copy of the kernel into the output
# (blue), and padding *crops* the output (grey). The size formula is checked against
# torch's output, and the last line is the same layer in torch.

# %%
conv_demo = demo()
conv_demo

# %% [markdown]
# **Try this**
# - Step through the 9 positions of the notes' example and find the three entries the
#   notes got wrong (their values are in section 1).
# - Choose *same* padding with stride 1, then raise the stride to 2: read the message. Which
#   custom padding gives ⌈7/2⌉ = 4 outputs?
# - Set the dilation to 2 and 3 with a 3×3 kernel: how large is the footprint, and when does
#   it stop fitting into a 7×7 input?
# - Find an input size at which stride 2 leaves the last row and column unused.
# - Switch on *transposed* with kernel 3 and stride 2. Which output sizes can you reach
#   with output_padding 0 and 1? Why is output_padding 2 refused?
#
# ## 3. Tiled convolution (II.7)
#
# Between two extremes (GBC §9.5):
#
# - a **convolution** uses one kernel at every output position (parameter sharing);
# - a **locally connected** layer ("unshared convolution") has a separate kernel at every
#   output position: $Z_{i,j,k} = \sum_{l,m,n} V_{l,\,j+m-1,\,k+n-1}\, W_{i,j,k,l,m,n}$;
# - a **tiled** convolution learns $t \times t$ kernels and cycles through them as it moves:
#   $Z_{i,j,k} = \sum_{l,m,n} V_{l,\,j+m-1,\,k+n-1}\, K_{i,l,m,n,\; j \% t + 1,\; k \% t + 1}$.
#   Neighbouring outputs use different kernels; outputs $t$ apart share one.
#
# With `F.unfold`, which cuts every $k \times k$ patch out of the input as a column, each
# output is a dot product of its patch with the kernel chosen for its position:

# %%
def tiled_conv2d(X, K):
    """Tiled convolution. X (N, C_in, H, W); K (t, t, C_out, C_in, k, k): output (i, j)
    uses kernel K[i % t, j % t]. t = 1 is a convolution; t >= output size is a locally
    connected layer."""
    t, _, C_out, C_in, k, _ = K.shape
    N, _, H, W = X.shape
    oh, ow = H - k + 1, W - k + 1
    patches = F.unfold(X, k)  # (N, C_in*k*k, oh*ow): one column per patch
    patches = patches.reshape(N, C_in * k * k, oh, ow)  # (N, C_in*k*k, oh, ow)
    rows, cols = torch.arange(oh) % t, torch.arange(ow) % t
    kernels = K[rows[:, None], cols[None, :]]  # (oh, ow, C_out, C_in, k, k): one per output
    kernels = kernels.reshape(oh, ow, C_out, C_in * k * k)  # (oh, ow, C_out, C_in*k*k)
    return torch.einsum("npij,ijop->noij", patches, kernels)  # (N, C_out, oh, ow)


# %% [markdown]
# Two checks: with $t = 1$ it is `F.conv2d`; with one kernel per output position it is a
# locally connected layer, whose output $(i, j)$ we compute directly from its patch.

# %%
X_batch = torch.randn(2, 3, 8, 8)  # (N, C_in, H, W)
K_one = torch.randn(1, 1, 4, 3, 3, 3)  # t = 1: (1, 1, C_out, C_in, k, k)
same = torch.allclose(tiled_conv2d(X_batch, K_one), F.conv2d(X_batch, K_one[0, 0]), atol=1e-5)
print("t = 1 equals F.conv2d:", same)

K_local = torch.randn(6, 6, 4, 3, 3, 3)  # one kernel for each of the 6×6 outputs
Z_local = tiled_conv2d(X_batch, K_local)
direct = torch.zeros(2, 4, 6, 6)  # (N, C_out, 6, 6)
for i in range(6):
    for j in range(6):
        patch = X_batch[:, None, :, i:i + 3, j:j + 3]  # (N, 1, C_in, 3, 3)
        direct[:, :, i, j] = (patch * K_local[i, j]).sum(dim=(2, 3, 4))  # kernel (C_out, C_in, 3, 3)
print("t = 6 equals a locally connected layer:", torch.allclose(Z_local, direct, atol=1e-5))

# %% [markdown]
# Which kernel each output position uses, for an 8×8 output (compare GBC Fig. 9.16):

# %%
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
layouts = [(1, "convolution (t = 1)"), (2, "tiled, t = 2"), (8, "locally connected")]
for ax, (t, title) in zip(axes, layouts):
    rows, cols = np.indices((8, 8))
    ax.imshow((rows % t) * t + cols % t, cmap="tab20" if t < 8 else "viridis")
    ax.set_title(f"{title}: {t * t} kernel(s)", fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
fig.suptitle("Colour = which kernel computes that output")
plt.show()

# %% [markdown]
# The price of each choice is its number of parameters. For a layer from a 28×28 image
# (one channel) to one 26×26 map with 3×3 kernels, against a dense layer for comparison:

# %%
def n_weights(layer, t=1, H=28, k=3, C_in=1, C_out=1):
    o = H - k + 1
    per_kernel = C_out * C_in * k * k
    return {"dense": (H * H * C_in) * (o * o * C_out), "convolution": per_kernel,
            "tiled": t * t * per_kernel, "locally connected": o * o * per_kernel}[layer]


layers = [("convolution", 1), ("tiled", 2), ("tiled", 4), ("locally connected", 1), ("dense", 1)]
for layer, t in layers:
    name = f"{layer} (t = {t})" if layer == "tiled" else layer
    print(f"{name:18} {n_weights(layer, t):>9,} weights")

# %% [markdown]
# The counts follow from the shapes of the weight tensors we just used, e.g. for $t = 2$
# and 4 output channels from 3 input channels:

# %%
print("tiled t = 2, C_in = 3, C_out = 4:", torch.randn(2, 2, 4, 3, 3, 3).numel(), "=",
      n_weights("tiled", t=2, C_in=3, C_out=4))

# %% [markdown]
# > **The notes say** (L2121–2123) that tiled layers "can provide rotational and scale
# > invariance as well as the translational invariance". **In fact** tiling by itself gives
# > no invariance at all; it only lets neighbouring positions use different kernels. Ngiam et
# > al. (2010), whom the notes paraphrase without naming, found that pooling over tiled
# > maps can *learn* some invariance to rotation and scale from data: an approximate,
# > learned effect, not a property of the layer.
#
# ## 4. Transposed convolution (II.8)
#
# A convolution is a linear map, so it is a matrix $C$ times the flattened input:
# $z = C\,v$. Each row of $C$ holds the kernel weights at the positions of one window,
# zeros elsewhere. A **transposed convolution** multiplies by $C^\top$: it maps a vector
# of the *output's* shape back to the *input's* shape. We build $C$ for a 3×3 kernel on a
# 4×4 input (2×2 output) by convolving each of the 16 unit images:

# %%
kernel = torch.randn(1, 1, 3, 3)  # (C_out, C_in, k, k)
unit_images = torch.eye(16).reshape(16, 1, 4, 4)  # (16, 1, 4, 4): one pixel set in each
C = F.conv2d(unit_images, kernel).reshape(16, 4).T  # (4, 16): column m is conv(unit image m)
print("C has shape", tuple(C.shape), "with", int((C != 0).sum()), "non-zero entries of", C.numel())
z = torch.randn(1, 1, 2, 2)  # something of the output's shape
print("conv_transpose2d(z) == C^T z:",
      torch.allclose(F.conv_transpose2d(z, kernel).flatten(), C.T @ z.flatten(), atol=1e-5))

# %%
fig, ax = plt.subplots(figsize=(8, 2.4))
ax.imshow(C, cmap="RdBu_r", vmin=-C.abs().max(), vmax=C.abs().max())
ax.set(title="C: one row per output, one column per input pixel", xlabel="input pixel (flattened 4×4)",
       ylabel="output")
ax.grid(False)
plt.show()

# %% [markdown]
# **Transposed convolution is the gradient of convolution.** For $L = \sum_i z_i\,g_i$ with
# $z = Cv$, the gradient is $\partial L/\partial v = C^\top g$: backpropagation through a
# convolution layer *is* a transposed convolution of the incoming gradient (GBC §9.5). We
# check it with autograd for a strided, padded convolution:

# %%
v = torch.randn(1, 1, 5, 5, requires_grad=True)
g = torch.randn(1, 1, 3, 3)  # an incoming gradient of the output's shape
z = F.conv2d(v, kernel, stride=2, padding=1)  # (1, 1, 3, 3)
(z * g).sum().backward()
print("autograd gradient == conv_transpose2d(g):",
      torch.allclose(v.grad, F.conv_transpose2d(g, kernel, stride=2, padding=1), atol=1e-5))

# %% [markdown]
# The same convolution maps a 6×6 input to 3×3 too (the floor in the size formula), so the
# transpose cannot know whether to return 5×5 or 6×6. `output_padding` chooses: it adds
# rows and columns at the end, and must be smaller than the stride (or the dilation).

# %%
v6 = torch.randn(1, 1, 6, 6, requires_grad=True)
z6 = F.conv2d(v6, kernel, stride=2, padding=1)
(z6 * g).sum().backward()
print("6×6 input -> output", tuple(z6.shape[-2:]))
transposed = F.conv_transpose2d(g, kernel, stride=2, padding=1, output_padding=1)  # (1, 1, 6, 6)
print("gradient == conv_transpose2d(g, output_padding=1):", torch.allclose(v6.grad, transposed, atol=1e-5))

# %% [markdown]
# ### From scratch, and the size formula
#
# Read the other way, a transposed convolution **scatters**: every input cell adds its
# value times the kernel into the output, the copies $s$ cells apart, and then $p$ cells
# are cropped from each border. Hence the size
#
# $$o = (i - 1)\,s - 2p + D(k - 1) + \text{output\_padding} + 1.$$

# %%
def conv_transpose2d(Z, K, stride=1, padding=0):
    """Transposed convolution of Z (n, n) with K (k, k) as a scatter of kernel copies."""
    n, k = len(Z), len(K)
    side = (n - 1) * stride + k
    out = torch.zeros(side, side)
    for a in range(n):
        for b in range(n):
            out[a * stride:a * stride + k, b * stride:b * stride + k] += Z[a, b] * K
    return out[padding:side - padding, padding:side - padding]


Z_in, K_small = torch.randn(3, 3), torch.randn(3, 3)
ours = conv_transpose2d(Z_in, K_small, stride=2, padding=1)
theirs = F.conv_transpose2d(Z_in.reshape(1, 1, 3, 3), K_small.reshape(1, 1, 3, 3),
                            stride=2, padding=1)[0, 0]  # (5, 5)
print("scatter from scratch == torch:", torch.allclose(ours, theirs, atol=1e-5))

# %% [markdown]
# The notes' three examples (L2147–2151) with `nn.ConvTranspose2d`. The notes do not give
# the kernel, padding and input of the stride example; a 3×3 input with a 3×3 kernel and
# padding 1 is our reading, and it fits ("stride 2 increases the output from 3×3 to 5×5"):

# %%
examples = [("5×5, k=3, no padding", 5, 3, 0, 1),
            ("5×5, k=3, padding 1", 5, 3, 1, 1),
            ("3×3, k=3, padding 1, stride 1", 3, 3, 1, 1),
            ("3×3, k=3, padding 1, stride 2", 3, 3, 1, 2)]
for name, i, k, p, s in examples:
    layer = nn.ConvTranspose2d(1, 1, kernel_size=k, stride=s, padding=p)
    torch_size = layer(torch.zeros(1, 1, i, i)).shape[-1]
    formula = conv_transpose_output_size(i, k, p, s)
    print(f"{name:30} -> {torch_size}×{torch_size} "
          f"(formula {formula}, equal: {torch_size == formula})")

# %% [markdown]
# Padding *shrinks* a transposed convolution's output and stride *enlarges* it: the
# opposite of an ordinary convolution, because it is the transpose of one. The notes'
# description is right on this, and also right that a transposed convolution is not a
# deconvolution: it restores the shape, not the values. Convolving and then
# transpose-convolving with the same kernel does not give the input back:

# %%
v = torch.randn(1, 1, 5, 5)
round_trip = F.conv_transpose2d(F.conv2d(v, kernel, stride=2, padding=1), kernel, stride=2, padding=1)
print("shape restored:", round_trip.shape == v.shape,
      "| values restored:", torch.allclose(round_trip, v, atol=1e-3))

# %% [markdown]
# **Checkerboard artefacts.** When the kernel size is not a multiple of the stride, the
# kernel copies overlap unevenly. Even an all-ones kernel on an all-ones input gives a
# pattern of 1s, 2s and 4s; generators built from transposed convolutions can show it as
# a checkerboard (Unit V):

# %%
print(F.conv_transpose2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 3, 3), stride=2)[0, 0].int().tolist())

# %% [markdown]
# > **The notes** (L2131–2151) explain transposed convolution without a size formula.
# > **Add** $o = (i - 1)s - 2p + D(k - 1) + \text{output\_padding} + 1$; their three sizes
# > agree with it (checked above).
#
# ## 5. Dilated (atrous) convolution (II.8)
#
# A dilated convolution with rate $l$ spreads the kernel taps $l$ cells apart, skipping
# $l - 1$ cells between them; $l = 1$ is the ordinary convolution. In one dimension,
#
# $$(F *_l k)(p) = \sum_{s + l\,t = p} F(s)\, k(t) = \sum_t F(p - l\,t)\, k(t).$$
#
# > **The notes say** (L2186) $(F *_l k)(p) = \sum_{s + l = p} F(s)\,k(t)$. **In fact** the
# > condition must involve the kernel index: $s + l\,t = p$. As printed, $t$ appears in the
# > sum but nowhere in its condition, and $s = p - l$ picks a single input sample. The
# > notes also say (L2163) that dilation "expands the kernel (input)": it expands the
# > kernel's *footprint*; the input is not changed.
#
# The corrected formula, coded literally. It is a true convolution (the kernel index
# counts backwards over the input), while torch computes a cross-correlation, so we give
# torch the flipped kernel:

# %%
def dilated_conv1d(signal, k, l):
    """(signal *_l k)(p) = sum over t of signal[p - l*t] * k[t], wherever all taps fit."""
    taps = len(k)
    return torch.stack([sum(signal[p - l * t] * k[t] for t in range(taps))
                        for p in range(l * (taps - 1), len(signal))])


signal, k3 = torch.randn(20), torch.randn(3)
for l in [1, 2, 3]:
    theirs = F.conv1d(signal.reshape(1, 1, 20), k3.flip(0).reshape(1, 1, 3), dilation=l)[0, 0]
    print(f"l = {l}: output length {len(theirs)}, formula == F.conv1d(dilation={l}):",
          torch.allclose(dilated_conv1d(signal, k3, l), theirs, atol=1e-5))

# %% [markdown]
# A $k$-tap kernel with dilation $l$ covers $l(k-1) + 1$ cells with the same $k$ weights:
# a 3×3 kernel becomes 5×5 at $l = 2$ and 7×7 at $l = 3$, which on the notes' 7×7 input
# leaves a single output.

# %%
for l in [1, 2, 3]:
    footprint = effective_kernel_size(3, l)
    out = F.conv2d(torch.zeros(1, 1, 7, 7), torch.zeros(1, 1, 3, 3), dilation=l).shape[-1]
    print(f"dilation {l}: footprint {footprint}×{footprint}, "
          f"output on a 7×7 input {out}×{out}, weights 9")

# %% [markdown]
# **Receptive field.** Stacking dilated layers with rates 1, 2, 4, 8 (as WaveNet does) makes
# the receptive field grow exponentially with depth while the weights grow linearly. We
# measure it with autograd: back-propagate from one output and count the inputs that get a
# non-zero gradient (all-ones kernels, so nothing cancels). The formula is
# $1 + (k - 1)\sum_i l_i$.

# %%
def receptive_field(dilations, k=3, n=101):
    x = torch.zeros(1, 1, n, requires_grad=True)
    h = x
    for l in dilations:
        h = F.conv1d(h, torch.ones(1, 1, k), dilation=l, padding=l * (k - 1) // 2)  # keeps length n
    h[0, 0, n // 2].backward()
    return int((x.grad != 0).sum())


for name, dilations in [("ordinary", [1, 1, 1, 1]), ("dilated", [1, 2, 4, 8])]:
    sizes = [receptive_field(dilations[:depth]) for depth in range(1, 5)]
    formula = [1 + 2 * sum(dilations[:depth]) for depth in range(1, 5)]
    print(f"{name:8} layers 1-4: receptive field {sizes}, formula {formula}")

# %% [markdown]
# ## 6. Exercises
#
# The reference answers come from the demo's model functions (`conv_output_size`,
# `conv_transpose_output_size`, `effective_kernel_size`).
#
# **Exercise 1.** Write `conv_size(W, K, P, S, D)`, the output size of a convolution along
# one axis.

# %%
def conv_size(W, K, P=0, S=1, D=1):
    ...  # your code: return an integer


conv_inputs = [(7, 3, 0, 2, 1), (28, 5, 2, 1, 1), (32, 3, 1, 2, 1), (10, 3, 0, 1, 3), (9, 4, 1, 3, 2)]
check_function(conv_size, conv_output_size, conv_inputs,
               hint="the kernel covers D*(K-1)+1 cells; count the starts 0, S, 2S, ... that fit into W + 2P")

# %% tags=["solution"] jupyter={"source_hidden": true}
def conv_size(W, K, P=0, S=1, D=1):
    return (W + 2 * P - D * (K - 1) - 1) // S + 1


check_function(conv_size, conv_output_size, conv_inputs)

# %% [markdown]
# **Exercise 2.** Write `transposed_size(i, K, P, S, output_padding)` for a transposed
# convolution (dilation 1).

# %%
def transposed_size(i, K, P=0, S=1, output_padding=0):
    ...  # your code: return an integer


transposed_inputs = [(5, 3, 0, 1, 0), (5, 3, 1, 1, 0), (3, 3, 1, 2, 0), (3, 3, 1, 2, 1),
                     (7, 4, 1, 2, 0)]
check_function(transposed_size, lambda i, K, P, S, op: conv_transpose_output_size(i, K, P, S, 1, op),
               transposed_inputs,
               hint="each input cell adds a kernel copy S cells further; then crop P on each side")

# %% tags=["solution"] jupyter={"source_hidden": true}
def transposed_size(i, K, P=0, S=1, output_padding=0):
    return (i - 1) * S - 2 * P + K + output_padding


check_function(transposed_size, lambda i, K, P, S, op: conv_transpose_output_size(i, K, P, S, 1, op),
               transposed_inputs)

# %% [markdown]
# **Exercise 3.** Three 1-D layers with kernel size 3 and dilations 1, 2 and 4 are stacked.
# How many input samples does one output sample see (its receptive field)?

# %%
rf_answer = ...  # your answer, an integer
check(rf_answer, receptive_field([1, 2, 4]),
      hint="layer l adds (k-1)*l = 2*l cells to the receptive field; start from 1")

# %% tags=["solution"] jupyter={"source_hidden": true}
rf_answer = 1 + sum(effective_kernel_size(3, l) - 1 for l in [1, 2, 4])
check(rf_answer, receptive_field([1, 2, 4]))

# %% [markdown]
# **Exercise 4.** How many weights does a tiled convolution with $t = 3$ have, with 5×5
# kernels from 3 input channels to 8 output channels (no biases)?

# %%
n_tiled = ...  # your answer, an integer
check(n_tiled, torch.zeros(3, 3, 8, 3, 5, 5).numel(),
      hint="t*t kernel sets, each with C_out*C_in*k*k weights")

# %% tags=["solution"] jupyter={"source_hidden": true}
n_tiled = 3 * 3 * (8 * 3 * 5 * 5)
check(n_tiled, torch.zeros(3, 3, 8, 3, 5, 5).numel())

# %% [markdown]
# **Exercise 5.** Which entries of the notes' printed answer `NOTES_Y_PRINTED` are wrong?
# Compute the stride-2 convolution of `NOTES_X` with `NOTES_K` using your own code or torch,
# and return a boolean 3×3 array that is `True` where the notes are wrong.

# %%
wrong = ...  # your answer: a (3, 3) boolean array
check(wrong, NOTES_Y_PRINTED != conv2d(torch.tensor(NOTES_X), torch.tensor(NOTES_K), 2).numpy(),
      hint="compare NOTES_Y_PRINTED with conv2d(X, K, stride=2) element by element")

# %% tags=["solution"] jupyter={"source_hidden": true}
wrong = NOTES_Y_PRINTED != F.conv2d(torch.tensor(NOTES_X).reshape(1, 1, 7, 7),
                                    torch.tensor(NOTES_K).reshape(1, 1, 3, 3), stride=2)[0, 0].numpy()
check(wrong, NOTES_Y_PRINTED != conv2d(torch.tensor(NOTES_X), torch.tensor(NOTES_K), 2).numpy())

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("A 7×7 input is convolved with a 3×3 kernel, stride 2, no padding. What is the output size?",
     ["1×1 (by the notes' misprint ⌊(n − f + 2p)/(s + 1)⌋ = ⌊4/3⌋)", "3×3",
      "2×2 (by (n − f + 2p)/s, forgetting the + 1)", "5×5 (by n − f + 1, ignoring the stride)"],
     answer=1, explanation="⌊(7 + 0 − 3)/2⌋ + 1 = 3; the formula printed in the notes gives 4/3.")

# %%
quiz("Which padding keeps a 3×3 convolution's output the size of its input (stride 1)?",
     ["valid (P = 0)", "same (P = 1)", "full (P = 2)", "any padding"],
     answer=1, explanation="Same padding adds D(K−1) = 2 zeros in total; valid shrinks, full enlarges.")

# %%
quiz("What does a transposed convolution compute?",
     ["The exact inverse of the convolution",
      "Multiplication by the transpose of the convolution's matrix",
      "A convolution with a transposed kernel and the same output size"],
     answer=1, explanation="It maps the output's shape back to the input's shape and is the "
                           "gradient of the convolution; it does not undo it.")

# %%
quiz("A 3×3 kernel with dilation 2: how many weights, and how many input cells does it span?",
     ["9 weights, 5×5 cells", "25 weights, 5×5 cells", "9 weights, 3×3 cells", "18 weights, 6×6 cells"],
     answer=0, explanation="Dilation spreads the same 9 taps: D(K−1) + 1 = 5.")

# %% [markdown]
# <details><summary><b>Outline the problems caused by convolution. (Q13)</b></summary>
# Without padding, every convolution shrinks the feature map by D(K−1) (by 2 for a 3×3
# kernel), so deep stacks run out of pixels; and the border pixels fall into fewer windows
# than the central ones (a corner pixel into one), so information at the edges is used
# less. Zero padding fixes both; with 'same' padding and stride 1 the size is kept.
# </details>
#
# <details><summary><b>Define padding and stride. (Q14)</b></summary>
# Padding adds P rows and columns (usually zeros) around the input; stride S is the step by
# which the kernel moves. The output size is ⌊(W + 2P − K)/S⌋ + 1 (with dilation D,
# ⌊(W + 2P − D(K−1) − 1)/S⌋ + 1). Padding by itself does not preserve the size: only
# 'same' padding with stride 1 does.
# </details>
#
# <details><summary><b>Normal versus transposed convolution. (Q15)</b></summary>
# A normal convolution computes each output as the dot product of the kernel with one
# window of the input; with stride s it downsamples by about s. A transposed convolution
# goes the other way: each input value scales a copy of the kernel that is added into the
# output, so with stride s it upsamples by about s. It multiplies by Cᵀ where the
# convolution multiplies by C, and it is the gradient of the convolution with respect to its
# input.
# </details>
#
# <details><summary><b>What is a transposed convolution? (Q16)</b></summary>
# A layer that maps a feature map to a larger one, o = (i − 1)s − 2p + D(k − 1) +
# output_padding + 1, used to upsample in autoencoder decoders, GAN generators and
# segmentation networks. It restores the shape of a convolution's input, not its values (it
# is not a deconvolution); its weights are learned. It equals a convolution over the input
# with s − 1 zeros inserted between the cells (and k − 1 − p around them), and the kernel
# flipped.
# </details>
#
# ## Summary
# - Stride s keeps every s-th output of the dense convolution; the notes' 7×7 example gives
#   `[[91, 100, 88], [69, 91, 117], [44, 72, 74]]`, not their printed matrix.
# - Output size $\lfloor (W + 2P - D(K-1) - 1)/S \rfloor + 1$; 'valid', 'same' and 'full'
#   padding shrink, keep and enlarge the output (at stride 1).
# - Tiled convolution cycles $t \times t$ kernels: $t = 1$ is a convolution, one kernel per
#   position a locally connected layer; the parameters grow as $t^2$.
# - Transposed convolution multiplies by $C^\top$: it is the gradient of a convolution, upsamples,
#   and has size $(i-1)s - 2p + D(k-1) + \text{output\_padding} + 1$.
# - Dilated convolution spreads $k$ taps over $l(k-1)+1$ cells,
#   $(F *_l k)(p) = \sum_{s + l t = p} F(s)k(t)$; stacked rates 1, 2, 4, 8 reach 31 samples
#   with 3-tap kernels.
#
# **Next:** the CNN learning lessons: non-linearities, losses and how the gradient is
# computed through these layers.
