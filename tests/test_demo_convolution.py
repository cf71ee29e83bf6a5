"""The convolution-arithmetic demo: sizes against torch, the notes' 7×7 example, the view."""
import itertools
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.demos import convolution as C
from utils.widgets import one_thread


def torch_conv_size(n, k, p, s, d):
    """torch's output size, or None if torch refuses."""
    try:
        with one_thread():
            return F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s,
                            padding=p, dilation=d).shape[-1]
    except RuntimeError:
        return None


def torch_transpose_size(n, k, p, s, d, op):
    """torch's output size, or None if torch refuses or returns an empty output."""
    try:
        with one_thread():
            size = F.conv_transpose2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k),
                                      stride=s, padding=p, output_padding=op,
                                      dilation=d).shape[-1]
    except RuntimeError:
        return None
    return size or None


# ------------------------------------------------------------------ the notes' example
def test_notes_example_gives_the_correct_matrix():
    result = C.convolve(C.ConvSettings(7, 3, "valid", 0, 2, 1))
    assert result.ok and result.Y.tolist() == C.NOTES_Y_CORRECT.tolist()
    assert result.Y.tolist() == [[91, 100, 88], [69, 91, 117], [44, 72, 74]]
    assert np.array_equal(C.conv2d_from_scratch(C.NOTES_X, C.NOTES_K, stride=2), result.Y)


def test_notes_printed_matrix_has_exactly_three_wrong_entries():
    wrong = np.argwhere(C.NOTES_Y_PRINTED != C.NOTES_Y_CORRECT).tolist()
    assert wrong == [[0, 1], [0, 2], [1, 2]]


def test_ocr_misreading_changes_the_last_entry_to_73():
    X = C.NOTES_X.copy()
    X[6, 4] = 3  # the notes' OCR shows "3 ⁻²" at row 7, column 5
    assert C.conv2d_from_scratch(X, C.NOTES_K, stride=2)[2, 2] == 73


def test_example_input_and_kernel_tile_the_notes_matrices():
    assert np.array_equal(C.example_input(7), C.NOTES_X)
    assert np.array_equal(C.example_kernel(3), C.NOTES_K)
    assert np.array_equal(C.example_input(9)[7:, 7:], C.NOTES_X[:2, :2])


def test_the_notes_formula_example_and_the_mistypeset_formula():
    assert C.conv_output_size(7, 3, 0, 2) == 3
    assert (7 - 3 + 2 * 0) / (2 + 1) != 3  # the notes' (n − f + 2p)/(s + 1) at L2115


# ------------------------------------------------------------------------ sizes
def test_conv_formula_equals_torch_on_an_exhaustive_small_grid():
    for n, k, p, s, d in itertools.product(range(1, 9), range(1, 5), range(4), range(1, 4),
                                           range(1, 4)):
        size = C.conv_output_size(n, k, p, s, d)
        expected = size if size > 0 else None
        assert torch_conv_size(n, k, p, s, d) == expected, (n, k, p, s, d)


def test_transposed_formula_equals_torch_on_an_exhaustive_small_grid():
    for n, k, p, s, d, op in itertools.product(range(1, 6), range(1, 5), range(4), range(1, 4),
                                               range(1, 4), range(3)):
        size = C.conv_transpose_output_size(n, k, p, s, d, op)
        allowed = (op < s or op < d) and size > 0
        assert torch_transpose_size(n, k, p, s, d, op) == (size if allowed else None)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 40), k=st.integers(1, 9), p=st.integers(0, 8), s=st.integers(1, 6),
       d=st.integers(1, 5))
def test_conv_formula_equals_torch_property(n, k, p, s, d):
    size = C.conv_output_size(n, k, p, s, d)
    assert torch_conv_size(n, k, p, s, d) == (size if size > 0 else None)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 20), k=st.integers(1, 7), p=st.integers(0, 8), s=st.integers(1, 5),
       d=st.integers(1, 4), op=st.integers(0, 4))
