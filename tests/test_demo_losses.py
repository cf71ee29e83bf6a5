"""The robust-regression demo: fits against a general optimiser, the outlier's pull, the view."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from utils.demos import losses as L


def reference_fit(x, y, loss, delta):
    """Nelder-Mead from the MSE line: slow but needs nothing but the cost."""
    start = np.polyfit(x, y, 1)
    return minimize(lambda t: L.cost(t, x, y, loss, delta), x0=start, method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 10_000}).x


@pytest.mark.parametrize("loss", L.LOSSES)
@pytest.mark.parametrize("outlier, delta, position", [(10.0, 0.1, 20), (-15.0, 0.5, 3),
                                                       (0.0, 1.0, 10), (20.0, 0.05, 0)])
def test_fits_are_at_least_as_good_as_a_general_optimiser(loss, outlier, delta, position):
    result = L.fits(L.LossSettings(outlier, delta, position))
    x, y = result.x, result.y
    ours = L.cost(np.array(result.lines[loss]), x, y, loss, delta)
    theirs = L.cost(reference_fit(x, y, loss, delta), x, y, loss, delta)
    assert ours <= theirs + 1e-9


def test_the_outlier_pulls_mse_but_not_mae_or_huber():
    result = L.fits(L.LossSettings(outlier=20.0, delta=0.1, position=20))
    slopes = {name: line[0] for name, line in result.lines.items()}
    assert slopes["MSE"] > 6
    assert abs(slopes["MAE"] - 2) < 0.1 and abs(slopes["Huber"] - 2) < 0.1


def test_huber_with_a_huge_delta_is_mse():
    result = L.fits(L.LossSettings(outlier=5.0, delta=5.0))
    assert np.allclose(result.lines["Huber"], result.lines["MSE"], atol=1e-9)


settings_strategy = st.builds(
    L.LossSettings,
    outlier=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-100, 100),
                      st.sampled_from(["bogus", None])),
    delta=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(0)),
    position=st.one_of(st.integers(-50, 50), st.floats(allow_nan=True), st.just(None)))


@settings(max_examples=300, deadline=None)
@given(setting=settings_strategy)
def test_random_settings_never_raise_never_warn(setting):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = L.fits(setting)
    assert all(np.isfinite(line).all() for line in result.lines.values())
    assert result.message


# -------------------------------------------------------------------------- the view
def test_first_slider_of_the_layout_redraws_the_image():
    demo = L.demo()
    first = demo.widget.children[0].children[0]
    assert first is demo.controls["outlier"]
    before = demo.view.image.value
    first.value = first.value + first.step
    assert demo.view.image.value != before


def test_view_updates_when_controls_change():
    demo = L.demo()
    for name, value in [("outlier", 3.0), ("delta", 1.0), ("position", 5), ("outlier", -20.0)]:
        image = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != image, name
    assert "slopes" in demo.widget.children[-1].value


@pytest.fixture(scope="module")
def demo_fixture():
    return L.demo()


@settings(max_examples=200, deadline=None)
@given(values=st.fixed_dictionaries({
    "outlier": st.floats(-20, 20), "delta": st.floats(0.05, 2.0), "position": st.integers(0, 20)}),
    order=st.permutations(range(3)))
def test_random_control_values_never_raise_or_warn(demo_fixture, values, order):
    demo = demo_fixture
    names = list(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in order:
            demo.controls[names[i]].value = values[names[i]]
    assert demo.view.image.value[:4] == b"\x89PNG"
