# %% [markdown]
# # Deep feedforward networks (syllabus I.13)
#
# **What you will learn**
# - what a feedforward network computes, layer by layer, and why it needs a non-linearity;
# - why a linear model cannot learn XOR and how one hidden ReLU layer solves it exactly;
# - softmax, cross-entropy and accuracy written from scratch with tensors and autograd;
# - the same models with `torch.nn`, trained on Fashion-MNIST until they match the accuracy
#   reported in the source assignment (seed 001);
# - how to read learning curves for under- and overfitting, and why a reported "90.1 %"
#   accuracy (seed 000) was a bug in the metric, not a result.

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
import torch
from torch import nn
import matplotlib.pyplot as plt

from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.plotting import plot_history, set_style, show_images
from utils.training import accuracy, evaluate, fit, set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. The data: Fashion-MNIST
#
# 70,000 grey images of clothes, 28×28 pixels, in 10 classes. `load_fashion_mnist` finds the
# files (see `utils/data.py` for where it looks), checks them, and returns tensors. We hold
# out 5,000 training images as a **validation set** for choosing settings; the official
# 10,000 **test** images are touched only to report final results.

# %%
data = load_fashion_mnist(n_val=5000, seed=0)
print("train:", tuple(data.X_train.shape), "validation:", tuple(data.X_val.shape),
      "test:", tuple(data.X_test.shape))
print("pixel values in", (data.X_train.min().item(), data.X_train.max().item()),
      "| labels:", data.y_train.dtype)
show_images(data.X_train, data.y_train, data.classes)
plt.show()

# %% [markdown]
# A feedforward network takes a vector, so each image becomes a row of 784 numbers. We also
# **standardise** the pixels with the mean and standard deviation of the *training* set
# (never of the test set: that would leak information about it).

# %%
X_train = data.X_train.reshape(-1, 784)  # (55000, 1, 28, 28) -> (55000, 784)
X_val = data.X_val.reshape(-1, 784)  # (5000, 784)
X_test = data.X_test.reshape(-1, 784)  # (10000, 784)
mean, std = X_train.mean(), X_train.std()
X_train, X_val, X_test = [(X - mean) / std for X in (X_train, X_val, X_test)]
y_train, y_val, y_test = data.y_train, data.y_val, data.y_test
print(f"training pixels after standardising: mean {X_train.mean():.3f}, std {X_train.std():.3f}")

# %% [markdown]
# ## 2. What a feedforward network computes
#
# A feedforward network is a composition of functions, $f(x) = f^{(3)}(f^{(2)}(f^{(1)}(x)))$:
# information flows from the input through the hidden layers to the output, **with no
# cycles** (Goodfellow, Bengio & Courville, *Deep Learning*, ch. 6; GBC below). A hidden layer
# computes
#
# $$h = g(W^\top x + c)$$
#
# with weights $W$, biases $c$ and an element-wise **activation** $g$, for example
# ReLU $g(z) = \max(0, z)$, the sigmoid $\sigma(z) = 1/(1+e^{-z})$ (maps $\mathbb R$ to
# $(0,1)$) or $\tanh$ (maps $\mathbb R$ to $(-1, 1)$).
#
# **Why the activation matters.** Without $g$, two layers collapse into one linear map:
# $W_2^\top(W_1^\top x + c_1) + c_2 = (W_1 W_2)^\top x + (W_2^\top c_1 + c_2)$. The code
# checks this for random matrices.

# %%
x = torch.randn(5)
W1, c1 = torch.randn(5, 4), torch.randn(4)
W2, c2 = torch.randn(4, 3), torch.randn(3)
two_linear_layers = W2.T @ (W1.T @ x + c1) + c2
one_linear_layer = (W1 @ W2).T @ x + (W2.T @ c1 + c2)
print("two linear layers equal one:", torch.allclose(two_linear_layers, one_linear_layer, atol=1e-5))

