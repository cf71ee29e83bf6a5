# %% [markdown]
# # Leaky units, skips through time, dropout in RNNs, and the LSTM (syllabus III.12, III.13, with III.11)
#
# **What you will learn**
# - the **leaky unit** $\mu^{(t)} = \alpha\mu^{(t-1)} + (1-\alpha)v^{(t)}$ and its time
#   constant of about $1/(1-\alpha)$ steps; **skip connections through time**, which
#   shorten the paths of the gradient (GBC §10.9);
# - **dropout in RNNs**: on the non-recurrent connections, or one mask per sequence; and the
#   correct test-time scaling (the notes get it wrong);
# - the **LSTM** gate by gate from its equations, checked against `nn.LSTM` with the same
#   weights, and the **GRU** against `nn.GRU` (GBC §10.10);
# - a cell inspector, and a task with a chosen lag where a plain RNN fails and an LSTM does
#   not under the same training budget (III.11), with the trained LSTM's forget gate and cell
#   state plotted.

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

from utils.checks import check, check_function, quiz
from utils.demos import lstm_cell
from utils.plotting import set_style
from utils.rnn import (SequenceNet, accuracy, gru_parameters, gru_step, leaky_integrate,
                       lstm_parameters, lstm_step, train_steps)
from utils.sequences import lag_task
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads(small=True)  # tiny models: one thread (utils/threads.py)
set_seed(0)

# %% [markdown]
# ## 1. Leaky units: memory with a time constant (GBC §10.9.2)
#
# A **leaky unit** keeps a running average of its input $v^{(t)}$:
#
# $$\mu^{(t)} = \alpha\,\mu^{(t-1)} + (1-\alpha)\,v^{(t)}, \qquad 0 \le \alpha < 1 .$$
#
# A single input pulse decays like $\alpha^t$, so it is remembered for about
# $-1/\ln\alpha \approx 1/(1-\alpha)$ steps (the time until it has shrunk by $1/e$). With
# $\alpha$ near 1 the unit remembers for long; near 0 it follows its input. Its recurrent
# "weight" is $\alpha$, so its gradient through $t$ steps is $\alpha^t$ as well: a unit with
# $\alpha = 0.99$ passes a gradient over 100 steps with a factor $0.99^{100} \approx 0.37$,
# whereas the tanh RNN of lesson 02 lost many orders of magnitude.

# %%
pulse = np.zeros(200)
pulse[10] = 1.0
for alpha in [0.5, 0.9, 0.98]:
    response = leaky_integrate(pulse, alpha)
    below = np.argmax(response[10:] < response[10] / np.e)  # steps until it falls below 1/e
    print(f"alpha = {alpha}: falls below 1/e after {below} steps; "
          f"-1/ln(alpha) = {-1 / np.log(alpha):.1f}, 1/(1-alpha) = {1 / (1 - alpha):.0f}")

# %%
rng = np.random.default_rng(0)
signal = np.sign(np.sin(np.arange(300) / 25)) + rng.normal(0, 0.8, 300)  # noisy square wave
fig, ax = plt.subplots(figsize=(9, 3.2))
ax.plot(signal, color="lightgrey", lw=0.8, label="input v(t)")
for alpha in [0.5, 0.9, 0.98]:
    ax.plot(leaky_integrate(signal, alpha), label=f"α = {alpha} (≈ {1 / (1 - alpha):.0f} steps)")
ax.set(xlabel="t", title="Leaky units average over about 1/(1−α) steps")
ax.legend(fontsize=8, ncol=4)
plt.show()

# %% [markdown]
# **Skip connections through time** (GBC §10.9.1) add edges from $h^{(t-d)}$ to $h^{(t)}$.
# A gradient that has to cross $\tau$ steps then needs only $\tau/d$ hops over the delayed
# edges, so it is multiplied by $\tau/d$ Jacobians instead of $\tau$. For a scalar linear
# unit with weight $w = 0.9$ over $\tau = 60$ steps:

# %%
def gradient_over(tau, d, w=0.9):
    """d h(tau) / d h(0) for h(t) = w h(t - d) (only the delayed edge), by autograd."""
    h = [torch.tensor(1.0, dtype=torch.float64, requires_grad=True)] + [None] * tau
    for t in range(1, tau + 1):
        h[t] = w * h[t - d] if t - d >= 0 and h[t - d] is not None else torch.zeros((), dtype=torch.float64)
    (grad,) = torch.autograd.grad(h[tau], h[0])
    return grad.item()


