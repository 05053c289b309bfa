"""Types resnet18's feature width into the new head instead of reading it off the old one."""

GOTCHA = r"On a resnet50, model.fc takes 512 inputs, but the backbone produces 2048 features"

from torch import nn


def feature_extractor(model, num_classes):
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(512, num_classes)
    return model
