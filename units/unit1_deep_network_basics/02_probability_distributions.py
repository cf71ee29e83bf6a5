# %% [markdown]
# # Probability distributions (syllabus I.4)
#
# **What you will learn**
# - what a random variable is, discrete or continuous, and how a **PMF** differs from a
#   **PDF** (a density may be larger than 1);
# - joint and marginal distributions, computed from a table;
# - the Bernoulli, binomial and Poisson distributions (discrete) and the uniform, normal,
#   exponential and log-normal distributions (continuous): formula, mean and variance,
#   each written out by hand, then checked against `torch.distributions` and against
#   samples;
# - how one number, the total probability, exposes a wrong density formula in the notes.

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
import scipy.stats
import torch
from torch import distributions as td

from utils.checks import check, check_function, quiz
from utils.demos import distributions as D
from utils.plotting import set_style
from utils.training import set_seed
from utils.threads import use_course_threads

set_style()
use_course_threads(small=True)
set_seed(0)
torch.set_default_dtype(torch.float64)  # exact probabilities: work in double precision
g = torch.Generator().manual_seed(0)  # one seeded source for all the samples below

# %% [markdown]
# ## 1. Random variables (Q7–Q9)
#
# Deep learning needs probability because almost nothing it handles is certain: the data
# are noisy samples of the world, a classifier's output is a distribution over classes
# (the softmax), and training itself is random (the mini-batches, the initial weights,
# dropout). Probability theory gives the rules for reasoning with this uncertainty.
#
# A **random variable** is a variable that can take different values at random. GBC writes
# the variable in plain type, $\mathrm x$, and its values in italics, $x$.
# - A **discrete** random variable has a finite or countably infinite set of states: the
#   number of heads in 6 coin tosses, the class of a Fashion-MNIST image (its states are
#   names, not numbers).
# - A **continuous** random variable takes real values: a waiting time, a temperature.
#
# A **probability distribution** says how likely each state is. It is described by a
# **PMF** for discrete variables and by a **PDF** for continuous ones.
#
# ## 2. Discrete variables: the probability mass function (Q10–Q12)
#
# A PMF $P$ gives the probability of each state, $P(\mathrm x = x)$, and must satisfy
# 1. its domain is the set of all states of $\mathrm x$;
# 2. $0 \le P(x) \le 1$ for every $x$;
# 3. $\sum_x P(x) = 1$ (it is **normalised**).
#
# The **uniform** PMF over $k$ states gives each one $P(\mathrm x = x_i) = 1/k$, and
# $\sum_i 1/k = k/k = 1$. A fair die:

# %%
P_die = torch.full((6,), 1 / 6)  # P(x = 1), ..., P(x = 6)
print("P:", [round(p, 4) for p in P_die.tolist()], "| sum:", round(P_die.sum().item(), 12),
      "| all in [0, 1]:", bool(((P_die >= 0) & (P_die <= 1)).all()))

# %% [markdown]
# **Joint and marginal distributions.** A PMF can describe several variables at once: the
# **joint** distribution $P(\mathrm x = x, \mathrm y = y)$. Summing out one variable gives
# the **marginal** distribution of the other (the *sum rule*):
# $P(\mathrm x = x) = \sum_y P(\mathrm x = x, \mathrm y = y)$.
#
# Roll two fair dice; let $\mathrm x$ be the first die and $\mathrm y$ the larger of the
# two. Broadcasting (lesson 01) enumerates all 36 equally likely outcomes at once:

# %%
die = torch.arange(1, 7)
first = die[:, None].expand(6, 6)  # (6, 6): row = first die
larger = torch.maximum(die[:, None], die[None, :])  # (6, 6): max of first and second die
joint = torch.zeros(6, 6)  # joint[x - 1, y - 1] = P(x, y)
joint.index_put_((first.flatten() - 1, larger.flatten() - 1), torch.full((36,), 1 / 36),
                 accumulate=True)
print("36 * P(x, y)   (rows: x = first die, columns: y = larger die)")
print((36 * joint).round().long())
print("sum of the joint:", round(joint.sum().item(), 12))
print("P(x) = sum over y:", [round(p, 4) for p in joint.sum(dim=1).tolist()])
print("P(y) = sum over x:", [round(p, 4) for p in joint.sum(dim=0).tolist()])

