import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from utils import plotting  # noqa: E402


def test_plot_history_draws_train_and_validation_curves():
    history = {"train_loss": [1.0, 0.5, 0.4], "val_loss": [1.1, 0.7, 0.6],
               "train_acc": [0.5, 0.7, 0.8], "val_acc": [0.45, 0.65, 0.7]}
    loss_ax, acc_ax = plotting.plot_history(history)
    assert [list(line.get_ydata()) for line in loss_ax.lines] == [[1.0, 0.5, 0.4],
                                                                  [1.1, 0.7, 0.6]]
    assert len(acc_ax.lines) == 2 and acc_ax.get_xlabel() == "epoch"
    plt.close("all")


def test_plot_history_without_validation():
    history = {"train_loss": [1.0, 0.5], "train_acc": [0.5, 0.7], "val_loss": [], "val_acc": []}
    loss_ax, _ = plotting.plot_history(history)
    assert len(loss_ax.lines) == 1
    plt.close("all")


def test_show_images_titles_mistakes_as_prediction_and_truth():
    X = torch.rand(4, 1, 28, 28)
    y = torch.tensor([0, 1, 2, 3])
    y_hat = torch.tensor([0, 1, 3, 3])
    fig = plotting.show_images(X, y, ["a", "b", "c", "d"], y_hat=y_hat, n_cols=4, n_rows=1)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["a", "b", "d\n(c)", "d"]
    plt.close("all")


def test_set_style_uses_the_colour_blind_palette():
    plotting.set_style()
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colors[:3] == plotting.OKABE_ITO[:3]
