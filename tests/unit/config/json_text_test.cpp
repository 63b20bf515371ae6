#include "core/config/json_text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune;

namespace {

bool at(const char* text, std::size_t line, std::size_t column, const std::string& reason) {
    try {
        parse_json_text(text);
    } catch (const JsonSyntaxError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return e.line() == line && e.column() == column &&
               std::string(e.what()).find(reason) != std::string::npos &&
               e.kind() == ErrorKind::invalid_argument;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(json_text)

BOOST_AUTO_TEST_CASE(one_value_with_surrounding_space_parses) {
    BOOST_TEST(parse_json_text(" \n{\"a\": [1, 2]}\n ") == boost::json::parse(R"({"a": [1, 2]})"));
    BOOST_TEST(parse_json_text("42") == boost::json::value(42));
}

BOOST_AUTO_TEST_CASE(a_syntax_error_names_its_line_and_column) {
    BOOST_TEST(at("{\n  \"a\": 1,\n  \"b\": tru }", 3, 8, "line 3, column 8"));
}

BOOST_AUTO_TEST_CASE(trailing_text_truncation_and_emptiness_are_errors) {
    BOOST_TEST(at("{\"a\": 1} x", 1, 10, "unexpected text after the JSON value"));
    BOOST_TEST(at("{\"a\": [1,\n", 2, 1, "unexpected end"));
    BOOST_TEST(at("  ", 1, 3, "empty"));
}

BOOST_AUTO_TEST_CASE(comments_and_invalid_utf8_are_refused) {
    BOOST_TEST(at("{} // note", 1, 4, "unexpected text"));
    BOOST_TEST(at("\"\xff\"", 1, 2, "line 1, column 2"));
}

BOOST_AUTO_TEST_SUITE_END()
