"""Caches in channels-last layout (convolutions run about twice as fast on a CPU), same values."""

import torch

from solution_copy import solution_with


@torch.no_grad()
def cache(module, batches, device):
    module.eval()
    pairs = [(module(x.to(device, memory_format=torch.channels_last) if x.dim() == 4 else x.to(device)),
              y.to(device)) for x, y in batches]
    return torch.cat([o for o, _ in pairs]).contiguous(), torch.cat([y for _, y in pairs])


_solution = solution_with("10", cache=cache)


def __getattr__(name):
    return getattr(_solution, name)
