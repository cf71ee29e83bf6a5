"""Performance metrics written from scratch in numpy (GBC §11.1), for Unit IV and later units.

Every function here equals its `sklearn.metrics` counterpart to 1e-12 on the same inputs
(tests/test_metrics.py), so the lessons can show the formula and trust the number.

Conventions (the same as scikit-learn):
- labels `y` and predictions `y_hat` are arrays of class labels; for the binary metrics the
  positive class is 1 and everything else is negative;
- a confusion matrix has one row per **true** class and one column per **predicted** class,
  so for two classes it reads [[TN, FP], [FN, TP]];
- a ratio whose denominator is 0 (e.g. precision when nothing is predicted positive) is 0;
- `scores` are real numbers where larger means "more positive"; a threshold t predicts
  positive when score >= t.
"""
import numpy as np

# ---------------------------------------------------------------- counts


def _labels(y):
    return np.asarray(y).ravel()


def confusion_matrix(y, y_hat, labels=None):
    """Counts C[i, j] of samples with true class labels[i] predicted as labels[j]."""
    y, y_hat = _labels(y), _labels(y_hat)
    if labels is None:
        labels = np.union1d(y, y_hat)
    labels = np.asarray(labels)
    index = {label: k for k, label in enumerate(labels.tolist())}
    C = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for true, pred in zip(y.tolist(), y_hat.tolist()):
        if true in index and pred in index:
            C[index[true], index[pred]] += 1
    return C


def binary_counts(y, y_hat):
    """(TN, FP, FN, TP) of predictions y_hat against labels y; the positive class is 1."""
    y, y_hat = _labels(y) == 1, _labels(y_hat) == 1
    tp = int(np.sum(y & y_hat))
    fp = int(np.sum(~y & y_hat))
    fn = int(np.sum(y & ~y_hat))
    tn = int(np.sum(~y & ~y_hat))
    return tn, fp, fn, tp


def _ratio(numerator, denominator):
    return numerator / denominator if denominator > 0 else 0.0


# ---------------------------------------------------------------- metrics from the counts
# Each takes the four counts, so a lesson can apply them to a matrix it was given
# (e.g. the notes' n = 165 example) as well as to predictions.


def accuracy_from_counts(tn, fp, fn, tp):
    """(TP + TN) / n."""
    return _ratio(tp + tn, tn + fp + fn + tp)


def precision_from_counts(tn, fp, fn, tp):
    """TP / (TP + FP): of the predicted positives, the fraction that are positive."""
    return _ratio(tp, tp + fp)


def recall_from_counts(tn, fp, fn, tp):
    """TP / (TP + FN), also sensitivity or true-positive rate (TPR)."""
    return _ratio(tp, tp + fn)


def specificity_from_counts(tn, fp, fn, tp):
    """TN / (TN + FP), the true-negative rate; 1 - specificity is the FPR."""
    return _ratio(tn, tn + fp)


def f1_from_counts(tn, fp, fn, tp):
    """Harmonic mean of precision and recall, 2PR / (P + R) = 2TP / (2TP + FP + FN)."""
    return _ratio(2 * tp, 2 * tp + fp + fn)


def all_from_counts(tn, fp, fn, tp):
    """A dict of accuracy, precision, recall, F1, specificity and FPR from the counts."""
    return {"accuracy": accuracy_from_counts(tn, fp, fn, tp),
            "precision": precision_from_counts(tn, fp, fn, tp),
            "recall": recall_from_counts(tn, fp, fn, tp),
            "f1": f1_from_counts(tn, fp, fn, tp),
            "specificity": specificity_from_counts(tn, fp, fn, tp),
            "fpr": _ratio(fp, fp + tn)}


# ---------------------------------------------------------------- metrics from predictions


def accuracy(y, y_hat):
    """Fraction of predictions equal to the label (any number of classes)."""
    y, y_hat = _labels(y), _labels(y_hat)
    return float(np.mean(y == y_hat)) if len(y) else 0.0


def precision(y, y_hat):
    return precision_from_counts(*binary_counts(y, y_hat))


def recall(y, y_hat):
    return recall_from_counts(*binary_counts(y, y_hat))


def specificity(y, y_hat):
    return specificity_from_counts(*binary_counts(y, y_hat))


def f1(y, y_hat):
    return f1_from_counts(*binary_counts(y, y_hat))