# %% [markdown]
# The first die alone is still uniform, while the larger die favours high values:
# $P(\mathrm y = k) = (2k - 1)/36$ (exercise 4 asks you to check this).
#
# ## 3. The Bernoulli distribution
#
# One trial with two outcomes, success $\mathrm x = 1$ with probability $\phi$ and failure
# $\mathrm x = 0$:
#
# $$P(\mathrm x = 1) = \phi,\quad P(\mathrm x = 0) = 1 - \phi,\quad
#   P(\mathrm x = x) = \phi^x (1 - \phi)^{1 - x},$$
# $$\mathbb E[\mathrm x] = \phi, \qquad \operatorname{Var}(\mathrm x) = \phi(1 - \phi).$$
#
# The notes use $\phi = 0.6$. We draw 10,000 trials and compare the sample with the
# formulas:

# %%
phi = 0.6
x = torch.bernoulli(torch.full((10_000,), phi), generator=g)  # (10000,) of 0s and 1s
print("exact:  P(0), P(1) =", [1 - phi, phi], "| mean", phi, "| variance", round(phi * (1 - phi), 4))
print("sample: frequencies =", [round((x == k).double().mean().item(), 4) for k in (0, 1)],
      "| mean", round(x.mean().item(), 4), "| variance", round(x.var(correction=0).item(), 4))

# %% [markdown]
# ## 4. The binomial distribution
#
# The number of successes $\mathrm x$ in $n$ independent Bernoulli trials with success
# probability $p$:
#
# $$P(\mathrm x = r) = \binom{n}{r} p^r (1-p)^{n-r}, \quad r = 0, 1, \dots, n, \qquad
#   \mathbb E[\mathrm x] = np, \quad \operatorname{Var}(\mathrm x) = np(1-p).$$
#
# The notes toss a biased coin with $p = 0.4$; their text says **six** tosses but their
# code uses `n = 5`. We compute both from the formula and compare with torch and scipy:

# %%
def binomial_pmf(r, n, p):
    """P(x = r) for x ~ Binomial(n, p), straight from the formula."""
    return math.comb(n, r) * p**r * (1 - p) ** (n - r)


for n in (6, 5):
    P = torch.tensor([binomial_pmf(r, n, 0.4) for r in range(n + 1)])
    r = torch.arange(n + 1.0)
    P_torch = td.Binomial(n, probs=torch.tensor(0.4)).log_prob(r).exp()
    P_scipy = scipy.stats.binom.pmf(np.arange(n + 1), n, 0.4)
    print(f"Binomial({n}, 0.4): P(0..{n}) =", [round(v, 4) for v in P.tolist()])
    print(f"   sum {P.sum().item():.6f} | agrees with torch: {torch.allclose(P, P_torch)}"
          f" | with scipy: {np.allclose(P.numpy(), P_scipy)} | mean {n * 0.4:.1f}")

# %% [markdown]
# A binomial variable *is* a sum of Bernoulli variables, which gives a way to sample it:
# draw an $N \times n$ table of trials and add along each row.

# %%
n, p = 6, 0.4
trials = torch.bernoulli(torch.full((10_000, n), p), generator=g)  # (10000, 6)
x = trials.sum(dim=1)  # (10000,): successes per row of 6 trials
P = torch.tensor([binomial_pmf(r, n, p) for r in range(n + 1)])
freq = torch.bincount(x.long(), minlength=n + 1) / len(x)
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.bar(range(n + 1), freq, width=0.8, alpha=0.6, color="C5", label="10,000 samples")
ax.plot(range(n + 1), P, "o", color="C0", label="exact PMF")
ax.set(xlabel="number of heads r", ylabel="P(x = r)", title="Binomial(6, 0.4)")
ax.legend()
plt.show()
print("largest |frequency - P|:", round((freq - P).abs().max().item(), 4))

# %% [markdown]
# ## 5. The Poisson distribution
#
# The number of events in a fixed interval when events happen independently at an average
# rate $\lambda$ (calls per hour, typos per page):
#
# $$P(\mathrm x = k) = \frac{\lambda^k e^{-\lambda}}{k!}, \quad k = 0, 1, 2, \dots, \qquad
#   \mathbb E[\mathrm x] = \operatorname{Var}(\mathrm x) = \lambda.$$
#
# The ratio of neighbours is $P(k)/P(k-1) = \lambda / k$: the PMF rises while $k < \lambda$
# and falls after. For a whole number $\lambda$ the ratio is exactly 1 at $k = \lambda$, so
# the notes' $\lambda = 5$ has **two** equal peaks, at 4 and at 5.

