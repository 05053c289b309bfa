"""Switches to eval mode but leaves autograd on, so every prediction records a graph."""

GOTCHA = r"autograd graph.*torch\.no_grad\(\)"


def predict(model, images):
    model.eval()
    return model(images)
