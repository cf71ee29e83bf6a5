# %% [markdown]
# # Conditioning on context, bidirectional RNNs, sequence to sequence (syllabus III.6–III.8)
#
# **What you will learn**
# - how an RNN models a sequence **conditioned on a context** $x$: the context fed at every
#   step or as the initial state $h^{(0)}$, trained with **teacher forcing** and run **free**
#   (III.6);
# - why a **bidirectional** RNN solves a task whose labels depend on the future, where a
#   unidirectional RNN with the same number of parameters stays at chance, and why it
#   therefore cannot forecast (III.7);
# - a GRU **encoder–decoder** that reverses digit strings, its accuracy against the length
#   of the input (the fixed-size context vector is a bottleneck), and attention as the fix
#   (III.8).

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

from utils.checks import check, quiz
from utils.demos.text_box import text_box
from utils.plotting import set_style
from utils.rnn import ContextGenerator, Seq2Seq, SequenceNet, count_parameters, train_steps
from utils.sequences import END, PAD, SEQ2SEQ_VOCAB, START, lookahead, reverse_task
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads(small=True)  # tiny models: one thread (utils/threads.py)
set_seed(0)

# %% [markdown]
# ## 1. Sequences conditioned on a context (III.6)
#
# A language model gives $P(y^{(1)}, \dots, y^{(\tau)}) = \prod_t P(y^{(t)} \mid y^{(1)},
# \dots, y^{(t-1)})$. A **conditional** model adds a context $x$, for example an image to
# be captioned: $P(y^{(1)}, \dots, y^{(\tau)} \mid x)$ (GBC §10.2.4). A fixed-size context
# can enter the RNN in three ways (GBC Figure 10.9):
# 1. as an extra input at **every step** ($x^\top R$ added to each $a^{(t)}$);
# 2. as the **initial state** $h^{(0)}$;
# 3. both.
#
# The previous outputs enter as inputs too, $P(y^{(t)} \mid y^{(<t)}, x)$. Training feeds the
# **true** previous value $y^{(t-1)}$: **teacher forcing** (GBC §10.2.1), which decouples the
# steps so that training is as cheap as for a transducer. At test time the true values are
# unknown and the model is run **free**: it feeds back its own outputs, and its errors
# compound.
#
# Task: generate $s^{(t)} = A \sin(\omega t)$, $t = 1..40$, given the context
# $x = (\omega, A)$ with $\omega \in [0.15, 0.4]$ and $A \in [0.5, 1]$. Three GRUs of 32
# units, trained the same way (teacher forcing, mean squared error, 300 steps): context at
# every step, context as $h^{(0)} = \tanh(A_0 x + a_0)$, and no context at all.

# %%
T_SINE = 40


def sines(n, generator):
    """Contexts (n, 2) = (frequency, amplitude) and the sequences s (n, T_SINE)."""
    freq = 0.15 + 0.25 * torch.rand(n, generator=generator)
    amp = 0.5 + 0.5 * torch.rand(n, generator=generator)
    t = torch.arange(1, T_SINE + 1)
    return torch.stack([freq, amp], dim=1), amp[:, None] * torch.sin(freq[:, None] * t[None])


def shift_right(s):
    """The teacher-forcing inputs: s(t-1) with s(0) = 0, same shape as s (N, T)."""
    return torch.cat([torch.zeros(len(s), 1), s[:, :-1]], dim=1)


def sine_batch(generator):
    context, s = sines(64, generator)
    return (context, shift_right(s)), s


context_test, s_test = sines(500, torch.Generator().manual_seed(9))
generators, results = {}, {}
for mode in ContextGenerator.MODES:
    set_seed(0)
    generators[mode] = net = ContextGenerator(mode)
    train_steps(net, sine_batch, num_steps=300, lr=1e-2, loss_fn=F.mse_loss)
    with torch.no_grad():
        teacher = F.mse_loss(net(context_test, shift_right(s_test)), s_test).item()
    free = F.mse_loss(net.generate(context_test, T_SINE), s_test).item()
    results[mode] = (teacher, free)

