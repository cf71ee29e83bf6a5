"""Shared helpers for the AD3501 Deep Learning notebooks.

One module per concern, each short enough to read in one sitting:

- `utils.data`     find, verify and load the course's data sets
- `utils.training` seeds, device, one small training loop, evaluation
- `utils.plotting` learning curves, image grids, the course's plot style
- `utils.checks`   self-checks for exercises and a small quiz widget
"""
