import warnings

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.demos import rnn_gradients as rg  # noqa: E402


def test_spectral_radius_is_rho():
    W = rg.recurrent_weights(1.3, 16, seed=2)
    assert abs(np.abs(np.linalg.eigvals(W)).max() - 1.3) < 1e-9
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.3)


def test_linear_gradient_is_rho_to_the_power():
    for rho in (0.8, 1.0, 1.2):
        g = rg.gradient_through_time(rho, T=40, nonlinearity="linear")
        np.testing.assert_allclose(g.grad_h, g.grad_h[-1] * rho ** (40 - np.arange(1, 41)), rtol=1e-8)


def test_hand_gradients_equal_autograd():
    rho, T, s = 1.1, 30, 0.5
    Q, U, X, v = rg._draws(32, 0)
    W = torch.tensor(rho * Q, requires_grad=True)
    h = torch.zeros(32, dtype=torch.float64)
    hs = []
    for t in range(T):
        h = torch.tanh(W @ h + s * torch.tensor(U @ X[t]))
        h.retain_grad()
        hs.append(h)
    (torch.tensor(v) @ h).backward()
    g = rg.gradient_through_time(rho, T, "tanh", input_scale=s)
    np.testing.assert_allclose(g.grad_h, [x.grad.norm().item() for x in hs], rtol=1e-9)
    assert abs(g.grad_W - W.grad.norm().item()) < 1e-9 * g.grad_W


def test_clipping_scales_to_the_threshold():
    g = rg.gradient_through_time(1.4, 60, "linear", clip=True, threshold=2.0)
    assert g.grad_W > 2 and abs(g.grad_W * g.scale - 2.0) < 1e-9
    assert rg.gradient_through_time(0.6, 60, "linear", clip=True, threshold=1e6).scale == 1.0


def test_verdicts():
    assert rg.verdict(rg.gradient_through_time(0.7, 80, "linear"), 0.7, "linear", False)[0].startswith("Vanishing")
    assert rg.verdict(rg.gradient_through_time(1.4, 80, "linear"), 1.4, "linear", False)[0].startswith("Exploding")
    assert rg.verdict(rg.gradient_through_time(1.0, 80, "linear"), 1.0, "linear", False)[0].startswith("Stable")


def test_view_redraws_on_every_control():
    demo = rg.demo()
    for name, value in [("rho", 1.3), ("T", 20), ("nonlinearity", "linear"), ("clip", True),
                        ("threshold", 0.1), ("seed", 3), ("input_scale", 1.0)]:
        before = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != before, name


DEMO = rg.demo()


@settings(max_examples=200, deadline=None)
@given(rho=st.floats(0.5, 1.5), T=st.integers(5, rg.MAX_T), nonlinearity=st.sampled_from(list(rg.NONLINEARITIES)),
       clip=st.booleans(), threshold=st.floats(0.01, 100), seed=st.integers(0, 4),
       input_scale=st.floats(0.01, 3.16), order=st.permutations(["rho", "T", "nonlinearity", "clip",
                                                                  "threshold", "seed", "input_scale"]))
def test_any_setting_never_raises_or_warns(rho, T, nonlinearity, clip, threshold, seed, input_scale, order):
    values = dict(rho=rho, T=T, nonlinearity=nonlinearity, clip=clip, threshold=threshold,
                  seed=seed, input_scale=input_scale)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in order:
            DEMO.controls[name].value = values[name]
    assert DEMO.view.image.value[:4] == b"\x89PNG"
    assert DEMO.widget.children[2].value
