"""The GBC update rules of utils.optimizers against torch.optim, on random problems."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.optimizers import (OPTIMIZERS, adagrad_step, adam_step, gradient_function,
                              momentum_step, nesterov_step, rmsprop_step, run, run_torch,
                              sgd_step)

NUM_STEPS = 40


def random_problem(seed, n_params):
    """A random smooth problem: L2-regularised logistic regression on 30 random points."""
    rng = np.random.default_rng(seed)
    A = torch.tensor(rng.normal(size=(30, n_params)))
    y = torch.tensor(rng.integers(0, 2, size=30) * 2.0 - 1.0)

    def loss_fn(theta):
        return torch.nn.functional.softplus(-y * (A @ theta)).mean() + 0.05 * (theta ** 2).sum()

    return loss_fn, rng.normal(size=n_params)


problems = st.tuples(st.integers(0, 10_000), st.integers(1, 8))
lrs = st.floats(1e-3, 0.5)


@settings(max_examples=40, deadline=None)
@given(problems, lrs)
def test_sgd_matches_torch(problem, lr):
    loss_fn, theta0 = random_problem(*problem)
    ours = run("sgd", gradient_function(loss_fn), theta0, NUM_STEPS, lr=lr)
    theirs = run_torch(torch.optim.SGD, loss_fn, theta0, NUM_STEPS, lr=lr)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(problems, lrs, st.floats(0.0, 0.99))
def test_momentum_matches_torch(problem, lr, alpha):
    loss_fn, theta0 = random_problem(*problem)
    ours = run("momentum", gradient_function(loss_fn), theta0, NUM_STEPS, lr=lr, alpha=alpha)
    theirs = run_torch(torch.optim.SGD, loss_fn, theta0, NUM_STEPS, lr=lr, momentum=alpha)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(problems, lrs, st.floats(0.01, 0.99))
def test_nesterov_matches_torch_at_the_look_ahead_point(problem, lr, alpha):
    loss_fn, theta0 = random_problem(*problem)
    ours = run("nesterov", gradient_function(loss_fn), theta0, NUM_STEPS, lr=lr, alpha=alpha)
    v = np.diff(ours, axis=0)  # v_k = theta_k - theta_(k-1)
    look_ahead = ours[1:] + alpha * v  # torch stores theta + alpha * v
    theirs = run_torch(torch.optim.SGD, loss_fn, theta0, NUM_STEPS, lr=lr, momentum=alpha,
                       nesterov=True)
    np.testing.assert_allclose(look_ahead, theirs[1:], rtol=1e-9, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(problems, lrs)
def test_adagrad_matches_torch(problem, lr):
    loss_fn, theta0 = random_problem(*problem)
    ours = run("adagrad", gradient_function(loss_fn), theta0, NUM_STEPS, lr=lr, delta=1e-7)
    theirs = run_torch(torch.optim.Adagrad, loss_fn, theta0, NUM_STEPS, lr=lr, eps=1e-7)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(problems, st.floats(1e-3, 0.1), st.floats(0.5, 0.999))
def test_rmsprop_matches_torch_without_delta(problem, lr, rho):
    loss_fn, theta0 = random_problem(*problem)
    ours = run("rmsprop", gradient_function(loss_fn), theta0, NUM_STEPS, lr=lr, rho=rho,
               delta=0.0)
    theirs = run_torch(torch.optim.RMSprop, loss_fn, theta0, NUM_STEPS, lr=lr, alpha=rho,
                       eps=0.0)
    # g / sqrt(r) is sign-like where g is tiny, so rounding errors grow there (measured worst
    # case about 1e-6 over 400 random problems); a wrong formula differs by about lr >= 1e-3
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-5)


def test_rmsprop_delta_placement_differs_from_torch():
    """GBC's sqrt(delta + r) and torch's sqrt(r) + eps are different formulas: with the
    defaults (delta = 1e-6 inside, eps = 1e-8 outside) the paths are close but not equal."""
    loss_fn, theta0 = random_problem(0, 5)
    ours = run("rmsprop", gradient_function(loss_fn), theta0, NUM_STEPS, lr=0.01)
    theirs = run_torch(torch.optim.RMSprop, loss_fn, theta0, NUM_STEPS, lr=0.01, alpha=0.9)
    difference = np.abs(ours - theirs).max()
    assert 1e-8 < difference < 0.1


@settings(max_examples=40, deadline=None)
@given(problems, lrs, st.floats(0.0, 0.99), st.floats(0.9, 0.9999))
def test_adam_matches_torch(problem, lr, rho1, rho2):
    loss_fn, theta0 = random_problem(*problem)
    ours = run("adam", gradient_function(loss_fn), theta0, NUM_STEPS, lr=lr, rho1=rho1,
               rho2=rho2)
    theirs = run_torch(torch.optim.Adam, loss_fn, theta0, NUM_STEPS, lr=lr, betas=(rho1, rho2))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-5)  # as for RMSProp


def test_step_functions_work_on_torch_tensors_and_numpy_alike():
    g = np.array([0.5, -2.0])
    theta = np.array([1.0, 1.0])
    for backend in (np.asarray, torch.tensor):
        th, gg, z = backend(theta), backend(g), backend(np.zeros(2))
        results = [sgd_step(th, gg, 0.1), momentum_step(th, z, gg, 0.1)[0],
                   nesterov_step(th, z, lambda _: gg, 0.1)[0], adagrad_step(th, z, gg, 0.1)[0],
                   rmsprop_step(th, z, gg, 0.1)[0], adam_step(th, z, z, 0, gg, 0.1)[0]]
        for result in results:
            assert np.all(np.asarray(result) < 1.5) and np.all(np.isfinite(np.asarray(result)))


def test_first_adam_and_adagrad_steps_have_size_lr():
    """With zero state, the first Adam step is lr * sign(g) (bias correction), and so is the
    first AdaGrad step: the step size does not depend on the size of the gradient."""
    theta, g, z = np.zeros(3), np.array([1e-3, 1.0, -50.0]), np.zeros(3)
    new, *_ = adam_step(theta, z, z, 0, g, lr=0.01, delta=0.0)
    np.testing.assert_allclose(new, -0.01 * np.sign(g))
    new, _ = adagrad_step(theta, z, g, lr=0.01, delta=0.0)
    np.testing.assert_allclose(new, -0.01 * np.sign(g))


def test_momentum_with_alpha_zero_is_sgd():
    loss_fn, theta0 = random_problem(3, 4)
    grad_fn = gradient_function(loss_fn)
    np.testing.assert_allclose(run("momentum", grad_fn, theta0, 20, lr=0.1, alpha=0.0),
                               run("sgd", grad_fn, theta0, 20, lr=0.1))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_decreases_a_quadratic(name):
    lr = 0.5 if name == "adagrad" else 0.05  # AdaGrad's steps shrink like lr / sqrt(t)
    def grad_fn(theta):
        return np.array([1.0, 10.0]) * theta  # f = (x^2 + 10 y^2) / 2
    path = run(name, grad_fn, [3.0, 1.0], 300, lr=lr)
    assert path.shape == (301, 2)
    assert np.linalg.norm(path[-1]) < 0.1 * np.linalg.norm(path[0])


def test_run_stops_and_pads_with_nan_when_it_diverges():
    path = run("sgd", lambda theta: 10.0 * theta, [1.0], 100, lr=1.0)  # factor -9 per step
    assert np.isnan(path[-1]).all()
    finite = np.isfinite(path[:, 0])
    assert finite[0] and not finite.all()
    assert np.abs(path[finite]).max() <= 1e12
