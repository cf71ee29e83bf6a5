"""Point estimators, bias, variance and MSE: the models of lesson I.9-I.10, and the
German-tank demo.

Pure numpy model functions first (tested in tests/test_demo_estimators.py), then `demo()`.

German tank problem: tanks carry serial numbers 1..N; we see k of them, a uniformly
random k-subset without replacement, with maximum m and mean x_bar. Three estimators of N:

    max            N_hat = m                     (biased low: never above N)
    twice_mean     N_hat = 2 x_bar - 1           (unbiased, uses only the mean)
    mvue           N_hat = m + m/k - 1           (unbiased, minimum variance)
"""
import math

import ipywidgets as widgets
import numpy as np

from utils.demos.capacity import fit_polynomial, predict_polynomial, true_function
from utils.widgets import Demo, FigureView, message, new_figure, say

TANK_ESTIMATORS = ["max", "twice_mean", "mvue"]
LABELS = {"max": "max m", "twice_mean": "2·x̄ − 1", "mvue": "MVUE m + m/k − 1"}
COLORS = {"max": "#0072B2", "twice_mean": "#E69F00", "mvue": "#D55E00"}

# ---------------------------------------------------------------- German tank problem


def sample_serials(N, k, repeats, rng):
    """`repeats` independent uniformly random k-subsets of {1, ..., N}: shape (repeats, k).

    Floyd's algorithm, run for all repeats at once: for j = N-k+1, ..., N draw t uniformly
    from 1..j and keep t, or j if t was already taken. It costs O(repeats k^2), not O(N).
    """
    if not 1 <= k <= N:
        raise ValueError(f"need 1 <= k <= N, got k = {k}, N = {N}")
    S = np.empty((repeats, k), dtype=np.int64)
    for i, j in enumerate(range(N - k + 1, N + 1)):
        t = rng.integers(1, j + 1, size=repeats)  # (repeats,) uniform on 1..j
        taken = (S[:, :i] == t[:, None]).any(axis=1)  # (repeats,)
        S[:, i] = np.where(taken, j, t)
    return S


def tank_estimates(serials):
    """The three estimates of N for each row of `serials` (repeats, k): a dict of (repeats,)."""
    serials = np.asarray(serials, dtype=float)
    k = serials.shape[-1]
    m = serials.max(axis=-1)
    return {"max": m,
            "twice_mean": 2 * serials.mean(axis=-1) - 1,
            "mvue": m + m / k - 1}


def simulate_tank(N, k, repeats=10_000, seed=0):
    """Estimates of N from `repeats` simulated captures of k tanks: dict name -> (repeats,)."""
    return tank_estimates(sample_serials(N, k, repeats, np.random.default_rng(seed)))


def tank_theory(N, k):
    """Exact (bias, variance, MSE) of each estimator, from the distribution of m and x_bar.

    E[m] = k(N+1)/(k+1), Var[m] = k(N+1)(N-k) / ((k+1)^2 (k+2)),
    Var[x_bar] = (N^2 - 1)/12 / k * (N - k)/(N - 1)   (sampling without replacement).
    """
    var_m = k * (N + 1) * (N - k) / ((k + 1) ** 2 * (k + 2))
    out = {"max": ((k - N) / (k + 1), var_m),
           "twice_mean": (0.0, (N + 1) * (N - k) / (3 * k)),
           "mvue": (0.0, ((k + 1) / k) ** 2 * var_m)}
    return {name: (bias, var, bias ** 2 + var) for name, (bias, var) in out.items()}


def bias_variance_mse(estimates, theta):
    """Empirical bias, variance (1/R) and MSE of R estimates of theta; MSE = bias^2 + var."""
    estimates = np.asarray(estimates, dtype=float)
    bias = float(estimates.mean() - theta)
    var = float(estimates.var())
    return bias, var, float(np.mean((estimates - theta) ** 2))


# ---------------------------------------------------------------- variance estimators


def variance_biased(x, axis=-1):
    """The maximum-likelihood variance estimate (1/m) sum (x_i - x_bar)^2."""
    x = np.asarray(x, dtype=float)
    return np.mean((x - x.mean(axis=axis, keepdims=True)) ** 2, axis=axis)


def variance_unbiased(x, axis=-1):
    """The unbiased sample variance (1/(m-1)) sum (x_i - x_bar)^2 (needs m >= 2)."""
    x = np.asarray(x, dtype=float)
    m = x.shape[axis]
    return variance_biased(x, axis) * m / (m - 1)


# ---------------------------------------------------------------- bias-variance of polynomial fits


def fits_over_training_sets(degree, n_train=25, n_sets=200, noise=0.3, x_eval=None, seed=0):
    """Fit a degree-`degree` polynomial to `n_sets` independent training sets of size
    n_train from y = sin(2 pi x) + noise * eps, and return the predictions (n_sets, len(x_eval))."""
    rng = np.random.default_rng(seed)
    x_eval = np.linspace(0, 1, 100) if x_eval is None else np.asarray(x_eval, dtype=float)
    y_hat = np.empty((n_sets, len(x_eval)))
    for s in range(n_sets):
        x = rng.uniform(0, 1, n_train)
        y = true_function(x) + noise * rng.standard_normal(n_train)
        y_hat[s] = predict_polynomial(fit_polynomial(x, y, degree), x_eval)
    return y_hat


