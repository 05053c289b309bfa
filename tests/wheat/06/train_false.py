"""model.train(False) is what eval() calls; set_grad_enabled(False) is no_grad with a flag."""

import torch


def predict(model, images):
    model.train(False)
    with torch.set_grad_enabled(False):
        out = model(images)
    return out
