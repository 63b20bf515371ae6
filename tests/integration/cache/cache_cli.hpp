#pragma once
// Running `kerntune cache …` as a user does, in a temporary folder.

#include "process.hpp"
#include "tests/support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace kerntune::test {

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
