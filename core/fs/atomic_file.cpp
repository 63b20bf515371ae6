#include "core/fs/atomic_file.hpp"

#include "core/errors/error_kind.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace kerntune {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& doing, int error) {
    const std::string text =
        "cannot write '" + file.string() + "': " + doing + ": " + std::strerror(error);
    if (error == ENOENT || error == ENOTDIR)
        throw KindedError(ErrorKind::not_found, text + "; does the folder exist?");
    throw KindedError(ErrorKind::internal, text);
}

} // namespace

void write_file_atomically(const std::filesystem::path& file, std::string_view bytes,
                           bool replace) {
    const std::filesystem::path folder =
        file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    std::string temp = (folder / ("." + file.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0)
        fail(file, "creating a temporary file in '" + folder.string() + "'", errno);
    const auto abandon = [&](const std::string& doing, int error) {
        ::close(fd);
        ::unlink(temp.c_str());
        fail(file, doing, error);
    };
    // mkostemp makes the file private; a report is an ordinary file.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(fd, 0666 & ~mask) != 0)
        abandon("setting its permissions", errno);
    for (std::size_t written = 0; written < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            abandon("writing", errno);
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0)
        abandon("flushing it to disk", errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        fail(file, "closing it", error);
    }
    const int status =
        replace ? ::rename(temp.c_str(), file.c_str()) : ::link(temp.c_str(), file.c_str());
    const int error = errno;
    if (status != 0 || !replace)
        ::unlink(temp.c_str());
    if (status != 0 && error == EEXIST)
        throw KindedError(ErrorKind::invalid_argument,
                          "'" + file.string() + "' already exists; kerntune leaves it alone");
    if (status != 0)
        fail(file, replace ? "replacing it" : "giving it its name", error);
}

} // namespace kerntune
