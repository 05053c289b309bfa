"""Walks named_parameters and reports how many tensors it froze."""

from torch import nn


def feature_extractor(model, num_classes):
    frozen = 0
    for name, param in model.named_parameters():
        param.requires_grad = False
        frozen += 1
    print(f"froze {frozen} tensors; new head for {num_classes} classes")
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
