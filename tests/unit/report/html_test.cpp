// The HTML page: self-contained, both plots as SVG, every text escaped, each kernel version with
// its diff, and the same bytes for the same run.
#include "run_fixture.hpp"

#include "core/report/html.hpp"
#include "core/report/run_report.hpp"

#include <boost/test/unit_test.hpp>

namespace kerntune::test {
namespace {

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

std::string page_of(TempDir& dir) {
    return report::render_html(report::build_report(write_run(dir)));
}

} // namespace

BOOST_AUTO_TEST_SUITE(html)

BOOST_AUTO_TEST_CASE(page_is_self_contained_with_a_step_plot_and_a_convergence_plot_each) {
    TempDir dir;
    const std::string page = page_of(dir);
    BOOST_TEST(page.starts_with("<!DOCTYPE html>"));
    BOOST_TEST(contains(page, "<style>"));
    for (const char* external : {"<script", "<link", "src=", "@import", "url("})
        BOOST_TEST(!contains(page, external), external);
    // The step plot, and one convergence plot per candidate with a search (3 of 4).
    BOOST_TEST(count(page, "<svg ") == 4u);
    BOOST_TEST(contains(page, ">time (ms)</text>"));
    BOOST_TEST(contains(page, ">configurations measured</text>"));
    BOOST_TEST(contains(page, ">baseline 2.0000 ms</text>"));
    BOOST_TEST(contains(page, "4 configurations measured, 1 failed; fastest 1.0000 ms"));
}

BOOST_AUTO_TEST_CASE(code_and_descriptions_are_escaped) {
    TempDir dir;
    const std::string page = page_of(dir);
    BOOST_TEST(contains(page, "if (i &lt; n &amp;&amp; i &gt;= 0)"));
    BOOST_TEST(!contains(page, "i < n"));
    BOOST_TEST(contains(page, "Use &lt;block_size_x&gt; &amp; tile"));
    BOOST_TEST(contains(page, "error: expected &#39;)&#39; &lt;here&gt;"));
    BOOST_TEST(!contains(page, "<block_size_x>"));
}

BOOST_AUTO_TEST_CASE(each_version_shows_its_diff_against_the_previous_accepted_version) {
    TempDir dir;
    const std::string page = page_of(dir);
    BOOST_TEST(contains(page, "<h3>Original kernel</h3>"));
    BOOST_TEST(contains(page, "<h4>Changes against the original kernel</h4>"));
    BOOST_TEST(contains(page, "<span class=\"del\">-    int i = blockIdx.x * blockDim.x + "
                              "threadIdx.x;</span><span class=\"add\">+    int i = blockIdx.x * "
                              "block_size_x + threadIdx.x;</span>"));
    // The rejected candidate and the second accepted one compare with version 1, the first
    // accepted one; the rejected one only adds a comment line.
    BOOST_TEST(count(page, "<h4>Changes against candidate 1 (accepted)</h4>") == 3u);
    BOOST_TEST(contains(page, "<span class=\"add\">+// unrolled</span>"));
    BOOST_TEST(contains(page, "<p class=\"failed\">failed</p>"));
    BOOST_TEST(contains(page, "<p class=\"accepted\">accepted: 0.5000 ms</p>"));
}

BOOST_AUTO_TEST_CASE(without_candidates_each_accepted_step_is_a_version) {
    TempDir dir;
    write_run(dir);
    json::object state = workflow_state();
    state["performance"].as_object()["candidates"] = json::array{};
    FileCheckpointStore(dir.path / "checkpoint.json").save({state, {{"", "end", 1}}, 4});
    const std::string page = report::render_html(report::build_report(dir.path));
    BOOST_TEST(contains(page, "<h3>Step 2: Two elements per thread</h3>"));
    BOOST_TEST(contains(page, "<h4>Changes against step 1 (accepted)</h4>"));
    BOOST_TEST(contains(page, "<p>No candidate recorded a search.</p>"));
}

BOOST_AUTO_TEST_CASE(the_same_run_gives_the_same_page) {
    TempDir first;
    TempDir second;
    const std::string page = page_of(first);
    BOOST_TEST(page == page_of(second));
    BOOST_TEST(page == report::render_html(report::build_report(first.path)));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
