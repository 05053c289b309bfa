"""Writes and reads through open file objects, with a str path, atomically via a temporary name."""

import os

import torch

from solution_copy import solution_with


def save_checkpoint(path, model, optimizer, epoch, history):
    partial = f"{path}.partial"
    with open(partial, "wb") as file:
        torch.save(dict(model=model.state_dict(), optimizer=optimizer.state_dict(), epoch=epoch,
                        history=list(history)), file)
    os.replace(partial, path)


def load_for_inference(path, num_classes):
    with open(str(path), "rb") as file:
        state = torch.load(file, weights_only=True)["model"]
    model = _solution.build_model(num_classes, weights=None)
    model.load_state_dict(state)
    return model.eval()


_solution = solution_with("11", save_checkpoint=save_checkpoint, load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
