import math
import warnings

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from torch import nn  # noqa: E402

from utils.demos import vanishing_gradients as vg  # noqa: E402

ACTIVATION_MODULES = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU,
                      "leaky_relu": lambda: nn.LeakyReLU(0.01), "gelu": nn.GELU,
                      "identity": nn.Identity}


class Block(nn.Module):
    """One hidden layer written with torch.nn: Linear (no bias) -> [BatchNorm1d] -> g
    [+ the input, for a residual block]."""

    def __init__(self, W, activation, residual, batch_norm):
        super().__init__()
        self.linear = nn.Linear(W.shape[1], W.shape[0], bias=False)
        with torch.no_grad():
            self.linear.weight.copy_(W)
        self.norm = nn.BatchNorm1d(W.shape[0], affine=False) if batch_norm else nn.Identity()
        self.g = ACTIVATION_MODULES[activation]()
        self.residual = residual

    def forward(self, h):
        z = self.g(self.norm(self.linear(h)))
        return h + z if self.residual else z


def reference_profile(depth, width, activation, init, residual, batch_norm, seed):
    """Gradient norms and activation stds of the same network built from nn modules."""
    weights = vg.make_weights(depth, width, init, seed)
    blocks = [Block(W, activation, residual, batch_norm) for W in weights[:-1]]
    output = nn.Linear(width, vg.N_CLASSES, bias=False)
    with torch.no_grad():
        output.weight.copy_(weights[-1])
    net = nn.Sequential(*blocks, output).train()
    X, y = vg.make_batch(width, seed)
    h, stds = X, []
    for block in blocks:
        h = block(h)
        stds.append(h.detach().double().std(unbiased=False).item())
    loss = nn.functional.cross_entropy(output(h), y)
    loss.backward()
    norms = [block.linear.weight.grad.double().norm().item() for block in blocks]
    norms.append(output.weight.grad.double().norm().item())
    return np.array(norms), np.array(stds), loss.item(), net


@pytest.mark.parametrize("activation,init,residual,batch_norm", [
    ("sigmoid", "xavier", False, False), ("tanh", "he", True, False),
    ("relu", "he", False, True), ("leaky_relu", "small", True, True),
    ("gelu", "xavier", False, False), ("identity", "xavier", False, True)])
def test_gradient_norms_equal_torch_autograd(activation, init, residual, batch_norm):
    profile = vg.gradient_profile(12, 48, activation, init, residual, batch_norm, seed=3)
    norms, stds, loss, _ = reference_profile(12, 48, activation, init, residual, batch_norm, 3)
    assert profile.grad_norms.shape == (13,)
    np.testing.assert_allclose(profile.grad_norms, norms, rtol=1e-4)
    np.testing.assert_allclose(profile.act_std, stds, rtol=1e-4)
    assert math.isclose(profile.loss, loss, rel_tol=1e-5)


def test_init_std_follows_the_rules():
    assert vg.init_std("zero", 100, 50) == 0
    assert vg.init_std("small", 100, 50) == 0.01
    assert math.isclose(vg.init_std("xavier", 100, 50), math.sqrt(2 / 150))
    assert math.isclose(vg.init_std("he", 100, 50), math.sqrt(2 / 100))
    assert vg.init_std("large", 100, 50) == 1
    W = vg.make_weights(3, 256, "he", seed=1)[0]
    assert abs(W.std().item() / math.sqrt(2 / 256) - 1) < 0.02
    with pytest.raises(ValueError):
        vg.init_std("orthogonal", 10, 10)


def test_weights_are_seeded_and_nested_by_width():
    a = vg.make_weights(4, 64, "xavier", seed=5)
    b = vg.make_weights(4, 64, "xavier", seed=5)
    c = vg.make_weights(4, 64, "xavier", seed=6)
    assert all(torch.equal(u, v) for u, v in zip(a, b))
    assert not torch.equal(a[0], c[0])
    big = vg.make_weights(4, 128, "small", seed=5)
    assert torch.allclose(big[2][:64, :64] / 0.01, a[2] / vg.init_std("xavier", 64, 64))
    vg.gradient_profile(4, 64, "relu", "xavier", seed=5)  # must not change the cached draws
    assert torch.equal(vg.make_weights(4, 64, "xavier", seed=5)[0], a[0])


@pytest.mark.parametrize("activation", list(vg.ACTIVATIONS))
def test_slope_is_the_derivative_of_the_activation(activation):
    a = torch.linspace(-6, 6, 241, dtype=torch.float64).requires_grad_()
    (derivative,) = torch.autograd.grad(vg.activate(activation, a).sum(), a)
    np.testing.assert_allclose(vg.slope(activation, a.detach()), derivative, atol=1e-7)
    assert math.isclose(derivative.abs().max().item(), vg.MAX_SLOPE[activation], rel_tol=1e-3)


