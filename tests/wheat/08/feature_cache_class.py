"""Correct, another way: a small dataclass holds each split's cached features, channels-last on the
CPU, the train/eval mode of the caller's model restored after extraction, and extra prints."""

import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets
from torchvision.models import ResNet18_Weights, resnet18

DATA = Path(__file__).resolve().parents[3] / "exercises" / "08" / "data"
WEIGHTS = ResNet18_Weights.DEFAULT


@dataclass
class Split:
    features: torch.Tensor
    labels: torch.Tensor

    def scaled(self, mean, std):
        return Split((self.features - mean) / std, self.labels)


def pick_device(device=None):
    if isinstance(device, torch.device):
        return device
    if isinstance(device, str):
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def make_loaders(data_dir, image_size=224, batch_size=32):
    transform = WEIGHTS.transforms(crop_size=image_size, resize_size=int(image_size * 256 / 224))
    train_set = datasets.ImageFolder(Path(data_dir) / "train", transform)
    val_set = datasets.ImageFolder(Path(data_dir) / "val", transform)
    return DataLoader(train_set, batch_size, num_workers=0), DataLoader(val_set, batch_size, num_workers=0)


def extract(model, loader, device):
    was_training = model.training
    model.eval()
    layout = torch.channels_last if device.type == "cpu" else torch.preserve_format
    body = nn.Sequential(*list(model.children())[:-1]).to(memory_format=layout)
    try:
        with torch.no_grad():
            chunks = [(body(x.to(device).contiguous(memory_format=layout)).flatten(1), y.to(device))
                      for x, y in loader]
    finally:
        model.train(was_training)
    return Split(torch.cat([c[0] for c in chunks]), torch.cat([c[1] for c in chunks]))


def train(data_dir=DATA, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    device = pick_device(device)
    torch.manual_seed(seed)
    loaders = make_loaders(data_dir, image_size, batch_size)
    classes = loaders[0].dataset.classes
    model = resnet18(weights=WEIGHTS)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, len(classes))
    model.to(device)
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=lr, betas=(0.9, 0.999))
    print(f"classes: {classes}")

    started = time.perf_counter()
    raw_train, raw_val = (extract(model, loader, device) for loader in loaders)
    print(f"features of {len(raw_train.labels)} + {len(raw_val.labels)} images in {time.perf_counter() - started:.1f} s")
    mean, std = raw_train.features.mean(0), raw_train.features.std(0).clamp_min(1e-2)
    train_split, val_split = raw_train.scaled(mean, std), raw_val.scaled(mean, std)
    batches = DataLoader(TensorDataset(train_split.features, train_split.labels), batch_size=batch_size,
                         shuffle=True, generator=torch.Generator(device="cpu").manual_seed(seed))

    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.fc.train()
        total, n = 0.0, 0
        for x, y in batches:
            optimizer.zero_grad()
            loss = nn.CrossEntropyLoss()(model.fc(x.to(device)), y.to(device))
            loss.backward()
            optimizer.step()
            total, n = total + loss.item() * len(y), n + len(y)
        model.fc.eval()
        with torch.no_grad():
            accuracy = (model.fc(val_split.features).argmax(1) == val_split.labels).float().mean().item()
        history.append({"epoch": epoch, "train_loss": total / n, "val_accuracy": accuracy,
                        "seconds": time.perf_counter() - start})
        print(f"epoch {epoch} of {epochs}  loss {total / n:.4f}  accuracy {accuracy:.3f}")

    with torch.no_grad():
        model.fc.weight.div_(std)
        model.fc.bias.sub_(model.fc.weight @ mean)
    return model.eval(), history