# %%
lam = 5.0
k = torch.arange(0, 61.0)  # the infinite sum, cut off where the terms are negligible
P = lam**k * math.exp(-lam) / torch.exp(torch.lgamma(k + 1))  # k! = Gamma(k + 1)
print("P(3..6):", [round(v, 4) for v in P[3:7].tolist()])
print("P(4) == P(5):", math.isclose(P[4].item(), P[5].item()), "| modes:",
      torch.nonzero(torch.isclose(P, P.max())).flatten().tolist())
print(f"sum over k = 0..60: {P.sum().item():.12f} | agrees with torch:",
      torch.allclose(P, td.Poisson(torch.tensor(lam)).log_prob(k).exp()))

# %% [markdown]
# The notes draw 100 samples. That is few: their histogram is a noisy picture of the PMF.
# With 10,000 samples the frequencies settle on it.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
for ax, N in zip(axes, [100, 10_000]):
    x = torch.poisson(torch.full((N,), lam), generator=g)
    freq = torch.bincount(x.long(), minlength=16)[:16] / N
    ax.bar(range(16), freq, width=0.8, alpha=0.6, color="C5", label=f"{N:,} samples")
    ax.plot(range(16), P[:16], "o", color="C0", label="exact PMF")
    ax.set(xlabel="k", title=f"Poisson(5), N = {N:,}", xticks=range(0, 16, 2))
    ax.legend()
axes[0].set_ylabel("P(x = k)")
plt.show()

# %% [markdown]
# ## 6. Continuous variables: the probability density function (Q13)
#
# For a continuous variable, the probability of any single value is 0. A **PDF** $p$
# describes the distribution instead; it must satisfy
# 1. its domain is the set of all states of $\mathrm x$;
# 2. $p(x) \ge 0$ for every $x$ — but **not** $p(x) \le 1$;
# 3. $\int p(x)\,dx = 1$.
#
# $p(x)\,\delta x$ is the probability of landing in a tiny interval of width $\delta x$
# around $x$, and the probability of an interval is an integral:
# $P(a \le \mathrm x \le b) = \int_a^b p(x)\,dx$.
#
# **The uniform density** on $[a, b]$ is $u(x; a, b) = \frac{1}{b - a}$ for
# $x \in [a, b]$ and 0 elsewhere. On $[0, 0.5]$ it equals 2 everywhere: a density larger
# than 1, yet every probability it gives is at most 1. We integrate numerically with the
# trapezoid rule on a fine grid:

# %%
a, b = 0.0, 0.5
grid = torch.linspace(a, b, 10_001)
u = torch.full_like(grid, 1 / (b - a))  # u(x; 0, 0.5) on the grid
print("density value:", u[0].item(), "| integral over [0, 0.5]:",
      round(torch.trapezoid(u, grid).item(), 6))
inside = (grid >= 0.1) & (grid <= 0.3)
print("P(0.1 <= x <= 0.3) =", round(torch.trapezoid(u[inside], grid[inside]).item(), 6),
      "(= 0.2 * 2)")

# %% [markdown]
# The notes sample `np.random.uniform(size=1000)`, the uniform distribution on $[0, 1]$,
# whose mean is $(a + b)/2$ and variance $(b - a)^2/12$:

# %%
x = torch.rand(1000, generator=g)  # 1000 samples of U(0, 1)
print(f"mean: exact 0.5, sample {x.mean().item():.4f} | variance: exact {1 / 12:.4f}, "
      f"sample {x.var(correction=0).item():.4f}")

# %% [markdown]
# ## 7. The normal distribution
#
# $$\mathcal N(x; \mu, \sigma^2) = \frac{1}{\sqrt{2\pi\sigma^2}}
#   \exp\!\left(-\frac{(x - \mu)^2}{2\sigma^2}\right), \qquad
#   \mathbb E[\mathrm x] = \mu, \quad \operatorname{Var}(\mathrm x) = \sigma^2.$$
#
# The factor $1/\sqrt{2\pi\sigma^2}$ is what makes the area 1. The **standard** normal has
# $\mu = 0$ and $\sigma = 1$. Its peak is $1/(\sigma\sqrt{2\pi})$, which exceeds 1 as soon
# as $\sigma < 1/\sqrt{2\pi} \approx 0.4$.

