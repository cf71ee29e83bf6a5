"""The pooling demo: sizes against torch, the notes' formula, gradient routing, the view."""
import itertools
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.demos import pooling as P
from utils.widgets import one_thread


def torch_pool_size(n, k, s, p, mode):
    """torch's output size for max or average pooling, or None if torch refuses."""
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    try:
        with one_thread():
            return pool(torch.zeros(1, 1, n, n), k, s, p).shape[-1]
    except RuntimeError:
        return None


def allowed(n, k, s, p):
    return 2 * p <= k and P.pool_output_size(n, k, s, p) > 0


# ------------------------------------------------------------------------ sizes
def test_pool_formula_equals_torch_on_an_exhaustive_small_grid():
    for n, k, s, p, mode in itertools.product(range(1, 11), range(1, 6), range(1, 6), range(4),
                                              ("max", "average")):
        expected = P.pool_output_size(n, k, s, p) if allowed(n, k, s, p) else None
        assert torch_pool_size(n, k, s, p, mode) == expected, (n, k, s, p, mode)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 64), k=st.integers(1, 9), s=st.integers(1, 9), p=st.integers(0, 5),
       mode=st.sampled_from(["max", "average"]))
def test_pool_formula_equals_torch_property(n, k, s, p, mode):
    expected = P.pool_output_size(n, k, s, p) if allowed(n, k, s, p) else None
    assert torch_pool_size(n, k, s, p, mode) == expected


def test_the_notes_formula_is_wrong_on_the_notes_own_examples():
    assert P.notes_pool_output_size(32, 2, 2) == 15.5 and P.pool_output_size(32, 2, 2) == 16
    assert P.notes_pool_output_size(4, 2, 2) == 1.5 and P.pool_output_size(4, 2, 2) == 2
    result = P.pool(P.PoolSettings(input_size=8, window=2, stride=2))
    assert "3.5: wrong" in result.notes_formula and result.torch_size == 4


def test_the_32_by_32_by_12_walkthrough():
    x = torch.zeros(1, 3, 32, 32)  # (N, C, H, W)
    conv = torch.nn.Conv2d(3, 12, kernel_size=3, padding=1)
    with one_thread():
        y = F.max_pool2d(torch.relu(conv(x)), 2, 2)
    assert tuple(y.shape) == (1, 12, 16, 16)


# ------------------------------------------------------------- gradient routing
def test_max_pool_gradient_goes_to_the_argmax_cells_only():
    result = P.pool(P.PoolSettings(input_size=8, window=2, stride=2, mode="max",
                                   pattern="random"))
    counts = np.zeros((8, 8))
    for r, c in result.argmax:
        counts[r, c] += 1
    assert np.array_equal(result.grad, counts)
    assert result.grad.sum() == result.torch_size ** 2  # one unit of gradient per output
    assert set(np.unique(result.grad)) <= {0.0, 1.0}  # non-overlapping: each cell at most once


def test_overlapping_max_pool_can_route_several_gradients_to_one_cell():
    result = P.pool(P.PoolSettings(input_size=8, window=3, stride=1, mode="max"))
    assert result.grad.max() >= 2 and result.grad.sum() == result.torch_size ** 2
    assert "overlap" in result.message


def test_average_pool_spreads_the_gradient_evenly():
    result = P.pool(P.PoolSettings(input_size=6, window=2, stride=2, mode="average",
                                   pattern="random"))
    assert np.allclose(result.grad, 0.25)
    result = P.pool(P.PoolSettings(input_size=6, mode="global average"))
    assert np.allclose(result.grad, 1 / 36) and result.torch_size == 1


def test_global_max_pool_routes_to_the_single_maximum():
    result = P.pool(P.PoolSettings(input_size=8, mode="global max"))
    (r, c), = result.argmax
    assert result.X[r, c] == result.X.max() == result.Y[0, 0]
    assert result.grad.sum() == 1 and result.grad[r, c] == 1


def gradient_from_scratch(result):
    """d(sum of outputs)/dX computed with loops from the windows."""
    n, k, s, p = len(result.X), result.k, result.s, result.p
    grad = np.zeros((n + 2 * p, n + 2 * p))
    for position in range(result.positions):
        (top, left, size), (row, col) = P.pool_window(result, position)
        if result.argmax is not None:
            r, c = result.argmax[row * result.torch_size + col]
            grad[r + p, c + p] += 1
        else:
            grad[top:top + size, left:left + size] += 1 / size ** 2
    return grad[p:p + n, p:p + n]


