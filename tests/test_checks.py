import numpy as np
import torch

from utils import checks


def test_check_accepts_matching_numbers_arrays_and_tensors(capsys):
    assert checks.check(0.1 + 0.2, 0.3)
    assert checks.check(torch.tensor([1.0, 2.0]), np.array([1.0, 2.0]))
    assert checks.check("Adam", "adam")
    assert capsys.readouterr().out.count("✓") == 3


def test_check_rejects_with_reason_and_hint(capsys):
    assert not checks.check(0.5, 0.3, hint="think again")
    out = capsys.readouterr().out
    assert "✗" in out and "0.5" in out and "think again" in out
    assert not checks.check(torch.zeros(2, 3), torch.zeros(3, 2))
    assert "shape" in capsys.readouterr().out
    assert not checks.check(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    assert "1 of 3 entries differ" in capsys.readouterr().out
    assert not checks.check("sgd", "adam")


def test_check_reports_an_unanswered_exercise(capsys):
    assert not checks.check(..., 1.0)
    assert not checks.check(None, 1.0)
    assert "not answered yet" in capsys.readouterr().out


def test_check_rejects_non_numbers_without_raising(capsys):
    assert not checks.check(["a", "b"], [1, 2])
    assert "✗" in capsys.readouterr().out


def test_check_function_reports_errors_and_wrong_results(capsys):
    def reference(x):
        return x ** 2

    assert checks.check_function(lambda x: x * x, reference, [(2.0,), (-3.0,)])
    assert not checks.check_function(lambda x: x + x, reference, [(2.0,), (3.0,)])
    assert "input number 2" in capsys.readouterr().out
    tensors = [(torch.tensor([2.0]),), (torch.tensor([3.0]),)]
    assert not checks.check_function(lambda x: x * 2, reference, tensors)
    assert "input number 2" in capsys.readouterr().out
    assert not checks.check_function(lambda x: undefined_name, reference, [(1.0,)])  # noqa: F821
    assert "NameError" in capsys.readouterr().out


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
