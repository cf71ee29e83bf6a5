"""The sparse-interactions demo: cones against autograd, the banded matrix, the view."""
import statistics
import time
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.cnn import conv_matrix_1d, receptive_field
from utils.demos import receptive_field as R


def autograd_cone(n, k, layers, dense, going_up, unit):
    """Which units are connected to `unit`, found by gradients through a real stack of
    torch layers with all-ones weights (every connection carries a non-zero gradient)."""
    torch.manual_seed(0)
    x = torch.zeros(1, 1, n, requires_grad=True)  # (N, C, L)
    h, hidden = x, [x]
    for l in range(layers):
        width = h.shape[-1]
        if dense:
            W = torch.ones(width - k + 1, width)
            h = (W @ h.reshape(width, 1)).reshape(1, 1, -1)  # (1, 1, width - k + 1)
        else:
            h = torch.nn.functional.conv1d(h, torch.ones(1, 1, k))
        h.retain_grad()
        hidden.append(h)
    if going_up:  # which top outputs change when input `unit` changes: d out_j / d x_unit
        sizes = [t.shape[-1] for t in hidden]
        return [np.array([_depends(hidden, x, l, j, unit) for j in range(sizes[l])])
                for l in range(layers + 1)]
    hidden[-1][0, 0, unit].backward()
    return [t.grad[0, 0].numpy() != 0 for t in hidden[:-1]]


def _depends(hidden, x, layer, j, unit):
    if layer == 0:
        return j == unit
    grad, = torch.autograd.grad(hidden[layer][0, 0, j], x, retain_graph=True)
    return bool(grad[0, 0, unit] != 0)


def test_layer_matrix_is_the_banded_convolution_matrix():
    for n, k in [(8, 3), (12, 1), (6, 6), (24, 7)]:
        assert np.array_equal(R.layer_matrix(n, k), conv_matrix_1d(n, np.ones(k)).astype(int))
        assert R.layer_matrix(n, k).sum() == (n - k + 1) * k
        assert R.layer_matrix(n, k, dense=True).sum() == (n - k + 1) * n


def test_receptive_field_grows_as_one_plus_l_times_k_minus_one():
    for layers in (1, 2, 3, 4):
        result = R.connectivity(R.ConnSettings(n=24, k=3, layers=layers,
                                               direction=R.DIRECTIONS[1], unit=3))
        assert result.highlighted[0].sum() == receptive_field(layers, 3) == 1 + 2 * layers


def test_an_input_in_the_middle_affects_one_plus_l_times_k_minus_one_outputs():
    result = R.connectivity(R.ConnSettings(n=20, k=3, layers=3, unit=10))
    assert result.highlighted[-1].sum() == 7
    assert "affects 7 of the 14" in result.message


def test_dense_layers_connect_everything():
    result = R.connectivity(R.ConnSettings(n=10, k=3, layers=2, connectivity="dense", unit=0))
    assert all(h.all() for h in result.highlighted[1:])


def test_too_deep_a_stack_is_explained():
    result = R.connectivity(R.ConnSettings(n=4, k=7, layers=4))
    assert not result.ok and "need at least" in result.message


settings_strategy = st.builds(
    R.ConnSettings, n=st.integers(0, 30), k=st.integers(-1, 9), layers=st.integers(0, 6),
    connectivity=st.sampled_from(R.CONNECTIVITY + ("bogus",)),
    direction=st.sampled_from(R.DIRECTIONS + ("bogus",)), unit=st.integers(-5, 40))


@settings(max_examples=300, deadline=None)
@given(setting=settings_strategy)
def test_random_settings_never_raise_never_warn_and_agree_with_autograd(setting):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = R.connectivity(setting)
    if not result.ok:
        assert result.message and result.counts == ""
        return
    st_ = result.settings
    expected = autograd_cone(st_.n, st_.k, st_.layers, st_.connectivity == "dense",
                             st_.direction == R.DIRECTIONS[0], st_.unit)
    for got, want in zip(result.highlighted, expected):
        assert np.array_equal(got, want)


# -------------------------------------------------------------------------- the view
def test_view_updates_when_controls_change():
    demo = R.demo()
    for name, value in [("unit", 2), ("n", 16), ("k", 5), ("layers", 3),
                        ("direction", R.DIRECTIONS[1]), ("connectivity", "dense"), ("unit", 0)]:
        image = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != image, name


def test_unit_slider_range_follows_the_selected_layer():
    demo = R.demo(n=12, k=3, layers=2)
    assert demo.controls["unit"].max == 11
    demo.controls["direction"].value = R.DIRECTIONS[1]
    assert demo.controls["unit"].max == 7  # top layer: 12 - 2·2 = 8 outputs


def test_impossible_setting_shows_a_message():
    demo = R.demo()
    demo.controls["n"].value = 4
    demo.controls["k"].value = 7
    assert "need at least" in demo.widget.children[3].value


@settings(max_examples=200, deadline=None)
@given(values=st.fixed_dictionaries({
    "unit": st.integers(0, 23), "n": st.integers(4, 24), "k": st.integers(1, 7),
    "layers": st.integers(1, 4), "direction": st.sampled_from(R.DIRECTIONS),
    "connectivity": st.sampled_from(R.CONNECTIVITY)}), order=st.permutations(range(6)))
def test_random_control_values_never_raise_or_warn(demo_fixture, values, order):
    demo = demo_fixture
    names = list(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in order:
            demo.controls[names[i]].value = values[names[i]]
    assert demo.view.image.value[:4] == b"\x89PNG"
    assert 0 <= demo.controls["unit"].value <= demo.controls["unit"].max


@pytest.fixture(scope="module")
def demo_fixture():
    return R.demo()


def test_selecting_a_unit_redraws_only_the_highlights_quickly():
    demo = R.demo()
    times = []
    for value in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] * 2:
        start = time.perf_counter()
        demo.controls["unit"].value = value
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.5  # generous for busy CI; the goal is 50 ms idle
