#pragma once
// Exit codes of the kerntune executable (DESIGN.md, "CLI surface"), and the errors that map to
// them.

#include <stdexcept>
#include <string>

namespace kerntune::cli {

enum ExitCode : int {
    exit_ok = 0,
    exit_failure = 1,
    exit_usage = 2,       // usage or input error
    exit_unavailable = 3, // no LLM or no device
};

// Bad flags, a bad file or a bad value: the message says what was wrong and what to do.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Something the run needs (an LLM endpoint, a device) is not there.
class UnavailableError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace kerntune::cli