# %% tags=["nbval-ignore-output"]
print(f"{'context':15}{'teacher-forced MSE':>20}{'free-running MSE':>18}")
for mode, (teacher, free) in results.items():
    print(f"{mode:15}{teacher:20.2e}{free:18.2e}")

# %%
every, initial, none = (results[m] for m in ContextGenerator.MODES)
print(f"teacher forcing: every model's MSE below 0.005 (the targets' variance is {s_test.var():.2f}):",
      all(teacher < 0.005 for teacher, _ in results.values()))
print("free running is at least 10x worse than teacher forcing for every model:",
      all(free > 10 * teacher for teacher, free in results.values()))
print("free running: context at every step beats context in h(0) by 2x or more:",
      every[1] * 2 <= initial[1])
print("free running: context at every step beats no context by 5x or more:", every[1] * 5 <= none[1])

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), sharey=True)
for ax, mode in zip(axes, ContextGenerator.MODES):
    free_run = generators[mode].generate(context_test[:2], T_SINE)
    for k, color in enumerate(["#0072B2", "#D55E00"]):
        ax.plot(s_test[k], color=color, lw=1, label="target" if k == 0 else None)
        ax.plot(free_run[k], "--", color=color, label="free running" if k == 0 else None)
    ax.set(title=f"context: {mode}", xlabel="t")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# With teacher forcing every model looks nearly perfect (left column of the table): the true
# previous values let even the model without context read off the frequency. Free running
# shows the difference. The context fed at every step keeps reminding the network of
# $(\omega, A)$; as $h^{(0)}$ it must be carried through all 40 steps, and it fades; with no
# context the model can only guess an average wave. The gap between the two columns is the
# **exposure bias** of teacher forcing: at test time the model sees its own, slightly wrong,
# outputs, which it never saw in training (GBC §10.2.1 suggests mixing in generated inputs
# during training).
#
# ## 2. Bidirectional RNNs (III.7)
#
# A causal RNN's $h^{(t)}$ summarises only $x^{(1)}, \dots, x^{(t)}$. Many tasks need the
# future too: in speech and handwriting recognition, or tagging a word whose meaning depends
# on what follows ("Apple is my favourite ___, and I work there", 002:L2607). A
# **bidirectional RNN** (GBC §10.3) runs one RNN forward in time, $h^{(t)}$, and another
# backward, $g^{(t)}$, and the output at $t$ sees both:
#
# $$h^{(t)} = f\big(W h^{(t-1)} + U x^{(t)} + b\big), \qquad
#   g^{(t)} = f\big(W' g^{(t+1)} + U' x^{(t)} + b'\big), \qquad
#   o^{(t)} = c + V \begin{bmatrix} h^{(t)} \\ g^{(t)} \end{bmatrix}.$$
#
# Task: random symbols from 4, and the label at step $t$ is the symbol **two steps ahead**,
# $y^{(t)} = x^{(t+2)}$ (scored on the steps where it exists). Chance is 1/4. We compare a
# unidirectional GRU and a bidirectional GRU with 16 units per direction, the
# unidirectional one made wider so that both have (almost) the same number of parameters.

# %%
K, T_BI = 4, 20
bi_params = count_parameters(SequenceNet(K, 16, K, "gru", "every", bidirectional=True))
uni_width = min(range(8, 64), key=lambda n: abs(
    count_parameters(SequenceNet(K, n, K, "gru", "every")) - bi_params))
uni_params = count_parameters(SequenceNet(K, uni_width, K, "gru", "every"))
print(f"bidirectional GRU, 2 x 16 units: {bi_params} parameters")
print(f"unidirectional GRU, {uni_width} units: {uni_params} parameters "
      f"({100 * abs(uni_params - bi_params) / bi_params:.1f}% apart)")
print("parameter counts within 2%:", abs(uni_params - bi_params) <= 0.02 * bi_params)

# %%
def lookahead_batch(generator):
    return lookahead(64, T_BI, K, shift=2, generator=generator)


