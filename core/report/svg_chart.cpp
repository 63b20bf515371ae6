#include "core/report/svg_chart.hpp"

#include "core/report/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kerntune::report {
namespace {

constexpr double width = 640;
constexpr double height = 300;
constexpr double left = 72;
constexpr double right = 20;
constexpr double top = 32;
constexpr double bottom = 52;
constexpr double plot_w = width - left - right;
constexpr double plot_h = height - top - bottom;

constexpr const char* bar_colour = "#4477aa";
constexpr const char* dot_colour = "#99a3ad";
constexpr const char* line_colour = "#2266cc";
constexpr const char* reference_colour = "#cc3311";

// A coordinate, to one decimal: enough on screen, and the same text on every machine.
std::string at(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

// Axis ticks at 1, 2 or 5 times a power of ten, about `target` of them, covering [low, high].
struct Ticks {
    double low = 0;
    double high = 1;
    std::vector<double> values;
    int decimals = 0;
};

Ticks nice_ticks(double low, double high, int target, double min_step) {
    if (!(high > low)) {
        const double pad = low == 0 ? 1 : std::abs(low) * 0.1;
        low = low >= 0 && low - pad < 0 ? 0 : low - pad;
        high += pad;
    }
    const double raw = (high - low) / target;
    const double magnitude = std::pow(10, std::floor(std::log10(raw)));
    const double n = raw / magnitude;
    double step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude;
    step = std::max(step, min_step);
    Ticks ticks;
    ticks.low = std::floor(low / step + 1e-9) * step;
    ticks.high = std::ceil(high / step - 1e-9) * step;
    const long long count = std::llround((ticks.high - ticks.low) / step);
    for (long long i = 0; i <= count; ++i)
        ticks.values.push_back(ticks.low + static_cast<double>(i) * step);
    ticks.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    return ticks;
}

// Maps data to the plot area. `inset` keeps points that lie on the range's ends off the axes.
struct Frame {
    Ticks x;
    Ticks y;
    double inset = 0;
    double x_of(double value) const {
        return left + inset + (plot_w - 2 * inset) * (value - x.low) / (x.high - x.low);
    }
    double y_of(double value) const {
        return top + inset + (plot_h - 2 * inset) * (1 - (value - y.low) / (y.high - y.low));
    }
};

std::string open_svg(const std::string& title) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + at(width) + "\" height=\"" +
           at(height) + "\" viewBox=\"0 0 " + at(width) + " " + at(height) +
           "\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\n<title>" +
           html_escape(title) + "</title>\n";
}

std::string text_at(double x, double y, const std::string& anchor, const std::string& text) {
    return "<text x=\"" + at(x) + "\" y=\"" + at(y) + "\" text-anchor=\"" + anchor + "\">" +
           html_escape(text) + "</text>\n";
}

// The y axis with its ticks, grid lines and title, the x axis line and its title.
std::string axes(const Frame& frame, const std::string& x_label) {
    std::string svg;
    for (const double value : frame.y.values) {
        const double y = frame.y_of(value);
        svg += "<line x1=\"" + at(left) + "\" y1=\"" + at(y) + "\" x2=\"" + at(left + plot_w) +
               "\" y2=\"" + at(y) + "\" stroke=\"#e3e6ea\"/>\n";
        svg += text_at(left - 6, y + 4, "end", fixed(value, frame.y.decimals));
    }
    svg += "<line x1=\"" + at(left) + "\" y1=\"" + at(top) + "\" x2=\"" + at(left) + "\" y2=\"" +
           at(top + plot_h) + "\" stroke=\"#333\"/>\n";
    svg += "<line x1=\"" + at(left) + "\" y1=\"" + at(top + plot_h) + "\" x2=\"" +
           at(left + plot_w) + "\" y2=\"" + at(top + plot_h) + "\" stroke=\"#333\"/>\n";
    svg += "<text transform=\"rotate(-90)\" x=\"" + at(-(top + plot_h / 2)) +
           "\" y=\"16\" text-anchor=\"middle\">time (ms)</text>\n";
    svg += text_at(left + plot_w / 2, height - 8, "middle", x_label);
    return svg;
}

std::string reference_line(const Frame& frame, double value, const std::string& label,
                           int decimals) {
    const double y = frame.y_of(value);
    // The label sits above the line, or below it when the line runs along the top.
    const double label_y = y - top < 16 ? y + 15 : y - 5;
    return "<line x1=\"" + at(left) + "\" y1=\"" + at(y) + "\" x2=\"" + at(left + plot_w) +
           "\" y2=\"" + at(y) + "\" stroke=\"" + reference_colour +
           "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n" +
           text_at(left + plot_w - 4, label_y, "end", label + " " + fixed(value, decimals) + " ms");
}

std::string cross(double x, double y) {
    const auto stroke = [&](double dx) {
        return "<line x1=\"" + at(x - dx) + "\" y1=\"" + at(y - 4) + "\" x2=\"" + at(x + dx) +
               "\" y2=\"" + at(y + 4) + "\" stroke=\"" + reference_colour +
               "\" stroke-width=\"1.5\"/>\n";
    };
    return stroke(4) + stroke(-4);
}

} // namespace

