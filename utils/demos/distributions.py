"""Distribution explorer: samples against the exact PMF or PDF, and a live check that the
total probability is 1.

Introduced in units/unit1_deep_network_basics/02_probability_distributions.

Model (no widgets; the tests compare it with torch.distributions and closed forms):
- `density(name, x, params)`: the PMF (discrete) or PDF (continuous), formulas written out;
- `moments(name, params)`: exact mean and variance;
- `sample(name, params, n, seed)`: n samples drawn with one seeded torch.Generator;
- `total(name, params)`: the sum of the PMF over its support or the integral of the PDF
  (trapezoid rule), which must be 1;
- `notes_normal_pdf(x, mean, sd)`: the source notes' wrong "normal pdf" (002:L773), kept
  to show why it is wrong.

View: `demo()` returns a Demo: a dropdown of 7 distributions, sample size and parameter
sliders, a histogram of the samples over the exact PMF/PDF, and a toggle that overlays the
notes' formula.
"""
import math

import ipywidgets as widgets
import numpy as np
import torch

from utils.widgets import OKABE_ITO, Demo, FigureView, message, new_figure, one_thread, say

DISCRETE = ["Bernoulli", "Binomial", "Poisson"]
CONTINUOUS = ["Uniform", "Normal", "Exponential", "Log-normal"]
NAMES = DISCRETE + CONTINUOUS

# parameter -> (slider label, min, max, step, default); defaults are the notes' examples
PARAMS = {
    "Bernoulli": {"p": ("φ = P(x=1)", 0.0, 1.0, 0.01, 0.6)},
    "Binomial": {"n": ("n trials", 1, 50, 1, 6), "p": ("p success", 0.0, 1.0, 0.01, 0.4)},
    "Poisson": {"lam": ("λ rate", 0.1, 30.0, 0.1, 5.0)},
    "Uniform": {"a": ("a (low)", -5.0, 5.0, 0.1, 0.0), "b": ("b (high)", -5.0, 5.0, 0.1, 1.0)},
    "Normal": {"mu": ("μ mean", -10.0, 50.0, 0.1, 25.5),
               "sigma": ("σ std", 0.05, 20.0, 0.01, 14.29)},
    "Exponential": {"beta": ("β scale", 0.1, 10.0, 0.1, 3.0)},
    "Log-normal": {"mu": ("μ of ln x", -1.0, 2.0, 0.05, 0.0),
                   "sigma": ("σ of ln x", 0.1, 1.5, 0.05, 0.5)},
}
SYMBOLS = {"lam": "λ", "mu": "μ", "sigma": "σ", "beta": "β"}
SAMPLE_SIZES = [10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000]


def defaults(name):
    """The default parameters of distribution `name`, as a dict."""
    return {key: spec[4] for key, spec in PARAMS[name].items()}


def problem(name, params):
    """Why these parameters define no distribution ("" if they do)."""
    if name == "Uniform" and not params["b"] > params["a"]:
        return f"Uniform needs b > a (got a = {params['a']:g}, b = {params['b']:g}): " \
               "the density 1/(b − a) would be undefined or negative."
    for key, value in params.items():
        if not np.isfinite(value):
            return f"{key} must be a finite number"
    if name in ("Bernoulli", "Binomial") and not 0 <= params["p"] <= 1:
        return "a probability p must lie in [0, 1]"
    if name == "Binomial" and (params["n"] < 1 or params["n"] != int(params["n"])):
        return "n must be a whole number of trials, at least 1"
    positive = {"Poisson": "lam", "Normal": "sigma", "Exponential": "beta", "Log-normal": "sigma"}
    if name in positive and not params[positive[name]] > 0:
        return f"{positive[name]} must be positive"
    return ""


