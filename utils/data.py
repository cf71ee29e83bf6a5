"""Find, verify and load the course's data sets (Fashion-MNIST, MNIST, notMNIST, tinyshakespeare).

Each data set is a few files, listed in `DATASETS` with the size and SHA-256 of their
*decompressed* bytes. A file `<name>/<file>` is looked for, as `<file>.gz` or `<file>`, in:

1. every folder listed in the environment variable COURSE_DATA (separated by os.pathsep,
   ':' on Linux; relative folders count from the repository root), as `<folder>/<name>/`;
2. the repository's download cache `data/<name>/` (`CACHE_DIR`, git-ignored);
3. `/usr/share/datasets/<name>/` (`SYSTEM_DIR`; `apt-get install dataset-fashion-mnist`);
4. the canonical URL, downloaded into the cache (only if `DOWNLOAD` is True).

A file is used only if its decompressed bytes have the right SHA-256: a corrupt, truncated
or wrong file is reported with a `DataWarning` and the search goes on; it is never changed
(a bad copy in the cache that a download replaces is kept beside it as `<file>.bad`). A
folder in COURSE_DATA that does not exist is reported with a `DataWarning`. If nothing
works, `DataNotFoundError` says in its first line what is missing and the command that
fetches it (`make data`), then lists every place looked and every way to get the file; in
a notebook it is shown as that message alone, without a traceback. A download into a
read-only folder fails with a message that says so.

Images come back as torch.float32 in [0, 1] of shape (N, 1, 28, 28), labels as torch.int64
of shape (N,). `python -m utils.data [name ...]` finds or downloads everything and reports.
"""

import gzip
import hashlib
import http.client
import os
import sys
import urllib.request
import warnings
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from tqdm.auto import tqdm

REPO_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_DIR / "data"  # downloads go here
SYSTEM_DIR = Path("/usr/share/datasets")  # where Debian's dataset-* packages install
DOWNLOAD = True  # set to False to never touch the network
TIMEOUT = 30  # seconds without an answer before a download gives up