def test_sigmoid_with_small_init_vanishes_at_depth_30():
    g = vg.gradient_profile(30, 128, "sigmoid", "small", seed=0).grad_norms
    assert g[-2] > 1e-3  # the last hidden layer still gets a gradient ...
    assert g[0] < 1e-10 * g[-2]  # ... the first one is at least 10 orders of magnitude below
    text, kind = vg.verdict(vg.gradient_profile(30, 128, "sigmoid", "small", seed=0))
    assert kind == "warn" and text.startswith("Vanish")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_he_with_relu_keeps_every_layer_within_two_orders(seed):
    profile = vg.gradient_profile(30, 128, "relu", "he", seed=seed)
    g = profile.grad_norms
    assert g.max() / g.min() < 100
    assert 0.2 < profile.act_std[-1] < 5  # and the activations keep their scale
    assert vg.verdict(profile)[1] == "info"


def test_xavier_with_relu_halves_the_variance_per_layer():
    stds = vg.gradient_profile(30, 256, "relu", "xavier", seed=0).act_std
    ratio = (stds[-1] / stds[9]) ** (1 / 20)  # per-layer factor of the std
    assert abs(ratio - math.sqrt(0.5)) < 0.03


def test_residual_connections_increase_the_first_layer_gradient():
    for init in ("small", "xavier"):
        plain = vg.gradient_profile(30, 128, "sigmoid", init, residual=False).grad_norms
        residual = vg.gradient_profile(30, 128, "sigmoid", init, residual=True).grad_norms
        assert residual[0] > 1e6 * plain[0]
        assert residual[0] > 1e-3


def test_batch_norm_rescues_the_sigmoid():
    g = vg.gradient_profile(30, 128, "sigmoid", "small", batch_norm=True).grad_norms
    assert g.max() / g.min() < 100


def test_overflow_gives_inf_or_nan_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profile = vg.gradient_profile(50, 256, "identity", "large", seed=0)
        text, kind = vg.verdict(profile)
    assert profile.overflow and profile.overflow[0] == 1
    assert not np.isfinite(profile.grad_norms).all()
    assert kind == "warn" and "overflow" in text


def test_zero_init_has_zero_hidden_gradients():
    profile = vg.gradient_profile(5, 32, "tanh", "zero")
    assert (profile.grad_norms[:-1] == 0).all()
    assert "symmetry" in vg.verdict(profile, "zero")[0]
    underflow = vg.gradient_profile(30, 128, "relu", "small")  # every gradient underflows
    assert (underflow.grad_norms == 0).all()
    assert vg.verdict(underflow, "small")[0].startswith("Vanished everywhere")


def test_flat_fraction():
    assert vg.gradient_profile(10, 128, "sigmoid", "large").flat.mean() > 0.4  # saturated
    assert vg.gradient_profile(10, 128, "tanh", "xavier").flat.max() < 0.05
    relu = vg.gradient_profile(10, 128, "relu", "he").flat
    assert np.all(np.abs(relu - 0.5) < 0.15)  # about half of the ReLUs are off
    assert vg.gradient_profile(10, 128, "identity", "large").flat.max() == 0


def test_bad_sizes_raise():
    with pytest.raises(ValueError):
        vg.make_weights(0, 16, "he")
    with pytest.raises(ValueError):
        vg.make_batch(vg.MAX_WIDTH + 1)


# ------------------------------------------------------------------------------ the view
def message_of(demo):
    return demo.widget.children[3].value


NEW_VALUES = {"depth": 7, "width": 64, "activation": "relu", "init": "he", "residual": True,
              "batch_norm": True, "seed": 4}


@pytest.mark.parametrize("name", list(NEW_VALUES))
def test_view_updates_when_a_control_changes(name):
    demo = vg.demo()
    before = demo.view.image.value
    demo.controls[name].value = NEW_VALUES[name]
    assert demo.view.image.value != before
    assert message_of(demo)


def test_first_slider_is_depth_and_redraws():
    demo = vg.demo()
    sliders = [w for row in demo.widget.children if isinstance(row, widgets.HBox)
               for w in row.children if isinstance(w, (widgets.IntSlider, widgets.FloatSlider))]
    assert sliders[0] is demo.controls["depth"]
    before = demo.view.image.value
    sliders[0].value += 1
    assert demo.view.image.value != before


def test_view_explains_overflow_and_recovers():
    demo = vg.demo(depth=50, width=256, activation="identity", init="large")
    assert "overflow" in message_of(demo)
    assert len(demo.view.image.value) > 1000
    demo.controls["init"].value = "xavier"
    assert "Healthy" in message_of(demo)


@settings(max_examples=200, deadline=None)
@given(depth=st.integers(1, vg.MAX_DEPTH), width=st.sampled_from(range(16, vg.MAX_WIDTH + 1, 16)),
       activation=st.sampled_from(list(vg.ACTIVATIONS)), init=st.sampled_from(list(vg.INITS)),
       residual=st.booleans(), batch_norm=st.booleans(),
       seed=st.sampled_from([0, 1, 2, 9999]), order=st.permutations(list(NEW_VALUES)))
def test_any_setting_never_raises_or_warns(depth, width, activation, init, residual,
                                            batch_norm, seed, order):
    values = {"depth": depth, "width": width, "activation": activation, "init": init,
              "residual": residual, "batch_norm": batch_norm, "seed": seed}
    demo = DEMO
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in order:
            demo.controls[name].value = values[name]
    assert message_of(demo)
    assert demo.view.image.value[:4] == b"\x89PNG"


DEMO = vg.demo()  # one demo for all examples: the controls are set afresh each time
