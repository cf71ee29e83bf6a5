# %% [markdown]
# # Scalars, vectors, matrices and tensors (syllabus I.1, I.2, I.3)
#
# **What you will learn**
# - what scalars, vectors, matrices and tensors are, in the notation of Goodfellow, Bengio &
#   Courville (*Deep Learning*, ch. 2; GBC below), and how each one looks in torch: a tensor
#   with 0, 1, 2 or more axes;
# - how to index them: elements, rows and columns, the index sets $x_S$ and $x_{-S}$, with
#   1-based maths and 0-based code side by side;
# - the transpose, the matrix product and the linear layer $Wx + b$, norms, dot products and
#   the cosine similarity between two images;
# - **broadcasting**: $D = a \cdot B + c$, $C = A + b$, and the rule torch follows for any
#   two shapes;
# - how to reshape, flatten and permute a batch of images with shape `(N, C, H, W)`.
#
# Everything runs on a few hundred real Fashion-MNIST images.

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
    os.chdir("/content/ad3501/units/unit1_deep_network_basics")

# %%
import time

import matplotlib.pyplot as plt
import torch
from torch import nn

from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.demos import broadcasting
from utils.plotting import set_style, show_images
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)

# %% [markdown]
# ## 0. The data: 500 images
#
# `load_fashion_mnist` returns the images as one tensor of shape `(N, 1, 28, 28)`: N images,
# 1 colour channel (grey), 28 rows and 28 columns of pixels in $[0, 1]$. We keep the first
# 500 training images and their labels.

# %%
data = load_fashion_mnist(n_val=0)
X, y = data.X_train[:500], data.y_train[:500]  # (500, 1, 28, 28), (500,)
classes = data.classes
print("X:", tuple(X.shape), X.dtype, "| y:", tuple(y.shape), y.dtype)
print("images per class:", torch.bincount(y, minlength=10).tolist())
show_images(X, y, classes)
plt.show()

# %% [markdown]
# ## 1. Scalars (I.1)
#
# A **scalar** is a single number. GBC writes scalars in lower-case italics and says what
# kind of number each one is when it is introduced: "let $s \in \mathbb R$ be the slope of
# the line", "let $n \in \mathbb N$ be the number of units".
#
# In torch a scalar is a tensor with **no axes**: `ndim` is 0 and the shape is the empty
# tuple `()`. One pixel of one image is a real scalar; a label is a natural number.

# %%
pixel = X[0, 0, 14, 14]  # image 1, channel 1, row 15, column 15 (0-based indices in code)
label = y[0]
print("pixel:", "ndim", pixel.ndim, "shape", tuple(pixel.shape), "value", round(pixel.item(), 4),
      pixel.dtype)
print("label:", "ndim", label.ndim, "shape", tuple(label.shape), "value", label.item(), label.dtype,
      "=", classes[label.item()])

# %% [markdown]
# `float32` plays the role of $\mathbb R$ and `int64` that of $\mathbb N$ (or $\mathbb Z$).
# `.item()` turns a 0-axis tensor into a plain Python number.
#
# A scalar can be seen as a $1 \times 1$ matrix, so it is its own transpose: $a = a^\top$.

# %%
a = torch.tensor([[3.0]])  # a 1x1 matrix
print("a.T equals a:", torch.equal(a.T, a), "| shape", tuple(a.shape))

# %% [markdown]
# ## 2. Vectors (I.2)
#
# A **vector** is an ordered array of numbers, written in bold lower case,
# $\boldsymbol x \in \mathbb R^n$, and read as a column:
#
# $$\boldsymbol x = \begin{bmatrix} x_1 \\ x_2 \\ \vdots \\ x_n \end{bmatrix}
#   = [x_1, x_2, \dots, x_n]^\top .$$
#
# Its elements are $x_1, \dots, x_n$: **maths counts from 1, Python from 0**, so $x_i$ is
# `x[i - 1]`. One row of an image is a vector in $\mathbb R^{28}$:

# %%
x = X[0, 0, 14, :]  # row 15 of the first image: a vector with 28 elements, shape (28,)
n = len(x)
print("x has shape", tuple(x.shape), "| n =", n)
print("x_1 = x[0] =", round(x[0].item(), 4), "| x_15 = x[14] =", round(x[14].item(), 4),
      "| x_n = x[-1] =", round(x[-1].item(), 4))

# %% [markdown]
# **Index sets.** To pick several elements GBC writes the set of their indices as a
# subscript: with $S = \{1, 3, 6\}$, $\boldsymbol x_S = [x_1, x_3, x_6]^\top$. A minus sign
# means the complement: $\boldsymbol x_{-1}$ is $\boldsymbol x$ without $x_1$, and
# $\boldsymbol x_{-S}$ is $\boldsymbol x$ without $x_1, x_3, x_6$. In code we subtract 1
# from every index, and build the complement with a boolean **mask**.

