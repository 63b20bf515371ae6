#pragma once
// A kerntune process that a test can kill while it runs: started with its output going to files,
// waited for later.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kerntune::test {

// Environment changes: a value sets the variable, nullopt removes it.
using Environment = std::map<std::string, std::optional<std::string>>;

class Child {
public:
    // Starts argv[0] (a path) with this process's environment changed by `env`; stdin is
    // /dev/null, stdout and stderr go to <output>.out and <output>.err.
    Child(const std::vector<std::string>& argv, const Environment& env,
          const std::filesystem::path& output);
    ~Child(); // kills and reaps a child that was not waited for

    pid_t pid() const { return pid_; }
    // The exit code, or 128 + the signal that ended it.
    int wait();
    std::string out() const;
    std::string err() const;

private:
    pid_t pid_ = -1;
    std::filesystem::path output_;
};

} // namespace kerntune::test
