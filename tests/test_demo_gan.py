"""utils.demos.gan: losses, D*, divergence measures and training against hand computations,
and the view (controls redraw, buttons, divergence message, random settings never fail)."""
import math
import warnings

import ipywidgets as widgets
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from utils.demos import gan
from utils.demos.gan import (BATCH_SIZES, CLIP, DISTRIBUTIONS, HIDDEN_SIZES, LOSSES, NOISES,
                             OPTIMIZERS, GANTrainer, demo, discriminator_loss,
                             discriminator_view, generator_loss, mmd2, modes_covered,
                             optimal_discriminator, sample_noise, sample_real)

sigmoid = lambda a: 1 / (1 + math.exp(-a))  # noqa: E731


# ---------------------------------------------------------------- the optimal discriminator

def test_optimal_discriminator_formula():
    p_data, p_g = np.array([0.3, 0.1, 0.2, 0.0, 0.0]), np.array([0.1, 0.3, 0.2, 0.5, 0.0])
    np.testing.assert_allclose(optimal_discriminator(p_data, p_g),
                               [0.75, 0.25, 0.5, 0.0, 0.5])


def test_optimal_discriminator_maximises_the_pointwise_objective():
    """GBC 20.10.4: y -> a log y + b log(1 - y) is maximised at y = a / (a + b)."""
    y = np.linspace(1e-4, 1 - 1e-4, 200_001)
    for a, b in [(0.3, 0.1), (1.0, 2.0), (0.05, 0.9)]:
        best = y[np.argmax(a * np.log(y) + b * np.log(1 - y))]
        assert abs(best - optimal_discriminator(a, b)) < 1e-4


def test_value_of_the_game_at_equilibrium_is_minus_log_4():
    """With p_g = p_data, D* = 1/2 and V = log(1/2) + log(1/2) = -log 4; the D loss of
    the log losses is its negative."""
    a = torch.zeros(10, 1)  # logit 0 = D of 1/2
    assert discriminator_loss("minimax", a, a).item() == pytest.approx(math.log(4))
    assert gan.EQUILIBRIUM["minimax"][0] == pytest.approx(math.log(4))


# ---------------------------------------------------------------- losses by hand

A_REAL = torch.tensor([[2.0], [0.0]])
A_FAKE = torch.tensor([[-1.0], [0.5]])


def test_discriminator_losses_by_hand():
    log_d = (-math.log(sigmoid(2.0)) - math.log(sigmoid(0.0))) / 2 \
        + (-math.log(1 - sigmoid(-1.0)) - math.log(1 - sigmoid(0.5))) / 2
    expected = {
        "minimax": log_d,
        "nonsaturating": log_d,
        "least_squares": 0.5 * ((2 - 1) ** 2 + (0 - 1) ** 2) / 2 + 0.5 * (1 + 0.25) / 2,
        "hinge": (max(0, 1 - 2) + max(0, 1 - 0)) / 2 + (max(0, 1 - 1) + max(0, 1 + 0.5)) / 2,
        "wasserstein": (-1 + 0.5) / 2 - (2 + 0) / 2,
    }
    for loss, value in expected.items():
        assert discriminator_loss(loss, A_REAL, A_FAKE).item() == pytest.approx(value, rel=1e-6)


def test_generator_losses_by_hand():
    expected = {
        "minimax": (math.log(1 - sigmoid(-1.0)) + math.log(1 - sigmoid(0.5))) / 2,
        "nonsaturating": (-math.log(sigmoid(-1.0)) - math.log(sigmoid(0.5))) / 2,
        "least_squares": 0.5 * ((-1 - 1) ** 2 + (0.5 - 1) ** 2) / 2,
        "hinge": -(-1 + 0.5) / 2,
        "wasserstein": -(-1 + 0.5) / 2,
    }
    for loss, value in expected.items():
        assert generator_loss(loss, A_FAKE).item() == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_gradient_signs(loss):
    """For scores between the targets (0 < a < 1), D's update raises its score on real points
    (d loss / d a_real < 0) and lowers it on fakes (d loss / d a_fake > 0); G's update raises
    D's score on its points (d loss / d a_fake < 0)."""
    a_real = torch.tensor([[0.2], [0.7]], requires_grad=True)
    a_fake = torch.tensor([[0.3], [0.8]], requires_grad=True)
    g_real, g_fake = torch.autograd.grad(discriminator_loss(loss, a_real, a_fake),
                                         (a_real, a_fake))
    assert (g_real < 0).all() and (g_fake > 0).all()
    (g,) = torch.autograd.grad(generator_loss(loss, a_fake), a_fake)
    assert (g < 0).all()


