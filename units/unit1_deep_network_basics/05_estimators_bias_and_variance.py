# %% [markdown]
# # Estimators, bias and variance (I.9, I.10)
#
# Training a model is estimating something from a finite sample. Statistics has precise
# words for how good an estimate is: its **bias**, its **variance** and their sum, the
# **mean squared error**. The same words explain why high-capacity models overfit.
#
# **What you will learn**
# - what a point estimator is, and how to measure its bias, variance, standard error and
#   mean squared error by simulation and check them against closed forms;
# - why $\mathrm{MSE} = \mathrm{Bias}^2 + \mathrm{Var}$, and why an unbiased estimator is
#   not automatically the best one;
# - what consistency means, with an unbiased estimator that is not consistent and a
#   biased one that is;
# - the German tank problem: three estimators of the number of tanks compared by
#   simulation, and the minimum-variance unbiased one;
# - the bias–variance decomposition of the test error of a learned function, measured on
#   polynomial fits and checked to add up.

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
    os.chdir("/content/ad3501/units/unit1_deep_network_basics")

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from utils.checks import check, check_function, quiz
from utils.demos import estimators
from utils.demos.capacity import true_function
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)
rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. Point estimators (I.9)
#
# Let $\{\boldsymbol x^{(1)}, \dots, \boldsymbol x^{(m)}\}$ be $m$ independent and
# identically distributed (i.i.d.) data points. A **point estimator** (or statistic) is any
# function of the data,
#
# $$\hat{\boldsymbol\theta}_m = g(\boldsymbol x^{(1)}, \dots, \boldsymbol x^{(m)}).$$
#
# The true parameter $\boldsymbol\theta$ is fixed but unknown; the data are random, so
# $\hat{\boldsymbol\theta}_m$ is a **random variable**: another sample gives another
# estimate. A *good* estimator is one whose output is usually close to $\boldsymbol\theta$.
#
# **Function estimation** is the same idea in function space: with $y = f(\boldsymbol x) +
# \varepsilon$, a learned model $\hat f$ is a point estimator of $f$. The polynomial
# weights of lesson 04 were estimates of this kind.
#
# Example: the probability $\theta$ that a biased coin shows heads, estimated by the
# fraction of heads in $m = 10$ tosses. Five different samples give five estimates:

# %%
theta, m = 0.3, 10
for sample in range(5):
    x = rng.binomial(1, theta, size=m)  # (10,) tosses: 1 = heads
    print(f"sample {sample + 1}: {x.tolist()} -> theta_hat = {x.mean():.1f}")

# %% [markdown]
# ### Bias
#
# $$\mathrm{bias}(\hat\theta_m) = \mathbb E[\hat\theta_m] - \theta ,$$
#
# the expectation being over the data. The estimator is **unbiased** if the bias is 0,
# and **asymptotically unbiased** if the bias tends to 0 as $m \to \infty$. Unbiased does
# *not* mean exact: an unbiased estimate is wrong almost every time, just not
# systematically in one direction.
#
# We approximate expectations by repeating the experiment $R$ times (Monte Carlo). The
# Monte Carlo average has its own error, about $\mathrm{std}/\sqrt R$, so "bias = 0" means
# "within a few of those".

# %%
R = 100_000
theta_hat = rng.binomial(1, theta, size=(R, m)).mean(axis=1)  # (R,) one estimate per sample
bias = theta_hat.mean() - theta
mc_error = theta_hat.std() / math.sqrt(R)
print(f"sample mean of m = {m} tosses: bias {bias:+.5f}, Monte Carlo error {mc_error:.5f}")
print("|bias| < 3 Monte Carlo errors (unbiased):", abs(bias) < 3 * mc_error)

# %% [markdown]
# **Variance of a Gaussian.** The maximum-likelihood estimator
# $\hat\sigma_m^2 = \frac1m \sum_i (x^{(i)} - \hat\mu_m)^2$ is biased:
# $\mathbb E[\hat\sigma_m^2] = \frac{m-1}{m}\sigma^2$, because $\hat\mu_m$ is fitted to the
# same points and sits closer to them than the true $\mu$ does. Dividing by $m - 1$ instead
# gives the unbiased sample variance $\tilde\sigma_m^2 = \frac{1}{m-1}\sum_i (x^{(i)} -
# \hat\mu_m)^2$ (GBC §5.4.2).

