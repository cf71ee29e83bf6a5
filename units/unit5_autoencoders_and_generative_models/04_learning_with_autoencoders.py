# %% [markdown]
# # Learning with autoencoders (syllabus V.4)
#
# **What you will learn**
# - what an autoencoder's code is good for (GBC §14.5–14.6, §14.9): a low-dimensional map
#   of the data, a model of the data **manifold**, a detector of inputs unlike the training
#   data, and features for a classifier that has few labels;
# - a 2-D code of Fashion-MNIST plotted by class next to PCA's, and how well each keeps the
#   classes apart (measured with a nearest-neighbour classifier);
# - anomaly detection by reconstruction error, scored with ROC-AUC (Unit IV);
# - autoencoder features for a classifier trained on 100 labels, against raw pixels and PCA.

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
    os.chdir("/content/ad3501/units/unit5_autoencoders_and_generative_models")

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from utils.autoencoders import (encode, mlp_autoencoder, pca_fit, pca_reconstruct, reconstruct,
                                train_autoencoder)
from utils.checks import check, check_function, quiz
from utils.data import load_fashion_mnist
from utils.metrics import roc_auc
from utils.plotting import OKABE_ITO, set_style
from utils.threads import use_course_threads
from utils.training import set_seed

set_style()
use_course_threads()
set_seed(0)

# %% [markdown]
# ## 1. Training by backpropagation, and the manifold view
#
# An autoencoder is trained like any network: backpropagate the reconstruction loss
# $\lVert x - g(f(x))\rVert^2$ through the decoder and the encoder (notes 004:L784–839). What
# it learns is shaped by two opposing forces (GBC §14.6): the loss wants every training
# example reconstructed, and the bottleneck (or a regulariser) forbids reconstructing
# *everything*. The compromise is to reconstruct well only along the directions in which
# the data actually varies: the autoencoder learns the **manifold** near which the data
# concentrates, and its code is a coordinate system on it.
#
# All examples use Fashion-MNIST: 5,000 training images, 2,000 held-out test images.

# %%
data = load_fashion_mnist()
X, y = data.X_train[:5000].reshape(-1, 784), data.y_train[:5000]  # (5000, 784), (5000,)
X_test, y_test = data.X_test[:2000].reshape(-1, 784), data.y_test[:2000]  # (2000, 784)
classes = data.classes

# %% [markdown]
# ## 2. A 2-D code, plotted by class
#
# An autoencoder $784 \to 256 \to 2 \to 256 \to 784$ maps each image to two numbers that we
# can plot. Next to it: the first two principal components (PCA, the best *linear* 2-D
# code, lesson 01).

