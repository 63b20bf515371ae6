#pragma once
// Running `kerntune cache …` as a user does, in a temporary folder.

#include "process.hpp"
#include "tests/support/file_text.hpp"
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

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace kerntune::test
