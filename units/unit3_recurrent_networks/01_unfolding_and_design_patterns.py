# %% [markdown]
# # Unfolding graphs and the RNN design patterns (syllabus III.1–III.4)
#
# **What you will learn**
# - the recurrence $h^{(t)} = f(h^{(t-1)}, x^{(t)}; \theta)$ of a recurrent neural network
#   (RNN), written as a Python loop over time and **unfolded** into a graph with one copy of
#   the same weights per time step (III.1);
# - that this loop computes exactly what `torch.nn.RNN` computes when it holds the same
#   weights (checked below);
# - the three ways an RNN is used (Goldberg, *Neural Network Methods for NLP*, §14.3):
#   an **acceptor** reads a whole sequence and gives one label (III.2), an **encoder**
#   hands its final state to another model as features (III.3), and a **transducer**
#   gives one output per input step (III.4);
# - each pattern trained on a small task, with its accuracy measured.
#
# Notation of Goodfellow, Bengio & Courville, *Deep Learning*, chapter 10 (GBC below):
# input $x^{(t)}$, hidden state $h^{(t)}$, output $o^{(t)}$, weight matrices $U$
# (input → hidden), $W$ (hidden → hidden), $V$ (hidden → output), biases $b$ and $c$.

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
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

from utils.checks import check, check_function, quiz
from utils.demos.text_box import text_box
from utils.plotting import set_style
from utils.rnn import (SequenceNet, accuracy, count_parameters, draw_unfolded_graph,
                       nn_rnn_from, rnn_forward, train_steps)
from utils.sequences import binary_strings, contains, two_back
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads(small=True)  # tiny models: one thread (utils/threads.py)
set_seed(0)

# %% [markdown]
# ## 1. Unfolding a recurrence (III.1)
#
# A dynamical system driven by an input keeps a **state** that it updates at every step
# (GBC §10.1, eq. 10.5):
#
# $$h^{(t)} = f\big(h^{(t-1)}, x^{(t)}; \theta\big).$$
#
# Writing the recurrence out for $t = 3$ gives
# $h^{(3)} = f(f(f(h^{(0)}, x^{(1)}; \theta), x^{(2)}; \theta), x^{(3)}; \theta)$: a
# function $g^{(t)}(x^{(t)}, \dots, x^{(1)})$ of the whole past, built from **one**
# function $f$ with **one** set of parameters $\theta$. This is **unfolding**: the
# cyclic graph (left) becomes a chain with one node per time step (right). Two things
# follow (GBC §10.1): the model has the same input size whatever the sequence length, and
# the same weights are used at every step (**parameter sharing** across time), so what it
# learns at step 3 applies at step 300.
#
# The standard RNN (GBC eq. 10.8–10.11) uses
#
# $$a^{(t)} = b + W h^{(t-1)} + U x^{(t)}, \qquad h^{(t)} = \tanh\big(a^{(t)}\big), \qquad
#   o^{(t)} = c + V h^{(t)}, \qquad \hat y^{(t)} = \operatorname{softmax}\big(o^{(t)}\big).$$

# %%
fig, ax = plt.subplots(figsize=(10, 3.2))
draw_unfolded_graph(ax, T=4)
ax.set_title("An RNN, folded (left) and unfolded over four time steps (right)")
plt.show()

# %% [markdown]
# > **The notes say** (002:L2291) "At any given time t, the current input is a combination
# > of input at $x(t)$ and $x(t-1)$". **In fact** the step combines the current input
# > $x^{(t)}$ with the previous **hidden state** $h^{(t-1)}$; $x^{(t-1)}$ reaches step $t$
# > only through $h^{(t-1)}$, which summarises all earlier inputs.
#
# > **The notes say** (002:L2316) "If … the network does not have memory, then we can use a
# > recurrent neural network". **In fact** the sentence is garbled: an RNN is used *because*
# > a feedforward network has no memory; the RNN's state $h^{(t)}$ is that memory.
#
# The recurrence as a loop over time: `rnn_forward` in `utils/rnn.py` is these five lines.
#
# ```python
# h, states = h0, []
# for x in X:                        # x = x(t), shape (N, n_in)
#     a = b + h @ W.T + x @ U.T      # (N, n_h)
#     h = torch.tanh(a)
#     states.append(h)
# ```
#
# We run it on a sine wave (one input feature, $T = 40$ steps, 5 hidden units, random
# weights) and show every hidden state.

