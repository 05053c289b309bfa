"""Hidden checks for exercise 12: three classes, a shuffled loader, and a scaler across two steps."""

import torch
from torch import nn
from torch.utils.data import TensorDataset

from kata.checks import expect_type
from kata.learner import fail
from kata.training import pretend

CPU = torch.device("cpu")


def test_a_shuffled_loader_is_seeded(learner):
    dataset = TensorDataset(torch.arange(32.0).reshape(32, 1), torch.zeros(32, dtype=torch.long))

    def order(seed: int) -> list[float]:
        loader = learner.make_loader(dataset, 8, CPU, shuffle=True, seed=seed)
        return [float(x) for images, _ in loader for x in images.flatten()]

    first, again, other = order(3), order(3), order(4)
    if first != again or first == other or first == sorted(first):
        fail("make_loader(..., shuffle=True, seed=s) should shuffle, the same way for the same seed and "
             "differently for another: DataLoader(..., shuffle=True, generator=torch.Generator().manual_seed(seed)).")


def test_the_scaler_carries_over_two_steps_with_three_classes(learner):
    torch.manual_seed(2)
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3))
    images, labels = torch.randn(6, 3, 12, 12), torch.tensor([0, 1, 2, 2, 1, 0])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    with pretend(cuda=True, mps=False):
        scaler = torch.amp.GradScaler("cuda", init_scale=2.0 ** 10, growth_interval=2)
        losses = [learner.train_step(model, images, labels, optimizer, scaler, CPU) for _ in range(2)]
    for loss in losses:
        expect_type(loss, float, "train_step(...)")
    if scaler.get_scale() != 2.0 ** 11:
        fail(f"After two steps with growth_interval=2, the scaler's scale is {scaler.get_scale()}; it should "
             f"have doubled to {2.0 ** 11}: call scaler.update() after every scaler.step(optimizer).")
    if not losses[1] < losses[0]:
        fail(f"Two train steps on the same batch did not lower its loss ({losses[0]:.4f}, then {losses[1]:.4f}).")
    low = [n for n, p in model.named_parameters() if p.dtype != torch.float32]
    if low:
        fail(f"After two steps, {low} are no longer float32: keep the master weights in float32.")
