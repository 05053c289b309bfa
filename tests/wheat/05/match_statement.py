"""A match statement per mode, each case building exactly its optimizer."""

import torch
from torch import nn


def configure(model: nn.Module, num_classes: int, mode: str) -> tuple[nn.Module, torch.optim.Optimizer]:
    match mode:
        case "feature_extraction":
            for param in model.parameters():
                param.requires_grad = False
            model.fc = nn.Linear(model.fc.in_features, num_classes)
            optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)
        case "fine_tuning":
            model.fc = nn.Linear(model.fc.in_features, num_classes)
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-5)
        case _:
            raise ValueError(f"unknown mode {mode!r}; expected 'feature_extraction' or 'fine_tuning'")
    return model, optimizer
