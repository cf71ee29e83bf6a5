"""Threshold explorer and accuracy paradox (lesson IV.1).

The **model** (numbers only): out-of-fold logistic-regression scores on scikit-learn's
breast-cancer data (569 tumours, 30 features; positive = malignant), resampled to a chosen
share of positives (`prevalence`), and everything a threshold gives: the confusion matrix,
accuracy, precision, recall, F1, specificity, the point on the ROC and PR curves, and the
accuracy of the trivial "always negative" classifier. All metrics come from utils.metrics.

The **view** is `demo()`: a threshold slider and a positive-share slider; a toggle that
shows the notes' n = 165 confusion matrix instead; the matrix, ROC and PR panels.
"""
import html

import ipywidgets as widgets
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from utils import metrics
from utils.widgets import Demo, FigureView, message, new_figure, say

PREVALENCES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.373, 0.5, 0.7, 0.9)
NOTES_COUNTS = (50, 10, 5, 100)  # TN, FP, FN, TP of the notes' example (002:L2969)


def cancer_scores(seed=0):
    """Out-of-fold P(malignant) of a standardised logistic regression (5 folds): every
    tumour is scored by a model that never saw it. Returns (y (569,), scores (569,))."""
    data = load_breast_cancer()
    y = 1 - data.target  # scikit-learn codes malignant as 0; we make it the positive class 1
    net = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000))
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    scores = cross_val_predict(net, data.data, y, cv=folds, method="predict_proba")[:, 1]
    return y, scores


def resample(y, scores, prevalence, seed=0):
    """A subset with the given share of positives: all of the rarer side is kept and the
    other side is cut (in a fixed random order). Returns (y, scores) of the subset."""
    rng = np.random.default_rng(seed)
    pos, neg = rng.permutation(np.flatnonzero(y == 1)), rng.permutation(np.flatnonzero(y == 0))
    natural = len(pos) / len(y)
    if prevalence <= natural:
        n_pos = max(1, round(prevalence * len(neg) / (1 - prevalence)))
        keep = np.r_[pos[:n_pos], neg]
    else:
        n_neg = max(1, round(len(pos) * (1 - prevalence) / prevalence))
        keep = np.r_[pos, neg[:n_neg]]
    return y[keep], scores[keep]


class ThresholdModel:
    """Curves per prevalence (cached) and the numbers at one threshold."""

    def __init__(self, seed=0):
        self.y_all, self.scores_all = cancer_scores(seed)
        self.cache = {}

    def curves(self, prevalence):
        if prevalence not in self.cache:
            y, scores = resample(self.y_all, self.scores_all, prevalence)
            fpr, tpr, _ = metrics.roc_curve(y, scores)
            precision, recall, _ = metrics.precision_recall_curve(y, scores)
            self.cache[prevalence] = {
                "y": y, "scores": scores, "fpr": fpr, "tpr": tpr, "precision": precision,
                "recall": recall, "roc_auc": metrics.roc_auc(y, scores),
                "ap": metrics.average_precision(y, scores)}
        return self.cache[prevalence]

    def at(self, threshold, prevalence):
        """Counts, metrics and the always-negative accuracy at this threshold."""
        c = self.curves(prevalence)
        counts, m = metrics.metrics_at_threshold(c["y"], c["scores"], threshold)
        m["always_negative_accuracy"] = float(np.mean(c["y"] == 0))
        return counts, m


def _matrix_html(counts, m, title):
    tn, fp, fn, tp = counts
    cell = 'style="border:1px solid #999;padding:2px 10px;text-align:right"'
    rows = (f"<tr><td></td><th {cell}>predicted −</th><th {cell}>predicted +</th></tr>"
            f"<tr><th {cell}>actual −</th><td {cell}>TN {tn}</td><td {cell}>FP {fp}</td></tr>"
            f"<tr><th {cell}>actual +</th><td {cell}>FN {fn}</td><td {cell}>TP {tp}</td></tr>")
    table = f'<table style="border-collapse:collapse">{rows}</table>'
    numbers = (f"accuracy {m['accuracy']:.3f} &nbsp; precision {m['precision']:.3f} &nbsp; "
               f"recall (TPR) {m['recall']:.3f} &nbsp; F1 {m['f1']:.3f} &nbsp; "
               f"specificity {m['specificity']:.3f} &nbsp; FPR {m['fpr']:.3f}")
    return f"<b>{html.escape(title)}</b>{table}{numbers}"


