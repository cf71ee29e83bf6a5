# %% [markdown]
# # Equivariance and pooling (syllabus II.4, II.5)
#
# **What you will learn**
# - what *equivariance* means, $f(g(x)) = g(f(x))$, and a numerical proof that convolution is
#   equivariant to translation on a real image, but **not** to rotation;
# - max, average and global pooling, written from scratch and with `torch`, and the correct
#   output-size formula $\lfloor (W + 2P - K)/S \rfloor + 1$;
# - where the gradient goes when it flows back through a pooling layer;
# - how much pooling buys in *invariance* to small shifts, measured on Fashion-MNIST;
# - the shapes of a conv → ReLU → pool block, checked on the notes' 32×32×3 example.

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
from utils.data import load_fashion_mnist
from utils.demos.pooling import demo, notes_pool_output_size, pool, pool_output_size, PoolSettings
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. Equivariance to translation (II.4)
#
# A function $f$ is **equivariant** to a transformation $g$ if transforming the input and then
# applying $f$ gives the same result as applying $f$ and then transforming the output:
#
# $$f(g(x)) = g(f(x)).$$
#
# Let $g$ shift an image one pixel to the right, $I'(x, y) = I(x - 1, y)$. Convolution uses
# the *same* kernel at every position (parameter sharing), so a pattern produces the same
# response wherever it is: the feature map shifts along with the input (Goodfellow, Bengio &
# Courville, *Deep Learning*, §9.2; GBC below). We check it on a real Fashion-MNIST image
# with a vertical-edge (Sobel) kernel. With **circular padding** the image wraps around its
# borders, exactly as `torch.roll` shifts it, so the two sides must agree (up to rounding).

# %%
data = load_fashion_mnist()
x = data.X_test[:1]  # (1, 1, 28, 28): one image, a batch of one
sobel = torch.tensor([[-1.0, 0.0, 1.0],
                      [-2.0, 0.0, 2.0],
                      [-1.0, 0.0, 1.0]]).reshape(1, 1, 3, 3)  # (C_out, C_in, kH, kW)


def conv(x, kernel=sobel):
    """Cross-correlation with circular padding: the output has the input's size."""
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="circular"), kernel)


def shift(x, dy=2, dx=5):
    return torch.roll(x, shifts=(dy, dx), dims=(2, 3))


difference = (conv(shift(x)) - shift(conv(x))).abs().max().item()
print("image:", data.classes[int(data.y_test[0])])
print("conv(shift(x)) == shift(conv(x)) (max difference < 1e-5):", difference < 1e-5)

# %% [markdown]
# With ordinary **zero padding** the equality still holds away from the borders. Only the
# columns where the shifted image wraps around, and the columns next to the padding, can
# differ:

# %%
def conv_zero_padding(x):
    return F.conv2d(x, sobel, padding=1)


gap = (conv_zero_padding(shift(x, 0, 3)) - shift(conv_zero_padding(x), 0, 3)).abs()  # (1, 1, 28, 28)
columns = (gap.amax(dim=(0, 1, 2)) > 1e-5).nonzero().flatten().tolist()
print("columns where the two sides differ:", columns)

# %% [markdown]
# ### Not equivariant to rotation
#
# Now let $g$ rotate the image by 90°. For the vertical-edge kernel, rotating the input and
# then convolving is **not** the same as convolving and then rotating: the rotated image has
# horizontal edges where the original had vertical ones, and this kernel does not respond to
# them. (A kernel that is itself symmetric under the rotation, like the Laplacian, is the
# exception; learned kernels generally are not.)

# %%
def rotate(x):
    return torch.rot90(x, 1, dims=(2, 3))  # 90° anticlockwise


laplacian = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]).reshape(1, 1, 3, 3)
for name, kernel in [("Sobel (vertical edges)", sobel), ("Laplacian (symmetric)", laplacian)]:
    a, b = conv(rotate(x), kernel), rotate(conv(x, kernel))
    relative = ((a - b).norm() / b.norm()).item()
    print(f"{name:23}: |conv(rot x) - rot(conv x)| / |rot(conv x)| = {relative:.2f}")

