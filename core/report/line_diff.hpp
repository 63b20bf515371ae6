#pragma once
// Line diffs between kernel versions, for the report's "every kernel version" section. Written
// here because no Debian-packaged C++ library offers a line diff (libdtl is not packaged, and GNU
// diffutils is a program, not a library): Myers' O((N+M)·D) algorithm, after trimming the common
// prefix and suffix, which is small and fast for kernels of a few thousand lines.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune::report {

enum class DiffOp { keep, remove, add };

struct DiffLine {
    DiffOp op = DiffOp::keep;
    std::string text; // without its line break
    friend bool operator==(const DiffLine&, const DiffLine&) = default;
};

// `text` cut at '\n' (a '\r' before it is kept); a final line break ends the last line rather
// than starting an empty one, so "a\nb\n" and "a\nb" both have two lines.
std::vector<std::string> split_lines(std::string_view text);

// A shortest edit script from `before` to `after`: the keep and remove lines spell `before`, the
// keep and add lines spell `after`, and no script has fewer remove and add lines. Within a
// change, removals come before additions.
std::vector<DiffLine> diff_lines(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after);

// A group of changes with up to `context` unchanged lines around it, as in `diff -u`. Starts
// are 1-based line numbers; a side with no lines has the number of the line before it, as in
// `diff -u` ("@@ -0,0 +1,2 @@" for lines added to an empty file).
struct DiffHunk {
    std::size_t before_start = 0;
    std::size_t before_count = 0;
    std::size_t after_start = 0;
    std::size_t after_count = 0;
    std::vector<DiffLine> lines;
};

// The hunks of `diff`; none when nothing changed. Changes closer than 2·context lines share a
// hunk.
std::vector<DiffHunk> unified_hunks(const std::vector<DiffLine>& diff, std::size_t context = 3);

// The hunk's header, "@@ -1,3 +1,4 @@" (a count of 1 is left out, as `diff -u` does).
std::string hunk_header(const DiffHunk& hunk);

// The hunks as `diff -u` prints them below its file names: headers, then ' ', '-' or '+' and
// the line.
std::string unified_diff(std::string_view before, std::string_view after, std::size_t context = 3);

} // namespace kerntune::report
