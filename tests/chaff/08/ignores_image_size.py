"""make_loaders honours image_size, but train() never hands it on: every image is cut to 224 pixels."""

GOTCHA = r"fed the backbone images of 224x224 pixels, not 56x56: the image_size argument was ignored"

import torch

from solution_copy import solution_with


def train(data_dir=None, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    s = _solution
    device = s.pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = s.make_loaders(data_dir or s.DATA)  # image_size left out
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    history = s.fit_on_features(model, s.make_optimizer(model, lr), train_loader, val_loader, epochs,
                                batch_size, seed, device)
    return model.eval(), history


_solution = solution_with("08", train=train)


def __getattr__(name):
    return getattr(_solution, name)
