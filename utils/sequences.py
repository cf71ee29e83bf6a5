"""Sequence data for Unit III: synthetic tasks, character-level text, baselines, sampling.

Every generator takes a `torch.Generator`, so a lesson's data is repeatable. Symbols are
int64 tensors, batch first: X (N, T).

Synthetic tasks
- `binary_strings(n, length, pattern, generator)`: random 0/1 strings, half of them
  containing `pattern` (acceptor task, label 1 = contains it).
- `two_back(n, length, vocab_size, generator)`: label 1 at step t when x(t) == x(t-2)
  (transducer task).
- `lookahead(n, length, vocab_size, shift, generator)`: y(t) = x(t + shift), the last
  `shift` labels are 0 (a task that needs the future: the bidirectional RNN).
- `lag_task(n, lag, vocab_size, num_distractors, generator)`: a symbol at step 1, then
  `lag` distractors, and the label is the first symbol (long-term dependency).
- `reverse_task(n, min_len, max_len, generator)`: digit strings and their reverse, with
  START/END/PAD codes for a sequence-to-sequence model.

Characters
- `CharVocab`: the sorted characters of a text; `encode` and `decode`.
- `random_windows(ids, batch_size, seq_len, generator)`: X (N, T) and the next chars Y.
- `ngram_loss(train_ids, val_ids, vocab_size, order)`: the validation cross-entropy (nats)
  of an add-one-smoothed unigram (order 1) or bigram (order 2) model.
- `sample(net, vocab, prompt, num_chars, temperature, generator)`: text from a CharModel.
- `next_char_probabilities(net, vocab, prompt, temperature)`.
- `load_shakespeare_ids(val_fraction)`: tinyshakespeare (via utils.data) encoded and split.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

from utils.data import load_tinyshakespeare

LN2 = math.log(2)


# ------------------------------------------------------------------ synthetic tasks
def _contains(X, pattern):
    """(N,) bool: does each row of X (N, T) contain `pattern` (a list of symbols)?"""
    k = len(pattern)
    if X.shape[1] < k:
        return torch.zeros(len(X), dtype=torch.bool)
    windows = X.unfold(1, k, 1)  # (N, T - k + 1, k)
    return (windows == torch.tensor(pattern)).all(dim=2).any(dim=1)


def binary_strings(n, length, pattern=(1, 0, 1), generator=None):
    """n random 0/1 strings of `length`, half with label 1 (contains `pattern`) and half
    with label 0, in random order. Returns X (n, length) int64, y (n,) int64."""
    pattern = list(pattern)
    want = {0: n - n // 2, 1: n // 2}
    found = {0: [], 1: []}
    while any(sum(len(x) for x in found[k]) < want[k] for k in (0, 1)):
        X = torch.randint(0, 2, (4 * n + 64, length), generator=generator)
        labels = _contains(X, pattern)
        for k in (0, 1):
            found[k].append(X[labels == bool(k)])
    X = torch.cat([torch.cat(found[k])[:want[k]] for k in (0, 1)])
    y = torch.cat([torch.full((want[k],), k) for k in (0, 1)])
    order = torch.randperm(n, generator=generator)
    return X[order], y[order]


def contains(string, pattern="101"):
    """The rule of the acceptor task on a Python string of 0s and 1s."""
    return pattern in string


def two_back(n, length, vocab_size=3, generator=None):
    """X (n, length) random symbols; y (n, length) = 1 where x(t) == x(t-2), else 0."""
    X = torch.randint(0, vocab_size, (n, length), generator=generator)
    y = torch.zeros_like(X)
    y[:, 2:] = (X[:, 2:] == X[:, :-2]).long()
    return X, y


def lookahead(n, length, vocab_size=4, shift=2, generator=None):
    """X (n, length) random symbols; y(t) = x(t + shift), and 0 for the last `shift` steps."""
    X = torch.randint(0, vocab_size, (n, length), generator=generator)
    y = torch.zeros_like(X)
    y[:, :length - shift] = X[:, shift:]
    return X, y


def lag_task(n, lag, vocab_size=4, num_distractors=1, generator=None):
    """The first symbol is one of `vocab_size` signals (codes 0..vocab_size-1), then `lag`
    distractors drawn from the `num_distractors` codes after them (1: always the same blank
    code); the label is the signal. Returns X (n, lag + 1) int64, y (n,)."""
    y = torch.randint(0, vocab_size, (n,), generator=generator)
    noise = torch.randint(vocab_size, vocab_size + num_distractors, (n, lag), generator=generator)
    return torch.cat([y[:, None], noise], dim=1), y


PAD, START, END = 10, 11, 12  # codes after the digits 0-9
SEQ2SEQ_VOCAB = 13


def reverse_task(n, min_len=2, max_len=10, generator=None, width=None):
    """n digit strings of random length in [min_len, max_len] and their reverse, padded to
    `width` (default max_len) symbols.

    Returns (src, tgt_in, tgt_out, lengths): src (n, width) digits then PAD;
    tgt_in (n, width + 1) = START, reversed digits, PAD...; tgt_out (n, width + 1) =
    reversed digits, END, PAD... (teacher forcing feeds tgt_in and predicts tgt_out)."""
    width = max_len if width is None else width
    if not 1 <= min_len <= max_len <= width:
        raise ValueError(f"need 1 <= min_len <= max_len <= width, got {min_len}, {max_len}, {width}")
    lengths = torch.randint(min_len, max_len + 1, (n,), generator=generator)
    digits = torch.randint(0, 10, (n, width), generator=generator)
    steps = torch.arange(width)
    src = torch.where(steps[None] < lengths[:, None], digits, PAD)  # (n, width)
    rev_index = (lengths[:, None] - 1 - steps[None]).clamp(min=0)  # (n, width)
    reversed_digits = torch.where(steps[None] < lengths[:, None], src.gather(1, rev_index), PAD)
    tgt_out = torch.cat([reversed_digits, torch.full((n, 1), PAD)], dim=1)  # (n, width + 1)
    tgt_out[torch.arange(n), lengths] = END
    tgt_in = torch.cat([torch.full((n, 1), START), tgt_out[:, :-1]], dim=1)
    tgt_in = torch.where(tgt_in == END, PAD, tgt_in)
    return src, tgt_in, tgt_out, lengths


# ------------------------------------------------------------------ characters
class CharVocab:
    """The distinct characters of a text, sorted; code k is the k-th of them."""

    def __init__(self, text):
        self.chars = sorted(set(text))
        self.index = {ch: k for k, ch in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """int64 tensor of the codes of `text` (every character must be in the vocabulary)."""
        return torch.tensor([self.index[ch] for ch in text], dtype=torch.int64)

    def decode(self, ids):
        return "".join(self.chars[int(k)] for k in ids)

    def unknown(self, text):
        """The characters of `text` that are not in the vocabulary."""
        return sorted(set(text) - set(self.chars))


def load_shakespeare_ids(val_fraction=0.1):
    """tinyshakespeare as (vocab, train_ids, val_ids): the last `val_fraction` of the text
    is the validation set (a contiguous block, so no line is in both)."""
    text = load_tinyshakespeare()
    vocab = CharVocab(text)
    ids = torch.from_numpy(np.frombuffer(text.encode("ascii"), dtype=np.uint8).copy())
    lookup = torch.zeros(256, dtype=torch.int64)
    lookup[torch.tensor([ord(ch) for ch in vocab.chars])] = torch.arange(len(vocab))
    ids = lookup[ids.long()]  # (len(text),) codes, the same as vocab.encode(text)
    split = int(len(ids) * (1 - val_fraction))
    return vocab, ids[:split], ids[split:]


def random_windows(ids, batch_size, seq_len, generator=None):
    """batch_size random windows of `ids`: X (N, T) and Y (N, T), Y shifted one step left."""
    starts = torch.randint(0, len(ids) - seq_len - 1, (batch_size,), generator=generator)
    offsets = torch.arange(seq_len + 1)
    windows = ids[starts[:, None] + offsets[None]]  # (N, T + 1)
    return windows[:, :-1], windows[:, 1:]


def ngram_counts(ids, vocab_size, order):
    """Counts of single codes (order 1, shape (V,)) or of pairs (order 2, shape (V, V),
    row = previous code, column = next code)."""
    if order == 1:
        return torch.bincount(ids, minlength=vocab_size).double()
    if order == 2:
        pairs = ids[:-1] * vocab_size + ids[1:]
        return torch.bincount(pairs, minlength=vocab_size**2).double().reshape(vocab_size, vocab_size)
    raise ValueError(f"order must be 1 or 2, got {order}")


def ngram_loss(train_ids, val_ids, vocab_size, order):
    """Validation cross-entropy in nats per character of the unigram (order 1) or bigram
    (order 2) model estimated on train_ids with add-one (Laplace) smoothing."""
    counts = ngram_counts(train_ids, vocab_size, order) + 1
    if order == 1:
        log_p = torch.log(counts / counts.sum())
        return -log_p[val_ids].mean().item()
    log_p = torch.log(counts / counts.sum(dim=1, keepdim=True))  # (V, V) rows sum to 1
    return -log_p[val_ids[:-1], val_ids[1:]].mean().item()


def bits(nats):
    """nats per character -> bits per character."""
    return nats / LN2


@torch.no_grad()
def evaluate_lm(net, ids, seq_len=128, batch_size=64, max_chars=None):
    """Mean cross-entropy (nats per character) of a CharModel on `ids`, cut into
    consecutive windows of seq_len characters (each window starts from a zero state)."""
    net.eval()
    ids = ids if max_chars is None else ids[:max_chars + 1]
    n = (len(ids) - 1) // seq_len
    X = ids[:n * seq_len].reshape(n, seq_len)  # (n, T)
    Y = ids[1:n * seq_len + 1].reshape(n, seq_len)
    total = 0.0
    for start in range(0, n, batch_size):
        logits, _ = net(X[start:start + batch_size])
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                 Y[start:start + batch_size].reshape(-1), reduction="sum").item()
    return total / (n * seq_len)


@torch.no_grad()
def next_char_probabilities(net, vocab, prompt, temperature=1.0):
    """The model's distribution of the character after `prompt` at `temperature`: (V,)."""
    net.eval()
    logits, _ = net(vocab.encode(prompt)[None])  # (1, T, V)
    return torch.softmax(logits[0, -1] / temperature, dim=0)


@torch.no_grad()
def sample(net, vocab, prompt, num_chars=200, temperature=1.0, generator=None):
    """`prompt` followed by `num_chars` characters drawn one at a time from the model,
    each from softmax(logits / temperature)."""
    net.eval()
    logits, state = net(vocab.encode(prompt)[None])  # (1, T, V)
    out = []
    for _ in range(num_chars):
        p = torch.softmax(logits[0, -1] / temperature, dim=0)  # (V,)
        k = torch.multinomial(p, 1, generator=generator)  # (1,)
        out.append(int(k))
        logits, state = net(k[None], state)  # (1, 1, V)
    return prompt + vocab.decode(out)


def entropy_bits(p):
    """Entropy in bits of a probability vector."""
    p = p[p > 0]
    return float(-(p * torch.log2(p)).sum())