DATASETS = {
    "fashion-mnist": {
        "description": "Zalando's 28x28 grey images of clothes, 10 classes, 60,000 train + 10,000 test",
        "licence": "MIT (Zalando SE)",
        "url": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "gzip": True,
        "apt": "dataset-fashion-mnist",
        "classes": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        "files": {
            "train-images-idx3-ubyte": {"size": 47_040_016, "sha256": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
            "train-labels-idx1-ubyte": {"size": 60_008, "sha256": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
            "t10k-images-idx3-ubyte": {"size": 7_840_016, "sha256": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
            "t10k-labels-idx1-ubyte": {"size": 10_008, "sha256": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
        },
    },
    "mnist": {
        "description": "the 10,000 MNIST test images of handwritten digits 0-9",
        "licence": "CC BY-SA 3.0 (Y. LeCun, C. Cortes)",
        "url": "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "gzip": True,
        "classes": [str(digit) for digit in range(10)],
        "files": {
            "t10k-images-idx3-ubyte": {"size": 7_840_016, "sha256": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
            "t10k-labels-idx1-ubyte": {"size": 10_008, "sha256": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
        },
    },
    "notmnist": {
        "description": "10,000 images of the letters A-J in many fonts, in MNIST format",
        "licence": "MIT (repository); posted with the notMNIST author's permission",
        "url": "https://raw.githubusercontent.com/davidflanagan/notMNIST-to-MNIST/master/",
        "gzip": True,
        "classes": list("ABCDEFGHIJ"),
        "files": {
            "t10k-images-idx3-ubyte": {"size": 7_840_016, "sha256": "8e7f38ae95cc8f48e0986175ffc9137e5007ebcf3d8fdf6656c904eb9dab198b"},
            "t10k-labels-idx1-ubyte": {"size": 10_008, "sha256": "5f8e6012f2ce730700d8d05fca098bc47f71d25b890e4bec7ac5ebfd614a4001"},
        },
    },
    "tinyshakespeare": {
        "description": "1,115,394 characters of Shakespeare's plays (65 distinct characters)",
        "licence": "public domain",
        "url": "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/",
        "gzip": False,
        "files": {
            "input.txt": {"size": 1_115_394, "sha256": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"},
        },
    },
}


class DataNotFoundError(FileNotFoundError):
    """No good copy of a data file anywhere; the message says where we looked and what to do."""

    def _render_traceback_(self):
        """What IPython shows for this error: the message alone (a traceback through
        utils/data.py would hide it), so a lesson stops at its data cell with one message."""
        return [f"{type(self).__name__}: {self}"]


class DataWarning(UserWarning):
    """A copy of a data file was found but is corrupt or wrong, so it was skipped."""


def read_idx(raw: bytes) -> np.ndarray:
    """Parse a file in IDX format (the format of MNIST) into a numpy array.

    Header: two zero bytes, a data type code (0x08 = uint8), the number of dimensions,
    then each dimension as a big-endian int32. The values follow, row by row.
    """
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError("not an IDX file: it must start with two zero bytes")
    dtype_code, ndim = raw[2], raw[3]
    if dtype_code != 0x08:
        raise ValueError(f"unsupported IDX data type 0x{dtype_code:02x} (only 0x08 = uint8 is supported)")
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError("IDX header is truncated")
    shape = [int(d) for d in np.frombuffer(raw, dtype=">i4", count=ndim, offset=4)]
    expected = header_size + int(np.prod(shape))
    if len(raw) != expected:
        raise ValueError(f"IDX size mismatch: shape {shape} needs {expected:,} bytes, got {len(raw):,}")
    values = np.frombuffer(raw, dtype=np.uint8, offset=header_size)
    return values.reshape(shape).copy()  # a copy, so the array is writable


def _check(raw: bytes, gzipped: bool, size: int, sha256: str) -> bytes:
    """Decompress `raw` if needed and return it if size and SHA-256 match, else raise ValueError."""
    if gzipped:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:  # bad header, cut short, bad data
            raise ValueError(f"corrupt or truncated gzip ({error})") from None
    if len(raw) != size:
        raise ValueError(f"wrong size: {len(raw):,} bytes instead of {size:,} (truncated?)")
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise ValueError("checksum mismatch (SHA-256 of the decompressed bytes)")
    return raw


def _course_data_folders() -> list[Path]:
    """The folders listed in COURSE_DATA (relative ones count from the repository)."""
    return [REPO_DIR / d for d in os.environ.get("COURSE_DATA", "").split(os.pathsep) if d]


def _search_folders(name: str) -> list[Path]:
    """The folders that may hold data set `name`, in the order they are tried."""
    return [d / name for d in _course_data_folders()] + [CACHE_DIR / name, SYSTEM_DIR / name]


def _missing_course_data() -> list[str]:
    """One note per COURSE_DATA folder that does not exist (a typo, or a drive not mounted)."""
    return [f"COURSE_DATA names {folder}, which does not exist (a typo?)"
            for folder in _course_data_folders() if not folder.is_dir()]


class ReadOnlyFolderError(OSError):
    """A download cannot be saved: the folder is read-only or not ours."""


def _writable_part(dest: Path) -> Path:
    """Create dest's folder if needed and an empty temporary file `<dest>.<pid>.part` in it;
    a read-only folder raises ReadOnlyFolderError with a message that says what to do."""
    part = dest.with_name(f"{dest.name}.{os.getpid()}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        open(part, "wb").close()
    except OSError as error:
        raise ReadOnlyFolderError(
            f"cannot save the download in {dest.parent}/: the folder is read-only or not "
            f"yours ({error.strerror or error}). Make it writable, or download the file "
            "elsewhere and list that folder in COURSE_DATA") from None
    return part


def _keep_bad_copy(dest: Path) -> None:
    """Before a verified download replaces `dest`, keep the bad file as `<dest>.bad`."""
    if dest.exists():
        bad = dest.with_name(dest.name + ".bad")
        os.replace(dest, bad)
        warnings.warn(f"replaced the bad copy {dest} by a verified download; the bad copy "
                      f"is kept as {bad}", DataWarning, stacklevel=4)


def _download(url: str, dest: Path, info: dict) -> bytes:
    """Download `url` to `dest` atomically: into a temporary file, verify, then rename."""
    part = _writable_part(dest)
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response, open(part, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            with tqdm(total=total or None, unit="B", unit_scale=True, desc=dest.name) as bar:
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    bar.update(len(chunk))
        if total and part.stat().st_size != total:
            raise ValueError(f"interrupted: got {part.stat().st_size:,} of {total:,} bytes")
        raw = _check(part.read_bytes(), dest.suffix == ".gz", info["size"], info["sha256"])
        _keep_bad_copy(dest)
        os.replace(part, dest)  # only a verified file ever gets the real name
        return raw
    finally:
        part.unlink(missing_ok=True)  # nothing is left behind if anything went wrong


def _find(name: str, file: str) -> tuple[bytes, Path]:
    """Return the verified decompressed bytes of `name/file` and the file they came from."""
    dataset = DATASETS[name]
    info = dataset["files"][file]
    notes = []  # one line per place looked: what was wrong there
    if not os.environ.get("COURSE_DATA"):
        notes.append("COURSE_DATA: not set")
    for note in _missing_course_data():
        warnings.warn(note, DataWarning, stacklevel=3)
        notes.append(note)
    for folder in _search_folders(name):
        found = [path for path in (folder / (file + ".gz"), folder / file) if path.is_file()]
        if not found:
            notes.append(f"{folder}/: missing")
        for path in found:
            try:
                return _check(path.read_bytes(), path.suffix == ".gz", info["size"], info["sha256"]), path
            except (OSError, ValueError) as error:
                warnings.warn(f"skipping {path}: {error}", DataWarning, stacklevel=3)
                notes.append(f"{path}: {error}")
    download_name = file + (".gz" if dataset["gzip"] else "")
    url, dest = dataset["url"] + download_name, CACHE_DIR / name / download_name
    if not DOWNLOAD:
        notes.append(f"{url}: not downloaded (downloads are switched off)")
    else:
        try:
            return _download(url, dest, info), dest
        except ReadOnlyFolderError as error:
            notes.append(f"{url}: not downloaded: {error}")
        except (OSError, ValueError, http.client.HTTPException) as error:
            notes.append(f"{url}: download failed ({error})")
    raise DataNotFoundError(_help(name, file, notes, url))


def _help(name: str, file: str, notes: list[str], url: str) -> str:
    """The message of DataNotFoundError: where we looked, and how to get the file."""
    ways = [f"set COURSE_DATA to a folder that holds {name}/{file}.gz or {name}/{file}"]
    if "apt" in DATASETS[name]:
        ways.append(f"sudo apt-get install {DATASETS[name]['apt']}   (puts it in {SYSTEM_DIR / name}/)")
    ways.append(f"download {url} into {CACHE_DIR / name}/")
    ways.append(f"when online, run: python -m utils.data {name}")
    return (f"the data set {name} ({file}) is not on this computer and could not be fetched. "
            "Run `make data` in the course folder while online (it fetches every data set "
            "once; then the course works offline), then run this cell again.\n"
            f"no good copy of {name}/{file}. Places looked:\n"
            + "".join(f"  - {note}\n" for note in notes)
            + "Ways to get it:\n" + "".join(f"  - {way}\n" for way in ways))


def load_bytes(name: str, file: str) -> bytes:
    """The verified, decompressed bytes of file `file` of data set `name` (see the search order above)."""
    return _find(name, file)[0]


class ImageData(NamedTuple):
    """Fashion-MNIST split into train / validation / test, plus the class names."""
    X_train: torch.Tensor  # (N_train, 1, 28, 28) float32 in [0, 1]
    y_train: torch.Tensor  # (N_train,) int64
    X_val: torch.Tensor  # (n_val, 1, 28, 28)
    y_val: torch.Tensor  # (n_val,)
    X_test: torch.Tensor  # (10000, 1, 28, 28)
    y_test: torch.Tensor  # (10000,)
    classes: list[str]


def _load_images(name: str, prefix: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Images and labels from `<prefix>-images-idx3-ubyte` and `<prefix>-labels-idx1-ubyte`."""
    images = read_idx(load_bytes(name, f"{prefix}-images-idx3-ubyte"))  # (N, 28, 28) uint8
    labels = read_idx(load_bytes(name, f"{prefix}-labels-idx1-ubyte"))  # (N,) uint8
    X = torch.from_numpy(images).unsqueeze(1).float() / 255  # (N, 1, 28, 28) float32
    y = torch.from_numpy(labels).long()  # (N,) int64
    return X, y


def load_fashion_mnist(n_val: int = 5000, seed: int = 0) -> ImageData:
    """Fashion-MNIST: n_val random training images (chosen with `seed`) become the validation set."""
    X, y = _load_images("fashion-mnist", "train")  # (60000, 1, 28, 28), (60000,)
    if not 0 <= n_val <= len(X):
        raise ValueError(f"n_val must be between 0 and {len(X)}, got {n_val}")
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    val, train = order[:n_val], order[n_val:]
    X_test, y_test = _load_images("fashion-mnist", "t10k")  # (10000, 1, 28, 28), (10000,)
    classes = list(DATASETS["fashion-mnist"]["classes"])
    return ImageData(X[train], y[train], X[val], y[val], X_test, y_test, classes)


def load_mnist_test() -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """The 10,000 MNIST test digits: X (10000, 1, 28, 28) float32, y (10000,) int64, classes."""
    X, y = _load_images("mnist", "t10k")
    return X, y, list(DATASETS["mnist"]["classes"])


def load_notmnist() -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """10,000 notMNIST letters A-J: X (10000, 1, 28, 28) float32, y (10000,) int64, classes."""
    X, y = _load_images("notmnist", "t10k")
    return X, y, list(DATASETS["notmnist"]["classes"])


def load_tinyshakespeare() -> str:
    """The tinyshakespeare text as one string."""
    return load_bytes("tinyshakespeare", "input.txt").decode("utf-8")


def main(names: list[str]) -> int:
    """Find or download every file of the named data sets (all if none); print one line each."""
    unknown = [name for name in names if name not in DATASETS]
    if unknown:
        print(f"unknown data set(s) {', '.join(unknown)}; choose from {', '.join(DATASETS)}", file=sys.stderr)
        return 2
    status = 0
    for name in names or DATASETS:
        try:
            paths = [_find(name, file)[1] for file in DATASETS[name]["files"]]
            folders = sorted({str(path.parent) for path in paths})
            print(f"{name:16} ok   in {', '.join(folders)}")
        except DataNotFoundError as error:
            print(f"{name:16} MISSING\n{error}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