def bias_variance_decomposition(degree, n_train=25, n_sets=200, noise=0.3, n_test=500, seed=0):
    """Empirical decomposition of the expected test error of a polynomial fit.

    Test inputs x ~ U(0, 1) (n_test of them, shared by all training sets); for each training
    set s a fresh test target y = f(x) + noise * eps. Returns a dict with

      bias2    = mean_x (mean_s f_hat_s(x) - f(x))^2
      variance = mean_x mean_s (f_hat_s(x) - mean_s f_hat_s(x))^2
      noise    = noise^2 (the Bayes error)
      total    = bias2 + variance + noise
      measured = mean_s mean_x (y_s(x) - f_hat_s(x))^2, measured directly.
    """
    rng = np.random.default_rng(seed + 10_000)
    x_test = rng.uniform(0, 1, n_test)
    y_hat = fits_over_training_sets(degree, n_train, n_sets, noise, x_test, seed)  # (S, n_test)
    f = true_function(x_test)  # (n_test,)
    y_test = f + noise * rng.standard_normal((n_sets, n_test))  # (S, n_test)
    mean_fit = y_hat.mean(axis=0)  # (n_test,)
    bias2 = float(np.mean((mean_fit - f) ** 2))
    variance = float(np.mean((y_hat - mean_fit) ** 2))
    measured = float(np.mean((y_test - y_hat) ** 2))
    return {"bias2": bias2, "variance": variance, "noise": noise ** 2,
            "total": bias2 + variance + noise ** 2, "measured": measured}


# ---------------------------------------------------------------- the German-tank demo

K_MAX = 30
N_MIN, N_MAX = 5, 1000
REPEATS = 10_000
BINS = np.linspace(0, 2.2, 111)  # estimate / N
MSE_LIMITS = (1e-5, 1.0)  # y range of the relative-MSE panel


def demo(k=5, N=300, seed=0):
    """German-tank simulator: k captured serials, true N -> histograms of the three
    estimators (10,000 repeats) and their relative MSE against k (exact curves, simulated dots)."""
    k_slider = widgets.IntSlider(value=k, min=1, max=K_MAX, description="tanks seen k")
    N_slider = widgets.IntSlider(value=N, min=N_MIN, max=N_MAX, description="true N")
    seed_slider = widgets.IntSlider(value=seed, min=0, max=20, description="seed")
    info = message()

    fig = new_figure(9.0, 3.6, dpi=80)
    ax_hist, ax_mse = fig.subplots(1, 2)
    ax_hist.axvline(1.0, color="black", lw=1)
    stairs = {name: ax_hist.stairs(np.zeros(len(BINS) - 1), BINS, color=COLORS[name], lw=1.8,
                                   label=LABELS[name], animated=True)
              for name in TANK_ESTIMATORS}
    table = widgets.HTML()  # the numbers, as HTML: cheaper than drawing text in the figure
    ax_hist.set(xlim=(BINS[0], BINS[-1]), ylim=(0, 1.5), yticks=[],
                xlabel="estimate ÷ true N", ylabel=f"frequency ({REPEATS:,} repeats)")
    ax_hist.legend(loc="upper right", fontsize=8)

    ks = np.arange(1, K_MAX + 1)
    curves, dots = {}, {}
    for name in TANK_ESTIMATORS:
        curves[name], = ax_mse.plot([], [], color=COLORS[name], lw=1.5, animated=True,
                                    label=f"{LABELS[name]} (exact)")
        dots[name], = ax_mse.plot([], [], "o", color=COLORS[name], ms=7, mec="black",
                                  animated=True)
    ax_mse.set(xscale="log", yscale="log", xlim=(0.9, K_MAX * 1.1), ylim=MSE_LIMITS,
               xlabel="tanks seen k", ylabel="MSE ÷ N²  (dots: simulated)")
    ax_mse.legend(loc="lower left", fontsize=8)
    view = FigureView(fig)

    def update(_=None):
        N_true = N_slider.value
        k_used = min(k_slider.value, N_true)
        if k_slider.value > N_true:
            say(info, f"Only {N_true} tanks exist, so at most {N_true} can be captured: "
                      f"showing k = {k_used}.", "warn")
        elif k_used == N_true:
            say(info, "Every tank was captured: all three estimators return N exactly "
                      "(bias, variance and MSE are 0).")
        else:
            say(info, "")
        estimates = simulate_tank(N_true, k_used, REPEATS, seed_slider.value)
        counts = {name: np.histogram(estimates[name] / N_true, BINS)[0]
                  for name in TANK_ESTIMATORS}
        peak = max(max(c.max() for c in counts.values()), 1)  # one scale for all three
        rows = []
        for name in TANK_ESTIMATORS:
            stairs[name].set_data(counts[name] / peak)
            bias, var, mse_value = bias_variance_mse(estimates[name], N_true)
            rows.append(f"<tr><td style='color:{COLORS[name]}'>{LABELS[name]}</td>"
                        f"<td>{bias:+.1f}</td><td>{math.sqrt(var):.1f}</td>"
                        f"<td>{math.sqrt(mse_value):.1f}</td></tr>")
            k_range = ks[ks <= N_true]
            theory = np.array([tank_theory(N_true, kk)[name][2] for kk in k_range]) / N_true ** 2
            curves[name].set_data(k_range, np.clip(theory, *MSE_LIMITS))
            dots[name].set_data([k_used], [np.clip(mse_value / N_true ** 2, *MSE_LIMITS)])
        table.value = (f"<table style='font-family:monospace'><tr><th>N = {N_true}, "
                       f"k = {k_used}</th><th>bias</th><th>std</th><th>√MSE</th></tr>"
                       + "".join(rows) + "</table>")
        view.redraw()

    for control in (k_slider, N_slider, seed_slider):
        control.observe(update, names="value")
    update()
    controls = {"k": k_slider, "N": N_slider, "seed": seed_slider}
    layout = widgets.VBox([widgets.HBox([k_slider, N_slider, seed_slider]), info, view.image,
                           table])
    return Demo(layout, controls, view)
