"""The update rules of Goodfellow, Bengio & Courville (GBC), Algorithms 8.1-8.7, as small
functions, plus two runners that apply them (or a torch.optim optimizer) to a function.

Each `*_step` function takes the parameters `theta`, the optimizer's state and the gradient
`g` (Nesterov takes a gradient *function*, because it evaluates the gradient at a look-ahead
point) and returns the new parameters and state. Nothing is changed in place, and the code
works for numpy arrays and torch tensors alike. Names follow GBC: learning rate `lr` (GBC's
epsilon), momentum `alpha`, decay rates `rho`, `rho1`, `rho2`, small constant `delta`.

How torch.optim writes the same rules (checked in tests/test_optimizers.py):
- momentum: torch keeps `b = mu * b + g` and does `theta -= lr * b`; GBC keeps
  `v = alpha * v - lr * g` and does `theta += v`. With a constant lr, v = -lr * b.
- Nesterov: torch's parameters are GBC's look-ahead point `theta + alpha * v`.
- RMSProp: GBC puts delta inside the square root, sqrt(delta + r); torch adds eps outside,
  sqrt(r) + eps. With delta = eps = 0 they coincide.
- AdaGrad and Adam: the same formulas (delta outside the square root), torch's eps = delta.

Introduced in units/unit1_deep_network_basics/10_optimizers_and_initialization.ipynb.
"""
import numpy as np
import torch


def sgd_step(theta, g, lr):
    """GBC Algorithm 8.1: theta <- theta - lr * g."""
    return theta - lr * g


def momentum_step(theta, v, g, lr, alpha=0.9):
    """GBC Algorithm 8.2: v <- alpha * v - lr * g;  theta <- theta + v."""
    v = alpha * v - lr * g
    return theta + v, v


def nesterov_step(theta, v, grad_fn, lr, alpha=0.9):
    """GBC Algorithm 8.3: the gradient is taken at the interim point theta + alpha * v."""
    g = grad_fn(theta + alpha * v)
    v = alpha * v - lr * g
    return theta + v, v


def adagrad_step(theta, r, g, lr, delta=1e-7):
    """GBC Algorithm 8.4: r <- r + g*g;  theta <- theta - lr / (delta + sqrt(r)) * g."""
    r = r + g * g
    return theta - lr / (delta + r ** 0.5) * g, r


def rmsprop_step(theta, r, g, lr, rho=0.9, delta=1e-6):
    """GBC Algorithm 8.5: r <- rho*r + (1-rho)*g*g;  theta <- theta - lr / sqrt(delta + r) * g."""
    r = rho * r + (1 - rho) * g * g
    return theta - lr / (delta + r) ** 0.5 * g, r


def adam_step(theta, s, r, t, g, lr, rho1=0.9, rho2=0.999, delta=1e-8):
    """GBC Algorithm 8.7. `t` counts the steps taken before this one (0 at the start)."""
    t = t + 1
    s = rho1 * s + (1 - rho1) * g  # first moment
    r = rho2 * r + (1 - rho2) * g * g  # second moment
    s_hat = s / (1 - rho1 ** t)  # bias corrections
    r_hat = r / (1 - rho2 ** t)
    return theta - lr * s_hat / (r_hat ** 0.5 + delta), s, r, t


OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


def run(name, grad_fn, theta0, num_steps, lr, **hyper):
    """Apply `num_steps` steps of optimizer `name` (one of OPTIMIZERS) to the function whose
    gradient is `grad_fn`, from `theta0`. Returns the path: an array (num_steps + 1, *shape).

    Extra keywords go to the step function (alpha, rho, rho1, rho2, delta). The path stops
    early, and is padded with nan, if the parameters stop being finite (divergence).
    """
    theta = np.asarray(theta0, dtype=float)
    zeros = np.zeros_like(theta)
    state = {"momentum": (zeros,), "nesterov": (zeros,), "adagrad": (zeros,),
             "rmsprop": (zeros,), "adam": (zeros, zeros, 0), "sgd": ()}[name]
    path = np.full((num_steps + 1, *theta.shape), np.nan)
    path[0] = theta
    for k in range(num_steps):
        with np.errstate(over="ignore", invalid="ignore"):
            theta, state = _step(name, theta, state, grad_fn, lr, hyper)
        if not np.all(np.isfinite(theta)) or np.abs(theta).max() > 1e12:
            break
        path[k + 1] = theta
    return path


def _step(name, theta, state, grad_fn, lr, hyper):
    """One step of optimizer `name`; returns (theta, state)."""
    if name == "sgd":
        return sgd_step(theta, grad_fn(theta), lr), ()
    if name == "nesterov":
        theta, v = nesterov_step(theta, state[0], grad_fn, lr, **hyper)
        return theta, (v,)
    g = grad_fn(theta)
    if name == "adam":
        theta, *state = adam_step(theta, *state, g, lr, **hyper)
        return theta, tuple(state)
    step = {"momentum": momentum_step, "adagrad": adagrad_step, "rmsprop": rmsprop_step}[name]
    theta, r = step(theta, state[0], g, lr, **hyper)
    return theta, (r,)


def run_torch(optimizer_class, loss_fn, theta0, num_steps, **kwargs):
    """The same as `run`, with a torch.optim optimizer: minimise `loss_fn(theta)` (a function
    of one torch tensor) for `num_steps` steps from `theta0`. Returns the path as a float64
    numpy array (num_steps + 1, *shape)."""
    theta = torch.tensor(np.asarray(theta0), dtype=torch.float64, requires_grad=True)
    optimizer = optimizer_class([theta], **kwargs)
    path = [theta.detach().clone().numpy()]
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss_fn(theta).backward()
        optimizer.step()
        path.append(theta.detach().clone().numpy())
    return np.stack(path)


def gradient_function(loss_fn):
    """A numpy gradient function for `run`, from a loss written for one torch tensor: the
    gradient comes from autograd in float64, so `run` and `run_torch` minimise the same thing."""
    def grad_fn(theta):
        theta = torch.tensor(np.asarray(theta), dtype=torch.float64, requires_grad=True)
        loss_fn(theta).backward()
        return theta.grad.numpy()
    return grad_fn
