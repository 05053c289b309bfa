"""Hidden check for exercise 05: both modes size the head for any class count."""

import copy

from kata.checks import expect_linear_head, expect_model_and_optimizer


def test_both_modes_size_the_head_for_the_classes_given(learner, pretrained):
    for mode, num_classes in (("feature_extraction", 10), ("fine_tuning", 2)):
        call = f'configure(model, {num_classes}, "{mode}")'
        model, _ = expect_model_and_optimizer(learner.configure(copy.deepcopy(pretrained), num_classes, mode), call)
        expect_linear_head(model, 512, num_classes, where=f"With {call}, ")
