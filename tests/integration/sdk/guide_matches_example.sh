#!/usr/bin/env bash
# The complete example in docs/plugin-guide.md must be, line for line, the example plugin that CI
# builds and loads, so the guide never shows code that does not compile.
# usage: guide_matches_example.sh SOURCE_DIR
set -euo pipefail
guide="$1/docs/plugin-guide.md"
example="$1/sdk/examples/block_sweep/block_sweep.cpp"
shown=$(awk '/^<!-- example: block_sweep.cpp -->$/ {grab=1; next}
             grab && /^```cpp$/ {inside=1; next}
             inside && /^```$/ {exit}
             inside {print}' "$guide")
if [ -z "$shown" ]; then
    echo "FAIL: $guide has no block marked <!-- example: block_sweep.cpp -->" >&2
    exit 1
fi
if ! diff <(printf '%s\n' "$shown") "$example"; then
    echo "FAIL: the example in $guide differs from $example (diff above)" >&2
    exit 1
fi
echo "PASS: the guide shows $example exactly"
