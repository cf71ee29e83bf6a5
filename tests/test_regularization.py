"""Tests of utils.regularization: ridge and lasso against scikit-learn, norm penalties,
dropout (correct and seed 000's bug), the MLP builder, augmentation, and the two demos."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sklearn.linear_model import Lasso, Ridge  # noqa: E402
from torch import nn  # noqa: E402

from utils import regularization as R  # noqa: E402

DATA = R.make_regression_data()


# ---------------------------------------------------------------- linear models

def test_regression_data_has_a_collinear_pair_and_three_informative_features():
    assert DATA.X_train.shape == (30, 10) and DATA.X_val.shape == (500, 10)
    assert np.count_nonzero(DATA.w_true) == 3
    assert np.corrcoef(DATA.X_train[:, 0], DATA.X_train[:, 3])[0, 1] > 0.95
    again = R.make_regression_data()
    assert np.array_equal(again.X_train, DATA.X_train) and np.array_equal(again.y_val, DATA.y_val)


@pytest.mark.parametrize("lam", [0.01, 1.0, 5.0, 300.0])
def test_ridge_matches_scikit_learn(lam):
    w, b = R.ridge_fit(DATA.X_train, DATA.y_train, lam)
    reference = Ridge(alpha=lam).fit(DATA.X_train, DATA.y_train)
    assert np.allclose(w, reference.coef_, atol=1e-10)
    assert np.isclose(b, reference.intercept_)


def test_ridge_with_zero_lambda_is_least_squares_with_an_intercept():
    w, b = R.ridge_fit(DATA.X_train, DATA.y_train, 0.0)
    X1 = np.hstack([DATA.X_train, np.ones((30, 1))])  # (30, 11)
    solution, *_ = np.linalg.lstsq(X1, DATA.y_train, rcond=None)
    assert np.allclose(w, solution[:10]) and np.isclose(b, solution[10])


def test_ridge_shrinks_as_lambda_grows_and_never_penalises_the_intercept():
    norms = [np.linalg.norm(R.ridge_fit(DATA.X_train, DATA.y_train, lam)[0])
             for lam in [0, 0.1, 1, 10, 100, 1e4]]
    assert all(a > b for a, b in zip(norms, norms[1:]))
    w, b = R.ridge_fit(DATA.X_train, DATA.y_train, 1e12)
    assert np.abs(w).max() < 1e-8 and np.isclose(b, DATA.y_train.mean())


@given(st.lists(st.floats(-10, 10), min_size=1, max_size=20), st.floats(0, 5))
@settings(max_examples=200, deadline=None)
def test_soft_threshold_properties(values, t):
    z = np.array(values)
    s = R.soft_threshold(z, t)
    assert np.all(np.abs(s) <= np.abs(z) + 1e-12)  # shrinks
    assert np.all(np.abs(z - s) <= t + 1e-12)  # by at most t
    assert np.all((s == 0) == (np.abs(z) <= t))  # exact zeros exactly where |z| <= t
    assert np.all(s * z >= 0)  # never flips a sign


@pytest.mark.parametrize("lam", [1.0, 10.0, 30.0, 100.0])
def test_lasso_ista_matches_scikit_learn(lam):
    m = len(DATA.y_train)
    w, b = R.lasso_ista(DATA.X_train, DATA.y_train, lam, num_steps=5000)
    reference = Lasso(alpha=lam / (2 * m), tol=1e-12, max_iter=100_000).fit(DATA.X_train, DATA.y_train)
    assert np.allclose(w, reference.coef_, atol=1e-6)
    assert np.isclose(b, reference.intercept_, atol=1e-6)
    assert np.array_equal(w == 0, reference.coef_ == 0)


def test_lasso_is_all_zero_above_the_critical_lambda():
    Xc = DATA.X_train - DATA.X_train.mean(axis=0)
    yc = DATA.y_train - DATA.y_train.mean()
    lam_max = 2 * np.abs(Xc.T @ yc).max()  # the subgradient condition at w = 0
    w, b = R.lasso_ista(DATA.X_train, DATA.y_train, lam_max * 1.01, num_steps=50)
    assert np.all(w == 0) and np.isclose(b, DATA.y_train.mean())
    w, _ = R.lasso_ista(DATA.X_train, DATA.y_train, lam_max * 0.9, num_steps=500)
    assert np.count_nonzero(w) >= 1


def test_paths_have_the_right_shapes_and_follow_the_exact_solutions():
    paths = PATHS  # on the demo's grid, computed once below
    assert paths["ridge"].shape == paths["lasso"].shape == (len(R.DEMO_LAMS), 10)
    m = len(DATA.y_train)
    for k in range(0, len(R.DEMO_LAMS), 5):
        lam = R.DEMO_LAMS[k]
        assert np.allclose(paths["ridge"][k], R.ridge_fit(DATA.X_train, DATA.y_train, lam)[0])
        reference = Lasso(alpha=lam / (2 * m), tol=1e-12, max_iter=100_000).fit(DATA.X_train, DATA.y_train)
        assert np.abs(paths["lasso"][k] - reference.coef_).max() < 0.03
        assert np.array_equal(paths["lasso"][k] == 0, reference.coef_ == 0)
    assert np.all(np.diff(paths["ridge_train"]) >= -1e-9)  # training error grows with lam
    assert (paths["lasso"][-1] == 0).all() and (paths["lasso"][0] != 0).all()


PATHS = R.regularisation_paths(DATA, R.DEMO_LAMS)


# ---------------------------------------------------------------- penalties

def small_net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.BatchNorm1d(3), nn.Linear(3, 2))


def test_penalties_cover_weight_matrices_only():
    net = small_net()
    W1, W2 = net[0].weight, net[3].weight
    assert torch.isclose(R.l2_penalty(net), (W1 ** 2).sum() + (W2 ** 2).sum())
    assert torch.isclose(R.l1_penalty(net), W1.abs().sum() + W2.abs().sum())
    assert len(R.weight_matrices(net)) == 2  # no biases, no batch-norm gamma


def test_penalized_loss_adds_the_penalty_only_in_training_mode():
    net = small_net()
    X, y = torch.randn(8, 4), torch.randint(0, 2, (8,))
    loss_fn = R.penalized_loss(net, 0.01, R.l2_penalty)
    net.train()
    y_hat = net(X)
    expected = F.cross_entropy(y_hat, y) + 0.01 * R.l2_penalty(net)
    assert torch.isclose(loss_fn(y_hat, y), expected)
    net.eval()
    y_hat = net(X)
    assert torch.isclose(loss_fn(y_hat, y), F.cross_entropy(y_hat, y))


def test_l2_penalty_gradient_is_two_alpha_w():
    net = small_net()
    R.l2_penalty(net).mul(0.5).backward()  # 0.5 * sum W^2 has gradient W
    assert torch.allclose(net[0].weight.grad, net[0].weight)
    assert net[0].bias.grad is None


# ---------------------------------------------------------------- dropout

def test_inverted_dropout_keeps_the_expectation_and_is_the_identity_in_eval():
    torch.manual_seed(0)
    h = torch.rand(20) + 0.5  # (20,)
    drop = R.Dropout(0.3)
    samples = torch.stack([drop(h) for _ in range(20_000)])  # (20000, 20)
    assert torch.allclose(samples.mean(0), h, rtol=0.03)
    kept = samples[samples != 0].reshape(-1)
    assert torch.allclose(kept / kept, torch.ones_like(kept))  # no nan: kept values are finite
    assert abs((samples == 0).float().mean().item() - 0.3) < 0.01
    values = set(torch.round(samples[:, 0][samples[:, 0] != 0] * 1e5).tolist())
    assert values == {round(h[0].item() / 0.7 * 1e5)}  # every kept unit is scaled by 1/(1-p)
    drop.eval()
    assert torch.equal(drop(h), h)


def test_statistics_match_torch_dropout():
    torch.manual_seed(1)
    h = torch.rand(50_000) + 0.1
    ours, theirs = R.Dropout(0.45)(h), nn.Dropout(0.45).train()(h)
    for stat in (lambda t: (t == 0).float().mean(), torch.mean, torch.std):
        assert abs(stat(ours).item() - stat(theirs).item()) < 0.02 * max(1.0, stat(theirs).item())


@pytest.mark.parametrize("p", [0.2, 0.3, 0.45])
def test_seed_000_scaling_changes_the_expectation_by_one_minus_p_over_p(p):
    torch.manual_seed(2)
    h = torch.ones(200_000)
    drop = R.Dropout(p, scale="seed", active_in_eval=True)
    assert abs(drop(h).mean().item() - (1 - p) / p) < 0.02 * (1 - p) / p
    drop.eval()  # the bug: still random at evaluation
    assert (drop(h) == 0).any()


@pytest.mark.parametrize("args", [(1.0,), (-0.1,), (0.0, "seed"), (0.5, "other")])
def test_dropout_rejects_invalid_settings(args):
    with pytest.raises(ValueError):
        R.Dropout(*args)


# ---------------------------------------------------------------- the MLP builder

def test_make_mlp_default_is_the_784_300_100_10_network():
    net = R.make_mlp()
    assert sum(p.numel() for p in net.parameters()) == 784 * 300 + 300 + 300 * 100 + 100 + 1010
    assert net(torch.zeros(2, 784)).shape == (2, 10)


def test_make_mlp_reproduces_the_parameter_counts_of_seed_003():
    net = R.make_mlp((512, 128, 64), dropout=(0.5, 0.5, 0), batch_norm=True, init="glorot")
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    running = sum(b.numel() for name, b in net.named_buffers() if "running" in name)
    assert trainable == 477_898 and running == 1_408 and trainable + running == 479_306
    kinds = [type(m).__name__ for m in net]
    assert kinds.count("Dropout") == 2 and kinds.count("BatchNorm1d") == 3
    for module in net:
        if isinstance(module, nn.Linear):
            bound = (6 / (module.in_features + module.out_features)) ** 0.5
            assert module.weight.abs().max() <= bound and torch.all(module.bias == 0)


def test_make_mlp_rejects_bad_arguments():
    with pytest.raises(ValueError):
        R.make_mlp((10, 10), dropout=(0.1,))
    with pytest.raises(ValueError):
        R.make_mlp(init="zeros")


# ---------------------------------------------------------------- augmentation

@given(st.integers(0, 3), st.integers(0, 10_000))
@settings(max_examples=50, deadline=None)
def test_random_shift_moves_each_image_by_a_whole_offset_within_the_range(max_shift, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.rand(6, 1, 10, 10, generator=g)
    shifted = R.random_shift(X, max_shift, torch.Generator().manual_seed(seed + 1))
    assert shifted.shape == X.shape
    s = max_shift
    padded = F.pad(X, (s, s, s, s))
    for n in range(len(X)):
        windows = [padded[n, :, dy:dy + 10, dx:dx + 10]
                   for dy in range(2 * s + 1) for dx in range(2 * s + 1)]
        assert any(torch.equal(shifted[n], window) for window in windows)


def test_random_flip_mirrors_about_half_of_the_images():
    X = torch.rand(400, 1, 5, 5)
    flipped = R.random_flip(X, torch.Generator().manual_seed(0))
    same = torch.tensor([torch.equal(a, b) for a, b in zip(flipped, X)])
    mirrored = torch.tensor([torch.equal(a, b.flip(-1)) for a, b in zip(flipped, X)])
    assert torch.all(same | mirrored)
    assert 150 < mirrored.sum().item() < 250


def test_augment_keeps_shape_and_pixel_range():
    X = torch.rand(8, 1, 28, 28)
    out = R.augment(X, torch.Generator().manual_seed(0), max_shift=2)
    assert out.shape == X.shape and out.dtype == X.dtype
    assert out.min() >= 0 and out.max() <= 1


# ---------------------------------------------------------------- demos


def test_paths_demo_redraws_when_lambda_changes():
    demo = R.paths_demo(DATA, PATHS)
    before = demo.view.image.value
    demo.controls["lam"].value = 100.0
    assert demo.view.image.value != before


@given(st.floats(-5, 6))
@settings(max_examples=200, deadline=None)
def test_paths_demo_never_raises(log_lam):
    demo = _PATHS_DEMO
    demo.controls["lam"].value = 10.0 ** log_lam  # the slider clamps out-of-range values


_PATHS_DEMO = R.paths_demo(DATA, PATHS)


@pytest.mark.parametrize("p", [0.2, 0.3, 0.45, 0.8])
def test_dropout_means(p):
    h = torch.rand(28, 28) + 0.1
    train, evaluation = R.dropout_means(h, p, "inverted", num_masks=2000)
    assert abs(train - 1) < 0.03 and evaluation == 1.0
    train, evaluation = R.dropout_means(h, p, "seed", num_masks=2000)
    assert abs(train - (1 - p) / p) < 0.03 * (1 - p) / p and evaluation == 1.0
    train, evaluation = R.dropout_means(h, p, "seed", in_eval=True, num_masks=2000)
    assert evaluation == train
    assert R.dropout_means(h, 0.0, "seed") is None
    assert R.dropout_means(torch.zeros(3, 3), p, "inverted") is None


def test_dropout_demo_redraws_on_every_control():
    demo = R.dropout_demo()
    for name, value in [("p", 0.6), ("scaling", list(R.SCALINGS)[1]), ("in_eval", True)]:
        before = demo.view.image.value
        demo.controls[name].value = value
        assert demo.view.image.value != before


_DROPOUT_DEMO = R.dropout_demo()


@given(st.floats(-1, 2), st.sampled_from(list(R.SCALINGS)), st.booleans())
@settings(max_examples=200, deadline=None)
def test_dropout_demo_never_raises(p, scaling, in_eval):
    controls = _DROPOUT_DEMO.controls
    controls["scaling"].value = scaling
    controls["in_eval"].value = in_eval
    controls["p"].value = p  # the slider clamps to [0, 0.95]
