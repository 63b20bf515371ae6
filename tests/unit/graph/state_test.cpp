#include "core/graph/state.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

using namespace kerntune;
namespace json = boost::json;

namespace {

// True when `f` throws a KindedError of `kind` whose message contains every one of `parts`.
template <class F>
bool fails_with(F&& f, ErrorKind kind, std::initializer_list<std::string> parts) {
    try {
        f();
    } catch (const KindedError& e) {
        bool ok = e.kind() == kind;
        for (const auto& part : parts)
            ok = ok && std::string(e.what()).find(part) != std::string::npos;
        if (!ok)
            BOOST_TEST_MESSAGE("got " << name(e.kind()) << ": " << e.what());
        return ok;
    }
    return false;
}

State sample() {
    return State(
        json::parse(R"({"kernel": {"name": "k", "args": ["a", "b"]}, "n": 3})").as_object());
}

} // namespace

BOOST_AUTO_TEST_SUITE(state)

BOOST_AUTO_TEST_CASE(top_level_keys_and_pointers_reach_the_same_values) {
    State state = sample();
    BOOST_TEST(state.get("kernel") == state.get("/kernel"));
    BOOST_TEST(state.get("/kernel/name") == json::value("k"));
    BOOST_TEST(state.get("/kernel/args/1") == json::value("b"));
    state.set("best_params", json::object{{"block_size_x", 64}});
    BOOST_TEST(state.get("/best_params/block_size_x") == json::value(64));
}

BOOST_AUTO_TEST_CASE(a_key_without_a_leading_slash_is_taken_literally) {
    State state;
    state.set("a/b", 1);
    BOOST_TEST(state.document().contains("a/b"));
    BOOST_TEST(state.get("/a~1b") == json::value(1));
}

BOOST_AUTO_TEST_CASE(set_through_a_pointer_replaces_or_creates_the_leaf) {
    State state = sample();
    state.set("/kernel/name", "renamed");
    state.set("/kernel/description", "adds vectors");
    BOOST_TEST(state.get("/kernel/name") == json::value("renamed"));
    BOOST_TEST(state.get("/kernel/description") == json::value("adds vectors"));
}

BOOST_AUTO_TEST_CASE(array_elements_are_replaced_by_index_and_dash_appends) {
    State state = sample();
    state.set("/kernel/args/0", "x");
    state.set("/kernel/args/-", "c");
    state.set("/kernel/args/3", "d");
    BOOST_TEST(state.get("/kernel/args") == json::parse(R"(["x", "b", "c", "d"])"));
    BOOST_TEST(fails_with([&] { state.set("/kernel/args/9", 1); }, ErrorKind::not_found,
                          {"index 9", "/kernel/args", "size 4"}));
    BOOST_TEST(fails_with([&] { state.set("/kernel/args/01", 1); }, ErrorKind::invalid_argument,
                          {"'01'", "not an index"}));
}

BOOST_AUTO_TEST_CASE(get_of_an_absent_value_is_not_found_and_names_it) {
    const State state = sample();
    BOOST_TEST(state.find("/kernel/best_time") == nullptr);
    BOOST_TEST(!state.contains("tests"));
    BOOST_TEST(fails_with([&] { (void)state.get("tests"); }, ErrorKind::not_found,
                          {"'tests' does not exist"}));
    BOOST_TEST(fails_with([&] { (void)state.get("/performance/steps/0"); }, ErrorKind::not_found,
                          {"/performance/steps/0", "parent '/performance' does not exist"}));
}

BOOST_AUTO_TEST_CASE(set_needs_the_parent_to_exist) {
    State state = sample();
    BOOST_TEST(fails_with([&] { state.set("/performance/steps", json::array()); },
                          ErrorKind::not_found, {"parent '/performance' does not exist"}));
    BOOST_TEST(!state.contains("performance"));
}

BOOST_AUTO_TEST_CASE(set_below_a_scalar_is_an_invalid_argument_naming_its_type) {
    State state = sample();
    BOOST_TEST(fails_with([&] { state.set("/n/x", 1); }, ErrorKind::invalid_argument,
                          {"'/n' is the number 3", "not an object or array"}));
    BOOST_TEST(fails_with([&] { state.set("/kernel/name/x", 1); }, ErrorKind::invalid_argument,
                          {"'/kernel/name' is a string"}));
}

BOOST_AUTO_TEST_CASE(append_creates_the_array_then_extends_it) {
    State state;
    state.append("messages", json::object{{"role", "user"}, {"content", "hi"}});
    state.append("/messages", json::object{{"role", "assistant"}, {"content", "hello"}});
    BOOST_TEST(state.get("messages").as_array().size() == 2u);
    BOOST_TEST(state.get("/messages/1/role") == json::value("assistant"));
}

BOOST_AUTO_TEST_CASE(append_to_something_that_is_not_an_array_is_refused) {
    State state = sample();
    BOOST_TEST(fails_with([&] { state.append("/kernel/name", 1); }, ErrorKind::invalid_argument,
                          {"'/kernel/name' is a string", "not an array"}));
    BOOST_TEST(fails_with([&] { state.append("/missing/list", 1); }, ErrorKind::not_found,
                          {"parent '/missing' does not exist"}));
}

BOOST_AUTO_TEST_CASE(bad_paths_are_invalid_arguments) {
    State state;
    BOOST_TEST(fails_with([&] { state.set("", 1); }, ErrorKind::invalid_argument, {"empty"}));
    BOOST_TEST(fails_with([&] { (void)state.find("/a~7"); }, ErrorKind::invalid_argument,
                          {"'~' must be followed by 0 or 1"}));
}

BOOST_AUTO_TEST_CASE(erase_removes_keys_and_elements_and_reports_absence) {
    State state = sample();
    BOOST_TEST(state.erase("/kernel/args/0"));
    BOOST_TEST(state.get("/kernel/args") == json::parse(R"(["b"])"));
    BOOST_TEST(state.erase("n"));
    BOOST_TEST(!state.erase("n"));
    BOOST_TEST(!state.erase("/nothing/here"));
}

BOOST_AUTO_TEST_SUITE_END()
