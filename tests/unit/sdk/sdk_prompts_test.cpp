// Prompt templates, prompt overrides and embedded prompts, compiled as C++17: the SDK's promise
// to plugin authors.
#include <kerntune/sdk/embedded_prompts.hpp>
#include <kerntune/sdk/prompts.hpp>

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace sdk = kerntune::sdk;
using kerntune::test::TempDir;

namespace {

// Whether `body` throws sdk::Error of `kind` whose message contains every one of `parts`.
template <typename Body>
bool fails_with(Body&& body, kt_error_kind kind, std::initializer_list<std::string> parts) {
    try {
        body();
    } catch (const sdk::Error& e) {
        const std::string message = e.what();
        for (const auto& part : parts)
            if (message.find(part) == std::string::npos) {
                BOOST_TEST_MESSAGE("missing \"" << part << "\" in: " << message);
                return false;
            }
        return e.kind() == kind;
    }
    return false;
}

const std::map<std::string, std::string> defaults{
    {"system", "You tune kernels."},
    {"rewrite", "Rewrite {{kernel_string}} with {{tune_params}}."}};

} // namespace

BOOST_AUTO_TEST_SUITE(sdk_prompt_template)

BOOST_AUTO_TEST_CASE(renders_every_placeholder_and_never_scans_the_values) {
    const auto prompt = sdk::PromptTemplate::parse("{{a}} and {{b}} and {{a}}", "test");
    BOOST_TEST(prompt.placeholders() == (std::set<std::string>{"a", "b"}));
    BOOST_TEST(prompt.render({{"a", "{{b}}"}, {"b", "B"}}) == "{{b}} and B and {{b}}");
}

BOOST_AUTO_TEST_CASE(double_braces_in_code_are_literal_text) {
    const std::string code = "int a[2][2] = {{1, 2}, {3, 4}}; {{ }} {{0}}";
    const auto prompt = sdk::PromptTemplate::parse(code, "test");
    BOOST_TEST(prompt.placeholders().empty());
    BOOST_TEST(prompt.render({}) == code);
}

BOOST_AUTO_TEST_CASE(a_placeholder_typo_is_refused_with_the_origin_and_the_line) {
    BOOST_TEST(
        fails_with([] { sdk::PromptTemplate::parse("one\n{{ Kernel }}", "my.txt"); },
                   KT_ERROR_INVALID_ARGUMENT,
                   {"my.txt, line 2: \"{{ Kernel }}\" is not a placeholder", "lower-case name"}));
    BOOST_TEST(fails_with([] { sdk::PromptTemplate::parse("{{kernelCode}}", "my.txt"); },
                          KT_ERROR_INVALID_ARGUMENT, {"line 1"}));
}

BOOST_AUTO_TEST_CASE(a_missing_value_names_the_origin_the_placeholder_and_the_values_given) {
    const auto prompt = sdk::PromptTemplate::parse("{{kernel_string}} {{tune_params}}", "p.txt");
    BOOST_TEST(fails_with(
        [&] {
            prompt.render({{"kernel_string", "k"}, {"other", "x"}});
        },
        KT_ERROR_INVALID_ARGUMENT,
        {"p.txt uses {{tune_params}}", "the values given are kernel_string, other"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sdk_prompts)

BOOST_AUTO_TEST_CASE(without_overrides_the_defaults_render) {
    const sdk::Prompts prompts(defaults);
    BOOST_TEST(prompts.render("system") == "You tune kernels.");
    BOOST_TEST(prompts.render("rewrite", {{"kernel_string", "K"}, {"tune_params", "P"}}) ==
               "Rewrite K with P.");
    BOOST_TEST(prompts.overridden().empty());
}

BOOST_AUTO_TEST_CASE(a_missing_prompt_dir_means_no_overrides) {
    TempDir dir;
    const sdk::Prompts prompts(defaults, (dir.path / "absent").string());
    BOOST_TEST(prompts.render("system") == "You tune kernels.");
}

BOOST_AUTO_TEST_CASE(an_override_file_replaces_its_default_and_may_leave_placeholders_out) {
    TempDir dir;
    const auto file = dir.write("rewrite.txt", "Make {{kernel_string}} fast.");
    dir.write(".rewrite.txt.swp", "an editor's file, ignored");
    const sdk::Prompts prompts(defaults, dir.path.string());
    BOOST_TEST(prompts.render("rewrite", {{"kernel_string", "K"}, {"tune_params", "P"}}) ==
               "Make K fast.");
    BOOST_TEST(prompts.render("system") == "You tune kernels.");
    BOOST_TEST(prompts.overridden().at("rewrite") == file.string());
    BOOST_TEST(prompts.get("rewrite").origin() == file.string());
}

BOOST_AUTO_TEST_CASE(an_unknown_override_file_names_the_file_and_the_files_read) {
    TempDir dir;
    const auto file = dir.write("rewite.txt", "typo in the name");
    BOOST_TEST(fails_with([&] { sdk::Prompts(defaults, dir.path.string()); },
                          KT_ERROR_INVALID_ARGUMENT,
                          {file.string(), "does not replace any prompt",
                           "the files it reads are rewrite.txt, system.txt"}));
    TempDir other;
    other.write("system.md", "wrong extension");
    BOOST_TEST(fails_with([&] { sdk::Prompts(defaults, other.path.string()); },
                          KT_ERROR_INVALID_ARGUMENT, {"system.md"}));
}

BOOST_AUTO_TEST_CASE(an_override_with_a_placeholder_the_default_lacks_names_the_allowed_ones) {
    TempDir dir;
    const auto file = dir.write("rewrite.txt", "{{kernel_string}} {{kernel_code}}");
    BOOST_TEST(fails_with([&] { sdk::Prompts(defaults, dir.path.string()); },
                          KT_ERROR_INVALID_ARGUMENT,
                          {file.string() + " uses {{kernel_code}}",
                           "it can use {{kernel_string}}, {{tune_params}}"}));
    TempDir none;
    none.write("system.txt", "{{anything}}");
    BOOST_TEST(fails_with([&] { sdk::Prompts(defaults, none.path.string()); },
                          KT_ERROR_INVALID_ARGUMENT, {"it can use no placeholders"}));
}

BOOST_AUTO_TEST_CASE(a_prompt_dir_that_is_a_file_is_refused) {
    TempDir dir;
    const auto file = dir.write("prompts", "not a directory");
    BOOST_TEST(fails_with([&] { sdk::Prompts(defaults, file.string()); }, KT_ERROR_INVALID_ARGUMENT,
                          {file.string(), "is not a directory"}));
}

BOOST_AUTO_TEST_CASE(asking_for_a_prompt_the_plugin_lacks_lists_its_prompts) {
    const sdk::Prompts prompts(defaults);
    BOOST_TEST(fails_with([&] { prompts.get("planner"); }, KT_ERROR_NOT_FOUND,
                          {"no prompt 'planner'", "rewrite, system"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sdk_embedded_prompts)

BOOST_AUTO_TEST_CASE(every_prompt_file_is_embedded_byte_for_byte_under_its_name) {
    const auto embedded = kerntune_embedded_prompts();
    BOOST_TEST(embedded.size() == 2u);
    for (const char* name : {"plain", "tricky"}) {
        std::ifstream in(std::string(KERNTUNE_EMBEDDED_FIXTURES) + "/" + name + ".txt",
                         std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        BOOST_TEST(embedded.at(name) == bytes.str());
    }
    BOOST_TEST(sdk::Prompts(embedded).get("plain").placeholders() ==
               std::set<std::string>{"placeholder"});
}

BOOST_AUTO_TEST_SUITE_END()
