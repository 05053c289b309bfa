"""Switches off requires_grad on every parameter instead of autograd: the model comes back frozen."""

GOTCHA = r"predict switched off requires_grad on the model's parameters and left 62 of them frozen"


def predict(model, images):
    model.eval()
    model.requires_grad_(False)
    return model(images)
