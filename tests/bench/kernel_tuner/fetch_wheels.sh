#!/usr/bin/env bash
# Downloads Kernel Tuner and the packages it imports that the GPU machine lacks (it has NumPy
# and CuPy) as wheels for Python 3.12 into .whl/ at the repository root, which git ignores.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 -d .whl \
    kernel_tuner==1.5.0 python-constraint2==2.9.0 jsonschema==4.26.0 \
    jsonschema-specifications==2025.9.1 referencing==0.37.0 rpds-py==2026.9.1 attrs==26.1.0 \
    xmltodict==1.0.4 packaging==26.3 typing_extensions==4.16.0