for d in [1, 4, 12]:
    print(f"delay d = {d:2}: dh(60)/dh(0) = {gradient_over(60, d):.3e} = 0.9^{60 // d}")

# %% [markdown]
# (GBC §10.9.3 also *removes* the length-one connections, forcing a unit to work at the
# coarse time scale.) These are skips **through time**. The notes' section "Leaky Units:
# Skip connections" describes something else.
#
# > **The notes say** (002:L2836–2897) under "Leaky Units" only the skip connections of
# > ResNet and DenseNet, across the **layers** of a CNN. **In fact** GBC §10.9 means
# > leaky units (above) and connections across **time steps** in an RNN. The residual
# > gradient $\partial L/\partial x = \partial L/\partial H\,(1 + \partial F/\partial x)$
# > (002:L2861) is right for a residual block and is the same idea as the skip in time: a
# > path whose Jacobian is the identity lets the gradient through unchanged (Unit I lesson
# > 11 shows it for deep MLPs).
#
# ## 2. Dropout in RNNs
#
# Dropout (Unit I lesson 09) zeroes each unit with probability $p$ in training. In an RNN,
# a fresh mask at every step on the **recurrent** connection $h^{(t-1)} \to h^{(t)}$ would
# damage the memory at every step, and a signal that must survive 50 steps would be
# dropped almost surely. Two standard remedies:
# - apply dropout only to the **non-recurrent** connections: inputs, outputs, and between
#   stacked layers (Zaremba et al. 2014; `nn.LSTM(..., dropout=p)` drops between layers);
# - **variational dropout**: draw **one mask per sequence** and use it at every step, also
#   on the recurrent connection (Gal & Ghahramani 2016), so a unit is either present for the
#   whole sequence or absent.
#
# The two masks for a batch of N sequences of T steps with n units, and the check that
# inverted dropout (dividing by the keep probability $1 - p$) leaves the expected value
# unchanged:

# %%
N, T, n, p = 4000, 10, 8, 0.3
gen = torch.Generator().manual_seed(0)
per_step = (torch.rand(N, T, n, generator=gen) > p).float() / (1 - p)  # a new mask each step
per_sequence = (torch.rand(N, 1, n, generator=gen) > p).float() / (1 - p)  # (N, 1, n): one per sequence
per_sequence = per_sequence.expand(N, T, n)  # the same mask at every step
print("per-step mask changes over time:", bool((per_step[:, 0] != per_step[:, 1]).any()))
print("per-sequence mask is the same at every step:", bool((per_sequence[:, 0] == per_sequence[:, -1]).all()))
h = torch.ones(N, T, n)  # activations equal to 1
print(f"mean of h * mask / (1 - p): per step {(h * per_step).mean():.3f}, "
      f"per sequence {(h * per_sequence).mean():.3f} (expected 1)")

# %% [markdown]
# Why not a fresh mask on the recurrent connection: a unit's value survives $T$ steps of
# per-step masks only if it is kept at every one of them, with probability $(1-p)^T$. And
# the non-recurrent placement in torch: a 2-layer `nn.LSTM` with `dropout=0.5` drops only
# the outputs of layer 1 on their way to layer 2, so two passes differ in training mode and
# agree in evaluation mode.

# %%
print(f"p = {p}: kept at all of 50 steps with probability (1 - p)^50 = {(1 - p) ** 50:.1e}")
set_seed(0)
stacked_lstm = nn.LSTM(input_size=8, hidden_size=16, num_layers=2, dropout=0.5, batch_first=True)
X_drop = torch.randn(3, 10, 8)  # (N, T, n_in)
stacked_lstm.train()
first, second = stacked_lstm(X_drop)[0], stacked_lstm(X_drop)[0]
print("training mode: two passes differ (dropout between the layers):", not torch.allclose(first, second))
stacked_lstm.eval()
with torch.no_grad():
    print("evaluation mode: two passes are equal (no dropout):",
          torch.equal(stacked_lstm(X_drop)[0], stacked_lstm(X_drop)[0]))

