"""Tests of utils/data.py: the IDX reader, the search order, bad files, downloads, real data.

Most tests use a tiny fake data set "tiny" (5 images of 28x28) written into temporary
folders; the search roots are redirected with monkeypatch (COURSE_DATA, data.CACHE_DIR,
data.SYSTEM_DIR, data.DOWNLOAD). Downloads come from a real HTTP server on 127.0.0.1.
The tests at the end use the real data when it is available and skip otherwise.
"""

import collections
import errno
import functools
import gzip
import hashlib
import http.server
import os
import struct
import threading
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from utils import data
from utils.data import DataNotFoundError, DataWarning

FILE = "t10k-images-idx3-ubyte"
IMAGES = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
LABELS = np.array([3, 1, 4, 1, 5], dtype=np.uint8)


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array in IDX format."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}i", *array.shape)
    return header + array.tobytes()


RAW = idx_bytes(IMAGES)  # the decompressed bytes every good copy of FILE must have


def file_info(raw: bytes) -> dict:
    return {"size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}


def make_file(kind: str) -> tuple[str, bytes]:
    """The (file name, content) of a copy of FILE that is good or bad in the way `kind` says."""
    packed = gzip.compress(RAW)
    if kind == "gz":
        return FILE + ".gz", packed
    if kind == "plain":
        return FILE, RAW
    if kind == "corrupt":  # a gzip whose compressed data is damaged
        middle = len(packed) // 2
        return FILE + ".gz", packed[:middle] + bytes(64) + packed[middle + 64:]
    if kind == "truncated":  # a gzip cut short
        return FILE + ".gz", packed[: len(packed) // 2]
    if kind == "truncated-plain":
        return FILE, RAW[:-100]
    if kind == "wrong":  # a valid gzip of other bytes of the same size
        return FILE + ".gz", gzip.compress(idx_bytes(255 - IMAGES))
    raise ValueError(kind)


def put(root: Path, kind: str = "gz", folder: str = "tiny") -> Path:
    """Write a copy of FILE of the given kind into `root/tiny/` and return its path."""
    name, content = make_file(kind)
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def roots(tmp_path, monkeypatch):
    """Register the fake data set "tiny" and point every search root into tmp_path."""
    monkeypatch.setitem(data.DATASETS, "tiny", {
        "description": "five random images", "licence": "none",
        "url": "http://127.0.0.1:9/nothing/", "gzip": True, "classes": list("0123456789"),
        "files": {FILE: file_info(RAW), "t10k-labels-idx1-ubyte": file_info(idx_bytes(LABELS))},
    })
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(data, "SYSTEM_DIR", tmp_path / "system")
    monkeypatch.setattr(data, "DOWNLOAD", False)
    monkeypatch.delenv("COURSE_DATA", raising=False)
    return tmp_path


# --- read_idx ----------------------------------------------------------------------------

def test_read_idx_round_trip():
    images = data.read_idx(idx_bytes(IMAGES))
    assert images.shape == (5, 28, 28) and images.dtype == np.uint8
    assert np.array_equal(images, IMAGES)
    labels = data.read_idx(idx_bytes(LABELS))
    assert labels.shape == (5,) and labels.tolist() == [3, 1, 4, 1, 5]
    images[0, 0, 0] = 7  # the result is an ordinary writable array


@pytest.mark.parametrize("raw, message", [
    (b"\x01\x00\x08\x01" + struct.pack(">i", 2) + b"ab", "two zero bytes"),
    (b"\x00\x00\x0d\x01" + struct.pack(">i", 2) + b"ab", "unsupported IDX data type 0x0d"),
    (b"\x00\x00\x08\x03" + struct.pack(">i", 5), "header is truncated"),
    (RAW[:-1], "size mismatch"),
    (RAW + b"\x00", "size mismatch"),
    (b"", "two zero bytes"),
])
def test_read_idx_errors(raw, message):
    with pytest.raises(ValueError, match=message):
        data.read_idx(raw)


# --- search order --------------------------------------------------------------------------

def test_course_data_wins_over_cache_wins_over_system(roots, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(roots / "course"))
    first, second, third = put(roots / "course"), put(data.CACHE_DIR), put(data.SYSTEM_DIR)
    for expected in (first, second, third):
        raw, path = data._find("tiny", FILE)
        assert raw == RAW and path == expected
        expected.unlink()
    with pytest.raises(DataNotFoundError):
        data.load_bytes("tiny", FILE)


def test_several_course_data_folders_are_tried_in_order(roots, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", os.pathsep.join([str(roots / "a"), "", str(roots / "b")]))
    (roots / "a").mkdir()
    in_b = put(roots / "b")
    assert data._find("tiny", FILE) == (RAW, in_b)
    in_a = put(roots / "a", "plain")
    assert data._find("tiny", FILE) == (RAW, in_a)


def test_relative_course_data_counts_from_the_repository(roots, monkeypatch):
    monkeypatch.setattr(data, "REPO_DIR", roots)
    monkeypatch.setenv("COURSE_DATA", "mirror")
    path = put(roots / "mirror")
    assert data._find("tiny", FILE) == (RAW, path)


@pytest.mark.parametrize("kind", ["gz", "plain"])
@pytest.mark.parametrize("where", ["course", "cache", "system"])
def test_gz_and_plain_files_are_accepted_everywhere(roots, monkeypatch, kind, where):
    monkeypatch.setenv("COURSE_DATA", str(roots / "course"))
    (roots / "course").mkdir()  # an existing folder (a missing one is reported: tested below)
    root = {"course": roots / "course", "cache": data.CACHE_DIR, "system": data.SYSTEM_DIR}[where]
    path = put(root, kind)
    assert data._find("tiny", FILE) == (RAW, path)


# --- bad files -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind, problem", [
    ("corrupt", "corrupt or truncated gzip"),
    ("truncated", "corrupt or truncated gzip"),
    ("truncated-plain", "wrong size"),
    ("wrong", "checksum mismatch"),
])
def test_a_bad_file_is_skipped_with_a_warning(roots, monkeypatch, kind, problem):
    monkeypatch.setenv("COURSE_DATA", str(roots / "course"))
    bad = put(roots / "course", kind)
    put(data.CACHE_DIR, kind)
    good = put(data.SYSTEM_DIR)
    with pytest.warns(DataWarning, match=problem) as caught:
        assert data._find("tiny", FILE) == (RAW, good)
    assert [str(w.message).split(":")[0] for w in caught] == [
        f"skipping {bad}", f"skipping {data.CACHE_DIR / 'tiny' / bad.name}"]
    assert bad.read_bytes() == make_file(kind)[1]  # a bad file is reported, not touched


def test_a_good_plain_file_next_to_a_bad_gz_is_used(roots):
    put(data.CACHE_DIR, "corrupt")
    plain = put(data.CACHE_DIR, "plain")
    with pytest.warns(DataWarning, match="corrupt"):
        assert data._find("tiny", FILE) == (RAW, plain)


def test_when_everything_is_bad_the_error_lists_every_place_and_every_way(roots, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", os.pathsep.join([str(roots / "empty"), str(roots / "course")]))
    corrupt = put(roots / "course", "corrupt")
    truncated = put(data.CACHE_DIR, "truncated-plain")
    wrong = put(data.SYSTEM_DIR, "wrong")
    with pytest.warns(DataWarning), pytest.raises(DataNotFoundError) as error:
        data.load_bytes("tiny", FILE)
    assert isinstance(error.value, FileNotFoundError)
    message = str(error.value)
    for line in [f"{roots / 'empty' / 'tiny'}/: missing",
                 f"{corrupt}: corrupt or truncated gzip",
                 f"{truncated}: wrong size",
                 f"{wrong}: checksum mismatch",
                 "http://127.0.0.1:9/nothing/t10k-images-idx3-ubyte.gz: not downloaded",
                 "set COURSE_DATA to a folder that holds tiny/t10k-images-idx3-ubyte",
                 f"download http://127.0.0.1:9/nothing/t10k-images-idx3-ubyte.gz into {data.CACHE_DIR / 'tiny'}/",
                 "python -m utils.data tiny"]:
        assert line in message
    assert "apt-get" not in message  # there is no Debian package for this data set


def test_the_error_for_fashion_mnist_suggests_the_debian_package(roots):
    with pytest.raises(DataNotFoundError) as error:
        data.load_bytes("fashion-mnist", "t10k-labels-idx1-ubyte")
    message = str(error.value)
    assert "COURSE_DATA: not set" in message
    assert "sudo apt-get install dataset-fashion-mnist" in message
    assert "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz" in message


# --- downloads from a real local HTTP server ------------------------------------------------

@pytest.fixture
def server(roots, monkeypatch):
    """An HTTP server on 127.0.0.1 serving roots/www; "tiny" is downloaded from it.

    It records every request path, and for a file name in `cut` it promises the whole
    file in Content-Length but sends only that many bytes before hanging up.
    """
    www = roots / "www"
    www.mkdir()
    requests, cut = [], {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            path = www / self.path.lstrip("/")
            if not path.is_file():
                self.send_error(404, "File not found")
                return
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: cut.get(path.name, len(body))])

        def log_message(self, *args):  # keep the test output quiet
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}/"
    monkeypatch.setitem(data.DATASETS["tiny"], "url", url)
    monkeypatch.setattr(data, "DOWNLOAD", True)
    for variable in ("no_proxy", "NO_PROXY"):  # never send these requests to a proxy
        monkeypatch.setenv(variable, "127.0.0.1")
    yield SimpleNamespace(url=url, www=www, requests=requests, cut=cut)
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.mark.parametrize("kind", ["gz", "plain"])
def test_a_good_download_is_saved_in_the_cache_and_reused(roots, server, monkeypatch, kind):
    monkeypatch.setitem(data.DATASETS["tiny"], "gzip", kind == "gz")
    served = put(server.www, kind, folder="").name
    assert data._find("tiny", FILE) == (RAW, data.CACHE_DIR / "tiny" / served)
    assert server.requests == [f"/{served}"]
    assert files_under(data.CACHE_DIR) == [data.CACHE_DIR / "tiny" / served]  # no temporary file left
    assert (data.CACHE_DIR / "tiny" / served).read_bytes() == (server.www / served).read_bytes()
    assert data.load_bytes("tiny", FILE) == RAW
    assert len(server.requests) == 1  # the second call found the cached copy


