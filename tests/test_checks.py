import numpy as np
import torch

from utils import checks


def verdict(capsys, call):
    """Run a check and return what it printed."""
    call()
    return capsys.readouterr().out


def test_check_accepts_matching_numbers_arrays_and_tensors(capsys):
    assert verdict(capsys, lambda: checks.check(0.1 + 0.2, 0.3)).startswith("✓")
    assert verdict(capsys, lambda: checks.check(torch.tensor([1.0, 2.0]),
                                                np.array([1.0, 2.0]))).startswith("✓")
    assert verdict(capsys, lambda: checks.check("Adam", "adam")).startswith("✓")


def test_check_returns_nothing_so_cells_show_only_the_verdict(capsys):
    assert checks.check(1, 1) is None
    assert checks.check_function(abs, abs, [(1,)]) is None


def test_check_rejects_with_reason_and_hint(capsys):
    out = verdict(capsys, lambda: checks.check(0.5, 0.3, hint="think again"))
    assert out.startswith("✗") and "0.5" in out and "think again" in out
    assert "shape" in verdict(capsys, lambda: checks.check(torch.zeros(2, 3), torch.zeros(3, 2)))
    out = verdict(capsys, lambda: checks.check(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0])))
    assert "1 of 3 entries differ" in out
    assert verdict(capsys, lambda: checks.check("sgd", "adam")).startswith("✗")


def test_check_reports_an_unanswered_exercise(capsys):
    assert "not answered yet" in verdict(capsys, lambda: checks.check(..., 1.0))
    assert "not answered yet" in verdict(capsys, lambda: checks.check(None, 1.0))


def test_check_rejects_non_numbers_without_raising(capsys):
    assert verdict(capsys, lambda: checks.check(["a", "b"], [1, 2])).startswith("✗")


def test_compare_gives_the_verdict_as_a_value():
    assert checks.compare(2.0, 2.0 + 1e-9) == (True, "")
    ok, message = checks.compare(2.0, 3.0)
    assert not ok and "2" in message


def test_check_function_reports_errors_and_wrong_results(capsys):
    def reference(x):
        return x ** 2

    out = verdict(capsys, lambda: checks.check_function(lambda x: x * x, reference, [(2.0,), (-3.0,)]))
    assert out == "✓ correct on all 2 test inputs\n"
    out = verdict(capsys, lambda: checks.check_function(lambda x: x + x, reference, [(2.0,), (3.0,)]))
    assert "✗ on input number 2" in out
    tensors = [(torch.tensor([2.0]),), (torch.tensor([3.0]),)]
    out = verdict(capsys, lambda: checks.check_function(lambda x: x * 2, reference, tensors))
    assert "✗ on input number 2" in out
    out = verdict(capsys, lambda: checks.check_function(lambda x: undefined_name, reference, [(1.0,)]))  # noqa: F821
    assert "NameError" in out


def test_quiz_gives_feedback_on_click():
    widget = checks.quiz("2 + 2?", ["3", "4"], answer=1, explanation="It is 4.")
    _, choices, button, feedback = widget.children
    button.click()
    assert feedback.value == "Pick an option first."
    choices.value = "3"
    button.click()
    assert feedback.value.startswith("✗")
    choices.value = "4"
    button.click()
    assert feedback.value == "✓ Correct. It is 4."