# %% [markdown]
# Rotating the input has the same effect as rotating the *kernel* the other way. A CNN can
# therefore only become (roughly) rotation-invariant by learning rotated copies of its
# kernels and pooling over them, and by seeing rotated training images; convolution itself
# gives nothing for free.

# %%
rotated_kernel = torch.rot90(sobel, -1, dims=(2, 3))  # rotate the kernel clockwise
same = torch.allclose(conv(rotate(x)), rotate(conv(x, rotated_kernel)), atol=1e-5)
print("conv(rot x, K) == rot(conv(x, K rotated back)):", same)

# %%
panels = [(x, "image x"), (conv(x), "conv(x)"), (conv(shift(x)), "conv(shift(x))"),
          (shift(conv(x)), "shift(conv(x))"),
          (rotate(x), "rot(x)"), (conv(rotate(x)), "conv(rot(x))"),
          (rotate(conv(x)), "rot(conv(x))"), (conv(rotate(x)) - rotate(conv(x)), "difference")]
fig, axes = plt.subplots(2, 4, figsize=(10, 5.4))
limit = conv(x).abs().max().item()  # one symmetric colour scale: white is 0
for ax, (image, title) in zip(axes.flat, panels):
    if title in ("image x", "rot(x)"):
        ax.imshow(image[0, 0], cmap="gray")
    else:
        ax.imshow(image[0, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(title, fontsize=11)
    ax.axis("off")
fig.suptitle("Top: shifting commutes with convolution. Bottom: rotating does not.")
plt.show()

# %% [markdown]
# > **The notes say** (Q10, 002:L414, and again at L1992) that equivariance "makes the CNN
# > understand the rotation or proportion change". **In fact** convolution is equivariant to
# > **translation** only (GBC §9.2), as the two checks above show: not to rotation, and not
# > to changes of scale. Some invariance to *small* shifts comes from pooling (section 5),
# > and invariance to rotation or scale has to be learned (rotated kernels, data
# > augmentation).
#
# ## 2. Pooling (II.5)
#
# A **pooling** function replaces the output of a layer at each location by a summary of
# the outputs nearby (GBC §9.3). With a $K \times K$ window moved in steps of $S$ (the
# stride), **max pooling** and **average pooling** compute
#
# $$Y_{i,j} = \max_{0 \le m, n < K} X_{iS+m,\; jS+n}, \qquad
#   Y_{i,j} = \frac{1}{K^2} \sum_{0 \le m, n < K} X_{iS+m,\; jS+n}.$$
#
# Each channel is pooled on its own, so the number of channels does not change. From
# scratch, `unfold` cuts the windows out of the matrix and a max or mean over the last two
# axes does the rest:

# %%
def pool2d(X, k, s, mode="max"):
    """Pool a matrix X (H, W) with a k×k window and stride s (no padding)."""
    windows = X.unfold(0, k, s).unfold(1, k, s)  # (H_out, W_out, k, k)
    return windows.amax(dim=(-2, -1)) if mode == "max" else windows.mean(dim=(-2, -1))


X = torch.tensor(pool(PoolSettings(input_size=8)).X, dtype=torch.float32)  # (8, 8): the demo's input
print(X.int().tolist())
print("max pooling 2×2, stride 2:", pool2d(X, 2, 2).int().tolist())

# %% [markdown]
# The same with `torch.nn.functional`, on the small matrix and on a whole Fashion-MNIST
# image:

# %%
for k, s in [(2, 2), (3, 2), (3, 1)]:
    for mode, torch_pool in [("max", F.max_pool2d), ("average", F.avg_pool2d)]:
        ours = pool2d(x[0, 0], k, s, mode)
        theirs = torch_pool(x, k, s)[0, 0]
        print(f"{k}×{k} {mode:7} pooling, stride {s}: output {tuple(ours.shape)}, equals torch:",
              torch.allclose(ours, theirs))

# %% [markdown]
# ### The output size
#
# Along each axis, a window of size $K$ fits at the positions $0, S, 2S, \dots$ as long as
# it stays inside the padded input of size $W + 2P$. That gives
#
# $$o = \left\lfloor \frac{W + 2P - K}{S} \right\rfloor + 1.$$
#
# The notes (002:L2012) write the output size as $\frac{n_h - f + 1}{s}$. The table compares
# both with the size torch actually returns:

# %%
print(f"{'W':>3} {'K':>2} {'S':>2} {'P':>2} | {'correct':>7} | {'notes':>6} | torch")
cases = [(4, 2, 2, 0), (8, 2, 2, 0), (32, 2, 2, 0), (28, 3, 2, 0), (7, 3, 2, 1), (28, 3, 1, 0)]
for W, K, S, P in cases:
    torch_size = F.max_pool2d(torch.zeros(1, 1, W, W), K, S, P).shape[-1]
    print(f"{W:3} {K:2} {S:2} {P:2} | {pool_output_size(W, K, S, P):7} | "
          f"{notes_pool_output_size(W, K, S):6.2f} | {torch_size}")

# %% [markdown]
# > **The notes say** (002:L2012) that pooling turns $n_h \times n_w \times n_c$ into
# > $\frac{n_h - f + 1}{s} \times \frac{n_w - f + 1}{s} \times n_c$ (and use $s_x$ there
# > while defining $s$). **In fact** the size is
# > $\left\lfloor \frac{n_h + 2p - f}{s} \right\rfloor + 1$; the notes' formula is not even an
# > integer for their own example, 32 → 16 with a 2×2 window and stride 2 (the table prints
# > 15.5). It agrees with torch only when $P = 0$ and $W - K + 1$ happens to be a multiple
# > of $S$ (the 28/3/2 and 28/3/1 rows).
#
# ### Global pooling
#
# **Global** pooling uses one window as large as the whole feature map, so an
# $n_h \times n_w \times n_c$ map becomes $1 \times 1 \times n_c$: one number per channel,
# whatever the input size. `adaptive_avg_pool2d(h, 1)` asks torch for a $1 \times 1$ output
# and chooses the window itself:

# %%
h = torch.randn(2, 12, 7, 9)  # (N, C, H, W): 12 feature maps of any size
print("global average pooling:", tuple(F.adaptive_avg_pool2d(h, 1).shape))
print("global max pooling:    ", tuple(F.adaptive_max_pool2d(h, 1).shape))
print("equals the mean over H and W:",
      torch.allclose(F.adaptive_avg_pool2d(h, 1).flatten(1), h.mean(dim=(2, 3))))

# %% [markdown]
# ## 3. A conv → ReLU → pool block: the notes' 32×32×3 example
#
# The notes (L1789–1794) follow a 32×32 RGB image through 12 filters (32×32×12), a ReLU
# (unchanged) and a 2×2 max pool with stride 2 (16×16×12). Keeping 32×32 after the
# convolution needs 'same' padding: $P = 1$ for a 3×3 kernel. In torch the channels come
# first, $(N, C, H, W)$:

# %%
X_rgb = torch.randn(1, 3, 32, 32)  # (N, C, H, W)
conv_layer = nn.Conv2d(3, 12, kernel_size=3, padding=1)
H = conv_layer(X_rgb)
A = torch.relu(H)
Y = nn.MaxPool2d(kernel_size=2, stride=2)(A)
for name, tensor in [("input", X_rgb), ("conv, 12 filters", H), ("ReLU", A), ("max pool 2×2/2", Y)]:
    print(f"{name:17} {tuple(tensor.shape)}")
print("matches the notes' 16×16×12:", tuple(Y.shape[1:]) == (12, 16, 16))

# %% [markdown]
# Pooling has **no parameters**. What it reduces is the size of what comes *after* it: a
# fully connected layer from the feature maps to 10 classes needs 4 times fewer weights
# after a 2×2 pool.

# %%
print("parameters of the conv layer:", sum(p.numel() for p in conv_layer.parameters()))
print("parameters of the pooling layer:", sum(p.numel() for p in nn.MaxPool2d(2).parameters()))
print("weights of a dense layer to 10 classes without pooling:", A[0].numel() * 10)
print("weights of a dense layer to 10 classes after pooling:  ", Y[0].numel() * 10)

# %% [markdown]
# > **The notes say** (L1673, again at L2062) that pooling layers "reduce the number of
# > parameters or weights in the network". **In fact** a pooling layer has no parameters at
# > all; it shrinks the feature maps, and so the number of weights of the layers that
# > follow (above: 4 times fewer). They also say max pooling gives robustness to "small
# > shifts or rotations": the shifts are right (section 5), the rotations only marginally.
# >
# > **The notes say** (L1677) "max pooling takes the maximum value from each feature map".
# > **In fact** it takes the maximum of each *window* of a feature map; the maximum of a
# > whole feature map is *global* max pooling.
#
# ## 4. The gradient through pooling
#
# Pooling has no weights to learn, but the gradient must still pass through it to the
# layers below. Take the sum of the pooled outputs as the loss: each output then receives
# gradient 1, and autograd shows where it goes.
#
# - **Max pooling** routes each output's gradient to the one cell that was the maximum
#   (the *argmax*); every other cell of the window gets 0.
# - **Average pooling** spreads it evenly: $1/K^2$ to each cell of the window.

# %%
X_small = torch.tensor([[1.0, 3.0, 2.0, 0.0],
                        [4.0, 2.0, 1.0, 5.0],
                        [0.0, 1.0, 7.0, 2.0],
                        [6.0, 2.0, 3.0, 1.0]], requires_grad=True)
for name, pool_fn in [("max", F.max_pool2d), ("average", F.avg_pool2d)]:
    X_small.grad = None
    Y_small = pool_fn(X_small[None, None], 2, 2)  # (1, 1, 2, 2)
    Y_small.sum().backward()
    print(f"{name} pooling: output {Y_small[0, 0].tolist()}\n  gradient {X_small.grad.tolist()}")

# %% [markdown]
# When the stride is smaller than the window (**overlapping** pooling, as in AlexNet's 3×3
# windows with stride 2), one cell can be the maximum of several windows and then collects
# several gradients. The demo's model function `pool` returns the gradient map computed by
# autograd:

# %%
overlapping = pool(PoolSettings(input_size=8, window=3, stride=1, mode="max"))
print(overlapping.grad.astype(int).tolist())
print("largest gradient of one cell:", int(overlapping.grad.max()),
      "| total gradient = number of outputs:", overlapping.grad.sum() == overlapping.torch_size ** 2)

# %% [markdown]
# > **The notes say** (L2054) that pooling divides the feature map into "non-overlapping
# > regions". **In fact** the windows overlap whenever the stride is smaller than the window
# > (AlexNet used 3×3 windows with stride 2); non-overlapping windows ($S = K$) are only the
# > most common choice. Their claim (L2056) that average pooling is "often used" for
# > segmentation and detection has no support in the notes, and we do not repeat it.
#
# ## 5. Invariance to small shifts, measured on Fashion-MNIST
#
# A representation is **invariant** to $g$ if $f(g(x)) = f(x)$. Convolution is equivariant,
# not invariant: shift the input and the feature map shifts too, so almost every number in
# it changes. Pooling makes the summary of a window insensitive to *where* in the window a
# feature is, so small shifts change the pooled map less (GBC §9.3).
#
# We measure it on 1,000 test images. A fixed layer of four edge detectors followed by a
# ReLU gives the feature maps $h(x)$. We shift each image by 0 to 4 pixels to the right
# and compute the relative change $\lVert r(h(\text{shift}(x))) - r(h(x)) \rVert \,/\,
# \lVert r(h(x)) \rVert$ of a representation $r$: the feature maps themselves, or after
# pooling.

# %%
X_images = data.X_test[:1000]  # (1000, 1, 28, 28)
edge_kernels = torch.stack([sobel[0, 0], sobel[0, 0].T,
                            torch.tensor([[0.0, 1.0, 2.0], [-1.0, 0.0, 1.0], [-2.0, -1.0, 0.0]]),
                            torch.tensor([[2.0, 1.0, 0.0], [1.0, 0.0, -1.0], [0.0, -1.0, -2.0]])])
edge_kernels = edge_kernels.reshape(4, 1, 3, 3)  # (C_out, C_in, kH, kW)


def features(X):
    return torch.relu(F.conv2d(X, edge_kernels, padding=1))  # (N, 4, 28, 28)


representations = {
    "no pooling": lambda h: h,
    "2×2 average pool": lambda h: F.avg_pool2d(h, 2),
    "2×2 max pool": lambda h: F.max_pool2d(h, 2),
    "4×4 max pool": lambda h: F.max_pool2d(h, 4),
    "global max pool": lambda h: F.adaptive_max_pool2d(h, 1),
}

# %% [markdown]
# The relative changes, one row per representation and one column per shift (0 to 4
# pixels). The last digit can differ on another CPU; the checks after the plot do not.

# %% tags=["nbval-ignore-output"]
shifts = range(5)
changes = {name: [] for name in representations}
h0 = features(X_images)
for dx in shifts:
    h_shifted = features(torch.roll(X_images, dx, dims=3))
    for name, r in representations.items():
        r0, r_shifted = r(h0).flatten(1), r(h_shifted).flatten(1)  # (N, D) each
        changes[name].append(((r_shifted - r0).norm(dim=1) / r0.norm(dim=1)).mean().item())
for name, values in changes.items():
    print(f"{name:17}", [round(c, 2) for c in values])

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
for name, values in changes.items():
    ax.plot(list(shifts), values, "o-", label=name)
ax.set(xticks=list(shifts), xlabel="shift to the right (pixels)",
       ylabel="relative change of the representation",
       title="Pooling buys invariance to small shifts (1,000 test images)")
ax.legend(fontsize=9)
plt.show()

# %%
print("2×2 max pooling changes less than no pooling at a 1-pixel shift:",
      changes["2×2 max pool"][1] < changes["no pooling"][1])
print("larger windows change less:", changes["4×4 max pool"][1] < changes["2×2 max pool"][1])
print("global max pooling is nearly invariant (change < 0.05 for every shift):",
      max(changes["global max pool"]) < 0.05)
print("max pooling changes less than average pooling at a 1-pixel shift:",
      changes["2×2 max pool"][1] < changes["2×2 average pool"][1])
ratios = [changes["2×2 max pool"][dx] / changes["no pooling"][dx] for dx in shifts[1:]]
print("the ratio (2×2 max pool change) / (no-pooling change) is smallest at a 1-pixel shift:",
      min(ratios) == ratios[0])

# %% [markdown]
# A shift by a whole window (2 pixels for a 2×2/2 pool) does not leave the pooled map
# unchanged: it moves it by one cell. Compare the pooled map of the shifted images with the
# original pooled map rolled by one cell (what remains comes from the image borders, where
# `torch.roll` wraps the image around and the zero padding of the convolution differs):

# %% tags=["nbval-ignore-output"]
r0 = F.max_pool2d(h0, 2)  # (N, 4, 14, 14)
r2 = F.max_pool2d(features(torch.roll(X_images, 2, dims=3)), 2)
difference = (r2 - torch.roll(r0, 1, dims=3)).flatten(1)  # (N, D)
moved = (difference.norm(dim=1) / r0.flatten(1).norm(dim=1)).mean().item()
print(f"relative difference from the pooled map moved by one cell: {moved:.2f}")
print(f"relative difference from the pooled map in place:          {changes['2×2 max pool'][2]:.2f}")

# %%
print("the shifted pooled map is (almost) the old one moved by one cell (4 times closer):",
      moved < changes["2×2 max pool"][2] / 4)

# %% [markdown]
# What the numbers say:
#
# - The invariance is **approximate** and **local**. The 2×2 max pool helps most for a
#   1-pixel shift (the smallest ratio, checked above); a shift by a whole window moves the
#   pooled map by one cell, so compared cell by cell most of its numbers change again:
#   pooling is then *equivariant* on a coarser grid, not invariant.
# - Larger windows tolerate larger shifts but throw away more of *where* things are, which
#   is the price of pooling (information loss).
# - Global pooling keeps no position at all, so it is almost exactly invariant (not
#   completely: the zero padding at the image border breaks the symmetry a little).
# - Max pooling changes less than average pooling at a 1-pixel shift (checked above): the
#   maximum of a window stays the same as long as the strongest response stays inside it.
#
# ## 6. Demo: the pooling playground
#
# The first panel is the input with its padding (grey; max pooling pads with $-\infty$,
# average pooling with 0) and the cells each max-pooling window picked (orange). The second
# is the pooled output; after a shift, the outputs that changed are purple. The third is the
# gradient of the sum of the outputs with respect to the input (autograd). The window slider
# moves the blue frame; below the figure are the formulas and the torch line.

# %%
pooling_demo = demo()
pooling_demo

# %% [markdown]
# **Try this**
# - Switch between max and average pooling and watch the gradient map: 1s on the argmax
#   cells versus $1/K^2$ everywhere.
# - Set the window to 3 and the stride to 1 (overlapping pooling). Which cell collects the
#   largest gradient, and why?
# - With the default 2×2/2 max pooling, move the shift slider to 1, 2, 3. How many pooled
#   outputs change at each shift? Why does a shift of 2 change many of them?
# - Make the stride larger than the window. Which cells get a zero gradient?
# - Set the padding to 2 with a window of 3: read the message. Then find the smallest
#   window that accepts padding 2.
# - Choose sizes for which the notes' formula is right, and sizes for which it is not even
#   an integer.
#
# ## 7. Exercises
#
# **Exercise 1.** Write `pool_size(W, K, S, P)`, the output size of pooling along one axis.

# %%
def pool_size(W, K, S, P=0):
    ...  # your code: return an integer


size_inputs = [(32, 2, 2, 0), (28, 3, 2, 0), (7, 3, 2, 1), (13, 3, 3, 1), (5, 5, 1, 2)]
check_function(pool_size, pool_output_size, size_inputs,
               hint="count the window positions 0, S, 2S, ... that fit into W + 2P; use // for the floor")

# %% tags=["solution"] jupyter={"source_hidden": true}
def pool_size(W, K, S, P=0):
    return (W + 2 * P - K) // S + 1


check_function(pool_size, pool_output_size, size_inputs)

# %% [markdown]
# **Exercise 2.** Write max pooling of a matrix with two loops over the output cells (no
# `unfold`, no torch pooling), for a window `k` and stride `s` without padding.

# %%
def max_pool_loops(X, k, s):
    ...  # your code: return a tensor of shape (o, o)


pool_inputs = [(torch.arange(16.0).reshape(4, 4), 2, 2), (x[0, 0], 3, 2), (X, 3, 1)]
check_function(max_pool_loops, lambda X, k, s: F.max_pool2d(X[None, None], k, s)[0, 0], pool_inputs,
               hint="o = (len(X) - k) // s + 1; output (i, j) is X[i*s:i*s+k, j*s:j*s+k].max()")

# %% tags=["solution"] jupyter={"source_hidden": true}
def max_pool_loops(X, k, s):
    o = (len(X) - k) // s + 1
    Y = torch.zeros(o, o)
    for i in range(o):
        for j in range(o):
            Y[i, j] = X[i * s:i * s + k, j * s:j * s + k].max()
    return Y


check_function(max_pool_loops, lambda X, k, s: F.max_pool2d(X[None, None], k, s)[0, 0], pool_inputs)

# %% [markdown]
# **Exercise 3.** For the demo's default 8×8 input, 2×2 max pooling with stride 2, how many
# input cells receive a non-zero gradient? Answer by reasoning, then compare with the model.

# %%
n_cells_with_gradient = ...  # your answer, an integer
check(n_cells_with_gradient, int((pool(PoolSettings()).grad != 0).sum()),
      hint="each of the 4×4 windows routes its gradient to exactly one cell, and the windows do not overlap")

# %% tags=["solution"] jupyter={"source_hidden": true}
n_cells_with_gradient = pool_output_size(8, 2, 2) ** 2
check(n_cells_with_gradient, int((pool(PoolSettings()).grad != 0).sum()))

# %% [markdown]
# **Exercise 4.** A 64×64×3 image goes through a 'same' 3×3 convolution with 16 filters, a
# ReLU, a 2×2/2 max pool, a 'same' 3×3 convolution with 32 filters and another 2×2/2 max
# pool. Give the final shape as a tuple `(C, H, W)`.

# %%
final_shape = ...  # your answer, e.g. (8, 10, 10)
block = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.MaxPool2d(2, 2))
check(final_shape, tuple(block(torch.zeros(1, 3, 64, 64)).shape[1:]),
      hint="'same' convolutions keep H and W; each 2×2/2 pool halves them; the channels are the number of filters")

# %% tags=["solution"] jupyter={"source_hidden": true}
final_shape = (32, 64 // 2 // 2, 64 // 2 // 2)
check(final_shape, tuple(block(torch.zeros(1, 3, 64, 64)).shape[1:]))

# %% [markdown]
# ## 8. Review questions (Part A)

# %%
quiz("Convolution is equivariant to which transformation of the input?",
     ["Rotation", "Translation (shifting)", "Scaling", "All of them"],
     answer=1, explanation="Shifting the input shifts the feature map; rotation and scale are not covered (section 1).")

# %%
quiz("A 32×32 feature map goes through 2×2 max pooling with stride 2. What is the output size?",
     ["15.5×15.5", "31×31", "16×16", "15×15"],
     answer=2, explanation="⌊(32 − 2)/2⌋ + 1 = 16; the notes' formula (32 − 2 + 1)/2 gives 15.5.")

# %%
quiz("How many trainable parameters does a 2×2 max-pooling layer have?",
     ["4", "4 per channel", "0", "It depends on the stride"],
     answer=2, explanation="Pooling is a fixed function; it only shrinks the inputs of later layers.")

# %% [markdown]
# <details><summary><b>What are equivariant representations? (Q10)</b></summary>
# A function f is equivariant to a transformation g if f(g(x)) = g(f(x)). Convolution is
# equivariant to translation: shifting the input shifts the feature map by the same amount,
# because the same kernel is applied at every position (parameter sharing). It is not
# equivariant to rotation or scaling.
# </details>
#
# <details><summary><b>Why use a pooling layer in a CNN? (Q11)</b></summary>
# It replaces each window of a feature map by a summary (maximum or mean). This reduces the
# spatial size, and so the computation and the weights of the following layers; it gives
# invariance to small translations; and global pooling turns a map of any size into a fixed
# number of features. It has no parameters of its own.
# </details>
#
# <details><summary><b>What are the two widely used types of pooling? (Q12)</b></summary>
# Max pooling (the largest value in each window; the gradient goes to that cell only) and
# average pooling (the mean of each window; the gradient is shared equally). Global max and
# global average pooling apply them to the whole feature map.
# </details>
#
# ## Summary
# - Convolution is equivariant to translation, $\text{conv}(\text{shift}(x)) =
#   \text{shift}(\text{conv}(x))$ (exactly with circular padding), and not to rotation.
# - Pooling summarises each window (max or mean); the output size is
#   $\lfloor (W + 2P - K)/S \rfloor + 1$, not the notes' $(W - K + 1)/S$.
# - Pooling has no parameters; it shrinks the maps and so the layers after it.
# - Backward, max pooling routes the gradient to the argmax cells, average pooling spreads
#   it evenly; overlapping windows can send several gradients to one cell.
# - Pooling makes features approximately invariant to shifts smaller than its window;
#   global pooling is invariant to position altogether.
#
# **Next:** lesson 04 varies the convolution itself: strides, tiled kernels, transposed and
# dilated convolutions.
