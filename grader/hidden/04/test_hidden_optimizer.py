"""Hidden checks for exercise 04: another model, another class count, another learning rate."""

import torch
from torch import nn
from torchvision.models import shufflenet_v2_x0_5

from kata.checks import (
    expect_linear_head, expect_model_and_optimizer, expect_only_head_trainable, expect_optimizer_holds,
    expect_type, head_params, learning_rates, shapes_only,
)
from kata.learner import fail


def test_optimizer_fits_any_model_not_only_resnets(learner):
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
    model[0].requires_grad_(False)
    model[4].bias.requires_grad_(False)
    optimizer = learner.make_optimizer(model, lr=0.05)
    expect_type(optimizer, torch.optim.Optimizer, "make_optimizer(model, lr=0.05)")
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    expect_optimizer_holds(optimizer, model, trainable, "On a small nn.Sequential with some layers frozen: "
                           "give the optimizer [p for p in model.parameters() if p.requires_grad].")


def test_prepare_fits_any_class_count_backbone_and_rate(learner):
    call = "prepare(shufflenet_v2_x0_5, 12, lr=0.004)"
    prepared = learner.prepare(shapes_only(shufflenet_v2_x0_5), 12, lr=0.004)
    model, optimizer = expect_model_and_optimizer(prepared, call)
    expect_linear_head(model, 1024, 12, where="On a shufflenet_v2_x0_5 (1024 features), ")
    expect_only_head_trainable(model)
    expect_optimizer_holds(optimizer, model, head_params(model), f"{call}: the optimizer holds the new head only.")
    rates = learning_rates(optimizer)
    if any(rate != 0.004 for rate in rates):
        fail(f"{call} built an optimizer with lr {rates}. Pass lr on to make_optimizer.")
