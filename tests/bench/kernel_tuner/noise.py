"""Measures one configuration in N separate `kerntune autotune` runs (each a fresh process and
worker, the result cache off) and reports the spread of the medians.

usage: python3 noise.py --kerntune build/bin/kerntune [--runs 10] [--iterations 7]
           [--config block_size_x=32,block_size_y=8,tile_size_x=4,tile_size_y=4,tile_k=32]
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kerntune", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=7)
    parser.add_argument("--config",
                        default="block_size_x=32,block_size_y=8,tile_size_x=4,tile_size_y=4,"
                                "tile_k=32")
    args = parser.parse_args()

    command = [args.kerntune, "autotune", str(HERE / "matmul.cu"), "--test",
               str(HERE / "matmul.json"), "--reference", str(HERE / "matmul_reference.cu"),
               "--backend", "cuda", "--iterations", str(args.iterations), "--no-cache", "--json",
               "--grid-div-x", "block_size_x", "--grid-div-x", "tile_size_x",
               "--grid-div-y", "block_size_y", "--grid-div-y", "tile_size_y"]
    for item in args.config.split(","):
        command += ["--param", item]
    medians = []
    for run in range(args.runs):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit("run %d failed (exit %d):\n%s" % (run, done.returncode, done.stderr[-4000:]))
        result = json.loads(done.stdout)["results"][0]["result"]
        medians.append(result["median_ms"])
        print("run %2d: median %.5f ms, spread %.5f ms, device state %s" %
              (run, result["median_ms"], result.get("spread_ms", 0),
               json.dumps(result.get("device_state", {}))))
    mean = statistics.mean(medians)
    print("configuration: %s, %d runs of %d timed launches" %
          (args.config, args.runs, args.iterations))
    print("medians: min %.5f ms, max %.5f ms, mean %.5f ms" % (min(medians), max(medians), mean))
    print("spread of the medians: (max - min) / mean = %.3f%%, standard deviation / mean = %.3f%%"
          % (100 * (max(medians) - min(medians)) / mean,
             100 * statistics.pstdev(medians) / mean))


if __name__ == "__main__":
    main()
