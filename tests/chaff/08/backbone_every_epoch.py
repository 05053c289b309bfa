"""The classic loop done carefully (BatchNorm held in eval mode, like `norm_eval` in detection
codebases), but it still runs the frozen backbone over every image in every epoch."""

GOTCHA = r"The backbone ran over 36 images during 3 epochs"

import torch
from torch import nn

from solution_copy import solution_with

_reference = solution_with("08")


def build_model(num_classes):
    model = _reference.build_model(num_classes)
    for layer in model.modules():
        if isinstance(layer, nn.BatchNorm2d):
            layer.eval()
            layer.train = lambda mode=True, layer=layer: layer  # BatchNorm never leaves eval mode
    return model


def train(data_dir=_reference.DATA, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    s = _solution
    device = s.pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = s.make_loaders(data_dir, image_size, batch_size)
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    return model, s.fit(model, s.make_optimizer(model, lr), train_loader, val_loader, epochs, device)


_solution = solution_with("08", build_model=build_model, train=train)


def __getattr__(name):
    return getattr(_solution, name)
