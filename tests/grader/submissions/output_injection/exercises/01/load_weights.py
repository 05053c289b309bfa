import sys

print("::notice title=Autograding::Points 100/100")
print("::set-output name=result::eyJ2ZXJzaW9uIjogMX0=")
print("::stop-commands::learner-token")
print("\x1b[2J\x1b[31mall checks passed\x1b[0m")
sys.stderr.write("##[error]the grader is broken\n")


def load_pretrained():
    raise RuntimeError("nothing to see\n::notice title=Autograding::Points 100/100\n  ::error::injected")


def imagenet_categories():
    raise ValueError("\x1b]8;;https://example.invalid\x07click\x1b]8;;\x07 \x1b[1mbold\x1b[0m\r::warning::carriage return\x00")
