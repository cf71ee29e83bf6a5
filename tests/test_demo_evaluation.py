"""The Unit IV demos: threshold explorer, be the tuner, Bayesian optimisation."""
import math

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils import metrics
from utils.demos import bayes_opt, thresholds, tuner
from utils.tuning import load_digits_split, train_mlp

# ---------------------------------------------------------------- threshold explorer


def test_cancer_scores_are_out_of_fold_and_good():
    y, scores = thresholds.cancer_scores()
    assert y.shape == scores.shape == (569,)
    assert y.sum() == 212  # malignant is the positive class
    assert 0.97 < metrics.roc_auc(y, scores) < 1.0


@pytest.mark.parametrize("prevalence", thresholds.PREVALENCES)
def test_resample_hits_the_prevalence(prevalence):
    y, scores = thresholds.cancer_scores()
    y_sub, s_sub = thresholds.resample(y, scores, prevalence)
    assert abs(y_sub.mean() - prevalence) < 0.01
    assert len(y_sub) == len(s_sub)


def test_threshold_model_numbers_match_sklearn():
    from sklearn.metrics import f1_score
    model = thresholds.ThresholdModel()
    counts, m = model.at(0.4, 0.1)
    c = model.curves(0.1)
    y_hat = (c["scores"] >= 0.4).astype(int)
    assert abs(m["f1"] - f1_score(c["y"], y_hat)) < 1e-12
    assert abs(m["always_negative_accuracy"] - 0.9) < 0.01
    _, extreme = model.at(1.0 + 1e-9, 0.05)  # nothing predicted positive
    assert extreme["recall"] == 0 and extreme["accuracy"] == pytest.approx(0.95, abs=0.01)


def test_threshold_demo_redraws_and_explains():
    demo = thresholds.demo()
    for name, value in [("threshold", 0.8), ("prevalence", 0.05)]:
        before = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != before, name
    numbers = demo.widget.children[2]
    demo.controls["notes_example"].value = True
    assert "TN 50" in numbers.value and "0.909" in numbers.value and "0.952" in numbers.value
    demo.controls["threshold"].value = 1.0
    demo.controls["notes_example"].value = False
    assert "predicted positive" in demo.widget.children[1].value


@settings(max_examples=200, deadline=None)
@given(threshold=st.floats(0, 1), prevalence=st.sampled_from(thresholds.PREVALENCES),
       notes=st.booleans())
@pytest.mark.filterwarnings("error")
def test_threshold_demo_never_raises(threshold, prevalence, notes):
    demo = _shared("thresholds", thresholds.demo)
    demo.controls["threshold"].value = threshold
    demo.controls["prevalence"].value = prevalence
    demo.controls["notes_example"].value = notes
    assert demo.view.image.value[:4] == b"\x89PNG"


# ---------------------------------------------------------------- be the tuner


def test_train_mlp_learns_and_diverges():
    data = load_digits_split()
    good = train_mlp(data, lr=0.1, num_epochs=5)
    assert good["val_err"] < 0.15 and not good["diverged"]
    bad = train_mlp(data, lr=50.0, num_epochs=2)
    assert bad["val_err"] >= 0.8


def test_tuner_game_budget_and_history():
    game = tuner.TunerGame(budget=2)
    s = {"lr": 0.1, "hidden": 16, "weight_decay": 0.0, "num_epochs": 1, "batch_size": 256}
    assert game.train(s)["val_err"] < 0.9
    game.train(dict(s, lr=1e-4))
    assert game.left == 0 and game.train(s) is None
    assert game.best()["lr"] == 0.1


def test_tuner_demo_train_reveal_and_budget():
    demo = tuner.demo(budget=2)
    demo.controls["num_epochs"].value = 1
    before = demo.view.image.value
    demo.controls["lr"].value = 0.1
    assert demo.view.image.value != before  # the next-trial marker moved
    demo.controls["train"].click()
    demo.controls["train"].click()
    assert len(demo.game.history) == 2 and demo.controls["train"].disabled
    demo.controls["train"].click()
    assert "budget is spent" in demo.widget.children[3].value
    demo.controls["reveal"].click()
    assert "U shape" in demo.widget.children[3].value
    demo.controls["new_game"].click()
    assert demo.game.history == [] and not demo.controls["train"].disabled


