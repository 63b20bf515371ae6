#pragma once
// A test's own folder, so that tests never share or leave files.
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
               ("kerntune-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }

    // Writes `bytes` to `relative` (creating folders) and returns its path.
    std::filesystem::path write(const std::filesystem::path& relative, const std::string& bytes) {
        const auto file = path / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << bytes;
        return file;
    }
};

} // namespace kerntune::test
