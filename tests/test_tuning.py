"""utils.tuning: several seeds trained at once equal separate runs."""
import numpy as np
import pytest
import torch
from torch import nn

from utils.tuning import SeedMLP, _seed_loss, evaluate_seeds, fit_seeds


@pytest.mark.parametrize("batch_norm", [False, True])
def test_seed_mlp_trains_like_separate_models(batch_norm):
    X = torch.randn(2, 16, 20)  # (S, B, n_in)
    y = torch.randint(0, 10, (2, 16))  # (S, B)
    net = SeedMLP([8, 6], seeds=(3, 5), batch_norm=batch_norm, n_in=20)
    optimizer = torch.optim.Adam(net.parameters(), 1e-2)
    plains = []
    for seed in (3, 5):
        torch.manual_seed(seed)
        plains.append(net.as_sequential())
    plain_optimizers = [torch.optim.Adam(p.parameters(), 1e-2) for p in plains]
    for _ in range(3):
        net.train()
        loss = _seed_loss(net(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        for k, (plain, opt) in enumerate(zip(plains, plain_optimizers)):
            plain.train()
            plain_loss = nn.functional.cross_entropy(plain(X[k]), y[k])
            opt.zero_grad()
            plain_loss.backward()
            opt.step()
    net.eval()
    out = net(X)
    for k, plain in enumerate(plains):
        plain.eval()
        assert torch.allclose(out[k], plain(X[k]), atol=1e-5)


def test_seed_mlp_parameter_count_matches_plain_model():
    net = SeedMLP([512, 128, 64], [0.5, 0.5, 0.0], seeds=(0, 1, 2), batch_norm=True)
    plain = net.as_sequential()
    assert sum(p.numel() for p in net.parameters()) == 3 * sum(p.numel() for p in plain.parameters())


def test_evaluate_seeds_shapes_and_dropout_mode():
    torch.manual_seed(0)
    X, y = torch.rand(300, 784), torch.randint(0, 10, (300,))
    net = SeedMLP([32], [0.9], seeds=(0, 1))
    loss_eval, acc_eval = evaluate_seeds(net, X, y, batch_size=128)
    assert loss_eval.shape == acc_eval.shape == (2,)
    loss_a, _ = evaluate_seeds(net, X, y)
    assert np.allclose(loss_eval, loss_a, atol=1e-6)  # evaluation mode is deterministic
    loss_on, _ = evaluate_seeds(net, X, y, train_mode=True)
    assert not np.allclose(loss_eval, loss_on)  # dropout on changes the loss


def test_fit_seeds_learns_and_reports_every_epoch():
    g = torch.Generator().manual_seed(0)
    X = torch.rand(400, 784, generator=g)
    y = (X[:, 0] > 0.5).long()  # a learnable rule
    seen = []
    history = fit_seeds(SeedMLP([16], seeds=(0, 1)), X[:300], y[:300], X[300:], y[300:],
                        num_epochs=4, batch_size=50, lr=3e-3, n_train_eval=100, on_epoch=seen.append)
    assert seen == [1, 2, 3, 4]
    assert set(history) == {"train_loss", "train_acc", "val_loss", "val_acc"}
    assert all(v.shape == (2, 4) for v in history.values())
    assert (history["train_loss"][:, -1] < history["train_loss"][:, 0]).all()
