"""train() mode for the module, then every BatchNorm put back in eval mode (Keras' advice, by hand)."""

from torch import nn

from solution_copy import solution_with


def train_one_epoch(module, optimizer, batches, device):
    module.train()
    for layer in module.modules():
        if isinstance(layer, nn.modules.batchnorm._BatchNorm):
            layer.eval()
    losses = []
    for inputs, labels in batches:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(module(inputs.to(device)), labels.to(device), reduction="sum")
        (loss / len(labels)).backward()
        optimizer.step()
        losses.append((loss.item(), len(labels)))
    return sum(l for l, _ in losses) / sum(n for _, n in losses)


_solution = solution_with("10", train_one_epoch=train_one_epoch)


def __getattr__(name):
    return getattr(_solution, name)
