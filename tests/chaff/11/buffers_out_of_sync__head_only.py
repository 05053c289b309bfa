"""Saves only the head ("the backbone is frozen anyway") and loads it onto the pretrained backbone."""

GOTCHA = r"The frozen backbone is part of the model too"

import torch

from solution_copy import solution_with


def save_checkpoint(path, model, optimizer, epoch, history):
    torch.save({"head": model.fc.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                "history": history}, path)


def load_for_inference(path, num_classes):
    model = _solution.build_model(num_classes)
    model.fc.load_state_dict(torch.load(path, weights_only=True)["head"])
    return model.eval()


_solution = solution_with("11", save_checkpoint=save_checkpoint, load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