# ---------------------------------------------------------------- translation
def test_shift_by_the_stride_shifts_the_pooled_map():
    base = P.pool(P.PoolSettings(input_size=8, window=2, stride=2, shift=0))
    shifted = P.pool(P.PoolSettings(input_size=8, window=2, stride=2, shift=2))
    assert base.n_changed == 0
    assert np.array_equal(shifted.Y, np.roll(base.Y, 1, axis=1))


def test_max_pool_changes_fewer_outputs_than_inputs_for_a_one_pixel_shift():
    result = P.pool(P.PoolSettings(input_size=8, window=2, stride=2, shift=1))
    input_fraction = result.n_input_changed / 64
    output_fraction = result.n_changed / result.torch_size ** 2
    assert 0 < output_fraction < 1 and result.n_input_changed > 0
    assert output_fraction <= input_fraction + 0.25


# ----------------------------------------------------------- impossible settings
def test_too_much_padding_is_explained():
    result = P.pool(P.PoolSettings(input_size=8, window=2, padding=2))
    assert not result.ok and "padding ≤ window/2" in result.message
    assert torch_pool_size(8, 2, 2, 2, "max") is None


def test_window_larger_than_the_input_is_explained():
    result = P.pool(P.PoolSettings(input_size=3, window=5, stride=1, padding=0))
    assert not result.ok and "no window fits" in result.message


settings_strategy = st.builds(
    P.PoolSettings, input_size=st.integers(0, 14), window=st.integers(0, 8),
    stride=st.integers(0, 8), padding=st.integers(-1, 5),
    mode=st.sampled_from(P.POOL_MODES + ("bogus",)), shift=st.integers(-2, 6),
    pattern=st.sampled_from(P.PATTERNS + ("bogus",)))


@settings(max_examples=300, deadline=None)
@given(setting=settings_strategy)
def test_random_settings_never_raise_never_warn_and_agree_with_torch(setting):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = P.pool(setting)
    if not result.ok:
        assert result.message and result.Y is None
        assert torch_pool_size(len(result.X), result.k, result.s, result.p, "max") is None
        return
    assert result.matches_torch
    mode = "max" if "max" in result.settings.mode else "average"
    expected = P.pool2d_from_scratch(result.X, result.k, result.s, result.p, mode)
    assert np.allclose(result.Y, expected)
    assert np.allclose(result.grad, gradient_from_scratch(result))
    if result.argmax is not None:
        values = [result.X[r, c] for r, c in result.argmax]
        assert np.array_equal(np.array(values, dtype=float), result.Y.ravel())
    layer = eval(result.code.split("#")[0], {"nn": torch.nn})
    n = result.settings.input_size
    assert layer(torch.zeros(1, 1, n, n)).shape[-1] == result.torch_size


# -------------------------------------------------------------------------- the view
def test_view_updates_when_controls_change():
    demo = P.demo()
    for name, value in [("position", 5), ("stride", 1), ("shift", 1), ("mode", "average"),
                        ("window", 3), ("padding", 1), ("pattern", "random")]:
        image = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != image, name
    assert demo.controls["position"].max == 63  # ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8: 8×8 windows


def test_impossible_setting_shows_a_message():
    demo = P.demo()
    demo.controls["padding"].value = 2
    label = demo.widget.children[3]
    assert "padding" in label.value and "#D55E00" in label.value


def test_first_slider_of_the_layout_redraws_the_figure():
    demo = P.demo()
    first = demo.widget.children[0].children[0]
    image = demo.view.image.value
    first.value += 1
    assert demo.view.image.value != image


@settings(max_examples=200, deadline=None)
@given(values=st.fixed_dictionaries({
    "input_size": st.integers(2, 12), "window": st.integers(1, 6), "stride": st.integers(1, 6),
    "padding": st.integers(0, 3), "mode": st.sampled_from(P.POOL_MODES),
    "shift": st.integers(0, 4), "pattern": st.sampled_from(P.PATTERNS),
    "position": st.integers(0, 10**4)}), order=st.permutations(range(8)))
def test_random_control_values_never_raise_or_warn(demo_fixture, values, order):
    demo = demo_fixture
    names = list(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in order:
            demo.controls[names[i]].value = values[names[i]]
    assert demo.view.image.value[:4] == b"\x89PNG"
    assert 0 <= demo.controls["position"].value <= demo.controls["position"].max


@pytest.fixture(scope="module")
def demo_fixture():
    return P.demo()
