import ipywidgets as widgets
import numpy as np
import pytest
import torch

from utils import widgets as W


def test_figure_view_redraws_animated_artists_and_backgrounds():
    fig = W.new_figure(3, 2)
    ax = fig.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    line, = ax.plot([0, 1], [0, 1], animated=True)
    view = W.FigureView(fig)
    first = bytes(view.image.value)
    assert first.startswith(b"\x89PNG")
    line.set_data([0, 1], [1, 0])
    view.redraw()  # blit: only the animated line is drawn again
    assert bytes(view.image.value) != first
    blitted = bytes(view.image.value)
    ax.set_title("changed background")
    view.redraw()  # without full=True the cached background stays
    assert bytes(view.image.value) == blitted
    view.redraw(full=True)
    assert bytes(view.image.value) != blitted


def test_say_escapes_text_and_colours_warnings():
    label = W.message()
    W.say(label, "a < b", kind="warn")
    assert "a &lt; b" in label.value and "#D55E00" in label.value
    W.say(label, "")
    assert label.value == ""


def test_play_controls_step_and_reset():
    calls = []
    box, play = W.play_controls(lambda: calls.append("step"), lambda: calls.append("reset"))
    _, step_button, reset_button = box.children
    step_button.click()
    play.value = 1  # one tick of the Play widget
    play.playing = True
    reset_button.click()
    assert calls == ["step", "step", "reset"]
    assert play.playing is False


def test_demo_displays_its_widget_with_a_fixed_text_fallback():
    view = W.FigureView(W.new_figure(2, 2))
    demo = W.Demo(widgets.VBox([view.image]), {}, view)
    bundle = demo._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Interactive demo")
    assert b"PNG" not in bundle["text/plain"].encode()


def test_one_thread_restores_the_thread_count():
    before = torch.get_num_threads()
    with W.one_thread():
        assert torch.get_num_threads() == 1
        np.zeros(1)
    assert torch.get_num_threads() == before


def test_encode_png_round_trips_the_rgb_pixels():
    import io

    import PIL.Image

    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)  # (H, W, 4)
    data = W.encode_png(rgba)
    decoded = np.asarray(PIL.Image.open(io.BytesIO(data)))
    assert decoded.shape == (7, 5, 3)
    np.testing.assert_array_equal(decoded, rgba[:, :, :3])


def test_keyed_backgrounds_are_reused_and_give_the_same_picture():
    fig = W.new_figure(3, 2)  # constrained layout: the axes move when the labels change
    ax = fig.subplots()
    line, = ax.plot([0, 1], [0, 1], animated=True)
    ax.set(xlim=(0, 1), ylim=(0, 1), ylabel="short")
    view = W.FigureView(fig, key="short")
    short = bytes(view.image.value)
    assert view.full_draws == 1
    ax.set(ylim=(0, 1000), ylabel="a much longer label")  # moves the axes right
    view.redraw(full=True, key="long")
    assert view.full_draws == 2 and bytes(view.image.value) != short
    ax.set(ylim=(0, 1), ylabel="short")
    view.redraw(full=True, key="short")
    assert view.full_draws == 2  # no new draw: the kept background and positions are used
    assert bytes(view.image.value) == short  # the animated line is drawn where it was


def test_keyed_backgrounds_forget_the_least_recently_used():
    fig = W.new_figure(2, 2)
    ax = fig.subplots()
    view = W.FigureView(fig, max_backgrounds=2)
    for key in ("a", "b", "c"):
        ax.set_title(key)
        view.redraw(full=True, key=key)
    assert view.full_draws == 4
    view.redraw(full=True, key="c")
    view.redraw(full=True, key="b")
    assert view.full_draws == 4
    view.redraw(full=True, key="a")  # forgotten: drawn again
    assert view.full_draws == 5


class _ThreadsAtTorchCalls(torch.overrides.TorchFunctionMode):
    """Counts torch function calls made while torch may use more than one thread."""

    def __init__(self):
        super().__init__()
        self.calls = self.multi_threaded = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.calls += 1
        self.multi_threaded += torch.get_num_threads() != 1
        return func(*args, **(kwargs or {}))


def _demo_modules():
    """Every demo module, as scripts/app.py lists them (one Voila app per module)."""
    import sys
    from pathlib import Path
    scripts = str(Path(__file__).resolve().parent.parent / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import app
    return [module for module, _title in app.demo_modules()]


def _drive(control):
    """Move one control through a few values, as a user would."""
    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider, widgets.ToggleButtons,
                            widgets.RadioButtons)):
        for _ in range(3):
            control.index = (control.index + 1) % len(control.options)
    elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        for value in np.linspace(control.min, control.max, 3):
            control.value = type(control.value)(value)
    elif isinstance(control, widgets.FloatLogSlider):
        for exponent in np.linspace(control.min, control.max, 3):
            control.value = float(control.base ** exponent)
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        for _ in range(2):
            control.value = not control.value


# Demo modules whose callbacks make no torch call at all (checked below: a module that starts
# calling torch must leave this set and pass the thread check).
_NO_TORCH_IN_CALLBACKS = {"broadcasting", "capacity", "estimators", "losses", "lstm_cell",
                          "receptive_field", "rnn_gradients", "sgd", "thresholds"}


@pytest.mark.parametrize("module", _demo_modules())
def test_demo_callbacks_run_their_torch_work_on_one_thread(module):
    """The thread policy (utils.threads): a demo's callbacks do their torch work inside
    utils.widgets.one_thread, whatever the lesson set."""
    import importlib
    demo = importlib.import_module(f"utils.demos.{module}").demo()
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    recorder = _ThreadsAtTorchCalls()
    try:
        with recorder:
            for control in demo.controls.values():
                _drive(control)
    finally:
        torch.set_num_threads(previous)
    if module in _NO_TORCH_IN_CALLBACKS:
        assert recorder.calls == 0  # still no torch work: nothing to check
    else:
        assert recorder.calls > 0  # the demo did torch work
    assert recorder.multi_threaded == 0, (
        f"{recorder.multi_threaded} of {recorder.calls} torch calls outside one_thread")
