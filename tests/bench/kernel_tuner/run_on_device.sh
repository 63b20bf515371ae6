#!/usr/bin/env bash
# Every CUDA benchmark of the test runner in one go, for one call on the GPU machine:
#   BIN=<folder with kerntune, kerntune-worker, runner_bench> OUT=<results folder> \
#       bash tests/bench/kernel_tuner/run_on_device.sh
# Kernel Tuner's wheels must be in .whl/ (fetch_wheels.sh); NumPy and CuPy must be installed.
set -uo pipefail
cd "$(dirname "$0")/../../.."
: "${BIN:?set BIN to the folder holding kerntune, kerntune-worker and runner_bench}"
: "${OUT:?set OUT to a folder for the results}"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/kt-site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/kt-site PYTHONUNBUFFERED=1
here=tests/bench/kernel_tuner
params=(--param block_size_x=16,32,64 --param block_size_y=2,4,8,16 --param tile_size_x=1,2,4,8
        --param tile_size_y=1,2,4,8 --param tile_k=16,32
        --restriction "(block_size_y*tile_size_y+block_size_x*tile_size_x)*tile_k*4<=49152"
        --restriction "block_size_x*tile_size_x<=256" --restriction "block_size_y*tile_size_y<=64"
        --restriction "block_size_x*block_size_y>=64"
        --grid-div-x block_size_x --grid-div-x tile_size_x
        --grid-div-y block_size_y --grid-div-y tile_size_y)

echo "== throughput against Kernel Tuner"
python3 $here/compare.py --kerntune "$BIN/kerntune" --json "$OUT/compare.json" 2>&1 |
    tee "$OUT/compare.txt"
echo "== overhead and efficiency (runner_bench, 15 compiler processes)"
"$BIN/runner_bench" $here/matmul.cu --test $here/matmul.json --reference $here/matmul_reference.cu \
    --backend cuda --compile-jobs 15 --iterations 7 "${params[@]}" 2>&1 | tee "$OUT/runner.txt"
echo "== noise: one configuration in 10 separate runs, of 7 and of 100 timed launches"
for iterations in 7 100; do
    python3 $here/noise.py --kerntune "$BIN/kerntune" --runs 10 --iterations $iterations 2>&1
done | tee "$OUT/noise.txt"
