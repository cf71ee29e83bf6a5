"""Autoencoders and VAEs for Unit V: small MLP models, their losses and the tools to measure them.

- `Autoencoder(encoder, decoder)`, `mlp_autoencoder(...)`, `linear_autoencoder(...)`;
- `train_autoencoder`: mini-batch training with optional input corruption (denoising) and
  a penalty on the code (sparse, contractive); `reconstruction_error`;
- PCA (`pca_fit`, `pca_reconstruct`) and `principal_angles` between two subspaces;
- regularisers: `l1_penalty`, `kl_sparsity_penalty`, `contractive_penalty` (closed form for
  a sigmoid encoder layer) and `jacobian_frobenius_sq` (the same by autograd);
- `add_noise`: Gaussian, masking and salt-and-pepper corruption;
- `VAE`, `gaussian_kl`, `elbo_terms`, `train_vae`;
- `train_mlp_gan` (a small image GAN, for the VAE/GAN comparison) and `frechet_distance`.

Images are flat rows X (N, 784) with pixels in [0, 1]; codes are h (N, k).
"""
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from utils.training import batches, set_seed


# ----------------------------------------------------------------------------- models
class Autoencoder(nn.Module):
    """x -> h = encoder(x) -> x_hat = decoder(h)."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, X):
        return self.decoder(self.encoder(X))


def mlp_autoencoder(code_size, n_in=784, hidden=(256,), code_activation=None,
                    out_activation="sigmoid"):
    """A ReLU MLP autoencoder n_in -> hidden... -> code_size -> ...hidden -> n_in.

    code_activation: None (linear code), "relu" or "sigmoid"; out_activation: "sigmoid"
    (pixels in [0, 1]) or None."""
    sizes = [n_in, *hidden, code_size]
    enc = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        enc += [nn.Linear(a, b), nn.ReLU()]
    enc = enc[:-1]  # no ReLU after the code layer by default
    if code_activation == "relu":
        enc.append(nn.ReLU())
    elif code_activation == "sigmoid":
        enc.append(nn.Sigmoid())
    dec = []
    back = sizes[::-1]
    for a, b in zip(back[:-1], back[1:]):
        dec += [nn.Linear(a, b), nn.ReLU()]
    dec = dec[:-1]
    if out_activation == "sigmoid":
        dec.append(nn.Sigmoid())
    return Autoencoder(nn.Sequential(*enc), nn.Sequential(*dec))


def linear_autoencoder(code_size, n_in=784):
    """h = W x + b, x_hat = V h + c: no non-linearity anywhere."""
    return Autoencoder(nn.Linear(n_in, code_size), nn.Linear(code_size, n_in))


def train_autoencoder(net, X, num_epochs=10, batch_size=128, lr=1e-3, loss_fn=None,
                      penalty=None, corrupt=None, seed=0):
    """Train net to reconstruct X (N, d). Per batch the loss is
    loss_fn(decoder(h), X_b) + penalty(h, X_in, net), with h = encoder(X_in) and
    X_in = corrupt(X_b, generator) (denoising) or X_b. Returns the mean loss per epoch."""
    loss_fn = loss_fn or F.mse_loss
    set_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    history = []
    for _ in range(num_epochs):
        total = 0.0
        for idx in batches(len(X), batch_size, shuffle=True, generator=generator):
            X_b = X[idx]
            X_in = corrupt(X_b, generator) if corrupt is not None else X_b
            if penalty is not None:
                X_in = X_in.requires_grad_()  # a contractive penalty differentiates by x
            h = net.encoder(X_in)
            loss = loss_fn(net.decoder(h), X_b)
            if penalty is not None:
                loss = loss + penalty(h, X_in, net)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        history.append(total / len(X))
    return history


@torch.no_grad()
def reconstruct(net, X, batch_size=1000):
    """net(X) in batches (bounded memory)."""
    net.eval()
    out = torch.cat([net(X[idx]) for idx in batches(len(X), batch_size)])
    net.train()
    return out


@torch.no_grad()
def encode(net, X, batch_size=1000):
    """net.encoder(X) in batches."""
    net.eval()
    out = torch.cat([net.encoder(X[idx]) for idx in batches(len(X), batch_size)])
    net.train()
    return out


def reconstruction_error(net, X, target=None, kind="mse"):
    """Mean per-pixel squared (kind "mse") or absolute ("mae") error of net(X) against
    target (default X)."""
    target = X if target is None else target
    diff = reconstruct(net, X) - target
    return (diff ** 2).mean().item() if kind == "mse" else diff.abs().mean().item()


# -------------------------------------------------------------------------------- PCA
def pca_fit(X, k):
    """Mean (d,) and the top-k principal directions (k, d) of X (N, d), by SVD."""
    mean = X.mean(0)
    _, _, Vh = torch.linalg.svd(X - mean, full_matrices=False)  # Vh (min(N, d), d)
    return mean, Vh[:k]


def pca_reconstruct(X, mean, components):
    """Project X onto the principal subspace and back: (N, d)."""
    codes = (X - mean) @ components.T  # (N, k)
    return codes @ components + mean


def principal_angles(A, B):
    """Principal angles in degrees between the column spaces of A (d, k) and B (d, m),
    smallest first. 0 everywhere means the two spans are the same subspace."""
    Qa, _ = torch.linalg.qr(A.double())
    Qb, _ = torch.linalg.qr(B.double())
    cosines = torch.linalg.svdvals(Qa.T @ Qb).clamp(-1, 1)
    return torch.rad2deg(torch.arccos(cosines)).float()


# ------------------------------------------------------------------------ regularisers
def l1_penalty(h, lam):
    """lam * sum_i |h_i|, averaged over the batch (Keras' activity_regularizer=l1(lam))."""
    return lam * h.abs().sum(1).mean()


def kl_sparsity_penalty(h, rho=0.05, eps=1e-6):
    """sum_j KL(Bernoulli(rho) || Bernoulli(rho_hat_j)), rho_hat_j = mean activation of
    unit j over the batch; h (N, k) must lie in (0, 1) (a sigmoid code)."""
    rho_hat = h.mean(0).clamp(eps, 1 - eps)  # (k,)
    return (rho * torch.log(rho / rho_hat)
            + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))).sum()


