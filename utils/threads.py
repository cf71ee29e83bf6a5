"""The course's one thread policy for torch, applied in every lesson's setup cell:

    from utils.threads import use_course_threads
    use_course_threads()              # lessons whose models are lesson-sized (MLP, CNN, LSTM)
    use_course_threads(small=True)    # lessons of tiny models only (toy nets, 2-D GANs)

The rule, chosen by measurement (scripts/loop_benchmark.py, 2-core machine):
1. An explicit choice wins: the argument `setting`, else the environment variable
   COURSE_THREADS, else OMP_NUM_THREADS (a number, or "all" for every usable core).
2. Tiny models (`small=True`) and demo callbacks (`utils.widgets.one_thread`) run on one
   thread: for a 1-64-64-1 net two threads were 1.15x slower, for the GAN demo's step equal.
3. Otherwise: every usable core (the CPU affinity mask and the container's CPU quota, so a
   JupyterHub pod limited to 1 CPU gets 1) while the machine is idle; ONE thread when it is
   busy (1-minute load average >= cores - 0.5). Idle, two threads were 1.4-1.9x faster for
   an MLP epoch, a small CNN and an LSTM; busy (load 4-14 on 2 cores), OpenMP's threads
   wait for each other and the same MLP epoch took 3x the wall time and 4x the CPU time
   on two threads.
Results agree between thread counts up to float rounding, which is why lessons print
results against thresholds.
"""
import math
import os
from pathlib import Path

import torch

BUSY_MARGIN = 0.5  # busy: the load average is at least (cores - BUSY_MARGIN)


def _cgroup_cpus():
    """Whole CPUs allowed by a cgroup v2 quota (containers, JupyterHub pods), or None."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return max(1, math.floor(int(quota) / int(period)))


def usable_cores():
    """Cores this process may run on: the affinity mask, capped by a cgroup CPU quota."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    quota = _cgroup_cpus()
    return max(1, min(cores or 1, quota or cores or 1))


def machine_is_busy(cores=None):
    """True when the 1-minute load average says the cores are already in use."""
    cores = usable_cores() if cores is None else cores
    try:
        load = os.getloadavg()[0]
    except OSError:  # not available on this system
        return False
    return load >= cores - BUSY_MARGIN


def _parse(value, name):
    value = str(value).strip().lower()
    if value == "all":
        return usable_cores()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise ValueError(f"{name} must be a whole number >= 1 or 'all', got {value!r}")


def course_threads(setting=None, small=False):
    """The number of torch threads the policy gives (see the module docstring)."""
    if setting is not None:
        return _parse(setting, "the thread setting")
    for name in ("COURSE_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(name, "").strip():
            return _parse(os.environ[name], name)
    if small:
        return 1
    cores = usable_cores()
    return 1 if cores == 1 or machine_is_busy(cores) else cores


def use_course_threads(setting=None, small=False):
    """Apply the policy with torch.set_num_threads and return the number of threads."""
    n = course_threads(setting, small)
    torch.set_num_threads(n)
    return n
