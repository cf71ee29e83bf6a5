"""Shared helpers for the AD3501 Deep Learning notebooks.

One module per concern, each short enough to read in one sitting:

- `utils.data`     find, verify and load the course's data sets
- `utils.training` seeds, device, one small training loop, evaluation
- `utils.plotting` learning curves, image grids, the course's plot style
- `utils.checks`   self-checks for exercises and a small quiz widget
- `utils.threads`  the course's thread policy for torch
- `utils.course`   the lesson list for the start page
- `utils.cnn`, `utils.rnn`, `utils.sequences`, `utils.autoencoders`: the models and data
  helpers of Units II, III and V
- `utils.metrics`, `utils.search`, `utils.tuning`: metrics, hyperparameter search and the
  fast tuning problem of Unit IV
- `utils.widgets` and `utils.demos`: the widget layer and the interactive demos
"""
