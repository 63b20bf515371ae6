#pragma once

#include "core/retry/policy.hpp"

#include <string_view>

namespace kerntune {

// The original's default policies (lkt-inventory.md §5), with kerntune's own feedback texts:
//   "tuner"       3 attempts, for the tuning strategies' nodes;
//   "tester"      10 attempts, for test generation;
//   "transformer" 3 attempts, for the kernel-information nodes (problem size, outputs).
// Throws KindedError(invalid_argument) for another name.
RetryPolicy default_policy(std::string_view role);

// The role names default_policy accepts, for messages: "tuner, tester, transformer".
std::string_view policy_roles();

} // namespace kerntune