std::string bar_chart_svg(const std::vector<Bar>& bars, std::optional<double> reference_ms,
                          const std::string& reference_label, const std::string& x_label,
                          int decimals) {
    std::vector<double> values;
    for (const auto& bar : bars)
        values.push_back(bar.value_ms);
    if (reference_ms)
        values.push_back(*reference_ms);
    const double highest = values.empty() ? 1 : *std::max_element(values.begin(), values.end());
    Frame frame;
    frame.y = nice_ticks(0, highest * 1.08, 5, 0);
    std::string svg = open_svg("time (ms) per " + x_label) + axes(frame, x_label);
    const double slot = plot_w / static_cast<double>(std::max<std::size_t>(bars.size(), 1));
    const double bar_w = std::min(slot * 0.6, 80.0);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double centre = left + slot * (static_cast<double>(i) + 0.5);
        const double y = frame.y_of(bars[i].value_ms);
        svg += "<rect x=\"" + at(centre - bar_w / 2) + "\" y=\"" + at(y) + "\" width=\"" +
               at(bar_w) + "\" height=\"" + at(top + plot_h - y) + "\" fill=\"" + bar_colour +
               "\"/>\n";
        svg += text_at(centre, y - 4, "middle", fixed(bars[i].value_ms, decimals));
        svg += text_at(centre, top + plot_h + 16, "middle", bars[i].label);
    }
    if (reference_ms)
        svg += reference_line(frame, *reference_ms, reference_label, decimals);
    return svg + "</svg>\n";
}

std::string convergence_svg(const std::vector<std::optional<double>>& times_ms,
                            std::optional<double> reference_ms, const std::string& reference_label,
                            int decimals) {
    std::vector<double> values;
    for (const auto& time : times_ms)
        if (time)
            values.push_back(*time);
    if (reference_ms)
        values.push_back(*reference_ms);
    const auto [lowest, highest] = values.empty()
                                       ? std::pair(0.0, 1.0)
                                       : std::pair(*std::min_element(values.begin(), values.end()),
                                                   *std::max_element(values.begin(), values.end()));
    Frame frame;
    frame.inset = 10;
    frame.x = nice_ticks(0, static_cast<double>(std::max<std::size_t>(times_ms.size(), 1)), 6, 1);
    frame.y = nice_ticks(lowest, highest, 5, 0);
    std::string svg = open_svg("search convergence: time (ms) per configuration measured") +
                      axes(frame, "configurations measured");
    for (const double value : frame.x.values)
        svg += text_at(frame.x_of(value), top + plot_h + 16, "middle", fixed(value, 0));

    std::string path;
    std::optional<double> best;
    bool any_failed = false;
    for (std::size_t i = 0; i < times_ms.size(); ++i) {
        const double x = frame.x_of(static_cast<double>(i + 1));
        if (!times_ms[i]) {
            // A failed configuration has no time: a cross on the x axis.
            any_failed = true;
            svg += cross(x, top + plot_h);
            continue;
        }
        svg += "<circle cx=\"" + at(x) + "\" cy=\"" + at(frame.y_of(*times_ms[i])) +
               "\" r=\"2.5\" fill=\"" + dot_colour + "\"/>\n";
        if (!best) {
            best = times_ms[i];
            path = "M" + at(x) + " " + at(frame.y_of(*best));
            continue;
        }
        path += " H" + at(x);
        if (*times_ms[i] < *best) {
            best = times_ms[i];
            path += " V" + at(frame.y_of(*best));
        }
    }
    if (!path.empty())
        svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + line_colour +
               "\" stroke-width=\"2\"/>\n";
    if (reference_ms)
        svg += reference_line(frame, *reference_ms, reference_label, decimals);

    // Legend, above the plot.
    svg += "<circle cx=\"" + at(left + 6) + "\" cy=\"14\" r=\"2.5\" fill=\"" + dot_colour +
           "\"/>\n" + text_at(left + 14, 18, "start", "measured configuration");
    svg += "<line x1=\"" + at(left + 180) + "\" y1=\"14\" x2=\"" + at(left + 200) +
           "\" y2=\"14\" stroke=\"" + line_colour + "\" stroke-width=\"2\"/>\n" +
           text_at(left + 206, 18, "start", "best so far");
    if (any_failed)
        svg += cross(left + 296, 14) + text_at(left + 304, 18, "start", "failed configuration");
    return svg + "</svg>\n";
}

} // namespace kerntune::report
