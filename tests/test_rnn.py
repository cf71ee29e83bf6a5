"""utils.rnn and utils.sequences: the hand-written cells against torch, BPTT against
autograd, and the data generators."""
import numpy as np
import pytest
import torch
from torch import nn

from utils import rnn, sequences as seq


def test_rnn_loop_equals_nn_rnn():
    g = torch.Generator().manual_seed(0)
    U, W, b = torch.randn(5, 3, generator=g), 0.5 * torch.randn(5, 5, generator=g), torch.randn(5, generator=g)
    X, h0 = torch.randn(8, 4, 3, generator=g), torch.randn(4, 5, generator=g)
    H = rnn.rnn_forward(X, h0, U, W, b)
    H_torch, _ = rnn.nn_rnn_from(U, W, b)(X, h0[None])
    assert H.shape == (8, 4, 5)
    torch.testing.assert_close(H, H_torch, atol=1e-6, rtol=1e-5)
    W_wrong = W + 0.1
    assert not torch.allclose(rnn.rnn_forward(X, h0, U, W_wrong, b), H_torch, atol=1e-3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bptt_equals_autograd(seed):
    rng = np.random.default_rng(seed)
    n_in, n_h, K, T = 2, 3, 4, 7
    p = {"U": rng.normal(size=(n_h, n_in)), "W": rng.normal(size=(n_h, n_h)), "b": rng.normal(size=n_h),
         "V": rng.normal(size=(K, n_h)), "c": rng.normal(size=K), "h0": rng.normal(size=n_h)}
    X, y = rng.normal(size=(T, n_in)), rng.integers(0, K, T)
    L, grads, grad_h = rnn.bptt(X, y, p["h0"], p["U"], p["W"], p["b"], p["V"], p["c"])
    t = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    h, loss, hs = t["h0"], 0, []
    for step in range(T):
        h = torch.tanh(t["b"] + t["W"] @ h + t["U"] @ torch.tensor(X[step]))
        h.retain_grad()
        hs.append(h)
        loss = loss - torch.log_softmax(t["c"] + t["V"] @ h, 0)[y[step]]
    loss.backward()
    assert abs(L - loss.item()) < 1e-10
    for k in t:
        assert np.abs(grads[k] - t[k].grad.numpy()).max() < 1e-10
    assert np.abs(grad_h - np.stack([h.grad.numpy() for h in hs])).max() < 1e-10


def test_lstm_and_gru_steps_equal_torch():
    torch.manual_seed(0)
    X = torch.randn(3, 6, 4)
    lstm, gru = nn.LSTM(4, 5, batch_first=True), nn.GRU(4, 5, batch_first=True)
    H_l, (_, c_last) = lstm(X)
    H_g, _ = gru(X)
    p_l, p_g = rnn.lstm_parameters(lstm), rnn.gru_parameters(gru)
    h, c, hg = torch.zeros(3, 5), torch.zeros(3, 5), torch.zeros(3, 5)
    for t in range(6):
        h, c, gates = rnn.lstm_step(X[:, t], h, c, p_l)
        hg, ggates = rnn.gru_step(X[:, t], hg, p_g)
        torch.testing.assert_close(h, H_l[:, t], atol=1e-6, rtol=1e-5)
        torch.testing.assert_close(hg, H_g[:, t], atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(c, c_last[0], atol=1e-6, rtol=1e-5)
    assert all(((g > 0) & (g < 1)).all() for k, g in gates.items() if k != "g")
    assert set(ggates) == {"r", "z", "n"}


def test_leaky_integrate_time_constant():
    pulse = np.zeros(300)
    pulse[0] = 1
    out = rnn.leaky_integrate(pulse, 0.95)
    np.testing.assert_allclose(out[:3], 0.05 * 0.95 ** np.arange(3))
    assert np.argmax(out < out[0] / np.e) == 20


def test_sequence_net_shapes_and_parameters():
    net = rnn.SequenceNet(4, 8, 3, "gru", readout="every", bidirectional=True)
    X = torch.randint(0, 4, (5, 7))
    assert net(X).shape == (5, 7, 3)
    assert rnn.SequenceNet(4, 8, 3, "lstm", readout="last")(X).shape == (5, 3)
    assert rnn.count_parameters(nn.GRU(4, 8)) == 3 * (8 * 4 + 8 * 8 + 2 * 8)


def test_train_steps_learns_and_is_seeded():
    def batch(g):
        return seq.two_back(32, 10, 3, g)
    losses = []
    for _ in range(2):
        torch.manual_seed(0)
        net = rnn.SequenceNet(3, 16, 2, "gru")
        losses.append(rnn.train_steps(net, batch, 150, lr=1e-2, clip=1.0))
    assert losses[0] == losses[1]
    assert np.mean(losses[0][-10:]) < 0.5 * np.mean(losses[0][:10])


def test_seq2seq_and_context_generator_shapes():
    src, tgt_in, tgt_out, lengths = seq.reverse_task(6, 2, 5, torch.Generator().manual_seed(0), width=7)
    net = rnn.Seq2Seq(seq.SEQ2SEQ_VOCAB, 16)
    assert net(src, tgt_in).shape == (6, 8, seq.SEQ2SEQ_VOCAB)
    assert net.greedy(src, seq.START, 8).shape == (6, 8)
    for mode in rnn.ContextGenerator.MODES:
        gen = rnn.ContextGenerator(mode)
        assert gen(torch.rand(3, 2), torch.rand(3, 9)).shape == (3, 9)
        assert gen.generate(torch.rand(3, 2), 9).shape == (3, 9)
    with pytest.raises(ValueError):
        rnn.ContextGenerator("sideways")


def test_tree_net_shapes():
    net = rnn.TreeNet(8)
    X = torch.randint(0, 2, (4, 8))
    assert net(X, "balanced").shape == (4, 2) and net(X, "chain").shape == (4, 2)
    assert rnn.tree_depth(32, "balanced") == 5 and rnn.tree_depth(32, "chain") == 31
    with pytest.raises(ValueError):
        net(torch.randint(0, 2, (4, 6)), "balanced")


# ------------------------------------------------------------------ sequences
def test_binary_strings_balanced_and_labelled():
    X, y = seq.binary_strings(501, 12, (1, 0, 1), torch.Generator().manual_seed(0))
    assert X.shape == (501, 12) and int(y.sum()) == 250
    for row, label in zip(X.tolist(), y.tolist()):
        assert seq.contains("".join(map(str, row))) == bool(label)


def test_task_labels():
    g = torch.Generator().manual_seed(0)
    X, y = seq.two_back(10, 8, 3, g)
    assert (y[:, 2:] == (X[:, 2:] == X[:, :-2]).long()).all() and (y[:, :2] == 0).all()
    X, y = seq.lookahead(10, 8, 4, 2, g)
    assert (y[:, :6] == X[:, 2:]).all()
    X, y = seq.lag_task(10, 5, 4, num_distractors=4, generator=g)
    assert X.shape == (10, 6) and (X[:, 0] == y).all() and (X[:, 1:] >= 4).all() and (X[:, 1:] < 8).all()


def test_reverse_task():
    src, tgt_in, tgt_out, lengths = seq.reverse_task(50, 2, 6, torch.Generator().manual_seed(1), width=8)
    for s, ti, to, n in zip(src.tolist(), tgt_in.tolist(), tgt_out.tolist(), lengths.tolist()):
        assert s[n:] == [seq.PAD] * (8 - n)
        assert to[:n] == s[:n][::-1] and to[n] == seq.END
        assert ti[0] == seq.START and ti[1:n + 1] == to[:n]
    with pytest.raises(ValueError):
        seq.reverse_task(3, 5, 4)


def test_vocab_ngrams_and_windows():
    text = "abracadabra" * 20
    vocab = seq.CharVocab(text)
    ids = vocab.encode(text)
    assert vocab.decode(ids) == text and vocab.unknown("abz!") == ["!", "z"]
    V = len(vocab)
    uni = seq.ngram_loss(ids, ids, V, 1)
    bi = seq.ngram_loss(ids, ids, V, 2)
    assert bi < uni < np.log(V) + 1e-9
    counts = seq.ngram_counts(ids, V, 1).numpy()
    p = (counts + 1) / (counts + 1).sum()
    np.testing.assert_allclose(uni, -np.log(p[ids.numpy()]).mean())
    X, Y = seq.random_windows(ids, 4, 6, torch.Generator().manual_seed(0))
    assert X.shape == Y.shape == (4, 6) and (X[:, 1:] == Y[:, :-1]).all()
    assert abs(seq.bits(np.log(2)) - 1) < 1e-12


def test_char_model_sampling_and_evaluation():
    vocab = seq.CharVocab("abc \n")
    torch.manual_seed(0)
    net = rnn.CharModel(len(vocab), 16, "gru")
    text = seq.sample(net, vocab, "ab", 20, 0.7, torch.Generator().manual_seed(0))
    assert text.startswith("ab") and len(text) == 22 and not vocab.unknown(text)
    p = seq.next_char_probabilities(net, vocab, "ab", 0.5)
    assert abs(p.sum().item() - 1) < 1e-5
    hot = seq.entropy_bits(seq.next_char_probabilities(net, vocab, "ab", 2.0))
    assert hot > seq.entropy_bits(p)
    ids = vocab.encode("abc ab\nca" * 30)
    loss = seq.evaluate_lm(net, ids, seq_len=16)
    assert abs(loss - np.log(len(vocab))) < 0.5


@pytest.mark.parametrize("module_name", ["rnn_gradients", "lstm_cell", "char_sampling"])
def test_demo_standalone_first_control_is_a_slider_redrawing_an_image(module_name):
    """What the real-browser test relies on: `demo()` works with no arguments, its first
    control is a slider, and moving it one step redraws an ipywidgets.Image."""
    import importlib

    import ipywidgets as widgets

    module = importlib.import_module(f"utils.demos.{module_name}")
    demo = module.demo()
    first = next(iter(demo.controls.values()))
    assert isinstance(first, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider))
    assert isinstance(demo.view.image, widgets.Image)
    before = bytes(demo.view.image.value)
    step = first.step if not isinstance(first, widgets.FloatLogSlider) else 0
    if isinstance(first, widgets.FloatLogSlider):  # one step of the exponent
        first.value = first.base ** (np.log(first.value) / np.log(first.base) + first.step)
    else:
        first.value = min(first.max, first.value + step) if first.value < first.max else first.value - step
    assert bytes(demo.view.image.value) != before
