# %% [markdown]
# # Performance metrics (syllabus IV.1)
#
# **What you will learn**
# - the confusion matrix and the metrics read from it: accuracy, precision, recall, F1,
#   specificity, worked through on the notes' example of 165 patients;
# - the **accuracy paradox**: why a useless classifier can have high accuracy when one class
#   is rare, and which metrics expose it;
# - how a **threshold** turns scores into decisions, and the ROC and precision–recall curves
#   that summarise every threshold at once, with their areas (AUC, average precision);
# - regression metrics (MAE, MSE, $R^2$, adjusted $R^2$), and why $R^2$ can be negative.
#
# This follows Goodfellow, Bengio & Courville (GBC) §11.1, *Performance metrics*: decide
# first which error metric the application needs, and what level of it is worth reaching.
# Every metric below is written from scratch (`utils/metrics.py`) and equals
# `sklearn.metrics` to $10^{-12}$ (its tests check this on thousands of random inputs).

# %%
# Colab only: installs the course from REPOSITORY (its git address). Elsewhere: does nothing.
REPOSITORY = ""  # @param {type:"string"}
try:
    import utils.training  # noqa: F401  (the course is installed: nothing to do)
except ImportError:
    import os, subprocess, sys
    if not REPOSITORY:
        raise SystemExit("Paste the course's git repository address into REPOSITORY, then run this cell again.")
    if not os.path.isdir("/content/ad3501"):
        subprocess.run(["git", "clone", "--depth", "1", REPOSITORY, "/content/ad3501"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", "/content/ad3501"], check=True)
    sys.path.insert(0, "/content/ad3501")
    os.chdir("/content/ad3501/units/unit4_model_evaluation")

# %%
import matplotlib.pyplot as plt
import numpy as np
import sklearn.metrics as skm
from sklearn.datasets import load_diabetes

from utils import metrics
from utils.checks import check, check_function, quiz
from utils.demos.thresholds import cancer_scores, demo, resample
from utils.plotting import set_style
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads(small=True)  # tiny models: one thread
set_seed(0)

# %% [markdown]
# ## 1. The confusion matrix
#
# A binary classifier's predictions $\hat y$ against the labels $y$ fall into four cells.
# We call class 1 *positive* (ill, malignant, fraud) and class 0 *negative*:
#
# | | predicted negative | predicted positive |
# |---|---|---|
# | **actually negative** | TN (true negative) | FP (false positive) |
# | **actually positive** | FN (false negative) | TP (true positive) |
#
# Rows are the truth, columns the prediction (the convention of scikit-learn). The metrics:
#
# $$\text{accuracy} = \frac{TP + TN}{n},\quad
#   \text{precision} = \frac{TP}{TP + FP},\quad
#   \text{recall} = \text{TPR} = \frac{TP}{TP + FN},$$
# $$\text{specificity} = \frac{TN}{TN + FP} = 1 - \text{FPR},\qquad
#   F_1 = \frac{2PR}{P + R} = \frac{2\,TP}{2\,TP + FP + FN}.$$
#
# Precision asks "when it says positive, how often is it right?"; recall asks "of the
# positives, how many did it find?". $F_1$ is their **harmonic** mean, which is small when
# either one is small.
#
# **The notes' example** (002:L2969–2974): 165 patients, 105 actually ill and 60 not; the
# model says "yes" 110 times and "no" 55 times, with TN = 50, FP = 10, FN = 5, TP = 100. We
# build label and prediction arrays with exactly these counts and compute everything:

# %%
tn, fp, fn, tp = 50, 10, 5, 100
y = np.r_[np.zeros(tn + fp, int), np.ones(fn + tp, int)]  # 60 healthy, then 105 ill
y_hat = np.r_[np.zeros(tn, int), np.ones(fp, int), np.zeros(fn, int), np.ones(tp, int)]
print("n =", len(y), "| actually ill:", y.sum(), "| predicted ill:", y_hat.sum())
print("confusion matrix [[TN, FP], [FN, TP]]:\n", metrics.confusion_matrix(y, y_hat))

# %% [markdown]
# The formulas, one line each, then the same numbers from `utils.metrics` and from
# scikit-learn:

# %%
accuracy = (tp + tn) / (tn + fp + fn + tp)
precision = tp / (tp + fp)
recall = tp / (tp + fn)
specificity = tn / (tn + fp)
f1 = 2 * precision * recall / (precision + recall)
ours = metrics.all_from_counts(tn, fp, fn, tp)
sklearn_values = {"accuracy": skm.accuracy_score(y, y_hat), "precision": skm.precision_score(y, y_hat),
                  "recall": skm.recall_score(y, y_hat), "f1": skm.f1_score(y, y_hat),
                  "specificity": skm.recall_score(1 - y, 1 - y_hat)}
print(f"{'metric':12}{'formula':>9}{'utils':>9}{'sklearn':>9}")
for name, value in [("accuracy", accuracy), ("precision", precision), ("recall", recall),
                    ("f1", f1), ("specificity", specificity)]:
    print(f"{name:12}{value:9.3f}{ours[name]:9.3f}{sklearn_values[name]:9.3f}")
print(f"{'FPR':12}{fp / (fp + tn):9.3f}{ours['fpr']:9.3f}")
print("all three agree to 1e-12:",
      all(abs(ours[k] - sklearn_values[k]) < 1e-12 for k in sklearn_values))

# %% [markdown]
# So accuracy 150/165, precision 100/110, recall 100/105, $F_1$, specificity 50/60 and
# FPR 10/60 are as printed above. The model finds almost every ill patient (recall) but
# raises a false alarm for one healthy patient in six (FPR).
#
# > **The notes say** (002:L2996) that F1 is "the harmonic mean of precision and recall"
# > and give no formula. **In fact** $F_1 = 2PR/(P+R)$, here the value printed above. The
# > harmonic mean punishes imbalance: a classifier with precision 1 and recall 0.02 has an
# > arithmetic mean of 0.51 but
#
# %%
p_, r_ = 1.0, 0.02
print(f"arithmetic mean {(p_ + r_) / 2:.2f}, F1 (harmonic) {2 * p_ * r_ / (p_ + r_):.3f}")

# %% [markdown]
# ## 2. The accuracy paradox
#
# The notes' own example (002:L2963): 100 patients, 5 of them ill. A "model" that always
# says *healthy*:

# %%
y_rare = np.r_[np.zeros(95, int), np.ones(5, int)]
always_healthy = np.zeros(100, int)
counts = metrics.binary_counts(y_rare, always_healthy)
m = metrics.all_from_counts(*counts)
print("counts (TN, FP, FN, TP):", counts)
print(f"accuracy {m['accuracy']:.2f}, recall {m['recall']:.2f}, precision {m['precision']:.2f} "
      f"(0/0, reported as 0), F1 {m['f1']:.2f}")

# %% [markdown]
# Accuracy 0.95 for a classifier that never finds an ill patient. Accuracy counts every
# sample equally, so when one class is rare it mostly measures the common class. The
# accuracy of the trivial majority-class predictor is the **floor** any model must beat,
# and it equals the share of the majority class; recall, precision and F1 look at the
# positive class and show the failure at once.
#
# > **The notes say** (002:L2959) that with 60 % apples and 40 % mangoes "the model …
# > will give a prediction with 97 % of accuracy". **In fact** the class ratio says nothing
# > about what a model will score. What it does fix is the baseline: always answering
# > "apple" scores 0.60, so a model's accuracy means something only above that:

# %%
fruit = np.r_[np.zeros(60, int), np.ones(40, int)]  # 0 = apple, 1 = mango
print("always 'apple' on a 60/40 data set: accuracy", metrics.accuracy(fruit, np.zeros(100, int)))

# %% [markdown]
# ## 3. Scores, thresholds, ROC and precision–recall curves
#
# Most classifiers output a **score** (a probability), and a decision needs a threshold
# $t$: predict positive when score $\ge t$. Each threshold gives a different confusion
# matrix. Two curves show all of them at once:
#
# - the **ROC curve** plots TPR (recall) against FPR as $t$ goes from $+\infty$ (nothing
#   positive, the point (0, 0)) to $-\infty$ (everything positive, (1, 1));
# - the **precision–recall (PR) curve** plots precision against recall (GBC §11.1).
#
# The area under the ROC curve, **AUC**, is the probability that a random positive gets a
# higher score than a random negative: 1 is a perfect ranking, **0.5 is chance** (random
# scores), and below 0.5 the ranking is worse than chance (flip it).
#
# A real data set that ships with scikit-learn: 569 breast tumours with 30 measurements
# each, 212 malignant (our positive class). A logistic regression scores every tumour
# **out of fold** (5-fold cross-validation: each tumour is scored by a model that never saw
# it), so the scores are honest test scores.

# %%
y_cancer, scores = cancer_scores()
print("tumours:", len(y_cancer), "| malignant:", y_cancer.sum(),
      f"| share of positives {y_cancer.mean():.3f}")
fpr, tpr, thresholds = metrics.roc_curve(y_cancer, scores)
precision_curve, recall_curve, _ = metrics.precision_recall_curve(y_cancer, scores)
auc = metrics.roc_auc(y_cancer, scores)
print(f"ROC AUC {auc:.4f} (sklearn {skm.roc_auc_score(y_cancer, scores):.4f}); "
      f"average precision {metrics.average_precision(y_cancer, scores):.4f} "
      f"(sklearn {skm.average_precision_score(y_cancer, scores):.4f})")
print("ROC AUC and average precision equal sklearn's to 1e-12:",
      abs(auc - skm.roc_auc_score(y_cancer, scores)) < 1e-12
      and abs(metrics.average_precision(y_cancer, scores) - skm.average_precision_score(y_cancer, scores)) < 1e-12)

# %% [markdown]
# The AUC really is the probability of a correct ranking: compare every malignant tumour's
# score with every benign one's (ties count one half).

# %%
pos, neg = scores[y_cancer == 1], scores[y_cancer == 0]
wins = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])  # (212, 357)
print(f"fraction of (malignant, benign) pairs ranked correctly: {wins.mean():.4f}")
print("equals the area under the ROC curve:", abs(wins.mean() - auc) < 1e-12)
random_scores = np.random.default_rng(0).random(len(y_cancer))
print(f"AUC of random scores: {metrics.roc_auc(y_cancer, random_scores):.2f}")

