// The line diff behind the report's kernel versions: shortest edit scripts, and hunks exactly as
// `diff -u` prints them.
#include "core/report/line_diff.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>

namespace kerntune::report {
namespace {

std::size_t lcs_length(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::vector<std::size_t>> table(a.size() + 1,
                                                std::vector<std::size_t>(b.size() + 1, 0));
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j)
            table[i][j] = a[i - 1] == b[j - 1] ? table[i - 1][j - 1] + 1
                                               : std::max(table[i - 1][j], table[i][j - 1]);
    return table[a.size()][b.size()];
}

std::vector<std::string> side(const std::vector<DiffLine>& diff, DiffOp left_out) {
    std::vector<std::string> lines;
    for (const auto& line : diff)
        if (line.op != left_out)
            lines.push_back(line.text);
    return lines;
}

} // namespace

BOOST_AUTO_TEST_SUITE(line_diff)

BOOST_AUTO_TEST_CASE(split_lines_ignores_a_final_line_break_and_keeps_empty_lines) {
    BOOST_TEST(split_lines("a\nb\n") == (std::vector<std::string>{"a", "b"}));
    BOOST_TEST(split_lines("a\nb") == (std::vector<std::string>{"a", "b"}));
    BOOST_TEST(split_lines("a\n\nb\r\n") == (std::vector<std::string>{"a", "", "b\r"}));
    BOOST_TEST(split_lines("").empty());
}

BOOST_AUTO_TEST_CASE(scripts_spell_both_sides_with_the_fewest_changes) {
    // Every pair of sequences over {a, b, c} up to length 5 would be 3^10 cases; random ones
    // from a fixed seed cover the same shapes quickly.
    std::mt19937 random(12345);
    for (int trial = 0; trial < 3000; ++trial) {
        std::vector<std::string> a(random() % 8), b(random() % 8);
        for (auto& line : a)
            line = std::string(1, static_cast<char>('a' + random() % 3));
        for (auto& line : b)
            line = std::string(1, static_cast<char>('a' + random() % 3));
        const auto diff = diff_lines(a, b);
        BOOST_TEST(side(diff, DiffOp::add) == a);
        BOOST_TEST(side(diff, DiffOp::remove) == b);
        const auto changes = std::count_if(
            diff.begin(), diff.end(), [](const DiffLine& line) { return line.op != DiffOp::keep; });
        BOOST_TEST(static_cast<std::size_t>(changes) == a.size() + b.size() - 2 * lcs_length(a, b));
    }
}

BOOST_AUTO_TEST_CASE(removals_come_before_additions_within_a_change) {
    const auto diff = diff_lines({"x", "a", "b", "y"}, {"x", "c", "d", "y"});
    const std::vector<DiffLine> expected{{DiffOp::keep, "x"},   {DiffOp::remove, "a"},
                                         {DiffOp::remove, "b"}, {DiffOp::add, "c"},
                                         {DiffOp::add, "d"},    {DiffOp::keep, "y"}};
    BOOST_TEST((diff == expected));
}

BOOST_AUTO_TEST_CASE(identical_texts_have_no_hunks) {
    BOOST_TEST(unified_diff("a\nb\n", "a\nb\n").empty());
    BOOST_TEST(unified_hunks(diff_lines({}, {})).empty());
}

BOOST_AUTO_TEST_CASE(unified_diff_matches_gnu_diff_u) {
    // Each expectation is what GNU diffutils 3.8 `diff -u` prints below its file names.
    BOOST_TEST(unified_diff("a\nb\nc\nd\n", "a\nx\nc\nd\ne\n") ==
               "@@ -1,4 +1,5 @@\n a\n-b\n+x\n c\n d\n+e\n");
    BOOST_TEST(unified_diff("", "p\nq\n") == "@@ -0,0 +1,2 @@\n+p\n+q\n");
    BOOST_TEST(unified_diff("p\nq\n", "") == "@@ -1,2 +0,0 @@\n-p\n-q\n");
    BOOST_TEST(unified_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\n4\n6\n7\n8\n9\n10\n", 0) ==
               "@@ -5 +4,0 @@\n-5\n");
}

BOOST_AUTO_TEST_CASE(changes_share_a_hunk_only_within_twice_the_context) {
    std::string numbers;
    for (int i = 1; i <= 20; ++i)
        numbers += std::to_string(i) + "\n";
    const auto replaced = [&](const std::vector<std::pair<std::string, std::string>>& edits) {
        std::string text = "\n" + numbers;
        for (const auto& [from, to] : edits)
            text.replace(text.find("\n" + from + "\n") + 1, from.size(), to);
        return text.substr(1);
    };
    // Lines 2 and 9 have six unchanged lines between them: one hunk, as in diff -u.
    const auto close = unified_hunks(
        diff_lines(split_lines(numbers), split_lines(replaced({{"2", "B"}, {"9", "I"}}))));
    BOOST_TEST(close.size() == 1u);
    BOOST_TEST(hunk_header(close.front()) == "@@ -1,12 +1,12 @@");
    // Lines 2 and 18 are far apart: two hunks.
    const std::string far = unified_diff(numbers, replaced({{"2", "two"}, {"18", "eighteen"}}));
    BOOST_TEST(far == "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
                      "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::report