# %%
sigma2 = 4.0  # true variance (sigma = 2)
ms = np.arange(2, 21)
mean_biased, mean_unbiased = [], []
for m_i in ms:
    X = rng.normal(0.0, math.sqrt(sigma2), size=(20_000, m_i))  # (R, m) 20,000 samples of size m
    mean_biased.append(estimators.variance_biased(X).mean())
    mean_unbiased.append(estimators.variance_unbiased(X).mean())
i5 = list(ms).index(5)
print(f"m = 5: average of the 1/m estimator {mean_biased[i5]:.3f} "
      f"(theory (m-1)/m sigma^2 = {4 / 5 * sigma2:.3f}); "
      f"of the 1/(m-1) estimator {mean_unbiased[i5]:.3f} (sigma^2 = {sigma2:.3f})")

# %%
fig, ax = plt.subplots(figsize=(7, 3.4))
ax.plot(ms, mean_biased, "o", label="1/m estimator (simulated)")
ax.plot(ms, (ms - 1) / ms * sigma2, "-", color="#0072B2", label="theory (m−1)/m · σ²")
ax.plot(ms, mean_unbiased, "s", label="1/(m−1) estimator (simulated)")
ax.axhline(sigma2, color="black", ls=":", label="σ²")
ax.set(xlabel="sample size m", ylabel="average estimate of σ²")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# The $1/m$ estimator is biased but **asymptotically unbiased**: its bias
# $-\sigma^2/m$ vanishes as $m$ grows.
#
# ### Variance and standard error
#
# The **variance** $\mathrm{Var}(\hat\theta_m)$ says how much the estimate changes from
# sample to sample; its square root is the **standard error** $\mathrm{SE}(\hat\theta_m)$.
# For the sample mean of i.i.d. data with variance $\sigma^2$,
#
# $$\mathrm{Var}(\hat\mu_m) = \mathrm{Var}\Big(\frac1m\sum_{i=1}^m x^{(i)}\Big)
#   = \frac{1}{m^2}\, m\,\sigma^2 = \frac{\sigma^2}{m},
#   \qquad \mathrm{SE}(\hat\mu_m) = \frac{\sigma}{\sqrt m}.$$
#
# Four times the data halves the standard error.

# %%
sigma = 2.0
print("    m | std of mu_hat over 20,000 samples | sigma / sqrt(m)")
for m_i in [4, 16, 64, 256]:
    mu_hat = rng.normal(1.0, sigma, size=(20_000, m_i)).mean(axis=1)  # (20000,)
    print(f"{m_i:5d} | {mu_hat.std():33.4f} | {sigma / math.sqrt(m_i):.4f}")

# %% [markdown]
# In practice $\sigma$ is unknown and estimated from the same sample. The interval
# $\hat\mu_m \pm 1.96\,\mathrm{SE}$ then contains the true mean in about 95 % of samples;
# GBC §5.4.3 uses exactly this to say whether one algorithm's test error is really lower
# than another's.

# %%
m_ci = 64
X = rng.normal(1.0, sigma, size=(20_000, m_ci))  # (20000, 64)
mu_hat = X.mean(axis=1)
se_hat = np.sqrt(estimators.variance_unbiased(X)) / math.sqrt(m_ci)  # estimated SE
covered = np.abs(mu_hat - 1.0) <= 1.96 * se_hat
print(f"fraction of 95 % intervals that contain the true mean: {covered.mean():.3f}")
print("within 0.93-0.96:", 0.93 <= covered.mean() <= 0.96)