# %% [markdown]
# > **The notes say** (002:L2920) that at test time one takes the geometric mean of the
# > dropped-out models "by multiplying all the numbers together and taking the product's
# > square root", or instead uses the full model "by simply cutting all of the hidden
# > units' weights in half". **In fact** the geometric mean of $n$ numbers is the
# > **$n$-th root** of their product (the square root only for $n = 2$), and the weights are
# > scaled by the **keep probability** $1 - p$ (half only when $p = 0.5$); with inverted
# > dropout, as in torch and above, the scaling by $1/(1-p)$ happens in training and nothing
# > is scaled at test time (GBC §7.12).
# >
# > **The notes say** (002:L2901) "Dropout refers to data, or noise, that's intentionally
# > dropped from a neural network to improve processing and time to results". **In fact**
# > dropout randomly zeroes units during training as a **regulariser**; it makes training
# > slower, not faster. (The notes date it to "Geoffrey Hinton in 2012", 002:L2908: it was
# > Hinton et al. 2012, a preprint, and Srivastava et al. 2014 in JMLR.)
#
# The numbers behind the first correction, for $p = 0.2$ and an activation $h = 2$:

# %%
p, h_value = 0.2, 2.0
expected_train = (1 - p) * h_value  # E[mask * h] without inverted scaling
print(f"E[mask * h] in training = {expected_train:.2f}; test with weights x (1 - p): "
      f"{h_value * (1 - p):.2f}; test with weights x 1/2: {h_value / 2:.2f}")
values = np.array([0.2, 0.5, 0.8])
print(f"geometric mean of {values}: cube root {np.prod(values) ** (1 / 3):.4f}, "
      f"the notes' square root {np.sqrt(np.prod(values)):.4f}")

# %% [markdown]
# ## 3. The LSTM, gate by gate (III.13, GBC §10.10.1)
#
# The long short-term memory cell adds a **cell state** $C^{(t)}$ whose self-loop is gated.
# With $[h^{(t-1)}, x^{(t)}]$ the previous state and the input, every gate is a sigmoid of an
# affine function computed by **matrix** products (GBC eq. 10.40–10.44, written in the
# notes' letters):
#
# $$f^{(t)} = \sigma\big(b_f + U_f x^{(t)} + W_f h^{(t-1)}\big), \quad
#   i^{(t)} = \sigma\big(b_i + U_i x^{(t)} + W_i h^{(t-1)}\big), \quad
#   o^{(t)} = \sigma\big(b_o + U_o x^{(t)} + W_o h^{(t-1)}\big),$$
#
# $$\tilde C^{(t)} = \tanh\big(b_g + U_g x^{(t)} + W_g h^{(t-1)}\big), \qquad
#   C^{(t)} = f^{(t)} \odot C^{(t-1)} + i^{(t)} \odot \tilde C^{(t)}, \qquad
#   h^{(t)} = o^{(t)} \odot \tanh\big(C^{(t)}\big).$$
#
# The **forget gate** $f$ decides how much of the old cell to keep, the **input gate** $i$
# how much of the candidate $\tilde C$ to write, the **output gate** $o$ how much of the
# cell to show. The cell update is a leaky unit whose $\alpha$ is the forget gate, computed
# anew at every step: the network learns when to remember and when to forget. Where
# $f \approx 1$ and $i \approx 0$, $C^{(t)} \approx C^{(t-1)}$ and the gradient flows back
# through the cell with a factor near 1 per step.
#
# > **The notes say** (002:L2767) the gates are computed "by element-wise multiplication …
# > with the respective weights". **In fact** they are matrix products,
# > $W_f[h^{(t-1)}, x^{(t)}] + b_f$: every gate unit sees every input and every hidden
# > unit. Only the combinations $f \odot C$, $i \odot \tilde C$, $o \odot \tanh C$ are
# > element-wise.
# >
# > **The notes say** (002:L2797) the sigmoid "decides which values to let through (0 or
# > 1)". **In fact** a gate takes any value in $(0, 1)$: it lets a *fraction* through (the
# > gate values printed under the inspector below are fractions).
# >
# > The notes give the cell update only in words (002:L2769, L2815); it is
# > $C^{(t)} = f^{(t)} \odot C^{(t-1)} + i^{(t)} \odot \tilde C^{(t)}$.
#
# `utils.rnn.lstm_step` is these six lines; `lstm_parameters` reads $U_\cdot$, $W_\cdot$,
# $b_\cdot$ out of an `nn.LSTM` (torch stacks the gates in the order i, f, g, o and keeps two
# biases, which add up). Run over a sequence, the hand-written cell must give what
# `nn.LSTM` gives:

# %%
set_seed(0)
lstm = nn.LSTM(input_size=3, hidden_size=5, batch_first=True)
X = torch.randn(2, 7, 3)  # (N, T, n_in)
H_torch, (h_last, c_last) = lstm(X)
p_lstm = lstm_parameters(lstm)
h, c = torch.zeros(2, 5), torch.zeros(2, 5)
for t in range(7):
    h, c, gates = lstm_step(X[:, t], h, c, p_lstm)
    assert torch.allclose(h, H_torch[:, t], atol=1e-6)
print("hand-written LSTM h(t) == nn.LSTM at every step:", True)
print("final cell state C(T) equal:", torch.allclose(c, c_last[0], atol=1e-6))
print("gate shapes:", {name: tuple(g.shape) for name, g in gates.items()})

# %% [markdown]
# **The GRU** (Cho et al. 2014; GBC §10.10.2) merges the forget and input gates into one
# **update gate** $z$ and has a **reset gate** $r$; torch's form is
#
# $$r = \sigma(U_r x + W_r h + b_r), \quad z = \sigma(U_z x + W_z h + b_z), \quad
#   n = \tanh\big(U_n x + b_n + r \odot (W_n h + b'_n)\big), \quad h^{(t)} = z \odot h^{(t-1)} +
#   (1 - z) \odot n .$$
#
# (GBC eq. 10.45 puts the reset gate *inside* the product, $W(r \odot h)$; torch and cuDNN
# apply it to $W h$. Both are GRUs; the check below uses torch's form.)

# %%
gru = nn.GRU(input_size=3, hidden_size=5, batch_first=True)
H_gru, _ = gru(X)
p_gru = gru_parameters(gru)
h = torch.zeros(2, 5)
same = []
for t in range(7):
    h, _ = gru_step(X[:, t], h, p_gru)
    same.append(torch.allclose(h, H_gru[:, t], atol=1e-6))
print("hand-written GRU == nn.GRU at every step:", all(same))

# %% [markdown]
# ## 4. Demo: the LSTM cell inspector
#
# One scalar LSTM unit with hand-set weights (`lstm_cell.WEIGHTS`: a positive input opens
# the input gate, a negative one closes the forget gate). Move the input $x^{(t)}$, the
# previous state $h^{(t-1)}$ and cell $C^{(t-1)}$, and the forget gate's bias; the bars show
# the four gates and the new cell and state.

# %%
demo = lstm_cell.demo()
demo

# %%
start = demo.model.state  # the gates at the demo's starting setting
print("gates f, i, o at the start:", [round(float(start[k]), 3) for k in "fio"])
print("every gate strictly between 0.01 and 0.99 (a fraction, not 0 or 1):",
      all(0.01 < start[k] < 0.99 for k in "fio"))

# %% [markdown]
# **Try this:** set $C^{(t-1)} = 1.5$ and the forget bias to 4: the cell keeps its value
# whatever $x$ does, unless $x$ is strongly negative. Then lower the forget bias to −4: the
# old cell is wiped and $C^{(t)}$ is just $i \cdot g$.
#
# ## 5. A long lag: a plain RNN against an LSTM (III.11)
#
# Task: the first symbol is one of 4 signals; then come `lag` random distractor symbols
# (4 others); at the end the network must name the first symbol. Chance is 0.25. Both nets
# have 32 units and the same budget: 200 Adam steps of 64 sequences, learning rate 0.01,
# gradients clipped to norm 1. The inputs are one-hot vectors of height 4. The LSTM's
# forget-gate bias starts at 3 ($\sigma(3) \approx 0.95$, a time constant of about 20
# steps), in the spirit of GBC §10.10.1, which recommends a positive forget bias; with
# torch's default of about 0 the cell forgets half of itself every step at the start.

# %%
K, LAGS = 4, [5, 20, 50]


def make_lag_net(cell):
    set_seed(0)
    net = SequenceNet(2 * K, 32, K, cell=cell, readout="last", input_scale=4.0)
    if cell == "lstm":
        with torch.no_grad():
            net.rnn.bias_hh_l0[32:64] += 3.0  # the forget gate's rows (order i, f, g, o)
    return net


lag_nets, lag_acc = {}, {}
for lag in LAGS:
    X_test, y_test = lag_task(1000, lag, K, num_distractors=K, generator=torch.Generator().manual_seed(123))
    for cell in ["rnn", "lstm"]:
        net = make_lag_net(cell)
        train_steps(net, lambda g: lag_task(64, lag, K, num_distractors=K, generator=g),
                    num_steps=200, lr=1e-2, clip=1.0)
        lag_nets[cell, lag] = net
        lag_acc[cell, lag] = accuracy(net, X_test, y_test)