# %%
def normal_pdf(x, mu, sigma):
    """N(x; mu, sigma^2), straight from the formula."""
    return torch.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


grid = torch.linspace(-12, 12, 24_001)
for sigma in (1.0, 0.1):
    p = normal_pdf(grid, 0.0, sigma)
    p_torch = td.Normal(0.0, sigma).log_prob(grid).exp()
    print(f"sigma = {sigma}: peak {p.max().item():.4f} | area {torch.trapezoid(p, grid).item():.6f}"
          f" | agrees with torch: {torch.allclose(p, p_torch)}")
p = normal_pdf(grid, 0.0, 1.0)
for k_sd in (1, 2, 3):
    inside = grid.abs() <= k_sd
    print(f"P(|x - mu| <= {k_sd} sigma) = {torch.trapezoid(p[inside], grid[inside]).item():.4f}")

# %% [markdown]
# ### The notes' normal-density code
#
# The notes build a "normal pdf" for `x = np.linspace(1, 50, 100)` with the mean and the
# standard deviation of those 100 numbers, using the line
# `prob_density = (np.pi*sd) * np.exp(-0.5*((x-mean)/sd)**2)`. We run the same computation
# next to the correct formula.

# %%
x_notes = np.linspace(1, 50, 100)
mean, sd = np.mean(x_notes), np.std(x_notes)
buggy = (np.pi * sd) * np.exp(-0.5 * ((x_notes - mean) / sd) ** 2)  # the notes' line
correct = scipy.stats.norm.pdf(x_notes, mean, sd)  # reference: 1/(sd sqrt(2 pi)) exp(...)
print(f"the notes' data: mean {mean:.2f}, sd {sd:.2f}")
print(f"peak:  notes' formula {buggy.max():.1f} | correct {correct.max():.4f}")
wide = np.linspace(mean - 12 * sd, mean + 12 * sd, 100_001)  # the whole real line, in effect
area_buggy = np.trapezoid(D.notes_normal_pdf(wide, mean, sd), wide)
area_correct = np.trapezoid(scipy.stats.norm.pdf(wide, mean, sd), wide)
print(f"area over the real line: notes' formula {area_buggy:.0f} | correct {area_correct:.6f}")
print(f"area over the notes' range [1, 50]: notes' formula {np.trapezoid(buggy, x_notes):.0f}"
      f" | correct {np.trapezoid(correct, x_notes):.3f}")

# %% [markdown]
# The shape is right but the constant is wrong: the notes multiply by $\pi\sigma$ where the
# formula divides by $\sigma\sqrt{2\pi}$, so their curve is the true density times
# $\pi\sigma \cdot \sigma\sqrt{2\pi} = \sqrt 2\,\pi^{3/2}\sigma^2$ everywhere. Plotted on
# its own, the curve looks like a perfect bell; only the scale of the y-axis, or the
# check $\int p = 1$, gives it away. Samples from $\mathcal N(25.5, 14.29^2)$ follow the
# correct curve:

# %%
print("buggy / correct is the same constant everywhere:",
      np.allclose(buggy / correct, np.sqrt(2) * np.pi**1.5 * sd**2),
      f"({np.sqrt(2) * np.pi**1.5 * sd**2:.0f})")
samples = (mean + sd * torch.randn(10_000, generator=g)).numpy()
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
axes[0].plot(x_notes, buggy, color="C3", lw=2)
axes[0].set(title="the notes' formula: area ≈ %.0f" % area_buggy, xlabel="x", ylabel="p(x)")
axes[1].hist(samples, bins=40, range=(-20, 70), density=True, color="C5", alpha=0.6,
             label="10,000 samples")
x_plot = np.linspace(-20, 70, 400)
axes[1].plot(x_plot, scipy.stats.norm.pdf(x_plot, mean, sd), color="C0", lw=2, label="correct PDF")
axes[1].set(title="the correct PDF: area 1", xlabel="x")
axes[1].legend(fontsize=9)
plt.show()

