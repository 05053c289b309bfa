"""Indexes into Sequential containers the way a learner writes it by hand: classifier[-1] = ..."""

from torch import nn


def _replace(container, index_or_name, old, num_classes):
    if isinstance(old, nn.Linear):
        new = nn.Linear(old.in_features, num_classes)
    else:
        new = nn.Conv2d(old.in_channels, num_classes, kernel_size=1)
    if isinstance(container, nn.Sequential) and index_or_name.isdigit():
        container[int(index_or_name)] = new
    else:
        setattr(container, index_or_name, new)


def swap_classifier(model, num_classes):
    found = None
    for parent in model.modules():
        for child_name, child in parent.named_children():
            if isinstance(child, nn.Linear):
                found = (parent, child_name, child)
    if found is None:
        for parent in model.modules():
            for child_name, child in parent.named_children():
                if isinstance(child, nn.Conv2d):
                    found = (parent, child_name, child)
    _replace(*found, num_classes)
    return model