def contractive_penalty(h, W):
    """||J_f(x)||_F^2 for a sigmoid layer h = sigmoid(W x + b), averaged over the batch:
    sum_j (h_j (1 - h_j))^2 sum_i W_ji^2 (GBC 14.2.3)."""
    return ((h * (1 - h)) ** 2 @ (W ** 2).sum(1)).mean()


def jacobian_frobenius_sq(encoder, X):
    """||d encoder(x) / dx||_F^2 for each row x of X by autograd (one backward pass per
    code unit): (N,)."""
    X = X.clone().requires_grad_()
    h = encoder(X)  # (N, k)
    total = torch.zeros(len(X))
    for j in range(h.shape[1]):
        (grad,) = torch.autograd.grad(h[:, j].sum(), X, retain_graph=True)  # (N, d)
        total += (grad ** 2).sum(1)
    return total.detach()


NOISE_KINDS = ("gaussian", "masking", "salt and pepper")


def add_noise(X, kind="gaussian", level=0.3, generator=None):
    """Corrupt X in [0, 1]: "gaussian" adds N(0, level^2) and clips; "masking" sets a
    fraction `level` of the pixels to 0; "salt and pepper" sets a fraction `level` to 0 or 1."""
    if kind == "gaussian":
        noise = torch.randn(X.shape, generator=generator)
        return (X + level * noise).clamp(0, 1)
    u = torch.rand(X.shape, generator=generator)
    if kind == "masking":
        return torch.where(u < level, torch.zeros_like(X), X)
    if kind == "salt and pepper":
        salt = torch.rand(X.shape, generator=generator) < 0.5
        return torch.where(u < level, salt.float(), X)
    raise ValueError(f"kind must be one of {NOISE_KINDS}, got {kind!r}")


# -------------------------------------------------------------------------------- VAE
class VAE(nn.Module):
    """Gaussian encoder q(z|x) = N(mu(x), diag sigma^2(x)), Bernoulli decoder p(x|z) with
    logits decoder(z), prior p(z) = N(0, I)."""

    def __init__(self, latent_dim=2, n_in=784, hidden=256):
        super().__init__()
        self.latent_dim = latent_dim
        self.body = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU())
        self.mu = nn.Linear(hidden, latent_dim)
        self.log_var = nn.Linear(hidden, latent_dim)
        self.decoder = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(),
                                     nn.Linear(hidden, n_in))  # logits of p(x|z)

    def encode(self, X):
        """mu (N, L) and log sigma^2 (N, L) of q(z|x)."""
        a = self.body(X)
        return self.mu(a), self.log_var(a)

    def sample_z(self, mu, log_var):
        """Reparameterisation: z = mu + sigma * eps, eps ~ N(0, I)."""
        eps = torch.randn_like(mu)
        return mu + torch.exp(0.5 * log_var) * eps

    def forward(self, X):
        mu, log_var = self.encode(X)
        return self.decoder(self.sample_z(mu, log_var)), mu, log_var

    @torch.no_grad()
    def decode(self, z):
        """Mean image E[x|z] = sigmoid(logits): (N, 784)."""
        return torch.sigmoid(self.decoder(z))