# %% [markdown]
# ## 8. The exponential distribution
#
# The waiting time between events of a Poisson process. GBC writes it with the **rate**
# $\lambda$ (events per unit time):
#
# $$p(x; \lambda) = \lambda e^{-\lambda x} \text{ for } x \ge 0, \qquad
#   \mathbb E[\mathrm x] = \frac1\lambda, \quad \operatorname{Var}(\mathrm x) = \frac1{\lambda^2}.$$
#
# Libraries disagree on the parameter. numpy's `np.random.exponential(3, 1000)` (the notes'
# code) takes the **scale** $\beta = 1/\lambda$, so its mean is 3. torch's
# `td.Exponential(3.0)` takes the **rate**, so its mean is 1/3. Always check which one a
# library wants:

# %%
rng = np.random.default_rng(0)
x_numpy = rng.exponential(3, 1000)  # numpy: scale beta = 3
x_rate = td.Exponential(torch.tensor(1 / 3)).sample((1000,))  # torch: rate 1/3 = scale 3
print(f"numpy exponential(3): sample mean {x_numpy.mean():.3f} (scale 3: mean 3)")
print(f"torch Exponential(rate=1/3): sample mean {x_rate.mean().item():.3f}")
print(f"torch Exponential(3.0).mean = {td.Exponential(torch.tensor(3.0)).mean.item():.4f} (rate 3!)")

# %% [markdown]
# From scratch, samples come from uniform ones by inverting the CDF
# $F(x) = 1 - e^{-x/\beta}$: if $u \sim U(0, 1)$ then $x = -\beta \ln(1 - u)$ is exponential
# with scale $\beta$. The notes' 10-bin density histogram of 1000 samples, over the PDF
# (each bar is the *average* density over a wide bin, so the first bar sits well below the
# peak $p(0) = 1/\beta$):

# %%
beta = 3.0
u = torch.rand(1000, generator=g)
x = -beta * torch.log(1 - u)  # inverse CDF
grid = torch.linspace(0, 25, 501)
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.hist(x.numpy(), bins=10, density=True, color="C5", alpha=0.6, label="1000 samples, 10 bins")
ax.plot(grid, torch.exp(-grid / beta) / beta, color="C0", lw=2, label="p(x) = e^(-x/β)/β")
ax.set(xlabel="x", ylabel="p(x)", title="Exponential with scale β = 3 (rate 1/3)")
ax.legend()
plt.show()
area = torch.trapezoid(torch.exp(-grid / beta) / beta, grid).item()
print(f"sample mean {x.mean().item():.3f} (exact {beta}) | area of the PDF on [0, 25]: "
      f"{area:.4f} (the rest lies beyond 25)")

# %% [markdown]
# ## 9. The log-normal distribution
#
# $\mathrm x$ is **log-normal** when its logarithm is normal: $\ln \mathrm x \sim
# \mathcal N(\mu, \sigma^2)$, or equivalently $\mathrm x = e^{\mathrm z}$ with
# $\mathrm z \sim \mathcal N(\mu, \sigma^2)$. It lives on $x > 0$ and is skewed to the right
# (sizes of rain drops, incomes):
#
# $$p(x) = \frac{1}{x\sigma\sqrt{2\pi}} \exp\!\left(-\frac{(\ln x - \mu)^2}{2\sigma^2}\right),
#   \qquad \mathbb E[\mathrm x] = e^{\mu + \sigma^2/2}.$$
#
# The distribution is that of $\mathrm x$ itself; $\ln \mathrm x$ is the normal one.

# %%
mu, sigma = 0.0, 0.5
z = mu + sigma * torch.randn(100_000, generator=g)  # normal
x = torch.exp(z)  # log-normal
print(f"x > 0 always: {bool((x > 0).all())} | mean of x: sample {x.mean().item():.4f}, "
      f"exact e^(mu + sigma^2/2) = {math.exp(mu + sigma**2 / 2):.4f}")
print(f"ln x: sample mean {torch.log(x).mean().item():.4f} (mu = {mu}), "
      f"sample std {torch.log(x).std().item():.4f} (sigma = {sigma})")