def density(name, x, params):
    """P(x = x) for a discrete distribution, p(x) for a continuous one (numpy, float64)."""
    x = np.asarray(x, dtype=float)
    if name == "Bernoulli":
        phi = params["p"]
        return np.where(x == 1, phi, np.where(x == 0, 1 - phi, 0.0))
    if name == "Binomial":
        n, p = int(params["n"]), params["p"]
        k = np.clip(x, 0, n).astype(int)
        values = np.array([math.comb(n, int(r)) * p**r * (1 - p) ** (n - r) for r in k.ravel()])
        return np.where((x >= 0) & (x <= n) & (x == np.round(x)), values.reshape(x.shape), 0.0)
    if name == "Poisson":
        lam = params["lam"]
        k = np.maximum(x, 0)
        log_p = k * math.log(lam) - lam - np.vectorize(math.lgamma)(k + 1)
        return np.where((x >= 0) & (x == np.round(x)), np.exp(log_p), 0.0)
    if name == "Uniform":
        a, b = params["a"], params["b"]
        return np.where((x >= a) & (x <= b), 1 / (b - a), 0.0)
    if name == "Normal":
        mu, sigma = params["mu"], params["sigma"]
        return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    if name == "Exponential":
        beta = params["beta"]  # scale; the rate is λ = 1 / β
        return np.where(x >= 0, np.exp(-np.maximum(x, 0) / beta) / beta, 0.0)
    if name == "Log-normal":
        mu, sigma = params["mu"], params["sigma"]
        safe = np.where(x > 0, x, 1.0)
        z = (np.log(safe) - mu) / sigma
        values = np.exp(-0.5 * z**2) / (safe * sigma * math.sqrt(2 * math.pi))
        return np.where(x > 0, values, 0.0)
    raise ValueError(f"unknown distribution {name!r}; choose from {NAMES}")


def moments(name, params):
    """Exact (mean, variance)."""
    if name == "Bernoulli":
        return params["p"], params["p"] * (1 - params["p"])
    if name == "Binomial":
        n, p = params["n"], params["p"]
        return n * p, n * p * (1 - p)
    if name == "Poisson":
        return params["lam"], params["lam"]
    if name == "Uniform":
        a, b = params["a"], params["b"]
        return (a + b) / 2, (b - a) ** 2 / 12
    if name == "Normal":
        return params["mu"], params["sigma"] ** 2
    if name == "Exponential":
        return params["beta"], params["beta"] ** 2
    if name == "Log-normal":
        mu, s2 = params["mu"], params["sigma"] ** 2
        return math.exp(mu + s2 / 2), (math.exp(s2) - 1) * math.exp(2 * mu + s2)
    raise ValueError(f"unknown distribution {name!r}; choose from {NAMES}")


def sample(name, params, n, seed=0):
    """n samples (numpy float64), all drawn from one torch.Generator seeded with `seed`."""
    g = torch.Generator().manual_seed(seed)
    f64 = dict(dtype=torch.float64)

    def full(value):  # (n,) copies of a parameter
        return torch.full((int(n),), float(value), **f64)

    if name == "Bernoulli":
        x = torch.bernoulli(full(params["p"]), generator=g)
    elif name == "Binomial":
        x = torch.binomial(full(params["n"]), full(params["p"]), generator=g)
    elif name == "Poisson":
        x = torch.poisson(full(params["lam"]), generator=g)
    elif name == "Uniform":
        x = params["a"] + (params["b"] - params["a"]) * torch.rand(int(n), generator=g, **f64)
    elif name == "Normal":
        x = params["mu"] + params["sigma"] * torch.randn(int(n), generator=g, **f64)
    elif name == "Exponential":  # inverse CDF: x = -β ln(1 - u)
        x = -params["beta"] * torch.log1p(-torch.rand(int(n), generator=g, **f64))
    elif name == "Log-normal":  # x = e^z with z ~ N(μ, σ²)
        x = torch.exp(params["mu"] + params["sigma"] * torch.randn(int(n), generator=g, **f64))
    else:
        raise ValueError(f"unknown distribution {name!r}; choose from {NAMES}")
    return x.numpy()