# %%
S = torch.tensor([1, 3, 6])  # maths indices, 1-based
x_S = x[S - 1]  # code indices 0, 2, 5
x_minus_1 = x[1:]  # everything but x_1
keep = torch.ones(n, dtype=torch.bool)
keep[S - 1] = False  # the mask is False exactly at the indices in S
x_minus_S = x[keep]
print("x_S:", [round(v, 3) for v in x_S.tolist()])
print("len(x_-1) =", len(x_minus_1), "| len(x_-S) =", len(x_minus_S),
      "| len(x_S) + len(x_-S) == n:", len(x_S) + len(x_minus_S) == n)

# %% [markdown]
# **Row and column vectors.** A 1-D tensor of shape `(n,)` has no orientation. When the
# orientation matters we make it a matrix with one column, `(n, 1)`, or one row, `(1, n)`;
# the transpose of a column vector is a row vector.

# %%
x_col = x.reshape(n, 1)  # (28,) -> (28, 1): a column vector
x_row = x_col.T  # (1, 28): a row vector
print("x:", tuple(x.shape), "| column:", tuple(x_col.shape), "| row:", tuple(x_row.shape))

# %% [markdown]
# **A vector is a point in space.** Flattening a whole image gives a vector in
# $\mathbb R^{784}$, one coordinate per pixel; the 500 images are 500 points in that space.
# We can then measure their sizes and the angles between them.
#
# **Norms** measure the size of a vector (GBC §2.5). The $L^p$ norm is
# $\|\boldsymbol x\|_p = \left(\sum_i |x_i|^p\right)^{1/p}$; the $L^1$ norm of an image is its
# total ink, the $L^2$ norm its Euclidean length, and the max norm
# $\|\boldsymbol x\|_\infty = \max_i |x_i|$ its brightest pixel.

# %%
X_flat = X.reshape(len(X), -1)  # (500, 1, 28, 28) -> (500, 784)
v = X_flat[0]  # (784,)
l1 = v.abs().sum()
l2 = (v ** 2).sum().sqrt()
l_inf = v.abs().max()
print(f"from scratch: L1 {l1:.3f}, L2 {l2:.3f}, max {l_inf:.3f}")
print(f"torch:        L1 {torch.linalg.vector_norm(v, ord=1):.3f}, "
      f"L2 {torch.linalg.vector_norm(v):.3f}, max {torch.linalg.vector_norm(v, ord=float('inf')):.3f}")

# %% [markdown]
# **Dot product and angle.** $\boldsymbol x^\top \boldsymbol y = \sum_i x_i y_i
# = \|\boldsymbol x\|_2 \|\boldsymbol y\|_2 \cos\theta$, so the **cosine similarity**
# $\cos\theta = \frac{\boldsymbol x^\top \boldsymbol y}{\|\boldsymbol x\|_2\|\boldsymbol y\|_2}$
# is 1 for images that point the same way and 0 for images with no lit pixel in common.
#
# Dividing every row of `X_flat` by its norm is already a broadcast (section 4 explains it):
# `(500, 784) / (500, 1)`. Then one matrix product gives the cosine of image 1 with every
# image.

# %%
norms = torch.linalg.vector_norm(X_flat, dim=1, keepdim=True)  # (500, 1)
X_unit = X_flat / norms  # (500, 784): every row has length 1
cos_to_first = X_unit @ X_unit[0]  # (500, 784) @ (784,) -> (500,)
nearest = cos_to_first.argsort(descending=True)[:8]  # the first one is image 1 itself
print("cosine to image 1 of its nearest images:", [round(c, 3) for c in cos_to_first[nearest].tolist()])
show_images(X[nearest], y[nearest], classes, n_rows=1)
plt.show()

# %% [markdown]
# The nearest images by angle look alike (their labels are in the titles). The matrix of
# **all** pairwise cosines is one product, $\boldsymbol S = \boldsymbol U \boldsymbol
# U^\top$ with the unit rows $\boldsymbol U$. Averaging it within and between classes
# tells whether images of one class point in more similar directions.

# %%
S_cos = X_unit @ X_unit.T  # (500, 784) @ (784, 500) -> (500, 500)
same_class = y[:, None] == y[None, :]  # (500, 500) boolean, by broadcasting
off_diagonal = ~torch.eye(len(y), dtype=torch.bool)
cos_same = S_cos[same_class & off_diagonal].mean().item()
cos_different = S_cos[~same_class].mean().item()
print(f"mean cosine, same class: {cos_same:.3f} | different class: {cos_different:.3f}")
print("same-class images are more aligned:", cos_same > cos_different)