grid = torch.linspace(0.01, 5, 500)
z_grid = (torch.log(grid) - mu) / sigma
p = torch.exp(-0.5 * z_grid**2) / (grid * sigma * math.sqrt(2 * math.pi))  # the log-normal PDF
print("formula agrees with torch:", torch.allclose(p, td.LogNormal(mu, sigma).log_prob(grid).exp()))
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
axes[0].hist(x.numpy(), bins=60, range=(0, 5), density=True, color="C5", alpha=0.6)
axes[0].plot(grid, p, color="C0", lw=2)
axes[0].set(title="x: log-normal, skewed", xlabel="x", ylabel="p(x)")
axes[1].hist(torch.log(x).numpy(), bins=60, density=True, color="C5", alpha=0.6)
z_plot = torch.linspace(-2, 2, 200)
axes[1].plot(z_plot, normal_pdf(z_plot, mu, sigma), color="C0", lw=2)
axes[1].set(title="ln x: normal", xlabel="ln x")
plt.show()

# %% [markdown]
# ## 10. All seven, checked against samples
#
# `utils/demos/distributions.py` holds the seven PMFs and PDFs as formulas (tested against
# `torch.distributions`), their exact means and variances, and a sampler. For each
# distribution, with the notes' parameters, the table checks that the total probability is
# 1 and compares the mean and variance of 100,000 samples with the exact values. The last
# column checks that the sample mean lies within 4 standard errors
# ($4\sqrt{\operatorname{Var}/N}$) of the exact mean.

# %%
N = 100_000
print(f"{'distribution':12} {'parameters':22} {'total':>9} {'mean':>8} {'sample':>8} "
      f"{'var':>8} {'sample':>8}  within 4 s.e.")
for name in D.NAMES:
    params = D.defaults(name)
    x = D.sample(name, params, N, seed=1)
    mean, var = D.moments(name, params)
    shown = ", ".join(f"{key}={value:g}" for key, value in params.items())
    ok = abs(x.mean() - mean) <= 4 * math.sqrt(var / N)
    print(f"{name:12} {shown:22} {D.total(name, params):9.6f} {mean:8.4f} {x.mean():8.4f} "
          f"{var:8.4f} {x.var():8.4f}  {ok}")

# %% [markdown]
# ## 11. Demo: the distribution explorer
#
# Pick a distribution and its parameters (the defaults are the notes' examples) and a
# sample size $N$. The bars are the samples, the dots or the curve the exact PMF or PDF.
# The line under the controls is the live check: the sum of the PMF (or the integral of the
# PDF) and the exact against the sample mean and variance. The checkbox overlays the notes'
# normal formula.

# %%
demo = D.demo()
demo

# %% [markdown]
# **Try this**
# - Slide $N$ from 10 to 100,000 for any distribution: how large must $N$ be before the
#   bars stop jumping around the exact values?
# - Binomial: set $n = 5$ (the notes' code) and $n = 6$ (the notes' text). For which $p$ is
#   the PMF symmetric?
# - Poisson: for which values of $\lambda$ are there two equal highest bars?
# - Uniform: make $b - a$ small. How high does the density get? Is the total still 1? Then
#   set $b \le a$.
# - Normal: turn on the notes' formula with the default $\mu = 25.5$, $\sigma = 14.29$. Then
#   shrink $\sigma$: for which $\sigma$ does the notes' curve fall **below** the correct one
#   (exercise 3)?
# - Log-normal: raise $\sigma$. Why does the sample variance agree worse with the exact one
#   than for the normal?
#
# ## 12. The notes say …; in fact …
#
# > **The notes say** (002:L647) "toss a biased coin **six** times", but their code
# > (L656) sets `n = 5`. **In fact** these are different distributions; section 4 prints
# > both PMFs. Keep text and code consistent.
# >
# > **The notes' normal-density code** (002:L773) computes
# > `(np.pi*sd) * np.exp(-0.5*((x-mean)/sd)**2)`. **In fact** the factor is
# > $1/(\sigma\sqrt{2\pi})$; with the notes' data the wrong curve peaks at the value printed
# > in section 7 instead of about 0.028, and its area is in the thousands instead of 1.
# >
# > **The notes say** (L759) "Here, the mean is 0" for their example. **In fact** the
# > *standard* normal has mean 0; the example uses the mean of its data, 25.5.
# >
# > **The notes write** the PDF property as $P(x) \ge 0$ (L746). **In fact** it is
# > $p(x) \ge 0$: a lower-case $p$ for a density, the capital $P$ for a mass function.
# >
# > **The notes say** (L795) that in the continuous uniform distribution values occur
# > "with a $1/(b-a)$ probability". **In fact** $1/(b-a)$ is a *density*; it exceeds 1
# > whenever $b - a < 1$, and each single value has probability 0.
# >
# > **The notes say** (L827) of the log-normal that "the variable represented … is
# > $Y = \ln(X)$". **In fact** $\mathrm x$ is log-normal when $\ln \mathrm x$ is normal: the
# > log-normal is the distribution of $\mathrm x$, and $\ln \mathrm x$ is the normal one.
# >
# > **The notes call** (L724) the Poisson parameter `lam` the "known number of occurrences".
# > **In fact** $\lambda$ is the *average* number of events per interval (the mean and the
# > variance); any single count varies around it.
# >
# > **The notes' exponential example** (L845) `np.random.exponential(3, 1000)` does not say what 3
# > is. **In fact** it is numpy's *scale* $\beta = 1/\lambda$ (mean 3); `torch`'s
# > `Exponential(3.0)` would be the *rate* (mean 1/3).
# >
# > The notes print two code blocks twice (L675–715, L800–823) and use `sns.distplot`,
# > which seaborn has deprecated; this lesson plots with matplotlib only.
#
# ## 13. Exercises
#
# **Exercise 1.** Write `poisson_pmf(k, lam)` from the formula (use `math.factorial` or
# `math.lgamma`). The check compares it with the explorer's model, `D.density`.

