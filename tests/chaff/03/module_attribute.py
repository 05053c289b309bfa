"""Sets `requires_grad = False` on modules: a new Python attribute; every parameter stays trainable."""

GOTCHA = r"Setting `requires_grad` on a module .* only adds a plain Python attribute"

from torch import nn


def feature_extractor(model, num_classes):
    for module in model.children():
        module.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
