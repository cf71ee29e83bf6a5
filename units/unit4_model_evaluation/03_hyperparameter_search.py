# %% [markdown]
# # Automatic hyperparameter search: grid, random, Bayesian (syllabus IV.4, IV.5, IV.6)
#
# **What you will learn**
# - hyperparameter search as the minimisation of a black box, the validation error
#   $f(\lambda)$ (GBC §11.4.2);
# - **grid search**: its cost $k\prod_i |V_i|$, log-spaced grids, and a real 5×5 sweep;
# - **random search**: why it beats a grid when only a few hyperparameters matter
#   (Bergstra & Bengio, 2012; GBC §11.4.4), built numerically over 1,000 repeats;
# - **Bayesian optimisation**: a Gaussian-process surrogate and expected improvement, in
#   numpy (`utils/search.py`), and the three methods compared on one real objective.

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

from utils import search
from utils.checks import check, quiz
from utils.demos.bayes_opt import demo
from utils.plotting import set_style
from utils.threads import use_course_threads
from utils.training import set_seed
from utils.tuning import load_digits_split, objective

set_style()
use_course_threads(small=True)  # tiny models: one thread
set_seed(0)
data = load_digits_split(seed=0)

# %% [markdown]
# ## 1. The black box
#
# Each choice of hyperparameters $\lambda$ gives, after training, a validation error
# $f(\lambda)$. We cannot differentiate $f$ and each evaluation costs a full training run,
# so the goal is a good $\lambda$ in few evaluations. Our $f$: the validation error of the
# digits MLP (64 hidden units, SGD with momentum, 5 epochs) as a function of the
# **learning rate** and the **weight decay**, both searched on a log scale.

# %%
space = {"lr": (1e-4, 10.0, "log"), "weight_decay": (1e-6, 1e-1, "log")}
f = objective(data, num_epochs=5)
print(f"f(lr=0.1, weight_decay=1e-4) = {f({'lr': 0.1, 'weight_decay': 1e-4}):.2f}")

# %% [markdown]
# ## 2. Grid search
#
# Choose a set of values $V_i$ for each hyperparameter and train on every combination.
# With $k$-fold cross-validation each point costs $k$ runs, so the cost is
# $k\prod_i |V_i|$, **exponential** in the number of hyperparameters. The notes' example
# (002:L3139–3148): batch sizes 10 to 100 in steps of 20 are 5 values; with 5-fold CV, 25 runs.

# %%
print("notes' batch-size grid:", list(range(10, 101, 20)), "->", search.grid_cost([5], k_folds=5), "runs")
for d in [1, 2, 3, 5, 8]:
    print(f"{d} hyperparameters x 5 values, 5-fold CV: {search.grid_cost([5] * d, k_folds=5):>8,} runs")

# %% [markdown]
# Values are spaced on a **log** scale when the hyperparameter acts multiplicatively, as a
# learning rate does (GBC §11.4.3): $10^{-4}, 10^{-3}, \ldots$ cover orders of magnitude
# that a linear grid would waste on one decade. After a first coarse grid one refines
# around the best cell. A real 5×5 sweep:

# %% tags=["nbval-ignore-output"]
grid_trials = search.grid_search(f, space, 5)
lr_values = search.grid_values(1e-4, 10.0, 5)
wd_values = search.grid_values(1e-6, 1e-1, 5)
heat = np.array([value for _, value in grid_trials]).reshape(5, 5)  # (lr, weight decay)
best_point, best_value = search.best_trial(grid_trials)
print(f"25 runs; best validation error {best_value:.3f} at lr = {best_point['lr']:.3g}, "
      f"weight decay = {best_point['weight_decay']:.3g}")

# %%
fig, ax = plt.subplots(figsize=(6, 4.5))
image = ax.imshow(heat, cmap="viridis_r", vmin=0, vmax=0.9)
i, j = np.unravel_index(np.argmin(heat), heat.shape)
ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#D55E00", lw=3))
ax.set_xticks(range(5), [f"{v:.0e}" for v in wd_values])
ax.set_yticks(range(5), [f"{v:.0e}" for v in lr_values])
ax.set(xlabel="weight decay", ylabel="learning rate", title="validation error, 5×5 grid")
ax.grid(False)
fig.colorbar(image)
plt.show()
print("the learning rate matters more than the weight decay (its rows differ more):",
      np.ptp(heat.mean(axis=1)) > 2 * np.ptp(heat.mean(axis=0)))

# %% [markdown]
# ## 3. Random search: the Bergstra–Bengio argument
#
# Random search draws each hyperparameter independently, log-uniformly for scale
# parameters: $\log_{10}\epsilon \sim U(-5, -1)$, $\epsilon = 10^{\log_{10}\epsilon}$. Its
# advantage appears when only some hyperparameters matter (as the weight decay hardly did
# above). Take $f(x, y) = g(x)$ with $y$ irrelevant: a 3×3 grid tests only **3** distinct
# values of $x$, 9 random points test **9**.

