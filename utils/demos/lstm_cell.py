"""An LSTM cell inspector: one scalar LSTM unit with hand-set weights (lesson III.13).

Model (numpy, no widgets): `lstm_cell(x, h_prev, c_prev, weights)` computes, for scalars,

    f = σ(b_f + U_f x + W_f h_prev)      forget gate
    i = σ(b_i + U_i x + W_i h_prev)      input gate
    g = tanh(b_g + U_g x + W_g h_prev)   candidate cell value
    o = σ(b_o + U_o x + W_o h_prev)      output gate
    c = f c_prev + i g,   h = o tanh(c)

and returns a dict with the four gates and the new c and h. `WEIGHTS` are hand-set so that
a positive input opens the input gate and a negative one closes the forget gate; the demo's
forget-bias slider shifts b_f.

View: `demo()` has sliders x, h(t-1), C(t-1) and the forget bias, and shows the gates and
the new state as bars.
"""
import ipywidgets as widgets
import numpy as np

from utils.widgets import OKABE_ITO, Demo, FigureView, message, new_figure, say

# (U, W, b) per gate: input weight, recurrent weight, bias
WEIGHTS = {"f": (3.0, 0.5, 1.0), "i": (3.0, 0.5, -1.0), "g": (2.0, 1.0, 0.0), "o": (1.0, 1.0, 0.5)}
NAMES = ["f", "i", "g", "o", "c", "h"]
LABELS = ["forget f", "input i", "candidate g", "output o", "new C(t)", "new h(t)"]


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, c_prev, weights=WEIGHTS, forget_bias=None):
    """One step of a scalar LSTM; `forget_bias` replaces b_f if given."""
    def affine(gate):
        U, W, b = weights[gate]
        if gate == "f" and forget_bias is not None:
            b = forget_bias
        return b + U * x + W * h_prev

    f, i, o = sigmoid(affine("f")), sigmoid(affine("i")), sigmoid(affine("o"))
    g = np.tanh(affine("g"))
    c = f * c_prev + i * g
    return {"f": f, "i": i, "g": g, "o": o, "c": c, "h": o * np.tanh(c)}


def explain(state, c_prev):
    """One sentence on what the cell does at this setting."""
    keep = "keeps most of" if state["f"] > 0.8 else "forgets most of" if state["f"] < 0.2 else "keeps part of"
    write = "writes most of" if state["i"] > 0.8 else "writes little of" if state["i"] < 0.2 else "writes part of"
    return (f"The cell {keep} C(t−1) = {c_prev:+.2f} (f = {state['f']:.2f}) and {write} the "
            f"candidate g = {state['g']:+.2f} (i = {state['i']:.2f}): C(t) = {state['c']:+.2f}, "
            f"h(t) = o·tanh(C) = {state['h']:+.2f}.")


class _CellView:
    def __init__(self, x=1.0, h_prev=0.0, c_prev=0.5, forget_bias=1.0):
        style = {"description_width": "initial"}
        c = self.controls = {}
        for name, value, low, high, label in [("x", x, -2, 2, "input x(t)"),
                                              ("h_prev", h_prev, -1, 1, "h(t−1)"),
                                              ("c_prev", c_prev, -2, 2, "C(t−1)"),
                                              ("forget_bias", forget_bias, -4, 4, "forget bias b_f")]:
            c[name] = widgets.FloatSlider(value=value, min=low, max=high, step=0.05,
                                          description=label, style=style,
                                          layout=widgets.Layout(width="300px"))
        self.message = message()
        self.fig = new_figure(7.5, 3.2)
        ax = self.ax = self.fig.subplots()
        ax.set_ylim(-2.2, 2.2)
        ax.axhline(0, color="grey", lw=0.8)
        for level in (1, -1):
            ax.axhline(level, color="grey", lw=0.5, ls=":")
        ax.set_xticks(range(len(NAMES)), LABELS, fontsize=9)
        ax.set_title("gates in (0, 1), candidate and tanh in (−1, 1)", fontsize=10, loc="left")
        colors = [OKABE_ITO[k] for k in (3, 0, 1, 2, 4, 5)]
        self.bars = ax.bar(range(len(NAMES)), np.zeros(len(NAMES)), color=colors, animated=True)
        self.texts = [ax.text(k, 0, "", ha="center", fontsize=9, animated=True) for k in range(len(NAMES))]
        self.view = FigureView(self.fig)
        self.update()
        for control in c.values():
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([widgets.HBox([c["x"], c["h_prev"]]),
                                    widgets.HBox([c["c_prev"], c["forget_bias"]]),
                                    self.message, self.view.image])

    def update(self, change=None):
        s = {name: control.value for name, control in self.controls.items()}
        self.state = state = lstm_cell(s["x"], s["h_prev"], s["c_prev"], forget_bias=s["forget_bias"])
        for k, name in enumerate(NAMES):
            value = float(np.clip(state[name], -2.2, 2.2))
            self.bars[k].set_height(value)
            self.texts[k].set_position((k, value + (0.08 if value >= 0 else -0.25)))
            self.texts[k].set_text(f"{state[name]:+.2f}")
        say(self.message, explain(state, s["c_prev"]))
        self.view.redraw()


def demo(x=1.0, h_prev=0.0, c_prev=0.5, forget_bias=1.0):
    """The LSTM cell inspector: sliders x, h_prev, c_prev and forget_bias above the bars."""
    v = _CellView(x, h_prev, c_prev, forget_bias)
    demo = Demo(v.widget, v.controls, v.view)
    demo.model = v  # the state of the last update, for tests
    return demo
