"""Kernel Tuner against kerntune on one CUDA device, in one run: the same kernel (matmul.cu),
the same space (space.py), the same iteration count. Prints configurations per second for
each, and whether both found the same best configuration within noise.

usage: python3 compare.py --kerntune build/bin/kerntune [--iterations 7] [--json OUT.json]
Needs kernel_tuner and CuPy (fetch_wheels.sh gets Kernel Tuner's wheels).
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

from space import GRID_DIV_X, GRID_DIV_Y, RESTRICTIONS, TUNE_PARAMS, WIDTH

HERE = pathlib.Path(__file__).resolve().parent


def config_key(config):
    return tuple(int(config[name]) for name in TUNE_PARAMS)


def run_kernel_tuner(iterations):
    # A fresh CuPy kernel cache, so that Kernel Tuner really compiles every configuration.
    os.environ["CUPY_CACHE_DIR"] = tempfile.mkdtemp(prefix="cupy-cache-")
    import kernel_tuner

    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (WIDTH, WIDTH)).astype(np.float32)
    b = rng.uniform(-1, 1, (WIDTH, WIDTH)).astype(np.float32)
    c = np.zeros((WIDTH, WIDTH), dtype=np.float32)
    answer = [(a.astype(np.float64) @ b.astype(np.float64)).astype(np.float32), None, None]
    source = (HERE / "matmul.cu").read_text()
    start = time.perf_counter()
    results, env = kernel_tuner.tune_kernel(
        "matmul", source, (WIDTH, WIDTH), [c, a, b], TUNE_PARAMS,
        grid_div_x=GRID_DIV_X, grid_div_y=GRID_DIV_Y, restrictions=RESTRICTIONS,
        lang="CUPY", iterations=iterations, answer=answer, atol=1e-3, quiet=True,
        verbose=False)
    wall = time.perf_counter() - start
    passed = [r for r in results if isinstance(r.get("time"), float)]
    best = min(passed, key=lambda r: r["time"])
    return {
        "tool": "Kernel Tuner " + kernel_tuner.__version__ + " (CuPy backend)",
        "configurations": len(results),
        "passed": len(passed),
        "wall_s": wall,
        "configs_per_s": len(results) / wall,
        "mean_compile_ms": float(np.mean([r.get("compile_time", 0) for r in results])),
        "mean_benchmark_ms": float(np.mean([r.get("benchmark_time", 0) for r in results])),
        "mean_framework_ms": float(np.mean([r.get("framework_time", 0) for r in results])),
        "best": {name: best[name] for name in TUNE_PARAMS},
        "best_ms": best["time"],
        "times": {config_key(r): r["time"] for r in passed},
    }


def run_kerntune(binary, iterations, extra):
    command = [binary, "autotune", str(HERE / "matmul.cu"), "--test", str(HERE / "matmul.json"),
               "--reference", str(HERE / "matmul_reference.cu"), "--backend", "cuda",
               "--iterations", str(iterations), "--no-cache", "--json"]
    for name, values in TUNE_PARAMS.items():
        command += ["--param", name + "=" + ",".join(str(v) for v in values)]
    for restriction in RESTRICTIONS:
        command += ["--restriction", restriction]
    for div in GRID_DIV_X:
        command += ["--grid-div-x", div]
    for div in GRID_DIV_Y:
        command += ["--grid-div-y", div]
    command += extra
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit("kerntune failed (exit %d):\n%s" % (done.returncode, done.stderr[-4000:]))
    report = json.loads(done.stdout)
    passed = [r for r in report["results"] if r["status"] == "ok"]
    best = min(passed, key=lambda r: r["result"]["median_ms"])
    return {
        "tool": "kerntune",
        "mean_check_ms": float(np.mean([r["result"]["verification_time_ms"] for r in passed])),
        "mean_benchmark_ms": float(np.mean([r["result"]["benchmark_time_ms"] for r in passed])),
        "configurations": len(report["results"]),
        "passed": len(passed),
        "wall_s": wall,
        "configs_per_s": len(report["results"]) / wall,
        "statistics": report.get("statistics"),
        "best": {name: int(best["configuration"][name]) for name in TUNE_PARAMS},
        "best_ms": best["result"]["median_ms"],
        "best_spread_ms": best["result"].get("spread_ms"),
        "times": {config_key(r["configuration"]): r["result"]["median_ms"] for r in passed},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kerntune", required=True)
    parser.add_argument("--iterations", type=int, default=7)
    parser.add_argument("--json")
    parser.add_argument("kerntune_args", nargs="*", help="extra flags for kerntune autotune")
    args = parser.parse_args()

    # kerntune runs before and after Kernel Tuner, so that neither tool alone pays for a cold
    # machine (the first NVRTC use after boot loads its libraries from disk).
    first = run_kerntune(args.kerntune, args.iterations, args.kerntune_args)
    theirs = run_kernel_tuner(args.iterations)
    ours = run_kerntune(args.kerntune, args.iterations, args.kerntune_args)
    first["tool"] = "kerntune (run before Kernel Tuner)"
    ours["tool"] = "kerntune (run after Kernel Tuner)"
    for tool in (first, ours, theirs):
        print("%-40s %4d configurations (%d passed) in %7.2f s = %7.2f configurations/s" %
              (tool["tool"], tool["configurations"], tool["passed"], tool["wall_s"],
               tool["configs_per_s"]))
    print("throughput ratio kerntune / Kernel Tuner: %.1fx (run before), %.1fx (run after)" %
          (first["configs_per_s"] / theirs["configs_per_s"],
           ours["configs_per_s"] / theirs["configs_per_s"]))
    for tool in (first, ours):
        print("%s: statistics %s; per configuration: checked run %.2f ms, timing %.2f ms" %
              (tool["tool"], json.dumps(tool["statistics"]), tool["mean_check_ms"],
               tool["mean_benchmark_ms"]))
    print("Kernel Tuner per configuration: compile %.1f ms, benchmark %.1f ms, framework %.1f ms" %
          (theirs["mean_compile_ms"], theirs["mean_benchmark_ms"], theirs["mean_framework_ms"]))
    print("best by kerntune:     %s %.4f ms" % (ours["best"], ours["best_ms"]))
    print("best by Kernel Tuner: %s %.4f ms" % (theirs["best"], theirs["best_ms"]))
    same = ours["best"] == theirs["best"]
    # Each tool's time for the other's winner tells whether a different winner is within noise.
    theirs_by_ours = ours["times"].get(config_key(theirs["best"]))
    ours_by_theirs = theirs["times"].get(config_key(ours["best"]))
    print("same best configuration: %s" % ("yes" if same else "no"))
    if not same:
        if theirs_by_ours:
            print("kerntune measured Kernel Tuner's best at %.4f ms (%+.2f%% from its own best)" %
                  (theirs_by_ours, 100 * (theirs_by_ours / ours["best_ms"] - 1)))
        if ours_by_theirs:
            print("Kernel Tuner measured kerntune's best at %.4f ms (%+.2f%% from its own best)" %
                  (ours_by_theirs, 100 * (ours_by_theirs / theirs["best_ms"] - 1)))
    common = sorted(set(ours["times"]) & set(theirs["times"]))
    if common:
        ratios = np.array([ours["times"][k] / theirs["times"][k] for k in common])
        print("median time ratio kerntune/Kernel Tuner over %d common configurations: %.3f "
              "(p10 %.3f, p90 %.3f)" % (len(common), np.median(ratios),
                                          np.percentile(ratios, 10), np.percentile(ratios, 90)))
    if args.json:
        for tool in (first, ours, theirs):
            tool["times"] = {",".join(map(str, k)): v for k, v in tool["times"].items()}
        pathlib.Path(args.json).write_text(json.dumps(
            {"kerntune_before": first, "kerntune_after": ours, "kernel_tuner": theirs}, indent=1))


if __name__ == "__main__":
    main()
