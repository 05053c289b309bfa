"""Full fine-tuning at the fresh head's learning rate, 1e-3."""

GOTCHA = r"full fine-tuning wants one low rate.*scribble"

from solution_copy import solution_with

_solution = solution_with("10")


def fine_tune_everything(data_dir=_solution.DATA, epochs=3, lr=1e-3, batch_size=16, image_size=224, device=None,
                         seed=0):
    return _solution.fine_tune_everything(data_dir, epochs, lr, batch_size, image_size, device, seed)


def __getattr__(name):
    return getattr(_solution, name)
