"""utils.metrics against sklearn.metrics (to 1e-12) and against hand-computed cases."""
import math

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from utils import metrics

TOL = 1e-12


def random_binary(seed, n=None, ties=False):
    rng = np.random.default_rng(seed)
    n = n or int(rng.integers(5, 400))
    y = rng.integers(0, 2, n)
    y[0], y[1] = 0, 1  # both classes present
    scores = rng.normal(size=n) + 1.2 * rng.random() * y
    if ties:
        scores = np.round(scores, 1)  # many tied scores
    return y, scores


def test_notes_confusion_matrix_n165():
    # the notes' example: TN=50, FP=10, FN=5, TP=100
    y = np.r_[np.zeros(60, int), np.ones(105, int)]
    y_hat = np.r_[np.zeros(50, int), np.ones(10, int), np.zeros(5, int), np.ones(100, int)]
    assert metrics.confusion_matrix(y, y_hat).tolist() == [[50, 10], [5, 100]]
    assert metrics.binary_counts(y, y_hat) == (50, 10, 5, 100)
    m = metrics.all_from_counts(50, 10, 5, 100)
    assert math.isclose(m["accuracy"], 150 / 165)
    assert math.isclose(m["precision"], 100 / 110)
    assert math.isclose(m["recall"], 100 / 105)
    assert math.isclose(m["f1"], 200 / 215)
    assert math.isclose(m["specificity"], 50 / 60)
    assert math.isclose(m["fpr"], 10 / 60)
    p, r = m["precision"], m["recall"]
    assert math.isclose(m["f1"], 2 * p * r / (p + r))


@pytest.mark.parametrize("seed", range(30))
def test_classification_metrics_equal_sklearn(seed):
    y, scores = random_binary(seed)
    y_hat = (scores > 0.3).astype(int)
    assert abs(metrics.accuracy(y, y_hat) - skm.accuracy_score(y, y_hat)) < TOL
    assert abs(metrics.precision(y, y_hat) - skm.precision_score(y, y_hat, zero_division=0)) < TOL
    assert abs(metrics.recall(y, y_hat) - skm.recall_score(y, y_hat, zero_division=0)) < TOL
    assert abs(metrics.f1(y, y_hat) - skm.f1_score(y, y_hat, zero_division=0)) < TOL
    spec = skm.recall_score(1 - y, 1 - y_hat, zero_division=0)  # specificity = recall of class 0
    assert abs(metrics.specificity(y, y_hat) - spec) < TOL
    assert np.array_equal(metrics.confusion_matrix(y, y_hat, labels=[0, 1]),
                          skm.confusion_matrix(y, y_hat, labels=[0, 1]))


@pytest.mark.parametrize("seed", range(20))
def test_multiclass_confusion_matrix_and_macro_f1(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 5, 300)
    y_hat = np.where(rng.random(300) < 0.6, y, rng.integers(0, 5, 300))
    assert np.array_equal(metrics.confusion_matrix(y, y_hat), skm.confusion_matrix(y, y_hat))
    assert abs(metrics.macro_f1(y, y_hat) - skm.f1_score(y, y_hat, average="macro")) < TOL
    assert abs(metrics.accuracy(y, y_hat) - skm.accuracy_score(y, y_hat)) < TOL


@pytest.mark.parametrize("seed,ties", [(s, t) for s in range(25) for t in (False, True)])
def test_curves_and_areas_equal_sklearn(seed, ties):
    y, scores = random_binary(seed, ties=ties)
    fpr, tpr, thr = metrics.roc_curve(y, scores)
    fpr_sk, tpr_sk, thr_sk = skm.roc_curve(y, scores, drop_intermediate=False)
    assert np.allclose(fpr, fpr_sk, atol=TOL, rtol=0) and np.allclose(tpr, tpr_sk, atol=TOL, rtol=0)
    assert np.array_equal(thr, thr_sk)
    assert abs(metrics.roc_auc(y, scores) - skm.roc_auc_score(y, scores)) < TOL
    p, r, t = metrics.precision_recall_curve(y, scores)
    p_sk, r_sk, t_sk = skm.precision_recall_curve(y, scores)
    assert np.allclose(p, p_sk, atol=TOL, rtol=0) and np.allclose(r, r_sk, atol=TOL, rtol=0)
    assert np.array_equal(t, t_sk)
    assert abs(metrics.average_precision(y, scores) - skm.average_precision_score(y, scores)) < TOL
    assert abs(metrics.auc(fpr, tpr) - skm.auc(fpr_sk, tpr_sk)) < TOL


