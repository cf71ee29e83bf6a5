# %% [markdown]
# # The convolution operation (syllabus II.1)
#
# **What you will learn**
# - the convolution $s(t) = (x * w)(t)$ in 1-D and 2-D, written from scratch and checked
#   against `F.conv1d` and `F.conv2d`;
# - the difference between **true convolution** (kernel flipped) and **cross-correlation**
#   (what `torch.nn.Conv2d` and every worked example of the notes compute);
# - the notes' kernels (identity, blur, sharpen, edge) on a real image, and the notes'
#   worked examples (−45 and 6) recomputed;
# - why a filter on a colour image spans **all** input channels;
# - a demo: pick an output pixel, see its receptive field, the nine products and their sum,
#   edit the kernel and flip it.

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
from utils.cnn import convolve1d, convolve2d, correlate1d, correlate2d
from utils.data import load_fashion_mnist
from utils.demos import kernel as kernel_demo
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 1. Convolution in one dimension
#
# A noisy sensor reports a position $x(t)$; to smooth it we average recent readings with
# weights $w(a)$ that give more weight to recent ones (Goodfellow, Bengio & Courville,
# *Deep Learning*, §9.1; GBC below):
#
# $$s(t) = \int x(a)\, w(t - a)\, da = (x * w)(t), \qquad
#   s(t) = \sum_{a} x(a)\, w(t - a) \text{ (discrete time)}.$$
#
# $x$ is the **input**, $w$ the **kernel**, $s$ the **feature map**. In a network the input
# and the kernel are finite arrays, so the sum runs over the few indices where $w$ is
# non-zero. Note the minus sign: as $a$ increases, the kernel is read *backwards*. We smooth
# a noisy sine with a 5-tap kernel that weights recent samples more. Averaging independent
# noise of standard deviation 0.3 with weights $w$ leaves $0.3\sqrt{\sum_a w(a)^2}$.

# %%
t = np.linspace(0, 4 * np.pi, 200)
x = np.sin(t) + 0.3 * np.random.default_rng(0).standard_normal(200)  # (200,)
w = np.array([0.35, 0.25, 0.2, 0.12, 0.08])  # w[0]: weight of the newest sample; sums to 1
s = convolve1d(x, w)  # (196,): s[i] = sum_m x[i + 4 - m] w[m], one value per full window
s_clean = convolve1d(np.sin(t), w)  # the same kernel applied to the noise-free signal
print("kernel sums to", round(w.sum(), 6), "| output length", len(s), "= 200 - 5 + 1")
print("noise std before:", round(np.std(x - np.sin(t)), 3),
      "| after:", round(np.std(s - s_clean), 3),
      "| theory 0.3·sqrt(Σ w²) =", round(0.3 * np.sqrt((w**2).sum()), 3))

# %%
fig, ax = plt.subplots(figsize=(9, 3))
ax.plot(t, x, ".", ms=3, alpha=0.5, label="noisy input x")
ax.plot(t[4:], s, lw=2, label="s = x * w (valid part)")
ax.set(xlabel="t", title="1-D convolution as a weighted moving average")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# The weights $w(a)$ of this example form a probability distribution and are zero for
# negative arguments (no future readings): that is what makes it a causal *weighted average*.
#
# > **The notes say** (002:L365) the kernel "needs to be 0 for negative arguments", as if
# > it were a rule of convolution. **In fact** that holds only for this causal smoothing
# > example (GBC §9.1); the kernels of a CNN have arbitrary signs and are centred.
#
# ### True convolution versus cross-correlation
#
# Deep learning libraries implement the **cross-correlation** $s(i) = \sum_m x(i + m)\,w(m)$:
# the kernel slides *without* being flipped. True convolution equals cross-correlation with
# the kernel reversed. `F.conv1d` (the function behind `nn.Conv1d`) computes the
# cross-correlation; we check both relations on a short asymmetric example.

# %%
x_small = torch.tensor([1.0, 2.0, 0.0, -1.0, 3.0, 1.0])
w_small = torch.tensor([1.0, 0.0, -2.0])
torch_result = F.conv1d(x_small.reshape(1, 1, 6), w_small.reshape(1, 1, 3))[0, 0]  # (4,)
print("F.conv1d:             ", torch_result.tolist())
print("cross-correlation:    ", correlate1d(x_small, w_small).tolist())
print("true convolution:     ", convolve1d(x_small, w_small).tolist())
print("numpy's np.convolve:  ", np.convolve(x_small, w_small, mode="valid").tolist())
print("F.conv1d == cross-correlation:", np.allclose(torch_result, correlate1d(x_small, w_small)))
print("F.conv1d with the flipped kernel == true convolution:",
      np.allclose(F.conv1d(x_small.reshape(1, 1, 6), w_small.flip(0).reshape(1, 1, 3))[0, 0],
                  convolve1d(x_small, w_small)))