@pytest.mark.parametrize("kind, problem", [
    ("corrupt", "corrupt or truncated gzip"),
    ("truncated", "corrupt or truncated gzip"),
    ("wrong", "checksum mismatch"),
])
def test_a_bad_download_leaves_nothing_behind(roots, server, kind, problem):
    served = put(server.www, kind, folder="").name
    with pytest.raises(DataNotFoundError, match=f"{server.url}{served}: download failed \\({problem}"):
        data.load_bytes("tiny", FILE)
    assert server.requests == [f"/{served}"]
    assert files_under(data.CACHE_DIR) == []


def test_an_interrupted_download_leaves_nothing_behind(roots, server):
    served = put(server.www, folder="")
    server.cut[served.name] = 100
    with pytest.raises(DataNotFoundError, match="download failed \\(interrupted: got 100 of"):
        data.load_bytes("tiny", FILE)
    assert files_under(data.CACHE_DIR) == []


def test_a_missing_download_names_the_url(roots, server):
    with pytest.raises(DataNotFoundError) as error:
        data.load_bytes("tiny", FILE)
    assert f"{server.url}tiny/" not in str(error.value)
    assert f"{server.url}{FILE}.gz: download failed (HTTP Error 404" in str(error.value)
    assert files_under(data.CACHE_DIR) == []


