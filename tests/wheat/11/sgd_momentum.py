"""SGD with momentum (its momentum buffers are the optimizer state to keep) instead of Adam."""

import torch

from solution_copy import solution_with


def train(path, data_dir=None, epochs=5, lr=1e-3, batch_size=16, image_size=224, seed=0):
    torch.manual_seed(seed)
    model = _solution.build_model(len(list((data_dir / "train").iterdir())))
    optimizer = torch.optim.SGD(model.fc.parameters(), lr=lr * 10, momentum=0.9)
    return _solution.fit(model, optimizer, path, data_dir, epochs, batch_size, image_size, seed, [])


def resume_training(path, data_dir=None, epochs=5, lr=1e-3, batch_size=16, image_size=224, seed=0):
    checkpoint = torch.load(path, weights_only=True)
    model = _solution.load_for_inference(path, checkpoint["model"]["fc.bias"].numel())
    optimizer = torch.optim.SGD(model.fc.parameters(), lr=lr * 10, momentum=0.9)
    optimizer.load_state_dict(checkpoint["optimizer"])
    return _solution.fit(model, optimizer, path, data_dir, epochs, batch_size, image_size, seed,
                         checkpoint["history"][: checkpoint["epoch"]])


_solution = solution_with("11", train=train, resume_training=resume_training)


def __getattr__(name):
    return getattr(_solution, name)
