"""requirements.txt is the one source of truth for versions: environment.yml and
binder/requirements.txt must repeat exactly its pins."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-]+)==([^\s#]+)")


def pins(path):
    """{package: version} of every `name==version` line of a file."""
    found = {}
    for line in (ROOT / path).read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[match[1].lower()] = match[2]
    return found


def test_every_requirement_is_pinned_exactly():
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines and len(pins("requirements.txt")) == len(lines)
    assert pins("requirements.txt")["torch"] == "2.13.0"


def test_conda_environment_repeats_the_pins():
    assert pins("environment.yml") == pins("requirements.txt")


def test_binder_repeats_the_pins_and_uses_the_cpu_build_of_torch():
    assert pins("binder/requirements.txt") == pins("requirements.txt")
    assert "whl/cpu" in (ROOT / "binder/requirements.txt").read_text()


def test_test_requirements_are_pinned_and_disjoint():
    test_pins = pins("requirements-test.txt")
    assert test_pins and not set(test_pins) & set(pins("requirements.txt"))
