"""Be the tuner (lesson IV.3): manual hyperparameter search against a budget of trials.

The **model** is `TunerGame`: the digits MLP of utils.tuning, a budget, and the history of
trials (settings, training and validation error). `train()` runs one trial.

The **view** is `demo()`: sliders for the learning rate, hidden width, weight decay,
epochs and batch size (moving one only moves the "next trial" marker); a Train button that
retrains a fresh network (progress bar per epoch) and adds a row to the history; a Reveal
button that overlays a learning-rate sweep at the current other settings; New game.
"""
import html
import math

import ipywidgets as widgets
import numpy as np

from utils.tuning import load_digits_split, train_mlp
from utils.widgets import Demo, FigureView, message, new_figure, one_thread, say

WIDTHS = (0, 8, 16, 32, 64, 128)
WEIGHT_DECAYS = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
EPOCHS = (1, 2, 5, 10, 20)
BATCH_SIZES = (16, 32, 64, 128, 256, 1000)
LR_RANGE = (-4, 1)  # log10 of the learning rate
SWEEP = np.logspace(-4, 1, 11)


class TunerGame:
    """A budget of trials and their history on the digits validation set."""

    def __init__(self, budget=12, data=None):
        self.data = data if data is not None else load_digits_split()
        self.budget = budget
        self.history = []

    @property
    def left(self):
        return self.budget - len(self.history)

    def train(self, settings, on_epoch=None):
        """One trial: train with `settings` (lr, hidden, weight_decay, num_epochs,
        batch_size) and append a row to the history. Returns the row or None if the
        budget is spent."""
        if self.left <= 0:
            return None
        result = train_mlp(self.data, on_epoch=on_epoch, **settings)
        row = dict(settings, train_err=result["train_err"], val_err=result["val_err"],
                   diverged=result["diverged"])
        self.history.append(row)
        return row

    def best(self):
        return min(self.history, key=lambda row: row["val_err"]) if self.history else None

    def sweep(self, settings, on_step=None):
        """Validation error over SWEEP learning rates with the other settings fixed
        (not counted in the budget); `on_step()` is called after each run."""
        fixed = {k: v for k, v in settings.items() if k != "lr"}
        errors = []
        for rate in SWEEP:
            errors.append(train_mlp(self.data, lr=float(rate), **fixed)["val_err"])
            if on_step is not None:
                on_step()
        return np.array(errors)


