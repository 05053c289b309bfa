"""Hidden check for exercise 08: all three classes, another image size, another batch size."""

import shutil
from pathlib import Path

from torch import nn

from kata.checks import expect_linear_head, expect_only_head_trainable, expect_type
from kata.learner import fail

DATA = Path(__file__).resolve().parent / "data"
PER_CLASS = {"train": 2, "val": 1}


def three_class_copy(root: Path) -> list[str]:
    classes = sorted(p.name for p in (DATA / "train").iterdir() if p.is_dir())
    for split, count in PER_CLASS.items():
        for name in classes:
            (root / split / name).mkdir(parents=True)
            for image in sorted((DATA / split / name).glob("*.jpg"))[:count]:
                shutil.copy(image, root / split / name / image.name)
    return classes


def test_every_class_of_the_data_gets_a_score(learner, tmp_path):
    classes = three_class_copy(tmp_path)
    call = f"train(data_dir=<{len(classes)} classes>, epochs=2, batch_size=3, image_size=48)"
    result = learner.train(data_dir=tmp_path, epochs=2, lr=1e-3, batch_size=3, image_size=48, seed=1)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail(f"{call} should return a pair `(model, history)`, but it returned a {type(result).__name__}.")
    model, history = result
    expect_type(model, nn.Module, f"the first item of {call}")
    expect_linear_head(model, 512, len(classes), where=f"With {len(classes)} classes in the data, ")
    expect_only_head_trainable(model)
    if not isinstance(history, list) or len(history) != 2:
        fail(f"{call} should give one history entry per epoch (2); it gave "
             f"{len(history) if isinstance(history, list) else type(history).__name__}.")