# %% [markdown]
# **Class imbalance moves the PR curve but not the ROC curve.** TPR and FPR are each
# computed within one class, so they do not depend on how many of each class there are;
# precision mixes the two classes. We resample the tumours so that only 5 % are malignant
# (keeping all benign ones) and compare:

# %%
y_5, scores_5 = resample(y_cancer, scores, 0.05)
fig, (ax_roc, ax_pr) = plt.subplots(1, 2, figsize=(11, 4))
for (yy, ss), label in [((y_cancer, scores), "37 % malignant"), ((y_5, scores_5), "5 % malignant")]:
    f_, t_, _ = metrics.roc_curve(yy, ss)
    p_c, r_c, _ = metrics.precision_recall_curve(yy, ss)
    ax_roc.plot(f_, t_, label=f"{label}: AUC {metrics.roc_auc(yy, ss):.3f}")
    ax_pr.plot(r_c, p_c, label=f"{label}: AP {metrics.average_precision(yy, ss):.3f}")
ax_roc.plot([0, 1], [0, 1], ":", color="grey", label="chance")
ax_roc.set(xlabel="false-positive rate", ylabel="true-positive rate", title="ROC")
ax_pr.set(xlabel="recall", ylabel="precision", title="precision–recall")
ax_roc.legend()
ax_pr.legend()
plt.show()
auc_37, auc_5 = metrics.roc_auc(y_cancer, scores), metrics.roc_auc(y_5, scores_5)
ap_37, ap_5 = metrics.average_precision(y_cancer, scores), metrics.average_precision(y_5, scores_5)
print(f"ROC AUC changes by {abs(auc_37 - auc_5):.3f}; average precision drops by {ap_37 - ap_5:.3f}")
print("ROC nearly unchanged (< 0.02) while AP drops by more than 0.03:",
      abs(auc_37 - auc_5) < 0.02 and ap_37 - ap_5 > 0.03)

