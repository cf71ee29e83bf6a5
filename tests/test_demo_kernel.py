"""The kernel demo: the notes' −45, products and sums against loops, the flip, the view."""
import statistics
import time
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.cnn import convolve2d, correlate2d
from utils.demos import kernel as K


def flat(kernel):
    return tuple(v for row in kernel for v in row)


def test_the_notes_sharpen_example_gives_minus_45():
    result = K.apply_kernel(K.KernelSettings())
    assert result.total == -45
    assert result.sum_text.endswith("= -45")
    assert result.Y.shape == (2, 2)  # 4×4 input, 3×3 kernel
    assert result.sum_text.startswith("45·0 + 12·(-1)")


def test_feature_map_equals_correlation_loops_and_flip_equals_convolution():
    for image in K.IMAGES:
        for name, kernel in K.KERNELS.items():
            X = K.IMAGES[image]
            plain = K.apply_kernel(K.KernelSettings(image, flat(kernel), False))
            flipped = K.apply_kernel(K.KernelSettings(image, flat(kernel), True))
            assert np.allclose(plain.Y, correlate2d(X, kernel)), (image, name)
            assert np.allclose(flipped.Y, convolve2d(X, kernel)), (image, name)


def test_flip_matters_only_for_asymmetric_kernels():
    sym = K.apply_kernel(K.KernelSettings("shapes 8×8", flat(K.KERNELS["edge"]), True))
    sym0 = K.apply_kernel(K.KernelSettings("shapes 8×8", flat(K.KERNELS["edge"]), False))
    assert np.array_equal(sym.Y, sym0.Y)
    asym = flat(K.KERNELS["asymmetric (shows the flip)"])
    a = K.apply_kernel(K.KernelSettings("shapes 8×8", asym, True))
    b = K.apply_kernel(K.KernelSettings("shapes 8×8", asym, False))
    assert not np.array_equal(a.Y, b.Y)


def test_products_sum_to_the_chosen_output_and_window_is_the_receptive_field():
    result = K.apply_kernel(K.KernelSettings("shapes 8×8", flat(K.KERNELS["edge"]), False, 2, 3))
    assert np.array_equal(result.window, K.IMAGES["shapes 8×8"][2:5, 3:6])
    assert np.isclose(result.products.sum(), result.total)
    assert np.isclose(result.Y[2, 3], result.total)


def test_bad_kernel_entries_are_explained_not_raised():
    result = K.apply_kernel(K.KernelSettings(kernel=(float("nan"),) + (0.0,) * 8))
    assert not result.ok and "finite" in result.message
    result = K.apply_kernel(K.KernelSettings(kernel=("x",) * 9))
    assert not result.ok


settings_strategy = st.builds(
    K.KernelSettings, image=st.sampled_from(list(K.IMAGES) + ["bogus"]),
    kernel=st.lists(st.one_of(st.floats(-100, 100), st.integers(-9, 9),
                              st.sampled_from([float("inf"), float("nan"), 1e9])),
                    min_size=0, max_size=10).map(tuple),
    flip=st.booleans(), row=st.integers(-3, 12), col=st.integers(-3, 12))


@settings(max_examples=300, deadline=None)
@given(setting=settings_strategy)
def test_random_settings_never_raise_never_warn_and_agree_with_loops(setting):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = K.apply_kernel(setting)
    if not result.ok:
        assert result.message and result.Y is None
        return
    expected = (convolve2d if result.settings.flip else correlate2d)(result.X, result.K)
    assert np.allclose(result.Y, expected)
    assert np.isclose(result.products.sum(), result.total, atol=1e-6 * (1 + abs(result.total)))


# -------------------------------------------------------------------------- the view
def test_view_updates_when_controls_change():
    demo = K.demo()
    for name, value in [("row", 1), ("col", 1), ("flip", True), ("kernel", "edge"),
                        ("image", "shapes 8×8"), ("k00", 3.0), ("row", 5)]:
        image = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != image, name
    assert demo.controls["kernel"].value == K.CUSTOM  # editing an entry
    assert demo.controls["row"].max == 5  # 8×8 input: rows 0..5


def test_choosing_a_preset_fills_the_entries():
    demo = K.demo()
    demo.controls["kernel"].value = "edge"
    assert [demo.controls[f"k{r}{c}"].value for r in range(3) for c in range(3)] == \
        list(map(float, flat(K.KERNELS["edge"])))


def test_the_sum_line_shows_minus_45_by_default():
    demo = K.demo()
    assert demo.widget.children[-1].value.endswith("= -45")


def test_switching_to_a_smaller_image_clips_the_pixel():
    demo = K.demo(image="shapes 8×8")
    demo.controls["row"].value = 5
    demo.controls["image"].value = "notes 4×4 (sharpen example)"
    assert demo.controls["row"].value <= 1


@settings(max_examples=200, deadline=None)
@given(values=st.fixed_dictionaries({
    "row": st.integers(0, 10), "col": st.integers(0, 10),
    "image": st.sampled_from(list(K.IMAGES)), "kernel": st.sampled_from(list(K.KERNELS) + [K.CUSTOM]),
    "flip": st.booleans(), "k11": st.floats(-50, 50), "k02": st.floats(-1e7, 1e7)}),
    order=st.permutations(range(7)))
def test_random_control_values_never_raise_or_warn(demo_fixture, values, order):
    demo = demo_fixture
    names = list(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in order:
            demo.controls[names[i]].value = values[names[i]]
    assert demo.view.image.value[:4] == b"\x89PNG"


@pytest.fixture(scope="module")
def demo_fixture():
    return K.demo()


def test_latency_of_the_pixel_sliders():
    demo = K.demo(image="shapes 8×8")
    times = []
    for value in [1, 2, 3, 4, 5, 4, 3, 2, 1, 0] * 2:
        start = time.perf_counter()
        demo.controls["col"].value = value
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.5  # generous: CI machines are busy; the goal is 50 ms idle