# %%
n_in, n_h, T = 1, 5, 40
U = 0.8 * torch.randn(n_h, n_in)  # input -> hidden
W = 0.5 * torch.randn(n_h, n_h)  # hidden -> hidden
b = 0.1 * torch.randn(n_h)
t = torch.arange(T, dtype=torch.float32)
X = torch.sin(2 * np.pi * t / 20).reshape(T, 1, 1)  # (T, N=1, n_in=1): time first
h0 = torch.zeros(1, n_h)  # (N, n_h)
H = rnn_forward(X, h0, U, W, b)  # (T, 1, n_h)
print("states:", tuple(H.shape), "| h(1) =", H[0, 0].numpy().round(3))

# %%
fig, axes = plt.subplots(2, 1, figsize=(9, 4.2), sharex=True)
axes[0].plot(t, X[:, 0, 0], color="#E69F00")
axes[0].set_ylabel("$x^{(t)}$")
image = axes[1].imshow(H[:, 0].T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1)
axes[1].set(ylabel="unit of $h^{(t)}$", xlabel="time step t")
fig.colorbar(image, ax=axes, label="$h^{(t)}$", shrink=0.8)
plt.show()

# %% [markdown]
# The same weights in `torch.nn.RNN`: its `weight_ih_l0` is our $U$, `weight_hh_l0` our
# $W$, and it has two biases whose **sum** plays the role of $b$ (we put $b$ in the first
# and 0 in the second). `nn.RNN` takes its input time first, like our loop, unless
# `batch_first=True`. Checked on a batch of 3 random sequences:

# %%
X_batch = torch.randn(T, 3, n_in)  # (T, N=3, n_in)
h0_batch = torch.randn(3, n_h)
H_loop = rnn_forward(X_batch, h0_batch, U, W, b)
net = nn_rnn_from(U, W, b)
H_torch, h_last = net(X_batch, h0_batch[None])  # h0 is (num_layers, N, n_h)
print("hand-written loop == nn.RNN with the same weights:",
      torch.allclose(H_loop, H_torch, atol=1e-6))
print("nn.RNN's last state is the loop's h(T):", torch.allclose(h_last[0], H_loop[-1], atol=1e-6))
print("parameters:", count_parameters(net), "= U", U.numel(), "+ W", W.numel(),
      "+ two biases", 2 * n_h, "whatever the length T")

# %% [markdown]
# > **The notes say** (002:L2374) "RNNs process input sequences sequentially, which makes
# > them computationally efficient and easy to parallelize". **In fact** the loop above is
# > the reason they are *hard* to parallelise over time: $h^{(t)}$ cannot be computed before
# > $h^{(t-1)}$, so the $T$ steps run one after another (GBC §10.2: the runtime is
# > $O(\tau)$ and "cannot be reduced by parallelization"). The notes themselves list "lack
# > of parallelism" as a disadvantage (002:L2392). Only the work *within* a step (over the
# > batch and the units) runs in parallel.
#
# ## 2. Design pattern 1: the acceptor (III.2)
#
# An **acceptor** reads the whole sequence and makes **one** prediction from the final
# state (Goldberg §14.3.1; the notes' "many-to-one", 002:L2420):
# $\hat y = \operatorname{softmax}(c + V h^{(\tau)})$, and the loss is on that single output.
# GBC Figure 10.5 shows the same graph.
#
# Task: accept the binary strings that **contain the substring 101**. Training strings have
# lengths 5 to 20 (half of them accepted); a GRU with 16 hidden units (a gated RNN, lesson
# 05) reads one bit per step. We then test on lengths up to 30, longer than any it saw.

# %%
def acceptor_batch(generator, batch_size=64):
    length = int(torch.randint(5, 21, (1,), generator=generator))
    return binary_strings(batch_size, length, pattern=(1, 0, 1), generator=generator)


set_seed(0)
acceptor = SequenceNet(n_in=2, n_hidden=16, n_out=2, cell="gru", readout="last")
losses = train_steps(acceptor, acceptor_batch, num_steps=300, lr=1e-2)
test_gen = torch.Generator().manual_seed(1)
lengths = list(range(5, 31, 5))
acceptor_acc = [accuracy(acceptor, *binary_strings(1000, n, generator=test_gen)) for n in lengths]

# %% tags=["nbval-ignore-output"]
print("training loss, first and last 20 steps:", round(np.mean(losses[:20]), 3),
      round(np.mean(losses[-20:]), 3))
for n, acc in zip(lengths, acceptor_acc):
    print(f"length {n:2}: test accuracy {acc:.3f}")

# %%
print("acceptor accuracy >= 0.95 at every length 5-30 (trained on 5-20):",
      min(acceptor_acc) >= 0.95)