def support(name, params):
    """Discrete: the integer states that hold all but < 1e-12 of the mass.
    Continuous: a fine grid over the same (non-uniform for the log-normal)."""
    if name == "Bernoulli":
        return np.array([0.0, 1.0])
    if name == "Binomial":
        return np.arange(int(params["n"]) + 1, dtype=float)
    if name == "Poisson":
        lam = params["lam"]
        return np.arange(0, math.ceil(lam + 15 * math.sqrt(lam) + 30), dtype=float)
    if name == "Uniform":
        return np.linspace(params["a"], params["b"], 2001)
    if name == "Normal":
        mu, sigma = params["mu"], params["sigma"]
        return np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20001)
    if name == "Exponential":
        return np.linspace(0, 40 * params["beta"], 20001)
    if name == "Log-normal":
        mu, sigma = params["mu"], params["sigma"]
        return np.exp(np.linspace(mu - 12 * sigma, mu + 12 * sigma, 20001))
    raise ValueError(f"unknown distribution {name!r}; choose from {NAMES}")


def integrate(y, x):
    """The trapezoid rule for ∫ y dx on the grid x (need not be uniform)."""
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


def total(name, params):
    """Σ_x P(x) for a discrete distribution, ∫ p(x) dx for a continuous one: it must be 1."""
    x = support(name, params)
    if name in DISCRETE:
        return float(density(name, x, params).sum())
    return integrate(density(name, x, params), x)


def notes_normal_pdf(x, mean, sd):
    """The notes' "normal pdf" (002:L773), WRONG: it multiplies by π σ instead of
    dividing by σ √(2π). Kept only to show its peak and area."""
    return (np.pi * sd) * np.exp(-0.5 * ((np.asarray(x, dtype=float) - mean) / sd) ** 2)


def notes_normal_total(sd):
    """Area under the notes' formula over the whole line: π σ · σ √(2π) (it should be 1)."""
    return math.pi * sd * sd * math.sqrt(2 * math.pi)


def display_range(name, params):
    """The x interval the explorer plots."""
    mean, var = moments(name, params)
    sd = math.sqrt(var)
    if name == "Bernoulli":
        return -0.5, 1.5
    if name == "Binomial":
        return -0.5, params["n"] + 0.5
    if name == "Poisson":
        return -0.5, math.ceil(mean + 4 * sd + 2) + 0.5
    if name == "Uniform":
        pad = 0.25 * (params["b"] - params["a"])
        return params["a"] - pad, params["b"] + pad
    if name == "Normal":
        return mean - 4 * sd, mean + 4 * sd
    if name == "Exponential":
        return 0.0, 6 * params["beta"]
    return 0.0, math.exp(params["mu"] + 3 * params["sigma"])


def histogram(name, params, x):
    """Heights and bin edges of the samples x on the displayed range, normalised by ALL
    samples: relative frequency per state (discrete) or per unit length (continuous), so
    that it is comparable with the PMF or PDF."""
    lo, hi = display_range(name, params)
    if name in DISCRETE:
        edges = np.arange(lo, hi + 1)  # one unit-wide bin centred on each integer
    else:
        n_bins = int(np.clip(np.sqrt(len(x)), 10, 60))
        edges = np.linspace(lo, hi, n_bins + 1)
    counts, _ = np.histogram(x, bins=edges)
    return counts / (len(x) * np.diff(edges)), edges


def summary(name, params, n, seed=0):
    """The numbers the explorer shows for n samples, as a dict ({"problem": why} when the
    parameters define no distribution)."""
    issue = problem(name, params)
    if issue:
        return {"problem": issue}
    return summary_of(name, params, sample(name, params, n, seed))


def summary_of(name, params, x):
    """Total probability, exact and sample moments and the largest P(x) or p(x)."""
    mean, var = moments(name, params)
    grid = support(name, params)
    return {"problem": "", "total": total(name, params), "mean": mean, "var": var,
            "sample_mean": float(x.mean()), "sample_var": float(x.var()),
            "max_density": float(density(name, grid, params).max()), "samples": x}