# %% [markdown]
# ### Mean squared error = bias² + variance
#
# The mean squared error of an estimator combines both:
#
# $$\mathrm{MSE} = \mathbb E\big[(\hat\theta_m - \theta)^2\big]
#   = \mathbb E\big[(\hat\theta_m - \mathbb E\hat\theta_m + \mathbb E\hat\theta_m - \theta)^2\big]
#   = \underbrace{(\mathbb E\hat\theta_m - \theta)^2}_{\mathrm{Bias}^2}
#   + \underbrace{\mathbb E\big[(\hat\theta_m - \mathbb E\hat\theta_m)^2\big]}_{\mathrm{Var}},$$
#
# because the cross term $2(\mathbb E\hat\theta_m - \theta)\,\mathbb E[\hat\theta_m -
# \mathbb E\hat\theta_m]$ is zero. So a little bias can be worth it if it buys a large
# drop in variance. A **shrinkage** estimator does exactly that: it pulls the estimate
# towards a target (here 0), $\hat\theta_c = c\,\hat\mu_m$ with $0 \le c \le 1$:
#
# $$\mathrm{Bias} = (c - 1)\mu, \qquad \mathrm{Var} = c^2 \sigma^2 / m, \qquad
#   c^\ast = \frac{\mu^2}{\mu^2 + \sigma^2/m}\ \text{minimises the MSE}.$$

# %%
mu, sigma, m = 1.0, 2.0, 10
mu_hat = rng.normal(mu, sigma, size=(50_000, m)).mean(axis=1)  # (50000,)
cs = np.linspace(0, 1.2, 25)
sim = np.array([estimators.bias_variance_mse(c * mu_hat, mu) for c in cs])  # (25, 3)
bias_c, var_c, mse_c = sim[:, 0], sim[:, 1], sim[:, 2]
c_star = mu ** 2 / (mu ** 2 + sigma ** 2 / m)
print("simulated MSE equals bias^2 + var for every c:", np.allclose(mse_c, bias_c ** 2 + var_c))
print("simulated MSE matches the closed form (within 3 %):",
      np.allclose(mse_c, ((cs - 1) * mu) ** 2 + cs ** 2 * sigma ** 2 / m, rtol=0.03))
