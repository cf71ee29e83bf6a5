import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.demos import broadcasting  # noqa: E402

shapes = st.lists(st.integers(1, 4), min_size=0, max_size=4).map(tuple)


@settings(max_examples=300, deadline=None)
@given(shapes, shapes)
def test_broadcast_agrees_with_torch(shape_a, shape_b):
    result = broadcasting.broadcast(shape_a, shape_b)
    try:
        expected = tuple(torch.broadcast_shapes(shape_a, shape_b))
    except RuntimeError:
        expected = None
    assert result.shape == expected
    assert len(result.steps) >= 1 or (shape_a == () and shape_b == ())


def test_broadcast_explains_the_failing_axis():
    result = broadcasting.broadcast((2, 4), (3,))
    assert result.shape is None
    assert result.steps == ["axis 0: 2 vs -: b has no such axis, copy b 2 times",
                            "axis 1: 4 vs 3: different and neither is 1, so they do NOT broadcast"]


def test_broadcast_of_an_image_batch_and_a_mean_image():
    result = broadcasting.broadcast((500, 1, 28, 28), (1, 28, 28))
    assert result.shape == (500, 1, 28, 28)
    assert result.steps[0] == "axis 0: 500 vs -: b has no such axis, copy b 500 times"


def test_example_values_encode_their_indices():
    A = broadcasting.example_A(3, 4)
    assert A[1, 2] == 23 and A.shape == (3, 4)
    assert broadcasting.example_b(()).item() == 100
    assert broadcasting.example_b((3,)).tolist() == [100, 200, 300]
    assert broadcasting.example_b((2, 3))[1, 2] == 2300
    C = A + broadcasting.example_b((3, 1))  # (3, 4) + (3, 1)
    assert C[2, 3] == 3100 + 34


def test_copy_mask_marks_originals_only():
    mask = broadcasting.copy_mask((4,), (3, 4))
    assert mask[0].all() and not mask[1:].any()
    mask = broadcasting.copy_mask((3, 1), (3, 4))
    assert mask[:, 0].all() and not mask[:, 1:].any()
    assert broadcasting.copy_mask((), (2, 2)).sum() == 1
    assert broadcasting.copy_mask((2, 2), (2, 2)).all()


def test_torch_line_matches_torch():
    result = broadcasting.broadcast((3, 1), (4,))
    line = broadcasting.torch_line((3, 1), (4,), result)
    assert line == "torch.ones(3, 1) + torch.ones(4)  # -> shape (3, 4)"
    assert (torch.ones(3, 1) + torch.ones(4)).shape == (3, 4)
    assert "RuntimeError" in broadcasting.torch_line((2, 3), (4,), broadcasting.broadcast((2, 3), (4,)))


def test_view_updates_image_and_message():
    demo = broadcasting.demo()
    before = demo.view.image.value
    demo.controls["A_rows"].value = 1
    assert demo.view.image.value != before
    demo.controls["b_cols"].value = 3  # (1, 4) + (3,) does not broadcast
    assert "do NOT broadcast" in demo.widget.children[3].value
    assert "RuntimeError" in demo.widget.children[2].value
    demo.controls["b_cols"].value = 1
    assert "Result shape (1, 4)" in demo.widget.children[3].value


def test_first_slider_redraws():
    demo = broadcasting.demo()
    first = demo.widget.children[0].children[0]
    assert first is demo.controls["A_rows"]
    before = demo.view.image.value
    first.value = 2
    assert demo.view.image.value != before


def test_b_size_sliders_are_disabled_when_unused():
    demo = broadcasting.demo()
    demo.controls["b_kind"].value = "scalar ()"
    assert demo.controls["b_rows"].disabled and demo.controls["b_cols"].disabled
    demo.controls["b_kind"].value = "matrix (r, k)"
    assert not demo.controls["b_rows"].disabled


DEMO = None


def shared_demo():
    global DEMO
    if DEMO is None:
        DEMO = broadcasting.demo()
    return DEMO


@settings(max_examples=200, deadline=None)
@given(st.integers(-5, 9), st.integers(-5, 9), st.sampled_from(broadcasting.B_SHAPES),
       st.integers(-5, 9), st.integers(-5, 9),
       st.permutations(["A_rows", "A_cols", "b_kind", "b_rows", "b_cols"]))
def test_demo_never_raises(A_rows, A_cols, b_kind, b_rows, b_cols, order):
    demo = shared_demo()
    values = {"A_rows": A_rows, "A_cols": A_cols, "b_kind": b_kind, "b_rows": b_rows,
              "b_cols": b_cols}
    for name in order:
        demo.controls[name].value = values[name]  # out-of-range ints are clipped by ipywidgets
    assert demo.view.image.value[:4] == b"\x89PNG"
    shape_a = (demo.controls["A_rows"].value, demo.controls["A_cols"].value)
    shape_b = broadcasting.b_shape(b_kind, demo.controls["b_rows"].value,
                                   demo.controls["b_cols"].value)
    expect_ok = broadcasting.broadcast(shape_a, shape_b).shape is not None
    assert ("do NOT broadcast" not in demo.widget.children[3].value) == expect_ok


@pytest.mark.parametrize("kind", broadcasting.B_SHAPES)
def test_b_shape(kind):
    assert len(broadcasting.b_shape(kind, 2, 3)) == broadcasting.B_SHAPES.index(kind)