# %% [markdown]
# > **The notes say** (002:L1508) that a feedforward network is one "in which the nodes are
# > connected circularly … some routes are cycled". **In fact** it is the opposite: a
# > feedforward network is *acyclic*; networks with cycles are recurrent networks (Unit III).
# >
# > **The notes say** (Q27) that for the sigmoid "input values between 0 and 1 get mapped to
# > the output values" and that tanh maps "a value between −1 and 1 to the input". **In fact**
# > the sigmoid maps any real input to an output in $(0, 1)$ and tanh maps any real input to
# > $(-1, 1)$. And in the linearity argument at L1504 the constant term is $kd + t$, not
# > $kc + t$.
#
# ## 3. XOR: what one hidden layer buys
#
# XOR is 1 when exactly one input is 1. No straight line separates its two classes, so a
# linear model cannot fit it. The best a linear least-squares model can do is to predict 0.5
# everywhere:

# %%
X_xor = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2)
y_xor = torch.tensor([0.0, 1.0, 1.0, 0.0])  # (4,)
X_with_bias = torch.cat([X_xor, torch.ones(4, 1)], dim=1)  # (4, 3): a column of ones for the bias
w_best = torch.linalg.lstsq(X_with_bias, y_xor[:, None]).solution  # (3, 1)
print("best linear predictions:", (X_with_bias @ w_best).flatten().round(decimals=3).tolist())

# %% [markdown]
# GBC §6.1 gives a network with two ReLU hidden units that solves XOR exactly:
# $W = \begin{bmatrix}1&1\\1&1\end{bmatrix}$, $c = [0, -1]^\top$, $w = [1, -2]^\top$, $b = 0$,
# and $f(x) = w^\top \max(0, W^\top x + c) + b$. The hidden layer maps the four points onto
# a line where the classes *are* separable.

# %%
W = torch.tensor([[1.0, 1.0], [1.0, 1.0]])
c = torch.tensor([0.0, -1.0])
w = torch.tensor([1.0, -2.0])
H = torch.relu(X_xor @ W + c)  # (4, 2): the hidden representation of each point
print("hidden representation:", H.tolist())
print("network output:       ", (H @ w).tolist())
print("equals XOR:", torch.equal(H @ w, y_xor))

# %% [markdown]
# Gradient descent finds such weights by itself. A 2-4-1 network with a sigmoid output,
# trained with the binary cross-entropy, classifies all four points correctly:

# %%
set_seed(0)
net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
optimizer = torch.optim.Adam(net.parameters(), lr=0.05)
loss_fn = nn.BCEWithLogitsLoss()
for step in range(500):
    loss = loss_fn(net(X_xor).squeeze(1), y_xor)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
predictions = (net(X_xor).squeeze(1) > 0).float()
print("learned XOR predictions:", predictions.tolist(), "| all correct:",
      torch.equal(predictions, y_xor))

# %% [markdown]
# **Universal approximation, intuitively.** A sum of enough ReLU units is a piecewise-linear
# function with one kink per unit, so a single wide enough hidden layer can approximate any
# continuous function on a bounded interval as closely as we like (GBC §6.4.1). Widening the
# layer lowers the error of a fit to $\sin(3x)$:

