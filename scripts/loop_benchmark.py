"""The course's training loop measured against what a student would write instead, and
the same small models on one thread and on two.

    python scripts/loop_benchmark.py                 # both tables, as markdown
    python scripts/loop_benchmark.py loops           # only the loop comparison
    python scripts/loop_benchmark.py threads         # only the thread comparison
    python scripts/loop_benchmark.py --repeats 5     # more runs per setting (default 3)

Loops: one model (the course's MLP 784-300-100-10, Adam, batch 128), Fashion-MNIST's
55,000 training images from `utils.data`, the same epochs and seed, trained by
- `utils.training.train_epoch` (the loop inside `fit`),
- `utils.training.fit` (train_epoch plus its per-epoch evaluation on 10,000 training and
  5,000 validation images, with the progress bar off),
- a bare torch loop over the tensors already in memory (shuffled index slices),
- a `torch.utils.data.DataLoader` over a `TensorDataset` (per-sample indexing and collation).
The runs alternate (course, bare, DataLoader, ...) so that a busy machine slows them alike;
the table gives the median samples per second and the median of the ratios run by run.

Threads: small models of the course's lessons and a demo's training step, each timed with
`torch.set_num_threads(1)` and with 2 (all cores of a 2-core machine), alternating; the
ratio is time on 2 threads / time on 1 (below 1: two threads are faster).
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from utils import data, training  # noqa: E402
from utils.threads import use_course_threads  # noqa: E402

BATCH_SIZE = 128


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100),
                         nn.ReLU(), nn.Linear(100, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


class RowLSTM(nn.Module):
    """Reads an image row by row (28 steps of 28 pixels) with an LSTM, classifies the end."""

    def __init__(self, hidden=64):
        super().__init__()
        self.lstm = nn.LSTM(28, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 10)

    def forward(self, X):
        rows = X.reshape(len(X), 28, 28)  # (B, 1, 28, 28) -> (B, T=28, 28)
        out, _ = self.lstm(rows)  # (B, T, hidden)
        return self.head(out[:, -1])  # (B, 10)


def fresh(make, seed=0):
    torch.manual_seed(seed)
    net = make()
    return net, torch.optim.Adam(net.parameters(), lr=1e-3)


# ------------------------------------------------------------------------------- loops
def course_loop(make, X, y, num_epochs):
    net, optimizer = fresh(make)
    generator = torch.Generator().manual_seed(0)
    for _ in range(num_epochs):
        training.train_epoch(net, nn.CrossEntropyLoss(), optimizer, X, y, BATCH_SIZE, generator)


def course_fit(make, X, y, num_epochs, X_val, y_val):
    net, optimizer = fresh(make)
    training.fit(net, nn.CrossEntropyLoss(), optimizer, X, y, X_val, y_val,
                 num_epochs=num_epochs, batch_size=BATCH_SIZE, progress=False)


def bare_loop(make, X, y, num_epochs):
    """What a student writes with the data in memory: shuffle, slice, step."""
    net, optimizer = fresh(make)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(0)
    net.train()
    for _ in range(num_epochs):
        order = torch.randperm(len(X), generator=generator)
        for start in range(0, len(X), BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            loss = loss_fn(net(X[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def dataloader_loop(make, X, y, num_epochs):
    """The textbook loop: a Dataset of samples and a DataLoader that batches them."""
    net, optimizer = fresh(make)
    loss_fn = nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y),
                                         batch_size=BATCH_SIZE, shuffle=True,
                                         generator=torch.Generator().manual_seed(0))
    net.train()
    for _ in range(num_epochs):
        for X_b, y_b in loader:
            loss = loss_fn(net(X_b), y_b)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def seconds(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def loops_table(repeats, num_epochs=1):
    d = data.load_fashion_mnist()
    X, y = d.X_train, d.y_train  # (55000, 1, 28, 28), (55000,)
    runs = {"bare torch loop (tensors in memory)": lambda: bare_loop(mlp, X, y, num_epochs),
            "utils.training.train_epoch": lambda: course_loop(mlp, X, y, num_epochs),
            "utils.training.fit (with its per-epoch evaluation)":
                lambda: course_fit(mlp, X, y, num_epochs, d.X_val, d.y_val),
            "DataLoader over a TensorDataset": lambda: dataloader_loop(mlp, X, y, num_epochs)}
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(seconds(run))
    bare = times["bare torch loop (tensors in memory)"]
    samples = len(X) * num_epochs
    lines = [f"Model: MLP 784-300-100-10, Adam, batch {BATCH_SIZE}, {num_epochs} epoch(s) of "
             f"{len(X):,} Fashion-MNIST images, torch on {torch.get_num_threads()} thread(s); "
             f"median of {repeats} alternating runs.", "",
             "| loop | samples/s | ratio to the bare loop |", "| --- | ---: | ---: |"]
    for name, values in times.items():
        ratio = statistics.median(b / t for b, t in zip(bare, values))  # throughput ratio
        lines.append(f"| {name} | {samples / statistics.median(values):,.0f} | {ratio:.2f} |")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- threads
def workloads():
    """name -> a function that runs one small piece of the course's training."""
    d = data.load_fashion_mnist()
    X, y = d.X_train, d.y_train
    from utils.demos.gan import GANTrainer

    gan = GANTrainer()

    def tiny_regression():  # lesson I.4's size: a 1-64-64-1 net, 200 full-batch steps
        torch.manual_seed(0)
        x = torch.linspace(-1, 1, 100)[:, None]  # (100, 1)
        t = torch.sin(3 * x)
        net = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                            nn.Linear(64, 1))
        optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
        for _ in range(200):
            loss = ((net(x) - t) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    def gan_frame():  # one Play frame of the GAN demo's training, without its one_thread()
        for _ in range(20):
            gan.step_d()
            gan.step_g()

    return {
        "tiny MLP, full batch (lesson I.4 size)": tiny_regression,
        "GAN demo: 20 iterations of D and G (2-32-32 MLPs, batch 128)": gan_frame,
        "MLP 784-300-100-10, 1 epoch of 55,000": lambda: course_loop(mlp, X, y, 1),
        "CNN conv32-pool-conv64-pool-fc128, 1 epoch of 5,000":
            lambda: course_loop(cnn, X[:5000], y[:5000], 1),
        "LSTM (64 units) over image rows, 1 epoch of 5,000":
            lambda: course_loop(RowLSTM, X[:5000], y[:5000], 1),
        "MLP inference on 10,000 images (evaluate)":
            lambda: training.evaluate(mlp(), nn.CrossEntropyLoss(), d.X_test, d.y_test),
    }


def threads_table(repeats):
    lines = [f"Each piece timed {repeats} times on 1 and on 2 threads, alternating; medians.", "",
             "| workload | 1 thread (s) | 2 threads (s) | 2 threads / 1 thread |",
             "| --- | ---: | ---: | ---: |"]
    previous = torch.get_num_threads()
    for name, run in workloads().items():
        times = {1: [], 2: []}
        run()  # warm-up
        for _ in range(repeats):
            for n in (1, 2):
                torch.set_num_threads(n)
                times[n].append(seconds(run))
        torch.set_num_threads(previous)
        ratio = statistics.median(b / a for a, b in zip(times[1], times[2]))
        lines.append(f"| {name} | {statistics.median(times[1]):.3f} | "
                     f"{statistics.median(times[2]):.3f} | {ratio:.2f} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", help="loops, threads (default: both)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    what = set(args.what) or {"loops", "threads"}
    use_course_threads()  # the course's policy (1 thread unless COURSE_THREADS says more)
    if what - {"loops", "threads"}:
        parser.error(f"unknown section(s) {sorted(what - {'loops', 'threads'})}")
    if "loops" in what:
        print("## Training loop: course vs bare torch vs DataLoader\n")
        print(loops_table(args.repeats), "\n", flush=True)
    if "threads" in what:
        print("## Threads: small models on 1 and 2 threads\n")
        print(threads_table(args.repeats), flush=True)


if __name__ == "__main__":
    main()
