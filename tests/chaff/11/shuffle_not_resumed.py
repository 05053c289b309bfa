"""One generator seeded at the start of fit(): a resumed run replays epoch 1's shuffle as its epoch 2."""

GOTCHA = r"differs from an\s+uninterrupted one.*shuffled as the uninterrupted run"

import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from solution_copy import solution_with


def fit(model, optimizer, path, data_dir, epochs, batch_size, image_size, seed, history):
    (train_x, train_y), (val_x, val_y) = _solution.features(model, data_dir, image_size)
    batches = DataLoader(TensorDataset(train_x, train_y), batch_size=batch_size, shuffle=True,
                         generator=torch.Generator().manual_seed(seed))
    for epoch in range(len(history) + 1, epochs + 1):
        losses = []
        for x, y in batches:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model.fc(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item() * len(y))
        accuracy = (model.fc(val_x).argmax(1) == val_y).float().mean().item()
        history.append({"epoch": epoch, "train_loss": sum(losses) / len(train_y), "val_accuracy": accuracy,
                        "seconds": time.perf_counter() % 1})
        print("epoch", epoch, history[-1])
        _solution.save_checkpoint(path, model, optimizer, epoch, history)
    return model.eval(), history


_solution = solution_with("11", fit=fit)


def __getattr__(name):
    return getattr(_solution, name)
