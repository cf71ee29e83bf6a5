"""Recurrent networks written by hand, in the notation of GBC chapter 10, and the small
torch models the Unit III lessons train.

Notation (GBC eq. 10.8-10.11): input x(t), hidden state h(t), output o(t);
input-to-hidden weights U, hidden-to-hidden W, hidden-to-output V, biases b and c:

    a(t) = b + W h(t-1) + U x(t),   h(t) = tanh(a(t)),   o(t) = c + V h(t).

Shapes: time first in the hand-written code, X (T, N, n_in), H (T, N, n_h); the torch
models take batch first, X (N, T, ...), like `batch_first=True`.

- `rnn_forward`: the recurrence as a Python loop over time (torch tensors).
- `nn_rnn_from`: an `nn.RNN` that holds the same U, W, b (to check the loop against it).
- `bptt`: back-propagation through time by hand (numpy, float64) for the RNN with a
  softmax output and the cross-entropy summed over time (GBC eq. 10.12-10.28).
- `lstm_step`, `gru_step`: one step of the gated cells, gate by gate, with the weights
  taken from an `nn.LSTM` / `nn.GRU` (`lstm_parameters`, `gru_parameters`).
- `leaky_integrate`: the leaky unit mu(t) = alpha mu(t-1) + (1 - alpha) v(t) (GBC 10.9.2).
- `SequenceNet`: one-hot (or real) inputs -> RNN/GRU/LSTM -> a linear read-out, either at
  every step (a transducer) or at the last step only (an acceptor).
- `CharModel`: embedding -> RNN/GRU/LSTM -> logits over the next character.
- `train_steps`: Adam on batches drawn by a function, with optional gradient clipping.
"""
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


# ------------------------------------------------------------------ the plain RNN by hand
def rnn_forward(X, h0, U, W, b):
    """Run a(t) = b + W h(t-1) + U x(t), h(t) = tanh(a(t)) over X (T, N, n_in) from h0
    (N, n_h); returns H (T, N, n_h), the states h(1), ..., h(T)."""
    h, states = h0, []
    for x in X:  # x = x(t), (N, n_in)
        a = b + h @ W.T + x @ U.T  # (N, n_h)
        h = torch.tanh(a)
        states.append(h)
    return torch.stack(states)  # (T, N, n_h)


def nn_rnn_from(U, W, b):
    """An nn.RNN (tanh, time first) whose weights are U (n_h, n_in), W (n_h, n_h) and
    bias b; torch's second bias bias_hh is set to 0 (torch adds the two biases)."""
    n_h, n_in = U.shape
    net = nn.RNN(n_in, n_h, nonlinearity="tanh").to(U.dtype)
    with torch.no_grad():
        net.weight_ih_l0.copy_(U)
        net.weight_hh_l0.copy_(W)
        net.bias_ih_l0.copy_(b)
        net.bias_hh_l0.zero_()
    return net


