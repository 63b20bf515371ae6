#pragma once
// The scripted `kerntune tune` runs of the end-to-end suites and of the workflow benchmark. The
// kernel is the documentation's example docs/examples/poly (a polynomial summed with one pow()
// per term); the LLM is a ScriptedLlm whose answers, for each tuning strategy, hold a malformed
// reply, a rewrite that does not compile, one that fails the tests, one that changes nothing
// measurable, and Horner's rule, which is genuinely faster.

#include "tests/integration/workflow/child.hpp"
#include "tests/integration/workflow/scripted_llm.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune::test::e2e {

// What differs between the OpenCL and the CUDA runs.
struct Language {
    std::string backend;   // "opencl" or "cuda"
    std::string extension; // ".cl" or ".cu"
    // The words of the backend's compiler for the missing semicolon of Kernels::broken.
    std::string missing_semicolon;
};

// KT_TEST_BACKEND's language: "opencl" or "cuda".
Language language(std::string_view backend);

// The kernels of the runs, in the language's source form.
struct Kernels {
    std::string original;  // docs/examples/poly/poly.<ext>
    std::string unchanged; // the original with one more comment: no faster
    std::string broken;    // Horner's rule with a semicolon missing: does not compile
    std::string wrong;     // Horner's rule with every coefficient shifted: fails the tests
    std::string fast;      // Horner's rule: the same values, no pow() and no division
};

Kernels kernels(const Language& language);

std::filesystem::path example_kernel(const Language& language);
// The example's test spec: small for PoCL, large enough for a GPU to notice the difference.
std::filesystem::path example_test(const Language& language);
// The explicit strategy's steps file: unroll_terms, horner, and unroll_horner, which depends on
// unroll_terms.
std::filesystem::path explicit_steps_file();

// The test the LLM writes for llm_tests: the example's test at half the size, another seed.
boost::json::object generated_test(const Language& language);

// The scripted answers of a whole run in each scenario; the kernel analysis and the
// restrictions are answered in all of them.
//   one_prompt (with llm_tests): rewrite answers malformed -> broken -> wrong -> fast, each
//     followed by a fix-params answer giving block_size_x 128 and 256.
//   one_prompt_unchanged (with llm_tests): the one rewrite is the unchanged kernel.
//   autonomous (with llm_tests, whose first test names a wrong type for n): a plan of three
//     steps: unroll (unchanged), local memory (judged invalid), Horner (malformed -> broken ->
//     wrong -> fast); then a replan that ends the run.
//   explicit (user test only, explicit_steps_file()): unroll_terms (unchanged), horner
//     (malformed -> broken -> wrong -> fast); unroll_horner is skipped.
ScriptedLlm::Replies replies_for(const std::string& scenario, const Language& language);

// The tuning strategy a scenario runs: the strategy id its name starts with.
std::string strategy_of(const std::string& scenario);

// `kerntune tune` of the example in `scenario` against the LLM at `url`, into `out`, printing
// its result as JSON. one_prompt and explicit get the example's test with --tests; one_prompt and
// autonomous have llm_tests write one test; explicit tunes with the user's test alone.
std::vector<std::string> tune_argv(const std::string& scenario, const Language& language,
                                   const std::string& url, const std::filesystem::path& out);

std::string read_file(const std::filesystem::path& file);
boost::json::value read_json(const std::filesystem::path& file);

} // namespace kerntune::test::e2e
