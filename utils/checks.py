"""Self-checks for exercises, and a small quiz widget for Part-A style questions.

An exercise cell ends with `check(your_answer, reference, hint=...)`: it prints ✓ when the
answer matches, and otherwise says what differs and gives the hint. It never raises, so a
half-finished exercise does not stop the rest of the notebook.
"""
import html

import ipywidgets as widgets
import numpy as np


def _as_array(value):
    """numpy view of a number, list, numpy array or torch tensor."""
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def compare(answer, expected, rtol=1e-4, atol=1e-6):
    """Return (ok, message) for an answer against the expected value."""
    if answer is Ellipsis or answer is None:
        return False, "not answered yet: replace the ... with your answer"
    if isinstance(expected, str):
        ok = isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
        return ok, "" if ok else f"got {answer!r}"
    answer, expected = _as_array(answer), _as_array(expected)
    if answer.shape != expected.shape:
        return False, f"shape {answer.shape}, expected shape {expected.shape}"
    if not np.issubdtype(answer.dtype, np.number) and answer.dtype != bool:
        return False, f"got a value of type {answer.dtype}, expected a number"
    if np.allclose(answer.astype(float), expected.astype(float), rtol=rtol, atol=atol):
        return True, ""
    if answer.size == 1:
        return False, f"got {answer.item():.6g}"
    n_wrong = int((~np.isclose(answer.astype(float), expected.astype(float),
                               rtol=rtol, atol=atol)).sum())
    return False, f"{n_wrong} of {answer.size} entries differ"


def check(answer, expected, hint="", rtol=1e-4, atol=1e-6):
    """Print ✓ if `answer` matches `expected` (numbers, arrays and tensors within the
    tolerances, strings case-insensitively), else ✗ with what differs and the hint.
    Returns nothing, so that a cell ending with check(...) shows only the verdict."""
    ok, message = compare(answer, expected, rtol=rtol, atol=atol)
    if ok:
        print("✓ correct")
    else:
        print(f"✗ {message}" + (f". Hint: {hint}" if hint else ""))


def check_function(fn, reference, inputs, hint="", rtol=1e-4, atol=1e-6):
    """Call the student's `fn` and the `reference` on each tuple of `inputs` and compare the
    results; an exception inside `fn` is reported, not raised. Returns nothing."""
    for number, args in enumerate(inputs, start=1):
        try:
            answer = fn(*args)
        except Exception as error:  # the student's code: report, never crash the notebook
            print(f"✗ your function raised {type(error).__name__}: {error}"
                  + (f". Hint: {hint}" if hint else ""))
            return
        ok, message = compare(answer, reference(*args), rtol=rtol, atol=atol)
        if not ok:
            print(f"✗ on input number {number}: {message}"
                  + (f". Hint: {hint}" if hint else ""))
            return
    print(f"✓ correct on all {len(inputs)} test inputs")


def grade(choice, answer, explanation=""):
    """Feedback text for a multiple-choice answer (`choice` and `answer` are option indices)."""
    if choice is None:
        return "Pick an option first."
    verdict = "✓ Correct." if choice == answer else "✗ Not quite."
    return f"{verdict} {explanation}".strip()


def quiz(question, options, answer, explanation=""):
    """A multiple-choice question: radio buttons, a Check button and feedback.

    `answer` is the index of the correct option; the explanation is shown after checking.
    """
    choices = widgets.RadioButtons(options=list(options), value=None,
                                   layout=widgets.Layout(width="auto"))
    button = widgets.Button(description="Check", button_style="info")
    feedback = widgets.HTML()

    def on_click(_):
        choice = None if choices.value is None else choices.index
        feedback.value = html.escape(grade(choice, answer, explanation))

    button.on_click(on_click)
    return widgets.VBox([widgets.HTML(f"<b>{html.escape(question)}</b>"), choices,
                         button, feedback])