# %%
def g(point):
    """Depends only on x: a narrow dip at x = 0.37 on a slope."""
    x = point["x"]
    return 1 - np.exp(-((x - 0.37) / 0.05) ** 2) + 0.2 * x


unit_space = {"x": (0.0, 1.0, "linear"), "y": (0.0, 1.0, "linear")}
grid_9 = search.grid_points(unit_space, 3)
random_9 = search.random_points(unit_space, 9, np.random.default_rng(0))
print("distinct x on the 3×3 grid:", len({p["x"] for p in grid_9}),
      "| distinct x among 9 random points:", len({p["x"] for p in random_9}))

# %% [markdown]
# > **The notes say** (002:L3157) "the larger this dataset, the more accurate" the random
# > search. **In fact** they mean the random **subset** of the grid (the number of trials):
# > the more points drawn, the better the best one found on average, as the next table
# > shows; the size of the data set is a different matter.

# %% [markdown]
# Best value found against the budget $b$ (a $\sqrt b \times \sqrt b$ grid against $b$ random
# points), each random budget repeated 1,000 times:

# %%
budgets = [9, 16, 25, 36, 49]
rng = np.random.default_rng(0)
grid_best = [search.best_trial(search.grid_search(g, unit_space, int(np.sqrt(b))))[1] for b in budgets]
random_best = np.array([[min(g(p) for p in search.random_points(unit_space, b, rng)) for _ in range(1000)]
                        for b in budgets])  # (budgets, 1000)
print(f"{'budget':>7}{'grid best':>11}{'random: median':>16}{'P(random < grid)':>18}")
for b, gb, rb in zip(budgets, grid_best, random_best):
    print(f"{b:7d}{gb:11.3f}{np.median(rb):16.3f}{np.mean(rb < gb):18.2f}")
print("random search's median beats the grid at every budget:",
      bool(np.all(np.median(random_best, axis=1) < np.array(grid_best))))

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(budgets, grid_best, "s-", label="grid")
ax.plot(budgets, np.median(random_best, axis=1), "o-", label="random (median of 1,000)")
ax.fill_between(budgets, *np.percentile(random_best, [10, 90], axis=1), alpha=0.3, label="random, 10–90 %")
ax.set(xlabel="budget (trials)", ylabel="best value found", title="f(x, y) = g(x): y is irrelevant")
ax.legend()
plt.show()

# %% [markdown]
# ## 4. Bayesian optimisation
#
# Grid and random search ignore the results so far. **Model-based** search (GBC §11.4.5)
# fits a probabilistic surrogate of $f$ to the trials, $P(f(\lambda) \mid \text{trials})$, and
# picks the next $\lambda$ where the surrogate promises most. Ours is a **Gaussian
# process** with an RBF kernel $k(a, b) = \exp(-\|a-b\|^2 / 2\ell^2)$ on the unit-scaled
# (log) hyperparameters: it gives a mean $\mu(\lambda)$ and an uncertainty $\sigma(\lambda)$.
# The acquisition is the **expected improvement** over the best value $f^*$ so far:
#
# $$\mathrm{EI}(\lambda) = \mathbb E[\max(0, f^* - f(\lambda))]
#   = (f^* - \mu)\,\Phi(z) + \sigma\,\varphi(z), \quad z = \frac{f^* - \mu}{\sigma},$$
#
# large where the mean is low (exploitation) or the uncertainty high (exploration). The
# whole method is about 60 lines of numpy in `utils/search.py` (tested against the
# textbook formulas and a Monte-Carlo EI).
#
# **Demo.** Press **Next trial**: the GP mean ± 2σ is refitted, the green curve is the EI
# and the dashed line the next trial. On the synthetic objective (true curve dotted) watch
# it find the narrow deep dip; switch to the real digits objective; change the length
# scale $\ell$ to see an over- and an under-smoothed surrogate.

# %%
bo_demo = demo()
bo_demo

# %% [markdown]
# ## 5. The three methods on one real objective and budget
#
# The same 2-D objective as the grid (§2), 25 trials each. Random search and BO are run
# with 3 seeds (BO's first 3 trials are random).

# %% tags=["nbval-ignore-output"]
random_runs = [search.random_search(f, space, 25, seed=s) for s in range(3)]
bo_runs = [search.bayes_opt_search(f, space, 25, n_init=3, length_scale=0.2, seed=s) for s in range(3)]
curves = {"grid 5×5 (row order)": [search.best_so_far(grid_trials)],
          "random": [search.best_so_far(t) for t in random_runs],
          "Bayesian optimisation": [search.best_so_far(t) for t in bo_runs]}
