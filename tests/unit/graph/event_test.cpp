#include "core/graph/event.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune;

BOOST_AUTO_TEST_SUITE(event)

BOOST_AUTO_TEST_CASE(times_serialize_as_utc_iso8601_with_milliseconds) {
    Event event;
    event.type = EventType::node_start;
    event.path = "tuning/apply_step";
    event.attempt = 2;
    event.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
    const auto json = to_json(event);
    BOOST_TEST(json.at("time") == boost::json::value("2023-11-14T22:13:20.123Z"));
    BOOST_TEST(json.at("type") == boost::json::value("node_start"));
    BOOST_TEST(json.at("path") == boost::json::value("tuning/apply_step"));
    BOOST_TEST(json.at("attempt") == boost::json::value(2));
    BOOST_TEST(!json.contains("kind"));
}

BOOST_AUTO_TEST_CASE(error_events_carry_kind_message_attempt_and_finality) {
    Event event;
    event.type = EventType::node_error;
    event.path = "a";
    event.attempt = 3;
    event.kind = ErrorKind::failed_tests;
    event.message = "output c differs at 17";
    event.final = true;
    const auto json = to_json(event);
    BOOST_TEST(json.at("kind") == boost::json::value("failed_tests"));
    BOOST_TEST(json.at("message") == boost::json::value("output c differs at 17"));
    BOOST_TEST(json.at("attempt") == boost::json::value(3));
    BOOST_TEST(json.at("final") == boost::json::value(true));
}

BOOST_AUTO_TEST_CASE(retry_events_carry_the_feedback_and_custom_events_their_payload) {
    Event retry;
    retry.type = EventType::retry;
    retry.attempt = 2;
    retry.kind = ErrorKind::no_code;
    retry.message = "send code";
    BOOST_TEST(to_json(retry).at("feedback") == boost::json::value("send code"));
    Event custom;
    custom.name = "test_result";
    custom.data = boost::json::object{{"time_ms", 1.5}};
    const auto json = to_json(custom);
    BOOST_TEST(json.at("type") == boost::json::value("custom"));
    BOOST_TEST(json.at("name") == boost::json::value("test_result"));
    BOOST_TEST(json.at("data").at("time_ms") == boost::json::value(1.5));
}

BOOST_AUTO_TEST_SUITE_END()