# %% [markdown]
# The GRU learned a rule that works beyond the training lengths: it only has to remember
# "have I seen 1, then 10, then 101?", a state that does not grow with the length. Try it:
# type a string of 0s and 1s; the box shows the acceptor's probability that it contains 101
# and what the rule says.

# %%
def acceptor_answer(string):
    string = string.strip()
    if not string or set(string) - {"0", "1"}:
        return "type a non-empty string of 0s and 1s, e.g. 0011010", "warn"
    X = torch.tensor([[int(ch) for ch in string]])  # (1, T)
    with torch.no_grad():
        p = torch.softmax(acceptor(X), dim=1)[0, 1].item()
    truth = "contains 101" if contains(string) else "does not contain 101"
    return f"P(accept) = {p:.3f}; the rule: {truth}", "info"


text_box(acceptor_answer, value="0011010", description="bits")

# %% [markdown]
# ## 3. Design pattern 2: the encoder (III.3)
#
# An **encoder** also reads the whole sequence, but its final state $h^{(\tau)}$ is not the
# answer: it is a fixed-size **summary vector** handed to another model (Goldberg
# §14.3.2). The encoder of a sequence-to-sequence model (lesson 03) is used this way, and
# the notes call that vector the "encoder vector" (002:L2542).
#
# Each $8 \times 8$ image of scikit-learn's handwritten digits becomes a sequence of 8 rows
# of 8 pixels: $x^{(t)}$ is row $t$. We train a GRU acceptor (32 units) to classify the
# digits, then **freeze** it and use $h^{(8)}$ as features: a 2-D PCA of the codes, and a
# logistic-regression probe trained on the codes of 1,200 images and tested on the other
# 597. For comparison, the same probe on the codes of an *untrained* GRU.

# %%
digits = load_digits()
X_digits = torch.tensor(digits.images / 16, dtype=torch.float32)  # (1797, 8, 8): N, T, n_in
y_digits = torch.tensor(digits.target)
order = torch.randperm(len(X_digits), generator=torch.Generator().manual_seed(0))
train_idx, test_idx = order[:1200], order[1200:]


def digits_batch(generator, batch_size=64):
    idx = train_idx[torch.randint(0, len(train_idx), (batch_size,), generator=generator)]
    return X_digits[idx], y_digits[idx]


set_seed(0)
untrained = SequenceNet(8, 32, 10, cell="gru", readout="last", one_hot=False)
set_seed(0)
encoder = SequenceNet(8, 32, 10, cell="gru", readout="last", one_hot=False)
train_steps(encoder, digits_batch, num_steps=400, lr=1e-2)


def probe_accuracy(net):
    """Test accuracy of a logistic regression trained on the frozen codes h(8)."""
    with torch.no_grad():
        codes = net.encode(X_digits).numpy()  # (1797, 32)
    probe = LogisticRegression(max_iter=2000).fit(codes[train_idx], digits.target[train_idx])
    return probe.score(codes[test_idx], digits.target[test_idx]), codes


probe_trained, codes = probe_accuracy(encoder)
probe_untrained, codes_untrained = probe_accuracy(untrained)

# %% tags=["nbval-ignore-output"]
print(f"GRU acceptor's own test accuracy: {accuracy(encoder, X_digits[test_idx], y_digits[test_idx]):.3f}")
print(f"linear probe on the trained encoder's codes:   {probe_trained:.3f}")
print(f"linear probe on an untrained encoder's codes:  {probe_untrained:.3f}")

# %%
print("probe on trained codes >= 0.90:", probe_trained >= 0.90,
      "| better than on untrained codes by >= 0.05:", probe_trained >= probe_untrained + 0.05)

# %%
xy = PCA(n_components=2).fit_transform(codes[test_idx])  # (597, 2)
fig, ax = plt.subplots(figsize=(6, 4.5))
points = ax.scatter(xy[:, 0], xy[:, 1], c=digits.target[test_idx], cmap="tab10", s=12)
fig.colorbar(points, ax=ax, label="digit")
ax.set(title="Encoder codes $h^{(8)}$ of the test digits, first two principal components",
       xlabel="PC 1", ylabel="PC 2")
plt.show()

# %% [markdown]
# The codes of one digit cluster together: the encoder's 32 numbers are a reusable summary
# of an 8-step sequence, and a *linear* model on them classifies well (printed above).
# Checked without any trained classifier: give every test code the digit whose **mean code**
# (over the training images) is nearest. If the codes cluster by digit, this is right most
# of the time; on the untrained encoder's codes it is not.

