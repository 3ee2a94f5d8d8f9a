"""How the model is made: data loading and caching, the training loop, export, evaluation.

Imports torch (through `training.loop`); install the `train` extra. The command line is
`pixelgan train`.
"""
