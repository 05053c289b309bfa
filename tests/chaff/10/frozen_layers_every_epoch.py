"""The classic loop in both stages: every image through the whole network every epoch, although
conv1 to layer3 never change."""

GOTCHA = r"conv1 ran over \d+ images.*compute it\s+once"

import torch

from solution_copy import solution_with

_solution = solution_with("10")


def train(data_dir=_solution.DATA, head_epochs=10, fine_tune_epochs=3, lr=1e-3, batch_size=16, image_size=224,
          device=None, seed=0):
    torch.manual_seed(seed)
    device = torch.device("cpu")
    train_loader, val_loader = _solution.make_loaders(data_dir, image_size, batch_size)
    model = _solution.build_model(len(train_loader.dataset.classes))
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=lr)
    history = []
    for epoch in range(1, head_epochs + fine_tune_epochs + 1):
        if epoch == head_epochs + 1:
            optimizer = _solution.unfreeze_layer4(model, optimizer, lr / 10)
        loss = _solution.train_one_epoch(model, optimizer, train_loader, device)
        accuracy = _solution.evaluate(model, val_loader, device)
        history.append(dict(epoch=epoch, stage=1 + (epoch > head_epochs), train_loss=loss,
                            val_accuracy=accuracy, seconds=0.0))
        print("epoch", epoch, history[-1])
    return model, history


def __getattr__(name):
    return getattr(_solution, name)
