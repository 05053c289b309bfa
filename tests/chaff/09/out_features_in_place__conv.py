"""Replaces every Linear head properly, but edits squeezenet's 1x1 conv head in place."""

GOTCHA = r"On squeezenet1_1, model\.classifier\[1\]\.weight still has 1000 rows.*Setting `out_channels`"

from torch import nn


def swap_classifier(model, num_classes):
    layers = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Linear)]
    if not layers:
        conv = [m for m in model.modules() if isinstance(m, nn.Conv2d)][-1]
        conv.out_channels = num_classes
        return model
    name, old = layers[-1]
    model.set_submodule(name, nn.Linear(old.in_features, num_classes))
    return model