# %% [markdown]
# ## 3. Matrices (I.3)
#
# A **matrix** is a 2-D array, written in bold upper case: $\boldsymbol A \in
# \mathbb R^{m \times n}$ has $m$ rows and $n$ columns, and $A_{i,j}$ is the element in row
# $i$, column $j$ ($A_{1,1}$ top left, $A_{m,n}$ bottom right). A colon takes a whole
# axis: $A_{i,:}$ is row $i$ and $A_{:,j}$ is column $j$. In code: `A[i - 1, :]` and
# `A[:, j - 1]`. One grey image is a $28 \times 28$ matrix; we take the first pair of
# trousers.

# %%
A = X[y == 1][0, 0]  # the first image of class 1 (Trouser) as a matrix, (28, 28)
i, j = 20, 16  # maths indices: row 20, column 16
row, col = A[i - 1, :], A[:, j - 1]  # (28,), (28,)
fig, axes = plt.subplots(1, 3, figsize=(11, 3.2))
axes[0].imshow(A, cmap="gray_r")
axes[0].axhline(i - 1, color="C1", lw=2)
axes[0].axvline(j - 1, color="C2", lw=2)
axes[0].set_title(f"A ({classes[1]}), {tuple(A.shape)}")
axes[1].plot(range(1, 29), row, "C1")
axes[1].set(title=f"row $A_{{{i},:}}$ = A[{i - 1}, :]", xlabel="column j")
axes[2].plot(range(1, 29), col, "C2")
axes[2].set(title=f"column $A_{{:,{j}}}$ = A[:, {j - 1}]", xlabel="row i")
plt.show()

# %% [markdown]
# **Transpose.** $(\boldsymbol A^\top)_{i,j} = A_{j,i}$: the mirror image of the matrix
# across its main diagonal (from the top-left corner down to the right). A $3\times 2$ matrix
# becomes $2 \times 3$, as in the notes' figure 2.1. Mirroring an image turns rows into
# columns: the trousers lie down.

# %%
A32 = torch.tensor([[11, 12], [21, 22], [31, 32]])  # A_{i,j} = 10 i + j, shape (3, 2)
print(A32.T)  # (2, 3)
print("(A^T)_{1,3} == A_{3,1}:", (A32.T[0, 2] == A32[2, 0]).item())
print("(A^T)^T == A:", torch.equal(A32.T.T, A32))

# %%
fig, axes = plt.subplots(1, 2, figsize=(6, 3))
for ax, image, title in zip(axes, [A, A.T], ["A", "A.T (mirror across the diagonal)"]):
    ax.imshow(image, cmap="gray_r")
    ax.plot([0, 27], [0, 27], "C3--", lw=1)  # the main diagonal
    ax.set_title(title, fontsize=11)
    ax.axis("off")
plt.show()

# %% [markdown]
# **Adding matrices** of the same shape adds their elements: $\boldsymbol C = \boldsymbol A
# + \boldsymbol B$ with $C_{i,j} = A_{i,j} + B_{i,j}$. Shapes that differ and cannot be
# broadcast (section 4) are an error; we catch it to read the message.

# %%
B = X[2, 0]  # another image, (28, 28)
C = A + B
print("C[19, 9] == A[19, 9] + B[19, 9]:", (C[19, 9] == A[19, 9] + B[19, 9]).item())
try:
    A + X_flat[2]  # (28, 28) + (784,)
except RuntimeError as error:
    print("RuntimeError:", error)

# %% [markdown]
# **Scalars and matrices.** Multiplying a matrix by a scalar, or adding a scalar to it,
# works on every element: $\boldsymbol D = a \cdot \boldsymbol B + c$ with
# $D_{i,j} = a \cdot B_{i,j} + c$. On an image, $a$ is the contrast and $c$ the brightness.
# torch treats `a` and `c` as if they were copied into $28 \times 28$ matrices: this is the
# simplest case of broadcasting.