# %%
def nearest_mean_accuracy(codes):
    """Fraction of test codes whose nearest class mean (of the training codes) is their digit."""
    labels = digits.target
    means = np.stack([codes[train_idx][labels[train_idx] == k].mean(axis=0) for k in range(10)])  # (10, 32)
    distances = np.linalg.norm(codes[test_idx][:, None] - means[None], axis=2)  # (597, 10)
    return (distances.argmin(axis=1) == labels[test_idx]).mean()


cluster_trained, cluster_untrained = nearest_mean_accuracy(codes), nearest_mean_accuracy(codes_untrained)

# %% tags=["nbval-ignore-output"]
print(f"nearest class mean: trained codes {cluster_trained:.3f}, untrained codes {cluster_untrained:.3f}")

# %%
print("nearest class mean, trained codes >= 0.85:", cluster_trained >= 0.85,
      "| beats the untrained codes by >= 0.1:", cluster_trained >= cluster_untrained + 0.1)

# %% [markdown]
#
# ## 4. Design pattern 3: the transducer (III.4)
#
# A **transducer** gives one output per input, $\hat y^{(t)} = \operatorname{softmax}(c + V
# h^{(t)})$, with the loss summed over all steps, $L = \sum_t L^{(t)}$ (Goldberg §14.3.3,
# GBC Figure 10.3; the notes' "many-to-many, equal unit size", 002:L2428). Tagging words
# with their part of speech, or with named-entity labels, is transduction; so is a
# language model, whose output at step $t$ predicts $x^{(t+1)}$ (lesson 06).
#
# Task: the input is a random string over 3 symbols; the label at step $t$ is 1 when
# $x^{(t)} = x^{(t-2)}$ (the symbol two steps back), else 0. The net must remember the last
# two symbols.

# %%
def tagging_batch(generator, batch_size=64):
    return two_back(batch_size, 20, vocab_size=3, generator=generator)


set_seed(0)
tagger = SequenceNet(3, 16, 2, cell="gru", readout="every")
train_steps(tagger, tagging_batch, num_steps=300, lr=1e-2)
X_tag, y_tag = two_back(1000, 20, vocab_size=3, generator=torch.Generator().manual_seed(2))
with torch.no_grad():
    y_hat_tag = tagger(X_tag).argmax(dim=-1)  # (1000, 20): one label per step
per_step = (y_hat_tag == y_tag).float().mean(dim=0)  # (20,)
tag_acc = per_step[2:].mean().item()

# %% tags=["nbval-ignore-output"]
print("per-step accuracy:", per_step.numpy().round(3))
print(f"mean accuracy over steps 3-20: {tag_acc:.3f}")

# %%
print("transducer accuracy over steps 3-20 >= 0.95:", tag_acc >= 0.95)

# %%
fig, axes = plt.subplots(3, 1, figsize=(9, 2.6), sharex=True)
for ax, row, name in zip(axes, [X_tag[0], y_tag[0], y_hat_tag[0]],
                         ["input $x^{(t)}$", "label", "prediction"]):
    ax.imshow(row[None].numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=2)
    ax.set_yticks([])
    ax.set_ylabel(name, rotation=0, ha="right", va="center")
    for k, value in enumerate(row.tolist()):
        ax.text(k, 0, value, ha="center", va="center", color="white", fontsize=9)
axes[-1].set_xlabel("time step t (from 0)")
fig.suptitle("A transducer tags every step: label 1 where x(t) = x(t-2)")
plt.show()

# %% [markdown]
# ## 5. Exercises
#
# **Exercise 1.** Write one step of the RNN, `rnn_step(x, h, U, W, b)`, returning
# $h^{(t)} = \tanh(b + W h^{(t-1)} + U x^{(t)})$ for a batch: `x` is (N, n_in), `h` is
# (N, n_h).

# %%
def rnn_step(x, h, U, W, b):
    ...  # your code


gen = torch.Generator().manual_seed(5)
step_inputs = [(torch.randn(2, 3, generator=gen), torch.randn(2, 4, generator=gen),
                torch.randn(4, 3, generator=gen), torch.randn(4, 4, generator=gen),
                torch.randn(4, generator=gen)) for _ in range(3)]


def reference_step(x, h, U, W, b):
    return rnn_forward(x[None], h, U, W, b)[0]


check_function(rnn_step, reference_step, step_inputs,
               hint="a = b + h @ W.T + x @ U.T, then tanh")

# %% tags=["solution"] jupyter={"source_hidden": true}
def rnn_step(x, h, U, W, b):
    return torch.tanh(b + h @ W.T + x @ U.T)