# %% tags=["nbval-ignore-output"]
for lag in LAGS:
    print(f"lag {lag:2}: plain RNN {lag_acc['rnn', lag]:.3f}   LSTM {lag_acc['lstm', lag]:.3f}")

# %%
print("lag 5: both >= 0.95:", lag_acc["rnn", 5] >= 0.95 and lag_acc["lstm", 5] >= 0.95)
for lag in [20, 50]:
    print(f"lag {lag}: LSTM >= 0.95 and plain RNN <= 0.7:",
          lag_acc["lstm", lag] >= 0.95 and lag_acc["rnn", lag] <= 0.7)

# %% [markdown]
# At lag 5 both learn the task; at lags 20 and 50 the plain RNN, trained as long, has not
# (its accuracy is printed above), while the LSTM has. With far more training a plain RNN
# can sometimes get further; the point of §10.7 is that the gradient for a long lag is
# exponentially small, so it needs far more luck and time.
#
# Inside the trained LSTM (lag 50): we run the hand-written cell over four test sequences,
# one per signal, and plot the forget gate and the cell state of the unit whose final cell
# value differs most between the signals.

# %%
net = lag_nets["lstm", 50]
X_show, _ = lag_task(4, 50, K, num_distractors=K, generator=torch.Generator().manual_seed(7))
X_show[:, 0] = torch.arange(K)  # one sequence per signal
inputs = 4.0 * F.one_hot(X_show, 2 * K).float()  # (4, 51, 8), as the net sees them
p_net = lstm_parameters(net.rnn)
h, c = torch.zeros(4, 32), torch.zeros(4, 32)
forget, cells = [], []
for t in range(inputs.shape[1]):
    h, c, gates = lstm_step(inputs[:, t], h, c, p_net)
    forget.append(gates["f"])
    cells.append(c)
forget, cells = torch.stack(forget, dim=1), torch.stack(cells, dim=1)  # (4, 51, 32)
unit = int(cells[:, -1].std(dim=0).argmax())
print("hand-written cell reproduces nn.LSTM's final state:",
      torch.allclose(h, net.rnn(inputs)[0][:, -1], atol=1e-5))
print("that unit's forget gate averages above 0.9 after t = 0:", forget[:, 1:, unit].mean().item() > 0.9)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.3))
for k in range(K):
    axes[0].plot(forget[k, :, unit], label=f"signal {k}")
    axes[1].plot(cells[k, :, unit], label=f"signal {k}")
axes[0].set(title=f"forget gate f(t) of unit {unit}", xlabel="t", ylim=(0, 1.05))
axes[1].set(title=f"cell state C(t) of unit {unit}", xlabel="t")
axes[1].legend(fontsize=8)
plt.show()

# %% [markdown]
# The forget gate of this unit stays near 1 through all 50 distractors, so the cell never
# loses what it holds; the signal read at $t = 0$ decides which way the cell moves afterwards
# (through $h$, which feeds the gates), and at the end the four signals sit at distinct
# values, where the read-out separates them (checked below). A different seed may use a different unit or code, but the
# forget gate near 1 is what the plain RNN lacks.

# %% tags=["nbval-ignore-output"]
final = cells[:, -1, unit]  # (4,): this unit's last cell value, one per signal
print(f"unit {unit}: final cell values for signals 0-3:", final.numpy().round(2),
      f"| smallest forget gate after t = 0: {forget[:, 1:, unit].min():.3f}")

# %%
gaps = (final[:, None] - final[None]).abs() + 1e9 * torch.eye(K)  # (4, 4), diagonal ignored
print("forget gate of that unit >= 0.8 at every step after t = 0:", forget[:, 1:, unit].min().item() >= 0.8)
print("its four final cell values at least 0.1 apart:", gaps.min().item() >= 0.1)
#
# ## 6. Exercises
#
# **Exercise 1.** A leaky unit has $\alpha = 0.95$. After how many steps has a pulse shrunk
# below $1/e$ of its size? (Use $-1/\ln \alpha$ and round up.)

# %%
steps_to_forget = ...  # your answer
check(steps_to_forget, 20, hint="-1 / ln(0.95) = 19.5, round up")

# %% tags=["solution"] jupyter={"source_hidden": true}
steps_to_forget = int(np.ceil(-1 / np.log(0.95)))
check(steps_to_forget, 20)
response = leaky_integrate(np.r_[1.0, np.zeros(40)], 0.95)
print("first step below 1/e of the start:", int(np.argmax(response < response[0] / np.e)))

