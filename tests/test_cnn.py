"""utils.cnn: loops against torch, the banded matrix, counts, gradients, networks, augmentation."""
import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from utils import cnn, metrics


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 20), k=st.integers(1, 3), seed=st.integers(0, 10**6))
def test_1d_loops_equal_torch_and_the_matrix(n, k, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(n), rng.standard_normal(k)
    torch_out = F.conv1d(torch.tensor(x).reshape(1, 1, n), torch.tensor(w).reshape(1, 1, k))[0, 0]
    assert np.allclose(cnn.correlate1d(x, w), torch_out.numpy())
    assert np.allclose(cnn.convolve1d(x, w), np.convolve(x, w, mode="valid"))
    assert np.allclose(cnn.conv_matrix_1d(n, w) @ x, cnn.correlate1d(x, w))


@settings(max_examples=40, deadline=None)
@given(h=st.integers(3, 9), w=st.integers(3, 9), seed=st.integers(0, 10**6))
def test_2d_loops_equal_torch(h, w, seed):
    rng = np.random.default_rng(seed)
    X, K = rng.standard_normal((h, w)), rng.standard_normal((3, 2))
    out = F.conv2d(torch.tensor(X).reshape(1, 1, h, w), torch.tensor(K).reshape(1, 1, 3, 2))[0, 0]
    assert np.allclose(cnn.correlate2d(X, K), out.numpy())
    flipped = F.conv2d(torch.tensor(X).reshape(1, 1, h, w),
                       torch.tensor(K[::-1, ::-1].copy()).reshape(1, 1, 3, 2))[0, 0]
    assert np.allclose(cnn.convolve2d(X, K), flipped.numpy())


def test_the_gbc_edge_example_and_the_28_by_28_counts():
    gbc = cnn.layer_counts(280, 320, 1, kw=2)  # GBC 9.2: kernel [-1, 1] on a 320×280 image
    assert gbc["convolutional"]["weights"] == 2
    assert gbc["convolutional"]["multiplications"] + 319 * 280 == 267_960  # plus one addition each
    assert gbc["dense"]["weights"] == 320 * 280 * 319 * 280
    c = cnn.layer_counts(28, 28, 3)
    assert c["dense"]["weights"] == 784 * 676 == 529_984
    assert c["locally connected"]["weights"] == 676 * 9 == 6_084
    assert c["convolutional"]["weights"] == 9
    assert c["tiled"]["weights"] == 4 * 9


def test_analytic_conv_gradients_equal_autograd():
    rng = np.random.default_rng(0)
    X, K, T = rng.standard_normal((5, 5)), rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    Xt = torch.tensor(X, requires_grad=True)
    Kt = torch.tensor(K, requires_grad=True)
    Y = F.conv2d(Xt.reshape(1, 1, 5, 5), Kt.reshape(1, 1, 3, 3))[0, 0]
    loss = 0.5 * ((Y - torch.tensor(T)) ** 2).sum()
    loss.backward()
    dY = cnn.correlate2d(X, K) - T
    dK, dX = cnn.conv2d_grads(X, K, dY)
    assert np.allclose(dK, Kt.grad.numpy()) and np.allclose(dX, Xt.grad.numpy())
    numeric = cnn.numerical_gradient(lambda k: 0.5 * ((cnn.correlate2d(X, k) - T) ** 2).sum(), K)
    assert np.abs(numeric - dK).max() < 1e-6


def test_network_sizes():
    assert cnn.count_parameters(cnn.lenet5()) == 61_706
    assert cnn.lenet5()(torch.zeros(2, 1, 32, 32)).shape == (2, 10)
    net = cnn.make_cnn(8, 16, 32, dropout=0.5, batch_norm=True)
    assert net(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert cnn.count_parameters(cnn.make_mlp(300)) == 784 * 300 + 300 + 3010


def test_pool_first_is_the_same_function_without_batch_norm():
    torch.manual_seed(0)
    late, early = cnn.make_cnn(4, 8, 16), cnn.make_cnn(4, 8, 16, pool_first=True)
    early.load_state_dict(late.state_dict())  # the same layers, only their order differs
    X = torch.randn(5, 1, 28, 28)
    assert torch.allclose(late(X), early(X), atol=1e-6)
    with_bn = cnn.make_cnn(4, 8, 16, batch_norm=True, pool_first=True)
    kinds = [type(m).__name__ for m in with_bn[:4]]
    assert kinds == ["Conv2d", "MaxPool2d", "BatchNorm2d", "ReLU"]
    assert with_bn(X).shape == (5, 10)
    assert cnn.count_parameters(with_bn) == cnn.count_parameters(cnn.make_cnn(4, 8, 16, batch_norm=True))


def test_receptive_field():
    assert cnn.receptive_field(4, 3, [1, 2, 4, 8]) == 31
    assert cnn.receptive_field(3, 5) == 13


def test_random_shift_moves_each_image_by_at_most_max_shift():
    X = torch.zeros(50, 1, 9, 9)
    X[:, 0, 4, 4] = 1.0
    g = torch.Generator().manual_seed(0)
    Y = cnn.random_shift(X, 2, generator=g)
    assert Y.shape == X.shape and torch.all(Y.sum((1, 2, 3)) == 1)
    rows, cols = torch.nonzero(Y[:, 0], as_tuple=True)[1:]
    assert rows.min() >= 2 and rows.max() <= 6 and cols.min() >= 2 and cols.max() <= 6
    assert len(set(zip(rows.tolist(), cols.tolist()))) > 5  # offsets differ
    assert torch.equal(cnn.random_shift(X, 0), X)


def test_random_flip_mirrors_about_half():
    X = torch.arange(100 * 4, dtype=torch.float32).reshape(100, 1, 1, 4)
    Y = cnn.random_flip(X, generator=torch.Generator().manual_seed(0))
    flipped = (Y != X).any(dim=(1, 2, 3))
    assert torch.equal(Y[flipped], X[flipped].flip(-1)) and 30 < int(flipped.sum()) < 70


def test_augment_layer_is_off_in_eval_mode():
    layer = cnn.Augment(2, True)
    X = torch.rand(8, 1, 6, 6)
    layer.eval()
    assert torch.equal(layer(X), X)
    layer.train()
    assert not torch.equal(layer(X), X)


def test_confusion_matrix_and_predict():
    y = torch.tensor([0, 1, 1, 2])
    y_hat = torch.tensor([0, 2, 1, 2])
    C = metrics.confusion_matrix(y, y_hat, labels=range(3))
    assert C.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 10))
    assert cnn.predict(net, torch.zeros(2500, 1, 2, 2)).shape == (2500, 10)


def test_zoo_parameter_counts_on_the_meta_device():
    with torch.device("meta"):
        alex, vgg = cnn.alexnet(), cnn.vgg16()
    assert cnn.count_parameters(alex) == 61_100_840 and cnn.weight_layers(alex) == 8
    assert cnn.count_parameters(vgg) == 138_357_544 and cnn.weight_layers(vgg) == 16
    assert cnn.weight_layers(cnn.lenet5()) == 5
    assert cnn.alexnet()(torch.zeros(1, 3, 224, 224)).shape == (1, 1000)
