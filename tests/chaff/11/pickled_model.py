"""torch.save(model): the whole object pickled, class names and all."""

GOTCHA = r"torch.save\(model\) pickles"

import torch

from solution_copy import solution_with


def save_checkpoint(path, model, optimizer, epoch, history):
    torch.save({"model": model, "optimizer": optimizer.state_dict(), "epoch": epoch, "history": history}, path)


def load_for_inference(path, num_classes):
    return torch.load(path, weights_only=False)["model"].eval()


_solution = solution_with("11", save_checkpoint=save_checkpoint, load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
