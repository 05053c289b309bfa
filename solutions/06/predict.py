"""Exercise 06, reference solution: predict with BatchNorm in eval mode and autograd off."""

import torch
from torch import nn


def predict(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Return `model`'s raw scores for a preprocessed batch `images` of shape (B, 3, H, W).

    The scores of one image must not depend on the rest of the batch, the model's BatchNorm
    statistics and requires_grad flags must stay as they are, and no autograd graph is recorded.
    Leaving the model in eval mode afterwards, or restoring the caller's mode, are both fine.
    """
    model.eval()  # BatchNorm: learned running statistics, no updates
    with torch.no_grad():  # autograd: record nothing
        return model(images)
