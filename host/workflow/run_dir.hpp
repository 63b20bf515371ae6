#pragma once
// The run directory of `kerntune tune` (docs/cli-reference.md, "The run directory"):
//   run.json, kernel/original.<ext>, checkpoint.json, events.jsonl, transcript.jsonl,
//   journal.jsonl, tests/<id>.json, final_kernel.<ext>, best_params.json, report.json and
//   report.html. Whole files are replaced atomically (a temporary file, flushed to disk, renamed
//   over the old one), so a killed run leaves each file either old or new.

#include <boost/json/object.hpp>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace kerntune::workflow {

class RunDir {
public:
    // A new run's folder: created with its parents, or an existing empty folder. Throws
    // KindedError(invalid_argument) for a file, or a folder with something in it (one that holds
    // a run is to be resumed, which the message says).
    static RunDir create(const std::filesystem::path& dir);
    // An existing run's folder. Throws KindedError(not_found) when it holds no run.json.
    static RunDir open(const std::filesystem::path& dir);

    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path run_json() const { return path_ / "run.json"; }
    std::filesystem::path checkpoint() const { return path_ / "checkpoint.json"; }
    std::filesystem::path events() const { return path_ / "events.jsonl"; }
    std::filesystem::path transcript() const { return path_ / "transcript.jsonl"; }
    std::filesystem::path journal() const { return path_ / "journal.jsonl"; }
    std::filesystem::path tests_dir() const { return path_ / "tests"; }
    std::filesystem::path test_spec(std::string_view id) const;
    // "kernel/original.cu" and "final_kernel.cl": the extension follows `language`.
    std::filesystem::path original_kernel(std::string_view language) const;
    std::filesystem::path final_kernel(std::string_view language) const;
    std::filesystem::path best_params() const { return path_ / "best_params.json"; }

    // run.json. Throws KindedError(invalid_argument) naming the file when it is not an object.
    boost::json::object read_run() const;
    void write_run(const boost::json::object& run) const;
    // Sets run.json's "status", and "finished" (now) and "error" ({"kind", "message", "node"})
    // when given; "error" is removed otherwise.
    void set_status(std::string_view status,
                    const std::optional<boost::json::object>& error = std::nullopt) const;

    // Replaces (or creates) `file` (relative: under the run folder) with `bytes`, atomically.
    // Throws KindedError naming the file.
    void write(const std::filesystem::path& file, const std::string& bytes) const;

private:
    explicit RunDir(std::filesystem::path path) : path_(std::move(path)) {}
    std::filesystem::path path_;
};

// ./kerntune-runs/<kernel file stem>-<UTC time as 20260618T104355Z>, with "-2", "-3"... added
// when that folder exists already.
std::filesystem::path default_run_dir(const std::filesystem::path& kernel_file);

// events.jsonl: one JSON object per line, appended and flushed line by line. Thread-safe.
class EventLog {
public:
    // Throws KindedError(internal) naming the file when it cannot be opened for appending.
    explicit EventLog(const std::filesystem::path& file);
    ~EventLog();
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    void append(const boost::json::object& line);

private:
    std::filesystem::path file_;
    std::mutex mutex_;
    std::FILE* out_ = nullptr;
};

} // namespace kerntune::workflow
