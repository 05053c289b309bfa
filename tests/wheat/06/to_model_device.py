"""Moves the images to the model's device and brings the scores back to the CPU."""

import torch


def predict(model, images):
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        scores = model(images.to(device))
    return scores.cpu()