def softmax(o):
    """Softmax over the last axis of a numpy array, stable for large logits."""
    e = np.exp(o - o.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bptt(X, y, h0, U, W, b, V, c):
    """Loss and gradients of the RNN with o(t) = c + V h(t), y_hat(t) = softmax(o(t)) and
    L = sum over t of -log y_hat(t)[y(t)], computed by hand (numpy, one sequence).

    X (T, n_in), y (T,) integer labels, h0 (n_h,). Returns (L, grads, grad_h) where grads
    holds dL/dU, dL/dW, dL/db, dL/dV, dL/dc, dL/dh0 and grad_h (T, n_h) is dL/dh(t)."""
    T = len(X)
    H = np.zeros((T + 1, len(h0)))  # H[t] = h(t); H[0] = h(0)
    H[0] = h0
    Y_hat = np.zeros((T, len(c)))
    for t in range(1, T + 1):  # forward pass (GBC eq. 10.8-10.11)
        H[t] = np.tanh(b + W @ H[t - 1] + U @ X[t - 1])
        Y_hat[t - 1] = softmax(c + V @ H[t])
    L = -np.log(Y_hat[np.arange(T), y]).sum()

    grad_o = Y_hat.copy()  # dL/do(t) = y_hat(t) - 1_{y(t)}  (GBC eq. 10.18)
    grad_o[np.arange(T), y] -= 1
    grad_h = np.zeros((T, len(h0)))
    grads = {name: np.zeros_like(p) for name, p in [("U", U), ("W", W), ("b", b), ("V", V), ("c", c)]}
    grad_next = np.zeros(len(h0))  # W^T diag(1 - h(t+1)^2) dL/dh(t+1); 0 after the last step
    for t in range(T, 0, -1):
        g = V.T @ grad_o[t - 1] + grad_next  # dL/dh(t)  (GBC eq. 10.19-10.21)
        grad_h[t - 1] = g
        grad_a = (1 - H[t] ** 2) * g  # dL/da(t): through tanh
        grads["c"] += grad_o[t - 1]  # GBC eq. 10.22-10.28, summed over time
        grads["V"] += np.outer(grad_o[t - 1], H[t])
        grads["b"] += grad_a
        grads["W"] += np.outer(grad_a, H[t - 1])
        grads["U"] += np.outer(grad_a, X[t - 1])
        grad_next = W.T @ grad_a
    grads["h0"] = grad_next
    return L, grads, grad_h


# ------------------------------------------------------------------ gated cells by hand
def lstm_parameters(net, layer=0):
    """The weights of layer `layer` of an nn.LSTM split by gate, in GBC's names:
    U_<gate> (input weights), W_<gate> (recurrent weights), b_<gate> (the sum of torch's two
    biases), for the gates i (input), f (forget), g (candidate cell) and o (output);
    torch stores them stacked in the order i, f, g, o."""
    weight_ih = getattr(net, f"weight_ih_l{layer}").detach()
    weight_hh = getattr(net, f"weight_hh_l{layer}").detach()
    bias = (getattr(net, f"bias_ih_l{layer}") + getattr(net, f"bias_hh_l{layer}")).detach()
    p = {}
    for k, gate in enumerate("ifgo"):
        rows = slice(k * net.hidden_size, (k + 1) * net.hidden_size)
        p[f"U_{gate}"], p[f"W_{gate}"], p[f"b_{gate}"] = weight_ih[rows], weight_hh[rows], bias[rows]
    return p


def lstm_step(x, h, c, p):
    """One LSTM step (GBC eq. 10.40-10.44, in torch's form) for x (N, n_in), h and c
    (N, n_h). Returns (h_new, c_new, gates) with gates = {"i", "f", "g", "o"}."""
    def affine(gate):
        return p[f"b_{gate}"] + x @ p[f"U_{gate}"].T + h @ p[f"W_{gate}"].T  # (N, n_h)

    f = torch.sigmoid(affine("f"))  # forget gate: how much of c(t-1) to keep
    i = torch.sigmoid(affine("i"))  # input gate: how much of the candidate to write
    g = torch.tanh(affine("g"))  # candidate cell value
    o = torch.sigmoid(affine("o"))  # output gate
    c_new = f * c + i * g  # the cell update C(t) = f ⊙ C(t-1) + i ⊙ C~(t)
    h_new = o * torch.tanh(c_new)
    return h_new, c_new, {"i": i, "f": f, "g": g, "o": o}


def gru_parameters(net, layer=0):
    """The weights of layer `layer` of an nn.GRU by gate: U_<gate>, W_<gate>, and the two
    biases bU_<gate>, bW_<gate> kept apart (the candidate needs them apart), for the gates
    r (reset), z (update) and n (candidate); torch stacks them in the order r, z, n."""
    weight_ih = getattr(net, f"weight_ih_l{layer}").detach()
    weight_hh = getattr(net, f"weight_hh_l{layer}").detach()
    bias_ih = getattr(net, f"bias_ih_l{layer}").detach()
    bias_hh = getattr(net, f"bias_hh_l{layer}").detach()
    p = {}
    for k, gate in enumerate("rzn"):
        rows = slice(k * net.hidden_size, (k + 1) * net.hidden_size)
        p[f"U_{gate}"], p[f"W_{gate}"] = weight_ih[rows], weight_hh[rows]
        p[f"bU_{gate}"], p[f"bW_{gate}"] = bias_ih[rows], bias_hh[rows]
    return p


def gru_step(x, h, p):
    """One GRU step in torch's form, for x (N, n_in), h (N, n_h). Returns (h_new, gates).

    r = σ(U_r x + W_r h + b_r), z = σ(U_z x + W_z h + b_z),
    n = tanh(U_n x + bU_n + r ⊙ (W_n h + bW_n)),   h_new = z ⊙ h + (1 - z) ⊙ n.
    (GBC eq. 10.45 applies r before W: W (r ⊙ h); torch applies it after the product.)"""
    def affine(gate):
        return x @ p[f"U_{gate}"].T + p[f"bU_{gate}"], h @ p[f"W_{gate}"].T + p[f"bW_{gate}"]

    r = torch.sigmoid(sum(affine("r")))  # reset gate
    z = torch.sigmoid(sum(affine("z")))  # update gate: how much of h(t-1) to keep
    from_x, from_h = affine("n")
    n = torch.tanh(from_x + r * from_h)  # candidate state
    h_new = z * h + (1 - z) * n
    return h_new, {"r": r, "z": z, "n": n}


def leaky_integrate(v, alpha, mu0=0.0):
    """The leaky unit mu(t) = alpha mu(t-1) + (1 - alpha) v(t) over a 1-D array v."""
    mu, out = mu0, np.zeros(len(v))
    for t, v_t in enumerate(v):
        mu = alpha * mu + (1 - alpha) * v_t
        out[t] = mu
    return out


# ------------------------------------------------------------------ trainable models
def count_parameters(net):
    """The number of trainable numbers in `net`."""
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


class SequenceNet(nn.Module):
    """Symbols (N, T) int64 (one-hot encoded inside) or real inputs (N, T, n_in) -> an RNN,
    GRU or LSTM (`cell`) -> a linear read-out. `readout="every"` gives logits (N, T, n_out)
    (a transducer), `readout="last"` gives (N, n_out) from the last state (an acceptor)."""

    def __init__(self, n_in, n_hidden, n_out, cell="gru", readout="every", num_layers=1,
                 bidirectional=False, one_hot=True, input_scale=1.0):
        super().__init__()
        self.n_in, self.one_hot, self.readout = n_in, one_hot, readout
        self.input_scale = input_scale  # one-hot vectors have this height
        self.rnn = CELLS[cell](n_in, n_hidden, num_layers=num_layers, batch_first=True,
                               bidirectional=bidirectional)
        self.out = nn.Linear(n_hidden * (2 if bidirectional else 1), n_out)

    def features(self, X):
        """The hidden states at every step, (N, T, n_hidden x directions)."""
        if self.one_hot:
            X = self.input_scale * F.one_hot(X, self.n_in).float()  # (N, T, n_in)
        H, _ = self.rnn(X)
        return H

    def encode(self, X):
        """The last hidden state of the last layer, (N, n_hidden): the encoder pattern."""
        return self.features(X)[:, -1]

    def forward(self, X):
        H = self.features(X)
        return self.out(H[:, -1] if self.readout == "last" else H)


class CharModel(nn.Module):
    """A character-level language model: embedding -> RNN/GRU/LSTM -> logits (N, T, V)
    over the next character. `forward(X, state)` returns (logits, state)."""

    def __init__(self, vocab_size, n_hidden=128, cell="lstm", n_embed=32, num_layers=1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, n_embed)
        self.rnn = CELLS[cell](n_embed, n_hidden, num_layers=num_layers, batch_first=True)
        self.out = nn.Linear(n_hidden, vocab_size)

    def forward(self, X, state=None):
        H, state = self.rnn(self.embed(X), state)  # (N, T, n_hidden)
        return self.out(H), state


def sequence_loss(y_hat, y):
    """Mean cross-entropy of logits y_hat (N, K) or (N, T, K) against labels y (N,) or (N, T)."""
    return F.cross_entropy(y_hat.reshape(-1, y_hat.shape[-1]), y.reshape(-1))  # (N*T, K)


def train_steps(net, make_batch, num_steps, lr=1e-2, clip=None, loss_fn=sequence_loss, seed=0):
    """Adam on `num_steps` batches (X, y) = make_batch(generator); returns the losses.
    `clip` rescales the gradient to at most that norm (GBC 10.11.1)."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    losses = []
    net.train()
    for _ in range(num_steps):
        X, y = make_batch(generator)
        loss = loss_fn(net(*X) if isinstance(X, tuple) else net(X), y)
        optimizer.zero_grad()
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(net.parameters(), clip)
        optimizer.step()
        losses.append(loss.item())
    net.eval()
    return losses


@torch.no_grad()
def accuracy(net, X, y):
    """Fraction of correct argmax predictions of `net` on X (per step for a transducer)."""
    net.eval()
    return (net(X).argmax(dim=-1) == y).float().mean().item()


# ------------------------------------------------------------------ drawing
def draw_unfolded_graph(ax, T=4):
    """Draw the folded RNN (left) and its graph unrolled over T steps (right) on `ax`:
    boxes x(t), h(t), o(t) and arrows labelled U (input), W (recurrent), V (output)."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    def box(x, y, text, color):
        ax.add_patch(FancyBboxPatch((x - 0.32, y - 0.22), 0.64, 0.44, boxstyle="round,pad=0.03",
                                    fc=color, ec="black", lw=1))
        ax.text(x, y, text, ha="center", va="center", fontsize=11)

    def arrow(p, q, label, rad=0.0, offset=(0.12, 0)):
        ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>", mutation_scale=12, lw=1.2,
                                     connectionstyle=f"arc3,rad={rad}", color="black"))
        ax.text((p[0] + q[0]) / 2 + offset[0], (p[1] + q[1]) / 2 + offset[1], label,
                fontsize=10, color="#D55E00")

    colors = {"x": "#E69F00", "h": "#56B4E9", "o": "#009E73"}
    box(0, 0, "$x$", colors["x"])
    box(0, 1.2, "$h$", colors["h"])
    box(0, 2.4, "$o$", colors["o"])
    arrow((0, 0.25), (0, 0.95), "U")
    arrow((0, 1.45), (0, 2.15), "V")
    ax.add_patch(FancyArrowPatch((0.33, 1.32), (0.33, 1.08), arrowstyle="-|>", mutation_scale=12,
                                 connectionstyle="arc3,rad=-2.5", lw=1.2))
    ax.text(0.75, 1.15, "W", fontsize=10, color="#D55E00")
    ax.text(1.55, 1.2, "unfold\n→", ha="center", va="center", fontsize=12)
    for t in range(1, T + 1):
        x0 = 2.3 + 1.3 * t
        box(x0, 0, f"$x^{{({t})}}$", colors["x"])
        box(x0, 1.2, f"$h^{{({t})}}$", colors["h"])
        box(x0, 2.4, f"$o^{{({t})}}$", colors["o"])
        arrow((x0, 0.25), (x0, 0.95), "U")
        arrow((x0, 1.45), (x0, 2.15), "V")
        arrow((x0 - 0.98, 1.2), (x0 - 0.34, 1.2), "W", offset=(-0.1, 0.1))
    box(2.3 + 0.3, 1.2, "$h^{(0)}$", "#DDDDDD")
    ax.set_xlim(-0.6, 2.3 + 1.3 * T + 0.6)
    ax.set_ylim(-0.5, 2.9)
    ax.set_aspect("equal")
    ax.axis("off")