# %%
def poisson_pmf(k, lam):
    ...  # your code: return P(x = k) for x ~ Poisson(lam)


poisson_inputs = [(0, 5.0), (4, 5.0), (5, 5.0), (12, 2.5), (30, 20.0)]
check_function(poisson_pmf, lambda k, lam: D.density("Poisson", k, {"lam": lam}), poisson_inputs,
               hint="lam**k * exp(-lam) / k!")

# %% tags=["solution"] jupyter={"source_hidden": true}
def poisson_pmf(k, lam):
    return lam**k * math.exp(-lam) / math.factorial(k)


check_function(poisson_pmf, lambda k, lam: D.density("Poisson", k, {"lam": lam}), poisson_inputs)

# %% [markdown]
# **Exercise 2.** For the notes' exponential distribution (scale $\beta = 3$), compute
# $P(1 \le \mathrm x \le 3)$ by integrating `D.density("Exponential", grid, {"beta": 3.0})`
# numerically over a grid (`D.integrate(y, grid)` is the trapezoid rule). The check uses
# the exact value $e^{-1/3} - e^{-1}$.

# %%
prob_1_to_3 = ...  # your answer
check(prob_1_to_3, math.exp(-1 / 3) - math.exp(-1), rtol=1e-4,
      hint="grid = np.linspace(1, 3, 10_001); integrate the density over it")

# %% tags=["solution"] jupyter={"source_hidden": true}
grid = np.linspace(1, 3, 10_001)
prob_1_to_3 = D.integrate(D.density("Exponential", grid, {"beta": 3.0}), grid)
check(prob_1_to_3, math.exp(-1 / 3) - math.exp(-1), rtol=1e-4)

# %% [markdown]
# **Exercise 3.** The notes' formula has area $\pi\sigma \cdot \sigma\sqrt{2\pi}$
# (`D.notes_normal_total(sigma)`). For one value of $\sigma$ its area happens to be exactly
# 1, so a single total check at that $\sigma$ would miss the bug. Find that $\sigma$ (by
# algebra, or by bisection with `D.notes_normal_total`).

# %%
sigma_fooled = ...  # your answer
check(sigma_fooled, 1 / math.sqrt(D.notes_normal_total(1.0)), rtol=1e-4,
      hint="the area grows like sigma**2: solve pi * sqrt(2 pi) * sigma**2 = 1")

# %% tags=["solution"] jupyter={"source_hidden": true}
sigma_fooled = (math.pi * math.sqrt(2 * math.pi)) ** -0.5
print(f"sigma = {sigma_fooled:.4f}, area of the notes' formula {D.notes_normal_total(sigma_fooled):.6f}")
check(sigma_fooled, 1 / math.sqrt(D.notes_normal_total(1.0)), rtol=1e-4)

