#include "core/graph/checkpoint_store.hpp"

#include "core/config/json_text.hpp"
#include "core/errors/error_kind.hpp"

#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace kerntune {
namespace {

[[noreturn]] void io_failure(const std::filesystem::path& file, const std::string& what,
                             int error) {
    throw KindedError(ErrorKind::internal, "checkpoint file '" + file.string() + "': " + what +
                                               ": " + std::strerror(error));
}

// Writes all of `bytes` to `path` and flushes it to the device.
void write_durably(const std::filesystem::path& path, const std::string& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        io_failure(path, "cannot create", errno);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            io_failure(path, "cannot write", error);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        io_failure(path, "cannot flush", error);
    }
    if (::close(fd) != 0)
        io_failure(path, "cannot close", errno);
}

} // namespace

FileCheckpointStore::FileCheckpointStore(std::filesystem::path file) : file_(std::move(file)) {}

void FileCheckpointStore::save(const Checkpoint& checkpoint) const {
    std::filesystem::path temporary = file_;
    temporary += ".tmp";
    write_durably(temporary, boost::json::serialize(to_json(checkpoint)));
    std::error_code ec;
    std::filesystem::rename(temporary, file_, ec);
    if (ec)
        io_failure(file_, "cannot replace with '" + temporary.string() + "'", ec.value());
}

std::optional<Checkpoint> FileCheckpointStore::load() const {
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
        if (!std::filesystem::exists(file_))
            return std::nullopt;
        io_failure(file_, "cannot open", errno);
    }
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return checkpoint_from_json(parse_json_text(text.str()));
    } catch (const KindedError& e) {
        throw KindedError(ErrorKind::invalid_argument,
                          "checkpoint file '" + file_.string() + "': " + e.what());
    }
}

CheckpointSink FileCheckpointStore::sink() const {
    return [store = *this](const Checkpoint& checkpoint) { store.save(checkpoint); };
}

} // namespace kerntune