# %%
x_1d = torch.linspace(-3, 3, 200)[:, None]  # (200, 1)
y_1d = torch.sin(3 * x_1d)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(x_1d, y_1d, "k", lw=3, alpha=0.3, label="sin(3x)")
for width in [2, 8, 64]:
    set_seed(0)
    net = nn.Sequential(nn.Linear(1, width), nn.ReLU(), nn.Linear(width, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.02)
    for step in range(1500):
        loss = ((net(x_1d) - y_1d) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    ax.plot(x_1d, net(x_1d).detach(), label=f"{width} ReLU units: MSE {loss.item():.3f}")
ax.set(xlabel="x", ylabel="f(x)", title="One hidden layer, wider and wider")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# ## 4. Softmax regression from scratch
#
# For 10 classes the output layer produces 10 scores (**logits**) $o = W^\top x + b$. The
# **softmax** turns them into probabilities, and the **cross-entropy** is the negative log
# probability of the true class $y$:
#
# $$\hat y_j = \operatorname{softmax}(o)_j = \frac{e^{o_j}}{\sum_k e^{o_k}}, \qquad
#   L = -\log \hat y_{y} = -o_y + \log \sum_k e^{o_k}.$$
#
# Computed literally, $e^{o_j}$ overflows for large logits, and $\log \hat y$ of a tiny
# probability is $-\infty$ (seed 001 did both). Subtracting $\max_k o_k$ from every logit
# leaves the softmax unchanged and keeps the numbers finite; the second form of $L$ (the
# *log-sum-exp*) never takes the log of a probability.

# %%
def softmax(O):
    """Row-wise softmax of logits O (N, C)."""
    O = O - O.max(dim=1, keepdim=True).values  # same result, no overflow
    E = torch.exp(O)
    return E / E.sum(dim=1, keepdim=True)


def cross_entropy(O, y):
    """Mean cross-entropy of logits O (N, C) against integer labels y (N,)."""
    O = O - O.max(dim=1, keepdim=True).values
    log_sum_exp = torch.log(torch.exp(O).sum(dim=1))  # (N,)
    return (log_sum_exp - O[torch.arange(len(y)), y]).mean()


O = torch.tensor([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
print("softmax of huge logits:", softmax(O)[0].tolist())
print("naive softmax of huge logits:", (torch.exp(O) / torch.exp(O).sum(1, keepdim=True))[0].tolist())
print("our cross-entropy equals torch's:",
      torch.isclose(cross_entropy(O, torch.tensor([0, 2])),
                    nn.functional.cross_entropy(O, torch.tensor([0, 2]))).item())

# %% [markdown]
# Now the model: one weight matrix and one bias vector, created as tensors that record
# gradients. The training loop takes a mini-batch, computes the loss, lets **autograd**
# compute the gradients, and takes a gradient step $\theta \leftarrow \theta - \alpha
# \nabla_\theta L$ (lesson 03 studies this update; lesson 06 the mini-batches). The
# learning rate $\alpha$ decreases linearly from epoch to epoch, so that the noisy
# mini-batch steps settle down at the end (lesson 06 explains why SGD needs this).

# %%
def train_from_scratch(params, forward, num_epochs, lr, batch_size=128):
    """Mini-batch gradient descent on (X_train, y_train); returns the validation accuracy per epoch."""
    generator = torch.Generator().manual_seed(0)
    val_accs = []
    for epoch in range(num_epochs):
        lr_epoch = lr * (1 - epoch / num_epochs)  # linear decay: lr, ..., lr / num_epochs
        order = torch.randperm(len(X_train), generator=generator)
        for start in range(0, len(X_train), batch_size):
            idx = order[start:start + batch_size]
            loss = cross_entropy(forward(X_train[idx]), y_train[idx])
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= lr_epoch * p.grad
                    p.grad.zero_()
        with torch.no_grad():
            val_accs.append(accuracy(forward(X_val), y_val))
    return val_accs


set_seed(0)
W = (0.01 * torch.randn(784, 10)).requires_grad_()
b = torch.zeros(10, requires_grad=True)


def softmax_regression(X):
    return X @ W + b  # (N, 784) @ (784, 10) -> (N, 10) logits


# %% tags=["nbval-ignore-output"]
val_accs = train_from_scratch([W, b], softmax_regression, num_epochs=5, lr=0.1)
softmax_val_acc = val_accs[-1]
with torch.no_grad():
    softmax_test_acc = accuracy(softmax_regression(X_test), y_test)
    softmax_train_acc = accuracy(softmax_regression(X_train), y_train)
print("validation accuracy per epoch:", [round(a, 4) for a in val_accs])
print(f"training accuracy: {softmax_train_acc:.4f} | test accuracy: {softmax_test_acc:.4f}")

# %% [markdown]
# Seed 001 reports a validation accuracy of 0.83 for this model (experiment 001-A1; its
# "validation" set was the 10,000 test images). The check states our test accuracy against
# that target; the exact number above may differ in the third decimal on another CPU.

# %%
print("001-A1 softmax regression, test accuracy >= 0.83:", softmax_test_acc >= 0.83)

# %% [markdown]
# ## 5. A multilayer perceptron from scratch
#
# One hidden layer of 300 ReLU units (001-A2a): $h = \max(0, W_1^\top x + b_1)$,
# $o = W_2^\top h + b_2$. The weights start small and random (lesson 10 explains why not
# zero: every hidden unit would stay identical). The same loop trains it.

# %%
set_seed(0)
W1 = (torch.randn(784, 300) * (2 / 784) ** 0.5).requires_grad_()  # He initialisation
b1 = torch.zeros(300, requires_grad=True)
W2 = (torch.randn(300, 10) * (1 / 300) ** 0.5).requires_grad_()
b2 = torch.zeros(10, requires_grad=True)


def mlp(X):
    H = torch.relu(X @ W1 + b1)  # (N, 300)
    return H @ W2 + b2  # (N, 10)


# %% tags=["nbval-ignore-output"]
val_accs = train_from_scratch([W1, b1, W2, b2], mlp, num_epochs=3, lr=0.1)
print("validation accuracy per epoch:", [round(a, 4) for a in val_accs])

# %%
print("the hidden layer beats softmax regression on validation:", val_accs[-1] > softmax_val_acc)

# %% [markdown]
# ## 6. The same networks with `torch.nn`
#
# `nn.Linear` holds $W$ and $b$, `nn.CrossEntropyLoss` is our `cross_entropy` (it takes
# logits), and `torch.optim.Adam` adapts the step size per parameter (lesson 10). A cosine
# learning-rate schedule lowers the learning rate smoothly to zero over the run, which
# settles the weights at the end. `utils.training.fit` is the loop of section 4 with
# bookkeeping: a history of losses and accuracies per epoch, and a stop if the loss becomes
# NaN.

# %%
def make_mlp(*hidden):
    """784 -> hidden[0] -> ... -> 10, with ReLU after each hidden layer."""
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 10))


def train(net, num_epochs=15, lr=1e-3):
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs)
    return fit(net, nn.CrossEntropyLoss(), optimizer, X_train, y_train, X_val, y_val,
               num_epochs=num_epochs, batch_size=128, scheduler=scheduler)


print(make_mlp(300, 100))
print("parameters:", sum(p.numel() for p in make_mlp(300, 100).parameters()))

# %% tags=["nbval-ignore-output"]
set_seed(0)
net_300 = make_mlp(300)
history_300 = train(net_300)
set_seed(0)
net_300_100 = make_mlp(300, 100)
history_300_100 = train(net_300_100)

# %% [markdown]
# The test accuracies, against seed 001's reported 0.884 (one hidden layer, 001-A2a) and
# 0.8853 (two hidden layers, 001-A2b):

# %% tags=["nbval-ignore-output"]
loss_fn = nn.CrossEntropyLoss()
test_acc_300 = evaluate(net_300, loss_fn, X_test, y_test)[1]
test_acc_300_100 = evaluate(net_300_100, loss_fn, X_test, y_test)[1]
print(f"784-300-10:     test accuracy {test_acc_300:.4f}")
print(f"784-300-100-10: test accuracy {test_acc_300_100:.4f}")

# %%
print("001-A2a (784-300-10), test accuracy >= 0.884:", test_acc_300 >= 0.884)
print("001-A2b (784-300-100-10), test accuracy >= 0.8853:", test_acc_300_100 >= 0.8853)

# %% [markdown]
# ## 7. Reading the learning curves: under- and overfitting
#
# Dashed lines are measured on (a fixed part of) the training set, solid lines on the
# validation set.

# %%
axes = plot_history(history_300_100, title="784-300-100-10 on Fashion-MNIST")
plt.show()

# %% [markdown]
# - **Underfitting** is a high *training* error: the model cannot fit even the data it
#   sees (too little capacity or too little training). Softmax regression underfits here:
#   its training accuracy (printed in section 4) is well below the MLP's (checked below),
#   and so is its validation accuracy.
# - **Overfitting** is a large *gap* between training and validation error: the model
#   fits details of the training set that do not generalise. The gap printed below grows
#   over the epochs while the validation accuracy levels off.
# - The cure for underfitting is more capacity or training; for overfitting, more data,
#   regularisation (lessons 08–09) or stopping early (lesson 08).

# %% tags=["nbval-ignore-output"]
for epoch in [0, 4, 9, 14]:
    gap = history_300_100["train_acc"][epoch] - history_300_100["val_acc"][epoch]
    print(f"epoch {epoch + 1:2d}: train acc {history_300_100['train_acc'][epoch]:.3f}, "
          f"val acc {history_300_100['val_acc'][epoch]:.3f}, gap {gap:+.3f}")

# %%
final_gap = history_300_100["train_acc"][-1] - history_300_100["val_acc"][-1]
first_gap = history_300_100["train_acc"][0] - history_300_100["val_acc"][0]
print("the train-validation gap grew during training (overfitting sets in):",
      final_gap > first_gap + 0.02)
print("softmax regression's training accuracy is below the MLP's (underfitting):",
      softmax_train_acc < history_300_100["train_acc"][-1] - 0.03)

# %% [markdown]
# ## 8. A 90 % accuracy that means nothing (seed 000)
#
# Seed 000 reports "model accuracy 90.1 %" for a similar network. Its metric rounded the
# softmax outputs and compared them **element-wise** with the one-hot labels, then averaged
# over all $N \times 10$ entries. With 10 classes, 9 of the 10 entries of every one-hot label
# are 0, so a "model" that outputs all zeros already scores 0.9. Compare it with the correct
# metric, the argmax accuracy:

# %% tags=["nbval-ignore-output"]
def buggy_accuracy(probabilities, y):
    """Seed 000's metric: element-wise agreement of rounded probabilities with one-hot labels."""
    one_hot = nn.functional.one_hot(y, num_classes=10).float()  # (N, 10)
    return (probabilities.round() == one_hot).float().mean().item()


with torch.no_grad():
    all_zero = torch.zeros(len(y_test), 10)
    untrained = softmax(make_mlp(300, 100)(X_test))
    trained = softmax(net_300_100(X_test))
for name, P in [("all-zero output", all_zero), ("untrained network", untrained),
                ("trained network", trained)]:
    print(f"{name:18}: buggy metric {buggy_accuracy(P, y_test):.3f}, "
          f"true accuracy {accuracy(P, y_test):.3f}")

# %%
print("all-zero output scores 0.9 on the buggy metric:",
      round(buggy_accuracy(all_zero, y_test), 6) == 0.9)
print("the buggy metric rates the trained network above 0.95:",
      buggy_accuracy(trained, y_test) > 0.95)

# %% [markdown]
# The buggy metric gives about 0.9 to outputs that know nothing, so seed 000's "90.1 %"
# says nothing about its model. Always compare `argmax` predictions with the labels (as
# `utils.training.accuracy` does), and sanity-check a metric on a trivial baseline.
#
# ## 9. Exercises
#
# **Exercise 1.** How many trainable parameters (weights and biases) does the
# 784-300-100-10 network have? Work it out by hand: each layer has
# `inputs × outputs` weights plus `outputs` biases.

# %%
n_params = ...  # your answer, an integer
check(n_params, sum(p.numel() for p in make_mlp(300, 100).parameters()),
      hint="784*300 + 300 for the first layer; add the other two layers the same way")

# %% tags=["solution"] jupyter={"source_hidden": true}
n_params = (784 * 300 + 300) + (300 * 100 + 100) + (100 * 10 + 10)
check(n_params, sum(p.numel() for p in make_mlp(300, 100).parameters()))

# %% [markdown]
# **Exercise 2.** Write `log_softmax(O)`, the logarithm of the softmax of each row, without
# ever computing a probability (use the log-sum-exp form of section 4). It must stay finite
# for logits like 1000 and −1000.

# %%
def log_softmax(O):
    ...  # your code: return a tensor of the same shape as O


test_logits = [(torch.tensor([[1000.0, 0.0, -1000.0]]),), (torch.randn(4, 10),)]
check_function(log_softmax, lambda O: torch.log_softmax(O, dim=1), test_logits,
               hint="subtract the row maximum m, then O - m - log(sum(exp(O - m)))")

# %% tags=["solution"] jupyter={"source_hidden": true}
def log_softmax(O):
    O = O - O.max(dim=1, keepdim=True).values
    return O - torch.log(torch.exp(O).sum(dim=1, keepdim=True))


check_function(log_softmax, lambda O: torch.log_softmax(O, dim=1), test_logits)

# %% [markdown]
# **Exercise 3.** With 10 classes, what score does seed 000's buggy metric give a model
# whose probabilities are all zero? Compute it with `buggy_accuracy`.

# %%
zero_score = ...  # your answer
check(zero_score, 0.9, hint="9 of the 10 one-hot entries of every label are 0")

# %% tags=["solution"] jupyter={"source_hidden": true}
zero_score = buggy_accuracy(torch.zeros(100, 10), torch.randint(0, 10, (100,)))
check(zero_score, 0.9)

# %% [markdown]
# ## 10. Review questions (Part A)
#
# Check yourself with the quizzes, then compare your two-mark answers with the ones below.

# %%
quiz("Which statement about a feedforward network is true?",
     ["Its nodes are connected in cycles so information can return to earlier layers",
      "Information flows from input to output through the layers, with no cycles",
      "It has no hidden layers"],
     answer=1, explanation="Feedforward networks are acyclic; recurrent networks have cycles.")

# %%
quiz("A network has two hidden layers and no activation functions. What can it represent?",
     ["Any continuous function", "Only linear (affine) functions of its input",
      "Only XOR"],
     answer=1, explanation="A composition of affine maps is an affine map.")

# %% [markdown]
# <details><summary><b>What is a deep feedforward network? (Q24)</b></summary>
# A network that maps an input x to an output y through a chain of layers
# f(x) = f⁽ᴸ⁾(…f⁽¹⁾(x)), each an affine map followed by a non-linearity; information flows
# only forward (no cycles), and its parameters are learned by gradient descent with
# backpropagation. The number of layers is its depth.
# </details>
#
# <details><summary><b>Explain how a feedforward network works. (Q25)</b></summary>
# Each hidden layer computes h = g(Wᵀx + c) from the previous layer's output; the output
# layer turns the last hidden layer into predictions (e.g. softmax probabilities). A loss
# compares predictions with labels; backpropagation computes the gradient of the loss with
# respect to every weight, and an optimiser takes a step against it.
# </details>
#
# <details><summary><b>Name the layers of a feedforward network. (Q26)</b></summary>
# The input layer (the features, no computation), one or more hidden layers (affine map plus
# activation) and the output layer (e.g. a linear layer with softmax for classification).
# </details>
#
# <details><summary><b>Name three classes of activation function and their ranges. (Q27)</b></summary>
# Sigmoid σ(z) = 1/(1+e⁻ᶻ) maps ℝ to (0, 1); tanh maps ℝ to (−1, 1); ReLU max(0, z) maps ℝ
# to [0, ∞). Without a non-linear activation, stacked layers collapse into one linear map.
# </details>
#
# ## Summary
# - A feedforward network chains affine maps and non-linear activations, with no cycles;
#   without the non-linearity depth adds nothing.
# - XOR needs a hidden layer; one wide hidden layer can approximate any continuous function
#   on a bounded region, and for some functions depth needs far fewer units (lesson 04).
# - Softmax + cross-entropy is the classification loss; compute it from logits with the
#   log-sum-exp trick.
# - On Fashion-MNIST, softmax regression and the 300 and 300-100 MLPs meet the accuracies
#   the source assignment reports (checked above); the curves show overfitting setting in.
# - Check every metric on a trivial baseline: seed 000's 90 % is what an all-zero output
#   scores.
#
# **Next:** lesson 08 (regularisation) fights the overfitting seen here.