def test_transposed_formula_equals_torch_property(n, k, p, s, d, op):
    size = C.conv_transpose_output_size(n, k, p, s, d, op)
    allowed = (op < s or op < d) and size > 0
    assert torch_transpose_size(n, k, p, s, d, op) == (size if allowed else None)


@pytest.mark.parametrize("k,d", [(1, 1), (2, 1), (3, 1), (4, 1), (3, 2), (2, 3), (5, 2)])
def test_same_padding_matches_torch_padding_same(k, d):
    x = torch.arange(49.0).reshape(1, 1, 7, 7)  # (N, C, H, W)
    w = torch.arange(k * k, dtype=torch.float32).reshape(1, 1, k, k)
    before, after = C.resolve_padding("same", k, d)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about asymmetric 'same' padding
        expected = F.conv2d(x, w, padding="same", dilation=d)
    ours = F.conv2d(F.pad(x, (before, after, before, after)), w, dilation=d)
    assert torch.equal(ours, expected)
    assert C.conv_output_size(7, k, (before, after), 1, d) == 7


def test_full_padding_touches_every_position_that_overlaps_the_input():
    result = C.convolve(C.ConvSettings(5, 3, "full", 0, 1, 2))
    assert result.pad == (4, 4) and result.torch_size == 5 + 2 * 2  # n + d(k−1)


def test_from_scratch_transposed_convolution_equals_torch():
    rng = np.random.default_rng(0)
    for n, k, p, s, d, op in [(3, 3, 1, 2, 1, 1), (4, 2, 0, 3, 1, 2), (5, 3, 2, 1, 2, 1),
                              (2, 4, 1, 2, 2, 0)]:
        X, K = rng.integers(-5, 6, (n, n)), rng.integers(-3, 4, (k, k))
        expected = F.conv_transpose2d(torch.tensor(X).reshape(1, 1, n, n).double(),
                                      torch.tensor(K).reshape(1, 1, k, k).double(), stride=s,
                                      padding=p, output_padding=op, dilation=d)[0, 0]
        ours = C.conv_transpose2d_from_scratch(X, K, s, p, d, op)
        assert np.array_equal(ours, expected.numpy())


def test_the_notes_transposed_sizes():
    assert C.conv_transpose_output_size(5, 3) == 7
    assert C.conv_transpose_output_size(5, 3, p=1) == 5
    assert C.conv_transpose_output_size(3, 3, p=1, s=1) == 3
    assert C.conv_transpose_output_size(3, 3, p=1, s=2) == 5


# ------------------------------------------------------------------- impossible settings
@pytest.mark.parametrize("kwargs,words", [
    (dict(input_size=3, kernel_size=5), "no kernel position fits"),
    (dict(input_size=5, kernel_size=3, dilation=3), "no kernel position fits"),
    (dict(padding_mode="same", stride=2), "refuses padding='same'"),
    (dict(transposed=True, stride=1, dilation=1, output_padding=1), "output_padding"),
    (dict(transposed=True, input_size=1, kernel_size=1, padding_mode="custom",
          custom_padding=3), "crops"),
    (dict(transposed=True, kernel_size=2, padding_mode="same"), "odd"),
])
def test_impossible_settings_explain_instead_of_raising(kwargs, words):
    result = C.convolve(C.ConvSettings(**kwargs))
    assert not result.ok and words in result.message and result.Y is None


def test_settings_outside_the_ranges_are_clipped_not_refused():
    result = C.convolve(C.ConvSettings(input_size=-3, kernel_size=99, padding_mode="nonsense",
                                       stride=0, dilation=0))
    assert result.settings.input_size == 1 and result.settings.kernel_size == 7
    assert result.settings.padding_mode == "valid" and not result.ok and result.message


settings_strategy = st.builds(
    C.ConvSettings,
    input_size=st.integers(-2, 14), kernel_size=st.integers(0, 9),
    padding_mode=st.sampled_from(C.PADDING_MODES + ("bogus",)),
    custom_padding=st.integers(-1, 8), stride=st.integers(0, 6), dilation=st.integers(0, 6),
    transposed=st.booleans(), output_padding=st.integers(-1, 5))