def demo(threshold=0.5, prevalence=0.373):
    """Threshold explorer: threshold and share of positives -> matrix, metrics, ROC and PR."""
    model = ThresholdModel()
    threshold_slider = widgets.FloatSlider(value=threshold, min=0.0, max=1.0, step=0.01,
                                           description="threshold")
    prevalence_slider = widgets.SelectionSlider(
        options=PREVALENCES, value=prevalence if prevalence in PREVALENCES else 0.373,
        description="positive share")
    notes_toggle = widgets.ToggleButton(value=False, description="notes' n = 165 example")
    info, numbers = message(), widgets.HTML()

    fig = new_figure(9.0, 3.4, dpi=80)
    ax_roc, ax_pr = fig.subplots(1, 2)
    roc_line, = ax_roc.plot([], [], color="#0072B2", lw=2, animated=True)
    ax_roc.plot([0, 1], [0, 1], ":", color="#777777", label="chance (AUC 0.5)")
    roc_point, = ax_roc.plot([], [], "o", color="#D55E00", ms=9, animated=True)
    threshold_label = ax_roc.text(0.5, 0.15, "", ha="center", color="#D55E00",
                                  transform=ax_roc.transAxes, animated=True)
    pr_line, = ax_pr.plot([], [], color="#0072B2", lw=2, animated=True)
    pr_base, = ax_pr.plot([], [], ":", color="#777777", animated=True,
                        label="chance: precision = positive share")
    pr_point, = ax_pr.plot([], [], "o", color="#D55E00", ms=9, animated=True)
    roc_title = ax_roc.text(0.5, 0.05, "", ha="center", transform=ax_roc.transAxes, animated=True)
    pr_title = ax_pr.text(0.5, 0.15, "", ha="center", transform=ax_pr.transAxes, animated=True)
    ax_roc.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), xlabel="false-positive rate",
               ylabel="true-positive rate (recall)", title="ROC curve")
    ax_pr.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), xlabel="recall",
              ylabel="precision", title="precision–recall curve")
    ax_roc.legend(loc="center right", fontsize=8)
    ax_pr.legend(loc="lower left", fontsize=8)
    view = FigureView(fig)

    def update(_=None):
        p, t = prevalence_slider.value, threshold_slider.value
        c = model.curves(p)
        counts, m = model.at(t, p)
        roc_line.set_data(c["fpr"], c["tpr"])
        pr_line.set_data(c["recall"][::-1], c["precision"][::-1])
        pr_base.set_data([0, 1], [p, p])
        roc_point.set_data([m["fpr"]], [m["recall"]])
        pr_point.set_data([m["recall"]], [m["precision"]])
        roc_title.set_text(f"ROC AUC {c['roc_auc']:.3f}")
        threshold_label.set_text(f"● threshold {t:.2f}")
        pr_title.set_text(f"average precision {c['ap']:.3f}")
        n = sum(counts)
        if notes_toggle.value:
            notes = metrics.all_from_counts(*NOTES_COUNTS)
            numbers.value = _matrix_html(NOTES_COUNTS, notes, "The notes' example (n = 165), "
                                         "a fixed matrix without scores: no threshold to move")
        else:
            numbers.value = _matrix_html(counts, m, f"threshold {t:.2f}, {n} tumours, "
                                         f"{round(p * 100, 1)} % malignant")
        baseline = m["always_negative_accuracy"]
        if counts[1] + counts[3] == 0:
            say(info, "Nothing is predicted positive: precision is 0/0 (shown as 0) and recall "
                      f"is 0, yet accuracy is {m['accuracy']:.3f}.", "warn")
        elif m["accuracy"] <= baseline:
            say(info, f"Accuracy {m['accuracy']:.3f} is no better than always answering "
                      f"'benign' ({baseline:.3f}): the accuracy paradox.", "warn")
        else:
            say(info, f"Always answering 'benign' would score accuracy {baseline:.3f} "
                      "with recall 0.")
        view.redraw()

    for control in (threshold_slider, prevalence_slider, notes_toggle):
        control.observe(update, names="value")
    update()
    controls = {"threshold": threshold_slider, "prevalence": prevalence_slider,
                "notes_example": notes_toggle}
    layout = widgets.VBox([widgets.HBox([threshold_slider, prevalence_slider, notes_toggle]),
                           info, numbers, view.image])
    return Demo(layout, controls, view)