# %% [markdown]
# **Exercise 4.** From the two-dice table `joint` of section 2, compute the marginal PMF of
# the larger die, $P(\mathrm y = k)$ for $k = 1, \dots, 6$ (shape `(6,)`).

# %%
P_larger = ...  # your answer
check(P_larger, torch.tensor([(2 * k - 1) / 36 for k in range(1, 7)]),
      hint="sum the joint over x, the first axis")

# %% tags=["solution"] jupyter={"source_hidden": true}
P_larger = joint.sum(dim=0)  # (6, 6) -> (6,): sum over the rows x
check(P_larger, torch.tensor([(2 * k - 1) / 36 for k in range(1, 7)]))

# %% [markdown]
# ## 14. Review questions (Part A)

# %%
quiz("A function p is a valid PDF on [0, 0.5] with p(x) = 2 there. Which statement is true?",
     ["It is not valid, because p(x) > 1", "It is valid: p ≥ 0 and its integral is 2 × 0.5 = 1",
      "It is valid only for discrete x"],
     answer=1, explanation="A density may exceed 1; only its integral must be 1.")

# %%
quiz("Which must hold for a PMF P but not for a PDF p?",
     ["values are non-negative", "the total (sum or integral) is 1", "every value is at most 1"],
     answer=2, explanation="P(x) is a probability, so P(x) ≤ 1; a density has no such bound.")

# %%
quiz("np.random.exponential(3, 1000) draws from an exponential distribution with",
     ["rate 3, mean 1/3", "scale 3, mean 3", "mean 0 and variance 3"],
     answer=1, explanation="numpy's first argument is the scale β = 1/λ.")

# %% [markdown]
# <details><summary><b>Why is probability important in deep learning? (Q7)</b></summary>
# Data are noisy and incomplete and models must act under uncertainty. Probability
# quantifies it: classifiers output distributions (softmax), losses such as cross-entropy
# are negative log-likelihoods, and training is random (mini-batches, initialisation,
# dropout).
# </details>
#
# <details><summary><b>Define a random variable. (Q8)</b></summary>
# A variable that can take different values at random, written x (values x₁, x₂, …); on
# its own it is just the set of possible states, and a probability distribution says how
# likely each one is.
# </details>
#
# <details><summary><b>Are random variables discrete or continuous? (Q9)</b></summary>
# Either. A discrete one has finitely or countably many states (which need not be numbers,
# e.g. class names); a continuous one takes real values.
# </details>
#
# <details><summary><b>What is a probability distribution? (Q10)</b></summary>
# A description of how likely a random variable (or several) is to take each of its
# states: a PMF for discrete variables, a PDF for continuous ones.
# </details>
#
# <details><summary><b>Define the probability mass function. (Q11)</b></summary>
# For a discrete variable, P(x = x) is the probability that x takes the value x; written
# with a capital P, e.g. P(x = r) = C(n, r) pʳ(1−p)ⁿ⁻ʳ for the binomial.
# </details>
#
# <details><summary><b>Properties of a PMF. (Q12)</b></summary>
# Its domain is all states of x; 0 ≤ P(x) ≤ 1 for every x; Σₓ P(x) = 1 (normalised).
# </details>
#
# <details><summary><b>Properties of a PDF. (Q13)</b></summary>
# Its domain is all states of x; p(x) ≥ 0 (p may exceed 1); ∫ p(x) dx = 1. Probabilities
# are integrals: P(a ≤ x ≤ b) = ∫ₐᵇ p(x) dx.
# </details>
#
# ## Summary
# - A PMF gives probabilities ($0 \le P \le 1$, sum 1); a PDF gives densities ($p \ge 0$,
#   integral 1, may exceed 1); probabilities of intervals are integrals of the density.
# - Marginals come from joint tables by summing out the other variable.
# - Bernoulli ($\phi$), binomial ($np$, $np(1-p)$), Poisson (mean = variance = $\lambda$);
#   uniform, normal, exponential (mean $\beta = 1/\lambda$), log-normal ($\ln \mathrm x$ is
#   normal).
# - Check any density you write by its total: the notes' normal formula fails the check by a
#   factor $\sqrt 2\,\pi^{3/2}\sigma^2$.
#
# **Next:** lesson 03, gradient-based optimisation (I.5).