# %% [markdown]
# When positives are rare and false alarms are costly (screening, fraud, anomaly
# detection in Unit V), the PR curve is the more informative of the two.
#
# **Coverage** (GBC §11.1). A system may also *refuse* to decide when it is unsure and pass
# the case to a human. Coverage is the fraction of cases it answers; accuracy is then
# measured on those. Answering only when the score is below 0.1 or above 0.9:

# %%
confident = (scores < 0.1) | (scores > 0.9)
coverage = confident.mean()
acc_confident = metrics.accuracy(y_cancer[confident], (scores[confident] > 0.5).astype(int))
acc_all = metrics.accuracy(y_cancer, (scores > 0.5).astype(int))
print(f"coverage {coverage:.3f}: accuracy on the answered cases {acc_confident:.3f} "
      f"(all cases at threshold 0.5: {acc_all:.3f})")
print("refusing the unsure cases raises accuracy:", acc_confident > acc_all)

# %% [markdown]
# ## 4. Demo: threshold explorer
#
# Move the **threshold** and watch the confusion matrix, the five metrics and the orange
# points on the ROC and PR curves. Then move the **positive share**: at 1–5 % malignant,
# find a threshold where accuracy looks excellent while recall is poor, and watch the PR
# curve sink while the ROC curve stays put. The toggle shows the notes' n = 165 matrix.