@settings(max_examples=200, deadline=None)
@given(log_lr=st.floats(-4, 1), hidden=st.sampled_from(tuner.WIDTHS),
       decay=st.sampled_from(tuner.WEIGHT_DECAYS), batch=st.sampled_from(tuner.BATCH_SIZES),
       action=st.sampled_from(["none"] * 8 + ["train", "new"]))
@pytest.mark.filterwarnings("error")
def test_tuner_demo_never_raises(log_lr, hidden, decay, batch, action):
    demo = _shared("tuner", lambda: tuner.demo(budget=5))
    demo.controls["num_epochs"].value = 1
    demo.controls["lr"].value = 10 ** log_lr
    demo.controls["hidden"].value = hidden
    demo.controls["weight_decay"].value = decay
    demo.controls["batch_size"].value = batch
    if action == "train":
        demo.controls["train"].click()
    elif action == "new":
        demo.controls["new_game"].click()
    assert demo.view.image.value[:4] == b"\x89PNG"
    assert len(demo.game.history) <= 5


# ---------------------------------------------------------------- Bayesian optimisation


def test_bayes_opt_model_finds_the_deep_dip():
    model = bayes_opt.BayesOptModel()
    for _ in range(15):
        model.step()
    best_x = model.x_trials()[int(np.argmin(model.opt.values))]
    assert abs(best_x + 0.7) < 0.15  # the narrow, deeper dip, not the broad one at -2.5
    assert len(model.opt.values) == 15


def test_bayes_opt_model_stops_at_the_budget():
    model = bayes_opt.BayesOptModel()
    for _ in range(bayes_opt.MAX_TRIALS):
        assert model.step() is not None
    assert model.step() is None


def test_bayes_opt_demo_buttons():
    demo = bayes_opt.demo()
    for _ in range(3):
        before = demo.view.image.value
        demo.controls["next"].click()
        assert demo.view.image.value != before
    assert "Next: log10 lr" in demo.widget.children[2].value
    before = demo.view.image.value
    demo.controls["length_scale"].value = 0.4
    assert demo.view.image.value != before
    demo.controls["reset"].click()
    assert len(demo.model.opt.values) == bayes_opt.N_INIT  # restarts with the random trials
    demo.controls["objective"].value = bayes_opt.OBJECTIVES[1]  # digits: trials only on the button
    assert demo.model.opt.values == []
    demo.controls["next"].click()
    assert len(demo.model.opt.values) == 1 and 0 < demo.model.opt.values[0] < 1
    assert demo.widget.children[1].children[2].value == bayes_opt.NUM_EPOCHS  # progress bar full


def _first_slider_step(demo):
    """Move the demo's first slider one step to the right, as ArrowRight in a browser does."""
    slider = next(c for c in demo.controls.values()
                  if isinstance(c, (widgets.FloatSlider, widgets.FloatLogSlider,
                                    widgets.SelectionSlider)))
    if isinstance(slider, widgets.SelectionSlider):
        options = list(slider.options)
        slider.value = options[options.index(slider.value) + 1]
    elif isinstance(slider, widgets.FloatLogSlider):
        slider.value = slider.base ** (math.log(slider.value, slider.base) + slider.step)
    else:
        slider.value = slider.value + slider.step


@pytest.mark.parametrize("module", [thresholds, tuner, bayes_opt])
def test_first_slider_step_redraws_the_image(module):
    """The real-browser test presses ArrowRight once on the first slider and waits for the
    image to change: one step must redraw it, from the demo's starting state."""
    demo = module.demo()
    before = demo.view.image.value
    _first_slider_step(demo)
    assert demo.view.image.value != before


@settings(max_examples=200, deadline=None)
@given(scale=st.floats(0.03, 0.5), xi=st.floats(0, 0.1),
       action=st.sampled_from(["next", "next", "next", "none", "reset"]))
@pytest.mark.filterwarnings("error")
def test_bayes_opt_demo_never_raises(scale, xi, action):
    demo = _shared("bayes_opt", bayes_opt.demo)
    demo.controls["length_scale"].value = scale
    demo.controls["xi"].value = xi
    if action == "reset":
        demo.controls["reset"].click()
    elif action == "next":
        demo.controls["next"].click()
    assert demo.view.image.value[:4] == b"\x89PNG"
    assert all(math.isfinite(v) for v in demo.model.opt.values)


_DEMOS = {}


def _shared(name, make):
    if name not in _DEMOS:
        _DEMOS[name] = make()
    return _DEMOS[name]
