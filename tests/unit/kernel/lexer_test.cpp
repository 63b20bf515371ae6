// The lexer under the kernel-signature reader: token kinds, positions, what is skipped.
#include "core/kernel/lexer.hpp"

#include "tests/unit/kernel/kernel_test_support.hpp"

#include <string>
#include <vector>

using namespace kerntune;
using lexer::TokenKind;

namespace {

// "kind:text" per token, for compact comparisons.
std::vector<std::string> described(const std::vector<lexer::Token>& tokens) {
    std::vector<std::string> out;
    for (const auto& token : tokens) {
        const char* kind = "";
        switch (token.kind) {
        case TokenKind::identifier:
            kind = "id";
            break;
        case TokenKind::number:
            kind = "num";
            break;
        case TokenKind::string:
            kind = "str";
            break;
        case TokenKind::character:
            kind = "chr";
            break;
        case TokenKind::punctuator:
            kind = "punct";
            break;
        case TokenKind::comment:
            kind = "comment";
            break;
        case TokenKind::directive:
            kind = "directive";
            break;
        }
        out.push_back(std::string(kind) + ":" + std::string(token.text));
    }
    return out;
}

std::vector<std::string> code_texts(std::string_view source) {
    std::vector<std::string> out;
    for (const auto& token : lexer::code_tokens(source))
        out.emplace_back(token.text);
    return out;
}

using Texts = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(lexer_tokens)

BOOST_AUTO_TEST_CASE(each_token_kind_is_recognized_with_its_full_text) {
    const auto tokens = lexer::tokenize("x_1 0x1Fu 1.5e-3f 1'000 .5 \"a\\\"b\" 'c' :: ... -> && "
                                        "/* b */ // l\n#define A 1\n");
    const Texts expected = {"id:x_1",       "num:0x1Fu",
                            "num:1.5e-3f",  "num:1'000",
                            "num:.5",       "str:\"a\\\"b\"",
                            "chr:'c'",      "punct:::",
                            "punct:...",    "punct:->",
                            "punct:&&",     "comment:/* b */",
                            "comment:// l", "directive:#define A 1"};
    BOOST_TEST(described(tokens) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(positions_count_lines_and_byte_columns_from_one) {
    const auto tokens = lexer::tokenize("a\n  /* x\n y */ b\n\tc");
    BOOST_TEST_REQUIRE(tokens.size() == 4u);
    BOOST_TEST(to_string(tokens[0].position) == "1:1");
    BOOST_TEST(to_string(tokens[1].position) == "2:3");
    BOOST_TEST(to_string(tokens[2].position) == "3:7");
    BOOST_TEST(to_string(tokens[3].position) == "4:2");
    BOOST_TEST(tokens[3].position.offset == 18u);
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_skipped) {
    const auto tokens = lexer::tokenize("\xEF\xBB\xBF__global__ void");
    BOOST_TEST_REQUIRE(tokens.size() == 2u);
    BOOST_TEST(tokens[0].text == "__global__");
    BOOST_TEST(tokens[0].position.offset == 3u);
    BOOST_TEST(to_string(tokens[0].position) == "1:1");
}

BOOST_AUTO_TEST_CASE(two_closing_angles_stay_two_tokens) {
    BOOST_TEST(described(lexer::tokenize("A<B<int>>")) ==
                   (Texts{"id:A", "punct:<", "id:B", "punct:<", "id:int", "punct:>", "punct:>"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(prefixed_and_raw_literals_are_single_tokens) {
    const auto tokens = lexer::tokenize("u8\"x\" L'y' R\"d(a \" ) b)d\" u8R\"(z)\" R");
    BOOST_TEST(described(tokens) == (Texts{"str:u8\"x\"", "chr:L'y'", "str:R\"d(a \" ) b)d\"",
                                           "str:u8R\"(z)\"", "id:R"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_directive_runs_to_the_end_of_its_logical_line) {
    const auto tokens = lexer::tokenize("#define K __global__ \\\n  void k()\nint x;");
    BOOST_TEST(described(tokens) == (Texts{"directive:#define K __global__ \\\n  void k()",
                                           "id:int", "id:x", "punct:;"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_block_comment_spanning_lines_continues_its_directive) {
    const auto tokens = lexer::tokenize("#define A /* one\ntwo */ 3\nb");
    BOOST_TEST(described(tokens) == (Texts{"directive:#define A /* one\ntwo */ 3", "id:b"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_hash_after_code_on_the_same_line_is_no_directive) {
    const auto tokens = lexer::tokenize("a # b\n  # c\n/* x */ #d");
    BOOST_TEST(described(tokens) == (Texts{"id:a", "punct:#", "id:b", "directive:# c",
                                           "comment:/* x */", "directive:#d"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_continued_line_comment_swallows_the_next_line) {
    BOOST_TEST(code_texts("// note \\\n__global__ void hidden();\nint x;") ==
                   (Texts{"int", "x", ";"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_backslash_newline_between_tokens_is_white_space) {
    BOOST_TEST(code_texts("int \\\n x;") == (Texts{"int", "x", ";"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(code_tokens_drop_comments_and_preprocessor_lines) {
    BOOST_TEST(code_texts("#include \"a.h\" // x\n/* c */ int /* d */ y; // e\n") ==
                   (Texts{"int", "y", ";"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_if_0_group_is_dropped_up_to_its_endif_or_else) {
    const auto source = "a\n#if 0\nb 'unclosed\n#ifdef X\nc\n#endif\nd\n#else\ne\n#endif\nf\n"
                        "# if 0 /* off */\ng\n#endif\nh";
    BOOST_TEST(code_texts(source) == (Texts{"a", "e", "f", "h"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(other_conditionals_keep_every_branch) {
    BOOST_TEST(code_texts("#if 1\na\n#else\nb\n#endif\n#ifdef X\nc\n#endif") ==
                   (Texts{"a", "b", "c"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_apostrophe_in_a_directive_is_harmless) {
    BOOST_TEST(code_texts("#error don't\nint x;") == (Texts{"int", "x", ";"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_unterminated_block_comment_is_reported_where_it_opens) {
    BOOST_TEST(test::error_of([] { lexer::code_tokens("int a;\n  /* open"); }) ==
               "2:3: this block comment is never closed; add the */ that ends it");
}

BOOST_AUTO_TEST_CASE(an_unterminated_string_is_reported_where_it_opens) {
    BOOST_TEST(test::error_of([] { lexer::code_tokens("const char* s = \"abc\nint x;"); }) ==
               "1:17: this string literal is never closed; add the \" that ends it on the same "
               "line");
}

BOOST_AUTO_TEST_CASE(an_unterminated_raw_string_is_reported_where_it_opens) {
    BOOST_TEST(test::error_of([] { lexer::code_tokens("x R\"end(never\n)\"\n"); }) ==
               "1:3: this raw string literal is never closed; add the )end\" that ends it");
}

BOOST_AUTO_TEST_CASE(an_unterminated_character_literal_is_reported_where_it_opens) {
    BOOST_TEST(test::error_of([] { lexer::code_tokens("char c = 'a;\n"); }) ==
               "1:10: this character literal is never closed; add the ' that ends it on the "
               "same line");
}

BOOST_AUTO_TEST_CASE(an_if_0_without_endif_is_reported_where_it_opens) {
    BOOST_TEST(test::error_of([] { lexer::code_tokens("int a;\n#if 0\nint b;\n"); }) ==
               "2:1: this #if 0 is never closed; add the #endif that ends it");
}

BOOST_AUTO_TEST_SUITE_END()
