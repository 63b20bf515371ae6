// `kerntune report`: the command function itself (host/cli/report_command.cpp is compiled into
// this suite), its output, the page it writes and the usage errors that exit with 2.
#include "run_fixture.hpp"

#include "core/report/run_report.hpp"
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"

#include <boost/test/unit_test.hpp>

#include <iostream>
#include <sstream>

namespace kerntune::test {
namespace {

// What the command prints on stdout.
std::string output_of(const cli::Args& args) {
    std::ostringstream out;
    auto* saved = std::cout.rdbuf(out.rdbuf());
    try {
        BOOST_TEST(cli::report_command(args) == cli::exit_ok);
    } catch (...) {
        std::cout.rdbuf(saved);
        throw;
    }
    std::cout.rdbuf(saved);
    return out.str();
}

// The message of the UsageError (exit code 2) the command fails with.
std::string usage_error_of(const cli::Args& args) {
    try {
        output_of(args);
    } catch (const cli::UsageError& e) {
        return e.what();
    }
    BOOST_FAIL("expected a UsageError");
    return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(report_cli)

BOOST_AUTO_TEST_CASE(prints_the_summary_table_or_the_report_json) {
    TempDir dir;
    const std::string run = write_run(dir).string();
    const std::string table = output_of({run});
    BOOST_TEST(contains(table, "step      time (ms)  vs previous  vs baseline  speedup"));
    BOOST_TEST(contains(table, "result: 0.5000 ms"));
    BOOST_TEST(output_of({"--json", run}) == json::serialize(report::build_report(run)) + "\n");
}

BOOST_AUTO_TEST_CASE(html_leaves_an_existing_file_alone_unless_forced) {
    TempDir dir;
    const std::string run = write_run(dir).string();
    const auto page = dir.path / "page.html";
    BOOST_TEST(contains(output_of({run, "--html", page.string()}),
                        "wrote the report page to " + page.string()));
    BOOST_TEST(read_file(page).starts_with("<!DOCTYPE html>"));
    dir.write("page.html", "mine");
    BOOST_TEST(contains(usage_error_of({run, "--html", page.string()}),
                        "already exists; kerntune leaves it alone: choose another file, or add "
                        "--force to replace it"));
    BOOST_TEST(read_file(page) == "mine");
    output_of({run, "--html", page.string(), "--force"});
    BOOST_TEST(read_file(page).starts_with("<!DOCTYPE html>"));
}

BOOST_AUTO_TEST_CASE(a_missing_or_foreign_folder_is_a_usage_error_that_says_what_to_give) {
    TempDir dir;
    BOOST_TEST(contains(usage_error_of({(dir.path / "nowhere").string()}), "there is no folder"));
    BOOST_TEST(contains(usage_error_of({dir.path.string()}),
                        "is not a kerntune run folder: it has no run.json. Give the folder that "
                        "`kerntune tune` wrote"));
    BOOST_TEST(contains(usage_error_of({}), "name the run folder: kerntune report RUN_DIR"));
    BOOST_TEST(contains(usage_error_of({dir.path.string(), "--frobnicate"}),
                        "unknown option '--frobnicate'"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
