"""Stays silent while training and prints the whole history once at the end."""

GOTCHA = r"printed 1 line mentioning 'epoch'"

import time

import torch
from torch.utils.data import DataLoader, TensorDataset

from solution_copy import solution_with

_solution = solution_with("08")


def train(data_dir=_solution.DATA, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    s = _solution
    device = s.pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = s.make_loaders(data_dir, image_size)
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    optimizer = s.make_optimizer(model, lr)
    train_x, train_y = s.extract_features(model, train_loader, device)
    val_x, val_y = s.extract_features(model, val_loader, device)
    mean, std = train_x.mean(dim=0), train_x.std(dim=0).clamp_min(1e-2)
    train_batches = DataLoader(TensorDataset((train_x - mean) / std, train_y), batch_size=batch_size,
                               shuffle=True, generator=torch.Generator().manual_seed(seed))
    val_batches = [((val_x - mean) / std, val_y)]
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        loss = s.train_one_epoch(model.fc, optimizer, train_batches, device)
        accuracy = s.evaluate(model.fc, val_batches, device)
        history.append({"epoch": epoch, "train_loss": loss, "val_accuracy": accuracy,
                        "seconds": time.perf_counter() - start})
    print(history)
    s.fold_into_head(model.fc, mean, std)
    return model.eval(), history


def __getattr__(name):
    return getattr(_solution, name)
