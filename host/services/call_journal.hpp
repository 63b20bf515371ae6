#pragma once
// The call journal of a run (RUN_DIR/journal.jsonl): every finished LLM call and every finished
// test-runner call, so that `kerntune resume` repeats none of them. A call is keyed by its
// function, a hash of its request as canonical JSON and its occurrence among identical requests
// in this process (the third identical run_config is occurrence 2), so a resumed run that makes
// the same calls in the same order gets the same answers, and a call it makes anew runs.
//
// Format: JSON Lines. The first line is {"format": "kerntune-journal", "version": 1}; each
// further line is one answer:
//   {"function": "run_tests", "key": "<sha256 hex>", "occurrence": 0, "result": <JSON>}
//   {"function": "compare", "key": "...", "occurrence": 1,
//    "error": {"kind": "failed_tests", "message": "..."}}
// Each line is appended, flushed and fsync'ed before the call returns. A last line without its
// newline (the process was killed while writing it) is ignored and cut off before the next
// append.

#include "core/errors/error_kind.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace kerntune::host {

// What a journaled call answered: a result or an error, and whether it came from the journal.
struct JournalAnswer {
    std::optional<boost::json::value> result; // set exactly when `error` is not
    std::optional<KindedError> error;
    bool replayed = false;

    // The result, or the error thrown.
    const boost::json::value& value() const;
};

// Runs `run` and captures what it returned or threw: a KindedError as it is,
// std::invalid_argument as invalid_argument, any other exception as internal.
JournalAnswer capture(const std::function<boost::json::value()>& run);

class CallJournal {
public:
    // Opens the journal at `path`, creating it (not its directory) when absent, and reads what it
    // holds. Throws KindedError(invalid_argument) naming the file and line for a file that is not
    // a kerntune journal or has a broken line before its last, and KindedError(internal) for a
    // file that cannot be read or written.
    explicit CallJournal(std::filesystem::path path);
    ~CallJournal();
    CallJournal(const CallJournal&) = delete;
    CallJournal& operator=(const CallJournal&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

    // The recorded answer of this call when the journal holds one (replayed = true; `run` is not
    // called). Otherwise captures `run`'s answer and records it before returning it, an error as
    // its kind and message. Errors of the environment rather than the request (cancelled,
    // unavailable, llm_unavailable, internal) are answered but not recorded, so a resumed run
    // tries again. Thread-safe; `run` runs without the journal's lock. Throws
    // KindedError(internal) when the answer cannot be written.
    JournalAnswer call(std::string_view function, const boost::json::value& request,
                       const std::function<boost::json::value()>& run);

    // Answers recorded so far, replayed ones included.
    std::size_t size() const;

private:
    using Key = std::tuple<std::string, std::string, std::size_t>; // function, hash, occurrence

    void load();
    void append(const Key& key, const JournalAnswer& answer);

    const std::filesystem::path path_;
    int fd_ = -1;
    mutable std::mutex mutex_;
    std::map<Key, JournalAnswer> answers_;
    std::map<std::pair<std::string, std::string>, std::size_t> occurrences_;
};

// `journal->call(...)`, or without a journal the captured answer of `run`.
JournalAnswer journaled_call(CallJournal* journal, std::string_view function,
                             const boost::json::value& request,
                             const std::function<boost::json::value()>& run);

} // namespace kerntune::host
