#pragma once
// Running a program the way a user would, capturing what it prints.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kerntune::test {

struct ProcessResult {
    int exit_code = -1; // 128 + signal number when a signal ended it
    std::string out;
    std::string err;
};

// Environment changes: a value sets the variable, nullopt removes it.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

// Runs argv[0] (a path) with argv and this process's environment plus `env`, stdin on /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv, const EnvChanges& env = {});

} // namespace kerntune::test
