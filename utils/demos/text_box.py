"""A text box to try a trained sequence model on your own input (Unit III lessons).

`text_box(respond, value, description)` returns an ipywidgets VBox with a Text field and
a message line. `respond(text)` returns (answer, kind): the answer is shown under the box
("warn" in vermillion, e.g. to explain an input the model cannot read), so a bad input
never raises. The answer is recomputed on every keystroke (`continuous_update`), which is
fine for the small models of the lessons (a few ms per call).
"""
import ipywidgets as widgets

from utils.widgets import message, say


def text_box(respond, value="", description="input"):
    """A Text widget and the answer of `respond` to its content, updated as you type."""
    box = widgets.Text(value=value, description=description, continuous_update=True,
                       layout=widgets.Layout(width="420px"))
    answer = message()

    def update(change=None):
        try:
            text, kind = respond(box.value)
        except Exception as error:  # a model's own error: explain it, never crash the cell
            text, kind = f"could not answer: {type(error).__name__}: {error}", "warn"
        say(answer, text, kind)

    box.observe(update, names="value")
    update()
    widget = widgets.VBox([box, answer])
    widget.box, widget.answer = box, answer  # for tests
    return widget