for name, runs in curves.items():
    finals = [run[-1] for run in runs]
    print(f"{name:24} best after 25 trials: " + ", ".join(f"{v:.3f}" for v in finals))

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
for name, runs in curves.items():
    for k, run in enumerate(runs):
        ax.plot(range(1, 26), run, color={"grid 5×5 (row order)": "#0072B2", "random": "#E69F00",
                "Bayesian optimisation": "#009E73"}[name], label=name if k == 0 else None)
ax.set(xlabel="trial", ylabel="best validation error so far", ylim=(0, 0.95))
ax.legend()
plt.show()
finals = {name: np.array([run[-1] for run in runs]) for name, runs in curves.items()}
spread = max(finals["random"].max() - finals["random"].min(), 0.02)
print("after 25 trials all three reach a validation error below 0.1:",
      all(v.max() < 0.1 for v in finals.values()))
print("the three means finish within twice the random-seed spread of each other:",
      max(v.mean() for v in finals.values()) - min(v.mean() for v in finals.values()) < 2 * spread)

# %% [markdown]
# On this easy, 2-D, cheap problem all three end close together; what BO buys is that it
# usually gets there in fewer trials, which matters when one trial costs hours.
#
# > **The notes say** (002:L3168) "Bayesian optimization results in significantly higher
# > accuracy compared to random search". **In fact** Bayesian optimisation is often more
# > **sample-efficient** (a good point in fewer trials), not more accurate in general: with
# > the same budget on a problem like this one the final results are within the seed-to-seed
# > spread, as computed above. GBC §11.4.5 notes that model-based search is "sometimes"
# > better and sometimes worse than random search, and adds its own cost and
# > hyperparameters (the kernel's length scale, here). Random search is the robust default.
#
# ## 6. Exercises
#
# **Exercise 1.** Grid search over 4 hyperparameters with 6, 5, 4 and 3 values, each point
# scored with 10-fold cross-validation: how many training runs?

# %%
runs_needed = ...  # your answer
check(runs_needed, 10 * 6 * 5 * 4 * 3, hint="k times the product of the numbers of values")

# %% tags=["solution"] jupyter={"source_hidden": true}
runs_needed = search.grid_cost([6, 5, 4, 3], k_folds=10)
check(runs_needed, 10 * 6 * 5 * 4 * 3)

# %% [markdown]
# **Exercise 2.** Draw 5 learning rates log-uniformly from $[10^{-5}, 10^{-1}]$ with
# `np.random.default_rng(0)`: `10 ** rng.uniform(-5, -1, 5)`.

# %%
rates = ...  # your answer
check(rates, 10 ** np.random.default_rng(0).uniform(-5, -1, 5), hint="10 ** rng.uniform(-5, -1, 5)")

# %% tags=["solution"] jupyter={"source_hidden": true}
rng_ex = np.random.default_rng(0)
rates = 10 ** rng_ex.uniform(-5, -1, 5)
check(rates, 10 ** np.random.default_rng(0).uniform(-5, -1, 5))

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("Grid search over batch sizes 10, 30, 50, 70, 90 with 5-fold cross-validation costs…",
     ["5 runs", "10 runs", "25 runs", "50 runs"], answer=2,
     explanation="k · |V| = 5 · 5 = 25 training runs.")

# %%
quiz("Why does random search often beat grid search with the same budget?",
     ["it is exhaustive", "it tests more distinct values of each hyperparameter, and usually "
      "only a few hyperparameters matter", "it uses gradients", "it never repeats a trial"],
     answer=1, explanation="Bergstra & Bengio: a b-point grid in d dimensions tests only b^(1/d) "
     "values per axis; b random points test b.")

# %% [markdown]
# <details><summary><b>What is Bayesian optimisation?</b></summary>
# A model-based search: fit a probabilistic surrogate of the validation error to the trials
# so far, P(result | hyperparameters) (a Gaussian process or TPE), and choose the next trial
# by maximising an acquisition such as expected improvement, which trades a low predicted
# error against high uncertainty. It usually needs fewer trials than random search; it is
# not guaranteed to reach a better final result.
# </details>
#
# ## Summary
# - Search minimises the validation error as a black box. Grid cost $k\prod_i|V_i|$ grows
#   exponentially; use log grids and refine.
# - Random search tests distinct values on every axis and wins when few hyperparameters
#   matter (computed over 1,000 repeats).
# - Bayesian optimisation: GP mean ± σ and expected improvement choose the next trial; it is
#   more sample-efficient, not "significantly more accurate".
#
# **Next:** lesson 04: when training goes wrong, how to find the bug.
