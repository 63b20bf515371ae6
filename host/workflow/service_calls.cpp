#include "host/workflow/service_calls.hpp"

#include "core/errors/error_kind.hpp"
#include "host/services/host_api.hpp"
#include "host/services/llm_service.hpp"
#include "host/services/test_runner_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <memory>

namespace kerntune::workflow {
namespace {
namespace json = boost::json;

struct BufferDeleter {
    void operator()(kt_buffer* buffer) const noexcept { host::host_api()->buffer_free(buffer); }
};
struct ErrorDeleter {
    void operator()(kt_error* error) const noexcept { host::host_api()->error_free(error); }
};

// The reply of a table call, or its error thrown as a KindedError.
std::string take(kt_error* raw_error, kt_buffer* raw_reply) {
    const std::unique_ptr<kt_error, ErrorDeleter> error(raw_error);
    const std::unique_ptr<kt_buffer, BufferDeleter> reply(raw_reply);
    const auto* host = host::host_api();
    if (error)
        throw KindedError(static_cast<ErrorKind>(host->error_kind(error.get())),
                          host->error_message(error.get()));
    return std::string(host->buffer_data(reply.get()), host->buffer_size(reply.get()));
}

} // namespace

std::string chat(kt_llm* llm, const json::array& messages) {
    const std::string request = json::serialize(json::object{{"messages", messages}});
    kt_buffer* reply = nullptr;
    kt_error* error = host::llm_table()->chat(llm, request.data(), request.size(), &reply);
    return std::string(json::parse(take(error, reply)).at("content").as_string());
}

json::value chat_structured(kt_llm* llm, const json::array& messages, const json::value& schema) {
    const std::string request = json::serialize(json::object{{"messages", messages}});
    const std::string schema_text = json::serialize(schema);
    kt_buffer* reply = nullptr;
    kt_error* error = host::llm_table()->chat_structured(
        llm, request.data(), request.size(), schema_text.data(), schema_text.size(), &reply);
    return json::parse(take(error, reply));
}

json::value run_tests(kt_test_runner* runner, const json::object& request) {
    const std::string text = json::serialize(request);
    kt_buffer* reply = nullptr;
    kt_error* error =
        host::test_runner_table()->run_tests(runner, text.data(), text.size(), &reply);
    return json::parse(take(error, reply));
}

} // namespace kerntune::workflow
