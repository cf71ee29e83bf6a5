"""Automatic hyperparameter search (GBC §11.4.2–11.4.5): grid search, random search and a
minimal Bayesian optimisation (a Gaussian process with expected improvement), in numpy.

A search *space* is a dict {name: (low, high, scale)} with scale "log" or "linear"; a
*point* is a dict {name: value}. An *objective* takes a point and returns the number to
MINIMISE (a validation error). Every search returns a list of trials
[(point, value), ...] in the order they were run, so that the best value found after the
first b trials ("best so far against budget") can be compared between methods.
"""
import itertools
import math

import numpy as np

# ---------------------------------------------------------------- spaces and points


def _to_unit(value, low, high, scale):
    """Map a value of [low, high] to [0, 1] (on log10 scale for "log")."""
    if scale == "log":
        return (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))
    return (value - low) / (high - low)


def _from_unit(u, low, high, scale):
    """Inverse of _to_unit."""
    if scale == "log":
        return 10 ** (math.log10(low) + u * (math.log10(high) - math.log10(low)))
    return low + u * (high - low)


def grid_values(low, high, n, scale="log"):
    """n values from low to high, evenly spaced on a log10 axis ("log") or a linear one."""
    if scale == "log":
        return np.logspace(math.log10(low), math.log10(high), n)
    return np.linspace(low, high, n)


def grid_points(space, n_per_axis):
    """Every combination of n_per_axis values per hyperparameter: n_per_axis ** d points."""
    names = list(space)
    axes = [grid_values(*space[name][:2], n_per_axis, space[name][2]) for name in names]
    return [dict(zip(names, map(float, values))) for values in itertools.product(*axes)]


def grid_cost(values_per_hyperparameter, k_folds=1):
    """Training runs of a grid search: k * prod_i |V_i| (k-fold cross-validation per point)."""
    return k_folds * math.prod(values_per_hyperparameter)


def random_points(space, n, rng):
    """n points drawn independently: uniform on [low, high], or log-uniform for "log"
    (log10 of the value uniform, e.g. log10 lr ~ U(-5, -1))."""
    names = list(space)
    points = []
    for _ in range(n):
        points.append({name: float(_from_unit(rng.random(), *space[name])) for name in names})
    return points


# ---------------------------------------------------------------- running searches


def run_trials(objective, points):
    """Evaluate the objective at each point: [(point, value), ...]."""
    return [(point, float(objective(point))) for point in points]


def grid_search(objective, space, n_per_axis):
    return run_trials(objective, grid_points(space, n_per_axis))


def random_search(objective, space, n, seed=0):
    return run_trials(objective, random_points(space, n, np.random.default_rng(seed)))


def best_so_far(trials):
    """Array of the smallest objective value among the first 1, 2, ..., len(trials) trials."""
    return np.minimum.accumulate([value for _, value in trials])


def best_trial(trials):
    """The (point, value) with the smallest value (the first one on ties)."""
    return min(trials, key=lambda trial: trial[1])


# ---------------------------------------------------------------- Gaussian process


def rbf_kernel(A, B, length_scale=0.2, variance=1.0):
    """k(a, b) = variance * exp(-|a - b|^2 / (2 length_scale^2)) for rows of A (n, d), B (m, d)."""
    A, B = np.atleast_2d(A), np.atleast_2d(B)
    sq = np.sum(A ** 2, 1)[:, None] + np.sum(B ** 2, 1)[None, :] - 2 * A @ B.T  # (n, m)
    return variance * np.exp(-np.maximum(sq, 0) / (2 * length_scale ** 2))