def macro_f1(y, y_hat):
    """Mean over the classes present in y or y_hat of each class's one-vs-rest F1."""
    C = confusion_matrix(y, y_hat)
    tp = np.diag(C)
    fp, fn = C.sum(axis=0) - tp, C.sum(axis=1) - tp
    per_class = [_ratio(2 * t, 2 * t + a + b) for t, a, b in zip(tp, fp, fn)]
    return float(np.mean(per_class))


# ---------------------------------------------------------------- curves over thresholds


def _counts_per_threshold(y, scores):
    """Distinct scores in decreasing order, with the TP and FP counts when each one is the
    threshold (score >= t predicts positive)."""
    y, scores = _labels(y) == 1, np.asarray(scores, dtype=float).ravel()
    order = np.argsort(-scores, kind="mergesort")
    y, scores = y[order], scores[order]
    last_of_each = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]  # ties end here
    tps = np.cumsum(y)[last_of_each]
    fps = (1 + last_of_each) - tps
    return scores[last_of_each], tps, fps


def roc_curve(y, scores):
    """(FPR, TPR, thresholds) for every distinct threshold, starting at (0, 0) with
    threshold +inf (nothing positive) and ending at (1, 1)."""
    thresholds, tps, fps = _counts_per_threshold(y, scores)
    tps, fps = np.r_[0, tps], np.r_[0, fps]
    fpr = fps / fps[-1] if fps[-1] > 0 else np.full(len(fps), np.nan)
    tpr = tps / tps[-1] if tps[-1] > 0 else np.full(len(tps), np.nan)
    return fpr, tpr, np.r_[np.inf, thresholds]


def auc(x, y):
    """Area under the curve through the points (x, y) by the trapezoidal rule (x monotone)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    area = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
    return -area if np.all(np.diff(x) <= 0) and area < 0 else area


def roc_auc(y, scores):
    """Area under the ROC curve: the probability that a random positive scores higher
    than a random negative (ties count one half). 0.5 is chance, 1 is perfect."""
    fpr, tpr, _ = roc_curve(y, scores)
    return auc(fpr, tpr)


def precision_recall_curve(y, scores):
    """(precision, recall, thresholds) with thresholds increasing, as in scikit-learn: the
    last point (precision 1, recall 0) has no threshold."""
    thresholds, tps, fps = _counts_per_threshold(y, scores)
    precision = tps / (tps + fps)
    recall = tps / tps[-1] if tps[-1] > 0 else np.ones(len(tps))
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def average_precision(y, scores):
    """AP = sum_n (R_n - R_{n-1}) P_n over the thresholds: the area under the PR curve
    as a step function (no optimistic interpolation)."""
    precision, recall, _ = precision_recall_curve(y, scores)
    return float(-np.sum(np.diff(recall) * precision[:-1]))


def metrics_at_threshold(y, scores, threshold):
    """Counts (TN, FP, FN, TP) and the dict of `all_from_counts` for score >= threshold."""
    y_hat = (np.asarray(scores) >= threshold).astype(int)
    counts = binary_counts(y, y_hat)
    return counts, all_from_counts(*counts)


# ---------------------------------------------------------------- regression


def mae(y, y_hat):
    """Mean absolute error (1/N) sum |y - y_hat|."""
    return float(np.mean(np.abs(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))))


def mse(y, y_hat):
    """Mean squared error (1/N) sum (y - y_hat)^2."""
    return float(np.mean((np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2))


def rmse(y, y_hat):
    return float(np.sqrt(mse(y, y_hat)))


def r2(y, y_hat):
    """R^2 = 1 - MSE(model) / MSE(predict the mean of y). 1 is perfect, 0 is the mean
    predictor, and anything worse than the mean is negative."""
    y = np.asarray(y, dtype=float)
    baseline = mse(y, np.full(len(y), y.mean()))
    if baseline == 0:
        return 1.0 if mse(y, y_hat) == 0 else 0.0
    return 1.0 - mse(y, y_hat) / baseline


def adjusted_r2(y, y_hat, k):
    """Adjusted R^2 = 1 - (1 - R^2)(n - 1)/(n - k - 1) for a model with k features;
    it rises only if a new feature improves R^2 more than chance would."""
    n = len(np.asarray(y))
    if n - k - 1 <= 0:
        return float("nan")
    return 1.0 - (1.0 - r2(y, y_hat)) * (n - 1) / (n - k - 1)