mse_at = lambda c: ((c - 1) * mu) ** 2 + c ** 2 * sigma ** 2 / m
print(f"c* = {c_star:.3f}: MSE {mse_at(c_star):.3f}  vs  unbiased c = 1: MSE {mse_at(1.0):.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.4))
ax.plot(cs, bias_c ** 2, label="bias²")
ax.plot(cs, var_c, label="variance")
ax.plot(cs, mse_c, lw=2.5, label="MSE (simulated)")
ax.axvline(c_star, color="grey", ls=":", label="c* (closed form)")
ax.axvline(1.0, color="black", lw=1, label="c = 1: unbiased")
ax.set(xlabel="shrinkage factor c", ylabel="squared error")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# The same happens with the two variance estimators: for Gaussian data the biased $1/m$
# estimator has the *smaller* MSE, $\frac{2m-1}{m^2}\sigma^4$ against $\frac{2}{m-1}\sigma^4$.

# %%
m, sigma2 = 5, 4.0
X = rng.normal(0.0, math.sqrt(sigma2), size=(200_000, m))  # (200000, 5)
for name, values, theory in [
        ("1/m    ", estimators.variance_biased(X), (2 * m - 1) / m ** 2 * sigma2 ** 2),
        ("1/(m-1)", estimators.variance_unbiased(X), 2 / (m - 1) * sigma2 ** 2)]:
    b, v, e = estimators.bias_variance_mse(values, sigma2)
    print(f"{name}: bias {b:+.3f}, variance {v:.3f}, MSE {e:.3f} (closed form {theory:.3f})")

# %% [markdown]
# ### Consistency
#
# An estimator is **consistent** if it converges in probability to the truth:
# $\operatorname{plim}_{m\to\infty}\hat\theta_m = \theta$, i.e. for every $\epsilon > 0$,
# $P(|\hat\theta_m - \theta| > \epsilon) \to 0$ as $m \to \infty$. If both the bias and
# the variance go to 0, the MSE goes to 0 and the estimator is consistent.
#
# Consistency and unbiasedness are different properties. For Gaussian data with
# $\mu = 0$, $\sigma = 1$ we compare three estimators:
# - the sample mean $\hat\mu_m$: unbiased and consistent;
# - the first point alone, $\hat\mu = x^{(1)}$: unbiased for every $m$, but it ignores the
#   other $m - 1$ points and never improves, so it is **not** consistent;
# - the $1/m$ variance estimator: **biased**, yet consistent.

# %%
m_values = [1, 3, 10, 30, 100, 300, 1000]
eps = 0.1
p_mean, p_first, p_var = [], [], []
for m_i in m_values:
    X = rng.normal(0.0, 1.0, size=(2000, m_i))  # (2000, m)
    p_mean.append(np.mean(np.abs(X.mean(axis=1)) > eps))
    p_first.append(np.mean(np.abs(X[:, 0]) > eps))
    p_var.append(np.mean(np.abs(estimators.variance_biased(X) - 1.0) > eps))
print(f"P(|error| > {eps}) at m = 1000: sample mean {p_mean[-1]:.3f}, "
      f"first point {p_first[-1]:.3f}, 1/m variance {p_var[-1]:.3f}")
print("the first-point estimator does not improve with m:", abs(p_first[-1] - p_first[1]) < 0.05)

# %%
fig, ax = plt.subplots(figsize=(7, 3.4))
ax.semilogx(m_values, p_mean, "o-", label="sample mean (unbiased, consistent)")
ax.semilogx(m_values, p_first, "s-", label="first point only (unbiased, NOT consistent)")
ax.semilogx(m_values, p_var, "^-", label="1/m variance (biased, consistent)")
ax.set(xlabel="sample size m", ylabel=f"P(|θ̂ − θ| > {eps})", ylim=(-0.03, 1.03))
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# ### Efficiency and the German tank problem
#
# In the Second World War the Allies estimated German tank production from the serial
# numbers on captured tanks. Model: the tanks are numbered $1, \dots, N$; we capture $k$
# of them, a random subset without replacement, with largest serial $m$ and mean
# $\bar x$. Three estimators of $N$:
#
# | estimator | formula | idea |
# |---|---|---|
# | maximum | $\hat N = m$ | never above $N$, so biased low |
# | twice the mean | $\hat N = 2\bar x - 1$ | $\mathbb E[\bar x] = (N+1)/2$, so unbiased |
# | MVUE | $\hat N = m + m/k - 1$ | the maximum plus the average gap between serials, unbiased |
#
# Why the third: $\mathbb E[m] = \frac{k(N+1)}{k+1}$, so $\frac{k+1}{k}m - 1 = m + \frac mk
# - 1$ has expectation exactly $N$. It uses only $m$, and $m$ is a **sufficient
# statistic** for $N$: once you know $m$ (and $k$), the rest of the sample carries no
# more information about $N$. An unbiased estimator built from a (complete) sufficient
# statistic has the smallest variance of all unbiased estimators (Lehmann–Scheffé): it is
# the **minimum-variance unbiased estimator (MVUE)**, the most **efficient** one.
# `estimators.tank_theory` has the exact variances; the simulation checks them.

# %%
N, k = 300, 5
serials = estimators.sample_serials(N, k, 1, np.random.default_rng(1))[0]  # (5,)
one = estimators.tank_estimates(serials[None, :])  # (1, 5) -> one estimate each
print("captured serials:", sorted(serials.tolist()))
print({name: round(float(value[0]), 1) for name, value in one.items()})

# %%
R = 10_000
estimates = estimators.simulate_tank(N, k, repeats=R, seed=0)
theory = estimators.tank_theory(N, k)
print(f"N = {N}, k = {k}, {R:,} repeats")
print("estimator   |   bias (exact)  |  variance (exact)  |  MSE (exact)")
for name in estimators.TANK_ESTIMATORS:
    b, v, e = estimators.bias_variance_mse(estimates[name], N)
    tb, tv, te = theory[name]
    print(f"{name:11s} | {b:6.1f} ({tb:6.1f}) | {v:7.0f} ({tv:7.0f}) | {e:6.0f} ({te:6.0f})")
mc_se = math.sqrt(theory["mvue"][1] / R)
print("MVUE unbiased within 3 Monte Carlo errors:",
      abs(estimates["mvue"].mean() - N) < 3 * mc_se)
print(f"efficiency of 2*mean-1 relative to the MVUE: {theory['mvue'][1] / theory['twice_mean'][1]:.2f}")

# %%
bins = np.arange(0, 2 * N + 20, 10)
fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
for name in estimators.TANK_ESTIMATORS:
    axes[0].hist(estimates[name], bins=bins, histtype="step", lw=1.8,
                 color=estimators.COLORS[name], label=estimators.LABELS[name])
axes[0].axvline(N, color="black", lw=1)
axes[0].set(xlabel="estimate of N", ylabel="count", title=f"N = {N}, k = {k}")
axes[0].legend(fontsize=9)
ks = np.arange(1, 31)
for name in estimators.TANK_ESTIMATORS:
    axes[1].loglog(ks, [math.sqrt(estimators.tank_theory(N, kk)[name][2]) for kk in ks],
                   color=estimators.COLORS[name], label=estimators.LABELS[name])
axes[1].set(xlabel="tanks captured k", ylabel="root MSE (exact)")
axes[1].legend(fontsize=9)
plt.show()

# %% [markdown]
# The maximum is the most concentrated but sits below $N$; $2\bar x - 1$ is centred on
# $N$ but spreads widely; the MVUE is centred and narrow. Its root MSE falls roughly like
# $1/k$, that of $2\bar x - 1$ only like $1/\sqrt k$.
#
# ## Demo: the German tank simulator
#
# Choose the number of captured tanks $k$ and the true $N$. The left panel shows the
# distribution of each estimate over 10,000 simulated captures (divided by $N$, so the
# truth is at 1); the right panel shows the exact MSE of each estimator against $k$, with
# the simulated values at the current $k$ as dots. The table below the figure gives the
# simulated bias, standard deviation and root MSE.

# %%
demo = estimators.demo(k=5, N=300)
demo

# %% [markdown]
# **Try this**
# 1. Set $k = 1$. Why do the orange and red curves coincide? (Look at the formulas.)
# 2. Move $k$ from 1 to 30. Which estimator's root MSE falls fastest?
# 3. Is there any $k$ for which the maximum has a smaller MSE than $2\bar x - 1$? Than
#    the MVUE?
# 4. Set $N = 5$ and $k = 5$: what happens to all three, and why?
# 5. Change the seed: which numbers in the table move, and by about how much? (That is the
#    Monte Carlo error of the simulation itself.)
#
# ## 2. Bias and variance of a learned function (I.10)
#
# Now the estimator is a whole function: $\hat f_D$ is learned from a training set $D$ of
# $m$ points, $y = f(x) + \varepsilon$ with $\mathrm{Var}(\varepsilon) = \sigma^2$. Over
# random training sets, at a fixed input $x$:
#
# - $\mathrm{Bias}(x) = \mathbb E_D[\hat f_D(x)] - f(x)$: how far the *average* fit is
#   from the truth;
# - $\mathrm{Var}(x) = \mathbb E_D\big[(\hat f_D(x) - \mathbb E_D[\hat f_D(x)])^2\big]$: how
#   much the fit moves from one training set to the next.
#
# For a new test point $y = f(x) + \varepsilon$, independent of $D$, the expected squared
# error splits into three parts (the same algebra as above; every cross term has
# expectation 0):
#
# $$\mathbb E_{D,\varepsilon}\big[(y - \hat f_D(x))^2\big]
#   = \mathrm{Bias}(x)^2 + \mathrm{Var}(x) + \sigma^2 .$$
#
# Bias and variance are *reducible*; $\sigma^2$, the Bayes error, is not. We measure each
# term by fitting polynomials to 200 independent training sets of $m = 50$ points from
# $\sin(2\pi x) + \varepsilon$, $\sigma = 0.3$.

# %%
grid = np.linspace(0, 1, 200)
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), sharey=True)
for ax, degree in zip(axes, [1, 3, 12]):
    fits = estimators.fits_over_training_sets(degree, n_train=50, n_sets=200, noise=0.3,
                                              x_eval=grid, seed=0)  # (200, 200)
    ax.plot(grid, fits[:25].T, color="#E69F00", lw=0.7, alpha=0.6)
    ax.plot(grid, fits.mean(axis=0), color="#D55E00", lw=2.5, label="average fit E[f̂(x)]")
    ax.plot(grid, true_function(grid), color="#009E73", lw=2, ls="--", label="true f(x)")
    ax.set(title=f"degree {degree}: 25 of 200 fits", xlabel="x", ylim=(-2, 2))
