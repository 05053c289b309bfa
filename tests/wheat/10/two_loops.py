"""Written from scratch: one loop per stage, a generator per stage, torch.std_mean, SGD for full fine-tuning."""

from __future__ import annotations

import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.datasets import ImageFolder
from torchvision.models import ResNet18_Weights, resnet18

DATA = Path(__file__).resolve().parents[3] / "exercises" / "08" / "data"


def make_loaders(data_dir, image_size=224, batch_size=32):
    preprocess = ResNet18_Weights.DEFAULT.transforms(crop_size=image_size, resize_size=image_size * 256 // 224)
    return tuple(DataLoader(ImageFolder(Path(data_dir, split), preprocess), batch_size) for split in ("train", "val"))


def build_model(num_classes):
    model = resnet18(weights="DEFAULT").requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def split(model):
    stem = [model.conv1, model.bn1, model.relu, model.maxpool, model.layer1, model.layer2, model.layer3]
    return nn.Sequential(*stem), nn.Sequential(model.layer4, model.avgpool, nn.Flatten(), model.fc)


def cache(module, batches, device):
    module.eval()
    with torch.no_grad():
        outs, ys = zip(*[(module(x.to(device)), y.to(device)) for x, y in batches])
    return torch.cat(outs), torch.cat(ys)


def fold_into_head(head, mean, std):
    with torch.no_grad():
        head.weight.div_(std)
        head.bias.sub_(head.weight @ mean)


def unfreeze_layer4(model, optimizer, lr):
    for p in model.layer4.parameters():
        p.requires_grad_(True)
    optimizer.param_groups[0]["lr"] = lr
    optimizer.add_param_group(dict(params=model.layer4.parameters(), lr=lr / 10))
    return optimizer


def train_one_epoch(module, optimizer, batches, device):
    module.eval()
    seen, summed = 0, 0.0
    for x, y in batches:
        y = y.to(device)
        loss = nn.functional.cross_entropy(module(x.to(device)), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        summed, seen = summed + float(loss) * y.numel(), seen + y.numel()
    return summed / seen


def evaluate(module, batches, device):
    module.eval()
    with torch.no_grad():
        hits = [(module(x.to(device)).argmax(-1) == y.to(device)).sum().item() for x, y in batches]
        total = sum(len(y) for _, y in batches)
    return sum(hits) / total


def _epochs(stage, module, optimizer, train_set, val, numbers, batch_size, device, generator, history):
    batches = DataLoader(train_set, batch_size, shuffle=True, generator=generator)
    for epoch in numbers:
        began = time.perf_counter()
        loss = train_one_epoch(module, optimizer, batches, device)
        accuracy = evaluate(module, val, device)
        history.append(dict(epoch=epoch, stage=stage, train_loss=loss, val_accuracy=accuracy,
                            seconds=time.perf_counter() - began))
        print(f"epoch {epoch} (stage {stage}): loss {loss:.3f}, accuracy {accuracy:.3f}")


def _device(device):
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu")


def train(data_dir=DATA, head_epochs=10, fine_tune_epochs=3, lr=1e-3, batch_size=16, image_size=224, device=None,
          seed=0):
    device = _device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = make_loaders(data_dir, image_size, batch_size)
    model = build_model(len(train_loader.dataset.classes)).to(device)
    bottom, top = split(model)
    x, y = cache(bottom, train_loader, device)
    vx, vy = cache(bottom, val_loader, device)
    pooled = nn.Sequential(model.layer4, model.avgpool, nn.Flatten())
    f, vf = cache(pooled, [(x, y)], device)[0], cache(pooled, [(vx, vy)], device)[0]
    std, mean = torch.std_mean(f, dim=0)
    std = std.clamp(min=1e-2)
    history = []
    optimizer = torch.optim.Adam(model.fc.parameters(), lr)
    _epochs(1, model.fc, optimizer, TensorDataset((f - mean) / std, y), [((vf - mean) / std, vy)],
            range(1, head_epochs + 1), batch_size, device, torch.Generator().manual_seed(seed), history)
    fold_into_head(model.fc, mean, std)
    optimizer = unfreeze_layer4(model, optimizer, lr / 10)
    _epochs(2, top, optimizer, TensorDataset(x, y), [(vx, vy)], range(head_epochs + 1, head_epochs + fine_tune_epochs + 1),
            batch_size, device, torch.Generator().manual_seed(seed + 1), history)
    return model.eval(), history


def fine_tune_everything(data_dir=DATA, epochs=3, lr=1e-4, batch_size=16, image_size=224, device=None, seed=0):
    device = _device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = make_loaders(data_dir, image_size, batch_size)
    model = build_model(len(train_loader.dataset.classes)).requires_grad_(True).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    history = []
    for epoch in range(1, epochs + 1):
        began = time.perf_counter()
        loss = train_one_epoch(model, optimizer, train_loader, device)
        history.append(dict(epoch=epoch, train_loss=loss, val_accuracy=evaluate(model, val_loader, device),
                            seconds=time.perf_counter() - began))
        print(f"epoch {epoch}: loss {loss:.3f}")
    return model.eval(), history
