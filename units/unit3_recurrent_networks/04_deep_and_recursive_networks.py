# %% [markdown]
# # Deep recurrent networks and recursive neural networks (syllabus III.9, III.10)
#
# **What you will learn**
# - where depth can go in an RNN, and the **stacked** RNN
#   $h^{(t, l)} = f(W^{(l)} h^{(t-1, l)} + U^{(l)} h^{(t, l-1)} + b^{(l)})$, checked against
#   `nn.GRU(num_layers=2)` (III.9);
# - a deep-and-narrow against a shallow-and-wide GRU with the same number of parameters;
# - a **recursive network** that applies one composition function over a tree, and why a
#   balanced tree (depth $\log_2 n$) carries information that a chain (depth $n-1$) loses
#   (III.10).

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
    os.chdir("/content/ad3501/units/unit3_recurrent_networks")

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from utils.checks import check, quiz
from utils.plotting import set_style
from utils.rnn import TreeNet, count_parameters, train_steps, tree_depth
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads(small=True)  # tiny models: one thread (utils/threads.py)
set_seed(0)

# %% [markdown]
# ## 1. Depth in an RNN (GBC §10.5)
#
# A plain RNN is deep in time but shallow at each step: every map (input → hidden,
# hidden → hidden, hidden → output) is one affine layer and a nonlinearity. Depth can be
# added to any of the three (GBC Figure 10.13). The common choice **stacks** recurrent
# layers: layer $l$ reads the states of layer $l - 1$ at the same step,
#
# $$h^{(t, l)} = f\big(b^{(l)} + W^{(l)} h^{(t-1, l)} + U^{(l)} h^{(t, l-1)}\big), \qquad
#   h^{(t, 0)} = x^{(t)},$$
#
# so lower layers can turn the raw input into features that the upper layers use at a
# coarser level. Deeper per-step maps also lengthen the path between steps, which makes
# optimisation harder (GBC §10.5); skip connections help.
#
# > **The notes say** only that "multiple RNN cells can be stacked" (002:L2519). The stacked
# > equation above is what that means; `nn.GRU(num_layers=2)` is exactly two GRUs, the
# > second reading the first one's outputs:

# %%
set_seed(0)
stacked = nn.GRU(input_size=3, hidden_size=6, num_layers=2, batch_first=True)
layer1 = nn.GRU(3, 6, batch_first=True)
layer2 = nn.GRU(6, 6, batch_first=True)
with torch.no_grad():
    for single, l in [(layer1, 0), (layer2, 1)]:
        for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            getattr(single, f"{name}_l0").copy_(getattr(stacked, f"{name}_l{l}"))
X = torch.randn(4, 9, 3)  # (N, T, n_in)
H_stacked, _ = stacked(X)
H1, _ = layer1(X)  # (N, T, 6): the first layer's states, the second layer's inputs
H2, _ = layer2(H1)
print("nn.GRU(num_layers=2) == GRU layer 1 then GRU layer 2:", torch.allclose(H_stacked, H2, atol=1e-6))

# %% [markdown]
# **Deep and narrow or shallow and wide?** Next-step prediction of a signal that is the sum
# of two sines of random frequencies and phases, 40 steps: a 1-layer GRU and a 3-layer GRU
# with about the same number of parameters, trained alike (300 steps). The baseline
# "predict the last value again" sets the scale.

# %%
def two_sines(n, generator, T=41):
    t = torch.arange(T)
    freq = 0.1 + 0.3 * torch.rand(n, 2, generator=generator)
    phase = 6.28 * torch.rand(n, 2, generator=generator)
    s = torch.sin(freq[:, :, None] * t + phase[:, :, None]).sum(dim=1)  # (n, T)
    return s[:, :-1, None], s[:, 1:]  # inputs (n, T-1, 1), next values (n, T-1)


class Regressor(nn.Module):
    def __init__(self, n_hidden, num_layers):
        super().__init__()
        self.rnn = nn.GRU(1, n_hidden, num_layers=num_layers, batch_first=True)
        self.out = nn.Linear(n_hidden, 1)

    def forward(self, X):
        return self.out(self.rnn(X)[0])[..., 0]  # (N, T)


