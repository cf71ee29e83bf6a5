import string
import warnings

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.demos import char_sampling as cs  # noqa: E402
from utils.demos.text_box import text_box  # noqa: E402


def test_temperature_sharpens_and_flattens():
    logits = torch.tensor([2.0, 1.0, 0.0, -1.0])
    cold, one, hot = (cs.tempered(logits, t) for t in (0.2, 1.0, 5.0))
    np.testing.assert_allclose(one, torch.softmax(logits, 0).numpy(), rtol=1e-6)
    assert cold[0] > one[0] > hot[0] and abs(hot.sum() - 1) < 1e-6


def test_view_slider_prompt_and_sample():
    demo = cs.demo()
    before = demo.view.image.value
    demo.controls["temperature"].value = 0.3
    assert demo.view.image.value != before
    demo.controls["prompt"].value = "To be"
    demo.controls["sample"].click()
    assert demo.widget.children[-1].value.startswith("<pre") and "To be" in demo.widget.children[-1].value
    demo.controls["prompt"].value = "naïve"
    assert "does not know" in demo.widget.children[2].value
    demo.controls["sample"].click()  # explains instead of raising
    demo.controls["prompt"].value = ""
    assert "at least one" in demo.widget.children[2].value


DEMO = cs.demo()
ALPHABET = string.printable + "é€"


@settings(max_examples=200, deadline=None)
@given(temperature=st.floats(0.1, 3.16), prompt=st.text(ALPHABET, max_size=30), first=st.booleans())
def test_any_setting_never_raises_or_warns(temperature, prompt, first):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if first:
            DEMO.controls["prompt"].value = prompt
            DEMO.controls["temperature"].value = temperature
        else:
            DEMO.controls["temperature"].value = temperature
            DEMO.controls["prompt"].value = prompt
    assert DEMO.widget.children[2].value
    assert DEMO.view.image.value[:4] == b"\x89PNG"


@settings(max_examples=200, deadline=None)
@given(text=st.text(ALPHABET, max_size=20))
def test_text_box_never_raises(text):
    def respond(s):
        if not s.isdigit():
            raise ValueError("digits only")
        return s[::-1], "info"
    box = text_box(respond, "12")
    assert "21" in box.answer.value
    box.box.value = text
    assert box.answer.value
