#include "core/report/line_diff.hpp"

#include <algorithm>

namespace kerntune::report {
namespace {

// The trace Myers' algorithm keeps for its backtrack grows with the square of the edit distance;
// past this many entries (64 MiB) the middle is reported as removed and added whole instead.
constexpr std::size_t trace_budget = std::size_t{1} << 24;

// Myers' greedy forward search over a[0..n) and b[0..m), then a backtrack through the stored
// rows. Appends the script to `out` in order, or returns false when the trace budget ran out.
bool myers(const std::string* a, std::ptrdiff_t n, const std::string* b, std::ptrdiff_t m,
           std::vector<DiffLine>& out) {
    const std::ptrdiff_t max = n + m;
    const std::ptrdiff_t offset = max + 1;
    std::vector<std::ptrdiff_t> v(static_cast<std::size_t>(2 * max + 3), 0);
    const auto at = [&](std::ptrdiff_t k) -> std::ptrdiff_t& {
        return v[static_cast<std::size_t>(k + offset)];
    };
    // trace[d] holds row d of v for k in [-d, d]: trace[d][k + d].
    std::vector<std::vector<std::ptrdiff_t>> trace;
    std::size_t stored = 0;
    std::ptrdiff_t distance = -1;
    for (std::ptrdiff_t d = 0; d <= max && distance < 0; ++d) {
        for (std::ptrdiff_t k = -d; k <= d; k += 2) {
            std::ptrdiff_t x =
                (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
            std::ptrdiff_t y = x - k;
            while (x < n && y < m && a[x] == b[y]) {
                ++x;
                ++y;
            }
            at(k) = x;
            if (x >= n && y >= m) {
                distance = d;
                break;
            }
        }
        stored += static_cast<std::size_t>(2 * d + 1);
        if (stored > trace_budget)
            return false;
        trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
    }

    std::vector<DiffLine> reversed;
    std::ptrdiff_t x = n;
    std::ptrdiff_t y = m;
    for (std::ptrdiff_t d = distance; d > 0; --d) {
        const auto& row = trace[static_cast<std::size_t>(d - 1)];
        const auto prev = [&](std::ptrdiff_t k) {
            return row[static_cast<std::size_t>(k + d - 1)];
        };
        const std::ptrdiff_t k = x - y;
        const bool down = k == -d || (k != d && prev(k - 1) < prev(k + 1));
        const std::ptrdiff_t prev_k = down ? k + 1 : k - 1;
        const std::ptrdiff_t prev_x = prev(prev_k);
        const std::ptrdiff_t prev_y = prev_x - prev_k;
        const std::ptrdiff_t mid_x = down ? prev_x : prev_x + 1;
        while (x > mid_x) {
            --x;
            --y;
            reversed.push_back({DiffOp::keep, a[x]});
        }
        if (down)
            reversed.push_back({DiffOp::add, b[prev_y]});
        else
            reversed.push_back({DiffOp::remove, a[prev_x]});
        x = prev_x;
        y = prev_y;
    }
    while (x > 0) {
        --x;
        reversed.push_back({DiffOp::keep, a[x]});
    }
    out.insert(out.end(), reversed.rbegin(), reversed.rend());
    return true;
}

} // namespace

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.emplace_back(text.substr(start));
            break;
        }
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::vector<DiffLine> diff_lines(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after) {
    std::size_t prefix = 0;
    while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix])
        ++prefix;
    std::size_t suffix = 0;
    while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
           before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix])
        ++suffix;

    std::vector<DiffLine> diff;
    for (std::size_t i = 0; i < prefix; ++i)
        diff.push_back({DiffOp::keep, before[i]});
    const std::string* a = before.data() + prefix;
    const std::string* b = after.data() + prefix;
    const auto n = static_cast<std::ptrdiff_t>(before.size() - prefix - suffix);
    const auto m = static_cast<std::ptrdiff_t>(after.size() - prefix - suffix);
    if (!myers(a, n, b, m, diff)) {
        for (std::ptrdiff_t i = 0; i < n; ++i)
            diff.push_back({DiffOp::remove, a[i]});
        for (std::ptrdiff_t i = 0; i < m; ++i)
            diff.push_back({DiffOp::add, b[i]});
    }
    for (std::size_t i = before.size() - suffix; i < before.size(); ++i)
        diff.push_back({DiffOp::keep, before[i]});

    // Myers may interleave the removals and additions of one change; readers expect the old
    // lines first.
    for (auto run = diff.begin(); run != diff.end();) {
        const auto end = std::find_if(run, diff.end(),
                                      [](const DiffLine& line) { return line.op == DiffOp::keep; });
        std::stable_partition(run, end,
                              [](const DiffLine& line) { return line.op == DiffOp::remove; });
        run = end == diff.end() ? end : end + 1;
    }
    return diff;
}

std::vector<DiffHunk> unified_hunks(const std::vector<DiffLine>& diff, std::size_t context) {
    std::vector<std::size_t> changes;
    for (std::size_t i = 0; i < diff.size(); ++i)
        if (diff[i].op != DiffOp::keep)
            changes.push_back(i);

    std::vector<DiffHunk> hunks;
    // Line numbers (0-based counts of lines passed) of both sides at each diff index.
    std::size_t scanned = 0;
    std::size_t before_line = 0;
    std::size_t after_line = 0;
    const auto advance_to = [&](std::size_t index) {
        for (; scanned < index; ++scanned) {
            if (diff[scanned].op != DiffOp::add)
                ++before_line;
            if (diff[scanned].op != DiffOp::remove)
                ++after_line;
        }
    };
    for (std::size_t c = 0; c < changes.size();) {
        std::size_t last = c;
        while (last + 1 < changes.size() && changes[last + 1] - changes[last] - 1 <= 2 * context)
            ++last;
        const std::size_t begin = changes[c] - std::min(context, changes[c] - scanned);
        const std::size_t end = std::min(diff.size(), changes[last] + 1 + context);
        advance_to(begin);
        DiffHunk hunk;
        hunk.lines.assign(diff.begin() + static_cast<std::ptrdiff_t>(begin),
                          diff.begin() + static_cast<std::ptrdiff_t>(end));
        for (const auto& line : hunk.lines) {
            hunk.before_count += line.op != DiffOp::add;
            hunk.after_count += line.op != DiffOp::remove;
        }
        hunk.before_start = before_line + (hunk.before_count > 0);
        hunk.after_start = after_line + (hunk.after_count > 0);
        advance_to(end);
        hunks.push_back(std::move(hunk));
        c = last + 1;
    }
    return hunks;
}

std::string hunk_header(const DiffHunk& hunk) {
    const auto side = [](char sign, std::size_t start, std::size_t count) {
        std::string text = sign + std::to_string(start);
        if (count != 1)
            text += "," + std::to_string(count);
        return text;
    };
    return "@@ " + side('-', hunk.before_start, hunk.before_count) + " " +
           side('+', hunk.after_start, hunk.after_count) + " @@";
}

std::string unified_diff(std::string_view before, std::string_view after, std::size_t context) {
    std::string text;
    for (const auto& hunk :
         unified_hunks(diff_lines(split_lines(before), split_lines(after)), context)) {
        text += hunk_header(hunk) + "\n";
        for (const auto& line : hunk.lines) {
            text += line.op == DiffOp::keep ? ' ' : line.op == DiffOp::remove ? '-' : '+';
            text += line.text + "\n";
        }
    }
    return text;
}

} // namespace kerntune::report
