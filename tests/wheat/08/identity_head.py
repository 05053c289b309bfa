"""Correct, another way: `model.fc = nn.Identity()` turns the model into its own feature extractor,
then the new head goes in; a header line mentions the epochs, and torch.inference_mode replaces
no_grad (its tensors are cloned before the head trains on them)."""

import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets, models

DATA = Path(__file__).resolve().parents[3] / "exercises" / "08" / "data"
WEIGHTS = models.ResNet18_Weights.DEFAULT


def pick_device(device=None):
    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu")


def make_loaders(data_dir, image_size=224, batch_size=32):
    transform = WEIGHTS.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)
    data_dir = Path(data_dir)
    sets = [datasets.ImageFolder(data_dir / split, transform=transform) for split in ("train", "val")]
    return DataLoader(sets[0], batch_size=batch_size), DataLoader(sets[1], batch_size=batch_size)


def embed(backbone, loader, device):
    backbone.eval()
    with torch.inference_mode():
        pairs = [(backbone(x.to(device)), y.to(device)) for x, y in loader]
    return torch.cat([f for f, _ in pairs]).clone(), torch.cat([y for _, y in pairs]).clone()


def train(data_dir=DATA, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    device = pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = make_loaders(data_dir, image_size, batch_size)
    num_classes = len(train_loader.dataset.classes)
    print(f"Training a {num_classes}-class head for {epochs} epochs on {device}")

    model = models.resnet18(weights=WEIGHTS).requires_grad_(False).to(device)
    in_features = model.fc.in_features
    model.fc = nn.Identity()  # the model now returns its 512 features
    x_train, y_train = embed(model, train_loader, device)
    x_val, y_val = embed(model, val_loader, device)
    model.fc = head = nn.Linear(in_features, num_classes).to(device)
    optimizer = torch.optim.Adam(head.parameters(), lr=lr)

    mean, std = x_train.mean(0, keepdim=True), x_train.std(0, keepdim=True).clamp_min(0.01)
    batches = DataLoader(TensorDataset((x_train - mean) / std, y_train), batch_size=batch_size, shuffle=True,
                         generator=torch.Generator().manual_seed(seed))
    x_val = (x_val - mean) / std
    loss_fn = nn.CrossEntropyLoss()

    history = []
    for epoch in range(epochs):
        start = time.perf_counter()
        head.train()
        losses = []
        for x, y in batches:
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(head(x), y)
            loss.backward()
            optimizer.step()
            losses.extend([loss.item()] * len(y))
        head.eval()
        with torch.inference_mode():
            accuracy = (head(x_val).argmax(-1) == y_val).sum().item() / len(y_val)
        history.append({"epoch": epoch + 1, "train_loss": sum(losses) / len(losses),
                        "val_accuracy": accuracy, "seconds": time.perf_counter() - start})
        print(f"[epoch {epoch + 1:02d}/{epochs}] loss {history[-1]['train_loss']:.4f} acc {accuracy:.2%}")
    print(f"done: {epochs} epochs, final accuracy {history[-1]['val_accuracy']:.3f}")

    with torch.no_grad():
        head.weight.copy_(head.weight / std)
        head.bias.copy_(head.bias - (head.weight @ mean.squeeze(0)))
    return model, history
