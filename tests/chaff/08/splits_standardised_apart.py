"""Standardises each split with its own statistics inside extract_features, so validation's
features are scaled with other numbers than the training features (and the fold)."""

GOTCHA = r"standardise the training and the validation features with the same mean and std"

from solution_copy import solution_with

_reference = solution_with("08")


def extract_features(model, loader, device):
    x, y = _reference.extract_features(model, loader, device)
    mean, std = _reference.feature_statistics(x)  # this split's own statistics
    return (x - mean) / std, y


_solution = solution_with("08", extract_features=extract_features)


def __getattr__(name):
    return getattr(_solution, name)
