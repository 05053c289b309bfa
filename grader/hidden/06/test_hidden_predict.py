"""Hidden check for exercise 06: any head, any image size, the same eval-mode scores."""

import copy

import torch
from torch import nn

from kata.checks import expect_type
from kata.learner import fail


def test_scores_fit_any_head_and_image_size(learner, pretrained):
    pretrained.fc = nn.Linear(512, 5)
    images = torch.randn(3, 3, 56, 72, generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        expected = copy.deepcopy(pretrained).eval()(images)
    got = learner.predict(pretrained, images)
    expect_type(got, torch.Tensor, "predict(model, images)")
    if tuple(got.shape) != (3, 5):
        fail(f"For a model with a 5-class head and 3 images of 56x72, predict returned shape "
             f"{tuple(got.shape)}; expected (3, 5). Return model(images) as it is: no fixed 1000, no "
             f"reshaping to a fixed size.")
    if not torch.allclose(got, expected, rtol=1e-4, atol=1e-4):
        fail("For a model with a 5-class head, predict's scores differ from the eval-mode forward pass. "
             "Return model(images) after model.eval(), inside torch.no_grad().")