# ------------------------------------------------------------------ conditioned and seq2seq models
class ContextGenerator(nn.Module):
    """An autoregressive GRU for real sequences s(1..T) given a context vector (N, n_context).

    mode "every step": the input at step t is [s(t-1), context]; "initial state":
    h(0) = tanh(A context + a) and the input is s(t-1) only; "none": no context at all.
    `forward(context, previous)` is teacher forcing: `previous` (N, T) holds the true
    s(t-1) (with s(0) = 0); `generate(context, T)` runs free, feeding back its own output."""

    MODES = ("every step", "initial state", "none")

    def __init__(self, mode, n_context=2, n_hidden=32):
        super().__init__()
        if mode not in self.MODES:
            raise ValueError(f"mode must be one of {self.MODES}, got {mode!r}")
        self.mode = mode
        self.rnn = nn.GRU(1 + (n_context if mode == "every step" else 0), n_hidden,
                          batch_first=True)
        self.init = nn.Linear(n_context, n_hidden)
        self.out = nn.Linear(n_hidden, 1)

    def _inputs(self, context, previous):
        X = previous[..., None]  # (N, T, 1)
        if self.mode == "every step":
            X = torch.cat([X, context[:, None].expand(-1, X.shape[1], -1)], dim=2)  # (N, T, 1 + n_context)
        return X

    def _h0(self, context):
        if self.mode == "initial state":
            return torch.tanh(self.init(context))[None]  # (1, N, n_hidden)
        return torch.zeros(1, len(context), self.rnn.hidden_size)

    def forward(self, context, previous):
        H, _ = self.rnn(self._inputs(context, previous), self._h0(context))
        return self.out(H)[..., 0]  # (N, T)

    @torch.no_grad()
    def generate(self, context, T):
        h, s, out = self._h0(context), torch.zeros(len(context), 1), []
        for _ in range(T):
            H, h = self.rnn(self._inputs(context, s), h)
            s = self.out(H)[..., 0]  # (N, 1): fed back as the next input
            out.append(s)
        return torch.cat(out, dim=1)  # (N, T)


