#pragma once

#include "core/graph/checkpoint.hpp"

#include <filesystem>
#include <optional>

namespace kerntune {

// Keeps the latest checkpoint of a run in one JSON file. A save writes a temporary file beside
// it, flushes it to disk and renames it over the old one, so a crash leaves either the old or
// the new checkpoint, never a torn one. Failures throw KindedError naming the file.
class FileCheckpointStore {
public:
    explicit FileCheckpointStore(std::filesystem::path file);

    void save(const Checkpoint& checkpoint) const;
    // The saved checkpoint, or nullopt when there is no file.
    std::optional<Checkpoint> load() const;
    // A sink for RunOptions::on_checkpoint that saves every checkpoint.
    CheckpointSink sink() const;

    const std::filesystem::path& file() const noexcept { return file_; }

private:
    std::filesystem::path file_;
};

} // namespace kerntune