X_bi, y_bi = lookahead(1000, T_BI, K, shift=2, generator=torch.Generator().manual_seed(3))
nets_bi = {}
for name, width, bidirectional in [("unidirectional", uni_width, False), ("bidirectional", 16, True)]:
    set_seed(0)
    nets_bi[name] = SequenceNet(K, width, K, "gru", "every", bidirectional=bidirectional)
    train_steps(nets_bi[name], lookahead_batch, num_steps=300, lr=1e-2)


def lookahead_accuracy(net, X):
    with torch.no_grad():
        y_hat = net(X).argmax(dim=-1)  # (N, T)
    return (y_hat == y_bi)[:, :T_BI - 2].float().mean().item()


acc_uni = lookahead_accuracy(nets_bi["unidirectional"], X_bi)
acc_bi = lookahead_accuracy(nets_bi["bidirectional"], X_bi)

# %% tags=["nbval-ignore-output"]
print(f"unidirectional accuracy: {acc_uni:.3f}   bidirectional accuracy: {acc_bi:.3f}")

# %%
print("unidirectional within 0.05 of chance (0.25):", abs(acc_uni - 0.25) <= 0.05)
print("bidirectional accuracy >= 0.95:", acc_bi >= 0.95)

# %% [markdown]
# **Why a bidirectional RNN cannot forecast.** It solved the task by *reading* $x^{(t+2)}$.
# When we forecast, the future has not happened yet. We mimic that: at step $t$ the inputs
# after $t$ are replaced by random symbols (the future is unknown), and we score the
# prediction at $t$ again.

# %% tags=["nbval-ignore-output"]
masked_acc = []
mask_gen = torch.Generator().manual_seed(4)
for t in [5, 10, 15]:
    X_masked = X_bi.clone()
    X_masked[:, t + 1:] = torch.randint(0, K, (len(X_bi), T_BI - t - 1), generator=mask_gen)
    with torch.no_grad():
        y_hat = nets_bi["bidirectional"](X_masked).argmax(dim=-1)[:, t]  # (N,)
    masked_acc.append((y_hat == y_bi[:, t]).float().mean().item())
print("bidirectional accuracy with the future unknown, at t = 5, 10, 15:", np.round(masked_acc, 2))

# %%
print("with the future unknown, all within 0.05 of chance:", all(abs(a - 0.25) <= 0.05 for a in masked_acc))

# %% [markdown]
# > **The notes say** (002:L2641–2646) that a bidirectional RNN is trained by "two separate
# > back-propagation passes", the backward RNN making its own predictions "compared to the
# > target output sequence in reverse order". **In fact** both directions feed **one**
# > output layer, $o^{(t)} = c + V[h^{(t)}; g^{(t)}]$, and **one** loss; a single backward
# > pass of autograd sends its gradient through both RNNs at once (the training above is
# > exactly that: one `loss.backward()` per step).
# >
# > **The notes say** (002:L2605) that a unidirectional RNN "may not accurately predict the
# > next word", suggesting a bidirectional one for it, and (002:L2655) that bidirectional
# > RNNs suit "time series forecasting … stock prices or weather". **In fact** neither can
# > use a bidirectional RNN: predicting the next word or tomorrow's price needs a model that
# > sees only the past. Trained on full sequences, the backward RNN would read the answer,
# > and at test time that input is missing (the masked accuracy above falls to chance).
# > Bidirectional RNNs are for tasks where the whole input is known before the outputs are
# > needed: tagging, fill-in-the-blank, speech and handwriting recognition.
# >
# > **The notes say** (002:L2678) bidirectional RNNs "require longer input sequences".
# > **In fact** nothing in the model needs long inputs; the 20-step sequences above suffice.
#
# ## 3. Sequence to sequence: the encoder–decoder (III.8)
#
# Translation maps a sequence to a sequence of a **different** length. The encoder–decoder
# (GBC §10.4; Cho et al. 2014, Sutskever et al. 2014): an **encoder** RNN reads the input
# $x^{(1)}, \dots, x^{(n_x)}$ and its final state is the **context** $C$ (the notes'
# "encoder vector"); a **decoder** RNN starts from $h^{(0)} = C$ and generates
# $y^{(1)}, \dots, y^{(n_y)}$, each step reading the previous output:
#
# $$h^{(t)} = f\big(W h^{(t-1)} + U y^{(t-1)} + b\big), \qquad
#   \hat y^{(t)} = \operatorname{softmax}\big(c + V h^{(t)}\big),$$
#
# from a START symbol until it emits END. Training uses teacher forcing (the true
# $y^{(t-1)}$); testing uses **greedy decoding** (feed back the most probable symbol).
#
# > **The notes say** (002:L2567) the decoder state is $h_t = f(W^{(hh)} h_{t-1})$. **In
# > fact** that decoder would ignore what it has already written; the notes' own L2552 lists
# > three inputs, and the recurrence is $h_t = f(W^{(hh)} h_{t-1} + W^{(hy)} y_{t-1}
# > [+ W^{(hc)} C])$, with $h_0 = C$ (GBC §10.4 feeds $C$ to every step too). **The notes
# > say** (L2553) "the information of the output will be subtracted from the hidden vector":
# > nothing is subtracted; the state is simply updated by the recurrence. And the context is a
# > **fixed-length** vector, not a "single-dimensional" one (L2503).
#
# Task: reverse a string of 2 to 10 digits. A GRU encoder and a GRU decoder of 64 units
# (embeddings of 16), 400 training steps with teacher forcing.

