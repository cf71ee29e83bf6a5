import math

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from torch import distributions as td  # noqa: E402

from utils.demos import distributions as D  # noqa: E402


def torch_distribution(name, params):
    """The same distribution in torch.distributions (note: Exponential takes the RATE 1/β)."""
    t = {key: torch.tensor(float(value), dtype=torch.float64) for key, value in params.items()}
    if name == "Bernoulli":
        return td.Bernoulli(probs=t["p"])
    if name == "Binomial":
        return td.Binomial(params["n"], probs=t["p"])
    if name == "Poisson":
        return td.Poisson(t["lam"])
    if name == "Uniform":
        return td.Uniform(t["a"], t["b"])
    if name == "Normal":
        return td.Normal(t["mu"], t["sigma"])
    if name == "Exponential":
        return td.Exponential(1 / t["beta"])
    return td.LogNormal(t["mu"], t["sigma"])


SETTINGS = [(name, D.defaults(name)) for name in D.NAMES] + [
    ("Bernoulli", {"p": 0.1}), ("Binomial", {"n": 20, "p": 0.85}), ("Poisson", {"lam": 0.7}),
    ("Uniform", {"a": -2.0, "b": 0.5}), ("Normal", {"mu": -1.0, "sigma": 0.2}),
    ("Exponential", {"beta": 0.5}), ("Log-normal", {"mu": 1.0, "sigma": 0.8}),
]


