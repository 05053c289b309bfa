"""The classic loop done carefully (BatchNorm kept in eval mode), but it still runs the frozen
backbone over every image in every epoch instead of computing the features once."""

GOTCHA = r"The backbone ran over 36 images during 3 epochs"

import time

import torch
from torch import nn

from solution_copy import solution_with

_solution = solution_with("08")


def train_one_epoch(module, optimizer, batches, device):
    module.train()
    for layer in module.modules():  # the frozen backbone's BatchNorm keeps its statistics
        if isinstance(layer, nn.BatchNorm2d):
            layer.eval()
    loss_fn = nn.CrossEntropyLoss()
    total, count = 0.0, 0
    for inputs, labels in batches:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(module(inputs), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    return total / count


def train(data_dir=_solution.DATA, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    s = _solution
    device = s.pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = s.make_loaders(data_dir, image_size, batch_size)
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    optimizer = s.make_optimizer(model, lr)
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        loss = train_one_epoch(model, optimizer, train_loader, device)
        accuracy = s.evaluate(model, val_loader, device)
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch, "train_loss": loss, "val_accuracy": accuracy, "seconds": seconds})
        print(f"epoch {epoch}/{epochs}  train loss {loss:.4f}  val accuracy {accuracy:.3f}  {seconds:.2f} s")
    return model, history


def __getattr__(name):
    return getattr(_solution, name)
