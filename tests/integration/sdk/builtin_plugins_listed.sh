#!/usr/bin/env bash
# kerntune finds its built-in plugins next to itself, and `plugins list --json` shows their
# options with defaults and descriptions.
# usage: builtin_plugins_listed.sh KERNTUNE
set -euo pipefail
listing=$("$1" plugins list --json)
for expected in '"id" *: *"one_prompt"' '"id" *: *"llm_tests"' '"num_tests" *: *{' \
                '"default" *: *5368709120' '"description" *: *"How many tests'; do
    if ! grep -q "$expected" <<<"$listing"; then
        echo "FAIL: no match for $expected in the listing:" >&2
        echo "$listing" >&2
        exit 1
    fi
done
echo "PASS: the built-in plugins are listed with their options"