def test_least_squares_pulls_scores_to_their_targets_from_both_sides():
    """LSGAN's targets are 1 (real) and 0 (fake): a real score above 1 is pushed down."""
    a_real = torch.tensor([[2.0]], requires_grad=True)
    a_fake = torch.tensor([[-0.5]], requires_grad=True)
    g_real, g_fake = torch.autograd.grad(discriminator_loss("least_squares", a_real, a_fake),
                                         (a_real, a_fake))
    assert g_real.item() == pytest.approx(1.0) and g_fake.item() == pytest.approx(-0.5)


def test_saturating_generator_loss_has_a_vanishing_gradient_when_d_rejects_fakes():
    """At D(G(z)) = 0.001: d/da log(1 - D) = -D = -0.001, while d/da -log D = -(1 - D)."""
    a = torch.tensor([[math.log(0.001 / 0.999)]], requires_grad=True)
    (g_sat,) = torch.autograd.grad(generator_loss("minimax", a), a)
    (g_ns,) = torch.autograd.grad(generator_loss("nonsaturating", a), a)
    assert g_sat.item() == pytest.approx(-0.001, rel=1e-4)
    assert g_ns.item() == pytest.approx(-0.999, rel=1e-4)


def test_discriminator_view_is_in_the_unit_interval():
    a = torch.tensor([-50.0, -1.0, 0.0, 0.3, 1.0, 50.0])
    for loss in LOSSES:
        shown = discriminator_view(loss, a)
        assert ((shown >= 0) & (shown <= 1)).all()
        assert shown[0] < shown[-1]  # higher score, more "real"
    assert discriminator_view("nonsaturating", torch.tensor([0.0])).item() == 0.5
    assert discriminator_view("wasserstein", torch.zeros(3)).tolist() == [0.5] * 3


# ---------------------------------------------------------------- data and divergence measures

@pytest.mark.parametrize("distribution", list(DISTRIBUTIONS))
def test_samples_have_the_right_shape_and_fit_the_plane(distribution):
    X = sample_real(distribution, 2000, torch.Generator().manual_seed(0))
    assert X.shape == (2000, 2)
    assert (X.abs() < gan.LIMIT).float().mean() > 0.99


def test_gaussian_samples_have_the_stated_mean_and_std():
    X = sample_real("gaussian", 20000, torch.Generator().manual_seed(0))
    np.testing.assert_allclose(X.mean(0), gan.GAUSSIAN_MEAN, atol=0.02)
    np.testing.assert_allclose(X.std(0), gan.GAUSSIAN_STD, atol=0.02)


def test_noise_priors():
    z = sample_noise(5000, 3, "uniform", torch.Generator().manual_seed(0))
    assert z.shape == (5000, 3) and z.min() >= -1 and z.max() <= 1
    z = sample_noise(5000, 3, "gaussian", torch.Generator().manual_seed(0))
    assert abs(z.std().item() - 1) < 0.05


def test_mmd_is_small_for_the_same_distribution_and_large_for_another():
    g = torch.Generator().manual_seed(0)
    same = mmd2(sample_real("ring8", 400, g), sample_real("ring8", 400, g))
    other = mmd2(sample_real("ring8", 400, g), sample_real("gaussian", 400, g))
    assert abs(same) < 0.01 and other > 0.3


