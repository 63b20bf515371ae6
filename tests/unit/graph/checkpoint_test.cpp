#include "core/graph/checkpoint.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune;

namespace {

bool invalid_naming(const KindedError& e, const std::string& part) {
    BOOST_TEST_MESSAGE(e.what());
    return e.kind() == ErrorKind::invalid_argument &&
           std::string(e.what()).find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_AUTO_TEST_CASE(a_checkpoint_survives_a_json_round_trip) {
    Checkpoint checkpoint;
    checkpoint.state =
        boost::json::parse(R"({"kernel": {"name": "k"}, "messages": []})").as_object();
    checkpoint.cursor = {{"", "tuning", 2}, {"tuning", "apply_step", 1}};
    checkpoint.steps = 17;
    const auto back =
        checkpoint_from_json(boost::json::parse(boost::json::serialize(to_json(checkpoint))));
    BOOST_TEST(back.state == checkpoint.state);
    BOOST_TEST((back.cursor == checkpoint.cursor));
    BOOST_TEST(back.steps == 17u);
}

BOOST_AUTO_TEST_CASE(malformed_checkpoints_name_the_offending_key) {
    const auto parse = [](const char* text) {
        return checkpoint_from_json(boost::json::parse(text));
    };
    BOOST_CHECK_EXCEPTION(parse(R"({"format": "other", "state": {}, "cursor": [], "steps": 0})"),
                          KindedError,
                          [](const KindedError& e) { return invalid_naming(e, "/format"); });
    BOOST_CHECK_EXCEPTION(
        parse(R"({"format": "kerntune.checkpoint/1", "state": {}, "cursor": [], "steps": 0})"),
        KindedError, [](const KindedError& e) { return invalid_naming(e, "/cursor"); });
    BOOST_CHECK_EXCEPTION(
        parse(R"({"format": "kerntune.checkpoint/1", "state": {},
                  "cursor": [{"graph": "", "next": "a", "attempt": 0}], "steps": 0})"),
        KindedError, [](const KindedError& e) { return invalid_naming(e, "/cursor/0/attempt"); });
    BOOST_CHECK_EXCEPTION(parse(R"({"format": "kerntune.checkpoint/1", "state": [],
                  "cursor": [{"graph": "", "next": "a", "attempt": 1}], "steps": 0})"),
                          KindedError,
                          [](const KindedError& e) { return invalid_naming(e, "/state"); });
    BOOST_CHECK_EXCEPTION(parse(R"({"format": "kerntune.checkpoint/1", "state": {},
                  "cursor": [{"graph": "", "attempt": 1}], "steps": 0})"),
                          KindedError, [](const KindedError& e) {
                              return invalid_naming(e, "/cursor/0/next: missing");
                          });
}

BOOST_AUTO_TEST_SUITE_END()
