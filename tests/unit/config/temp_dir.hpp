#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace kerntune::test {

// A fresh folder under the system temp folder, removed afterwards.
struct TempDir {
    std::filesystem::path path;

    TempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("kerntune-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }

    // Writes `text` to `relative` (creating folders) and returns its path.
    std::filesystem::path write(const std::filesystem::path& relative, const std::string& text) {
        const auto file = path / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
        return file;
    }
};

} // namespace kerntune::test