check_function(rnn_step, reference_step, step_inputs)

# %% [markdown]
# **Exercise 2.** Which pattern is each task? (a) spam or not, from an e-mail's characters;
# (b) the part of speech of every word of a sentence; (c) the final state of a sentence
# reader, given to a classifier of the sentence's author. Answer each with "acceptor",
# "encoder" or "transducer".

# %%
answers = ...  # three words for (a), (b), (c), separated by spaces
check(answers, "acceptor transducer encoder",
      hint="one label per sequence, one per word, a summary vector for another model")

# %% tags=["solution"] jupyter={"source_hidden": true}
answers = "acceptor transducer encoder"
check(answers, "acceptor transducer encoder")

# %% [markdown]
# ## 6. Review questions (Part A)

# %%
quiz("In the RNN a(t) = b + W h(t-1) + U x(t), which weights are shared across time steps?",
     ["Only W", "U, W and b (and V, c of the output): the same at every step",
      "None: every step has its own weights"],
     answer=1, explanation="Unfolding copies one set of parameters to every time step.")

# %%
quiz("A network reads a product review and outputs positive or negative. Which design pattern?",
     ["Acceptor (many-to-one)", "Transducer (one output per word)", "Decoder"],
     answer=0, explanation="One label from the final state of the whole sequence.")

# %%
quiz("Why can the T steps of an RNN's forward pass not run in parallel?",
     ["Because of the tanh", "Because h(t) needs h(t-1), so step t waits for step t-1",
      "They can; RNNs are easy to parallelise over time"],
     answer=1, explanation="The sequential dependence is the price of the recurrence (GBC §10.2).")

# %% [markdown]
# <details><summary><b>Why can't a feedforward network model sequences well?</b></summary>
# It has a fixed-size input and no memory: each input is processed on its own, so it can
# neither take sequences of any length nor carry information from earlier steps. An RNN
# keeps a state h(t) that summarises the past and reuses the same weights at every step.
# </details>
#
# <details><summary><b>Write the state update of a standard RNN and name its parameters.</b></summary>
# a(t) = b + W h(t−1) + U x(t), h(t) = tanh(a(t)), o(t) = c + V h(t), ŷ(t) = softmax(o(t))
# (GBC eq. 10.8–10.11). U: input-to-hidden, W: hidden-to-hidden (recurrent), V:
# hidden-to-output weights; b, c: biases. The notes write the first line as
# h_t = f(W^(hh) h_{t−1} + W^(hx) x_t) (002:L2533): W^(hh) = W, W^(hx) = U.
# </details>
#
# <details><summary><b>What does unfolding a computational graph mean, and what are its two advantages?</b></summary>
# Writing the recurrence h(t) = f(h(t−1), x(t); θ) out over the time steps, so that the cycle
# becomes a chain with one copy of f per step. (1) The model has the same input size for any
# sequence length, since it is specified as a transition from one state to the next; (2) the
# same transition f with the same parameters is used at every step, so it can be learned once
# and generalises to lengths not seen in training (GBC §10.1).
# </details>
#
# <details><summary><b>Give the four input/output types of RNN with an application each.</b></summary>
# One-to-one (image classification: no recurrence needed), one-to-many (image captioning,
# music generation), many-to-one (sentiment analysis: an acceptor), many-to-many with equal
# lengths (named-entity tagging: a transducer) or unequal lengths (machine translation: an
# encoder-decoder, lesson 03) (002:L2400–2436).
# </details>
#
# <details><summary><b>Define acceptor, encoder and transducer.</b></summary>
# Acceptor: the final state gives one prediction for the whole sequence, the loss is on it
# alone. Encoder: the final state is a fixed-size vector used as features by another model
# (e.g. the decoder of seq2seq). Transducer: an output at every step, loss summed over steps
# (tagging, language modelling) (Goldberg §14.3).
# </details>
#
# ## Summary
# - An RNN applies one function with one set of weights at every step; unfolding turns its
#   cycle into a chain, and the hand-written loop equals `nn.RNN` with the same weights.
# - The current input is combined with the previous **hidden state**, not the previous input.
# - The steps depend on each other, so an RNN cannot be parallelised over time.
# - Acceptor: one label from $h^{(\tau)}$; encoder: $h^{(\tau)}$ as features; transducer: a
#   label per step. All three were trained here and their accuracies checked.
#
# **Next:** lesson 02 computes the gradient through the unfolded graph by hand (BPTT) and
# shows why it vanishes or explodes over long spans.
