"""utils.autoencoders: PCA and principal angles, penalties against autograd, noise, VAE terms."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from utils import autoencoders as A


def test_principal_angles_of_known_subspaces():
    P = torch.tensor([[1.0, 0], [0, 1], [0, 0]])
    assert torch.allclose(A.principal_angles(P, P @ torch.tensor([[2.0, 1], [1, 3]])),
                          torch.zeros(2), atol=1e-3)
    angles = A.principal_angles(P, torch.tensor([[1.0, 0], [0, 1], [0, 1]]))
    assert torch.allclose(angles, torch.tensor([0.0, 45.0]), atol=1e-3)


def test_pca_is_the_best_rank_k_reconstruction_and_matches_sklearn_error():
    from sklearn.decomposition import PCA
    X = torch.randn(300, 10) @ torch.randn(10, 10)
    mean, C = A.pca_fit(X, 3)
    error = ((A.pca_reconstruct(X, mean, C) - X) ** 2).mean().item()
    sk = PCA(3).fit(X.numpy())
    X_sk = sk.inverse_transform(sk.transform(X.numpy()))
    assert math.isclose(error, float(((X_sk - X.numpy()) ** 2).mean()), rel_tol=1e-4)
    assert error < ((A.pca_reconstruct(X, mean, C[:2]) - X) ** 2).mean().item()


def test_contractive_closed_form_equals_autograd():
    torch.manual_seed(0)
    encoder = nn.Sequential(nn.Linear(7, 5), nn.Sigmoid())
    X = torch.rand(9, 7)
    closed = A.contractive_penalty(encoder(X), encoder[0].weight).item()
    auto = A.jacobian_frobenius_sq(encoder, X).mean().item()
    assert math.isclose(closed, auto, rel_tol=1e-5)


def test_kl_sparsity_is_zero_on_target_and_positive_elsewhere():
    assert abs(A.kl_sparsity_penalty(torch.full((4, 3), 0.05), 0.05).item()) < 1e-6
    assert A.kl_sparsity_penalty(torch.full((4, 3), 0.5), 0.05).item() > 0.5
    assert math.isclose(A.l1_penalty(torch.tensor([[1.0, -2.0], [0.0, 3.0]]), 0.1).item(), 0.3,
                        rel_tol=1e-6)


def test_noise_kinds():
    X = torch.full((200, 50), 0.5)
    g = torch.Generator().manual_seed(0)
    assert A.add_noise(X, "gaussian", 0.3, g).min() >= 0
    masked = A.add_noise(X, "masking", 0.3, g)
    assert 0.25 < (masked == 0).float().mean() < 0.35
    sp = A.add_noise(X, "salt and pepper", 0.4, g)
    assert 0.15 < (sp == 1).float().mean() < 0.25 and 0.15 < (sp == 0).float().mean() < 0.25
    try:
        A.add_noise(X, "pink", 0.1)
    except ValueError:
        pass
    else:
        raise AssertionError("unknown noise kind accepted")


def test_gaussian_kl_matches_torch_distributions():
    mu, log_var = torch.randn(6, 3), torch.randn(6, 3)
    q = torch.distributions.Normal(mu, (0.5 * log_var).exp())
    p = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
    expected = torch.distributions.kl_divergence(q, p).sum(1)
    assert torch.allclose(A.gaussian_kl(mu, log_var), expected, atol=1e-5)


def test_vae_trains_and_its_elbo_terms_are_consistent():
    torch.manual_seed(0)
    X = (torch.rand(256, 784) < 0.2).float()
    vae = A.VAE(latent_dim=2, hidden=32)
    before = sum(A.vae_terms(vae, X))
    history = A.train_vae(vae, X, num_epochs=5, batch_size=64, lr=3e-3)
    after = sum(A.vae_terms(vae, X))
    assert after < before and len(history) == 5
    logits, mu, log_var = vae(X[:4])
    rec, kl = A.elbo_terms(vae, X[:4])
    assert rec.shape == kl.shape == (4,) and (kl >= 0).all()


def test_autoencoder_training_lowers_error_and_frechet_distance():
    torch.manual_seed(0)
    X = torch.rand(200, 20) * torch.linspace(0, 1, 20)
    net = A.mlp_autoencoder(4, n_in=20, hidden=(16,))
    before = A.reconstruction_error(net, X)
    A.train_autoencoder(net, X, num_epochs=20, batch_size=32, lr=1e-2)
    assert A.reconstruction_error(net, X) < 0.5 * before
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2000, 3)), rng.normal(size=(2000, 3))
    assert A.frechet_distance(a, b) < 0.05
    assert abs(A.frechet_distance(a, b + 2) - 12) < 0.5