# %%
fig, axes = plt.subplots(1, 3, figsize=(8, 3))
for ax, (a, c) in zip(axes, [(1.0, 0.0), (2.0, -0.5), (0.4, 0.3)]):
    D = a * A + c  # (28, 28)
    ax.imshow(D, cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(f"D = {a:g}·A {'+' if c >= 0 else '−'} {abs(c):g}", fontsize=11)
    ax.axis("off")
plt.show()
D = 2.0 * A + (-0.5)
print("D[19, 9] == 2 * A[19, 9] - 0.5:", torch.isclose(D[19, 9], 2 * A[19, 9] - 0.5).item())

# %% [markdown]
# **The matrix product** $\boldsymbol C = \boldsymbol A \boldsymbol B$ is defined when
# $\boldsymbol A$ has as many columns as $\boldsymbol B$ has rows:
# $(m \times n)(n \times p) \to (m \times p)$ and $C_{i,j} = \sum_k A_{i,k} B_{k,j}$. From
# scratch with loops first, then with `@`:

# %%
def matmul(A, B):
    """C = A B with three loops, straight from the definition."""
    m, n = A.shape
    n_b, p = B.shape
    assert n == n_b, f"inner sizes differ: {n} and {n_b}"
    C = torch.zeros(m, p)
    for i in range(m):
        for j in range(p):
            for k in range(n):
                C[i, j] += A[i, k] * B[k, j]
    return C


P, Q = torch.randn(3, 4), torch.randn(4, 2)
print("loops equal @:", torch.allclose(matmul(P, Q), P @ Q, atol=1e-6), "| shape", tuple((P @ Q).shape))
print("(PQ)^T == Q^T P^T:", torch.allclose((P @ Q).T, Q.T @ P.T, atol=1e-6))
M, N = torch.randn(2, 2), torch.randn(2, 2)
print("MN == NM for two random 2x2 matrices:", torch.allclose(M @ N, N @ M))

# %% [markdown]
# **A linear layer is a matrix-vector product plus a vector.** A layer that maps an image
# $\boldsymbol x \in \mathbb R^{784}$ to 10 class scores computes
# $\hat{\boldsymbol y} = \boldsymbol W \boldsymbol x + \boldsymbol b$ with
# $\boldsymbol W \in \mathbb R^{10 \times 784}$ and $\boldsymbol b \in \mathbb R^{10}$
# (GBC writes the same layer as $\boldsymbol W^\top \boldsymbol x + \boldsymbol b$ with
# $\boldsymbol W \in \mathbb R^{784 \times 10}$). For a whole batch, each image is a
# **row** of `X_flat`, so the product becomes `X_flat @ W.T`, and `+ b` adds $\boldsymbol b$
# to every row: exactly the notes' $\boldsymbol C = \boldsymbol A + \boldsymbol b$.
# `nn.Linear` stores $\boldsymbol W$ as `weight` with shape `(out, in)`.

# %%
set_seed(0)
net = nn.Linear(784, 10)
W, b = net.weight.detach(), net.bias.detach()  # (10, 784), (10,)
y_hat_one = W @ X_flat[0] + b  # (10, 784) @ (784,) + (10,) -> (10,)
y_hat = X_flat @ W.T + b  # (500, 784) @ (784, 10) + (10,) -> (500, 10)
with torch.no_grad():
    print("one image equals row 0 of the batch:", torch.allclose(y_hat_one, y_hat[0], atol=1e-6))
    print("our batch equals nn.Linear:", torch.allclose(y_hat, net(X_flat), atol=1e-6),
          "| shape", tuple(y_hat.shape))

# %% [markdown]
# ## 4. Broadcasting (I.3)
#
# The notes (after GBC) allow adding a vector to a matrix: $\boldsymbol C = \boldsymbol A
# + \boldsymbol b$ with $C_{i,j} = A_{i,j} + b_j$, i.e. $\boldsymbol b$ is added to each
# row. This implicit copying is **broadcasting**. numpy and torch apply one rule to any two
# shapes:
#
# 1. line the shapes up on their **last** axis; an axis that one of them lacks counts as
#    size 1;
# 2. on every axis the sizes must be **equal**, or one of them must be **1** (that operand
#    is copied along the axis, without using memory);
# 3. otherwise the shapes do not broadcast and torch raises an error.
#
# `broadcasting.broadcast` (from `utils/demos/broadcasting.py`) applies the rule and says
# what happens on each axis. Subtracting the mean image from every image:

# %%
mean_image = X.mean(dim=0)  # (1, 28, 28): the average over the 500 images
rule = broadcasting.broadcast(X.shape, mean_image.shape)
print("\n".join(rule.steps), "\nresult shape:", rule.shape)
X_centred = X - mean_image  # (500, 1, 28, 28) - (1, 28, 28) -> (500, 1, 28, 28)
print("the centred images have mean 0 at every pixel:",
      torch.allclose(X_centred.mean(dim=0), torch.zeros(1, 28, 28), atol=1e-6))

# %% [markdown]
# **keepdim.** To divide every image by its own brightness we need one number per image.
# `X.mean(dim=(1, 2, 3))` has shape `(500,)`, which lines up with the *last* axis of `X`
# (28), not the first; `keepdim=True` keeps the reduced axes as size 1, `(500, 1, 1, 1)`,
# and then the rule copies each image's number over its pixels.

# %%
brightness = X.mean(dim=(1, 2, 3))  # (500,)
print(broadcasting.broadcast(X.shape, brightness.shape).steps[-1])
brightness = X.mean(dim=(1, 2, 3), keepdim=True)  # (500, 1, 1, 1)
X_scaled = X / brightness  # (500, 1, 28, 28) / (500, 1, 1, 1)
print("every scaled image has mean brightness 1:",
      torch.allclose(X_scaled.mean(dim=(1, 2, 3)), torch.ones(500), atol=1e-5))

# %% [markdown]
# **The mean image of each class**, two ways. With a boolean mask, `X[y == k]` selects the
# images of class $k$; a loop over the 10 classes stacks their means. Without a loop, the
# **one-hot** matrix $\boldsymbol Y \in \{0,1\}^{500 \times 10}$ ($Y_{n,k} = 1$ if image $n$
# has class $k$) turns the per-class sums into one matrix product,
# $\boldsymbol Y^\top \boldsymbol X$, and a broadcast divides each row by its class count.

# %%
means_loop = torch.stack([X_flat[y == k].mean(dim=0) for k in range(10)])  # (10, 784)
Y = nn.functional.one_hot(y, num_classes=10).float()  # (500, 10)
counts = Y.sum(dim=0)  # (10,)
means = (Y.T @ X_flat) / counts[:, None]  # (10, 784) / (10, 1) -> (10, 784)
print("loop and matrix product agree:", torch.allclose(means_loop, means, atol=1e-6))
mean_images = means.reshape(10, 1, 28, 28)  # (10, 784) -> (10, 1, 28, 28)
show_images(mean_images, torch.arange(10), classes, n_cols=5)
plt.show()

# %% [markdown]
# **A classifier from broadcasting alone.** Give a test image the class whose mean image is
# nearest. `X_test[:, None, :] - means[None, :, :]` broadcasts `(1000, 1, 784)` against
# `(1, 10, 784)` into all 10,000 differences at once, `(1000, 10, 784)`; summing squares over
# the last axis gives the squared distances. (We compute in float64 so that the printed
# accuracy is the same on every CPU.)

# %%
X_test = data.X_test[:1000].reshape(1000, 784).double()  # (1000, 1, 28, 28) -> (1000, 784)
y_test = data.y_test[:1000]
diff = X_test[:, None, :] - means.double()[None, :, :]  # (1000, 10, 784)
dist2 = (diff ** 2).sum(dim=2)  # (1000, 10)
y_pred = dist2.argmin(dim=1)  # (1000,)
nearest_mean_acc = (y_pred == y_test).double().mean().item()
print(f"nearest class mean: test accuracy {nearest_mean_acc:.3f} on 1000 test images "
      f"(chance is 0.1)")

# %% [markdown]
# No training at all, yet far above chance (lesson 07's networks reach close to 0.9).
#
# **Vectorised, but at a price.** The difference tensor holds one number per test image,
# class and pixel (printed below), tens of megabytes in float64. Expanding the square avoids
# it: $\|\boldsymbol x - \boldsymbol m\|^2 = \|\boldsymbol x\|^2 - 2\,\boldsymbol x^\top
# \boldsymbol m + \|\boldsymbol m\|^2$. The middle term for all pairs is one matrix product,
# `X_test @ means.T` of shape `(1000, 10)`, and the two other terms broadcast as a column
# `(1000, 1)` and a row `(1, 10)`.

# %%
means64 = means.double()  # (10, 784)
dist2_matmul = ((X_test ** 2).sum(dim=1, keepdim=True)  # (1000, 1)
                - 2 * X_test @ means64.T  # (1000, 10)
                + (means64 ** 2).sum(dim=1)[None, :])  # (1, 10)
print(f"entries of the difference tensor: {diff.numel():,} ({diff.numel() * 8 / 1e6:.0f} MB in float64)")
print("both distance computations agree:", torch.allclose(dist2, dist2_matmul))

# %% [markdown]
# A Python loop over the test images, the 3-axis broadcast and the matrix product give the
# same predictions. Time them on your machine: the numbers below change from run to run,
# and a lot with how busy the machine is (multi-threaded tensor operations suffer most on a
# shared machine), so measure before you believe any rule of thumb about speed. What does
# not change is the memory: only the 3-axis broadcast builds the big tensor.

# %% tags=["nbval-ignore-output"]
start = time.perf_counter()
y_pred_loop = torch.stack([((x_row - means64) ** 2).sum(dim=1).argmin() for x_row in X_test])
loop_ms = 1000 * (time.perf_counter() - start)
start = time.perf_counter()
y_pred_broadcast = ((X_test[:, None, :] - means64[None]) ** 2).sum(dim=2).argmin(dim=1)
broadcast_ms = 1000 * (time.perf_counter() - start)
start = time.perf_counter()
y_pred_matmul = ((X_test ** 2).sum(1, keepdim=True) - 2 * X_test @ means64.T
                 + (means64 ** 2).sum(1)).argmin(dim=1)
matmul_ms = 1000 * (time.perf_counter() - start)
print(f"loop {loop_ms:.0f} ms | 3-axis broadcast {broadcast_ms:.0f} ms | "
      f"matrix product {matmul_ms:.1f} ms")

# %%
print("all three give the same predictions:",
      torch.equal(y_pred_loop, y_pred_broadcast) and torch.equal(y_pred_loop, y_pred_matmul))
print("nearest-class-mean accuracy well above chance (>= 0.5):", nearest_mean_acc >= 0.5)

# %% [markdown]
# ## 5. Demo: the shape lab
#
# Choose the shapes of $\boldsymbol A$ (a matrix) and $\boldsymbol b$ (a scalar, a vector
# or a matrix). The panels show both operands stretched to the result's shape and their
# sum. The numbers tell where each entry comes from: $A_{i,j} = 10i + j$, $b_k = 100k$ and
# $b_{r,k} = 1000r + 100k$, so `2312` in $\boldsymbol A + \boldsymbol b$ is $b_{2,3}$ plus
# $A_{1,2}$. **Pale italic cells are the implicit copies** that broadcasting adds without
# storing them. When the shapes do not broadcast, the line under the controls says on which
# axis the rule fails.

# %%
demo = broadcasting.demo()
demo

# %% [markdown]
# **Try this**
# - With $\boldsymbol b$ a vector `(k,)`, which values of $k$ work with
#   $\boldsymbol A \in \mathbb R^{3 \times 4}$? Why is $\boldsymbol b$ copied down the rows
#   and never across the columns?
# - Make $\boldsymbol b$ a column, `(3, 1)`: now it is copied across the columns. What shape
#   must $\boldsymbol b$ have to add a different number to each **row** of $\boldsymbol A$?
# - Set $\boldsymbol A$ to `(1, 4)` and $\boldsymbol b$ to `(3, 1)`: **both** are stretched
#   and the result is bigger than either. Which cells are originals?
# - Find a pair of shapes where $\boldsymbol A + \boldsymbol b$ has more entries than
#   $\boldsymbol A$ and $\boldsymbol b$ together.
#
# ## 6. Tensors (I.3)
#
# An array with **more than two axes** is a **tensor**; GBC writes it in bold sans-serif,
# $\mathsf{\mathbf A}$, with elements $\mathsf A_{i,j,k}$. Our batch of images is a tensor
# with 4 axes, $\mathsf X_{n,c,h,w}$: image, channel, row, column, the `(N, C, H, W)`
# layout of torch. Indexing fewer axes leaves a smaller tensor:

# %%
print("X:", tuple(X.shape), "ndim", X.ndim)
print("X[0]       one image:                    ", tuple(X[0].shape))
print("X[0, 0]    its only channel, a matrix:   ", tuple(X[0, 0].shape))
print("X[:, 0, 13, 13]  one pixel of every image:", tuple(X[:, 0, 13, 13].shape))
print("X[:16]     the first 16 images:          ", tuple(X[:16].shape))

# %% [markdown]
# **Reductions over chosen axes**: `dim` names the axes that disappear.

# %%
print("mean over images, dim=0:        ", tuple(X.mean(dim=0).shape))
print("brightness per image, dim=(1,2,3):", tuple(X.mean(dim=(1, 2, 3)).shape))
print("column profile per image, dim=2:  ", tuple(X.mean(dim=2).shape))

# %% [markdown]
# **Reshape keeps the order of the numbers.** torch stores a tensor row by row (the last
# axis varies fastest), so flattening an image puts pixel (row $i$, column $j$), 0-based,
# at position $28i + j$; `reshape` and `flatten` only change how the same numbers are
# grouped.

# %%
X_flat2 = X.flatten(start_dim=1)  # (500, 1, 28, 28) -> (500, 784), same as X.reshape(500, -1)
print("flatten equals reshape:", torch.equal(X_flat2, X_flat))
i, j = 13, 5
print(f"X[0, 0, {i}, {j}] == X_flat[0, 28*{i} + {j}]:", (X[0, 0, i, j] == X_flat[0, 28 * i + j]).item())

# %% [markdown]
# **permute moves axes.** To lay 6 images of each class out as one big picture (10 rows of
# 6 images) we need the rows of each image next to each other: a tensor $(10, 6, 28, 28)$ =
# (class, example, row, column) must become (class, row, example, column) before the
# reshape to $(10 \cdot 28) \times (6 \cdot 28)$. Reshaping without `permute` also gives
# *some* $280 \times 168$ matrix, but it chops every image into strips.

# %%
idx = torch.stack([torch.nonzero(y == k).flatten()[:6] for k in range(10)])  # (10, 6) image indices
G = X[idx, 0]  # (10, 6, 28, 28): class, example, row, column
montage = G.permute(0, 2, 1, 3).reshape(10 * 28, 6 * 28)  # (10, 28, 6, 28) -> (280, 168)
wrong = G.reshape(10 * 28, 6 * 28)  # same shape, numbers grouped wrongly
fig, axes = plt.subplots(1, 2, figsize=(8, 6.5))
for ax, image, title in zip(axes, [montage, wrong], ["permute, then reshape", "reshape only"]):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(title, fontsize=11)
    ax.axis("off")
plt.show()

# %% [markdown]
# (A tensor's `.T` reverses all of its axes and is deprecated for tensors that are not
# matrices; for more than two axes say which axes to swap, with `permute` or
# `transpose(dim0, dim1)`.)
#
# ## 7. The notes say …; in fact …
#
# > **Seed 004 says** (004:L435–437), under "Normalization scheme for input data
# > (vectorization)", that vectorisation is "a method used to convert an image into
# > vector". **In fact** these are three different ideas: **flattening** reshapes an image
# > into a vector (section 6, `reshape`/`flatten`); **vectorisation** means computing with
# > whole-array operations instead of Python loops (the broadcast classifier of section 4);
# > **input normalisation** rescales the inputs, e.g. to zero mean and unit variance
# > (topic I.8; lesson 07 standardises its inputs).
# >
# > **The notes' Part-A answer to Q5** defines the scalar and mentions vectors only in
# > passing ("arrays of multiple numbers"). **A complete answer** defines both: a scalar is
# > a single number; a vector is an *ordered* array of $n$ numbers, each identified by one
# > index, $\boldsymbol x \in \mathbb R^n$, a point in $n$-dimensional space.
# >
# > **The notes' text** (002:L586–611) lost GBC's typefaces and one symbol: "writing a
# > $-:i$" should read "writing a colon" ($A_{i,:}$), and the tensor "with this font" is
# > bold sans-serif $\mathsf{\mathbf A}$. It also describes the transpose under *Tensors*;
# > the transpose $\boldsymbol A^\top$ is an operation on **matrices**.
#
# The error list of the syllabus (§6.1) has no factual errors for I.1–I.3 otherwise.
#
# ## 8. Exercises
#
# **Exercise 1.** Write `drop(x, S)` that returns $\boldsymbol x_{-S}$ for a list `S` of
# **1-based** maths indices.

# %%
def drop(x, S):
    ...  # your code: return x without the elements whose maths indices are in S


def drop_reference(x, S):
    return torch.tensor([x_i for i, x_i in enumerate(x.tolist(), start=1) if i not in S])


drop_inputs = [(torch.arange(10.0), [1, 3, 6]), (X_flat[0, 300:320], [1]), (torch.arange(5.0), [5, 2])]
check_function(drop, drop_reference, drop_inputs,
               hint="make a boolean mask of ones, set it to False at S - 1, and index x with it")

# %% tags=["solution"] jupyter={"source_hidden": true}
def drop(x, S):
    keep = torch.ones(len(x), dtype=torch.bool)
    keep[torch.tensor(S) - 1] = False
    return x[keep]


check_function(drop, drop_reference, drop_inputs)

# %% [markdown]
# **Exercise 2.** Write `cosine(u, v)`, the cosine similarity of two vectors, from the
# dot product and the norms (no `torch.nn.functional`).

# %%
def cosine(u, v):
    ...  # your code: return a 0-axis tensor


pairs = [(X_flat[0], X_flat[1]), (X_flat[2], X_flat[3]),
         (torch.tensor([1.0, 0.0]), torch.tensor([1.0, 1.0]))]
check_function(cosine, lambda u, v: nn.functional.cosine_similarity(u, v, dim=0), pairs,
               hint="(u @ v) / (norm of u * norm of v)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def cosine(u, v):
    return (u @ v) / (torch.linalg.vector_norm(u) * torch.linalg.vector_norm(v))


check_function(cosine, lambda u, v: nn.functional.cosine_similarity(u, v, dim=0), pairs)

# %% [markdown]
# **Exercise 3.** Without running torch, decide for each pair of shapes whether they
# broadcast (`True`/`False`). The check uses `broadcasting.broadcast`, the model behind the
# shape lab.

# %%
shape_pairs = [((500, 1, 28, 28), (28,)), ((500, 1, 28, 28), (500,)),
               ((10, 784), (10, 1)), ((3, 4), (4, 3)), ((1000, 1, 784), (10, 784))]
answers = ...  # your answer: a list of 5 booleans
check(answers, [broadcasting.broadcast(a, b).shape is not None for a, b in shape_pairs],
      hint="compare the sizes axis by axis starting from the LAST axis")

# %% tags=["solution"] jupyter={"source_hidden": true}
answers = [True, False, True, False, True]
check(answers, [broadcasting.broadcast(a, b).shape is not None for a, b in shape_pairs])

# %% [markdown]
# **Exercise 4.** Compute the mean brightness of each class (one number per class, shape
# `(10,)`) from the tensor `means` of section 4.

# %%
class_brightness = ...  # your answer, shape (10,)
check(class_brightness, torch.stack([X[y == k].mean() for k in range(10)]),
      hint="means has shape (10, 784): average over the pixel axis")

# %% tags=["solution"] jupyter={"source_hidden": true}
class_brightness = means.mean(dim=1)  # (10, 784) -> (10,)
check(class_brightness, torch.stack([X[y == k].mean() for k in range(10)]))

# %% [markdown]
# ## 9. Review questions (Part A)

# %%
quiz("What are ndim and shape of torch.tensor(3.0)?",
     ["ndim 1, shape (1,)", "ndim 0, shape ()", "ndim 2, shape (1, 1)"],
     answer=1, explanation="A scalar has no axes: its shape is the empty tuple.")

# %%
quiz("X holds 64 grey 28x28 images as (N, C, H, W). What is X?",
     ["a matrix of shape (64, 784)", "a tensor with 4 axes, shape (64, 1, 28, 28)",
      "a vector with 50,176 elements"],
     answer=1, explanation="More than two axes make it a tensor; flattening would make it a matrix.")

# %%
quiz("A has shape (3, 4). Which b makes A + b add a different number to each ROW of A?",
     ["b of shape (4,)", "b of shape (3,)", "b of shape (3, 1)"],
     answer=2, explanation="(3, 1) is copied across the 4 columns; "
                           "(3,) lines up with the last axis (4) and fails.")

# %% [markdown]
# <details><summary><b>What is a scalar and what is a vector? (Q5)</b></summary>
# A scalar is a single number, written in lower-case italics with its type, e.g.
# s ∈ ℝ (a 0-axis tensor, shape ()). A vector is an ordered array of n numbers,
# x = [x₁, …, xₙ]ᵀ ∈ ℝⁿ, written in bold; its elements are identified by one index, and it
# can be read as a point in n-dimensional space (a 1-axis tensor, shape (n,)).
# </details>
#
# <details><summary><b>What are matrices and tensors? (Q6)</b></summary>
# A matrix A ∈ ℝ^{m×n} is a 2-D array; each element A_{i,j} has two indices (row, column),
# A_{i,:} is a row and A_{:,j} a column. A tensor is an array with more than two axes,
# e.g. A_{i,j,k}; a batch of images (N, C, H, W) is a 4-axis tensor.
# </details>
#
# <details><summary><b>What is the transpose of a matrix?</b></summary>
# The mirror image across the main diagonal: (Aᵀ)_{i,j} = A_{j,i}, so an m×n matrix becomes
# n×m; a column vector becomes a row vector, and a scalar is its own transpose.
# </details>
#
# <details><summary><b>What is broadcasting?</b></summary>
# The implicit copying of an operand so that shapes match: C = A + b with C_{i,j} = A_{i,j} + b_j
# adds b to every row of A without building a matrix of copies. Rule: align shapes on the
# last axis; each pair of sizes must be equal or one of them 1.
# </details>
#
# ## Summary
# - Scalars, vectors, matrices and tensors are tensors with 0, 1, 2 and more axes; `shape`
#   lists the size of each axis.
# - Maths indices start at 1, code indices at 0: $x_i$ is `x[i - 1]`, $\boldsymbol x_S$ is
#   `x[S - 1]`, $\boldsymbol x_{-S}$ uses a boolean mask.
# - The matrix product $(m \times n)(n \times p) \to (m \times p)$ is the core of a linear
#   layer $\boldsymbol W \boldsymbol x + \boldsymbol b$; norms and dot products measure
#   images as points in $\mathbb R^{784}$.
# - Broadcasting aligns shapes from the last axis and copies size-1 axes; `keepdim=True`
#   keeps reductions broadcastable. It gave the class means and a nearest-mean classifier
#   without a loop.
# - `reshape`/`flatten` regroup numbers in order; `permute` moves axes.
#
# **Next:** lesson 02, probability distributions (I.4).
