"""Tests of utils.demos.capacity: polynomial fits, Bayes error, depth vs width, splits,
k-fold and stratified k-fold, early stopping, and the capacity demo."""
import math

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.demos import capacity  # noqa: E402


# ---------------------------------------------------------------- polynomial fits

def test_fit_recovers_a_cubic_exactly():
    x = np.linspace(0, 1, 20)
    y = 1 - 2 * x + 3 * x ** 3
    w = capacity.fit_polynomial(x, y, 3)
    x_new = np.linspace(-0.2, 1.2, 7)
    assert np.allclose(capacity.predict_polynomial(w, x_new), 1 - 2 * x_new + 3 * x_new ** 3)


@pytest.mark.parametrize("degree", [0, 1, 4, 7])
def test_legendre_basis_spans_the_same_polynomials_as_powers(degree):
    x, y = capacity.make_data(30, noise=0.3, seed=1)
    powers = x[:, None] ** np.arange(degree + 1)  # (30, degree + 1)
    w_powers, *_ = np.linalg.lstsq(powers, y, rcond=None)
    w = capacity.fit_polynomial(x, y, degree)
    grid = np.linspace(0, 1, 50)
    y_powers = (grid[:, None] ** np.arange(degree + 1)) @ w_powers
    assert np.allclose(capacity.predict_polynomial(w, grid), y_powers, atol=1e-8)


def test_training_error_never_increases_with_degree():
    x, y = capacity.make_data(40, seed=3)
    x_test, y_test = capacity.make_data(200, seed=4)
    train_err, test_err = capacity.train_test_errors(x, y, x_test, y_test, range(12))
    assert np.all(np.diff(train_err) <= 1e-10)
    assert test_err.shape == (12,)


def test_interpolation_when_parameters_exceed_points():
    x, y = capacity.make_data(6, seed=5)
    w = capacity.fit_polynomial(x, y, 9)  # 10 weights, 6 points
    assert np.allclose(capacity.predict_polynomial(w, x), y, atol=1e-8)


def test_ridge_limits():
    x, y = capacity.make_data(25, seed=2)
    w0 = capacity.fit_polynomial(x, y, 5)
    assert np.allclose(capacity.fit_polynomial(x, y, 5, lam=1e-12), w0, atol=1e-6)
    w_big = capacity.fit_polynomial(x, y, 5, lam=1e12)  # only the unpenalised constant is left
    assert np.allclose(capacity.predict_polynomial(w_big, x), y.mean(), atol=1e-6)


def test_ridge_matches_the_normal_equations():
    x, y = capacity.make_data(25, seed=2)
    lam = 0.1
    Phi = capacity.poly_features(x, 6)
    D = np.eye(7)
    D[0, 0] = 0  # no penalty on w_0
    w_ref = np.linalg.solve(Phi.T @ Phi + lam * D, Phi.T @ y)
    assert np.allclose(capacity.fit_polynomial(x, y, 6, lam), w_ref, atol=1e-8)


# ---------------------------------------------------------------- Bayes error

def test_bayes_error_closed_form_and_monte_carlo():
    assert math.isclose(capacity.bayes_error_two_gaussians(1.0), 0.15865525393145707, rel_tol=1e-12)
    assert capacity.bayes_error_two_gaussians(0.0) == 0.5
    n = 200_000
    x, y = capacity.sample_two_gaussians(n, mu=1.0, seed=0)
    error = np.mean((x > 0).astype(int) != y)
    se = math.sqrt(0.1587 * 0.8413 / n)
    assert abs(error - capacity.bayes_error_two_gaussians(1.0)) < 4 * se


def test_no_threshold_beats_the_bayes_classifier():
    x, y = capacity.sample_two_gaussians(100_000, mu=0.7, seed=1)
    bayes = capacity.bayes_error_two_gaussians(0.7)
    for threshold in [-1.0, -0.3, 0.3, 1.0]:
        error = np.mean((x > threshold).astype(int) != y)
        assert error > bayes


# ---------------------------------------------------------------- depth versus width

@pytest.mark.parametrize("depth", [1, 2, 3, 5, 8])
def test_sawtooth_has_two_to_the_depth_pieces(depth):
    x = np.linspace(0, 1, 2 ** 12 + 1)  # breakpoints at multiples of 2^-depth are on the grid
    y = capacity.sawtooth_net(x, depth)
    assert capacity.count_linear_pieces(x, y) == 2 ** depth
    assert y.min() >= -1e-12 and y.max() <= 1 + 1e-12


# ---------------------------------------------------------------- splits and cross-validation