# %%
threshold_demo = demo()
threshold_demo

# %% [markdown]
# ## 5. Regression metrics
#
# For a real-valued target $y$ and prediction $\hat y$ over $N$ samples:
#
# $$\text{MAE} = \frac1N\sum_i |y_i - \hat y_i|, \qquad
#   \text{MSE} = \frac1N\sum_i (y_i - \hat y_i)^2, \qquad
#   R^2 = 1 - \frac{\text{MSE(model)}}{\text{MSE(predict } \bar y)},$$
# $$R^2_a = 1 - (1 - R^2)\,\frac{n - 1}{n - k - 1} \quad (k \text{ features}).$$
#
# **MSE versus MAE.** Squaring makes an error of 10 count 100 times, and an error of 0.1
# count 0.01 times:

# %%
errors = np.array([0.1, 0.5, 1.0, 2.0, 10.0])
print(f"{'error':>6}{'|e| (MAE)':>11}{'e² (MSE)':>10}")
for e in errors:
    print(f"{e:6.1f}{abs(e):11.2f}{e ** 2:10.2f}")
y_true = np.zeros(10)
one_outlier = np.r_[np.full(9, 1.0), 10.0]  # nine errors of 1 and one of 10
print(f"nine errors of 1 and one of 10: MAE {metrics.mae(y_true, one_outlier):.2f}, "
      f"MSE {metrics.mse(y_true, one_outlier):.2f} (the outlier gives "
      f"{100 / metrics.mse(y_true, one_outlier) / 10:.0%} of the MSE)")
y_reg = np.linspace(0, 3, 10) ** 2  # any targets (N,)
y_hat_reg = y_reg + one_outlier - 2  # and any predictions (N,)
print("MAE, MSE, R² equal sklearn's to 1e-12:",
      abs(metrics.mae(y_reg, y_hat_reg) - skm.mean_absolute_error(y_reg, y_hat_reg)) < 1e-12
      and abs(metrics.mse(y_reg, y_hat_reg) - skm.mean_squared_error(y_reg, y_hat_reg)) < 1e-12
      and abs(metrics.r2(y_reg, y_hat_reg) - skm.r2_score(y_reg, y_hat_reg)) < 1e-12)

# %% [markdown]
# > **The notes say** (002:L3041) that MSE "penalizes small errors also, and hence it leads
# > to over-estimation of how bad the model is". **In fact** squaring **shrinks** errors
# > below 1 and **amplifies large** ones, as the table shows: MSE is dominated by the
# > largest errors (outliers), MAE treats all errors alike. Neither over- or
# > under-estimates; they answer different questions, and the choice depends on what a
# > large error costs.
# >
# > **The notes say** (002:L3018) that a regression model "predicts a numeric or discrete
# > value". **In fact** regression predicts a **continuous** numeric value; predicting one
# > of a discrete set of values is classification.
#
# **$R^2$, noise features and adjusted $R^2$.** The diabetes data set (442 patients, 10
# features, a disease-progression score; it ships with scikit-learn) is split in half. We
# fit least squares with the 10 real features plus $k$ columns of pure noise, and measure
# $R^2$ and adjusted $R^2$ on the training half and $R^2$ on the held-out half. One draw of
# noise is one experiment; we repeat it with 20 draws and report the mean (± standard
# deviation) of each.

# %%
X_diab, y_diab = load_diabetes(return_X_y=True)
rng = np.random.default_rng(0)
order = rng.permutation(len(y_diab))
train, test = order[:221], order[221:]