@settings(max_examples=300, deadline=None)
@given(setting=settings_strategy)
def test_random_settings_never_raise_never_warn_and_agree_with_torch(setting):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = C.convolve(setting)
    s = result.settings
    if not result.ok:
        assert result.message and result.Y is None and result.positions == 0
        return
    assert result.matches_torch and result.Y.shape == (result.torch_size,) * 2
    if s.transposed:
        expected = C.conv_transpose2d_from_scratch(result.X, result.K, s.stride, result.pad[0],
                                                   s.dilation, s.output_padding)
    else:
        expected = C.conv2d_from_scratch(result.X, result.K, s.stride, result.pad, s.dilation)
    assert np.array_equal(result.Y, expected)
    # the code line builds a layer with the same output size
    layer = eval(result.code.split("#")[0], {"nn": torch.nn})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # asymmetric padding='same' warns in torch
        shape = layer(torch.zeros(1, 1, s.input_size, s.input_size)).shape
    assert shape[-1] == result.torch_size
    # every kernel position reads k² cells inside the grid, and their products sum to Y
    for position in {0, result.positions - 1, result.positions // 2}:
        taps, (row, col) = C.kernel_taps(result, position)
        assert len(taps) == s.kernel_size ** 2
        if not s.transposed:
            padded = np.pad(result.X, [result.pad, result.pad])
            total = sum(padded[r, c] * w for (r, c), w in zip(taps, result.K.flat))
            assert total == result.Y[row, col]
        else:
            assert max(max(t) for t in taps) < len(result.canvas)


# -------------------------------------------------------------------------- the view
def test_view_updates_when_controls_change():
    demo = C.demo()
    image = demo.view.image.value
    demo.controls["position"].value = 4
    assert demo.view.image.value != image
    image = demo.view.image.value
    demo.controls["stride"].value = 1
    assert demo.view.image.value != image and demo.controls["position"].max == 24
    image = demo.view.image.value
    demo.controls["transposed"].value = True
    assert demo.view.image.value != image and demo.controls["position"].max == 48


def test_first_slider_of_the_layout_redraws_the_figure():
    demo = C.demo()
    first = demo.widget.children[0].children[0]
    image = demo.view.image.value
    first.value += 1
    assert demo.view.image.value != image


def test_caption_adds_up_the_products_of_the_current_position():
    demo = C.demo()
    demo.controls["position"].value = 1
    caption = demo.widget.children[5].value
    assert "Y[0,1] = 7·3 + 4·4 + 6·4 + 9·1 + 8·0 + 7·2 + 8·(-1) + 3·0 + 8·3 = 100" in caption


def test_play_advances_the_kernel_position_and_wraps():
    demo = C.demo()
    demo.controls["play"].value = 1
    assert demo.controls["position"].value == 1
    demo.controls["position"].value = 8
    demo.controls["play"].value = 2
    assert demo.controls["position"].value == 0


def test_notes_button_restores_the_notes_example():
    demo = C.demo(input_size=10, stride=1, transposed=True)
    demo.controls["notes_example"].click()
    assert demo.controls["input_size"].value == 7 and demo.controls["stride"].value == 2
    assert "= 3" in demo.widget.children[-2].value


def test_impossible_setting_shows_a_message():
    demo = C.demo()
    demo.controls["padding_mode"].value = "same"
    label = demo.widget.children[3]
    assert "same" in label.value and "#D55E00" in label.value


@settings(max_examples=200, deadline=None)
@given(values=st.fixed_dictionaries({
    "input_size": st.integers(1, 12), "kernel_size": st.integers(1, 7),
    "padding_mode": st.sampled_from(C.PADDING_MODES), "custom_padding": st.integers(0, 6),
    "stride": st.integers(1, 4), "dilation": st.integers(1, 4), "transposed": st.booleans(),
    "output_padding": st.integers(0, 3), "position": st.integers(0, 10**4),
    "play": st.integers(0, 50)}), order=st.permutations(range(10)))
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
    return C.demo()
