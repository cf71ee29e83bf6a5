import ipywidgets as widgets
import numpy as np
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
