#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace kerntune::test {

// A fresh folder under the system temp folder, removed afterwards.
struct SpecTempDir {
    std::filesystem::path path;

    SpecTempDir() {
        static int counter = 0;
        path =
            std::filesystem::temp_directory_path() /
            ("kerntune-testspec-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~SpecTempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }

    std::filesystem::path write(const std::string& name, const std::string& bytes) {
        std::ofstream(path / name, std::ios::binary) << bytes;
        return path / name;
    }
};

} // namespace kerntune::test