shallow_width = 40
target = count_parameters(Regressor(shallow_width, 1))
deep_width = min(range(8, 40), key=lambda n: abs(count_parameters(Regressor(n, 3)) - target))
X_val, y_val = two_sines(500, torch.Generator().manual_seed(1))
baseline = F.mse_loss(X_val[..., 0], y_val).item()
depth_results = {}
for name, width, layers in [("shallow-wide", shallow_width, 1), ("deep-narrow", deep_width, 3)]:
    set_seed(0)
    net = Regressor(width, layers)
    train_steps(net, lambda g: two_sines(64, g), num_steps=300, lr=1e-2, loss_fn=F.mse_loss)
    with torch.no_grad():
        depth_results[name] = (layers, width, count_parameters(net), F.mse_loss(net(X_val), y_val).item())

# %% tags=["nbval-ignore-output"]
print(f"baseline 'repeat the last value': MSE {baseline:.4f}")
for name, (layers, width, n_params, mse) in depth_results.items():
    print(f"{name:13}: {layers} layer(s) x {width} units, {n_params} parameters, validation MSE {mse:.4f}")

# %%
print("both GRUs at least 5x better than the baseline:",
      all(mse * 5 <= baseline for *_, mse in depth_results.values()))
print("parameter counts within 5%:",
      abs(depth_results["deep-narrow"][2] - depth_results["shallow-wide"][2]) <= 0.05 * target)
mse_deep, mse_shallow = depth_results["deep-narrow"][3], depth_results["shallow-wide"][3]
print("the two validation MSEs within a factor 2 of each other (no clear winner):",
      max(mse_deep, mse_shallow) <= 2 * min(mse_deep, mse_shallow))

# %% [markdown]
# Both learn the task (numbers printed above). Which one wins depends on the task and the
# budget: on this smooth signal one layer is enough, and the two end up close (within a
# factor 2, checked above; a difference this small can change sign on another seed or CPU,
# so no winner is claimed here). Depth pays off on tasks with a hierarchy of features (speech, text),
# where stacked LSTMs of 2 to 4 layers are standard (Graves et al. 2013).
#
# ## 2. Recursive neural networks (GBC §10.6)
#
# A **recursive** network applies the same composition function over a **tree** instead of
# a chain. For a binary tree, every inner node combines its two children,
#
# $$h_{\text{parent}} = \tanh\big(W [h_{\text{left}}; h_{\text{right}}] + b\big),$$
#
# with one $W$ for every node (the notes' $h = f(\sum_i W_i C_i)$, 002:L2688, with fixed
# branching). Used on parse trees of sentences (Socher et al. 2011, 2013) the root vector
# represents the sentence. The key advantage (GBC §10.6): for a sequence of $n$ leaves a
# balanced tree has depth $\log_2 n$ instead of the chain's $n - 1$, so the path from any
# leaf to the root, and of the gradient back, is much shorter. An RNN *is* a recursive
# network on a chain-shaped tree.
#
# Task: $n$ random bits are the leaves; the label is the **first** bit. In a chain the first
# bit is at the bottom, $n - 1$ compositions below the root; in a balanced tree only
# $\log_2 n$. Same model (`utils.rnn.TreeNet`, 32 units), same training (300 steps), two tree
# shapes, $n = 8, 16, 32$.

# %%
def first_bit_batch(generator, n_leaves, batch_size=64):
    X = torch.randint(0, 2, (batch_size, n_leaves), generator=generator)
    return X, X[:, 0]


class Shaped(nn.Module):
    """A TreeNet that always uses one tree shape (train_steps calls net(X))."""

    def __init__(self, shape):
        super().__init__()
        self.tree, self.shape = TreeNet(32), shape

    def forward(self, X):
        return self.tree(X, self.shape)


tree_acc = {}
for n_leaves in [8, 16, 32]:
    X_test = torch.randint(0, 2, (1000, n_leaves), generator=torch.Generator().manual_seed(1))
    for shape in ["balanced", "chain"]:
        set_seed(0)
        net = Shaped(shape)
        train_steps(net, lambda g: first_bit_batch(g, n_leaves), num_steps=300, lr=1e-2)
        with torch.no_grad():
            tree_acc[shape, n_leaves] = (net(X_test).argmax(dim=1) == X_test[:, 0]).float().mean().item()