def gp_posterior(X, y, X_query, length_scale=0.2, noise=1e-4):
    """Posterior mean and standard deviation (m,) of a GP at the rows of X_query (m, d),
    given observations y (n,) at the rows of X (n, d).

    y is standardised first (mean 0, variance 1; the prior is then a unit-variance RBF GP),
    and the result is mapped back. With L the Cholesky factor of K + noise I:
    mean = k*^T (K + noise I)^{-1} y,  var = k(x, x) - k*^T (K + noise I)^{-1} k*.
    """
    X, X_query = np.atleast_2d(X), np.atleast_2d(X_query)
    y = np.asarray(y, dtype=float)
    y_mean, y_std = y.mean(), y.std() if len(y) > 1 and y.std() > 0 else 1.0
    z = (y - y_mean) / y_std
    K = rbf_kernel(X, X, length_scale) + noise * np.eye(len(X))  # (n, n)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, z))  # (K + noise I)^{-1} z, (n,)
    K_star = rbf_kernel(X, X_query, length_scale)  # (n, m)
    mean = K_star.T @ alpha
    v = np.linalg.solve(L, K_star)  # (n, m)
    var = np.maximum(1.0 - np.sum(v ** 2, axis=0), 1e-12)
    return y_mean + y_std * mean, y_std * np.sqrt(var)


def _normal_pdf(z):
    return np.exp(-0.5 * z ** 2) / math.sqrt(2 * math.pi)


def _normal_cdf(z):
    return 0.5 * (1 + np.vectorize(math.erf)(np.asarray(z) / math.sqrt(2)))


def expected_improvement(mean, std, best, xi=0.0):
    """EI(x) = E[max(0, best - f(x))] for f(x) ~ N(mean, std^2) (we minimise):
    (best - mean - xi) Phi(z) + std phi(z), z = (best - mean - xi) / std."""
    mean, std = np.asarray(mean, dtype=float), np.asarray(std, dtype=float)
    improvement = best - mean - xi
    z = improvement / std
    return np.maximum(improvement * _normal_cdf(z) + std * _normal_pdf(z), 0.0)


class BayesOpt:
    """Bayesian optimisation of an objective on the unit cube [0, 1]^d (a space's points
    are mapped to it per axis). `suggest()` returns the candidate with the largest expected
    improvement under the GP fitted to the trials so far; `tell(point, value)` records one.
    The first `n_init` suggestions are random (a GP needs data to say anything)."""

    def __init__(self, space, n_init=3, length_scale=0.2, noise=1e-4, n_candidates=2000, seed=0):
        self.space, self.names = space, list(space)
        self.n_init, self.length_scale, self.noise = n_init, length_scale, noise
        self.rng = np.random.default_rng(seed)
        self.candidates = self.rng.random((n_candidates, len(space)))  # (M, d) in [0, 1]
        if len(space) == 1:
            self.candidates = np.linspace(0, 1, n_candidates)[:, None]  # (M, 1)
        self.U, self.values, self.trials = [], [], []

    def to_point(self, u):
        return {name: float(_from_unit(float(u_i), *self.space[name]))
                for name, u_i in zip(self.names, u)}

    def to_unit(self, point):
        return np.array([_to_unit(point[name], *self.space[name]) for name in self.names])

    def posterior(self, U=None):
        """GP mean and std at the rows of U (default: the candidates)."""
        U = self.candidates if U is None else U
        return gp_posterior(np.array(self.U), np.array(self.values), U,
                            self.length_scale, self.noise)

    def acquisition(self):
        """(mean, std, EI) at every candidate."""
        mean, std = self.posterior()
        return mean, std, expected_improvement(mean, std, min(self.values))

    def suggest(self):
        if len(self.values) < self.n_init:
            return self.to_point(self.rng.random(len(self.names)))
        _, _, ei = self.acquisition()
        return self.to_point(self.candidates[int(np.argmax(ei))])

    def tell(self, point, value):
        self.U.append(self.to_unit(point))
        self.values.append(float(value))
        self.trials.append((point, float(value)))


def bayes_opt_search(objective, space, n, n_init=3, length_scale=0.2, seed=0):
    """n trials of Bayesian optimisation: [(point, value), ...]."""
    opt = BayesOpt(space, n_init=n_init, length_scale=length_scale, seed=seed)
    for _ in range(n):
        point = opt.suggest()
        opt.tell(point, objective(point))
    return opt.trials