# %% [markdown]
# **Exercise 2.** Write the LSTM cell update `cell_update(f, i, g, c_prev)` returning
# $C^{(t)}$.

# %%
def cell_update(f, i, g, c_prev):
    ...  # your code


update_inputs = [tuple(torch.rand(3, generator=torch.Generator().manual_seed(k)) for _ in range(4))
                 for k in range(3)]
check_function(cell_update, lambda f, i, g, c: f * c + i * g, update_inputs,
               hint="keep f of the old cell, write i of the candidate")

# %% tags=["solution"] jupyter={"source_hidden": true}
def cell_update(f, i, g, c_prev):
    return f * c_prev + i * g


check_function(cell_update, lambda f, i, g, c: f * c + i * g, update_inputs)

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("A leaky unit with alpha = 0.99 remembers a pulse for about",
     ["1 step", "100 steps", "0.99 steps"],
     answer=1, explanation="The time constant is about 1/(1 - alpha).")

# %%
quiz("A model was trained with (non-inverted) dropout p = 0.2. At test time its weights should be",
     ["halved", "multiplied by the keep probability 0.8", "left as they are"],
     answer=1, explanation="Halving is right only for p = 0.5; with inverted dropout nothing is scaled at test time.")

# %%
quiz("How are the LSTM gate pre-activations computed?",
     ["Element-wise products of the inputs with weights", "Matrix products W[h(t-1), x(t)] + b",
      "By thresholding to 0 or 1"],
     answer=1, explanation="Only the gating itself (f ⊙ C, i ⊙ C~, o ⊙ tanh C) is element-wise.")

# %% [markdown]
# <details><summary><b>Write the LSTM forget-gate and cell-update equations.</b></summary>
# f(t) = σ(W_f [h(t−1), x(t)] + b_f) (002:L2784); C(t) = f(t) ⊙ C(t−1) + i(t) ⊙ C̃(t), with
# i(t) = σ(W_i [h(t−1), x(t)] + b_i) and C̃(t) = tanh(W_C [h(t−1), x(t)] + b_C); then
# h(t) = o(t) ⊙ tanh(C(t)). When f ≈ 1 the cell carries its value, and its gradient, across
# many steps.
# </details>
#
# <details><summary><b>What are leaky units and skip connections through time?</b></summary>
# A leaky unit μ(t) = α μ(t−1) + (1 − α) v(t) is a running average with time constant about
# 1/(1 − α); α near 1 gives long memory. A skip connection through time feeds h(t−d) into
# h(t), so a dependency over τ steps is reached in τ/d hops and its gradient decays much
# less (GBC §10.9).
# </details>
#
# <details><summary><b>What does a residual connection do to the gradient? How is dropout handled at test time?</b></summary>
# With H = F(x) + x, ∂L/∂x = ∂L/∂H (1 + ∂F/∂x): the identity path passes the gradient on
# unchanged (002:L2861). At test time dropout is switched off and the weights are scaled by
# the keep probability 1 − p, or, with inverted dropout, activations were divided by 1 − p
# in training and nothing changes at test time.
# </details>
#
# <details><summary><b>How does an LSTM handle the vanishing gradient?</b></summary>
# The cell state is updated additively, C(t) = f ⊙ C(t−1) + i ⊙ C̃, so the Jacobian
# ∂C(t)/∂C(t−1) is diag(f); where the learned forget gate is near 1 the gradient passes
# through many steps almost unchanged, instead of being multiplied by W and tanh slopes at
# every step. The GRU achieves the same with its update gate.
# </details>
#
# ## Summary
# - Leaky units remember for about $1/(1-\alpha)$ steps; skips through time shorten the
#   gradient's path from $\tau$ to $\tau/d$ hops.
# - In RNNs dropout goes on the non-recurrent connections, or uses one mask per sequence;
#   test-time scaling is by the keep probability $1-p$ (n-th root for a geometric mean).
# - The LSTM's gates are matrix products through sigmoids with values in $(0, 1)$; its cell
#   update $C^{(t)} = f \odot C^{(t-1)} + i \odot \tilde C^{(t)}$ is a learned leaky unit.
#   Hand-written LSTM and GRU equal `nn.LSTM` and `nn.GRU` with the same weights.
# - On the lag task the plain RNN learned lag 5 only, the LSTM lags 5, 20 and 50.
#
# **Next:** lesson 06 trains character-level language models on Shakespeare.
