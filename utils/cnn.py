"""Convolution from scratch, its matrix, its gradients, parameter counts, and small CNNs.

Everything here is what the Unit II lessons build on and the tests check against torch:

- `correlate1d`, `convolve1d`, `correlate2d`, `convolve2d`: loops (numpy), 'valid' outputs.
  Cross-correlation is what `torch.nn.Conv2d` computes; true convolution flips the kernel;
- `conv_matrix_1d`: the banded (Toeplitz) matrix C with C @ x == correlate1d(x, w);
- `layer_counts`: weights and multiplications of a dense, locally connected, tiled and
  convolutional layer for one input and output size;
- `conv2d_grads`: the analytic gradients dL/dK and dL/dX of a valid cross-correlation,
  and `numerical_gradient` (central differences);
- `make_cnn`, `make_mlp`, `lenet5`, `count_parameters`: the course's small networks;
- `random_shift`, `random_flip`: data augmentation with tensor operations;
- `predict`: logits in batches (the confusion matrix is `utils.metrics.confusion_matrix`).
"""
import numpy as np
import torch
import torch.nn as nn


# ------------------------------------------------------------ convolution by loops
def correlate1d(x, w):
    """Valid cross-correlation s[i] = sum_m x[i + m] w[m]; output length n - k + 1."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    n_out = len(x) - len(w) + 1
    return np.array([np.dot(x[i:i + len(w)], w) for i in range(max(n_out, 0))])


def convolve1d(x, w):
    """Valid true convolution s[i] = sum_m x[m] w[i - m]: correlation with the flipped kernel."""
    return correlate1d(x, np.asarray(w)[::-1])


def correlate2d(X, K):
    """Valid 2-D cross-correlation S[i, j] = sum_m sum_n X[i + m, j + n] K[m, n]."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    out_h, out_w = X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1
    S = np.zeros((max(out_h, 0), max(out_w, 0)))
    for i in range(S.shape[0]):
        for j in range(S.shape[1]):
            window = X[i:i + K.shape[0], j:j + K.shape[1]]
            S[i, j] = np.sum(window * K)  # element-wise product, then the sum
    return S


def convolve2d(X, K):
    """Valid true 2-D convolution (GBC eq. 9.4): correlation with K rotated by 180 degrees."""
    return correlate2d(X, np.asarray(K)[::-1, ::-1])


def conv_matrix_1d(n, w):
    """The (n - k + 1, n) banded matrix C of the valid 1-D cross-correlation with kernel w:
    row i holds w in columns i .. i + k - 1, so C @ x == correlate1d(x, w)."""
    w = np.asarray(w, dtype=float)
    n_out = n - len(w) + 1
    C = np.zeros((n_out, n))
    for i in range(n_out):
        C[i, i:i + len(w)] = w
    return C


def receptive_field(num_layers, k, dilations=None):
    """Inputs seen by one output after `num_layers` stride-1 layers of kernel width k:
    1 + sum over layers of d (k - 1) (d = 1 without dilation)."""
    dilations = dilations or [1] * num_layers
    return 1 + sum(d * (k - 1) for d in dilations[:num_layers])


# ------------------------------------------------------------ parameter counts
def layer_counts(height, width, k, t=2, c_in=1, c_out=1, kw=None):
    """Weights and multiplications of four layers mapping a (c_in, height, width) input to
    the (c_out, height - k + 1, width - kw + 1) output of a valid k×kw window (kw = k by
    default; no biases): dense (every output sees every input), locally connected (own
    weights per output), tiled (t×t kernels cycled over the positions) and convolutional
    (one shared kernel)."""
    kw = k if kw is None else kw
    out_h, out_w = height - k + 1, width - kw + 1
    n_in, n_out = c_in * height * width, c_out * out_h * out_w
    window = c_in * k * kw
    return {
        "dense": {"weights": n_in * n_out, "multiplications": n_in * n_out},
        "locally connected": {"weights": n_out * window, "multiplications": n_out * window},
        "tiled": {"weights": min(t * t, out_h * out_w) * c_out * window,
                  "multiplications": n_out * window},
        "convolutional": {"weights": c_out * window, "multiplications": n_out * window},
    }


# ------------------------------------------------------------ gradients
def conv2d_grads(X, K, dY):
    """Analytic gradients of a loss L through Y = correlate2d(X, K), given dY = dL/dY:
    dL/dK = correlate2d(X, dY) and dL/dX = full correlation of dY with K rotated by 180
    degrees, i.e. correlate2d(pad(dY, k - 1), rot180(K))."""
    X, K, dY = (np.asarray(a, dtype=float) for a in (X, K, dY))
    dK = correlate2d(X, dY)  # (kH, kW)
    pad_h, pad_w = K.shape[0] - 1, K.shape[1] - 1
    dY_padded = np.pad(dY, ((pad_h, pad_h), (pad_w, pad_w)))  # (H + kH - 1, W + kW - 1)
    dX = correlate2d(dY_padded, K[::-1, ::-1])  # (H, W)
    return dK, dX


def numerical_gradient(f, theta, eps=1e-6):
    """Central differences (f(theta + eps e_i) - f(theta - eps e_i)) / (2 eps) for every
    entry of the float array theta; costs 2 * theta.size evaluations of f."""
    theta = np.array(theta, dtype=float)
    grad = np.zeros_like(theta)
    for index in np.ndindex(theta.shape):
        old = theta[index]
        theta[index] = old + eps
        plus = f(theta)
        theta[index] = old - eps
        minus = f(theta)
        theta[index] = old
        grad[index] = (plus - minus) / (2 * eps)
    return grad