# %% tags=["nbval-ignore-output"]
set_seed(0)
net_2d = mlp_autoencoder(2, hidden=(256,))
history = train_autoencoder(net_2d, X, num_epochs=12, lr=2e-3)
code_train, code_test = encode(net_2d, X), encode(net_2d, X_test)  # (5000, 2), (2000, 2)
mean2, components2 = pca_fit(X, 2)
pca_train, pca_test = (X - mean2) @ components2.T, (X_test - mean2) @ components2.T  # (N, 2)
print(f"training MSE after {len(history)} epochs: {history[-1]:.4f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
palette = OKABE_ITO + ["#999999", "#882255"]
for ax, codes, title in [(axes[0], code_test, "autoencoder code (2-D)"),
                         (axes[1], pca_test, "PCA, first two components")]:
    for c in range(10):
        points = codes[y_test == c]
        ax.scatter(points[:, 0], points[:, 1], s=4, color=palette[c], label=classes[c])
    ax.set(title=title, xticks=[], yticks=[])
axes[1].legend(fontsize=7, markerscale=3, loc="center left", bbox_to_anchor=(1, 0.5))
plt.show()

# %% [markdown]
# In both maps the footwear (sandal, sneaker, ankle boot) and the trousers form their own
# regions, and the tops (T-shirt, pullover, coat, shirt) overlap: they really do look
# alike. To compare the maps by more than eye, we classify each test image by its 5 nearest
# training codes (a classifier that sees nothing but the 2-D map):

# %% tags=["nbval-ignore-output"]
def knn_accuracy(train_codes, test_codes):
    knn = KNeighborsClassifier(n_neighbors=5).fit(train_codes.numpy(), y.numpy())
    return knn.score(test_codes.numpy(), y_test.numpy())


knn_ae, knn_pca = knn_accuracy(code_train, code_test), knn_accuracy(pca_train, pca_test)
print(f"5-NN test accuracy in the 2-D map: autoencoder {knn_ae:.3f}, PCA {knn_pca:.3f}")

# %%
print("the autoencoder's 2-D map keeps the classes apart better than PCA's (by > 0.05):",
      knn_ae > knn_pca + 0.05)

# %% [markdown]
# ## 3. Walking on the manifold
#
# Two images can be blended in two ways: in **pixel space**,
# $(1-t)\,x_a + t\,x_b$, which superimposes two half-transparent pictures, or in **code
# space**, $g\big((1-t)\,f(x_a) + t\,f(x_b)\big)$, which moves along the learned manifold and
# decodes every point to something garment-like:

# %%
x_a, x_b = X_test[y_test == 0][0], X_test[y_test == 9][0]  # a T-shirt and an ankle boot
ts = torch.linspace(0, 1, 7)[:, None]  # (7, 1)
pixel_blend = (1 - ts) * x_a + ts * x_b  # (7, 784)
with torch.no_grad():
    h_a, h_b = net_2d.encoder(x_a[None]), net_2d.encoder(x_b[None])  # (1, 2) each
    code_blend = net_2d.decoder((1 - ts) * h_a + ts * h_b)  # (7, 784)
fig, axes = plt.subplots(2, 7, figsize=(7, 2.3))
for row, (images, name) in enumerate([(pixel_blend, "pixel space"), (code_blend, "code space")]):
    for c in range(7):
        axes[row, c].imshow(images[c].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        axes[row, c].axis("off")
    axes[row, 0].set_title(name, fontsize=8, loc="left")
plt.show()

# %% [markdown]
# ## 4. Anomaly detection by reconstruction error
#
# An autoencoder reconstructs well what looks like its training data, and badly what does
# not (lesson 01, section 4). So its reconstruction error is an **anomaly score**. We train
# a code-16 autoencoder only on the five classes T-shirt, trouser, pullover, dress and coat
# ("normal") and score every test image; the other five classes (sandal, shirt, sneaker,
# bag, ankle boot) play the anomalies. How well the score separates them is measured by the
# area under the ROC curve (`utils.metrics.roc_auc`, Unit IV): 1 is a perfect ranking, 0.5
# is chance. PCA with 16 components is the baseline.

# %% tags=["nbval-ignore-output"]
normal = y < 5
set_seed(0)
net_normal = mlp_autoencoder(16, hidden=(128,))
train_autoencoder(net_normal, X[normal], num_epochs=10, lr=2e-3)
score_ae = ((reconstruct(net_normal, X_test) - X_test) ** 2).mean(1)  # (2000,) per-image MSE
mean16, components16 = pca_fit(X[normal], 16)
score_pca = ((pca_reconstruct(X_test, mean16, components16) - X_test) ** 2).mean(1)
is_anomaly = (y_test >= 5).long()  # (2000,) 1 = anomaly
auc_ae, auc_pca = roc_auc(is_anomaly.numpy(), score_ae.numpy()), roc_auc(is_anomaly.numpy(), score_pca.numpy())
print(f"ROC-AUC, reconstruction error as anomaly score: autoencoder {auc_ae:.3f}, PCA {auc_pca:.3f}")
for c in range(10):
    print(f"  {classes[c]:12s} mean score {score_ae[y_test == c].mean():.4f}"
          + ("   (anomaly)" if c >= 5 else ""))

# %%
print("the autoencoder's score detects anomalies far better than chance (AUC > 0.75):", auc_ae > 0.75)

# %% [markdown]
# The per-class scores explain the AUC: sandals, sneakers and bags reconstruct badly (they
# are unlike anything the network has seen), while **shirts** reconstruct as well as the
# normal classes, because a shirt looks like a T-shirt or a pullover. An anomaly detector
# finds what is *visually* new to it, not what we happen to call a different class. (The
# printed AUC of PCA shows how much of this any reconstruction-based score gets.)
#
# ## 5. Features for a classifier with few labels
#
# Labels are often scarce while images are not. Train an autoencoder on all 5,000
# **unlabelled** training images, then fit a classifier (logistic regression) on the codes
# of only **100 labelled** images, 10 per class; compare with the same classifier on the raw
# 784 pixels and on 32 PCA components (also fitted without labels).

# %% tags=["nbval-ignore-output"]
labelled = torch.cat([torch.nonzero(y == c)[:10, 0] for c in range(10)])  # (100,) indices
set_seed(0)
net_32 = mlp_autoencoder(32, hidden=(256,))
train_autoencoder(net_32, X, num_epochs=10, lr=2e-3)
mean32, components32 = pca_fit(X, 32)
features = {
    "raw pixels (784)": (X, X_test),
    "PCA (32)": ((X - mean32) @ components32.T, (X_test - mean32) @ components32.T),
    "autoencoder code (32)": (encode(net_32, X), encode(net_32, X_test)),
}
few_label_accuracy = {}
for name, (F_train, F_test) in features.items():
    scale = F_train.std()  # one number, so that the regularisation means the same everywhere
    classifier = LogisticRegression(max_iter=2000).fit(
        (F_train[labelled] / scale).numpy(), y[labelled].numpy())
    few_label_accuracy[name] = classifier.score((F_test / scale).numpy(), y_test.numpy())
    print(f"{name:22s} test accuracy with 100 labels: {few_label_accuracy[name]:.3f}")

# %%
acc = few_label_accuracy
print("all three learn from 100 labels (accuracy > 0.55):", min(acc.values()) > 0.55)
print("the autoencoder code is within 0.05 of the best of the three:",
      acc["autoencoder code (32)"] > max(acc.values()) - 0.05)

# %% [markdown]
# With 100 labels all three reach a similar accuracy (printed above): on Fashion-MNIST
# with a linear classifier, a 32-number code learned without labels is about as good a
# representation as the 784 pixels, and 24 times smaller. An autoencoder's code is not
# automatically *better* for classification: reconstruction rewards keeping what is large
# in pixel space (shape, brightness), not what separates the classes. That is why modern
# representation learning adds other objectives (denoising, contrastive learning,
# prediction); GBC §15.1 discusses when unsupervised pretraining helps.
#
# Other uses of autoencoder codes (GBC §14.6, §14.9): dimensionality reduction for
# visualisation (section 2), **information retrieval** (search in the small code space
# instead of the images) and **semantic hashing** (binary codes as addresses of similar
# items); the notes add recommendation (004:L839).
#
# ## 6. Exercises
#
# **Exercise 1.** An anomaly detector gives scores 0.1, 0.4, 0.35, 0.8 to four images whose
# labels (1 = anomaly) are 0, 0, 1, 1. What is its ROC-AUC? (Count the (anomaly, normal)
# pairs ranked correctly.)

# %%
auc_by_hand = ...  # your answer, a number
check(auc_by_hand, roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])),
      hint="4 pairs: (0.35 vs 0.1) right, (0.35 vs 0.4) wrong, (0.8 vs both) right")