def test_mmd_matches_a_direct_computation():
    X = torch.tensor([[0.0, 0.0], [1.0, 0.0]])
    Y = torch.tensor([[0.0, 1.0], [2.0, 2.0], [0.0, 0.0]])
    k = lambda a, b, h: math.exp(-float(((a - b) ** 2).sum()) / (2 * h * h))  # noqa: E731
    h = 0.7
    xx = 2 * k(X[0], X[1], h) / 2
    yy = sum(k(Y[i], Y[j], h) for i in range(3) for j in range(3) if i != j) / 6
    xy = sum(k(x, y, h) for x in X for y in Y) / 6
    assert mmd2(X, Y, bandwidths=(h,)) == pytest.approx(xx + yy - 2 * xy, rel=1e-5)


def test_modes_covered():
    g = torch.Generator().manual_seed(0)
    assert modes_covered(sample_real("ring8", 800, g), "ring8") == (8, 8)
    assert modes_covered(sample_real("grid25", 2500, g), "grid25") == (25, 25)
    one_mode = gan.mode_centers("ring8")[3] + 0.05 * torch.randn(500, 2, generator=g)
    assert modes_covered(one_mode, "ring8") == (1, 8)
    assert modes_covered(one_mode, "moons") is None


# ---------------------------------------------------------------- training

def test_training_moves_the_generated_mean_toward_the_target():
    trainer = GANTrainer(distribution="gaussian", seed=0, g_lr=2e-3, d_lr=2e-3)
    target = torch.tensor(gan.GAUSSIAN_MEAN)
    before = (trainer.generated().mean(0) - target).norm().item()
    trainer.train(400)
    after = (trainer.generated().mean(0) - target).norm().item()
    assert not trainer.diverged
    assert after < 0.5 * before
    assert trainer.history["mmd2"][-1] < trainer.history["mmd2"][0]


def test_training_is_reproducible_from_the_seed():
    runs = []
    for _ in range(2):
        trainer = GANTrainer(seed=3)
        trainer.train(30)
        runs.append(trainer.generated())
    assert torch.equal(runs[0], runs[1])


def test_k_steps_count_updates():
    trainer = GANTrainer(d_steps=3, g_steps=2)
    d_before = [p.clone() for p in trainer.D.parameters()]
    counts = {"d": 0, "g": 0}
    step_d, step_g = trainer.step_d, trainer.step_g
    trainer.step_d = lambda: (counts.__setitem__("d", counts["d"] + 1), step_d())
    trainer.step_g = lambda: (counts.__setitem__("g", counts["g"] + 1), step_g())
    trainer.train(4)
    assert counts == {"d": 12, "g": 8} and trainer.iteration == 4
    assert any(not torch.equal(a, b) for a, b in zip(d_before, trainer.D.parameters()))


def test_step_g_leaves_d_alone_and_step_d_leaves_g_alone():
    trainer = GANTrainer()
    D_before = [p.clone() for p in trainer.D.parameters()]
    G_before = [p.clone() for p in trainer.G.parameters()]
    trainer.step_g()
    assert all(torch.equal(a, b) for a, b in zip(D_before, trainer.D.parameters()))
    assert all(p.grad is None for p in trainer.D.parameters())
    G_after = [p.clone() for p in trainer.G.parameters()]
    assert any(not torch.equal(a, b) for a, b in zip(G_before, G_after))
    trainer.step_d()
    assert all(torch.equal(a, b) for a, b in zip(G_after, trainer.G.parameters()))


def test_wasserstein_critic_weights_are_clipped():
    trainer = GANTrainer(loss="wasserstein", d_lr=0.5, d_optimizer="SGD")
    trainer.train(3)
    assert max(p.abs().max().item() for p in trainer.D.parameters()) <= CLIP + 1e-7


def test_configure_changes_a_run_in_flight_or_resets_it():
    trainer = GANTrainer()
    trainer.train(5)
    assert trainer.configure(d_lr=0.05, g_optimizer="SGD", loss="hinge") is False
    assert trainer.iteration == 5
    assert trainer.d_opt.param_groups[0]["lr"] == 0.05
    assert isinstance(trainer.g_opt, torch.optim.SGD)
    assert trainer.configure(noise_dim=5) is True
    assert trainer.iteration == 0 and trainer.G[0].in_features == 5
    with pytest.raises(ValueError):
        trainer.configure(colour="red")


