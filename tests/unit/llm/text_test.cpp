// Think-tag splitting, JSON extraction and the JSON helpers.
#include "core/llm/json_util.hpp"
#include "core/llm/text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune::llm;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(llm_text)

BOOST_AUTO_TEST_CASE(think_blocks_in_every_shape) {
    const ThinkTags tags;
    auto s = split_think("<think>plan</think>\n\nanswer", tags);
    BOOST_TEST(s.answer == "answer");
    BOOST_TEST(s.reasoning == "plan");
    s = split_think("plan only, the template opened the tag</think>answer", tags);
    BOOST_TEST(s.answer == "answer");
    BOOST_TEST(s.reasoning == "plan only, the template opened the tag");
    s = split_think("intro <think>never closed", tags);
    BOOST_TEST(s.answer == "intro");
    BOOST_TEST(s.reasoning == "never closed");
    s = split_think("<think>a</think>one <think>b</think>two", tags);
    BOOST_TEST(s.answer == "one two");
    BOOST_TEST(s.reasoning == "a\nb");
    s = split_think("no tags at all", tags);
    BOOST_TEST(s.answer == "no tags at all");
    BOOST_TEST(s.reasoning.empty());
    const ThinkTags kimi{"\xE2\x97\x81think\xE2\x96\xB7", "\xE2\x97\x81/think\xE2\x96\xB7"};
    s = split_think("\xE2\x97\x81think\xE2\x96\xB7hmm\xE2\x97\x81/think\xE2\x96\xB7ok", kimi);
    BOOST_TEST(s.answer == "ok");
    BOOST_TEST(s.reasoning == "hmm");
}

BOOST_AUTO_TEST_CASE(json_is_found_in_prose_fences_and_after_reasoning) {
    const ThinkTags tags;
    const auto expect = [&](std::string_view text, std::string_view value) {
        const auto v = extract_json(text, tags);
        BOOST_REQUIRE_MESSAGE(v.has_value(), "no JSON in: " << text);
        BOOST_TEST(json::serialize(*v) == value);
    };
    expect(R"({"a":1})", R"({"a":1})");
    expect("<think>maybe {\"a\":0} or [1]</think>{\"a\":2}", R"({"a":2})");
    expect("Here you go:\n```json\n{\"a\":3}\n```\nthanks", R"({"a":3})");
    expect("Sure! The result is {\"a\": \"}{\", \"b\": [1, 2]} as asked.",
           R"({"a":"}{","b":[1,2]})");
    expect("broken {\"a\": then good {\"b\": 4}", R"({"b":4})");
    expect("[1, 2, 3]", "[1,2,3]");
    BOOST_TEST(!extract_json("no json here", tags));
    BOOST_TEST(!extract_json("<think>{\"only\":\"reasoning\"}</think>nothing", tags));
    BOOST_TEST(!extract_json("{\"cut\": \"off by the tok", tags));
}

BOOST_AUTO_TEST_CASE(lenient_parsing_survives_bad_unicode_and_depth) {
    auto v = parse_lenient(R"({"a":"\ud800x","b":"\udc00","c":"\ud83d\ude00"})");
    BOOST_REQUIRE(v.has_value());
    BOOST_TEST(string_member(*v, "a") == "\xEF\xBF\xBDx");
    BOOST_TEST(string_member(*v, "b") == "\xEF\xBF\xBD");
    BOOST_TEST(string_member(*v, "c") == "\xF0\x9F\x98\x80");
    v = parse_lenient("{\"a\":\"bad \xFF\xFE bytes\"}");
    BOOST_REQUIRE(v.has_value());
    BOOST_TEST(string_member(*v, "a") == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
    const std::string deep = std::string(1000, '[') + std::string(1000, ']');
    std::string why;
    BOOST_TEST(!parse_lenient(deep, &why));
    BOOST_TEST(!why.empty());
    v = parse_lenient(R"({"big":1e999,"int":123456789012345678901234567890})");
    BOOST_REQUIRE(v.has_value());
    BOOST_TEST(!all_finite(*v));
    BOOST_TEST(!parse_lenient("[NaN]"));
}

BOOST_AUTO_TEST_CASE(canonical_json_sorts_keys_at_every_level) {
    BOOST_TEST(canonical_json(json::parse(R"({"b":{"y":1,"x":[{"d":1,"c":2}]},"a":null})")) ==
               R"({"a":null,"b":{"x":[{"c":2,"d":1}],"y":1}})");
}

BOOST_AUTO_TEST_CASE(members_read_every_type_safely) {
    const auto v = json::parse(R"({"s":"x","i":3,"d":2.9,"n":null,"t":"17","o":{}})");
    BOOST_TEST(string_member(v, "s") == "x");
    BOOST_TEST(string_member(v, "i").empty());
    BOOST_TEST(int_member(v, "i") == 3);
    BOOST_TEST(int_member(v, "d") == 2);
    BOOST_TEST(int_member(v, "t") == 17);
    BOOST_TEST(int_member(v, "n") == 0);
    BOOST_TEST(member(v, "n") == nullptr);
    BOOST_TEST(member(json::value(3), "x") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
