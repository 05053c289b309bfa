"""The classic loop: images through the whole model every epoch, with model.train() on a frozen
backbone, so BatchNorm's running statistics drift from the pretrained ones."""

GOTCHA = r"a loop that calls model.train\(\) on a\s+frozen backbone"

import torch

from solution_copy import solution_with


def train(data_dir=None, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    s = _solution
    device = s.pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = s.make_loaders(data_dir or s.DATA, image_size, batch_size)
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    # fit -> train_one_epoch(model, ...) calls model.train() on the whole model
    return model, s.fit(model, s.make_optimizer(model, lr), train_loader, val_loader, epochs, device)


_solution = solution_with("08", train=train)


def __getattr__(name):
    return getattr(_solution, name)