def gaussian_kl(mu, log_var):
    """KL(N(mu, diag sigma^2) || N(0, I)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1): (N,)."""
    return 0.5 * (mu ** 2 + log_var.exp() - log_var - 1).sum(1)


def elbo_terms(vae, X):
    """One-sample estimates per image: reconstruction term -log p(x|z) (Bernoulli, summed
    over pixels) and KL(q(z|x) || p(z)); both (N,). ELBO = -(reconstruction + KL)."""
    logits, mu, log_var = vae(X)
    reconstruction = F.binary_cross_entropy_with_logits(logits, X, reduction="none").sum(1)
    return reconstruction, gaussian_kl(mu, log_var)


def train_vae(vae, X, num_epochs=10, batch_size=128, lr=1e-3, beta=1.0, seed=0):
    """Minimise the mean of reconstruction + beta * KL (beta = 1: the negative ELBO).
    Returns (reconstruction, KL) per epoch, means per image."""
    set_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(vae.parameters(), lr=lr)
    history = []
    for _ in range(num_epochs):
        total_rec, total_kl = 0.0, 0.0
        for idx in batches(len(X), batch_size, shuffle=True, generator=generator):
            reconstruction, kl = elbo_terms(vae, X[idx])
            loss = (reconstruction + beta * kl).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_rec += reconstruction.sum().item()
            total_kl += kl.sum().item()
        history.append((total_rec / len(X), total_kl / len(X)))
    return history


@torch.no_grad()
def vae_terms(vae, X, batch_size=1000, seed=0):
    """Mean reconstruction term and mean KL over X (one z sample per image, seeded)."""
    torch.manual_seed(seed)
    rec, kl = [], []
    for idx in batches(len(X), batch_size):
        r, k = elbo_terms(vae, X[idx])
        rec.append(r)
        kl.append(k)
    return torch.cat(rec).mean().item(), torch.cat(kl).mean().item()


# -------------------------------------------------------------------------------- GAN
def train_mlp_gan(X, latent_dim=32, num_iterations=1000, batch_size=64, lr=1e-3, seed=0):
    """The MLP GAN of lesson 06 on images X (N, 784) in [0, 1] (trained in [-1, 1]).
    Returns G; G(z) is in [-1, 1]."""
    set_seed(seed)
    X = X * 2 - 1  # (N, 784) in [-1, 1]
    G = nn.Sequential(nn.Linear(latent_dim, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(),
                      nn.Linear(256, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
    d_optimizer = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    g_optimizer = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    for _ in range(num_iterations):
        x = X[torch.randint(len(X), (batch_size,))]
        with torch.no_grad():
            x_fake = G(torch.randn(batch_size, latent_dim))
        d_loss = F.softplus(-D(x)).mean() + F.softplus(D(x_fake)).mean()
        d_optimizer.zero_grad()
        d_loss.backward()
        d_optimizer.step()
        g_loss = F.softplus(-D(G(torch.randn(batch_size, latent_dim)))).mean()
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()
    return G


def frechet_distance(A, B):
    """Fréchet distance between Gaussians fitted to the rows of A (N, f) and B (M, f):
    ||mu_a - mu_b||^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2)) (the formula of FID)."""
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    mu_a, mu_b = A.mean(0), B.mean(0)
    S_a, S_b = np.cov(A, rowvar=False), np.cov(B, rowvar=False)
    # tr (S_a S_b)^(1/2) = sum of sqrt of eigenvalues of S_a^(1/2) S_b S_a^(1/2) (symmetric PSD)
    w, V = np.linalg.eigh(S_a)
    root_a = (V * np.sqrt(np.clip(w, 0, None))) @ V.T
    middle = np.linalg.eigvalsh(root_a @ S_b @ root_a)
    trace_root = np.sqrt(np.clip(middle, 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(S_a) + np.trace(S_b) - 2 * trace_root)
