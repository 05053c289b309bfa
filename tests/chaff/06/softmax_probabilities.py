"""Predicts correctly but returns softmax probabilities instead of the model's raw scores."""

GOTCHA = r"returned probabilities"

import torch


def predict(model, images):
    model.eval()
    with torch.no_grad():
        return model(images).softmax(dim=1)
