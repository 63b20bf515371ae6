#include "host/workflow/run_dir.hpp"

#include "core/cache/tune_result.hpp"
#include "core/config/json_text.hpp"
#include "core/errors/error_kind.hpp"
#include "core/fs/atomic_file.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kerntune::workflow {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

[[noreturn]] void io_failure(const fs::path& file, const std::string& what, int error) {
    throw KindedError(ErrorKind::internal,
                      "run file '" + file.string() + "': " + what + ": " + std::strerror(error));
}

std::string extension(std::string_view language) {
    return language == "cuda" ? ".cu" : ".cl";
}

} // namespace

RunDir RunDir::create(const fs::path& dir) {
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (fs::exists(status)) {
        if (!fs::is_directory(status))
            throw KindedError(ErrorKind::invalid_argument,
                              "--out " + dir.string() +
                                  " is a file; give a new or empty folder for the run");
        if (fs::exists(dir / "run.json"))
            throw KindedError(ErrorKind::invalid_argument,
                              "--out " + dir.string() +
                                  " already holds a kerntune run; continue it with `kerntune "
                                  "resume " +
                                  dir.string() + "`, or give another --out for a new run");
        if (!fs::is_empty(dir, ec))
            throw KindedError(ErrorKind::invalid_argument,
                              "--out " + dir.string() +
                                  " is a folder with files in it; kerntune writes a run only into "
                                  "a new or empty folder, so that nothing there is overwritten: "
                                  "give another --out");
    }
    fs::create_directories(dir / "kernel", ec);
    if (!ec)
        fs::create_directories(dir / "tests", ec);
    if (ec)
        throw KindedError(ErrorKind::invalid_argument,
                          "cannot create the run folder " + dir.string() + ": " + ec.message());
    return RunDir(fs::absolute(dir));
}

RunDir RunDir::open(const fs::path& dir) {
    if (!fs::is_regular_file(dir / "run.json"))
        throw KindedError(ErrorKind::not_found,
                          dir.string() +
                              " is not a kerntune run folder (it has no run.json); give the "
                              "folder that `kerntune tune` wrote (its --out)");
    return RunDir(fs::absolute(dir));
}

fs::path RunDir::test_spec(std::string_view id) const {
    return tests_dir() / (std::string(id) + ".json");
}

fs::path RunDir::original_kernel(std::string_view language) const {
    return path_ / "kernel" / ("original" + extension(language));
}

fs::path RunDir::final_kernel(std::string_view language) const {
    return path_ / ("final_kernel" + extension(language));
}

json::object RunDir::read_run() const {
    std::ifstream in(run_json(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        io_failure(run_json(), "cannot read", errno);
    try {
        json::value run = parse_json_text(text.str());
        if (!run.is_object())
            throw KindedError(ErrorKind::invalid_argument, "not a JSON object");
        return std::move(run.as_object());
    } catch (const KindedError& e) {
        throw KindedError(ErrorKind::invalid_argument,
                          "run file '" + run_json().string() + "': " + e.what());
    }
}

void RunDir::write_run(const json::object& run) const {
    write(run_json(), json::serialize(run) + "\n");
}

void RunDir::set_status(std::string_view status, const std::optional<json::object>& error) const {
    json::object run = read_run();
    run["status"] = status;
    if (status != "running")
        run["finished"] = utc_timestamp();
    else
        run.erase("finished");
    if (error)
        run["error"] = *error;
    else
        run.erase("error");
    write_run(run);
}

void RunDir::write(const fs::path& file, const std::string& bytes) const {
    const fs::path target = file.is_absolute() ? file : path_ / file;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    write_file_atomically(target, bytes, true);
}

fs::path default_run_dir(const fs::path& kernel_file) {
    std::string stamp = utc_timestamp(); // 2026-06-18T10:43:55Z
    stamp.erase(
        std::remove_if(stamp.begin(), stamp.end(), [](char c) { return c == '-' || c == ':'; }),
        stamp.end());
    const fs::path base = fs::path("kerntune-runs") / (kernel_file.stem().string() + "-" + stamp);
    fs::path dir = base;
    for (int n = 2; fs::exists(dir); ++n)
        dir = base.string() + "-" + std::to_string(n);
    return dir;
}

EventLog::EventLog(const fs::path& file) : file_(file) {
    out_ = std::fopen(file.c_str(), "ae");
    if (!out_)
        io_failure(file, "cannot open for appending", errno);
}

EventLog::~EventLog() {
    std::fclose(out_);
}

void EventLog::append(const json::object& line) {
    const std::string text = json::serialize(line) + "\n";
    const std::lock_guard lock(mutex_);
    if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() || std::fflush(out_) != 0)
        io_failure(file_, "cannot append", errno);
}

} // namespace kerntune::workflow