def test_a_huge_learning_rate_diverges_and_stops_cleanly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = GANTrainer(d_optimizer="SGD", g_optimizer="SGD", d_lr=10.0, g_lr=10.0,
                             loss="least_squares")
        trainer.train(200)
        assert trainer.diverged.startswith("Diverged at iteration")
        stopped_at = trainer.iteration
        trainer.train(10)
        assert trainer.iteration == stopped_at
        trainer.reset()
        assert trainer.diverged == "" and trainer.iteration == 0


def test_manifold_and_arrows_shapes():
    for noise_dim in (1, 2, 5):
        trainer = GANTrainer(noise_dim=noise_dim)
        lines = trainer.manifold()
        assert len(lines) == (1 if noise_dim == 1 else 18)
        assert all(line.shape == (30, 2) for line in lines)
    arrows = trainer.generator_arrows(trainer.generated()[:10])
    assert arrows.shape == (10, 2) and torch.isfinite(arrows).all()


def test_arrows_point_uphill_on_the_discriminator():
    """-grad of G's loss moves a fake point to where D's score is higher (first order)."""
    trainer = GANTrainer(distribution="gaussian")
    trainer.train(100)
    points = trainer.generated()[:50]
    arrows = trainer.generator_arrows(points)
    with torch.no_grad():
        before = trainer.D(points)
        unit = arrows / arrows.norm(dim=1, keepdim=True).clamp_min(1e-12)
        after = trainer.D(points + 1e-3 * unit)
    assert (after >= before - 1e-6).float().mean() > 0.95


# ---------------------------------------------------------------- the view

def _first_slider(widget):
    kinds = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider,
             widgets.SelectionSlider)
    if isinstance(widget, kinds):
        return widget
    for child in getattr(widget, "children", ()):
        found = _first_slider(child)
        if found is not None:
            return found
    return None


@pytest.fixture(scope="module")
def the_demo():
    return demo()


def test_first_slider_redraws_the_figure(the_demo):
    slider = _first_slider(the_demo.widget)
    assert slider is the_demo.controls["noise_dim"]
    before = the_demo.view.image.value
    slider.value = slider.value + 1
    assert the_demo.view.image.value != before


@pytest.mark.parametrize("name", ["distribution", "loss", "d_lr", "g_steps", "show_heatmap"])
def test_controls_update_the_view(the_demo, name):
    control = the_demo.controls[name]
    the_demo.app.frame()  # some training, so that a loss or learning rate change shows
    before = the_demo.view.image.value
    if isinstance(control, widgets.Dropdown):
        options = [value for _, value in control.options] if isinstance(control.options[0], tuple) \
            else list(control.options)
        control.value = next(o for o in options if o != control.value)
    elif isinstance(control, widgets.Checkbox):
        control.value = not control.value
    elif name == "d_lr":
        control.value = 0.5  # then a frame: D changes much more than before
        the_demo.app.frame()
    else:
        control.value = control.value + 1
        the_demo.app.frame()
    assert the_demo.view.image.value != before


def test_switching_back_to_a_loss_reuses_its_background_with_the_same_picture():
    """A loss change needs a full draw (title, colour bar label, reference lines, loss axis);
    the second time round each loss's kept background is reused, with the same picture."""
    d = demo(distribution="gaussian")
    control = d.controls["loss"]
    pictures = {}
    for loss in LOSSES:
        control.value = loss
        pictures[loss] = bytes(d.view.image.value)
    draws = d.view.full_draws
    for loss in LOSSES:
        control.value = loss
        assert bytes(d.view.image.value) == pictures[loss]
    assert d.view.full_draws == draws


