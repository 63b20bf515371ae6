#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace kerntune::test {

// A fresh folder under the system temp folder, removed afterwards.
struct CacheTempDir {
    std::filesystem::path path;

    CacheTempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("kerntune-cache-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~CacheTempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

} // namespace kerntune::test
