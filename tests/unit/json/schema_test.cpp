#include "core/json/schema.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>

using kerntune::JsonSchema;

BOOST_AUTO_TEST_SUITE(json_schema)

const char* options_schema = R"({"type": "object",
    "properties": {"block_sizes": {"type": "array", "items": {"type": "integer"}}},
    "additionalProperties": false})";

BOOST_AUTO_TEST_CASE(a_document_that_fits_has_no_errors) {
    const auto schema = JsonSchema::parse(options_schema);
    BOOST_TEST(schema.validate(boost::json::parse(R"({"block_sizes": [32, 64]})")).empty());
}

BOOST_AUTO_TEST_CASE(each_violation_names_where_it_is) {
    const auto schema = JsonSchema::parse(options_schema);
    const auto errors = schema.validate(boost::json::parse(R"({"block_sizes": [32, "x"]})"));
    BOOST_REQUIRE(!errors.empty());
    bool names_the_element = false;
    for (const auto& error : errors)
        names_the_element |= error.find("[block_sizes]") != std::string::npos &&
                             error.find("[1]") != std::string::npos;
    BOOST_TEST(names_the_element);
}

BOOST_AUTO_TEST_CASE(unknown_properties_are_refused_when_the_schema_says_so) {
    const auto schema = JsonSchema::parse(options_schema);
    BOOST_TEST(!schema.validate(boost::json::parse(R"({"blocksizes": [32]})")).empty());
}

BOOST_AUTO_TEST_CASE(a_schema_that_is_not_json_is_refused_with_the_reason) {
    BOOST_CHECK_EXCEPTION(JsonSchema::parse("{\"type\": "), std::invalid_argument,
                          [](const std::invalid_argument& e) {
                              return std::string(e.what()).find("not valid JSON") !=
                                     std::string::npos;
                          });
}

BOOST_AUTO_TEST_CASE(a_schema_with_a_bad_keyword_value_is_refused) {
    BOOST_CHECK_THROW(JsonSchema::parse(R"({"type": 12})"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
