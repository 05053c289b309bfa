"""Saves the model and the epoch only; the resumed Adam starts over."""

GOTCHA = r"holds no optimizer state"

import torch

from solution_copy import solution_with


def save_checkpoint(path, model, optimizer, epoch, history):
    torch.save({"model": model.state_dict(), "epoch": epoch, "history": history}, path)


def resume_training(path, data_dir=None, epochs=5, lr=1e-3, batch_size=16, image_size=224, seed=0):
    checkpoint = torch.load(path, weights_only=True)
    model = _solution.build_model(len(checkpoint["model"]["fc.bias"]), weights=None)
    model.load_state_dict(checkpoint["model"])
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=lr)
    return _solution.fit(model, optimizer, path, data_dir, epochs, batch_size, image_size, seed, checkpoint["history"])


_solution = solution_with("11", save_checkpoint=save_checkpoint, resume_training=resume_training)


def __getattr__(name):
    return getattr(_solution, name)
