// Every fixture is built like a real plugin (hidden visibility plus the version script), so its
// dynamic symbol table exports kerntune_plugin_entry and nothing else.
#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <sstream>

namespace kerntune::test {
namespace {

const fs::path nm_path = KT_TEST_NM;

boost::test_tools::assertion_result nm_available(boost::unit_test::test_unit_id) {
    boost::test_tools::assertion_result available = !nm_path.empty() && fs::exists(nm_path);
    available.message() << "nm was not found at build time (CMAKE_NM), so the exported symbols "
                           "cannot be checked";
    return available;
}

std::set<std::string> exported_symbols(const fs::path& library) {
    const auto result = run_process({nm_path.string(), "-D", "--defined-only", library.string()});
    BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "nm failed on " << library << ": " << result.err);
    std::set<std::string> symbols;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        const auto name = line.substr(line.find_last_of(' ') + 1);
        if (!name.empty())
            symbols.insert(name);
    }
    return symbols;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fixture_plugin_exports)

BOOST_AUTO_TEST_CASE(every_fixture_exports_only_kerntune_plugin_entry,
                     *boost::unit_test::precondition(nm_available)) {
    std::size_t checked = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fixture_root())) {
        if (entry.path().extension() != ".so")
            continue;
        ++checked;
        const std::set<std::string> expected = entry.path().stem() == "no_entry"
                                                   ? std::set<std::string>{}
                                                   : std::set<std::string>{"kerntune_plugin_entry"};
        BOOST_TEST(exported_symbols(entry.path()) == expected, entry.path());
    }
    BOOST_TEST(checked == static_cast<std::size_t>(KT_TEST_FIXTURE_PLUGIN_COUNT));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