# %% tags=["nbval-ignore-output"]
for (shape, n_leaves), acc in tree_acc.items():
    print(f"{shape:8} tree, {n_leaves:2} leaves, depth {tree_depth(n_leaves, shape):2}: accuracy {acc:.3f}")

# %%
print("balanced trees >= 0.95 at 8, 16 and 32 leaves:",
      all(tree_acc["balanced", n] >= 0.95 for n in [8, 16, 32]))
print("chain >= 0.95 at 8 leaves but <= 0.7 at 32:",
      tree_acc["chain", 8] >= 0.95 and tree_acc["chain", 32] <= 0.7)

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.4))
for shape, marker in [("balanced", "o-"), ("chain", "s--")]:
    depths = [tree_depth(n, shape) for n in [8, 16, 32]]
    ax.plot(depths, [tree_acc[shape, n] for n in [8, 16, 32]], marker, label=shape)
ax.set(xlabel="depth of the first leaf (compositions to the root)", ylabel="accuracy",
       ylim=(0.4, 1.05), title="Same composition function, two tree shapes")
ax.legend()
plt.show()

# %% [markdown]
# The balanced tree keeps the first bit at every size (depths printed above); the chain
# loses it once it is buried under 31 compositions, the long-term dependency problem of
# lesson 02 in tree form.
#
# > **The notes say** (002:L2698) "the efficiency of a recursive network is higher than a
# > feed-forward network", and (L2713) that "syntactic parsing is completely implemented with
# > the help of RvNNs". **In fact** neither is established: a recursive net needs a tree for
# > every input (from a parser, or learned), which is costly and ambiguous, and parsing is
# > done by many methods. What *is* true is the depth argument above.
#
# ## 3. Exercises
#
# **Exercise 1.** A sentence of 64 words is composed by a recursive network over a balanced
# binary tree. How many compositions lie between a word and the root? And for a chain?

# %%
balanced_depth, chain_depth = ..., ...  # your answers
check(balanced_depth, 6, hint="log2(64)")
check(chain_depth, 63, hint="one composition per word after the first")

# %% tags=["solution"] jupyter={"source_hidden": true}
balanced_depth, chain_depth = tree_depth(64, "balanced"), tree_depth(64, "chain")
check(balanced_depth, 6)
check(chain_depth, 63)

# %% [markdown]
# ## 4. Review questions (Part A)

# %%
quiz("In a stacked RNN, what does layer l read at step t?",
     ["Only x(t)", "Its own previous state h(t-1, l) and the state h(t, l-1) of the layer below",
      "The states of all layers at step t-1"],
     answer=1, explanation="h(t,l) = f(b + W h(t-1,l) + U h(t,l-1)), with h(t,0) = x(t).")

# %%
quiz("Why can a recursive network over a balanced tree handle long inputs better than a chain RNN?",
     ["It has more parameters", "Its depth is O(log n) instead of O(n), so paths to the root are shorter",
      "It needs no training"],
     answer=1, explanation="Shorter paths mean fewer Jacobians to multiply (GBC §10.6).")

# %% [markdown]
# <details><summary><b>Write the parent formula of a recursive neural network and state its advantage.</b></summary>
# h = f(Σᵢ Wᵢ Cᵢ + b) over the c children Cᵢ of a node (002:L2688); for a binary tree
# h = tanh(W[h_left; h_right] + b), with the same weights at every node. Over a balanced tree
# the depth is O(log n) instead of O(n), which shortens the paths that information and
# gradients must travel (002:L2720, GBC §10.6). Drawback: every input needs a tree.
# </details>
#
# <details><summary><b>Where can depth be added to an RNN?</b></summary>
# In the input-to-hidden, hidden-to-hidden and hidden-to-output maps (GBC §10.5), most
# commonly by stacking recurrent layers, each reading the layer below at the same step.
# </details>
#
# ## Summary
# - A stacked RNN feeds each layer's states to the next layer at the same step; `nn.GRU`
#   with `num_layers=2` is exactly two GRUs in a row.
# - At equal parameters, depth is not automatically better; both GRUs learned the two-sine
#   task.
# - A recursive network composes with one function over a tree; a balanced tree's depth
#   $\log_2 n$ kept the first leaf where a chain of depth $n - 1$ lost it.
#
# **Next:** lesson 05: leaky units, dropout in RNNs, the LSTM and GRU.