@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 300), k=st.integers(2, 20), seed=st.one_of(st.none(), st.integers(0, 99)))
def test_kfold_holds_out_exactly_one_fold_per_round(n, k, seed):
    if k > n:
        with pytest.raises(ValueError):
            capacity.kfold_indices(n, k, seed)
        return
    folds = capacity.kfold_indices(n, k, seed)
    assert len(folds) == k
    counts = np.zeros(n, dtype=int)
    for train_idx, val_idx in folds:
        assert len(np.intersect1d(train_idx, val_idx)) == 0
        assert len(train_idx) + len(val_idx) == n
        assert len(val_idx) in (n // k, -(-n // k))  # one fold: floor or ceil of n/k
        counts[val_idx] += 1
    assert np.all(counts == 1)  # every point is validated exactly once


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(st.integers(0, 3), min_size=4, max_size=200), k=st.integers(2, 10),
       seed=st.one_of(st.none(), st.integers(0, 99)))
def test_stratified_kfold_keeps_class_proportions(labels, k, seed):
    y = np.array(labels)
    if k > len(y):
        return
    folds = capacity.stratified_kfold_indices(y, k, seed)
    counts = np.zeros(len(y), dtype=int)
    for c in np.unique(y):
        per_fold = [np.sum(y[val_idx] == c) for _, val_idx in folds]
        assert max(per_fold) - min(per_fold) <= 1
    for train_idx, val_idx in folds:
        assert len(np.intersect1d(train_idx, val_idx)) == 0
        assert len(train_idx) + len(val_idx) == len(y)
        counts[val_idx] += 1
    assert np.all(counts == 1)


def test_kfold_without_seed_gives_contiguous_blocks():
    folds = capacity.kfold_indices(10, 5)
    assert [list(v) for _, v in folds] == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]


def test_train_val_test_split_is_a_partition():
    train, val, test = capacity.train_val_test_split(100, (0.6, 0.2, 0.2), seed=3)
    assert (len(train), len(val), len(test)) == (60, 20, 20)
    assert sorted(np.concatenate([train, val, test]).tolist()) == list(range(100))
    with pytest.raises(ValueError):
        capacity.train_val_test_split(100, (0.5, 0.2, 0.2))


def test_cross_val_with_k_equal_n_is_leave_one_out():
    x, y = capacity.make_data(12, seed=7)
    errors = []
    for i in range(12):
        keep = np.arange(12) != i
        w = capacity.fit_polynomial(x[keep], y[keep], 2)
        errors.append((capacity.predict_polynomial(w, x[i:i + 1])[0] - y[i]) ** 2)
    assert math.isclose(capacity.cross_val_mse(x, y, 2, k=12), np.mean(errors), rel_tol=1e-10)


def test_holdout_uses_a_fifth_for_validation():
    x, y = capacity.make_data(50, seed=8)
    order = np.random.default_rng(4).permutation(50)
    w = capacity.fit_polynomial(x[order[10:]], y[order[10:]], 3)
    expected = capacity.mse(capacity.predict_polynomial(w, x[order[:10]]), y[order[:10]])
    assert math.isclose(capacity.holdout_mse(x, y, 3, 0.2, seed=4), expected)


def test_early_stopping_epoch():
    losses = [5, 4, 3, 3.5, 3.2, 3.1, 3.3, 3.4]
    assert capacity.early_stopping_epoch(losses, patience=3) == (3, 6)
    assert capacity.early_stopping_epoch(losses, patience=10) == (3, 8)
    assert capacity.early_stopping_epoch([3, 2, 1], patience=1) == (3, 3)


# ---------------------------------------------------------------- the demo

def test_demo_redraws_when_a_control_changes():
    demo = capacity.demo()
    for name, value in [("degree", 9), ("n_train", 100), ("noise", 0.7), ("seed", 4)]:
        before = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != before, name


def test_demo_explains_more_weights_than_points():
    demo = capacity.demo(degree=3, n_train=15)
    assert demo.widget.children[2].value == ""
    demo.controls["n_train"].value = 3
    assert "smallest" in demo.widget.children[2].value


def test_demo_model_numbers():
    model = capacity.CapacityModel(seed=0)
    train_err, test_err, weights = model.errors(500, 0.3)
    x, y, x_test, y_test = model.data(500, 0.3)
    w = capacity.fit_polynomial(x, y, 5)
    assert math.isclose(test_err[5], capacity.mse(capacity.predict_polynomial(w, x_test), y_test))
    assert abs(test_err[7] - 0.09) < 0.02  # a good fit with 500 points is near the Bayes error


@settings(max_examples=200, deadline=None)
@given(degree=st.integers(0, capacity.MAX_DEGREE), n=st.sampled_from(capacity.SIZES),
       noise=st.sampled_from([0.0, 0.05, 0.3, 1.0]), seed=st.integers(0, 20))
def test_demo_never_raises(degree, n, noise, seed):
    demo = _shared_demo()
    demo.controls["degree"].value = degree
    demo.controls["n_train"].value = n
    demo.controls["noise"].value = noise
    demo.controls["seed"].value = seed
    assert demo.view.image.value[:4] == b"\x89PNG"


_DEMO = []


def _shared_demo():
    if not _DEMO:
        _DEMO.append(capacity.demo())
    return _DEMO[0]
