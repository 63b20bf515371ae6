// The descriptor checks on descriptors made in the test, including the boundaries that fixture
// plugins do not reach.
#include "host/plugins/descriptor_check.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace kerntune::plugins {
namespace {

kt_error* create(const kt_create_args*, kt_plugin_instance**) {
    return nullptr;
}
void destroy(kt_plugin_instance*) {}
kt_error* create_graph(kt_plugin_instance*, const kt_graph_args*) {
    return nullptr;
}

kt_plugin_descriptor valid() {
    return {sizeof(kt_plugin_descriptor),
            KT_ABI_MAJOR,
            KT_ABI_MINOR,
            "unit.valid",
            KT_PLUGIN_TESTING_STRATEGY,
            "Unit",
            "2.1.0",
            R"({"type":"object"})",
            create,
            destroy,
            create_graph};
}

std::string refusal(const kt_plugin_descriptor& descriptor) {
    const auto result = check_descriptor(descriptor, AbiVersion{});
    const auto* reason = std::get_if<std::string>(&result);
    return reason ? *reason : "<accepted>";
}

} // namespace

BOOST_AUTO_TEST_SUITE(descriptor_check)

BOOST_AUTO_TEST_CASE(valid_descriptor_is_copied_into_plugin_info) {
    const auto result = check_descriptor(valid(), AbiVersion{});
    const auto* checked = std::get_if<CheckedDescriptor>(&result);
    BOOST_REQUIRE(checked);
    BOOST_TEST(checked->info.id == "unit.valid");
    BOOST_TEST(checked->info.kind == KT_PLUGIN_TESTING_STRATEGY);
    BOOST_TEST(checked->info.display_name == "Unit");
    BOOST_TEST(checked->info.version == "2.1.0");
    BOOST_TEST(checked->info.options_schema == R"({"type":"object"})");
    BOOST_TEST(checked->descriptor.create_graph == &create_graph);
}

BOOST_AUTO_TEST_CASE(ids_are_3_to_128_characters_of_lower_case_digits_dot_underscore_dash) {
    BOOST_TEST(is_valid_plugin_id("a.b"));
    BOOST_TEST(is_valid_plugin_id("one_prompt-2.x"));
    BOOST_TEST(is_valid_plugin_id(std::string(128, 'a')));
    BOOST_TEST(!is_valid_plugin_id("ab"));
    BOOST_TEST(!is_valid_plugin_id(std::string(129, 'a')));
    BOOST_TEST(!is_valid_plugin_id("Upper"));
    BOOST_TEST(!is_valid_plugin_id("with space"));
    BOOST_TEST(!is_valid_plugin_id("slash/id"));
}

BOOST_AUTO_TEST_CASE(id_longer_than_128_characters_is_refused_without_reading_all_of_it) {
    const std::string id(4096, 'a');
    auto descriptor = valid();
    descriptor.id = id.c_str();
    const std::string expected = "its id \"" + std::string(128, 'a') + "...\" is invalid";
    BOOST_TEST(refusal(descriptor).starts_with(expected), refusal(descriptor));
}

BOOST_AUTO_TEST_CASE(struct_size_below_the_version_fields_is_refused_as_too_small) {
    auto descriptor = valid();
    descriptor.struct_size = 4;
    BOOST_TEST(refusal(descriptor)
                   .starts_with("its descriptor is too small: struct_size is 4 "
                                "bytes"));
}

BOOST_AUTO_TEST_CASE(abi_is_checked_before_the_size_so_a_foreign_major_gets_the_version_message) {
    auto descriptor = valid();
    descriptor.abi_major = KT_ABI_MAJOR + 1;
    descriptor.struct_size = 16;
    BOOST_TEST(refusal(descriptor).starts_with("it was built for plugin ABI "));
}

BOOST_AUTO_TEST_CASE(older_plugin_minor_than_the_host_is_accepted) {
    auto descriptor = valid();
    const auto result = check_descriptor(descriptor, AbiVersion{KT_ABI_MAJOR, KT_ABI_MINOR + 3});
    BOOST_TEST(std::holds_alternative<CheckedDescriptor>(result));
}

BOOST_AUTO_TEST_CASE(each_null_required_member_is_refused_by_name) {
    auto no_id = valid();
    no_id.id = nullptr;
    BOOST_TEST(refusal(no_id) == "its descriptor has no id (NULL)");
    auto no_name = valid();
    no_name.display_name = nullptr;
    BOOST_TEST(refusal(no_name) == "its descriptor has no display_name (NULL)");
    auto no_version = valid();
    no_version.version = nullptr;
    BOOST_TEST(refusal(no_version) == "its descriptor has no version (NULL)");
    auto no_schema = valid();
    no_schema.options_schema_json = nullptr;
    BOOST_TEST(refusal(no_schema).starts_with("its descriptor has no options_schema_json (NULL)"));
    auto no_create = valid();
    no_create.create = nullptr;
    BOOST_TEST(refusal(no_create) == "its descriptor has no create function (NULL)");
    auto no_destroy = valid();
    no_destroy.destroy = nullptr;
    BOOST_TEST(refusal(no_destroy) == "its descriptor has no destroy function (NULL)");
}

BOOST_AUTO_TEST_CASE(empty_or_non_utf8_names_are_refused) {
    auto empty_name = valid();
    empty_name.display_name = "";
    BOOST_TEST(refusal(empty_name) == "its display_name is empty");
    auto empty_version = valid();
    empty_version.version = "";
    BOOST_TEST(refusal(empty_version) == "its version is empty");
    auto latin1 = valid();
    latin1.display_name = "caf\xe9";
    BOOST_TEST(refusal(latin1) == "its display_name is not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(schema_must_be_a_json_object_or_boolean) {
    auto array = valid();
    array.options_schema_json = "[1]";
    BOOST_TEST(refusal(array) ==
               "its options schema must be a JSON Schema (an object or a boolean)");
    auto boolean = valid();
    boolean.options_schema_json = "true";
    BOOST_TEST(refusal(boolean) == "<accepted>");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::plugins
