"""The gradient-descent demo: the model's numbers against torch and closed forms, the view's
reaction to its controls, and random settings that must never raise or warn."""
import math
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.demos import gradient_descent as gd  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------- the model
@pytest.mark.parametrize("key", list(gd.SURFACES))
def test_gradient_of_every_surface_matches_autograd(key):
    surface = gd.SURFACES[key]
    rng = np.random.default_rng(0)
    points = np.column_stack([rng.uniform(*surface.xlim, 25), rng.uniform(*surface.ylim, 25)])
    for x, y in points:
        theta = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
        surface.f(theta[0], theta[1]).backward()
        assert np.allclose(surface.grad(float(x), float(y)), theta.grad.numpy(),
                           rtol=1e-10, atol=1e-10), (key, x, y)


def test_gradient_of_a_custom_quadratic_matches_autograd():
    surface = gd.quadratic_surface([[3.0, 1.0], [1.0, 3.0]])
    theta = torch.tensor([0.7, -1.3], dtype=torch.float64, requires_grad=True)
    surface.f(theta[0], theta[1]).backward()
    assert np.allclose(surface.grad(0.7, -1.3), theta.grad.numpy())
    assert np.allclose(gd.hessian(surface, (0.2, 0.5)), [[3, 1], [1, 3]])


@pytest.mark.parametrize("key", [k for k, s in gd.SURFACES.items() if s.minima])
def test_minima_are_minima(key):
    surface = gd.SURFACES[key]
    for point in surface.minima:
        assert np.hypot(*surface.grad(*point)) < 1e-8
        H = gd.hessian(surface, point)
        eig = np.linalg.eigvalsh(H[:1, :1] if surface.dim == 1 else H)
        assert np.all(eig > 0)
    assert surface.f_min == pytest.approx(min(surface(m) for m in surface.minima))


def test_known_minima_and_curvatures():
    assert len(gd.SURFACES["quartic"].minima) == 2
    assert len(gd.SURFACES["wells"].minima) == 3
    assert np.allclose(gd.surface_facts("quadratic")["eigenvalues"], [1, 10])
    assert gd.surface_facts("quadratic")["condition"] == pytest.approx(10)
    assert gd.surface_facts("quadratic")["thresholds"]["SGD"] == pytest.approx(0.2)
    assert np.allclose(gd.surface_facts("saddle")["eigenvalues"], [-2, 2])
    assert "thresholds" not in gd.surface_facts("saddle")
    assert gd.surface_facts("parabola")["lam_max"] == pytest.approx(2)


def test_plain_gd_on_the_quadratic_follows_the_closed_form():
    lr, start = 0.15, (-2.5, 2.0)
    run = gd.run_optimizer("quadratic", "SGD", lr, start, 30)
    k = np.arange(31)
    expected = np.column_stack([start[0] * (1 - lr) ** k, start[1] * (1 - 10 * lr) ** k])
    assert np.allclose(run.path, expected, rtol=1e-12, atol=1e-14)
    assert np.allclose(run.losses, 0.5 * (expected[:, 0] ** 2 + 10 * expected[:, 1] ** 2))


@pytest.mark.parametrize("lr, converges", [(0.199, True), (0.201, False)])
def test_the_quadratic_diverges_exactly_above_two_over_lambda_max(lr, converges):
    run = gd.run_optimizer("quadratic", "SGD", lr, (-2.5, 2.0), 1000)
    if converges:
        assert run.diverged_at is None and run.losses[-1] < 1e-3 * run.losses[0]
    else:
        assert run.losses[-1] > 100 * run.losses[0]
        assert "not converging" in gd.growth_message(run, 1000)


def test_at_two_over_lambda_max_gd_oscillates_forever():
    run = gd.run_optimizer("quadratic", "SGD", 0.2, (-2.5, 2.0), 200)
    assert np.allclose(np.abs(run.path[:, 1]), 2.0)  # θ₂ flips sign, never shrinks
    assert np.all(np.sign(run.path[1:, 1]) == -np.sign(run.path[:-1, 1]))
    assert abs(run.path[-1, 0]) < 1e-12  # θ₁ (λ = 1) still converges
    assert run.losses[-1] == pytest.approx(0.5 * 10 * 2.0 ** 2)