@pytest.mark.parametrize("name,params", SETTINGS)
def test_density_agrees_with_torch(name, params):
    lo, hi = D.display_range(name, params)
    if name in D.DISCRETE:
        x = np.arange(0, math.floor(hi) + 1, dtype=float)
    else:
        x = np.linspace(max(lo, 1e-3) if name in ("Exponential", "Log-normal") else lo + 1e-3,
                        hi, 50)
        if name == "Uniform":
            x = x[(x > params["a"]) & (x < params["b"])]
    expected = torch_distribution(name, params).log_prob(torch.tensor(x)).exp().numpy()
    np.testing.assert_allclose(D.density(name, x, params), expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name,params", SETTINGS)
def test_moments_agree_with_torch(name, params):
    dist = torch_distribution(name, params)
    mean, var = D.moments(name, params)
    assert mean == pytest.approx(dist.mean.item(), rel=1e-9)
    assert var == pytest.approx(dist.variance.item(), rel=1e-9)


@pytest.mark.parametrize("name,params", SETTINGS)
def test_total_probability_is_one(name, params):
    assert D.total(name, params) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("name,params", SETTINGS)
def test_samples_match_the_moments(name, params):
    x = D.sample(name, params, 100_000, seed=1)
    mean, var = D.moments(name, params)
    assert x.shape == (100_000,) and x.dtype == np.float64
    assert abs(x.mean() - mean) < 5 * math.sqrt(var / len(x)) + 1e-12
    assert x.var() == pytest.approx(var, rel=0.05, abs=1e-9)
    assert np.array_equal(x, D.sample(name, params, 100_000, seed=1))  # seeded


def test_density_is_zero_off_the_support():
    assert D.density("Binomial", [-1, 2.5, 7], {"n": 6, "p": 0.4}).tolist() == [0, 0, 0]
    assert D.density("Poisson", [-1, 0.5], {"lam": 5}).tolist() == [0, 0]
    assert D.density("Exponential", [-0.1], {"beta": 3}).tolist() == [0]
    assert D.density("Log-normal", [0.0, -1.0], {"mu": 0, "sigma": 1}).tolist() == [0, 0]
    assert D.density("Bernoulli", [2], {"p": 0.6}).tolist() == [0]


def test_binomial_values_of_the_notes():
    six = D.density("Binomial", np.arange(7), {"n": 6, "p": 0.4})
    five = D.density("Binomial", np.arange(6), {"n": 5, "p": 0.4})
    assert np.round(six, 4).tolist() == [0.0467, 0.1866, 0.311, 0.2765, 0.1382, 0.0369, 0.0041]
    assert np.round(five, 4).tolist() == [0.0778, 0.2592, 0.3456, 0.2304, 0.0768, 0.0102]


def test_binomial_with_certain_outcomes():
    assert D.density("Binomial", [0, 3], {"n": 3, "p": 0.0}).tolist() == [1, 0]
    assert D.density("Binomial", [0, 3], {"n": 3, "p": 1.0}).tolist() == [0, 1]


def test_poisson_peaks_twice_at_integer_rate():
    P = D.density("Poisson", np.arange(12), {"lam": 5.0})
    assert P[4] == pytest.approx(P[5]) and round(P[4], 4) == 0.1755
    assert set(np.flatnonzero(np.isclose(P, P.max()))) == {4, 5}


def test_a_density_may_exceed_one():
    assert D.density("Uniform", [0.1], {"a": 0.0, "b": 0.5})[0] == pytest.approx(2.0)
    assert D.summary("Normal", {"mu": 0.0, "sigma": 0.1}, 10)["max_density"] > 3.9


def test_notes_normal_formula_numbers():
    x = np.linspace(1, 50, 100)
    mean, sd = x.mean(), x.std()
    assert round(sd, 2) == 14.29
    buggy = D.notes_normal_pdf(x, mean, sd)
    true = D.density("Normal", x, {"mu": mean, "sigma": sd})
    assert round(buggy.max(), 1) == 44.9 and round(true.max(), 4) == 0.0279
    grid = D.support("Normal", {"mu": mean, "sigma": sd})
    area = D.integrate(D.notes_normal_pdf(grid, mean, sd), grid)
    assert area == pytest.approx(D.notes_normal_total(sd), rel=1e-6)
    assert 1600 < area < 1615
    # the ratio buggy / true is the constant π σ · σ √(2π), whatever x is
    np.testing.assert_allclose(buggy / true, D.notes_normal_total(sd))


def test_histogram_is_normalised_by_all_samples():
    x = D.sample("Normal", {"mu": 0.0, "sigma": 1.0}, 10_000)
    heights, edges = D.histogram("Normal", {"mu": 0.0, "sigma": 1.0}, x)
    inside = np.mean((x >= edges[0]) & (x <= edges[-1]))
    assert np.sum(heights * np.diff(edges)) == pytest.approx(inside)
    binomial = {"n": 6, "p": 0.4}
    heights, edges = D.histogram("Binomial", binomial, D.sample("Binomial", binomial, 500))
    assert heights.sum() == pytest.approx(1.0) and len(heights) == 7


def test_problem_explains_invalid_parameters():
    assert "b > a" in D.problem("Uniform", {"a": 1.0, "b": 1.0})
    assert D.problem("Uniform", {"a": 0.0, "b": 1.0}) == ""
    assert "positive" in D.problem("Normal", {"mu": 0.0, "sigma": 0.0})
    assert D.summary("Uniform", {"a": 2.0, "b": -2.0}, 100)["problem"]


def test_view_updates_on_sample_size_distribution_and_toggle():
    demo = D.demo()
    first_slider = demo.widget.children[1]
    assert first_slider is demo.controls["n_samples"]
    before = demo.view.image.value
    demo.controls["n_samples"].value = 100
    assert demo.view.image.value != before
    stats = demo.widget.children[3]
    assert "Σ" in stats.value and "1.000000" in stats.value
    demo.controls["distribution"].value = "Normal"
    assert "∫ p(x) dx = <b>1.000000</b>" in stats.value
    before = demo.view.image.value
    demo.controls["notes_formula"].value = True
    assert demo.view.image.value != before
    assert "peaks at 44.89" in demo.widget.children[4].value
    demo.controls["Normal:sigma"].value = 0.1
    assert "a density may exceed 1" in stats.value
    assert demo.controls["Normal:sigma"].layout.display == ""
    assert demo.controls["Binomial:p"].layout.display == "none"


def test_view_explains_an_impossible_uniform():
    demo = D.demo(distribution="Uniform")
    demo.controls["Uniform:b"].value = -3.0
    assert "b &gt; a" in demo.widget.children[4].value
    demo.controls["Uniform:b"].value = 2.0
    assert demo.widget.children[4].value == ""


DEMO = None


def shared_demo():
    global DEMO
    if DEMO is None:
        DEMO = D.demo()
    return DEMO


slider_keys = [key for key in D.demo().controls if ":" in key]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(D.NAMES), st.sampled_from(D.SAMPLE_SIZES), st.booleans(),
       st.lists(st.tuples(st.sampled_from(slider_keys),
                          st.one_of(st.floats(-1e3, 1e3), st.sampled_from([0.0, 1.0, -5.0, 5.0]))),
                max_size=6))
def test_demo_never_raises(name, n, notes, moves):
    demo = shared_demo()
    demo.controls["distribution"].value = name
    demo.controls["n_samples"].value = n
    demo.controls["notes_formula"].value = notes
    for key, value in moves:
        control = demo.controls[key]
        control.value = int(value) if isinstance(control.value, int) else value  # clipped to range
    assert demo.view.image.value[:4] == b"\x89PNG"
    params = {key: demo.controls[f"{name}:{key}"].value for key in D.PARAMS[name]}
    if D.problem(name, params):
        assert demo.widget.children[3].value == ""  # no stats, an explanation instead
        assert "#D55E00" in demo.widget.children[4].value
    else:
        assert "1.00000" in demo.widget.children[3].value  # the live check of the total
