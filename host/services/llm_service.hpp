#pragma once
// kerntune.llm/1 over the LLM client: the definition of the opaque kt_llm handle, the C table,
// and how the host makes a handle for a run.

#include "core/llm/client.hpp"
#include "core/net/cancel.hpp"
#include "host/services/call_journal.hpp"

#include <kerntune/plugin_api.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace kerntune::host {

// One finished call of kerntune.llm/1, for the event log, the report and the terminal.
struct LlmCallRecord {
    std::string kind;  // "chat" or "structured"
    std::string model; // the configured model
    // Usage as the server reported it, summed over the structured-output ladder's calls.
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    std::optional<std::int64_t> reasoning_tokens; // when the server reported any
    double wall_ms = 0;    // of the call as it ran (for a replayed call: when it first ran)
    bool replayed = false; // answered from the call journal; nothing was sent
    std::optional<KindedError> error;
};

using LlmObserver = std::function<void(const LlmCallRecord&)>;

} // namespace kerntune::host

// One LLM endpoint for one run. Every strategy instance of the run gets the same handle.
struct kt_llm {
    std::shared_ptr<kerntune::llm::Client> client;
    kerntune::net::CancelToken cancel; // cancel_llm(): every call in flight and later fails
    // Answers calls of an earlier attempt of the run and records new ones; none: every call is
    // sent.
    std::shared_ptr<kerntune::host::CallJournal> journal;
    // Called after every call on the calling thread; may be empty.
    kerntune::host::LlmObserver observer;
};

namespace kerntune::host {

// Registers the kerntune.llm/1 table.
void register_llm_service();
// The table itself, for tests.
const kt_llm_api* llm_table();

struct LlmSetup {
    llm::LlmConfig config;   // flags already applied; apply_environment() fills the rest
    std::string record_path; // non-empty: append every exchange to this JSONL transcript
    std::string replay_path; // non-empty: answer from this transcript, never the network
    bool probe = true;       // check /models and the model name before the run
    std::shared_ptr<CallJournal> journal; // kt_llm::journal
    LlmObserver observer;                 // kt_llm::observer
};

// Makes the handle for a run. Throws llm::LlmError (llm_unavailable: the endpoint or the model
// is not there) or std::invalid_argument (a bad URL, CA file or transcript), each saying what
// to fix.
std::unique_ptr<kt_llm> make_llm(LlmSetup setup);

// Ctrl-C, a watchdog: makes every call on `llm` fail with KT_ERROR_CANCELLED.
void cancel_llm(kt_llm& llm);

} // namespace kerntune::host
