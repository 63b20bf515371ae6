// The pins of the release this variant is held to: KT_PINS_HEADER and KT_PINNED_LAYOUT come from
// the build (CMakeLists.txt).
#include KT_PINS_HEADER
#include "layout_report.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(plugin_api_layout)

#define KT_CPP_MEMBER(s, m, offset) {#s "." #m, offsetof(s, m)},
#define KT_CPP_SIZE(s, size) {"sizeof " #s, sizeof(s)},

BOOST_AUTO_TEST_CASE(c_and_cpp_compilers_agree_on_every_pinned_member) {
    const std::vector<kt_layout_entry> as_cpp{KT_PINNED_LAYOUT(KT_CPP_MEMBER, KT_CPP_SIZE)};
    size_t count = 0;
    const kt_layout_entry* as_c = kt_layout_as_c(&count);
    BOOST_REQUIRE_EQUAL(count, as_cpp.size());
    for (size_t i = 0; i < count; ++i) {
        BOOST_TEST_CONTEXT(as_cpp[i].what) {
            BOOST_TEST(std::string(as_c[i].what) == as_cpp[i].what);
            BOOST_TEST(as_c[i].value == as_cpp[i].value);
        }
    }
}

#define KT_EXPECTED_MEMBER(s, m, offset) {#s "." #m, offset},
#define KT_EXPECTED_SIZE(s, size) {"sizeof " #s, size},

BOOST_AUTO_TEST_CASE(every_struct_matches_its_released_layout) {
    const std::vector<kt_layout_entry> expected{
        KT_PINNED_LAYOUT(KT_EXPECTED_MEMBER, KT_EXPECTED_SIZE)};
    const std::vector<kt_layout_entry> actual{KT_PINNED_LAYOUT(KT_CPP_MEMBER, KT_CPP_SIZE)};
    for (size_t i = 0; i < expected.size(); ++i)
        BOOST_TEST_CONTEXT(expected[i].what) {
            BOOST_TEST(actual[i].value == expected[i].value);
        }
}

BOOST_AUTO_TEST_CASE(every_struct_starts_with_its_size) {
    BOOST_TEST(offsetof(kt_host_api, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_plugin_descriptor, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_create_args, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_graph_args, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_node_def, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_router_def, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_graph_api, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_state_api, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_llm_api, struct_size) == 0u);
    BOOST_TEST(offsetof(kt_test_runner_api, struct_size) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