def test_a_download_replaces_a_bad_cached_copy_and_keeps_it_as_bad(roots, server):
    bad = put(data.CACHE_DIR, "wrong")
    put(server.www, folder="")
    with pytest.warns(DataWarning) as caught:
        assert data._find("tiny", FILE) == (RAW, bad)
    messages = [str(w.message) for w in caught]
    assert "checksum mismatch" in messages[0]
    assert f"the bad copy is kept as {bad}.bad" in messages[1]
    assert gzip.decompress(bad.read_bytes()) == RAW
    assert Path(f"{bad}.bad").read_bytes() == make_file("wrong")[1]  # nothing lost


# --- bad machines: no network, a read-only folder, a wrong COURSE_DATA -----------------------

def first_line(error):
    return str(error.value).splitlines()[0]


def test_offline_with_the_data_missing_one_message_names_make_data(roots, monkeypatch):
    """The network is off (nothing listens on port 9) and no copy exists: one error, whose
    first line says what is missing and names `make data`; no warnings, no files left."""
    monkeypatch.setattr(data, "DOWNLOAD", True)
    monkeypatch.setattr(data, "TIMEOUT", 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would be a second message
        with pytest.raises(DataNotFoundError) as error:
            data.load_bytes("tiny", FILE)
    assert first_line(error).startswith("the data set tiny (t10k-images-idx3-ubyte) is not on "
                                        "this computer and could not be fetched. Run `make data`")
    assert "http://127.0.0.1:9/nothing/t10k-images-idx3-ubyte.gz: download failed" in str(error.value)
    assert error.value._render_traceback_() == [f"DataNotFoundError: {error.value}"]
    assert files_under(roots) == []


def test_in_a_notebook_the_first_data_cell_stops_with_that_message_alone(roots, tmp_path):
    """A real kernel: the data cell fails with the message alone (no traceback through
    utils), and the cells after it do not run."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    setup = (f"from pathlib import Path\nfrom utils import data\n"
             f"data.CACHE_DIR, data.SYSTEM_DIR = Path({str(tmp_path / 'c')!r}), Path({str(tmp_path / 's')!r})\n"
             "data.DOWNLOAD = False")
    cells = [setup, "d = data.load_fashion_mnist()", "print('after the data cell')"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3")
    with pytest.raises(nbclient.exceptions.CellExecutionError):
        client.execute()
    error = notebook.cells[1].outputs[0]
    assert error.output_type == "error" and error.ename == "DataNotFoundError"
    assert len(error.traceback) == 1  # the message, no frames
    assert "Run `make data`" in error.traceback[0].splitlines()[0]
    assert "sudo apt-get install dataset-fashion-mnist" in error.traceback[0]
    assert notebook.cells[2].outputs == []


def test_a_course_data_folder_that_does_not_exist_is_reported(roots, monkeypatch):
    missing = roots / "no-such-folder"
    monkeypatch.setenv("COURSE_DATA", str(missing))
    good = put(data.SYSTEM_DIR)
    with pytest.warns(DataWarning, match=f"COURSE_DATA names {missing}, which does not exist"):
        assert data._find("tiny", FILE) == (RAW, good)  # found elsewhere, but said
    good.unlink()
    with pytest.warns(DataWarning), pytest.raises(DataNotFoundError) as error:
        data.load_bytes("tiny", FILE)
    assert f"COURSE_DATA names {missing}, which does not exist (a typo?)" in str(error.value)
    assert not missing.exists()  # nothing created


def make_read_only(folder, monkeypatch):
    """Make `folder` read-only: by its permission bits, or, as root (who ignores them), by
    making every attempt to create a file in it fail as a read-only file system would."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    real_open = open

    def read_only_open(path, mode="r", *args, **kwargs):
        if Path(path).parent == folder and any(c in mode for c in "wax+"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(data, "open", read_only_open, raising=False)


def test_a_read_only_cache_folder_gives_a_clear_error_and_loses_nothing(roots, server, monkeypatch):
    put(server.www, folder="")
    cache = data.CACHE_DIR / "tiny"
    make_read_only(cache, monkeypatch)
    try:
        with pytest.raises(DataNotFoundError) as error:
            data.load_bytes("tiny", FILE)
    finally:
        cache.chmod(0o755)
    message = str(error.value)
    assert f"not downloaded: cannot save the download in {cache}/: the folder is read-only" in message
    assert "list that folder in COURSE_DATA" in message
    assert server.requests == []  # it did not download what it could not save
    assert files_under(data.CACHE_DIR) == []


def test_a_truncated_file_is_never_used_and_never_changed(roots):
    """Truncated copies (a cut gzip, a cut plain file) fail the checksum; with no good copy
    the error names each one and why, and both files are exactly as they were."""
    cut_gz = put(data.CACHE_DIR, "truncated")
    cut_plain = put(data.SYSTEM_DIR, "truncated-plain")
    before = {path: path.read_bytes() for path in (cut_gz, cut_plain)}
    with pytest.warns(DataWarning), pytest.raises(DataNotFoundError) as error:
        data.load_bytes("tiny", FILE)
    assert f"{cut_gz}: corrupt or truncated gzip" in str(error.value)
    assert f"{cut_plain}: wrong size: {len(RAW) - 100:,} bytes instead of {len(RAW):,} (truncated?)" in str(error.value)
    assert {path: path.read_bytes() for path in before} == before


# --- the loaders and the command line, on fake data ------------------------------------------

def test_load_fashion_mnist_end_to_end_on_fake_files(roots, monkeypatch):
    train_images = np.random.default_rng(1).integers(0, 256, size=(8, 28, 28), dtype=np.uint8)
    train_labels = np.arange(8, dtype=np.uint8)
    files = {"train-images-idx3-ubyte": idx_bytes(train_images), "train-labels-idx1-ubyte": idx_bytes(train_labels),
             "t10k-images-idx3-ubyte": RAW, "t10k-labels-idx1-ubyte": idx_bytes(LABELS)}
    monkeypatch.setitem(data.DATASETS["fashion-mnist"], "files", {f: file_info(raw) for f, raw in files.items()})
    for file, raw in files.items():
        (data.SYSTEM_DIR / "fashion-mnist").mkdir(parents=True, exist_ok=True)
        (data.SYSTEM_DIR / "fashion-mnist" / f"{file}.gz").write_bytes(gzip.compress(raw))

    d = data.load_fashion_mnist(n_val=3, seed=0)
    assert [tuple(t.shape) for t in d[:6]] == [(5, 1, 28, 28), (5,), (3, 1, 28, 28), (3,), (5, 1, 28, 28), (5,)]
    assert d.X_train.dtype == torch.float32 and d.y_train.dtype == torch.int64
    assert torch.equal(d.X_test[:, 0], torch.from_numpy(IMAGES).float() / 255)
    assert d.y_test.tolist() == [3, 1, 4, 1, 5]
    assert sorted(d.y_train.tolist() + d.y_val.tolist()) == list(range(8))
    for X, y in [(d.X_train, d.y_train), (d.X_val, d.y_val)]:  # images stay with their labels
        assert torch.equal(X[:, 0], torch.from_numpy(train_images[y.numpy()]).float() / 255)
    assert d.classes[0] == "T-shirt/top" and len(d.classes) == 10

    empty = data.load_fashion_mnist(n_val=0)
    assert empty.X_val.shape == (0, 1, 28, 28) and empty.y_val.shape == (0,) and len(empty.X_train) == 8
    with pytest.raises(ValueError, match="n_val"):
        data.load_fashion_mnist(n_val=9)


def test_main_reports_each_data_set(roots, capsys):
    assert data.main(["tiny"]) == 1
    assert "no good copy of tiny/" in capsys.readouterr().err
    put(data.SYSTEM_DIR)
    labels = data.SYSTEM_DIR / "tiny" / "t10k-labels-idx1-ubyte"
    labels.write_bytes(idx_bytes(LABELS))
    assert data.main(["tiny"]) == 0
    assert capsys.readouterr().out.split() == ["tiny", "ok", "in", str(data.SYSTEM_DIR / "tiny")]
    assert data.main(["no-such-set"]) == 2


# --- the real data, when it is available (COURSE_DATA=../shared/data, dataset-fashion-mnist) ---

@pytest.fixture(scope="module")
def real():
    """Use the real search roots, never download, and read each real file only once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data, "DOWNLOAD", False)
        mp.setattr(data, "load_bytes", functools.lru_cache(data.load_bytes))
        yield


def load_or_skip(loader, *args, **kwargs):
    try:
        return loader(*args, **kwargs)
    except DataNotFoundError as error:
        pytest.skip(f"data not available here: {str(error).splitlines()[0]}")


def image_keys(X: torch.Tensor, y: torch.Tensor) -> collections.Counter:
    """Count each (image bytes, label) pair, to compare sets of images exactly."""
    pixels = (X * 255).round().to(torch.uint8).flatten(1).numpy()  # (N, 784) uint8
    return collections.Counter(zip(map(bytes, pixels), y.tolist()))


@pytest.fixture(scope="module")
def fashion(real):
    """The real Fashion-MNIST with the default split, loaded once for the module."""
    return load_or_skip(data.load_fashion_mnist)


def test_real_fashion_mnist(fashion):
    d = fashion
    assert [tuple(t.shape) for t in d[:6]] == [(55000, 1, 28, 28), (55000,), (5000, 1, 28, 28), (5000,),
                                               (10000, 1, 28, 28), (10000,)]
    for X, y in [(d.X_train, d.y_train), (d.X_val, d.y_val), (d.X_test, d.y_test)]:
        assert X.dtype == torch.float32 and y.dtype == torch.int64
        assert X.min() == 0 and X.max() == 1
    assert torch.bincount(torch.cat([d.y_train, d.y_val])).tolist() == [6000] * 10
    assert torch.bincount(d.y_test).tolist() == [1000] * 10
    assert d.classes == ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def test_real_fashion_mnist_split(fashion):
    d = fashion  # n_val=5000, seed=0
    again = data.load_fashion_mnist(n_val=5000, seed=0)
    other = data.load_fashion_mnist(n_val=5000, seed=1)
    assert torch.equal(d.X_val, again.X_val) and torch.equal(d.y_train, again.y_train)
    assert not torch.equal(d.X_val, other.X_val)
    # train and val together are exactly the 60,000 training images: nothing lost or repeated
    images = data.read_idx(data.load_bytes("fashion-mnist", "train-images-idx3-ubyte"))  # (60000, 28, 28)
    labels = data.read_idx(data.load_bytes("fashion-mnist", "train-labels-idx1-ubyte"))  # (60000,)
    all_keys = collections.Counter(zip(map(bytes, images.reshape(60000, -1)), labels.tolist()))
    assert image_keys(d.X_train, d.y_train) + image_keys(d.X_val, d.y_val) == all_keys


def test_real_mnist_test(real):
    X, y, classes = load_or_skip(data.load_mnist_test)
    assert X.shape == (10000, 1, 28, 28) and X.dtype == torch.float32 and 0 <= X.min() < X.max() <= 1
    assert y.dtype == torch.int64
    assert torch.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert classes == [str(digit) for digit in range(10)]


def test_real_notmnist(real):
    X, y, classes = load_or_skip(data.load_notmnist)
    assert X.shape == (10000, 1, 28, 28) and X.dtype == torch.float32 and 0 <= X.min() < X.max() <= 1
    assert y.dtype == torch.int64 and torch.bincount(y).tolist() == [1000] * 10
    assert classes == list("ABCDEFGHIJ")


def test_real_tinyshakespeare(real):
    text = load_or_skip(data.load_tinyshakespeare)
    assert len(text) == 1_115_394 and len(set(text)) == 65
    assert text.startswith("First Citizen:")
