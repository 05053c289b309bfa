"""Uses eval mode and detaches the scores: no graph is returned, but one was built and thrown away."""

GOTCHA = r"detached, but the forward pass ran with autograd on"


def predict(model, images):
    model.eval()
    return model(images).detach()
