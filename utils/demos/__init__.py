"""The interactive demos, one module each, all built on `utils.widgets`.

Every module has a pure model (numbers only, tested headless) and a `demo(...)` function
that returns a `Demo` (see utils.widgets): `.widget` to display, `.controls` by name and
`.view` (the FigureView), so tests and the latency benchmark can drive it.
"""
