"""Saves named_parameters() only: BatchNorm's running statistics stay behind, the fresh ones load instead."""

GOTCHA = r"Those are buffers, BatchNorm's running statistics"

import torch

from solution_copy import solution_with


def save_checkpoint(path, model, optimizer, epoch, history):
    weights = {name: p.detach() for name, p in model.named_parameters()}
    torch.save({"model": weights, "optimizer": optimizer.state_dict(), "epoch": epoch, "history": history}, path)


def load_for_inference(path, num_classes):
    model = _solution.build_model(num_classes)
    model.load_state_dict(torch.load(path, weights_only=True)["model"], strict=False)
    return model.eval()


_solution = solution_with("11", save_checkpoint=save_checkpoint, load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
