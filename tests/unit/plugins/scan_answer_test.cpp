// The scan child's answer line survives the trip to the host, and anything else is rejected.
#include "host/plugins/scan_answer.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>

namespace kerntune::plugins {

BOOST_AUTO_TEST_SUITE(scan_answer)

BOOST_AUTO_TEST_CASE(plugin_answer_round_trips_as_one_line) {
    const PluginInfo info{"unit.id",       KT_PLUGIN_TESTING_STRATEGY, "N\xc3\xa4me \"q\"",
                          "1.2.3",         R"({"type":"object"})",     {},
                          AbiVersion{1, 7}};
    const std::string line = encode_scan_answer(info);
    BOOST_TEST(line.ends_with("\n"));
    BOOST_TEST(line.find('\n') == line.size() - 1);
    const auto decoded = decode_scan_answer(line.substr(0, line.size() - 1));
    BOOST_REQUIRE(std::holds_alternative<PluginInfo>(decoded));
    BOOST_TEST((std::get<PluginInfo>(decoded) == info));
}

BOOST_AUTO_TEST_CASE(refusal_answer_round_trips) {
    const std::string line = encode_scan_answer(std::string("its id is bad\nreally"));
    const auto decoded = decode_scan_answer(line.substr(0, line.size() - 1));
    BOOST_REQUIRE(std::holds_alternative<std::string>(decoded));
    BOOST_TEST(std::get<std::string>(decoded) == "its id is bad\nreally");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_an_answer_is_rejected) {
    BOOST_CHECK_THROW(decode_scan_answer("hello"), std::runtime_error);
    BOOST_CHECK_THROW(decode_scan_answer(R"({"ok":true})"), std::runtime_error);
    BOOST_CHECK_THROW(decode_scan_answer(R"({"ok":false,"reason":3})"), std::runtime_error);
    BOOST_CHECK_THROW(
        decode_scan_answer(R"({"ok":true,"plugin":{"id":"a.b","kind":9,"display_name":"x",)"
                           R"("version":"1","options_schema":"{}","abi_major":1,"abi_minor":0}})"),
        std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::plugins
