"""utils.search: grids, random points, the Gaussian process, expected improvement, BO."""
import math

import numpy as np
import pytest
from scipy.stats import norm

from utils import search

SPACE = {"lr": (1e-4, 1.0, "log"), "wd": (0.0, 0.1, "linear")}


def test_grid_points_and_cost():
    points = search.grid_points(SPACE, 5)
    assert len(points) == 25
    lrs = sorted({p["lr"] for p in points})
    assert np.allclose(lrs, [1e-4, 1e-3, 1e-2, 1e-1, 1.0])
    assert np.allclose(sorted({p["wd"] for p in points}), [0, 0.025, 0.05, 0.075, 0.1])
    assert search.grid_cost([5, 5], k_folds=5) == 125
    assert search.grid_cost([3] * 6) == 729


def test_random_points_are_log_uniform():
    points = search.random_points({"lr": (1e-5, 1e-1, "log")}, 20_000, np.random.default_rng(0))
    logs = np.log10([p["lr"] for p in points])
    assert logs.min() >= -5 and logs.max() <= -1
    assert abs(logs.mean() + 3) < 0.03  # uniform on [-5, -1] has mean -3
    assert abs(np.mean(logs < -4) - 0.25) < 0.01  # each decade gets a quarter


def test_best_so_far_and_best_trial():
    trials = [({"a": 1}, 3.0), ({"a": 2}, 1.0), ({"a": 3}, 2.0), ({"a": 4}, 0.5)]
    assert search.best_so_far(trials).tolist() == [3.0, 1.0, 1.0, 0.5]
    assert search.best_trial(trials) == ({"a": 4}, 0.5)


def test_gp_interpolates_and_is_uncertain_far_away():
    X = np.array([[0.1], [0.4], [0.8]])
    y = np.array([1.0, -0.5, 2.0])
    mean, std = search.gp_posterior(X, y, X, noise=1e-8)
    assert np.allclose(mean, y, atol=1e-4)
    assert np.all(std < 1e-2)
    _, std_far = search.gp_posterior(X, y, np.array([[3.0]]))
    assert abs(std_far[0] - y.std()) < 1e-6  # back to the prior's standard deviation


def test_gp_mean_matches_the_textbook_formula():
    rng = np.random.default_rng(1)
    X, y, Q = rng.random((6, 2)), rng.normal(size=6), rng.random((4, 2))
    z = (y - y.mean()) / y.std()
    K = search.rbf_kernel(X, X) + 1e-4 * np.eye(6)
    k = search.rbf_kernel(X, Q)
    mean = y.mean() + y.std() * k.T @ np.linalg.solve(K, z)
    var = 1 - np.sum(k * np.linalg.solve(K, k), axis=0)
    m, s = search.gp_posterior(X, y, Q)
    assert np.allclose(m, mean) and np.allclose(s, y.std() * np.sqrt(var))


def test_expected_improvement_closed_form_and_monte_carlo():
    mean, std, best = np.array([0.0, 1.0, 2.0]), np.array([1.0, 0.5, 2.0]), 0.8
    z = (best - mean) / std
    assert np.allclose(search.expected_improvement(mean, std, best),
                       (best - mean) * norm.cdf(z) + std * norm.pdf(z))
    rng = np.random.default_rng(0)
    draws = mean[:, None] + std[:, None] * rng.standard_normal((3, 400_000))
    mc = np.maximum(best - draws, 0).mean(axis=1)
    assert np.allclose(search.expected_improvement(mean, std, best), mc, atol=5e-3)
    assert np.all(search.expected_improvement(mean, np.full(3, 1e-9), -10) == 0)


def test_random_search_beats_grid_when_one_axis_is_irrelevant():
    # Bergstra & Bengio: f depends on x only; 9 grid points test 3 distinct x, 9 random test 9
    def f(point):
        return (point["x"] - 0.37) ** 2

    space = {"x": (0.0, 1.0, "linear"), "y": (0.0, 1.0, "linear")}
    grid_best = search.best_trial(search.grid_search(f, space, 3))[1]
    random_best = np.median([search.best_trial(search.random_search(f, space, 9, seed=s))[1]
                             for s in range(200)])
    assert random_best < grid_best


def test_bayes_opt_finds_a_1d_minimum_quickly():
    def f(point):
        x = math.log10(point["lr"])
        return (x + 2.3) ** 2 + 0.1 * math.sin(5 * x)

    space = {"lr": (1e-4, 1.0, "log")}
    trials = search.bayes_opt_search(f, space, 12, n_init=3, seed=0)
    assert len(trials) == 12
    xs = np.linspace(-4, 0, 40_001)
    true_min = np.min((xs + 2.3) ** 2 + 0.1 * np.sin(5 * xs))
    assert search.best_trial(trials)[1] - true_min < 0.01
    random_best = np.median([search.best_trial(search.random_search(f, space, 12, seed=s))[1]
                             for s in range(50)])
    assert search.best_trial(trials)[1] <= random_best


@pytest.mark.parametrize("seed", range(5))
def test_bayes_opt_suggestions_stay_in_the_space(seed):
    opt = search.BayesOpt(SPACE, n_init=2, seed=seed)
    rng = np.random.default_rng(seed)
    for _ in range(8):
        point = opt.suggest()
        assert 1e-4 <= point["lr"] <= 1.0 + 1e-12 and 0 <= point["wd"] <= 0.1 + 1e-12
        opt.tell(point, rng.random())
    mean, std, ei = opt.acquisition()
    assert mean.shape == std.shape == ei.shape == (2000,)
    assert np.all(ei >= 0) and np.all(std > 0)