@pytest.mark.parametrize("button", ["step_d", "step_g", "step_both", "frame"])
def test_buttons_train_and_redraw(button):
    d = demo(distribution="gaussian")
    before, iteration = d.view.image.value, d.app.trainer.iteration
    d.controls[button].click()
    assert d.view.image.value != before
    if button in ("step_both", "frame"):
        assert d.app.trainer.iteration > iteration


def test_play_tick_runs_a_frame_and_reset_restarts():
    d = demo(steps_per_frame=7)
    assert d.model is d.app.trainer
    d.controls["play"].value = 1
    assert d.app.trainer.iteration == 7 and d.model.steps_done == 7
    d.controls["reset"].click()
    assert d.app.trainer.iteration == 0 and d.controls["play"].playing is False
    d.controls["play"].value = 2
    assert d.model.steps_done == 14  # counts over resets, for scripts/latency.py


def test_divergence_is_explained_and_reset_recovers():
    d = demo(d_optimizer="SGD", g_optimizer="SGD", d_lr=10.0, g_lr=10.0, loss="least_squares",
             steps_per_frame=100)
    d.controls["play"].playing = True
    for tick in range(1, 4):
        d.controls["play"].value = tick
    assert "Diverged" in d.app.message.value and "#D55E00" in d.app.message.value
    assert d.controls["play"].playing is False
    d.controls["reset"].click()
    assert "Diverged" not in d.app.message.value


def test_status_line_reports_modes_on_the_ring():
    d = demo(distribution="ring8")
    assert "modes covered" in d.app.message.value
    d.controls["distribution"].value = "moons"
    assert "modes covered" not in d.app.message.value


def test_benchmark_reports_rates():
    result = gan.benchmark(num_frames=2, steps_per_frame=5)
    assert result["iterations"] == 10 and result["frames_per_s"] > 0
    assert result["iterations_per_s"] > 0 and result["cpu_ms_per_frame"] > 0


# ---------------------------------------------------------------- random settings never fail

SETTINGS = st.fixed_dictionaries({
    "distribution": st.sampled_from(list(DISTRIBUTIONS)),
    "loss": st.sampled_from(list(LOSSES)),
    "noise_dim": st.integers(1, 8),
    "noise": st.sampled_from(NOISES),
    "d_lr": st.sampled_from([1e-5, 1e-3, 0.1, 1.0, 10.0]) | st.floats(1e-5, 10.0),
    "g_lr": st.sampled_from([1e-5, 1e-3, 0.1, 1.0, 10.0]) | st.floats(1e-5, 10.0),
    "d_optimizer": st.sampled_from(OPTIMIZERS),
    "g_optimizer": st.sampled_from(OPTIMIZERS),
    "d_steps": st.integers(0, 10),
    "g_steps": st.integers(0, 10),
    "hidden": st.sampled_from(HIDDEN_SIZES),
    "layers": st.integers(1, 3),
    "batch_size": st.sampled_from(BATCH_SIZES),
    "seed": st.integers(0, 9999),
    "steps_per_frame": st.integers(1, 12),
    "show_heatmap": st.booleans(),
    "show_real": st.booleans(),
    "show_fake": st.booleans(),
    "show_arrows": st.booleans(),
    "show_manifold": st.booleans(),
})
ACTIONS = st.lists(st.sampled_from(["step_d", "step_g", "step_both", "frame", "play", "reset"]),
                   min_size=1, max_size=3)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=SETTINGS, actions=ACTIONS)
def test_random_settings_never_raise_or_warn(the_demo, values, actions):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        controls = the_demo.controls
        for name, value in values.items():
            controls[name].value = value
        for action in actions:
            if action == "play":
                controls["play"].value = controls["play"].value + 1
            else:
                controls[action].click()
        app = the_demo.app
        assert app.trainer.settings["loss"] == values["loss"]
        assert len(bytes(the_demo.view.image.value)) > 0
        event("diverged" if app.trainer.diverged else "healthy")
        if app.trainer.diverged:
            assert "Diverged" in app.message.value
        else:
            assert np.isfinite(app.trainer.history["mmd2"][-1])
