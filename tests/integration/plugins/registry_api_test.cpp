// The registry API in-process, as the rest of the host uses it: what a loaded plugin looks like,
// the refusals, and the options (ABI version, timeout, scanner, directories).
#include "fault_cases.hpp"
#include "fixtures.hpp"

#include "host/plugins/registry.hpp"

#include <boost/test/unit_test.hpp>

namespace kerntune::test {
namespace {

using plugins::PluginRegistry;

std::string only_refusal(const PluginRegistry& registry) {
    BOOST_REQUIRE_EQUAL(registry.refused().size(), 1u);
    return registry.refused().front().reason;
}

} // namespace

BOOST_AUTO_TEST_SUITE(plugin_registry_api)

BOOST_AUTO_TEST_CASE(good_plugin_is_loaded_with_its_info_descriptor_and_handle) {
    const auto registry = PluginRegistry::discover(options_for({fixture_dir("good")}));
    BOOST_TEST(registry.refused().empty());
    const auto* plugin = registry.find("fixture.good");
    BOOST_REQUIRE(plugin);
    BOOST_TEST(plugin->info.kind == KT_PLUGIN_TUNING_STRATEGY);
    BOOST_TEST(plugin->info.display_name == "Fixture fixture.good");
    BOOST_TEST(plugin->info.version == "1.0.0");
    BOOST_TEST(plugin->info.options_schema == "{}");
    BOOST_TEST(plugin->info.file == fixture_file("good"));
    BOOST_TEST((plugin->info.abi == plugins::AbiVersion{KT_ABI_MAJOR, KT_ABI_MINOR}));
    BOOST_TEST(plugin->descriptor.create != nullptr);
    BOOST_TEST(plugin->descriptor.destroy != nullptr);
    BOOST_TEST(plugin->descriptor.create_graph != nullptr);
    BOOST_REQUIRE(plugin->handle);
    BOOST_TEST(plugin->handle->name == "fixture.good");
    BOOST_TEST(registry.searched_dirs() == std::vector<fs::path>{fixture_dir("good")});
}

BOOST_AUTO_TEST_CASE(loaded_plugin_can_create_and_destroy_an_instance) {
    const auto registry = PluginRegistry::discover(options_for({fixture_dir("good")}));
    const auto* plugin = registry.find("fixture.good");
    BOOST_REQUIRE(plugin);
    const kt_create_args args{sizeof(kt_create_args), "{}", 2, "{}", 2, nullptr, 0, nullptr};
    kt_plugin_instance* instance = nullptr;
    BOOST_TEST(plugin->descriptor.create(&args, &instance) == nullptr);
    BOOST_TEST(instance != nullptr);
    plugin->descriptor.destroy(instance);
}

BOOST_AUTO_TEST_CASE(find_answers_null_for_an_unknown_id) {
    const auto registry = PluginRegistry::discover(options_for({fixture_dir("good")}));
    BOOST_TEST(registry.find("fixture.absent") == nullptr);
}

BOOST_AUTO_TEST_CASE(each_faulty_plugin_is_refused_with_its_documented_reason) {
    for (const auto& fault : non_crashing_fault_cases()) {
        BOOST_TEST_CONTEXT(fault.name) {
            const auto registry = PluginRegistry::discover(options_for({fixture_dir(fault.name)}));
            BOOST_TEST(registry.plugins().empty());
            BOOST_TEST(only_refusal(registry) == fault.reason);
            BOOST_TEST(registry.refused().front().file == fixture_file(fault.name));
        }
    }
}

BOOST_AUTO_TEST_CASE(host_with_a_newer_minor_loads_a_plugin_built_against_the_frozen_1_0_header) {
    auto options = options_for({fixture_dir("abi_1_0")});
    options.abi.minor = KT_ABI_MINOR + 1;
    const auto registry = PluginRegistry::discover(options);
    BOOST_TEST(registry.refused().empty());
    const auto* plugin = registry.find("fixture.abi-1.0");
    BOOST_REQUIRE(plugin);
    BOOST_TEST((plugin->info.abi == plugins::AbiVersion{1, 0}));
}

BOOST_AUTO_TEST_CASE(host_of_the_current_abi_loads_a_plugin_built_against_the_frozen_1_0_header) {
    const auto registry = PluginRegistry::discover(options_for({fixture_dir("abi_1_0")}));
    BOOST_TEST(registry.refused().empty());
    BOOST_TEST(registry.find("fixture.abi-1.0"));
}

BOOST_AUTO_TEST_CASE(host_of_the_current_abi_loads_a_plugin_built_against_the_frozen_1_1_header) {
    const auto registry = PluginRegistry::discover(options_for({fixture_dir("abi_1_1")}));
    BOOST_TEST(registry.refused().empty());
    const auto* plugin = registry.find("fixture.abi-1.1");
    BOOST_REQUIRE(plugin);
    BOOST_TEST((plugin->info.abi == plugins::AbiVersion{1, 1}));
}

BOOST_AUTO_TEST_CASE(plugin_minor_equal_to_an_injected_host_minor_is_accepted) {
    auto options = options_for({fixture_dir("newer_minor")});
    options.abi.minor = KT_ABI_MINOR + 1;
    const auto registry = PluginRegistry::discover(options);
    BOOST_TEST(registry.refused().empty());
    BOOST_TEST(registry.find("fixture.newer-minor"));
}

BOOST_AUTO_TEST_CASE(plugin_refusing_a_host_of_another_major_is_refused_with_its_explanation) {
    auto options = options_for({fixture_dir("good")});
    options.abi.major = KT_ABI_MAJOR + 1;
    const auto registry = PluginRegistry::discover(options);
    BOOST_TEST(registry.plugins().empty());
    BOOST_TEST(only_refusal(registry) ==
               "its kerntune_plugin_entry refused this host: this fixture needs a host of the "
               "same plugin ABI major");
}

BOOST_AUTO_TEST_CASE(scan_timeout_option_bounds_a_hanging_plugin) {
    auto options = options_for({fixture_dir("hang_entry")});
    options.scan_timeout = std::chrono::milliseconds(300);
    const Stopwatch stopwatch;
    const auto registry = PluginRegistry::discover(options);
    BOOST_TEST(stopwatch.seconds() < 3.0);
    BOOST_TEST(only_refusal(registry) ==
               "it did not answer within 0.3 s during discovery and was killed");
}

BOOST_AUTO_TEST_CASE(scanner_that_cannot_start_refuses_the_plugin_naming_the_scanner) {
    auto options = options_for({fixture_dir("good")});
    options.scanner = fixture_root() / "no-such-kerntune";
    const auto registry = PluginRegistry::discover(options);
    BOOST_TEST(registry.plugins().empty());
    BOOST_TEST(only_refusal(registry) == "it could not be checked: the plugin scanner " +
                                             options.scanner.string() +
                                             " did not start (No such file or directory)");
}

BOOST_AUTO_TEST_CASE(missing_plugin_dir_throws_discovery_error) {
    BOOST_CHECK_THROW(PluginRegistry::discover(options_for({fixture_root() / "no-such-dir"})),
                      plugins::DiscoveryError);
}

BOOST_AUTO_TEST_CASE(missing_builtin_and_path_dirs_are_skipped) {
    auto options = options_for({fixture_dir("good")});
    options.builtin_dir = fixture_root() / "no-builtin-dir";
    options.path_dirs = {fixture_root() / "no-path-dir"};
    const auto registry = PluginRegistry::discover(options);
    BOOST_TEST(registry.refused().empty());
    BOOST_TEST(registry.find("fixture.good"));
}

BOOST_AUTO_TEST_CASE(builtin_dir_is_searched_before_plugin_dirs) {
    auto options = options_for({fixture_dir("duplicate_id")});
    options.builtin_dir = fixture_dir("good");
    const auto registry = PluginRegistry::discover(options);
    BOOST_REQUIRE_EQUAL(registry.searched_dirs().size(), 2u);
    BOOST_TEST(registry.searched_dirs()[0] == fixture_dir("good"));
    BOOST_TEST(registry.searched_dirs()[1] == fixture_dir("duplicate_id"));
    BOOST_REQUIRE_EQUAL(registry.plugins().size(), 2u);
    BOOST_TEST(registry.plugins()[0].info.id == "fixture.good");
}

BOOST_AUTO_TEST_CASE(kerntune_plugin_path_is_split_at_colons_skipping_empty_entries) {
    BOOST_TEST(plugins::split_plugin_path("/a::/b:") == (std::vector<fs::path>{"/a", "/b"}));
    BOOST_TEST(plugins::split_plugin_path("").empty());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
