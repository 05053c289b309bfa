"""Seeds torch only after the model (and so its new head) has been built: the head's starting
weights come from whatever state the global generator happened to be in."""

GOTCHA = r"The head started from other weights"

import torch

from solution_copy import solution_with


def train(data_dir=None, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    s = _solution
    device = s.pick_device(device)
    train_loader, val_loader = s.make_loaders(data_dir or s.DATA, image_size)
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    torch.manual_seed(seed)  # too late: the new head has drawn its weights already
    history = s.fit_on_features(model, s.make_optimizer(model, lr), train_loader, val_loader, epochs,
                                batch_size, seed, device)
    return model.eval(), history


_solution = solution_with("08", train=train)


def __getattr__(name):
    return getattr(_solution, name)
