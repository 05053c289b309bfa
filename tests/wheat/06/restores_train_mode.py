"""Predicts in eval mode, then puts the model back in whatever mode the caller had it in."""

import torch
from torch import nn


def predict(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(images)
    finally:
        model.train(was_training)
