import warnings

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from torch import nn  # noqa: E402

from utils.demos import lstm_cell  # noqa: E402


def test_scalar_cell_equals_nn_lstm():
    net = nn.LSTM(1, 1)
    with torch.no_grad():
        for k, gate in enumerate("ifgo"):  # torch's order
            U, W, b = lstm_cell.WEIGHTS[gate]
            net.weight_ih_l0[k] = U
            net.weight_hh_l0[k] = W
            net.bias_ih_l0[k] = b
            net.bias_hh_l0[k] = 0
    for x, h, c in [(1.0, 0.0, 0.5), (-1.5, 0.7, -1.2), (0.3, -0.9, 2.0)]:
        state = lstm_cell.lstm_cell(x, h, c)
        _, (h_t, c_t) = net(torch.tensor([[[x]]]), (torch.tensor([[[h]]]), torch.tensor([[[c]]])))
        assert abs(state["h"] - h_t.item()) < 1e-6 and abs(state["c"] - c_t.item()) < 1e-6


def test_forget_bias_controls_memory():
    keep = lstm_cell.lstm_cell(0.0, 0.0, 1.5, forget_bias=4.0)
    wipe = lstm_cell.lstm_cell(0.0, 0.0, 1.5, forget_bias=-4.0)
    assert keep["f"] > 0.98 and wipe["f"] < 0.02
    assert abs(keep["c"] - 1.5) < 0.2 and abs(wipe["c"]) < 0.2
    assert "keeps most" in lstm_cell.explain(keep, 1.5) and "forgets most" in lstm_cell.explain(wipe, 1.5)


def test_view_redraws():
    demo = lstm_cell.demo()
    for name in demo.controls:
        before = demo.view.image.value
        demo.controls[name].value = -0.75
        assert demo.view.image.value != before, name


DEMO = lstm_cell.demo()


@settings(max_examples=200, deadline=None)
@given(x=st.floats(-2, 2), h_prev=st.floats(-1, 1), c_prev=st.floats(-2, 2), forget_bias=st.floats(-4, 4),
       order=st.permutations(["x", "h_prev", "c_prev", "forget_bias"]))
def test_any_setting_never_raises_or_warns(x, h_prev, c_prev, forget_bias, order):
    values = dict(x=x, h_prev=h_prev, c_prev=c_prev, forget_bias=forget_bias)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in order:
            DEMO.controls[name].value = values[name]
    state = DEMO.model.state
    assert all(0 < state[k] < 1 for k in "fio") and -1 < state["g"] < 1
    assert np.isclose(state["c"], state["f"] * DEMO.controls["c_prev"].value + state["i"] * state["g"])
    assert DEMO.view.image.value[:4] == b"\x89PNG"
