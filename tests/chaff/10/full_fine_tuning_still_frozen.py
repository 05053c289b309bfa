"""Full fine-tuning on the frozen model of build_model: only the head ever trains."""

GOTCHA = r"left 60 params frozen"

import torch

from solution_copy import solution_with

_solution = solution_with("10")


def fine_tune_everything(data_dir=_solution.DATA, epochs=3, lr=1e-4, batch_size=16, image_size=224, device=None,
                         seed=0):
    s = _solution
    device = torch.device(device or "cpu")
    torch.manual_seed(seed)
    train_loader, val_loader = s.make_loaders(data_dir, image_size, batch_size)
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(1, epochs + 1):
        loss = s.train_one_epoch(model, optimizer, train_loader, device)
        accuracy = s.evaluate(model, val_loader, device)
        history.append({"epoch": epoch, "train_loss": loss, "val_accuracy": accuracy, "seconds": 0.0})
        print(f"epoch {epoch}/{epochs}  train loss {loss:.4f}  val accuracy {accuracy:.3f}")
    return model, history


def __getattr__(name):
    return getattr(_solution, name)