# %%
def reverse_batch(generator):
    src, tgt_in, tgt_out, _ = reverse_task(64, 2, 10, generator)
    return (src, tgt_in), tgt_out


set_seed(0)
seq2seq = Seq2Seq(SEQ2SEQ_VOCAB, n_hidden=64)
losses = train_steps(seq2seq, reverse_batch, num_steps=400, lr=1e-2, clip=1.0)

lengths = list(range(2, 11))
exact = []  # fraction of test strings reversed exactly, per length
test_gen = torch.Generator().manual_seed(5)
for n in lengths:
    src, _, tgt_out, _ = reverse_task(500, n, n, test_gen, width=10)
    y_hat = seq2seq.greedy(src, START, max_len=11)  # (500, 11)
    exact.append((y_hat[:, :n + 1] == tgt_out[:, :n + 1]).all(dim=1).float().mean().item())

# %% tags=["nbval-ignore-output"]
print("training loss, last 20 steps:", round(np.mean(losses[-20:]), 3))
for n, acc in zip(lengths, exact):
    print(f"length {n:2}: exactly reversed {acc:.3f}")

# %%
print("short strings (2-3 digits) reversed exactly >= 0.9:", min(exact[:2]) >= 0.9)
print("10-digit strings at least 0.3 worse than 3-digit ones:", exact[-1] <= exact[1] - 0.3)

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.4))
ax.plot(lengths, exact, "o-")
ax.set(xlabel="input length (digits)", ylabel="exactly reversed", ylim=(0, 1.05),
       title="Encoder–decoder: everything must pass through one 64-number C")
plt.show()

# %% [markdown]
# Accuracy falls as the strings get longer although every length was in the training data:
# the whole input must be squeezed into the 64 numbers of $C$ before the first output digit
# is written, and the first digit to write is the last one read but the last to write was
# read ten steps before the end. **Attention** (Bahdanau et al. 2015; GBC §12.4.5.1) removes
# the bottleneck: the decoder keeps all encoder states $h^{(1)}, \dots, h^{(n_x)}$ and at
# each step takes a weighted average of them, with weights it computes from its own state;
# this is also the core of the Transformer.
#
# Try it: type up to 10 digits.