@pytest.mark.parametrize("optimizer", ["SGD", "Momentum", "Nesterov"])
@pytest.mark.parametrize("beta", [0.3, 0.9])
def test_stability_threshold_matches_simulation(optimizer, beta):
    lam_max = 4.0
    surface = gd.quadratic_surface([[3.0, 1.0], [1.0, 3.0]])  # eigenvalues 2 and 4
    threshold = gd.stability_threshold(optimizer, lam_max, beta)
    below = gd.run_optimizer(surface, optimizer, 0.97 * threshold, (1.0, 0.5), 3000, beta)
    above = gd.run_optimizer(surface, optimizer, 1.03 * threshold, (1.0, 0.5), 3000, beta)
    assert below.diverged_at is None and below.losses[-1] < 1e-6 * below.losses[0]
    assert above.diverged_at is not None or above.losses[-1] > 1e3 * above.losses[0]
    assert gd.stability_threshold("Adam", lam_max) is None


@pytest.mark.parametrize("optimizer", gd.OPTIMIZERS)
@pytest.mark.parametrize("key", ["rosenbrock", "wells", "quartic"])
def test_paths_equal_a_manual_torch_optim_run(optimizer, key):
    surface = gd.SURFACES[key]
    lr = 1e-3 if key == "rosenbrock" else 0.05
    run = gd.run_optimizer(surface, optimizer, lr, surface.start, 40, momentum=0.8)
    theta = torch.tensor(surface.start, dtype=torch.float64, requires_grad=True)
    kwargs = {"Momentum": dict(momentum=0.8), "Nesterov": dict(momentum=0.8, nesterov=True)}
    cls = {"SGD": torch.optim.SGD, "Momentum": torch.optim.SGD, "Nesterov": torch.optim.SGD,
           "Adagrad": torch.optim.Adagrad, "RMSprop": torch.optim.RMSprop,
           "Adam": torch.optim.Adam}[optimizer]
    opt = cls([theta], lr=lr, **kwargs.get(optimizer, {}))
    path = [theta.detach().numpy().copy()]
    for _ in range(40):
        opt.zero_grad()
        loss = surface.f(theta[0], theta[1])
        loss.backward()
        opt.step()
        path.append(theta.detach().numpy().copy())
    assert np.allclose(run.path, np.array(path), rtol=1e-9, atol=1e-12)


def test_noise_is_seeded_and_shared_by_optimizers():
    a = gd.run_optimizer("quadratic", "SGD", 0.05, None, 20, noise=1.0, seed=3)
    b = gd.run_optimizer("quadratic", "SGD", 0.05, None, 20, noise=1.0, seed=3)
    c = gd.run_optimizer("quadratic", "SGD", 0.05, None, 20, noise=0.0)
    assert np.array_equal(a.path, b.path) and not np.allclose(a.path, c.path)
    one_d = gd.run_optimizer("parabola", "Adam", 0.05, (1.0, 0.3), 20, noise=2.0)
    assert np.all(one_d.path[:, 1] == 0.0)  # a 1-D surface never moves θ₂


def test_a_diverged_run_stops_at_the_bound():
    run = gd.run_optimizer("quadratic", "SGD", 1.0, (-2.5, 2.0), 100)
    k = run.diverged_at
    assert k is not None and 0 < k < 100
    assert np.all(np.abs(run.path[:k]) <= gd.BOUND) and np.abs(run.path[k]).max() > gd.BOUND
    assert np.all(np.isnan(run.path[k + 1:])) and np.all(np.isnan(run.losses[k + 1:]))
    assert gd.growth_message(run, k) == f"SGD diverged at step {k}: |θ| exceeded 1e+06"
    assert gd.growth_message(run, k - 1).startswith("SGD is not converging")


def test_gd_step_shrinks_near_the_minimum_though_lr_is_constant():
    run = gd.run_optimizer("parabola", "SGD", 0.1, (2.5, 0.0), 20)
    steps = np.abs(np.diff(run.path[:, 0]))
    assert np.all(np.diff(steps) < 0)
    assert np.allclose(steps, 0.1 * np.abs(2 * run.path[:-1, 0]))


