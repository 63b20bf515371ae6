#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace kerntune::test {

// A fresh folder under the system temp folder, removed afterwards.
struct RunnerTempDir {
    std::filesystem::path path;

    RunnerTempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("kerntune-runner-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~RunnerTempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

} // namespace kerntune::test