# %%
def reverse_answer(text):
    digits = text.strip()
    if not digits or not digits.isdigit() or len(digits) > 10:
        return "type 1 to 10 digits, e.g. 31415", "warn"
    src = torch.full((1, 10), PAD)
    src[0, :len(digits)] = torch.tensor([int(d) for d in digits])
    y_hat = seq2seq.greedy(src, START, max_len=11)[0].tolist()
    out = "".join(str(k) for k in y_hat[:y_hat.index(END)] if k < 10) if END in y_hat else "(no END)"
    verdict = "correct" if out == digits[::-1] else f"wrong, the reverse is {digits[::-1]}"
    return f"decoder output: {out}  ({verdict})", "info"


text_box(reverse_answer, value="31415", description="digits")

# %% [markdown]
# ## 4. Exercises
#
# **Exercise 1.** A bidirectional GRU layer has input size $n_x$ and $n$ units per direction.
# How many parameters does it have? (A GRU direction has 3 gates, each with an
# $n \times n_x$ and an $n \times n$ matrix and two bias vectors of $n$.) Compute it for
# $n_x = 4$, $n = 16$ and check against torch.

# %%
n_params = ...  # your answer for n_x = 4, n = 16
check(n_params, 2 * 3 * (16 * 4 + 16 * 16 + 2 * 16), hint="2 directions x 3 gates x (n n_x + n n + 2n)")

# %% tags=["solution"] jupyter={"source_hidden": true}
n_params = 2 * 3 * (16 * 4 + 16 * 16 + 2 * 16)
check(n_params, count_parameters(torch.nn.GRU(4, 16, bidirectional=True)))

# %% [markdown]
# ## 5. Review questions (Part A)

# %%
quiz("What is teacher forcing?",
     ["Feeding the model's own previous output during training",
      "Feeding the true previous output y(t-1) as input during training",
      "Training the decoder before the encoder"],
     answer=1, explanation="It decouples the time steps in training (GBC §10.2.1); at test time the model runs free.")

# %%
quiz("Can a bidirectional RNN forecast tomorrow's temperature from today's series?",
     ["Yes, it sees more context", "No: its backward RNN needs inputs from the future, which do not exist yet",
      "Only with teacher forcing"],
     answer=1, explanation="Bidirectional RNNs are for tasks where the whole input is known first.")

# %%
quiz("In a seq2seq model without attention, what limits accuracy on long inputs?",
     ["The decoder's softmax", "The fixed-size context vector C that must hold the whole input",
      "Teacher forcing"],
     answer=1, explanation="Attention lets the decoder look at all encoder states instead.")

# %% [markdown]
# <details><summary><b>Why do we need bidirectional RNNs? Give an example.</b></summary>
# When the output at step t depends on inputs after t. In "Apple is my favourite ___, and I
# work there" the words after the blank decide that it is a company, not a fruit
# (002:L2607–2613). A bidirectional RNN combines a forward state h(t) (past) and a backward
# state g(t) (future) in one output o(t) = c + V[h(t); g(t)], trained with one loss. It
# cannot be used for forecasting or next-word prediction, where the future is unknown.
# </details>
#
# <details><summary><b>What is the encoder vector in seq2seq?</b></summary>
# The encoder's final hidden state C, a fixed-length summary of the whole input sequence;
# it is the decoder's initial state (and may be fed to every decoder step). Its fixed size
# is a bottleneck for long inputs, which attention removes (002:L2542–2546, GBC §10.4).
# </details>
#
# <details><summary><b>Name three ways to condition an RNN on a context vector x.</b></summary>
# As an extra input at every time step, as the initial state h(0), or both (GBC §10.2.4);
# e.g. image captioning feeds the image's features to the caption generator.
# </details>
#
# ## Summary
# - A context can be fed at every step or as $h^{(0)}$; teacher forcing trains cheaply but
#   hides the errors that free running compounds.
# - A bidirectional RNN sees past and future: it solved the look-ahead task, where the
#   unidirectional one with the same parameter count stayed at chance; with the future
#   unknown it falls back to chance, which is why it cannot forecast.
# - An encoder–decoder maps sequences to sequences of another length through a fixed-size
#   context; accuracy falls with input length, the motivation for attention.
#
# **Next:** lesson 04 stacks RNN layers and composes vectors over trees.
