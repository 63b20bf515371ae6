#pragma once
// kerntune.llm/1 over the LLM client: the definition of the opaque kt_llm handle, the C table,
// and how the host makes a handle for a run.

#include "core/llm/client.hpp"
#include "core/net/cancel.hpp"

#include <kerntune/plugin_api.h>

#include <memory>
#include <string>

// One LLM endpoint for one run. Every strategy instance of the run gets the same handle.
struct kt_llm {
    std::shared_ptr<kerntune::llm::Client> client;
    kerntune::net::CancelToken cancel; // cancel_llm(): every call in flight and later fails
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
};

// Makes the handle for a run. Throws llm::LlmError (llm_unavailable: the endpoint or the model
// is not there) or std::invalid_argument (a bad URL, CA file or transcript), each saying what
// to fix.
std::unique_ptr<kt_llm> make_llm(LlmSetup setup);

// Ctrl-C, a watchdog: makes every call on `llm` fail with KT_ERROR_CANCELLED.
void cancel_llm(kt_llm& llm);

} // namespace kerntune::host
