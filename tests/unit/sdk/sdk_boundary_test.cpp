// The SDK's side of the C boundary, against the real host table: exceptions become host errors,
// and negotiation refuses a host it cannot work with.
#include <kerntune/sdk/sdk.hpp>

#include "host/services/host_api.hpp"

#include <boost/test/unit_test.hpp>

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