# ---------------------------------------------------------------- view
class Explorer:
    """Figure and callback of the distribution explorer."""

    def __init__(self, controls):
        self.controls = controls
        fig = new_figure(7.0, 3.3, dpi=80)
        fig.set_layout_engine("none")  # fixed margins: no layout pass on every redraw
        self.ax = ax = fig.add_axes((0.1, 0.15, 0.87, 0.75))
        style = dict(animated=True)  # the moving parts, blitted over a cached background
        self.bars = ax.stairs([0.0], [0.0, 1.0], fill=True, color=OKABE_ITO[5], alpha=0.6,
                              label="samples", **style)
        self.curve, = ax.plot([], [], color=OKABE_ITO[0], lw=2, label="exact PDF", **style)
        self.dots, = ax.plot([], [], "o", color=OKABE_ITO[0], ms=6, label="exact PMF", **style)
        self.notes, = ax.plot([], [], "--", color=OKABE_ITO[3], lw=2, label="notes' formula",
                              **style)
        self.title_text = ax.text(0.5, 1.03, "", transform=ax.transAxes, ha="center",
                                  fontsize=12, **style)
        ax.set_xlabel("x")
        # fixed label places (axes coordinates): placed automatically, matplotlib measures
        # every tick label's box at each full draw, 15% of it (profiled)
        ax.xaxis.set_label_coords(0.5, -0.11)
        ax.yaxis.set_label_coords(-0.085, 0.5)
        self.view = FigureView(fig)
        self.label = message()
        self.stats = widgets.HTML()
        self.setting = None  # (distribution, parameters, notes toggle) of the background
        self.keys = {id(control): key for key, control in controls.items()}

    def params(self, name):
        return {key: self.controls[f"{name}:{key}"].value for key in PARAMS[name]}

    def show_sliders(self, name):
        for key, control in self.controls.items():
            if ":" in key:
                control.layout.display = "" if key.startswith(name + ":") else "none"

    def update(self, _change=None):
        name = self.controls["distribution"].value
        changed = self.keys.get(id(_change["owner"]), "") if _change else ""
        if ":" in changed and not changed.startswith(name + ":"):
            return  # a slider of a distribution that is not shown: nothing to redraw
        n = self.controls["n_samples"].value
        params = self.params(name)
        self.show_sliders(name)
        issue = problem(name, params)
        if issue:
            self.setting = None
            for artist in (self.curve, self.dots, self.notes):
                artist.set_data([], [])
            self.bars.set_data([0.0], [0.0, 1.0])
            self.title_text.set_text(f"{name}: no distribution for these parameters")
            if self.ax.get_legend() is not None:
                self.ax.get_legend().remove()
            say(self.label, issue, kind="warn")
            self.stats.value = ""
            self.view.redraw(full=True)
            return
        setting = (name, tuple(params.items()), self.controls["notes_formula"].value)
        if setting != self.setting:  # new curve, limits and legend: redraw everything
            self.setting = setting
            self.draw_exact(name, params)
        with one_thread():
            x = sample(name, params, n)
        heights, edges = histogram(name, params, x)
        if name in DISCRETE:  # a bar of width 0.8 per state, with gaps between them
            centres = (edges[1:] + edges[:-1]) / 2
            edges = np.stack([centres - 0.4, centres + 0.4], axis=1).ravel()  # (2 K,)
            heights = np.stack([heights, np.zeros_like(heights)], axis=1).ravel()[:-1]  # (2 K - 1,)
        self.bars.set_data(heights, edges)
        self.stats.value = stats_html(name, summary_of(name, params, x))
        top = max(heights.max(), self.exact_top)
        full = _change is None or _change["owner"] is not self.controls["n_samples"] \
            or not 0.5 * self.ax.get_ylim()[1] < 1.1 * top <= self.ax.get_ylim()[1]
        if full:
            self.ax.set_ylim(0, 1.1 * top)
        self.title_text.set_text(self.title(name, params, n))
        self.view.redraw(full=full)

    def title(self, name, params, n):
        shown = ", ".join(f"{SYMBOLS.get(key, key)}={value:g}" for key, value in params.items())
        return f"{name}({shown}), N = {n} samples"

    def draw_exact(self, name, params):
        """The exact PMF/PDF, the notes' overlay, axis limits and legend of a new setting."""
        lo, hi = display_range(name, params)
        discrete = name in DISCRETE
        x = np.arange(math.ceil(lo), math.floor(hi) + 1) if discrete else np.linspace(lo, hi, 400)
        y = density(name, x, params)
        self.dots.set_data(x if discrete else [], y if discrete else [])
        self.curve.set_data([] if discrete else x, [] if discrete else y)
        self.exact_top = y.max()
        notes_on = self.controls["notes_formula"].value
        text = ""
        if notes_on and name == "Normal":
            buggy = notes_normal_pdf(x, params["mu"], params["sigma"])
            self.notes.set_data(x, buggy)
            self.exact_top = max(self.exact_top, buggy.max())
            text = (f"The notes' formula peaks at {buggy.max():.4g} where the density peaks at "
                    f"{y.max():.4g}, and its area is {notes_normal_total(params['sigma']):.4g}, not 1.")
        else:
            self.notes.set_data([], [])
            if notes_on:
                text = "The notes' formula is their (wrong) normal PDF: choose Normal to overlay it."
        say(self.label, text, kind="warn" if text.startswith("The notes' formula peaks") else "info")
        self.ax.set_xlim(lo, hi)
        self.ax.set_ylabel("P(x)" if discrete else "p(x)")
        handles = [self.bars, self.dots if discrete else self.curve]
        handles += [self.notes] if notes_on and name == "Normal" else []
        self.ax.legend(handles=handles, loc="upper right", fontsize=9)


