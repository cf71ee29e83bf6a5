import math

import torch
from torch import nn

from utils import training


def blobs(n=400, seed=0):
    """Two well separated Gaussian blobs in 2-D: a problem any classifier should solve."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    X = torch.randn(n, 2, generator=g) + 4 * y[:, None].float() - 2  # (n, 2)
    return X, y


def test_set_seed_repeats_random_numbers():
    training.set_seed(3)
    a = torch.rand(5)
    training.set_seed(3)
    assert torch.equal(a, torch.rand(5))


def test_batches_cover_every_index_once():
    for shuffle in (False, True):
        idx = torch.cat(list(training.batches(10, 3, shuffle=shuffle)))
        assert sorted(idx.tolist()) == list(range(10))
    sizes = [len(b) for b in training.batches(10, 3)]
    assert sizes == [3, 3, 3, 1]


def test_accuracy_uses_argmax():
    y_hat = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 1.0]])
    assert abs(training.accuracy(y_hat, torch.tensor([0, 1, 1])) - 2 / 3) < 1e-6


def test_fit_learns_and_records_history():
    X, y = blobs()
    training.set_seed(0)
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    history = training.fit(net, nn.CrossEntropyLoss(), optimizer, X[:300], y[:300],
                           X[300:], y[300:], num_epochs=5, batch_size=32, progress=False)
    assert len(history["train_loss"]) == len(history["val_acc"]) == 5
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["val_acc"][-1] > 0.95
    assert history["diverged"] is False


def test_fit_is_repeatable_with_the_same_seed():
    X, y = blobs()
    runs = []
    for _ in range(2):
        training.set_seed(1)
        net = nn.Linear(2, 2)
        history = training.fit(net, nn.CrossEntropyLoss(),
                               torch.optim.SGD(net.parameters(), lr=0.05), X, y,
                               num_epochs=2, batch_size=50, seed=1, progress=False)
        runs.append(history["train_loss"])
    assert runs[0] == runs[1]


def test_fit_stops_when_the_loss_diverges(capsys):
    X, y = blobs()
    X = X * 1e30  # huge inputs and a huge learning rate overflow within a few steps
    net = nn.Linear(2, 2)
    history = training.fit(net, nn.CrossEntropyLoss(),
                           torch.optim.SGD(net.parameters(), lr=1e30), X, y,
                           num_epochs=5, batch_size=50, progress=False)
    assert history["diverged"] is True
    assert len(history["train_loss"]) < 5
    assert "NaN" in capsys.readouterr().out


def test_evaluate_matches_a_single_full_batch():
    X, y = blobs(n=250)
    net = nn.Linear(2, 2)
    loss_fn = nn.CrossEntropyLoss()
    loss, acc = training.evaluate(net, loss_fn, X, y, batch_size=64)
    with torch.no_grad():
        y_hat = net(X)
    assert math.isclose(loss, loss_fn(y_hat, y).item(), rel_tol=1e-5)
    assert math.isclose(acc, training.accuracy(y_hat, y), rel_tol=1e-6)


def test_get_device_is_usable():
    device = training.get_device()
    assert torch.zeros(1, device=device).device.type == device.type
