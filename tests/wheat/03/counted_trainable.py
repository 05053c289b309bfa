"""Freezes with a generator expression and checks its own work with a count before returning."""

from torch import nn


def trainable_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def feature_extractor(model, num_classes):
    list(map(lambda p: p.requires_grad_(False), model.parameters()))
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    expected = model.fc.in_features * num_classes + num_classes
    assert trainable_count(model) == expected, "only the head should train"
    return model
