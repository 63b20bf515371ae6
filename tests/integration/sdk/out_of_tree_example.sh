#!/usr/bin/env bash
# Installs kerntune from BUILD_DIR into a scratch prefix, builds sdk/examples/block_sweep against
# that installation as a third party would, and checks that the host lists it and that it
# exports only its entry point.
# usage: out_of_tree_example.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/sdk/examples/block_sweep" -B "$work/example" -G Ninja \
    -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >/dev/null
cmake --build "$work/example" >/dev/null
plugin="$work/example/block_sweep.so"

exports=$(nm -D --defined-only "$plugin" | awk '{print $NF}')
if [ "$exports" != "kerntune_plugin_entry" ]; then
    echo "FAIL: $plugin exports more than kerntune_plugin_entry:" >&2
    echo "$exports" >&2
    exit 1
fi

listing=$("$work/prefix/bin/kerntune" plugins list --plugin-dir "$work/example" --json)
if ! grep -q '"id" *: *"example.block_sweep"' <<<"$listing"; then
    echo "FAIL: the installed kerntune does not list the out-of-tree plugin:" >&2
    echo "$listing" >&2
    exit 1
fi
echo "PASS: out-of-tree block_sweep builds against the installed SDK, exports only its entry, and is listed"