axes[0].set_ylabel("y")
axes[0].legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# Degree 1: the fits agree with each other (low variance) but their average is far from
# $\sin 2\pi x$ (high bias). Degree 12: the average is close to the truth (low bias) but
# single fits swing wildly (high variance). Now the numbers for every degree:

# %%
degrees = np.arange(13)
rows = [estimators.bias_variance_decomposition(d, n_train=50, n_sets=200, noise=0.3, seed=0)
        for d in degrees]
print("degree |   bias^2 | variance |  noise | sum of 3 | measured test MSE")
for d, r in zip(degrees, rows):
    print(f"{d:6d} | {r['bias2']:8.4f} | {r['variance']:8.4f} | {r['noise']:.4f} | "
          f"{r['total']:8.4f} | {r['measured']:8.4f}")
rel_gap = max(abs(r["measured"] / r["total"] - 1) for r in rows)
print(f"largest relative difference between the sum and the measured error: {rel_gap:.4f}")
print("bias^2 + variance + noise = measured error (within 2 %):", rel_gap < 0.02)
print(f"degree 12: measured bias^2 {rows[12]['bias2']:.4f}, "
      f"Monte Carlo noise of the average fit Var/200 {rows[12]['variance'] / 200:.4f}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.semilogy(degrees, [r["bias2"] for r in rows], "o-", label="bias²")
ax.semilogy(degrees, [r["variance"] for r in rows], "o-", label="variance")
ax.semilogy(degrees, [r["noise"] for r in rows], ":", color="black", label="noise σ² (Bayes error)")
ax.semilogy(degrees, [r["total"] for r in rows], "-", lw=2.5, color="#D55E00",
            label="bias² + variance + σ²")
ax.semilogy(degrees, [r["measured"] for r in rows], "kx", ms=8, label="measured test MSE")
ax.set(xlabel="degree d (capacity)", ylabel="squared error", ylim=(1e-5, 1e2))
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# This is GBC Fig 5.6 measured rather than sketched: as capacity grows, bias falls and
# variance rises, and their sum plus the noise is the U-shaped test error of lesson 04.
# (The small rise of the measured bias² at the highest degrees is mostly simulation noise:
# the average of 200 fits still wobbles by about $\mathrm{Var}/200$, printed above.)
# **Underfitting** is the bias-dominated left side; **overfitting** the
# variance-dominated right side.
#
# The trade-off is at a **fixed** training-set size. More data lowers the variance of the
# same model while its bias stays where it is, so low bias *and* low variance are
# possible together:

# %%
print("    m | bias^2 (degree 5) | variance | both below 2 % of sigma^2")
for m_i in [20, 50, 200, 1000]:
    r = estimators.bias_variance_decomposition(5, n_train=m_i, n_sets=200, noise=0.3, seed=1)
    print(f"{m_i:5d} | {r['bias2']:17.5f} | {r['variance']:8.5f} | "
          f"{max(r['bias2'], r['variance']) < 0.02 * r['noise']}")

# %% [markdown]
# ## The notes say …; in fact …
#
# - **The notes say** (L1355–1358) estimators come in "types": "**Shrinkage**: an
#   unprocessed estimate that's combined with other variables to create complex
#   estimates"; "**Sufficient**: estimating the total population's parameter from a
#   limited dataset"; "**Unbiased**: an exact-match estimate value that neither
#   underestimates nor overestimates". **In fact**
#   - a *shrinkage* estimator pulls an estimate towards a target (often 0) to trade a
#     little bias for less variance, like $c\,\hat\mu_m$ above or weight decay;
#   - a *sufficient statistic* is a function of the data that carries all the information
#     the sample has about $\theta$ (the maximum serial $m$ in the tank problem);
#   - *unbiased* means $\mathbb E[\hat\theta] = \theta$ on average over samples, not an
#     exact match: the unbiased $2\bar x - 1$ above was off by the printed standard
#     deviation, typically.
#
#   And these are *properties* an estimator may have, not mutually exclusive types: the
#   MVUE is unbiased, efficient and a function of a sufficient statistic at once.
# - **The notes say** (L1374) bias is "a difference … between prediction values made by the
#   model and actual values". **In fact** that difference is the total error. Bias is
#   $\mathbb E_D[\hat f_D(x)] - f(x)$: the error of the *average* prediction over training
#   sets. The table above shows the total error split into bias², variance and noise.
# - **The notes say** (L1379) "a linear algorithm has a high bias, as it makes them learn
#   fast". **In fact** the causality is garbled: a linear model has high bias on a curved
#   target because its hypothesis space cannot contain that target (degree 1 above); speed
#   has nothing to do with it. On a linear target the same model has no bias at all.
# - **The notes say** (L1419) low bias and low variance together "is not possible
#   practically". **In fact** it is possible with enough data and a well-specified model:
#   the last table shows bias² and variance both below 2 % of $\sigma^2$ once $m$ is
#   large. The trade-off is a statement at fixed data size.
# - **The notes say** (Q22, L251) that for consistency "the expected value should move
#   toward the true value of the parameter". **In fact** that is asymptotic unbiasedness.
#   Consistency is convergence in probability; the first-point estimator above is unbiased
#   at every $m$ and still not consistent, the $1/m$ variance estimator is biased and
#   consistent.
# - **The notes say** (L1344) the tank estimator "calculated the maximum possible number of
#   tanks … and applies minimum variance analysis". **In fact** it estimates the total
#   number $N$; the maximum observed serial $m$ is a lower bound, and the MVUE
#   $m + m/k - 1$ corrects its downward bias.
#
# ## Exercises
#
# **Exercise 1.** Write `sample_variance(x)`, the unbiased estimator
# $\frac{1}{m-1}\sum_i (x_i - \bar x)^2$ of a 1-D array, with numpy but without `np.var`.

# %%
def sample_variance(x):
    ...  # your code here


variance_inputs = [(np.array([1.0, 2.0, 4.0]),), (np.array([5.0, 5.0]),),
                   (np.random.default_rng(3).normal(size=50),)]
check_function(sample_variance, estimators.variance_unbiased, variance_inputs,
               hint="subtract the mean, square, sum, divide by len(x) - 1")

# %% tags=["solution"] jupyter={"source_hidden": true}
def sample_variance(x):
    return np.sum((x - x.mean()) ** 2) / (len(x) - 1)


check_function(sample_variance, estimators.variance_unbiased, variance_inputs)

# %% [markdown]
# **Exercise 2.** Captured tanks carry the serials 61, 19, 56, 24 and 16. Give the MVUE of
# the number of tanks.

# %%
n_tanks_mvue = ...
check(n_tanks_mvue, estimators.tank_estimates([[61, 19, 56, 24, 16]])["mvue"][0],
      hint="m + m/k - 1 with m the largest serial and k the number of tanks captured")

# %% tags=["solution"] jupyter={"source_hidden": true}
m_max, k_seen = 61, 5
n_tanks_mvue = m_max + m_max / k_seen - 1
check(n_tanks_mvue, estimators.tank_estimates([[61, 19, 56, 24, 16]])["mvue"][0])

# %% [markdown]
# **Exercise 3.** With $N = 300$, how many tanks $k$ must be captured so that the standard
# deviation of the MVUE is at most 10 % of $N$? Use `estimators.tank_theory(N, k)`, which
# returns `(bias, variance, mse)` per estimator.

# %%
k_needed = ...
check(k_needed, next(kk for kk in range(1, 301)
                     if math.sqrt(estimators.tank_theory(300, kk)["mvue"][1]) <= 30),
      hint="loop k = 1, 2, ... until sqrt(variance) <= 30")

# %% tags=["solution"] jupyter={"source_hidden": true}
k_needed = 1
while math.sqrt(estimators.tank_theory(300, k_needed)["mvue"][1]) > 0.1 * 300:
    k_needed += 1
print("k needed:", k_needed)
check(k_needed, next(kk for kk in range(1, 301)
                     if math.sqrt(estimators.tank_theory(300, kk)["mvue"][1]) <= 30))

# %% [markdown]
# **Exercise 4.** With only $m = 20$ training points, which polynomial degree from 0 to 8
# has the smallest expected test error? Use
# `estimators.bias_variance_decomposition(d, n_train=20, seed=0)["total"]`.

# %%
best_degree_20 = ...
check(best_degree_20,
      int(np.argmin([estimators.bias_variance_decomposition(d, n_train=20, seed=0)["total"]
                     for d in range(9)])),
      hint="compute the total for each degree and take the argmin")

# %% tags=["solution"] jupyter={"source_hidden": true}
totals = [estimators.bias_variance_decomposition(d, n_train=20, seed=0)["total"] for d in range(9)]
best_degree_20 = int(np.argmin(totals))
print("best degree with m = 20:", best_degree_20)
check(best_degree_20,
      int(np.argmin([estimators.bias_variance_decomposition(d, n_train=20, seed=0)["total"]
                     for d in range(9)])))

# %% [markdown]
# ## Review questions (Part A)
#
# Check yourself with the quizzes, then compare your two-mark answers with the ones below.

# %%
quiz("An estimator is unbiased when…",
     ["it always returns the true value", "its expected value equals the true value",
      "its variance is zero", "it uses all of the data"],
     answer=1, explanation="Unbiased is E[θ̂] = θ, an average over samples; single estimates still err.")

# %%
quiz("Which identity holds for every estimator?",
     ["MSE = Bias + Var", "MSE = Bias² − Var", "MSE = Bias² + Var", "MSE = Var / m"],
     answer=2, explanation="The cross term vanishes because E[θ̂ − E θ̂] = 0.")

# %%
quiz("A high-degree polynomial fitted to few points mostly suffers from…",
     ["high variance", "high bias", "a high Bayes error", "an inconsistent test set"],
     answer=0, explanation="Its fits change a lot from one training set to the next; "
                           "more data or regularisation reduces that variance.")

# %% [markdown]
# <details><summary><b>What are point estimators? (Q21)</b></summary>
# A point estimator is any function of the data, θ̂ = g(x⁽¹⁾, …, x⁽ᵐ⁾), used as the single
# best guess of a parameter θ (or, in function estimation, of a function f). Because the
# data are random, θ̂ is a random variable; e.g. the sample mean estimates the population
# mean.
# </details>
#
# <details><summary><b>List the properties of point estimators. (Q22)</b></summary>
# Bias, E[θ̂] − θ (unbiased if 0); variance and standard error (e.g. σ/√m for the sample
# mean); consistency, θ̂ → θ in probability as m → ∞; efficiency, the smallest variance
# among unbiased estimators (the MVUE). They combine in MSE = Bias² + Var.
# </details>
#
# <details><summary><b>Define bias and variance of a model and the trade-off.</b></summary>
# Over random training sets, bias is the gap between the average prediction and the truth,
# variance the spread of the predictions around their average. The expected test error is
# Bias² + Var + σ². Raising capacity lowers bias and raises variance; at a fixed data size
# the best capacity balances the two, and more data lowers the variance.
# </details>
#
# ## Summary
#
# - A point estimator is a function of random data, so it is a random variable with a
#   bias, a variance and a standard error ($\sigma/\sqrt m$ for the sample mean).
# - $\mathrm{MSE} = \mathrm{Bias}^2 + \mathrm{Var}$: a biased (shrinkage) estimator can beat
#   an unbiased one; the $1/m$ variance estimator does for Gaussian data.
# - Consistency (convergence in probability) is not unbiasedness; each can hold without
#   the other.
# - German tanks: the maximum is biased, $2\bar x - 1$ is unbiased but wasteful, the MVUE
#   $m + m/k - 1$ is unbiased with the smallest variance.
# - The expected test error of a learned function is bias² + variance + noise: verified
#   numerically; capacity moves error from bias to variance, and data shrinks variance.
#
# **Next:** lesson 06 (stochastic gradient descent) uses the same ideas: a mini-batch
# gradient is an unbiased estimator of the full gradient, with a variance that shrinks
# with the batch size.
