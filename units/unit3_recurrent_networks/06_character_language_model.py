# %% [markdown]
# # A character-level language model on Shakespeare (syllabus III.4, III.13 in practice)
#
# **What you will learn**
# - a **language model** is a transducer: at every step it predicts the next character,
#   $P(x^{(t+1)} \mid x^{(1)}, \dots, x^{(t)})$ (GBC §10.2.3);
# - how to read its loss: cross-entropy in **nats** per character and in **bits** per
#   character, against the **unigram** and **bigram** baselines computed from the same text;
# - a plain RNN against an LSTM under the same small training budget;
# - sampling with a **temperature**, and a demo to feel what it does.
#
# Data: tinyshakespeare, about 1.1 million characters of Shakespeare's plays (loaded by
# `utils.data`; the exact counts are printed below); the last 10 % is the validation text.

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

from utils.checks import check, quiz
from utils.demos import char_sampling
from utils.plotting import set_style
from utils.rnn import CharModel, count_parameters, sequence_loss, train_steps
from utils.sequences import (bits, entropy_bits, evaluate_lm, load_shakespeare_ids, ngram_loss,
                             next_char_probabilities, random_windows, sample)
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads()  # an LSTM on real text: the course's thread policy (utils/threads.py)
set_seed(0)

# %%
vocab, train_ids, val_ids = load_shakespeare_ids(val_fraction=0.1)
print(f"{len(vocab)} distinct characters; {len(train_ids):,} training and {len(val_ids):,} "
      "validation characters")
print(repr(vocab.decode(train_ids[:80])))

# %% [markdown]
# ## 1. Baselines: how good is "good"?
#
# A model that knows nothing would give each of the $V$ characters (65, printed above)
# probability $1/V$:
# a loss of $\ln 65$ nats $= \log_2 65$ bits per character. Two baselines that are estimated
# from the training text (add-one smoothing, so that no validation character has
# probability 0):
# - **unigram**: $P(x^{(t+1)}) =$ the frequency of each character, ignoring the context;
# - **bigram**: $P(x^{(t+1)} \mid x^{(t)})$, from counts of pairs: a context of one character.
#
# The loss is the mean of $-\ln P(\text{the true next character})$ over the validation
# text; dividing by $\ln 2$ turns nats into bits.

# %%
uniform = np.log(len(vocab))
unigram = ngram_loss(train_ids, val_ids, len(vocab), order=1)
bigram = ngram_loss(train_ids, val_ids, len(vocab), order=2)
for name, nats in [("uniform", uniform), ("unigram", unigram), ("bigram", bigram)]:
    print(f"{name:8}: {nats:.3f} nats = {bits(nats):.3f} bits per character")

# %% [markdown]
# ## 2. The model: embedding, recurrent layer, softmax over the next character
#
# `utils.rnn.CharModel`: each character code gets an embedding of 32 numbers, a recurrent
# layer of 96 units reads them, and a linear layer gives 65 logits per step. Training uses
# random windows of 48 characters, the target being the same window shifted by one
# (teacher forcing: the true previous characters are the inputs), the loss averaged over all
# positions. Both models get 250 Adam steps of 32 windows (learning rates 0.01 for the LSTM
# and 0.003 for the plain RNN, which is unstable at 0.01), gradients clipped to norm 1.

# %%
def lm_batch(generator):
    return random_windows(train_ids, batch_size=32, seq_len=48, generator=generator)


def lm_loss(output, Y):
    logits, _ = output  # CharModel returns (logits, state)
    return sequence_loss(logits, Y)


models, curves, val_loss = {}, {}, {}
for cell, lr in [("rnn", 3e-3), ("lstm", 1e-2)]:
    set_seed(0)
    models[cell] = CharModel(len(vocab), n_hidden=96, cell=cell)
    curves[cell] = train_steps(models[cell], lm_batch, num_steps=250, lr=lr, clip=1.0, loss_fn=lm_loss)
    val_loss[cell] = evaluate_lm(models[cell], val_ids)  # the whole validation text, as the baselines

# %% tags=["nbval-ignore-output"]
for cell, loss in val_loss.items():
    print(f"{cell:4} ({count_parameters(models[cell]):,} parameters): validation {loss:.3f} nats "
          f"= {bits(loss):.3f} bits per character")

# %%
print("both models beat the bigram baseline by at least 0.25 nats:",
      all(loss <= bigram - 0.25 for loss in val_loss.values()))
print("the LSTM beats the plain RNN by at least 0.05 nats at this budget:",
      val_loss["lstm"] <= val_loss["rnn"] - 0.05)
print(f"LSTM / RNN parameters: {count_parameters(models['lstm']) / count_parameters(models['rnn']):.2f}")

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.6))
for cell, losses in curves.items():
    smooth = np.convolve(losses, np.ones(10) / 10, mode="valid")
    ax.plot(smooth, label=f"{cell} (training, smoothed)")
