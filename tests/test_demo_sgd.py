"""utils.demos.sgd: the model against closed forms and torch.optim.SGD, and the view."""
import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.demos.sgd import (BATCH_SIZES, THETA0, demo, gradient, least_squares,
                             linear_decay, loss, make_data, run_sgd)

x, y = make_data()


def test_data_is_the_notes_example():
    assert x.shape == y.shape == (1000,)
    w, b = least_squares(x, y)
    assert abs(w - 2.0) < 0.15 and abs(b - 1.0) < 0.15  # close to the true line y = 2x + 1


def test_least_squares_matches_polyfit_and_zeroes_the_gradient():
    np.testing.assert_allclose(least_squares(x, y), np.polyfit(x, y, 1))
    np.testing.assert_allclose(gradient(*least_squares(x, y), x, y), 0.0, atol=1e-12)


def test_loss_from_moments_matches_the_definition():
    rng = np.random.default_rng(1)
    w, b = rng.normal(size=(2, 7))
    direct = [0.5 * np.mean((wi * x + bi - y) ** 2) for wi, bi in zip(w, b)]
    np.testing.assert_allclose(loss(w, b, x, y), direct)


def test_gradient_matches_finite_differences():
    w, b, h = 0.3, -1.2, 1e-6
    numeric = [(loss(w + h, b, x, y) - loss(w - h, b, x, y)) / (2 * h),
               (loss(w, b + h, x, y) - loss(w, b - h, x, y)) / (2 * h)]
    np.testing.assert_allclose(gradient(w, b, x, y), numeric, rtol=1e-6)


def test_minibatch_gradients_average_to_the_full_gradient():
    """Over a partition into equal batches the mean of the batch gradients IS the full
    gradient: the exact version of 'the minibatch gradient is unbiased'."""
    order = np.random.default_rng(2).permutation(1000).reshape(100, 10)  # (batches, 10)
    batch_grads = [gradient(0.5, 0.5, x[idx], y[idx]) for idx in order]
    np.testing.assert_allclose(np.mean(batch_grads, axis=0), gradient(0.5, 0.5, x, y))


def test_batch_gd_is_plain_gradient_descent():
    result = run_sgd(x, y, batch_size=1000, lr=0.2, num_epochs=5)
    theta = np.array(THETA0)
    for k in range(5):
        theta = theta - 0.2 * gradient(*theta, x, y)
        np.testing.assert_allclose(result["path"][k + 1], theta)
    np.testing.assert_array_equal(result["examples"], [0, 1000, 2000, 3000, 4000, 5000])


def test_minibatch_sgd_matches_torch_sgd_on_the_same_batches():
    batch_size, lr, num_epochs, seed = 30, 0.05, 2, 4
    result = run_sgd(x, y, batch_size, lr, num_epochs, seed=seed)
    rng = np.random.default_rng(seed)  # the same shuffles as run_sgd
    w = torch.tensor([THETA0[0]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([THETA0[1]], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    X, Y = torch.tensor(x), torch.tensor(y)
    path = []
    for _ in range(num_epochs):
        order = torch.tensor(rng.permutation(1000))
        for start in range(0, 1000, batch_size):
            idx = order[start:start + batch_size]
            optimizer.zero_grad()
            (0.5 * ((w * X[idx] + b - Y[idx]) ** 2).mean()).backward()
            optimizer.step()
            path.append([w.item(), b.item()])
    assert len(path) == 2 * 34  # 33 batches of 30 and one of 10 per epoch
    np.testing.assert_allclose(result["path"][1:], path, rtol=1e-9, atol=1e-12)
    assert result["examples"][-1] == 2000


def test_linear_decay_follows_gbc():
    assert linear_decay(0, 0.1, 100) == 0.1
    np.testing.assert_allclose(linear_decay(100, 0.1, 100), 0.001)
    np.testing.assert_allclose(linear_decay(250, 0.1, 100), 0.001)  # constant after tau
    np.testing.assert_allclose(linear_decay(50, 0.1, 100, lr_tau=0.0), 0.05)
    result = run_sgd(x, y, 10, 0.1, num_epochs=3, decay=True)
    assert result["lrs"][0] == 0.1 and np.all(np.diff(result["lrs"]) < 0)


def test_decay_removes_the_noise_floor_of_sgd():
    j_star = loss(*least_squares(x, y), x, y)
    final = {}
    for decay in (False, True):
        path = run_sgd(x, y, 1, 0.1, num_epochs=10, decay=decay)["path"]
        final[decay] = np.mean(loss(path[-200:, 0], path[-200:, 1], x, y) - j_star)
    assert final[True] < 0.2 * final[False]


def test_too_large_a_learning_rate_diverges_and_stops():
    result = run_sgd(x, y, 1000, 2.0, num_epochs=50)
    assert result["diverged"]
    assert len(result["path"]) < 51 and np.all(np.isfinite(result["path"]))


def test_controls_redraw_the_figure():
    d = demo()
    for name, value in [("batch_size", 1), ("lr", 0.02), ("decay", True),
                        ("xaxis", "updates"), ("examples_seen", 500)]:
        before = d.view.image.value
        d.controls[name].value = value
        assert d.view.image.value != before, name
    before = d.view.image.value
    d.controls["reshuffle"].click()
    assert d.view.image.value != before


def test_play_steps_forward_and_wraps_around():
    d = demo()
    d.controls["examples_seen"].value = 0
    before = d.view.image.value
    d.controls["play"].value += 1  # one tick of the Play widget
    assert d.controls["examples_seen"].value == 200
    assert d.view.image.value != before
    d.controls["examples_seen"].value = 10_000
    d.controls["play"].value += 1  # at the end: start again from 0
    assert d.controls["examples_seen"].value == 200


def test_divergence_is_explained_not_raised():
    d = demo(batch_size=1000, lr=0.1)
    message = d.widget.children[3]  # the message line under the controls
    assert "Diverged" not in message.value
    d.controls["lr"].value = 1.9
    assert "Diverged" in message.value


@settings(max_examples=200, deadline=None)
@given(batch=st.sampled_from(BATCH_SIZES), log_lr=st.floats(-3, 0.3), decay=st.booleans(),
       xaxis=st.sampled_from(["examples seen", "updates"]), seen=st.integers(0, 10_000),
       ticks=st.integers(0, 3))
def test_any_setting_never_raises(batch, log_lr, decay, xaxis, seen, ticks):
    d = DEMO
    d.controls["batch_size"].value = batch
    d.controls["lr"].value = 10 ** log_lr
    d.controls["decay"].value = decay
    d.controls["xaxis"].value = xaxis
    d.controls["examples_seen"].value = seen
    for _ in range(ticks):
        d.controls["play"].value += 1
    assert d.view.image.value[:4] == b"\x89PNG"


DEMO = demo()