class Seq2Seq(nn.Module):
    """A GRU encoder-decoder (GBC §10.4): the encoder's final state C is the decoder's
    h(0); the decoder reads the previous output symbol (teacher forcing in `forward`, its
    own greedy choice in `greedy`) and predicts the next one."""

    def __init__(self, vocab_size, n_hidden=64, n_embed=16):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, n_embed)
        self.encoder = nn.GRU(n_embed, n_hidden, batch_first=True)
        self.decoder = nn.GRU(n_embed, n_hidden, batch_first=True)
        self.out = nn.Linear(n_hidden, vocab_size)

    def encode(self, src):
        _, C = self.encoder(self.embed(src))  # (1, N, n_hidden): the context vector
        return C

    def forward(self, src, tgt_in):
        H, _ = self.decoder(self.embed(tgt_in), self.encode(src))  # (N, T_out, n_hidden)
        return self.out(H)  # (N, T_out, vocab)

    @torch.no_grad()
    def greedy(self, src, start, max_len):
        """Greedy decoding: at each step feed back the most probable symbol. (N, max_len)."""
        h = self.encode(src)
        y = torch.full((len(src), 1), start, dtype=torch.int64)
        out = []
        for _ in range(max_len):
            H, h = self.decoder(self.embed(y), h)
            y = self.out(H).argmax(dim=-1)  # (N, 1)
            out.append(y)
        return torch.cat(out, dim=1)


