"""make_loaders honours image_size, but train() never hands it on: every image is cut to 224 pixels."""

GOTCHA = r"fed the backbone images of 224x224 pixels, not 56x56: the image_size argument was ignored"

import torch

from solution_copy import solution_with


def train(data_dir=None, epochs=20, lr=1e-3, batch_size=16, image_size=224, device=None, seed=0):
    s = _solution
    device = s.pick_device(device)
    torch.manual_seed(seed)
    train_loader, val_loader = s.make_loaders(data_dir or s.DATA)  # image_size left out
    model = s.build_model(len(train_loader.dataset.classes)).to(device)
    optimizer = s.make_optimizer(model, lr)
    train_x, train_y = s.extract_features(model, train_loader, device)
    val_x, val_y = s.extract_features(model, val_loader, device)
    mean, std = s.feature_statistics(train_x)
    history = s.fit(model.fc, optimizer, s.head_batches((train_x - mean) / std, train_y, batch_size, seed),
                    [((val_x - mean) / std, val_y)], epochs, device)
    s.fold_into_head(model.fc, mean, std)
    return model.eval(), history


_solution = solution_with("08", train=train)


def __getattr__(name):
    return getattr(_solution, name)