def test_auc_is_the_probability_a_positive_outscores_a_negative():
    y, scores = random_binary(3, n=300, ties=True)
    pos, neg = scores[y == 1], scores[y == 0]
    pairs = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])  # (P, N)
    assert abs(metrics.roc_auc(y, scores) - pairs.mean()) < TOL


def test_auc_extremes():
    y = np.array([0, 0, 1, 1])
    assert metrics.roc_auc(y, [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert metrics.roc_auc(y, [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert metrics.roc_auc(y, [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert metrics.auc([1, 0.5, 0], [1, 0.5, 0]) == 0.5  # decreasing x gives a positive area


def test_zero_division_gives_zero():
    y = np.array([0, 1, 1])
    assert metrics.precision(y, [0, 0, 0]) == 0.0
    assert metrics.f1(y, [0, 0, 0]) == 0.0
    assert metrics.specificity([1, 1], [1, 0]) == 0.0


def test_metrics_at_threshold():
    y, scores = np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9])
    counts, m = metrics.metrics_at_threshold(y, scores, 0.5)
    assert counts == (1, 1, 1, 1)
    assert m["accuracy"] == 0.5
    counts, _ = metrics.metrics_at_threshold(y, scores, 0.4)  # score >= t is positive
    assert counts == (1, 1, 0, 2)


@pytest.mark.parametrize("seed", range(20))
def test_regression_metrics_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=50) * 3
    y_hat = y + rng.normal(size=50) * rng.uniform(0.1, 5)
    assert abs(metrics.mae(y, y_hat) - skm.mean_absolute_error(y, y_hat)) < TOL
    assert abs(metrics.mse(y, y_hat) - skm.mean_squared_error(y, y_hat)) < TOL
    assert abs(metrics.rmse(y, y_hat) - math.sqrt(skm.mean_squared_error(y, y_hat))) < TOL
    assert abs(metrics.r2(y, y_hat) - skm.r2_score(y, y_hat)) < TOL


def test_r2_of_the_mean_is_zero_and_worse_is_negative():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert abs(metrics.r2(y, np.full(4, 2.5))) < TOL
    assert metrics.r2(y, y[::-1]) < 0
    assert metrics.r2(y, y) == 1.0


def test_adjusted_r2():
    y = np.arange(10, dtype=float)
    y_hat = y + np.array([1, -1] * 5) * 0.5
    r2 = metrics.r2(y, y_hat)
    assert math.isclose(metrics.adjusted_r2(y, y_hat, 3), 1 - (1 - r2) * 9 / 6)
    assert metrics.adjusted_r2(y, y_hat, 0) == r2
    assert metrics.adjusted_r2(y, y_hat, 3) < r2
    assert math.isnan(metrics.adjusted_r2(y, y_hat, 9))


@settings(max_examples=200, deadline=None)
@given(y=st.lists(st.integers(0, 1), min_size=2, max_size=60),
       data=st.data())
def test_fuzz_against_sklearn(y, data):
    y = np.array(y)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    scores = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
                                         min_size=len(y), max_size=len(y))))
    assert abs(metrics.roc_auc(y, scores) - skm.roc_auc_score(y, scores)) < TOL
    assert abs(metrics.average_precision(y, scores) - skm.average_precision_score(y, scores)) < TOL
    y_hat = (scores >= 0.5).astype(int)
    assert abs(metrics.f1(y, y_hat) - skm.f1_score(y, y_hat, zero_division=0)) < TOL
