// The SDK's side of the C boundary, against the real host table: exceptions become host errors,
// and negotiation refuses a host it cannot work with.
#include <kerntune/sdk/sdk.hpp>

#include "host/services/builtin_services.hpp"
#include "host/services/host_api.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstring>
#include <optional>
#include <string>

namespace sdk = kerntune::sdk;

namespace {

struct WithHost {
    WithHost() {
        sdk::detail::host_context() = sdk::detail::HostContext{kerntune::host::host_api(), nullptr};
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(sdk_guard, WithHost)

kt_error* run_guarded(void (*body)()) {
    return sdk::detail::guard(body);
}

BOOST_AUTO_TEST_CASE(an_sdk_error_keeps_its_kind_and_message) {
    kt_error* error = run_guarded([] { throw sdk::Error(KT_ERROR_NO_CODE, "no code block"); });
    BOOST_REQUIRE(error);
    BOOST_TEST(sdk::detail::host().error_kind(error) == KT_ERROR_NO_CODE);
    BOOST_TEST(std::string(sdk::detail::host().error_message(error)) == "no code block");
    sdk::detail::host().error_free(error);
}

BOOST_AUTO_TEST_CASE(any_other_exception_becomes_a_plugin_exception) {
    kt_error* standard = run_guarded([] { throw std::runtime_error("boom"); });
    BOOST_TEST(sdk::detail::host().error_kind(standard) == KT_ERROR_PLUGIN_EXCEPTION);
    BOOST_TEST(std::string(sdk::detail::host().error_message(standard)) == "boom");
    kt_error* odd = run_guarded([] { throw 42; });
    BOOST_TEST(sdk::detail::host().error_kind(odd) == KT_ERROR_PLUGIN_EXCEPTION);
    sdk::detail::host().error_free(standard);
    sdk::detail::host().error_free(odd);
}

BOOST_AUTO_TEST_CASE(success_returns_no_error) {
    BOOST_TEST(run_guarded([] {}) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sdk_negotiation)

BOOST_AUTO_TEST_CASE(a_host_of_another_major_is_refused_through_the_sink) {
    std::string reason;
    const kt_error_sink sink{sizeof(kt_error_sink), &reason,
                             [](void* ctx, const char* message, size_t size) {
                                 static_cast<std::string*>(ctx)->assign(message, size);
                             }};
    const kt_host_info host{sizeof(kt_host_info),       KT_ABI_MAJOR + 1, 0,
                            kerntune::host::host_api(), nullptr,          "9.9.9"};
    static const kt_plugin_descriptor descriptor{};
    BOOST_TEST(sdk::detail::negotiate(&host, &sink, &descriptor) == nullptr);
    BOOST_TEST(reason.find("the host offers 2.0") != std::string::npos, reason);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(sdk_abi_1_1, WithHost)

namespace {

std::optional<std::string> seen_prompt_dir;

struct RecordsArgs : sdk::TuningStrategy {
    explicit RecordsArgs(const sdk::PluginArgs& args) : TuningStrategy(args) {
        seen_prompt_dir = args.prompt_dir;
    }
    sdk::Graph create_graph(sdk::Llm&) override { return {}; }
};

// Creates RecordsArgs with `args` and releases it again.
void create(const kt_create_args& args) {
    kt_plugin_instance* instance = nullptr;
    BOOST_REQUIRE(sdk::detail::Glue<RecordsArgs>::create(&args, &instance) == nullptr);
    sdk::detail::Glue<RecordsArgs>::destroy(instance);
}

} // namespace

BOOST_AUTO_TEST_CASE(the_prompt_dir_is_read_only_when_the_hosts_struct_holds_it) {
    const char* const policy = R"({"max_attempts": 3})";
    kt_create_args args{sizeof(kt_create_args), "{}",    2, policy,
                        std::strlen(policy),    nullptr, 0, "/prompts/one_prompt"};
    create(args);
    BOOST_TEST(seen_prompt_dir.value_or("none") == "/prompts/one_prompt");
    args.prompt_dir = nullptr;
    create(args);
    BOOST_TEST(!seen_prompt_dir);
    // A 1.0 host's struct ends before prompt_dir: whatever lies there is not read.
    args.struct_size = offsetof(kt_create_args, prompt_dir);
    args.prompt_dir = "/must/not/be/read";
    create(args);
    BOOST_TEST(!seen_prompt_dir);
}

BOOST_AUTO_TEST_CASE(compare_on_a_host_without_it_says_to_update_kerntune) {
    kt_test_runner_api old_table{};
    old_table.struct_size = offsetof(kt_test_runner_api, compare);
    kerntune::host::register_service(KT_SERVICE_TEST_RUNNER, &old_table);
    const sdk::TestRunner runner(nullptr);
    BOOST_CHECK_EXCEPTION(runner.compare({}, {}, {"t"}), sdk::Error, [](const sdk::Error& e) {
        return e.kind() == KT_ERROR_UNSUPPORTED &&
               std::string(e.what()).find("update kerntune") != std::string::npos;
    });
    kerntune::host::register_builtin_services();
}

BOOST_AUTO_TEST_CASE(every_error_kind_has_the_hosts_name) {
    for (int kind = KT_ERROR_COMPILE_ERROR; kind <= KT_ERROR_PLUGIN_EXCEPTION; ++kind) {
        const auto typed = static_cast<kt_error_kind>(kind);
        const std::string ours = sdk::kind_name(typed);
        if (ours != "unknown")
            BOOST_TEST(ours == std::string(kerntune::host::error_kind_name(typed)));
    }
    BOOST_TEST(sdk::kind_name(KT_ERROR_TEST_TOO_LONG) == std::string("test_too_long"));
}

BOOST_AUTO_TEST_SUITE_END()