# %% tags=["solution"] jupyter={"source_hidden": true}
auc_by_hand = 3 / 4
check(auc_by_hand, roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])))

# %% [markdown]
# **Exercise 2.** Write `anomaly_scores(net, X)`: the mean squared reconstruction error of
# each row of `X` (N, 784) under the autoencoder `net`, as a tensor (N,).

# %%
def anomaly_scores(net, X):
    ...  # your code


check_function(anomaly_scores, lambda net, X: ((reconstruct(net, X) - X) ** 2).mean(1),
               [(net_normal, X_test[:50]), (net_2d, X_test[:5])],
               hint="((reconstruct(net, X) - X) ** 2).mean(1)")

# %% tags=["solution"] jupyter={"source_hidden": true}
def anomaly_scores(net, X):
    X_hat = reconstruct(net, X)  # (N, 784)
    return ((X_hat - X) ** 2).mean(1)


check_function(anomaly_scores, lambda net, X: ((reconstruct(net, X) - X) ** 2).mean(1),
               [(net_normal, X_test[:50]), (net_2d, X_test[:5])])

# %% [markdown]
# ## 7. Review questions (Part A)

# %%
quiz("Why can an autoencoder's reconstruction error detect anomalies?",
     ["Anomalies have more pixels", "It reconstructs well only inputs like its training data",
      "Its loss is a classification loss"],
     answer=1, explanation="The bottleneck makes it reconstruct along the training data's "
     "manifold only; far from it the error is large.")

# %%
quiz("An autoencoder trained on T-shirts, trousers, pullovers, dresses and coats sees a shirt. "
     "Its reconstruction error is…",
     ["large, because 'shirt' is a new class", "small, because a shirt looks like the "
      "training images", "undefined"],
     answer=1, explanation="The detector measures visual novelty, not class labels (section 4).")

# %% [markdown]
# <details><summary><b>How is an autoencoder trained, and how does it differ from an
# MLP classifier?</b></summary>
# By backpropagation of a reconstruction loss such as ‖x − d(e(x))‖², with the input as
# its own target: no labels are needed. An MLP classifier has a target y that is not the
# input and is trained on labelled pairs.
# </details>
#
# <details><summary><b>Name four uses of autoencoders.</b></summary>
# Dimensionality reduction and visualisation; anomaly detection by reconstruction error;
# denoising (lesson 02); features or pretraining for a classifier with few labels;
# information retrieval and semantic hashing; and, as VAEs, generating new data.
# </details>
#
# ## Summary
# - An autoencoder learns the manifold of its training data: it reconstructs along it and
#   not elsewhere.
# - Its 2-D code separates the classes better than PCA's (5-NN accuracy printed above).
# - Reconstruction error is an anomaly score (ROC-AUC printed above); it detects visual
#   novelty, not class names.
# - With 100 labels, a 32-number code is about as good as the raw pixels for a linear
#   classifier: useful and compact, not magic.
#
# **Next:** lesson 05 turns the autoencoder into a generative model: the variational
# autoencoder.