def test_invalid_settings_raise_in_the_model():
    with pytest.raises(ValueError):
        gd.run_optimizer("quadratic", "SGD", float("nan"))
    with pytest.raises(ValueError):
        gd.run_optimizer("quadratic", "SGD", 0.1, momentum=1.0)
    with pytest.raises(ValueError):
        gd.run_optimizer("quadratic", "Lion", 0.1)


extreme = st.sampled_from([0.0, 1e-300, -1e-300, 1e6, -1e6, 1e300, -1e300,
                           float("inf"), float("nan")])
coordinate = st.one_of(st.floats(-5, 5), extreme)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(list(gd.SURFACES)), optimizer=st.sampled_from(gd.OPTIMIZERS),
       log_lr=st.floats(-5, 2), momentum=st.floats(0, 0.99), x0=coordinate, y0=coordinate,
       num_steps=st.integers(0, 60), noise=st.floats(0, 5))
def test_model_never_raises_or_warns(key, optimizer, log_lr, momentum, x0, y0, num_steps,
                                     noise):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gd.run_optimizer(key, optimizer, 10 ** log_lr, (x0, y0), num_steps, momentum,
                               noise)
        gd.growth_message(run, num_steps)
    assert run.path.shape == (num_steps + 1, 2) and run.losses.shape == (num_steps + 1,)
    last = num_steps if run.diverged_at is None else run.diverged_at - 1
    if last >= 0:
        assert np.all(np.abs(run.path[:last + 1]) <= gd.BOUND)
        assert np.all(np.isfinite(run.losses[:last + 1]))


# ----------------------------------------------------------------------------- the view
@pytest.fixture
def demo():
    return gd.demo()


def image(demo):
    return bytes(demo.view.image.value)


def message_text(demo):
    return demo.widget.children[5].value


def test_demo_starts_with_a_png_and_the_facts(demo):
    assert image(demo).startswith(PNG_MAGIC)
    facts = demo.widget.children[4].value
    assert "κ = 10" in facts and "2/λmax = 0.2" in facts
    assert message_text(demo) == ""  # the default settings converge


@pytest.mark.parametrize("name, value", [("lr", 0.05), ("momentum", 0.8), ("x0", 1.0),
                                         ("y0", -1.0), ("num_steps", 80), ("noise", 1.0),
                                         ("Adagrad", True), ("SGD", False), ("step", 10),
                                         ("surface", "rosenbrock")])
def test_view_updates_when_a_control_changes(demo, name, value):
    before = image(demo)
    demo.controls[name].value = value
    assert image(demo) != before


def test_step_play_and_reset_update_the_view(demo):
    c = demo.controls
    c["reset_button"].click()
    assert c["step"].value == 0
    at_start = image(demo)
    c["step_button"].click()
    assert c["step"].value > 0 and image(demo) != at_start
    after_step = image(demo)
    c["play"].value += 1  # one Play tick
    assert image(demo) != after_step
    c["reset_button"].click()
    assert image(demo) == at_start


def test_step_at_the_end_starts_again_and_play_stops_at_the_end(demo):
    c = demo.controls
    assert c["step"].value == c["num_steps"].value  # the full path is shown at first
    c["step_button"].click()
    assert c["step"].value == 0
    c["play"].playing = True
    for tick in range(1, 100):
        c["play"].value = tick
        if not c["play"].playing:
            break
    assert c["step"].value == c["num_steps"].value and not c["play"].playing


def test_divergence_is_explained(demo):
    demo.controls["lr"].value = 0.25
    assert "SGD diverged at step" in message_text(demo)
    assert "|θ| exceeded 1e+06" in message_text(demo)
    demo.controls["lr"].value = 0.201
    assert "SGD is not converging" in message_text(demo)
    demo.controls["lr"].value = 0.1
    assert message_text(demo) == ""


def test_no_optimizer_and_invalid_values_are_explained(demo):
    for name in gd.OPTIMIZERS:
        demo.controls[name].value = False
    assert "Tick at least one optimizer" in message_text(demo)
    demo.controls["SGD"].value = True
    demo.controls["lr"].value = float("nan")  # a slider lets nan through
    assert "learning rate" in message_text(demo)


