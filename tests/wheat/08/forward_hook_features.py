"""Correct, another way: the features come from a forward hook on the pooling layer while the
whole model runs, and the head trains on them in a loop over torch.randperm batches."""

import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision.datasets import ImageFolder
from torchvision.models import ResNet18_Weights, resnet18

DATA = Path(__file__).resolve().parents[3] / "exercises" / "08" / "data"


def pick_device(device=None):
    if device:
        return torch.device(device)
    for name, available in (("cuda", torch.cuda.is_available), ("mps", torch.backends.mps.is_available)):
        if available():
            return torch.device(name)
    return torch.device("cpu")


def make_loaders(data_dir, image_size=224, batch_size=32):
    tf = ResNet18_Weights.IMAGENET1K_V1.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)
    return tuple(DataLoader(ImageFolder(f"{data_dir}/{split}", tf), batch_size=batch_size)
                 for split in ("train", "val"))


def pooled_features(model, loader, device):
    """Run the whole model and keep what enters the head, caught by a hook on avgpool."""
    caught = []
    handle = model.avgpool.register_forward_hook(lambda module, args, out: caught.append(out.flatten(1)))
    model.eval()
    labels = []
    with torch.no_grad():
        for images, targets in loader:
            model(images.to(device))
            labels.append(targets.to(device))
    handle.remove()
    return torch.cat(caught), torch.cat(labels)


def train(data_dir=DATA, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    device = pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = make_loaders(data_dir, image_size)
    model = resnet18(weights="DEFAULT")
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, len(train_loader.dataset.classes))
    model.to(device)
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=lr)

    xs, ys = pooled_features(model, train_loader, device)
    vx, vy = pooled_features(model, val_loader, device)
    mu, sigma = xs.mean(0), xs.std(0).clamp(min=1e-2)
    xs, vx = (xs - mu) / sigma, (vx - mu) / sigma

    shuffler = torch.Generator().manual_seed(seed)
    history = []
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        model.fc.train()
        total = 0.0
        for idx in torch.randperm(len(xs), generator=shuffler).split(batch_size):
            idx = idx.to(device)
            optimizer.zero_grad()
            loss = F.cross_entropy(model.fc(xs[idx]), ys[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        model.fc.eval()
        with torch.no_grad():
            accuracy = (model.fc(vx).argmax(1) == vy).float().mean().item()
        row = dict(epoch=epoch, train_loss=total / len(xs), val_accuracy=accuracy, seconds=time.perf_counter() - t0)
        history.append(row)
        print("Epoch {epoch}: loss={train_loss:.3f} acc={val_accuracy:.3f} ({seconds:.2f}s)".format(**row))

    with torch.no_grad():
        model.fc.weight.div_(sigma)
        model.fc.bias.sub_(model.fc.weight @ mu)
    return model, history
