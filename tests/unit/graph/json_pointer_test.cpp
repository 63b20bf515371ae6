#include "core/graph/json_pointer.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/test/unit_test.hpp>

using namespace kerntune;

BOOST_AUTO_TEST_SUITE(json_pointer)

BOOST_AUTO_TEST_CASE(tokens_are_split_on_slashes_and_unescaped) {
    const std::vector<std::string> expected{"a", "b/c", "d~e", ""};
    BOOST_TEST(parse_json_pointer("/a/b~1c/d~0e/") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(escaping_and_joining_round_trip) {
    const std::vector<std::string> tokens{"a/b", "c~d"};
    BOOST_TEST(join_json_pointer(tokens, 2) == "/a~1b/c~0d");
    BOOST_TEST(parse_json_pointer(join_json_pointer(tokens, 2)) == tokens,
               boost::test_tools::per_element());
    BOOST_TEST(join_json_pointer(tokens, 0) == "");
}

BOOST_AUTO_TEST_CASE(a_bad_escape_or_a_missing_slash_is_an_invalid_argument) {
    for (const char* bad : {"/a~2", "/a~", "a/b", ""}) {
        BOOST_TEST_CONTEXT(bad) {
            BOOST_CHECK_EXCEPTION(parse_json_pointer(bad), KindedError, [](const KindedError& e) {
                return e.kind() == ErrorKind::invalid_argument;
            });
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
