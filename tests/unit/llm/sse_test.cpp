// The SSE parser on byte fixtures split at every boundary.
#include "core/llm/errors.hpp"
#include "core/llm/sse.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>
#include <vector>

using kerntune::llm::SseEvent;
using kerntune::llm::SseParser;

namespace {

std::vector<SseEvent> parse(const std::vector<std::string_view>& pieces) {
    SseParser parser;
    std::vector<SseEvent> events;
    for (auto piece : pieces)
        parser.feed(piece, [&](const SseEvent& e) { events.push_back(e); });
    return events;
}

// Every split of `text` into two reads, and a few random multi-way splits, give `expected`.
void every_split(const std::string& text, const std::vector<std::string>& expected_data) {
    const auto check = [&](const std::vector<SseEvent>& events) {
        BOOST_REQUIRE_EQUAL(events.size(), expected_data.size());
        for (std::size_t i = 0; i < events.size(); ++i)
            BOOST_TEST(events[i].data == expected_data[i]);
    };
    for (std::size_t cut = 0; cut <= text.size(); ++cut)
        check(parse({std::string_view(text).substr(0, cut), std::string_view(text).substr(cut)}));
    std::mt19937 rng(7);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::string_view> pieces;
        std::size_t at = 0;
        while (at < text.size()) {
            const std::size_t n = std::min<std::size_t>(1 + rng() % 5, text.size() - at);
            pieces.push_back(std::string_view(text).substr(at, n));
            at += n;
        }
        check(parse(pieces));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_sse)

BOOST_AUTO_TEST_CASE(lf_crlf_and_cr_line_ends_split_anywhere) {
    every_split("data: a\n\ndata: b\n\n", {"a", "b"});
    every_split("data: a\r\n\r\ndata: b\r\n\r\n", {"a", "b"});
    every_split("data: a\r\rdata: b\r\r", {"a", "b"});
    every_split("data: a\r\n\ndata: b\n\r\n", {"a", "b"});
}

BOOST_AUTO_TEST_CASE(fields_comments_and_multiline_data) {
    every_split(": ping\n\nevent: x\nid: 7\nretry: 100\ndata:no-space\ndata:  two\n\n",
                {"no-space\n two"});
    const auto events = parse({"event: message_start\ndata: {}\n\n"});
    BOOST_REQUIRE_EQUAL(events.size(), 1u);
    BOOST_TEST(events[0].event == "message_start");
    SseParser parser;
    parser.feed(": ping\n: ping\n\nretry: 250\n\n", [](const SseEvent&) {});
    BOOST_TEST(parser.comments() == 2u);
    BOOST_TEST(parser.retry_ms() == 250);
}

BOOST_AUTO_TEST_CASE(an_event_without_its_blank_line_is_not_dispatched) {
    BOOST_TEST(parse({"data: a\n"}).empty());
    BOOST_TEST(parse({"data: a"}).empty());
}

BOOST_AUTO_TEST_CASE(nonstandard_error_fields_and_bare_json_are_surfaced) {
    auto events = parse({"error: {\"message\":\"boom\"}\n\n"});
    BOOST_REQUIRE_EQUAL(events.size(), 1u);
    BOOST_TEST(events[0].error_field == "{\"message\":\"boom\"}");
    events = parse({"{\"error\":{\"message\":\"bare\"}}\n"});
    BOOST_REQUIRE_EQUAL(events.size(), 1u);
    BOOST_TEST(events[0].unframed == "{\"error\":{\"message\":\"bare\"}}");
}

BOOST_AUTO_TEST_CASE(utf8_split_across_reads_survives) {
    every_split("data: caf\xC3\xA9 \xE2\x9C\x93\n\n", {"caf\xC3\xA9 \xE2\x9C\x93"});
}

BOOST_AUTO_TEST_CASE(an_event_over_the_cap_is_refused) {
    SseParser parser(1024);
    const std::string line = "data: " + std::string(2000, 'x');
    BOOST_CHECK_THROW(parser.feed(line, [](const SseEvent&) {}), kerntune::llm::LlmError);
    SseParser lines(1024);
    BOOST_CHECK_THROW(for (int i = 0; i < 40; ++i) lines.feed(
                          "data: " + std::string(50, 'y') + "\n", [](const SseEvent&) {}),
                      kerntune::llm::LlmError);
}

BOOST_AUTO_TEST_SUITE_END()
