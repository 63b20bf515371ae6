// `kerntune report RUN_DIR [--html FILE [--force]] [--json]`: the summary of a run folder that
// `kerntune tune` wrote, its report as one HTML page, or its report.json.
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"

#include "core/errors/error_kind.hpp"
#include "core/report/html.hpp"
#include "core/report/run_report.hpp"
#include "core/report/summary.hpp"
#include "host/cli/output_file.hpp"

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

namespace kerntune::cli {
namespace {

constexpr const char* report_usage =
    R"(usage: kerntune report RUN_DIR [--html FILE [--force]] [--json]

Prints the summary of the run that `kerntune tune` wrote to RUN_DIR: the baseline and every
accepted step with its time in ms, its improvement over the previous step and over the
baseline, its speedup and its best parameters; then the candidates by outcome, the tests, and
the LLM's calls and tokens. RUN_DIR is only read. A run that was interrupted is reported as far
as it got, with notes that say what is missing.

options:
  --html FILE   also write the report as one self-contained HTML page (plots, every kernel
                version with its diff) to FILE; an existing FILE is left alone unless --force
  --force       with --html: replace FILE if it exists
  --json        print the report as one JSON object (the fields of report.json, see
                docs/reports.md) instead of the summary
)";

constexpr const char* exists_advice = ": choose another file, or add --force to replace it";

} // namespace

int report_command(const Args& args) {
    std::optional<std::string> run_dir;
    std::optional<std::string> html_file;
    bool force = false;
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::cout << report_usage;
            return exit_ok;
        }
        if (a == "--html") {
            if (i + 1 >= args.size())
                throw UsageError("--html needs a file: --html FILE");
            html_file = args[++i];
        } else if (a == "--force") {
            force = true;
        } else if (a == "--json") {
            json = true;
        } else if (a.starts_with("-")) {
            throw UsageError("unknown option '" + a + "' for report; see `kerntune report --help`");
        } else if (run_dir) {
            throw UsageError("report takes one run folder, but got '" + *run_dir + "' and '" + a +
                             "'; run it once per folder");
        } else {
            run_dir = a;
        }
    }
    if (!run_dir)
        throw UsageError("name the run folder: kerntune report RUN_DIR (the folder that "
                         "`kerntune tune` wrote, its --out DIR)");
    if (force && !html_file)
        throw UsageError("--force only applies to --html FILE");
    std::error_code ec;
    if (html_file && !force &&
        std::filesystem::exists(std::filesystem::symlink_status(*html_file, ec)))
        throw UsageError("'" + *html_file + "' already exists; kerntune leaves it alone" +
                         exists_advice);

    boost::json::object report;
    try {
        report = report::build_report(*run_dir);
    } catch (const KindedError& e) {
        // A missing or damaged run folder is an input error; the message says what to do.
        if (e.kind() == ErrorKind::not_found || e.kind() == ErrorKind::invalid_argument)
            throw UsageError(e.what());
        throw;
    }
    if (html_file)
        write_output_file(*html_file, report::render_html(report), force);
    if (json)
        std::cout << boost::json::serialize(report) << '\n';
    else
        std::cout << report::summary_table(report);
    if (html_file)
        (json ? std::cerr : std::cout) << "wrote the report page to " << *html_file << '\n';
    return exit_ok;
}

} // namespace kerntune::cli