def _history_html(history, n_rows=6):
    if not history:
        return "<i>no trials yet: choose settings and press Train</i>"
    head = "".join(f"<th style='padding:0 6px'>{h}</th>" for h in
                   ["#", "lr", "width", "decay", "epochs", "batch", "train err", "val err"])
    best = min(range(len(history)), key=lambda i: history[i]["val_err"])
    rows = []
    for i in range(max(0, len(history) - n_rows), len(history)):
        r = history[i]
        style = " style='font-weight:bold'" if i == best else ""
        values = [i + 1, f"{r['lr']:.2g}", r["hidden"], f"{r['weight_decay']:g}", r["num_epochs"],
                  r["batch_size"], f"{r['train_err']:.3f}", f"{r['val_err']:.3f}"
                  + (" (diverged)" if r["diverged"] else "")]
        rows.append(f"<tr{style}>" + "".join(f"<td style='padding:0 6px'>{html.escape(str(v))}</td>"
                                             for v in values) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def demo(budget=12):
    """Be the tuner: find the lowest validation error on digits within `budget` trials."""
    game = TunerGame(budget)
    lr = widgets.FloatLogSlider(value=0.01, base=10, min=LR_RANGE[0], max=LR_RANGE[1], step=0.25,
                                description="learning rate", readout_format=".2g")
    hidden = widgets.SelectionSlider(options=WIDTHS, value=32, description="hidden width")
    decay = widgets.SelectionSlider(options=WEIGHT_DECAYS, value=0.0, description="weight decay")
    epochs = widgets.SelectionSlider(options=EPOCHS, value=5, description="epochs")
    batch = widgets.SelectionSlider(options=BATCH_SIZES, value=64, description="batch size")
    train_button = widgets.Button(description="Train", icon="play", button_style="primary")
    reveal_button = widgets.Button(description="Reveal LR sweep", icon="eye")
    new_button = widgets.Button(description="New game", icon="refresh")
    progress = widgets.IntProgress(value=0, min=0, max=1, description="training")
    info, table = message(), widgets.HTML()

    fig = new_figure(9.0, 3.2, dpi=80)
    ax_trials, ax_lr = fig.subplots(1, 2)
    trial_points = ax_trials.scatter([], [], s=25, color="#0072B2", zorder=3, animated=True,
                                     label="validation error of the trial")
    best_line, = ax_trials.plot([], [], drawstyle="steps-post", color="#D55E00", animated=True,
                                label="best so far")
    ax_trials.set(xlim=(0.5, budget + 0.5), ylim=(0, 0.95), xlabel="trial",
                  ylabel="validation error", title="trials against the budget")
    ax_trials.legend(loc="upper right", fontsize=8)
    lr_points = ax_lr.scatter([], [], s=25, color="#0072B2", zorder=3, animated=True)
    sweep_line, = ax_lr.plot([], [], "o-", ms=3, color="#009E73", animated=True,
                             label="LR sweep (revealed)")
    next_marker = ax_lr.axvline(lr.value, color="#777777", lw=1.5, ls="--", animated=True)
    ax_lr.set(xscale="log", xlim=(10 ** LR_RANGE[0], 10 ** LR_RANGE[1]), ylim=(0, 0.95),
              xlabel="learning rate (dashed: next trial)", ylabel="validation error",
              title="trials by learning rate")
    ax_lr.legend(loc="upper left", fontsize=8)
    view = FigureView(fig)

    def settings():
        return {"lr": float(lr.value), "hidden": hidden.value, "weight_decay": decay.value,
                "num_epochs": epochs.value, "batch_size": batch.value}

    @one_thread()
    def draw():
        h = game.history
        if h:
            trials = np.arange(1, len(h) + 1)
            val = np.array([r["val_err"] for r in h])
            trial_points.set_offsets(np.column_stack([trials, val]))  # (T, 2)
            best_line.set_data(np.r_[trials, len(h) + 0.5], np.r_[np.minimum.accumulate(val), val.min()])
            lr_points.set_offsets(np.column_stack([[r["lr"] for r in h], val]))  # (T, 2)
        else:
            for points in (trial_points, lr_points):
                points.set_offsets(np.empty((0, 2)))
            best_line.set_data([], [])
        next_marker.set_xdata([lr.value, lr.value])
        table.value = _history_html(h)
        train_button.disabled = game.left <= 0
        view.redraw()

    @one_thread()
    def on_setting(_=None):
        s = settings()
        steps = s["num_epochs"] * math.ceil(len(game.data.X_train) / s["batch_size"])
        say(info, f"Next trial: {steps} updates. {game.left} of {game.budget} trials left.")
        draw()

    @one_thread()
    def on_train(_):
        s = settings()
        progress.max, progress.value = s["num_epochs"], 0
        row = game.train(s, on_epoch=lambda e: setattr(progress, "value", e))
        if row is None:
            say(info, "The budget is spent: this is where a real project stops. "
                      "Press New game to start again.", "warn")
        elif row["diverged"]:
            say(info, f"Trial {len(game.history)} diverged (the loss blew up): the learning "
                      "rate is too large for these settings.", "warn")
        else:
            best = game.best()
            say(info, f"Trial {len(game.history)}: validation error {row['val_err']:.3f}; best so "
                      f"far {best['val_err']:.3f}. {game.left} trials left.")
        draw()

    @one_thread()
    def on_reveal(_):
        s = settings()
        progress.max, progress.value = len(SWEEP), 0
        errors = game.sweep(s, on_step=lambda: setattr(progress, "value", progress.value + 1))
        sweep_line.set_data(SWEEP, errors)
        say(info, "The green curve: validation error over the learning rate with your other "
                  "settings (11 runs, not counted in the budget). Note its U shape.")
        draw()

    @one_thread()
    def on_new(_):
        game.history.clear()
        sweep_line.set_data([], [])
        progress.value = 0
        on_setting()

    for control in (lr, hidden, decay, epochs, batch):
        control.observe(on_setting, names="value")
    train_button.on_click(on_train)
    reveal_button.on_click(on_reveal)
    new_button.on_click(on_new)
    on_setting()
    controls = {"lr": lr, "hidden": hidden, "weight_decay": decay, "num_epochs": epochs,
                "batch_size": batch, "train": train_button, "reveal": reveal_button,
                "new_game": new_button}
    layout = widgets.VBox([widgets.HBox([lr, hidden, decay]), widgets.HBox([epochs, batch]),
                           widgets.HBox([train_button, reveal_button, new_button, progress]),
                           info, view.image, table])
    demo_ = Demo(layout, controls, view)
    demo_.game = game
    return demo_
