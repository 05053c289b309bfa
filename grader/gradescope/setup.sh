#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image. Pick a base image with
# Python 3.11 or newer (Ubuntu 24.04). The zip is unpacked in /autograder/source.
set -euo pipefail
apt-get update -q
# bubblewrap is the grader's sandbox; where the image cannot create namespaces the grader falls
# back to process isolation, and each result's "sandbox" line says which was used.
apt-get install -y -q python3 python3-venv python3-pip bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet --upgrade pip
/autograder/venv/bin/pip install --quiet torch torchvision --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install --quiet -e /autograder/source
# The real ImageNet weights if the build can reach the internet; without them the few checks
# that need them are left out of the grade (the results say so).
/autograder/venv/bin/python -c "from torchvision.models import resnet18, ResNet18_Weights; resnet18(weights=ResNet18_Weights.DEFAULT)" \
  || echo "No ImageNet weights: checks that need them will not be graded."
# Warm the grader's cache once (stand-in weights, the list of checks) by grading the stubs.
cd /autograder/source
/autograder/venv/bin/python -m grader grade exercises --format json --out /tmp/kata-warmup.json || true
