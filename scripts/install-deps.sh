#!/usr/bin/env bash
# Installs kerntune's build and test dependencies from Debian 12 packages. Needs root.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: run as root (sudo bash scripts/install-deps.sh): it calls apt-get" >&2
    exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake ninja-build pkg-config binutils clang-format \
    libboost1.81-all-dev nlohmann-json3-dev libsqlite3-dev libssl-dev libmuparser-dev \
    libvalijson-dev ocl-icd-opencl-dev opencl-headers pocl-opencl-icd >/dev/null