def test_surface_change_moves_the_start_sliders(demo):
    c = demo.controls
    c["surface"].value = "rosenbrock"
    assert (c["x0"].value, c["y0"].value) == gd.SURFACES["rosenbrock"].start
    assert (c["x0"].min, c["x0"].max) == gd.SURFACES["rosenbrock"].xlim
    c["surface"].value = "parabola"
    assert c["y0"].disabled and "J″ = 2" in demo.widget.children[4].value
    c["surface"].value = "saddle"
    assert "saddle point" in demo.widget.children[4].value


def test_each_surface_is_drawn_in_full_once_and_reused_with_the_same_picture(demo):
    """The surface dropdown's cost is the full draw of a new surface (contours, ticks);
    coming back to a surface reuses its kept background, and the picture is the same as
    the one drawn in full (the axes are where they were)."""
    first = {"quadratic": image(demo)}
    draws = demo.view.full_draws
    for key in gd.SURFACES:
        if key != "quadratic":
            demo.controls["surface"].value = key
            first[key] = image(demo)
    assert demo.view.full_draws == draws + len(gd.SURFACES) - 1
    for key in gd.SURFACES:
        demo.controls["surface"].value = key
        assert image(demo) == first[key]
    assert demo.view.full_draws == draws + len(gd.SURFACES) - 1
    demo.controls["num_steps"].value = 80  # a new loss axis: one more full draw
    assert demo.view.full_draws == draws + len(gd.SURFACES)


def test_a_fresh_demo_draws_the_same_picture_as_a_reused_background():
    a = gd.demo(surface="wells")
    b = gd.demo(surface="quadratic")
    b.controls["surface"].value = "wells"
    assert image(a) == image(b)


def test_the_first_slider_in_the_layout_redraws(demo):
    import ipywidgets as widgets

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    sliders = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider,
               widgets.SelectionSlider)
    first = next(w for w in walk(demo.widget) if isinstance(w, sliders))
    assert first is demo.controls["lr"]
    before = image(demo)
    first.value = first.value * 1.2
    assert image(demo) != before


_shared = {}


def shared_demo():
    """One demo for all hypothesis examples (building one takes a while)."""
    if "demo" not in _shared:
        _shared["demo"] = gd.demo()
    return _shared["demo"]


nasty_float = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64),
                        st.sampled_from([float("nan"), float("inf"), -float("inf"), 0.0]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_settings_never_raise_or_warn(data):
    demo = shared_demo()
    c = demo.controls
    actions = [
        # half of the examples keep the surface: a new surface costs a full redraw
        ("surface", st.one_of(st.just(c["surface"].value), st.sampled_from(list(gd.SURFACES)))),
        # mostly short runs (each control change reruns every ticked optimizer), sometimes
        # the extremes (-3 and 10**6 are clamped to 1 and 500)
        ("num_steps", st.one_of(st.integers(1, 40), st.integers(1, 40), st.integers(1, 40),
                                st.sampled_from([-3, 10**6]))),
        ("lr", st.one_of(st.floats(-5, 2).map(lambda e: 10 ** e), nasty_float)),
        ("momentum", st.one_of(st.floats(0, 0.99), nasty_float)),
        ("x0", st.one_of(st.floats(-3, 3), nasty_float)),
        ("y0", st.one_of(st.floats(-3, 3), nasty_float)),
        ("noise", st.one_of(st.floats(0, 5), nasty_float)),
        ("step", st.integers(-5, 600)),
        *[(name, st.booleans()) for name in gd.OPTIMIZERS],
    ]
    order = data.draw(st.permutations(range(len(actions))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in order:
            name, strategy = actions[i]
            c[name].value = data.draw(strategy, label=name)
        for _ in range(data.draw(st.integers(0, 3), label="clicks")):
            c[data.draw(st.sampled_from(["step_button", "reset_button"]))].click()
        c["play"].value += 1
    assert image(demo).startswith(PNG_MAGIC)
    assert c["step"].value <= c["num_steps"].value
    lr = c["lr"].value
    if any(c[name].value for name in gd.OPTIMIZERS) and math.isfinite(lr):
        assert message_text(demo) == "" or "diverged" in message_text(demo) \
            or "not converging" in message_text(demo) or "must" in message_text(demo)
