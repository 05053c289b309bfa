"""prepare ignores the model it is given and loads its own pretrained resnet18."""

GOTCHA = r"prepare\(model, 3, lr=0.001\) returned a different ResNet object from the model it was given"

from torch import nn
from torchvision.models import ResNet18_Weights, resnet18

from solution_copy import solution_with


def prepare(model, num_classes, lr=1e-3):
    model = resnet18(weights=ResNet18_Weights.DEFAULT)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, _solution.make_optimizer(model, lr=lr)


_solution = solution_with("04", prepare=prepare)


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
