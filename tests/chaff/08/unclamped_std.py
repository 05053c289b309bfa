"""Standardises the cached features with a bare std: a feature that never varies divides 0 by 0."""

GOTCHA = r"The head's inputs already held inf or nan.*clamp the std"

from solution_copy import solution_with


def feature_statistics(features):
    return features.mean(dim=0), features.std(dim=0)


_solution = solution_with("08", feature_statistics=feature_statistics)


def __getattr__(name):
    return getattr(_solution, name)