# ------------------------------------------------------------ networks
def count_parameters(net):
    """Number of trainable numbers in a torch module."""
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


def make_cnn(c1=16, c2=32, hidden=64, dropout=0.0, batch_norm=False, image_size=28,
             pool_first=False):
    """conv(c1, 3×3) - ReLU - maxpool 2 - conv(c2, 3×3) - ReLU - maxpool 2 - fc(hidden) - fc(10),
    'same' padding; optional batch norm after each convolution and dropout before the
    last layer.

    pool_first=True pools right after each convolution: conv - maxpool - [batch norm] -
    ReLU. Max pooling commutes with ReLU (both are monotone), so without batch norm the
    function is the same; batch norm and ReLU then work on 4× fewer values, which makes a
    training step about a third cheaper on a CPU."""
    def block(c_in, c_out):
        layers = [nn.Conv2d(c_in, c_out, 3, padding=1)]
        if pool_first:
            layers.append(nn.MaxPool2d(2))
        if batch_norm:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.ReLU())
        return layers if pool_first else layers + [nn.MaxPool2d(2)]

    side = image_size // 4  # two 2×2 poolings
    return nn.Sequential(*block(1, c1), *block(c1, c2),
                         nn.Flatten(),  # (N, c2 * side * side)
                         nn.Linear(c2 * side * side, hidden), nn.ReLU(),
                         nn.Dropout(dropout), nn.Linear(hidden, 10))


def make_mlp(*hidden, n_in=784):
    """Flatten - n_in - hidden[0] - ... - 10 with ReLU between the layers."""
    layers, width = [nn.Flatten()], n_in
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 10))


def lenet5():
    """LeNet-5 as in LeCun et al. (1998), with full C3 connectivity (the paper connects
    each C3 map to only some S2 maps) and plain average pooling (the paper's subsampling
    has a trainable coefficient and bias per map): 32×32 input, C1 6@5×5, S2, C3 16@5×5,
    S4, C5 120 (a 5×5 convolution acting as a dense layer), F6 84, output 10."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),  # (N, 6, 14, 14)
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),  # (N, 16, 5, 5)
        nn.Conv2d(16, 120, 5), nn.Tanh(), nn.Flatten(),  # (N, 120)
        nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))


# ------------------------------------------------------------ augmentation
def random_shift(X, max_shift=2, generator=None):
    """Shift each image of X (N, C, H, W) by its own random whole-pixel offset in
    [-max_shift, max_shift] along both axes, filling with zeros (pad, then crop)."""
    if max_shift <= 0:
        return X
    n, _, h, w = X.shape
    m = max_shift
    padded = torch.nn.functional.pad(X, (m, m, m, m))  # (N, C, H + 2m, W + 2m)
    dy = torch.randint(0, 2 * m + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * m + 1, (n,), generator=generator)
    rows = dy[:, None] + torch.arange(h)[None, :]  # (N, H)
    cols = dx[:, None] + torch.arange(w)[None, :]  # (N, W)
    batch = torch.arange(n)[:, None, None]
    out = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]]  # (N, H, W, C)
    return out.permute(0, 3, 1, 2).contiguous()  # (N, C, H, W)


def random_flip(X, generator=None):
    """Mirror each image of X (N, C, H, W) left-right with probability 1/2."""
    flip = torch.rand(len(X), generator=generator) < 0.5
    out = X.clone()
    out[flip] = X[flip].flip(-1)
    return out


# ------------------------------------------------------------ evaluation
@torch.no_grad()
def predict(net, X, batch_size=1000):
    """Logits of net on X (N, ...) in eval mode, computed in batches: (N, 10)."""
    net.eval()
    return torch.cat([net(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])


class Augment(nn.Module):
    """A first layer that augments only while training: random shifts of up to
    `max_shift` pixels and, if `flip`, random left-right mirrors. In eval mode it passes
    the input through, so evaluation sees the real images."""

    def __init__(self, max_shift=2, flip=True):
        super().__init__()
        self.max_shift, self.flip = max_shift, flip

    def forward(self, X):
        if not self.training:
            return X
        X = random_shift(X, self.max_shift)
        return random_flip(X) if self.flip else X


def alexnet(num_classes=1000):
    """AlexNet (Krizhevsky et al. 2012) in its common single-GPU form: 5 convolutions and
    3 dense layers on 3×224×224 images (the original split the filters over two GPUs)."""
    return nn.Sequential(
        nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
        nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),  # (N, 256, 6, 6)
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, num_classes))


def vgg16(num_classes=1000):
    """VGG-16 (Simonyan and Zisserman 2014): 13 convolutions of 3×3 in five blocks, each
    followed by 2×2 max pooling, then 3 dense layers: 16 weight layers."""
    layers, c_in = [], 3
    for width, repeats in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(repeats):
            layers += [nn.Conv2d(c_in, width, 3, padding=1), nn.ReLU()]
            c_in = width
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(),  # (N, 512 * 7 * 7)
                         nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(4096, num_classes))


def weight_layers(net):
    """Number of convolution and dense layers (the "depth" papers report)."""
    return sum(isinstance(m, (nn.Conv2d, nn.Linear)) for m in net.modules())
