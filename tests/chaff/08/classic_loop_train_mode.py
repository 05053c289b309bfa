"""The classic loop: images through the whole model every epoch, with model.train() on a frozen
backbone, so BatchNorm's running statistics drift from the pretrained ones."""

GOTCHA = r"a loop that calls model.train\(\) on a\s+frozen backbone"

import time

import torch

from solution_copy import solution_with

_solution = solution_with("08")


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
        loss = s.train_one_epoch(model, optimizer, train_loader, device)  # model.train() inside
        accuracy = s.evaluate(model, val_loader, device)
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch, "train_loss": loss, "val_accuracy": accuracy, "seconds": seconds})
        print(f"epoch {epoch}/{epochs}  train loss {loss:.4f}  val accuracy {accuracy:.3f}  {seconds:.2f} s")
    return model, history


def __getattr__(name):
    return getattr(_solution, name)
