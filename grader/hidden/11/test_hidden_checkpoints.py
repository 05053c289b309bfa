"""Hidden check for exercise 11: three classes, stopped after 2 of 3 epochs, then loaded for inference."""

from pathlib import Path

import torch

from kata.checks import state_differences
from kata.learner import fail
from kata.training import copy_subset, run_training

DATA = Path(__file__).resolve().parent.parent / "08" / "data"
PER_CLASS = {"train": 3, "val": 1}
SETTINGS = dict(lr=1e-3, batch_size=4, image_size=48, seed=3)


def test_resumed_after_two_epochs_and_loaded(learner, tmp_path):
    classes = sorted(p.name for p in (DATA / "train").iterdir() if p.is_dir())
    data = copy_subset(DATA, tmp_path / "data", classes, PER_CLASS)
    whole = run_training(lambda: learner.train(tmp_path / "whole.pt", data_dir=data, epochs=3, **SETTINGS), 3)
    run_training(lambda: learner.train(tmp_path / "part.pt", data_dir=data, epochs=2, **SETTINGS), 2)
    resumed = run_training(lambda: learner.resume_training(tmp_path / "part.pt", data_dir=data, epochs=3,
                                                           **SETTINGS), 3, what="resume_training(...)")
    differ = state_differences(resumed.model.state_dict(), whole.model.state_dict())
    if differ:
        fail(f"Stopped after epoch 2 of 3 and resumed, {len(differ)} tensors differ from the uninterrupted run.")
    model = learner.load_for_inference(tmp_path / "part.pt", len(classes))
    images = torch.randn(3, 3, 48, 48, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        if not torch.equal(model(images), resumed.model.eval()(images)):
            fail("The model loaded from the resumed run's last checkpoint predicts differently from the run's model.")
