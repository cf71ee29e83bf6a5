"""Temperature for a character-level language model (lesson III, 06).

Model (torch, no widgets): `utils.sequences.next_char_probabilities(net, vocab, prompt,
temperature)` is softmax(logits / temperature) of the character after `prompt`;
`tempered(logits, temperature)` does the same for given logits (cached per prompt here, so
moving the slider costs one softmax).

View: `demo(net, vocab)` has a temperature slider and a prompt box, shows the TOP_K most
probable next characters as bars with the entropy of the whole distribution, and a
**Sample** button (the long step: it generates NUM_CHARS characters) that writes a sample
at the current temperature below the figure.
"""
import html

import ipywidgets as widgets
import numpy as np
import torch

from utils.rnn import CharModel
from utils.sequences import CharVocab, entropy_bits, sample
from utils.widgets import OKABE_ITO, Demo, FigureView, message, new_figure, one_thread, say

TOP_K = 12
NUM_CHARS = 300


def tempered(logits, temperature):
    """softmax(logits / temperature) as a numpy array."""
    return torch.softmax(logits / temperature, dim=0).numpy()


def shown(ch):
    """A printable label for a character."""
    return {"\n": "\\n", " ": "␣"}.get(ch, ch)


class _SamplingView:
    def __init__(self, net, vocab, prompt="ROMEO:\nWhat is", temperature=1.0, seed=0):
        self.net, self.vocab, self.seed = net, vocab, seed
        style = {"description_width": "initial"}
        c = self.controls = {}
        c["temperature"] = widgets.FloatLogSlider(value=temperature, base=10, min=-1, max=0.5,
                                                  step=0.02, description="temperature",
                                                  style=style, layout=widgets.Layout(width="380px"))
        c["prompt"] = widgets.Textarea(value=prompt, description="prompt", rows=2,  # keeps "\n"
                                       layout=widgets.Layout(width="380px"))
        self.button = c["sample"] = widgets.Button(description="Sample", icon="play")
        self.message = message()
        self.text = widgets.HTML()
        self._logits_for = None
        self.fig = new_figure(7.5, 3.0)
        ax = self.ax = self.fig.subplots()
        ax.set_ylim(0, 1)
        ax.set_xlim(-0.6, TOP_K - 0.4)
        ax.set_ylabel("P(next character)")
        ax.set_title("the most probable next characters", fontsize=10, loc="left")
        self.bars = ax.bar(range(TOP_K), np.zeros(TOP_K), color=OKABE_ITO[0], animated=True)
        self.labels = [ax.text(k, 0.02, "", ha="center", fontsize=11, animated=True)
                       for k in range(TOP_K)]
        ax.set_xticks([])
        self.view = FigureView(self.fig)
        self.update()
        c["temperature"].observe(self.update, names="value")
        c["prompt"].observe(self.update, names="value")
        self.button.on_click(self.generate)
        self.widget = widgets.VBox([widgets.HBox([c["temperature"], self.button]), c["prompt"],
                                    self.message, self.view.image, self.text])

    def _logits(self, prompt):
        if self._logits_for != prompt:
            with torch.no_grad(), one_thread():
                self.net.eval()
                logits, _ = self.net(self.vocab.encode(prompt)[None])  # (1, T, V)
            self._cached, self._logits_for = logits[0, -1], prompt
        return self._cached

    def _problem(self, prompt):
        if not prompt:
            return "type a prompt of at least one character"
        unknown = self.vocab.unknown(prompt)
        if unknown:
            return f"the model does not know the character(s) {''.join(unknown)!r}: remove them"
        return None

    @one_thread()
    def update(self, change=None):
        prompt, temperature = self.controls["prompt"].value, self.controls["temperature"].value
        problem = self._problem(prompt)
        if problem:
            say(self.message, problem, "warn")
            return
        p = tempered(self._logits(prompt), temperature)
        top = np.argsort(-p)[:TOP_K]
        for k, index in enumerate(top):
            self.bars[k].set_height(p[index])
            self.labels[k].set_position((k, min(p[index], 0.9) + 0.02))
            self.labels[k].set_text(shown(self.vocab.chars[index]))
        entropy = entropy_bits(torch.from_numpy(p))
        say(self.message, f"temperature {temperature:.2f}: entropy {entropy:.2f} bits; the top "
            f"{TOP_K} characters hold {p[top].sum():.2f} of the probability")
        self.view.redraw()

    @one_thread()
    def generate(self, _=None):
        prompt = self.controls["prompt"].value
        problem = self._problem(prompt)
        if problem:
            say(self.message, problem, "warn")
            return
        self.button.disabled, self.button.description = True, "sampling…"
        try:
            text = sample(self.net, self.vocab, prompt, NUM_CHARS,
                          self.controls["temperature"].value,
                          torch.Generator().manual_seed(self.seed))
        finally:
            self.button.disabled, self.button.description = False, "Sample"
        self.text.value = f"<pre style='font-size:12px'>{html.escape(text)}</pre>"


def demo(net=None, vocab=None, prompt="ROMEO:\nWhat is", temperature=1.0, seed=0):
    """The temperature demo for a trained CharModel `net` and its CharVocab. Without them
    (tests, latency benchmark) it uses an untrained model over the printable ASCII."""
    if net is None:
        vocab = CharVocab("".join(chr(k) for k in range(32, 127)) + "\n")
        torch.manual_seed(seed)
        net = CharModel(len(vocab), 64, "lstm")
    v = _SamplingView(net, vocab, prompt, temperature, seed)
    return Demo(v.widget, v.controls, v.view)