# %% [markdown]
# The flip changes nothing for a *learned* kernel: the network would simply learn the
# flipped weights. It matters when you compare with a textbook formula, or when you want
# the property that only true convolution has: it is **commutative**, $x * w = w * x$
# (GBC §9.1), checked here with full convolutions:

# %%
a, b = np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5, -1.0])
print("convolution   x*w == w*x:", np.allclose(np.convolve(a, b), np.convolve(b, a)))
print("correlation   x*w == w*x:", np.allclose(np.correlate(a, b, "full"), np.correlate(b, a, "full")))

# %% [markdown]
# ## 2. Convolution in two dimensions
#
# For an image $I$ and a 2-D kernel $K$ (GBC eqs. 9.4–9.6):
#
# $$S(i, j) = (I * K)(i, j) = \sum_m \sum_n I(m, n)\, K(i - m, j - n)
#   \qquad\text{(true convolution)},$$
#
# $$S(i, j) = \sum_m \sum_n I(i + m, j + n)\, K(m, n)
#   \qquad\text{(cross-correlation, what } \texttt{nn.Conv2d} \text{ computes)}.$$
#
# Each output is an **element-wise product** of the kernel with one window of the input,
# summed: a dot product, not a matrix product. Our loops (`utils.cnn.correlate2d`) against
# torch on a random image and an asymmetric kernel:

# %%
X = torch.randn(6, 7)
K = torch.tensor([[1.0, 2.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 3.0]])
Y_torch = F.conv2d(X.reshape(1, 1, 6, 7), K.reshape(1, 1, 3, 3))[0, 0]  # (4, 5)
print("output shape:", tuple(Y_torch.shape), "= (6 - 3 + 1, 7 - 3 + 1)")
print("F.conv2d == cross-correlation loops:", np.allclose(Y_torch, correlate2d(X, K), atol=1e-5))
print("F.conv2d == true convolution loops: ", np.allclose(Y_torch, convolve2d(X, K), atol=1e-5))
print("true convolution == F.conv2d with the kernel rotated 180°:",
      np.allclose(convolve2d(X, K), F.conv2d(X.reshape(1, 1, 6, 7),
                                             K.flip(0, 1).reshape(1, 1, 3, 3))[0, 0], atol=1e-5))

# %% [markdown]
# ## 3. The notes' worked examples, recomputed
#
# **The sharpen example** (002:L1855–1857): a 4×4×1 input and the 3×3 sharpen kernel. The
# notes print the first window of the input, and the products that give the first output.

# %%
window = np.array([[45, 12, 5], [22, 10, 35], [88, 26, 51]])  # the first 3×3 window (L1855)
sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
products = window * sharpen  # element-wise
print("products:\n", products)
print("first output = sum of the products =", products.sum())
print("4×4 input, 3×3 kernel: output size", 4 - 3 + 1, "×", 4 - 3 + 1)
print("equals the notes' -45:", products.sum() == -45)

# %% [markdown]
# The sum is the −45 the notes print (checked above). A *matrix* product of the window
# and the kernel is a different thing altogether: it gives a 3×3 matrix, not one number.

# %%
print("window @ kernel (matrix product), for contrast:\n", window @ sharpen)
print("its sum:", (window @ sharpen).sum(), "(not -45)")

# %% [markdown]
# **The sparse-interactions example** (002:L384, L1876): a 5×5 input and a 2×2 filter give
# a 4×4 map whose first element is $1\times0 + 2\times1 + 2\times1 + 1\times2 = 6$. The notes
# print only the products; we read the first input window as $\begin{bmatrix}1&2\\2&1\end{bmatrix}$
# and the filter as $\begin{bmatrix}0&1\\1&2\end{bmatrix}$ and fill the rest of the 5×5
# input with digits of our own (the notes' picture of it is lost).

# %%
X5 = np.array([[1, 2, 0, 1, 3],
               [2, 1, 1, 0, 2],
               [0, 1, 3, 2, 1],
               [1, 0, 2, 1, 0],
               [3, 1, 0, 2, 1]])  # top-left 2×2 window from the notes, the rest ours
K2 = np.array([[0, 1], [1, 2]])
Y5 = F.conv2d(torch.tensor(X5).reshape(1, 1, 5, 5).float(),
              torch.tensor(K2).reshape(1, 1, 2, 2).float())[0, 0]  # (4, 4)