for name, nats, style in [("unigram", unigram, ":"), ("bigram", bigram, "--")]:
    ax.axhline(nats, color="grey", ls=style, label=f"{name} baseline (validation)")
ax.set(xlabel="training step", ylabel="cross-entropy (nats/char)", ylim=(1.5, 4.3),
       title="Character-level language models on tinyshakespeare")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Within seconds of training both recurrent models use far more context than one character
# and beat the bigram clearly (the numbers are printed above); the LSTM is ahead of the plain
# RNN. The comparison is at equal width (96 units) and equal training steps; the LSTM's four
# gates give it more parameters (the ratio is printed above). Bigger models trained for
# minutes on a GPU do much better: nanoGPT's character-level Shakespeare example, a small
# Transformer, reports a validation loss of about 1.47 nats (2.1 bits) per character.
#
# ## 3. Sampling and temperature
#
# To generate, feed a prompt, draw the next character from the model's distribution, feed it
# back, and repeat (free running, lesson 03). A **temperature** $T$ rescales the logits
# before the softmax, $p_k \propto \exp(o_k / T)$: $T < 1$ sharpens the distribution
# (safer, more repetitive text), $T > 1$ flattens it (more varied, more errors), $T \to 0$ is
# greedy decoding, $T = 1$ is the model itself.

# %% tags=["nbval-ignore-output"]
for temperature in [0.5, 1.0]:
    text = sample(models["lstm"], vocab, "ROMEO:\n", num_chars=250, temperature=temperature,
                  generator=torch.Generator().manual_seed(0))
    print(f"--- LSTM, temperature {temperature} ---\n{text}\n")

# %% [markdown]
# The exact text differs from machine to machine (sampling amplifies tiny float differences),
# but at 0.5 you should see common words and names repeated, at 1.0 more invented words.
# The effect of $T$ on the distribution can be checked exactly: its entropy falls as $T$
# falls.

# %%
entropies = [entropy_bits(next_char_probabilities(models["lstm"], vocab, "ROMEO:\nWhat is", t))
             for t in [0.3, 0.5, 1.0, 2.0]]
print("entropy of the next character rises with the temperature (0.3, 0.5, 1, 2):",
      all(a < b for a, b in zip(entropies, entropies[1:])))

# %% [markdown]
# ## 4. Demo: temperature
#
# Move the temperature (log scale, 0.1 to 3) and edit the prompt: the bars show the LSTM's
# twelve most probable next characters ("␣" is a space, "\n" a line break) and the line above
# gives the entropy. **Sample** writes 300 characters at the current temperature.

# %%
demo = char_sampling.demo(models["lstm"], vocab)
demo

# %% [markdown]
# ## 5. Exercises
#
# **Exercise 1.** A model has a validation loss of 1.5 nats per character. What is that in
# bits per character?

# %%
loss_bits = ...  # your answer
check(loss_bits, 1.5 / np.log(2), hint="divide by ln 2")

# %% tags=["solution"] jupyter={"source_hidden": true}
loss_bits = 1.5 / np.log(2)
check(loss_bits, bits(1.5))

# %% [markdown]
# **Exercise 2.** What loss (nats per character) does a model that gives every one of the 65
# characters the same probability have?

# %%
uniform_loss = ...  # your answer
check(uniform_loss, np.log(65), hint="-ln(1/65)")

# %% tags=["solution"] jupyter={"source_hidden": true}
uniform_loss = -np.log(1 / 65)
check(uniform_loss, uniform)

# %% [markdown]
# ## 6. Review questions (Part A)

# %%
quiz("Why is a character-level language model a transducer?",
     ["It outputs one label per sequence", "It outputs a prediction of the next character at every step",
      "It encodes the text into one vector"],
     answer=1, explanation="One output per input step, the loss summed over the steps.")

# %%
quiz("Sampling at temperature 0.5 instead of 1.0 makes the text",
     ["more random", "more conservative: the distribution is sharper", "longer"],
     answer=1, explanation="Logits divided by T < 1 are further apart, so the softmax is peakier.")

# %% [markdown]
# <details><summary><b>What do "nats per character" and "bits per character" measure?</b></summary>
# The average of −log P(true next character) over a text, with the natural logarithm
# (nats) or log base 2 (bits); bits = nats / ln 2. Lower is better; a uniform guess over V
# characters gives ln V nats. 2^(bits per character) is the perplexity: the number of
# equally likely choices the model is effectively choosing between.
# </details>
#
# ## Summary
# - A language model predicts the next character at every step; its loss in nats or bits per
#   character is compared with the uniform, unigram and bigram baselines.
# - The RNN and LSTM, trained for seconds, beat the bigram baseline clearly, the LSTM more.
# - Temperature trades diversity against accuracy when sampling.
#
# This completes Unit III. Unit IV evaluates models: metrics, baselines (as here),
# hyperparameters and debugging.