def fit_and_score(noise, k):
    """Least squares on the 10 features + the first k noise columns:
    (train R², train adjusted R², test R²)."""
    X = np.column_stack([np.ones(len(y_diab)), X_diab, noise[:, :k]])  # (442, 11 + k)
    w, *_ = np.linalg.lstsq(X[train], y_diab[train], rcond=None)
    return (metrics.r2(y_diab[train], X[train] @ w),
            metrics.adjusted_r2(y_diab[train], X[train] @ w, 10 + k),
            metrics.r2(y_diab[test], X[test] @ w))


ks = [0, 10, 25, 50, 100, 150, 180, 200]
draws = [rng.standard_normal((len(y_diab), 200)) for _ in range(20)]  # 20 x (442, 200) noise
results = np.array([[fit_and_score(noise, k) for k in ks] for noise in draws])  # (20, 8, 3)
mean, std = results.mean(axis=0), results.std(axis=0)  # (8, 3)
print(f"{'noise k':>8}{'train R²':>15}{'adjusted R²':>15}{'test R²':>16}")
for k, m_row, s_row in zip(ks, mean, std):
    print(f"{k:8d}" + "".join(f"{m_:9.3f} ±{s_:5.2f}" for m_, s_ in zip(m_row, s_row)))

# %%
print("train R² rises by more than 0.3 from k = 0 to k = 200:", mean[-1, 0] - mean[0, 0] > 0.3)
print("mean adjusted R² stays within 0.05 of its k = 0 value:",
      bool(np.all(np.abs(mean[:, 1] - mean[0, 1]) < 0.05)))
print("test R² below zero (worse than predicting the mean) for k >= 150:", bool(np.all(mean[5:, 2] < 0)))

# %% [markdown]
# Training $R^2$ climbs with every useless column (least squares can always use one more
# column to fit the noise in the training targets). Adjusted $R^2$ charges exactly for
# that: on average it stays where it was, so it says "no real improvement" (in a single
# draw it wobbles, more as $n-k-1$ gets small, hence the growing ±). The held-out $R^2$
# tells the truth: with 200 noise features for 221 patients the fit is almost
# interpolation, and on new patients it is far worse than always predicting the mean.
#
# > **The notes say** (002:L3049) that $R^2$ "will always be less than or equal to 1".
# > **In fact** that is true, but $R^2$ has no lower bound: it is **negative** whenever the
# > model is worse than the constant mean, as the last row shows. The notes also say
# > adjusted $R^2$ "will always show a lower value than $R^2$"; it is $\le R^2$ (equal for
# > $k = 0$) and can be negative too.
#
# ## 6. Exercises
#
# **Exercise 1.** Write `f1_from_counts(tn, fp, fn, tp)` without computing precision and
# recall first (use the right-hand formula of §1). Return 0 when the denominator is 0.

# %%
def f1_from_counts(tn, fp, fn, tp):
    ...  # your code


f1_inputs = [(50, 10, 5, 100), (95, 0, 5, 0), (1, 2, 3, 4), (0, 0, 0, 7)]
check_function(f1_from_counts, metrics.f1_from_counts, f1_inputs,
               hint="2 * tp / (2 * tp + fp + fn), and 0 if that denominator is 0")

# %% tags=["solution"] jupyter={"source_hidden": true}
def f1_from_counts(tn, fp, fn, tp):
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 0.0


check_function(f1_from_counts, metrics.f1_from_counts, f1_inputs)

# %% [markdown]
# **Exercise 2.** A screening test on 1,000 people, 20 of them ill: it flags 50 people, of
# whom 18 are ill. Give `[accuracy, precision, recall, specificity]`.

# %%
screening = ...  # your answer, a list of four numbers
check(screening, [966 / 1000, 18 / 50, 18 / 20, 948 / 980], rtol=1e-3,
      hint="TP = 18, FP = 32, FN = 2, TN = 1000 - 18 - 32 - 2")

# %% tags=["solution"] jupyter={"source_hidden": true}
tp_s, fp_s, fn_s = 18, 50 - 18, 20 - 18
tn_s = 1000 - tp_s - fp_s - fn_s
screening = [(tp_s + tn_s) / 1000, tp_s / (tp_s + fp_s), tp_s / (tp_s + fn_s), tn_s / (tn_s + fp_s)]
check(screening, [966 / 1000, 18 / 50, 18 / 20, 948 / 980], rtol=1e-3)

# %% [markdown]
# **Exercise 3.** Write `r2(y, y_hat)` from its definition ($1 - $ MSE of the model over the
# MSE of the mean predictor). The check includes a model worse than the mean.

