import pytest
import torch

from utils import threads


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    before = torch.get_num_threads()
    for name in ("COURSE_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(threads, "usable_cores", lambda: 4)
    yield monkeypatch
    torch.set_num_threads(before)


def test_idle_machine_uses_every_core(clean):
    clean.setattr(threads.os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert threads.use_course_threads() == 4 and torch.get_num_threads() == 4


def test_busy_machine_uses_one_thread(clean):
    clean.setattr(threads.os, "getloadavg", lambda: (3.6, 2.0, 1.0))
    assert threads.use_course_threads() == 1 and torch.get_num_threads() == 1


def test_small_models_use_one_thread_even_when_idle(clean):
    clean.setattr(threads.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert threads.use_course_threads(small=True) == 1


@pytest.mark.parametrize("name", ["COURSE_THREADS", "OMP_NUM_THREADS"])
@pytest.mark.parametrize("value, expected", [("2", 2), (" 1 ", 1), ("all", 4), ("ALL", 4)])
def test_an_explicit_environment_variable_wins(clean, name, value, expected):
    clean.setattr(threads.os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    clean.setenv(name, value)
    assert threads.use_course_threads(small=True) == expected


def test_course_threads_wins_over_omp_and_the_argument_over_both(clean):
    clean.setenv("OMP_NUM_THREADS", "1")
    clean.setenv("COURSE_THREADS", "3")
    assert threads.course_threads() == 3
    assert threads.course_threads("all") == 4


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_bad_values_are_explained_and_change_nothing(clean, value):
    clean.setenv("COURSE_THREADS", value)
    before = torch.get_num_threads()
    with pytest.raises(ValueError, match="COURSE_THREADS must be a whole number >= 1 or 'all'"):
        threads.use_course_threads()
    assert torch.get_num_threads() == before


def test_usable_cores_is_at_least_one():
    import importlib

    fresh = importlib.reload(threads)
    assert fresh.usable_cores() >= 1
