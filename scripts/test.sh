#!/usr/bin/env bash
# Builds kerntune (if needed) and runs every test suite. OpenCL suites run on the CPU through PoCL;
# suites labelled `gpu` skip themselves where no CUDA device exists.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
bash scripts/build.sh "$@"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