print("output shape:", tuple(Y5.shape), "| first element:", int(Y5[0, 0]))
print("(W - F + 2P)/S + 1 =", (5 - 2 + 0) // 1 + 1)
print("equals the notes' 6 and 4×4:", int(Y5[0, 0]) == 6 and tuple(Y5.shape) == (4, 4))

# %% [markdown]
# ## 4. Kernels as feature detectors, on a real image
#
# The notes' four kernels (002:L1832) on a Fashion-MNIST test image. The blur kernel's
# weights sum to 1 (it keeps the brightness of flat regions), the edge kernel's to 0 (flat
# regions give 0, only changes of brightness respond), the sharpen kernel is identity plus
# edge (its weights sum to 1). We pad by one pixel so that the maps keep the 28×28 size.

# %%
data = load_fashion_mnist()
image = data.X_test[0]  # (1, 28, 28): an ankle boot
kernels = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "Gaussian blur": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "edge": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
weight = torch.tensor(list(kernels.values())).reshape(4, 1, 3, 3)  # (C_out=4, C_in=1, 3, 3)
maps = F.conv2d(image.unsqueeze(0), weight, padding=1)[0]  # (4, 28, 28): one map per kernel
for name, kernel_map in zip(kernels, maps):
    print(f"{name:14s} kernel sum {float(torch.tensor(kernels[name]).sum()):5.2f} | "
          f"map range [{kernel_map.min():.2f}, {kernel_map.max():.2f}]")

# %%
fig, axes = plt.subplots(1, 4, figsize=(11, 3))
for ax, name, kernel_map in zip(axes, kernels, maps):
    ax.imshow(kernel_map, cmap="gray")
    ax.set_title(name, fontsize=11)
    ax.axis("off")
plt.show()

# %% [markdown]
# The edge kernel responds only where the brightness changes. On the flat black
# background (where the 3×3 neighbourhood is constant) its output is exactly 0, and the
# blur leaves constant regions unchanged:

# %%
flat = F.max_pool2d(image.unsqueeze(0), 3, 1, padding=1)[0, 0] == 0  # (28, 28): 3×3 neighbourhood all 0
print("pixels with a flat (all-zero) neighbourhood:", int(flat.sum()))
print("edge output is 0 on all of them:", bool((maps[3][flat].abs() < 1e-6).all()))
print("identity kernel returns the image:", torch.allclose(maps[0], image[0]))

# %% [markdown]
# ## 5. Filters on several channels
#
# A colour image has 3 channels. A 2-D convolution filter is a $k \times k \times C_{in}$
# block: at every position it multiplies a $k \times k$ window of **every** channel with
# its own slice of weights and adds everything up, giving **one** number. The filter slides
# only along height and width. So an RGB 32×32 image with one 5×5×3 filter (002:L1851)
# gives one 28×28 map, and `nn.Conv2d` stores the weights as
# $(C_{out}, C_{in}, k, k)$. From scratch, the sum over channels of per-channel 2-D
# correlations:

# %%
rgb = torch.rand(3, 32, 32)  # (C, H, W)
filt = torch.randn(3, 5, 5)  # (C_in, k, k): one filter
by_hand = sum(correlate2d(rgb[c], filt[c]) for c in range(3))  # (28, 28)
torch_map = F.conv2d(rgb.unsqueeze(0), filt.unsqueeze(0))[0, 0]  # (28, 28)
print("map shape:", tuple(torch_map.shape), "| equals the sum over channels:",
      np.allclose(torch_map, by_hand, atol=1e-4))
layer = torch.nn.Conv2d(3, 12, kernel_size=5)
print("nn.Conv2d(3, 12, 5).weight.shape:", tuple(layer.weight.shape),
      "| parameters:", sum(p.numel() for p in layer.parameters()), "= 12·(5·5·3) + 12 biases")

# %% [markdown]
# > **The notes say** (002:L1826, L1835) the kernel is applied "by simple matrix
# > multiplication" / "matrix multiplication element after element". **In fact** each
# > output is the element-wise product of the kernel with one window, summed (a dot
# > product); section 3 shows that a matrix product gives something else.
# >
# > **The notes say** (L1868) for a 3-D input "the movement of the kernel will be from
# > front to back, left to right and top to bottom". **In fact** a 2-D convolution's filter
# > spans all input channels at once and slides only left-right and top-bottom (section 5).
# > (A 3-D convolution, for video or volumes, does slide in depth.)
# >
# > **The notes say** (L1779) a 34×34×3 image uses filters of "a × 3". **In fact** the
# > filter is $a \times a \times 3$.
# >
# > **The notes** (L1862–1866) list two steps of the sliding-window protocol and then say
# > "steps 2 and 3 are repeated". **In fact** there are two steps: slide right to the last
# > column, then back to the first column one row down, until the last row is done.
#
# ## 6. Demo: one output pixel at a time
#
# Choose an output pixel with the two sliders: the blue frame on the input is its
# **receptive field**, the third panel the nine products, and the line under the figure
# writes out the sum. Edit the kernel entries (the dropdown switches to "custom"), and tick
# **true convolution** to see the kernel rotated by 180° before it slides: for the
# symmetric notes' kernels nothing changes; for the asymmetric kernel the map does.

# %%
kernel_demo.demo()

# %% [markdown]
# The demo's model function gives the same numbers without widgets; the default setting
# is the notes' sharpen example:

# %%
result = kernel_demo.apply_kernel(kernel_demo.KernelSettings())
print(result.sum_text)
flipped = kernel_demo.apply_kernel(kernel_demo.KernelSettings(
    kernel=sum(kernel_demo.KERNELS["asymmetric (shows the flip)"], ()), flip=True))
plain = kernel_demo.apply_kernel(kernel_demo.KernelSettings(
    kernel=sum(kernel_demo.KERNELS["asymmetric (shows the flip)"], ())))
print("asymmetric kernel, first output: correlation", plain.total, "| convolution", flipped.total)

# %% [markdown]
# ## 7. Exercises
#
# **Exercise 1.** Write `correlate(X, K)`, the valid 2-D cross-correlation of a 2-D array
# with a kernel (any sizes), with two loops over the output positions.

# %%
def correlate(X, K):
    ...  # your code: return a numpy array of shape (H - kH + 1, W - kW + 1)


rng = np.random.default_rng(1)
test_inputs = [(rng.integers(-3, 4, (5, 5)), rng.integers(-2, 3, (3, 3))),
               (rng.standard_normal((6, 8)), rng.standard_normal((2, 3))),
               (window, sharpen)]
check_function(correlate, correlate2d, test_inputs,
               hint="out[i, j] = (X[i:i + kH, j:j + kW] * K).sum()")

# %% tags=["solution"] jupyter={"source_hidden": true}
def correlate(X, K):
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    kH, kW = K.shape
    out = np.zeros((X.shape[0] - kH + 1, X.shape[1] - kW + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (X[i:i + kH, j:j + kW] * K).sum()
    return out


check_function(correlate, correlate2d, test_inputs)

# %% [markdown]
# **Exercise 2.** The edge kernel on the notes' first window (`window` above): what is the
# output?

# %%
edge_output = ...  # your answer: a number
check(edge_output, (window * np.array(kernels["edge"])).sum(),
      hint="8 times the centre minus the sum of the other eight values")

# %% tags=["solution"] jupyter={"source_hidden": true}
edge_output = 8 * 10 - (45 + 12 + 5 + 22 + 35 + 88 + 26 + 51)
check(edge_output, (window * np.array(kernels["edge"])).sum())

# %% [markdown]
# ## 8. Review questions (Part A)

# %%
quiz("What does torch.nn.Conv2d compute?",
     ["True convolution (the kernel flipped)", "Cross-correlation (the kernel not flipped)",
      "A matrix product of the window and the kernel"],
     answer=1, explanation="S(i, j) = Σ I(i + m, j + n) K(m, n); section 2 checks it against loops.")

# %%
quiz("An RGB 32×32 image is convolved with one 5×5×3 filter (valid, stride 1). The output is",
     ["28×28×3", "28×28×1", "32×32×3", "30×30×1"],
     answer=1, explanation="The filter spans all 3 channels and sums them: one 28×28 map.")

# %% [markdown]
# <details><summary><b>Write the equation of the convolution operation. (Q4)</b></summary>
# Continuous: s(t) = ∫ x(a) w(t − a) da = (x ∗ w)(t), with input x, kernel w and
# feature map s. Discrete 2-D: S(i, j) = Σ_m Σ_n I(m, n) K(i − m, j − n). CNN libraries
# compute the cross-correlation S(i, j) = Σ_m Σ_n I(i + m, j + n) K(m, n), the same with
# the kernel flipped.
# </details>
#
# <details><summary><b>What are the input, the kernel and the feature map?</b></summary>
# The input is the array being filtered (an image, a signal, or the previous layer's
# maps); the kernel is the small array of learned weights; the feature map is the output,
# one value per kernel position, large where the input window resembles the kernel.
# </details>
#
# ## Summary
# - Convolution: $s(t) = \sum_a x(a) w(t - a)$; cross-correlation drops the flip, and it is
#   what `nn.Conv1d` / `nn.Conv2d` compute (checked against loops).
# - Each output is the element-wise product of the kernel and one window, summed: the
#   notes' −45 and 6 recomputed above.
# - Blur, sharpen and edge kernels are fixed feature detectors; a CNN learns its kernels.
# - A filter spans all input channels: weights $(C_{out}, C_{in}, k, k)$.
#
# **Next:** why convolution is so much cheaper than a dense layer: sparse interactions and
# parameter sharing (lesson 02).
