"""Never shuffles the cached features: every epoch feeds the head the same batches in the same order."""

GOTCHA = r"Every epoch fed the head the same batches in the same order"

from torch.utils.data import DataLoader, TensorDataset

from solution_copy import solution_with


def head_batches(features, labels, batch_size, seed):
    return DataLoader(TensorDataset(features, labels), batch_size=batch_size)


_solution = solution_with("08", head_batches=head_batches)


def __getattr__(name):
    return getattr(_solution, name)
