"""Exercise 04: give the optimizer exactly the parameters that should learn.
Lesson: exercises/04/README.md."""

import torch
from torch import nn


def make_optimizer(model: nn.Module, lr: float = 1e-3, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """A torch.optim.Adam over exactly the parameters of `model` that require grad, nothing else.

    Whatever is frozen (the whole backbone, or only part of it) stays out of the optimizer. It reads
    the requires_grad flags and changes none of them; Adam's own options (foreach=, fused=) are free.
    """
    # TODO: keep only the parameters whose requires_grad is True
    # TODO: return torch.optim.Adam over them, passing lr and weight_decay through
    raise NotImplementedError("exercise 04: see exercises/04/README.md")


def prepare(model: nn.Module, num_classes: int, lr: float = 1e-3) -> tuple[nn.Module, torch.optim.Optimizer]:
    """Get a pretrained resnet ready for feature extraction; return `(model, optimizer)`.

    The backbone is frozen, `model.fc` is a new head for `num_classes` classes, and the optimizer
    (from make_optimizer, with this lr) holds the new head and nothing else. The model returned is
    the one given, changed in place, not a copy or a new model.
    """
    # TODO: freeze every parameter, then swap in the new head (as in exercise 03)
    # TODO: only then build the optimizer with make_optimizer(model, lr=lr)
    # TODO: return the model and the optimizer
    raise NotImplementedError("exercise 04: see exercises/04/README.md")