# ------------------------------------------------------------------ recursive networks
class TreeNet(nn.Module):
    """A recursive network (GBC §10.6) over binary trees with bit leaves: every leaf gets an
    embedding, every inner node h = tanh(W [h_left; h_right] + b) with ONE composition W
    shared by all nodes, and the root is read out by a linear layer.

    `shape="balanced"` pairs neighbours level by level (depth log2 n, n a power of 2);
    `shape="chain"` folds from the left, h = compose(h, leaf) (depth n - 1, like an RNN)."""

    def __init__(self, n_hidden=32, n_out=2):
        super().__init__()
        self.leaf = nn.Embedding(2, n_hidden)
        self.compose = nn.Linear(2 * n_hidden, n_hidden)
        self.out = nn.Linear(n_hidden, n_out)

    def node(self, left, right):
        return torch.tanh(self.compose(torch.cat([left, right], dim=-1)))

    def root(self, X, shape):
        H = self.leaf(X)  # (N, n, d)
        if shape == "balanced":
            while H.shape[1] > 1:
                if H.shape[1] % 2:
                    raise ValueError("balanced trees need a power-of-2 number of leaves")
                H = self.node(H[:, 0::2], H[:, 1::2])  # (N, n / 2, d): one level up
            return H[:, 0]
        h = H[:, 0]
        for k in range(1, H.shape[1]):
            h = self.node(h, H[:, k])
        return h

    def forward(self, X, shape="balanced"):
        return self.out(self.root(X, shape))


def tree_depth(n_leaves, shape):
    """Number of composition steps from a leaf to the root on the longest path."""
    return int(np.log2(n_leaves)) if shape == "balanced" else n_leaves - 1
