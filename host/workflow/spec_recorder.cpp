#include "host/workflow/spec_recorder.hpp"

#include "host/services/host_api.hpp"
#include "host/services/test_runner_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <exception>

namespace kerntune::workflow {
namespace {
namespace json = boost::json;

const SpecRecorder* active = nullptr;

kt_error* register_and_record(kt_test_runner* runner, const char* specs_json, size_t len,
                              kt_buffer** ids_json) noexcept {
    kt_error* error = host::test_runner_table()->register_tests(runner, specs_json, len, ids_json);
    if (error || !active)
        return error;
    try {
        const auto* host = host::host_api();
        const json::value ids = json::parse(
            std::string_view(host->buffer_data(*ids_json), host->buffer_size(*ids_json)));
        std::vector<std::string> list;
        for (const auto& id : ids.as_array())
            list.emplace_back(id.as_string());
        active->record(json::parse(std::string_view(specs_json, len)), list);
        return nullptr;
    } catch (const std::exception& e) {
        host::host_api()->buffer_free(*ids_json);
        *ids_json = nullptr;
        return host::make_error(KT_ERROR_INTERNAL,
                                std::string("the tests were registered, but kerntune could not "
                                            "keep a copy in the run folder: ") +
                                    e.what());
    }
}

const kt_test_runner_api* recording_table() {
    static const kt_test_runner_api table = [] {
        kt_test_runner_api copy = *host::test_runner_table();
        copy.register_tests = register_and_record;
        return copy;
    }();
    return &table;
}

} // namespace

SpecRecorder::SpecRecorder(const RunDir& run_dir) : run_dir_(run_dir) {
    active = this;
    host::register_service(KT_SERVICE_TEST_RUNNER, recording_table());
}

SpecRecorder::~SpecRecorder() {
    host::register_service(KT_SERVICE_TEST_RUNNER, host::test_runner_table());
    active = nullptr;
}

void SpecRecorder::record(const json::value& specs, const std::vector<std::string>& ids) const {
    const auto& array = specs.as_array();
    for (std::size_t i = 0; i < ids.size() && i < array.size(); ++i)
        run_dir_.write(run_dir_.test_spec(ids[i]), json::serialize(array[i]) + "\n");
}

} // namespace kerntune::workflow
