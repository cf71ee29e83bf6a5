"""Tests of utils.demos.estimators: the German-tank sampler and estimators against their
closed forms, variance estimators, the bias-variance decomposition, and the demo."""
import itertools
import math

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.demos import estimators  # noqa: E402


# ---------------------------------------------------------------- German tank

@pytest.mark.parametrize("N,k", [(1, 1), (7, 3), (50, 50), (1000, 30)])
def test_serials_are_distinct_and_in_range(N, k):
    S = estimators.sample_serials(N, k, 500, np.random.default_rng(0))
    assert S.shape == (500, k)
    assert S.min() >= 1 and S.max() <= N
    assert all(len(set(row)) == k for row in S.tolist())


def test_serials_are_uniform_subsets():
    N, k, R = 5, 2, 50_000
    S = np.sort(estimators.sample_serials(N, k, R, np.random.default_rng(1)), axis=1)
    subsets = list(itertools.combinations(range(1, N + 1), k))  # 10 subsets
    counts = np.array([np.sum((S[:, 0] == a) & (S[:, 1] == b)) for a, b in subsets])
    expected = R / len(subsets)
    chi2 = np.sum((counts - expected) ** 2 / expected)
    assert counts.sum() == R
    assert chi2 < 30  # 9 degrees of freedom: P(chi2 > 30) < 0.001


def test_sampler_rejects_impossible_settings():
    with pytest.raises(ValueError):
        estimators.sample_serials(5, 6, 10, np.random.default_rng(0))
    with pytest.raises(ValueError):
        estimators.sample_serials(5, 0, 10, np.random.default_rng(0))


def test_estimators_on_a_known_sample():
    est = estimators.tank_estimates([[19, 40, 42, 60]])
    assert est["max"][0] == 60
    assert est["twice_mean"][0] == 2 * 161 / 4 - 1
    assert est["mvue"][0] == 60 + 60 / 4 - 1


@pytest.mark.parametrize("N,k", [(300, 1), (300, 5), (50, 20), (1000, 30)])
def test_unbiasedness_and_variances_match_the_closed_forms(N, k):
    R = 40_000
    est = estimators.simulate_tank(N, k, R, seed=3)
    theory = estimators.tank_theory(N, k)
    for name in estimators.TANK_ESTIMATORS:
        bias, var, mse = estimators.bias_variance_mse(est[name], N)
        t_bias, t_var, t_mse = theory[name]
        assert abs(bias - t_bias) < 4 * math.sqrt(t_var / R) + 1e-9, name  # within MC error
        assert abs(var / t_var - 1) < 0.05, name
        assert math.isclose(t_mse, t_bias ** 2 + t_var)
    assert theory["mvue"][0] == 0 and theory["twice_mean"][0] == 0
    assert theory["max"][0] < 0  # the maximum never overshoots


def test_mvue_beats_twice_mean_for_k_above_one():
    for N, k in [(300, 2), (300, 10), (1000, 30)]:
        theory = estimators.tank_theory(N, k)
        assert theory["mvue"][1] < theory["twice_mean"][1]
    theory = estimators.tank_theory(300, 1)  # k = 1: both are 2 x - 1
    assert math.isclose(theory["mvue"][1], theory["twice_mean"][1])


def test_capturing_every_tank_gives_n_exactly():
    est = estimators.simulate_tank(20, 20, 100, seed=0)
    for name in estimators.TANK_ESTIMATORS:
        assert np.allclose(est[name], 20)
        assert estimators.tank_theory(20, 20)[name][2] == 0


def test_mse_is_bias_squared_plus_variance():
    rng = np.random.default_rng(0)
    values = rng.exponential(size=1000)
    bias, var, mse = estimators.bias_variance_mse(values, 0.7)
    assert math.isclose(mse, bias ** 2 + var, rel_tol=1e-10)


# ---------------------------------------------------------------- variance estimators

def test_variance_estimators_match_numpy():
    x = np.random.default_rng(0).normal(size=(5, 8))
    assert np.allclose(estimators.variance_biased(x), x.var(axis=1))
    assert np.allclose(estimators.variance_unbiased(x), x.var(axis=1, ddof=1))


@pytest.mark.parametrize("m", [2, 5, 20])
def test_biased_variance_estimator_has_expectation_m_minus_1_over_m(m):
    R, sigma2 = 200_000, 4.0
    x = np.random.default_rng(m).normal(0, 2.0, size=(R, m))
    biased = estimators.variance_biased(x)
    unbiased = estimators.variance_unbiased(x)
    se = math.sqrt(2 * sigma2 ** 2 / (m - 1) / R)  # std of the unbiased estimator / sqrt(R)
    assert abs(unbiased.mean() - sigma2) < 4 * se
    assert abs(biased.mean() - (m - 1) / m * sigma2) < 4 * se
    # for Gaussian data the biased estimator has the smaller MSE
    assert np.mean((biased - sigma2) ** 2) < np.mean((unbiased - sigma2) ** 2)


# ---------------------------------------------------------------- bias-variance decomposition

@pytest.mark.parametrize("degree", [0, 3, 9])
def test_decomposition_adds_up_to_the_measured_error(degree):
    r = estimators.bias_variance_decomposition(degree, n_train=50, n_sets=200, noise=0.3)
    assert math.isclose(r["total"], r["bias2"] + r["variance"] + r["noise"])
    assert abs(r["measured"] / r["total"] - 1) < 0.02


def test_bias_falls_and_variance_rises_with_degree():
    low = estimators.bias_variance_decomposition(1, n_train=50)
    high = estimators.bias_variance_decomposition(9, n_train=50)
    assert low["bias2"] > 10 * high["bias2"]
    assert high["variance"] > 2 * low["variance"]


def test_fits_are_reproducible_and_differ_between_training_sets():
    a = estimators.fits_over_training_sets(3, n_train=20, n_sets=5, x_eval=[0.1, 0.5], seed=4)
    b = estimators.fits_over_training_sets(3, n_train=20, n_sets=5, x_eval=[0.1, 0.5], seed=4)
    assert a.shape == (5, 2) and np.array_equal(a, b)
    assert np.all(np.std(a, axis=0) > 0)


def test_noise_free_linear_target_has_no_bias_or_variance(monkeypatch):
    monkeypatch.setattr(estimators, "true_function", lambda x: 2 * np.asarray(x) - 1)
    r = estimators.bias_variance_decomposition(1, n_train=10, n_sets=20, noise=0.0)
    assert r["bias2"] < 1e-20 and r["variance"] < 1e-20 and r["measured"] < 1e-20


# ---------------------------------------------------------------- the demo

def test_demo_redraws_when_a_control_changes():
    demo = estimators.demo()
    for name, value in [("k", 12), ("N", 700), ("seed", 3)]:
        before = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != before, name


def test_demo_explains_k_above_n():
    demo = estimators.demo(k=5, N=300)
    info = demo.widget.children[1]
    assert info.value == ""
    demo.controls["N"].value = 5
    assert "exactly" in info.value
    demo.controls["k"].value = 20
    assert "at most 5" in info.value


@settings(max_examples=200, deadline=None)
@given(k=st.integers(1, estimators.K_MAX), N=st.integers(estimators.N_MIN, estimators.N_MAX),
       seed=st.integers(0, 20))
def test_demo_never_raises(k, N, seed):
    demo = _shared_demo()
    demo.controls["k"].value = k
    demo.controls["N"].value = N
    demo.controls["seed"].value = seed
    assert demo.view.image.value[:4] == b"\x89PNG"


_DEMO = []


def _shared_demo():
    if not _DEMO:
        _DEMO.append(estimators.demo())
    return _DEMO[0]
