"""Exercise 02: give a pretrained resnet a new head for your classes. Lesson: exercises/02/README.md."""

from torch import nn


def swap_head(model: nn.Module, num_classes: int) -> nn.Module:
    """Replace `model.fc` with a fresh linear layer giving `num_classes` scores; return the model.

    The backbone (every layer except `fc`) must stay exactly as it was: it is the part worth reusing.
    Change the model you are given and return that same object, not a copy or a new model.
    """
    # TODO: read the width of the backbone's features off the old head (do not type a number)
    # TODO: assign a new nn.Linear(width, num_classes) to model.fc (editing the old layer is not enough)
    # TODO: return the model
    raise NotImplementedError("exercise 02: see exercises/02/README.md")