def stats_html(name, info):
    """The live check line: total probability, then exact against sample moments."""
    sign = "Σ<sub>x</sub> P(x)" if name in DISCRETE else "∫ p(x) dx"
    peak = "max P(x)" if name in DISCRETE else "max p(x)"
    note = "" if name in DISCRETE or info["max_density"] <= 1 else " (a density may exceed 1)"
    return (f"{sign} = <b>{info['total']:.6f}</b> &nbsp;|&nbsp; "
            f"mean: exact {info['mean']:.4g}, sample {info['sample_mean']:.4g} &nbsp;|&nbsp; "
            f"variance: exact {info['var']:.4g}, sample {info['sample_var']:.4g} &nbsp;|&nbsp; "
            f"{peak} = {info['max_density']:.4g}{note}")


def demo(distribution="Binomial", n_samples=1000, notes_formula=False):
    """The distribution explorer (defaults as in the notes: Binomial(6, 0.4), Poisson(5),
    Normal with the notes' mean 25.5 and std 14.29, Exponential with scale 3)."""
    controls = {
        "distribution": widgets.Dropdown(options=NAMES, value=distribution,
                                         description="distribution"),
        "n_samples": widgets.SelectionSlider(options=SAMPLE_SIZES, value=n_samples,
                                             description="N samples"),
    }
    for name, spec in PARAMS.items():
        for key, (label, lo, hi, step, value) in spec.items():
            kind = widgets.IntSlider if isinstance(step, int) else widgets.FloatSlider
            controls[f"{name}:{key}"] = kind(value=value, min=lo, max=hi, step=step,
                                             description=label,
                                             style={"description_width": "90px"})
    controls["notes_formula"] = widgets.Checkbox(value=notes_formula,
                                                 description="overlay the notes' normal formula")
    explorer = Explorer(controls)
    for control in controls.values():
        control.observe(explorer.update, names="value")
    explorer.update()
    sliders = [control for key, control in controls.items() if ":" in key]
    layout = widgets.VBox([
        widgets.HBox([controls["distribution"], controls["notes_formula"]]),
        controls["n_samples"],
        widgets.HBox(sliders, layout=widgets.Layout(flex_flow="row wrap")),
        explorer.stats, explorer.label, explorer.view.image,
    ])
    return Demo(layout, controls, explorer.view)
