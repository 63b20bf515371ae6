#pragma once
// What a run shows on stderr while it works: the node it is in, each LLM call (tokens, time,
// whether the journal answered it), each test-runner call and, on a terminal only, a progress
// line while a tuning search runs. Nothing with --quiet. Thread-safe.

#include "core/graph/event.hpp"
#include "host/services/llm_service.hpp"
#include "host/services/test_runner_service.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

namespace kerntune::workflow {

class Terminal {
public:
    explicit Terminal(bool quiet);

    void node_event(const Event& event);
    void llm_call(const host::LlmCallRecord& call);
    void runner_call(const host::TestRunnerEvent& call);
    void progress(std::size_t done, std::size_t total, std::optional<double> best_ms);
    // A line of its own ("stopping after this node...").
    void note(const std::string& text);

private:
    void write(const std::string& line); // ends a progress line first; the lock is held

    const bool quiet_;
    const bool interactive_;
    std::mutex mutex_;
    bool progress_open_ = false;
    std::size_t last_done_ = 0;  // of the search in progress
    std::size_t first_done_ = 0; // its first report, when search_started_ was taken
    std::chrono::steady_clock::time_point search_started_;
};

} // namespace kerntune::workflow
