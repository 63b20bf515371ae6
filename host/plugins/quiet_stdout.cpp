#include "host/plugins/quiet_stdout.hpp"

#include <cstdio>
#include <fcntl.h>
#include <iostream>
#include <unistd.h>

namespace kerntune::plugins {

QuietStdout::QuietStdout() {
    std::cout.flush();
    std::fflush(stdout);
    saved_ = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    const int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ >= 0 && null >= 0)
        dup2(null, STDOUT_FILENO);
    if (null >= 0)
        close(null);
}

QuietStdout::~QuietStdout() {
    std::cout.flush();
    std::fflush(stdout);
    if (saved_ >= 0) {
        dup2(saved_, STDOUT_FILENO);
        close(saved_);
    }
}

} // namespace kerntune::plugins
