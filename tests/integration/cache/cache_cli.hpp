#pragma once
// Running `kerntune cache …` as a user does, in a temporary folder.

#include "process.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace kerntune::test {

struct CacheTempDir {
    std::filesystem::path path;
    CacheTempDir() {
        static int counter = 0;
        path =
            std::filesystem::temp_directory_path() /
            ("kerntune-cache-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~CacheTempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

inline ProcessResult kerntune(std::vector<std::string> args) {
    args.insert(args.begin(), KT_TEST_KERNTUNE_EXE);
    return run_process(args);
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace kerntune::test
