#include "host/plugins/scan_child.hpp"

#include "host/plugins/dry_run.hpp"
#include "host/plugins/plugin_library.hpp"
#include "host/plugins/scan_answer.hpp"

#include <cerrno>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace kerntune::plugins {
namespace {

bool is_pipe(int fd) {
    struct stat st {};
    return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

ScanAnswer scan(AbiVersion abi, const std::filesystem::path& file) {
    auto loaded = load_plugin_library(file, abi);
    if (auto* reason = std::get_if<std::string>(&loaded))
        return std::move(*reason);
    auto& library = std::get<LoadedLibrary>(loaded);
    if (auto reason = dry_run_create(library.descriptor, library.info))
        return std::move(*reason);
    library.info.file.clear();
    return std::move(library.info);
}

void write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // the host went away; nobody is left to tell
        done += static_cast<std::size_t>(n);
    }
}

} // namespace

void run_scan_child(AbiVersion abi, const std::filesystem::path& file) {
    if (!is_pipe(scan_answer_fd))
        throw std::runtime_error("__scan-plugin is run by kerntune itself, with its answer pipe "
                                 "on file descriptor 3; use `kerntune plugins list` instead");
    write_all(scan_answer_fd, encode_scan_answer(scan(abi, file)));
    ::_exit(0);
}

} // namespace kerntune::plugins