# %%
def r2(y, y_hat):
    ...  # your code


r2_inputs = [(np.array([1.0, 2, 3, 4]), np.array([1.1, 1.9, 3.2, 3.9])),
             (np.array([1.0, 2, 3, 4]), np.array([4.0, 3, 2, 1]))]
check_function(r2, skm.r2_score, r2_inputs, hint="1 - np.mean((y - y_hat)**2) / np.mean((y - y.mean())**2)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def r2(y, y_hat):
    return 1 - np.mean((y - y_hat) ** 2) / np.mean((y - y.mean()) ** 2)


check_function(r2, skm.r2_score, r2_inputs)

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("On a data set with 99 % negatives, a classifier that always predicts 'negative' has…",
     ["accuracy 0.99 and recall 0.99", "accuracy 0.99 and recall 0", "accuracy 0.5 and recall 0",
      "accuracy 0.01 and recall 1"],
     answer=1, explanation="It is right on every negative (99 %) and finds no positive: recall "
     "TP/(TP+FN) = 0. This is the accuracy paradox.")

# %%
quiz("What does ROC AUC = 0.5 mean?",
     ["the classifier is right half of the time", "its scores rank positives above negatives "
      "no better than chance", "half of the samples are positive", "the threshold is 0.5"],
     answer=1, explanation="AUC is the probability that a random positive outscores a random "
     "negative; random scores give 0.5 whatever the class balance.")

# %%
quiz("A regression model has R² = −0.3 on the test set. This means…",
     ["a bug: R² cannot be negative", "it explains 30 % of the variance",
      "its MSE is 1.3 times that of always predicting the mean", "it is 30 % better than the mean"],
     answer=2, explanation="R² = 1 − MSE/MSE_mean, so MSE = 1.3 · MSE_mean: worse than the "
     "constant baseline.")

# %% [markdown]
# <details><summary><b>When is accuracy misleading?</b></summary>
# When the classes are imbalanced or errors have different costs. With 95 healthy and 5 ill
# patients, "always healthy" scores accuracy 0.95 and recall 0. Report the confusion
# matrix, precision, recall, F1 (or the PR curve), and compare with the majority-class
# baseline.
# </details>
#
# <details><summary><b>From the notes' n = 165 matrix (TN 50, FP 10, FN 5, TP 100) compute precision, recall and F1.</b></summary>
# Precision = 100/110 = 0.909; recall = 100/105 = 0.952; F1 = 2PR/(P+R) = 200/215 = 0.930
# (computed in §1). Accuracy is 150/165 = 0.909 and specificity 50/60 = 0.833.
# </details>
#
# <details><summary><b>Define TPR and FPR. What is AUC?</b></summary>
# TPR = TP/(TP+FN) (recall, sensitivity); FPR = FP/(FP+TN) = 1 − specificity. The ROC curve
# plots TPR against FPR over all thresholds; AUC is the area under it, equal to the
# probability that a random positive scores above a random negative: 1 is perfect, 0.5 is
# chance.
# </details>
#
# <details><summary><b>Write R² and adjusted R². Why adjust?</b></summary>
# R² = 1 − MSE(model)/MSE(mean predictor); R²ₐ = 1 − (1 − R²)(n − 1)/(n − k − 1). Training R²
# never falls when a feature is added, even pure noise (§5); the adjustment charges for the k
# features, so R²ₐ rises only if a feature helps more than chance would (on average it stays
# flat for noise features, as in §5).
# </details>
#
# ## Summary
# - The confusion matrix (rows truth, columns prediction) gives accuracy, precision, recall,
#   specificity and $F_1 = 2PR/(P+R)$; the notes' example gives the values printed in §1.
# - With a rare class, accuracy mostly measures the common class: compare with the
#   majority baseline and look at recall, precision and F1.
# - A threshold turns scores into decisions; ROC (TPR vs FPR) and PR (precision vs recall)
#   curves show every threshold. ROC AUC is the probability of a correct ranking (0.5 =
#   chance) and ignores the class ratio; the PR curve does not.
# - MSE amplifies large errors, MAE does not; $R^2$ compares with the mean predictor and
#   is negative when the model is worse; adjusted $R^2$ charges for features.
#
# **Next:** lesson 02 builds baselines, the floor every model must beat, and tunes a
# network by hand.
