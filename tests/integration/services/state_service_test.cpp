#include "host/services/state_service.hpp"
#include "tables.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>

using namespace kerntune;
using test::Error;
using test::tables;

namespace {

Error set(kt_state* state, const char* path, const std::string& json) {
    return Error(tables().state->set(state, path, json.data(), json.size()));
}

Error append(kt_state* state, const char* path, const std::string& json) {
    return Error(tables().state->append(state, path, json.data(), json.size()));
}

// The JSON text at `path`, or "" after an error.
std::string get(const kt_state* state, const char* path) {
    kt_buffer* buffer = nullptr;
    Error error(tables().state->get(state, path, &buffer));
    if (!error.ok())
        return "";
    const std::string text(tables().host->buffer_data(buffer), tables().host->buffer_size(buffer));
    BOOST_TEST(std::strlen(tables().host->buffer_data(buffer)) == text.size());
    tables().host->buffer_free(buffer);
    return text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(state_service)

BOOST_AUTO_TEST_CASE(the_table_is_offered_under_its_id) {
    BOOST_REQUIRE(tables().state != nullptr);
    BOOST_TEST(tables().state->struct_size == sizeof(kt_state_api));
}

BOOST_AUTO_TEST_CASE(values_set_by_key_are_read_back_by_key_or_pointer) {
    State doc;
    kt_state state = host::writable_state(doc);
    BOOST_TEST(set(&state, "kernel", R"({"name": "vector_add", "args": ["a", "b"]})").ok());
    BOOST_TEST(set(&state, "/kernel/best_time", "1.5").ok());
    BOOST_TEST(get(&state, "/kernel/name") == "\"vector_add\"");
    BOOST_TEST(get(&state, "/kernel/best_time") == "1.5E0");
    BOOST_TEST(
        boost::json::parse(get(&state, "kernel")) ==
        boost::json::parse(R"({"name": "vector_add", "args": ["a", "b"], "best_time": 1.5})"));
}

BOOST_AUTO_TEST_CASE(append_creates_then_extends_an_array) {
    State doc;
    kt_state state = host::writable_state(doc);
    BOOST_TEST(append(&state, "tests", "\"t1\"").ok());
    BOOST_TEST(append(&state, "/tests", "\"t2\"").ok());
    BOOST_TEST(get(&state, "tests") == R"(["t1","t2"])");
    BOOST_TEST(append(&state, "/tests/0", "1").has(KT_ERROR_INVALID_ARGUMENT, "not an array"));
}

BOOST_AUTO_TEST_CASE(missing_values_and_parents_are_not_found) {
    State doc;
    kt_state state = host::writable_state(doc);
    kt_buffer* buffer = reinterpret_cast<kt_buffer*>(&doc); // must be reset to NULL
    Error missing(tables().state->get(&state, "/kernel/name", &buffer));
    BOOST_TEST(missing.has(KT_ERROR_NOT_FOUND, "'/kernel'"));
    BOOST_TEST(buffer == nullptr);
    BOOST_TEST(set(&state, "/kernel/name", "\"k\"")
                   .has(KT_ERROR_NOT_FOUND, "parent '/kernel' does not exist"));
    BOOST_TEST(append(&state, "/performance/steps", "{}").has(KT_ERROR_NOT_FOUND, "/performance"));
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_an_invalid_argument_with_its_position) {
    State doc;
    kt_state state = host::writable_state(doc);
    BOOST_TEST(
        set(&state, "kernel", "{\"name\": }").has(KT_ERROR_INVALID_ARGUMENT, "line 1, column 10"));
    BOOST_TEST(append(&state, "messages", "").has(KT_ERROR_INVALID_ARGUMENT, "not JSON"));
    BOOST_TEST(set(&state, "x", "[1] [2]").has(KT_ERROR_INVALID_ARGUMENT, "after the JSON value"));
    BOOST_TEST(doc.document().empty());
}

BOOST_AUTO_TEST_CASE(values_are_bytes_plus_length_not_c_strings) {
    State doc;
    kt_state state = host::writable_state(doc);
    const char text[] = "[1,2]garbage";
    Error error(tables().state->set(&state, "list", text, 5));
    BOOST_TEST(error.ok());
    BOOST_TEST(get(&state, "list") == "[1,2]");
}

BOOST_AUTO_TEST_CASE(null_arguments_and_bad_paths_are_invalid_arguments) {
    State doc;
    kt_state state = host::writable_state(doc);
    kt_buffer* buffer = nullptr;
    BOOST_TEST(Error(tables().state->get(nullptr, "k", &buffer))
                   .has(KT_ERROR_INVALID_ARGUMENT, "state is NULL"));
    BOOST_TEST(Error(tables().state->get(&state, nullptr, &buffer))
                   .has(KT_ERROR_INVALID_ARGUMENT, "path is NULL"));
    BOOST_TEST(Error(tables().state->get(&state, "k", nullptr))
                   .has(KT_ERROR_INVALID_ARGUMENT, "value_json is NULL"));
    BOOST_TEST(Error(tables().state->set(&state, "k", nullptr, 3))
                   .has(KT_ERROR_INVALID_ARGUMENT, "value_json is NULL"));
    BOOST_TEST(set(&state, "/a~2", "1").has(KT_ERROR_INVALID_ARGUMENT, "'~'"));
    BOOST_TEST(set(&state, "", "1").has(KT_ERROR_INVALID_ARGUMENT, "empty"));
    BOOST_TEST(set(&state, "bad\xff", "1").has(KT_ERROR_INVALID_ARGUMENT, "UTF-8"));
}

BOOST_AUTO_TEST_CASE(a_read_only_handle_refuses_writes) {
    State doc;
    doc.set("x", 1);
    kt_state state = host::read_only_state(doc);
    BOOST_TEST(get(&state, "x") == "1");
    BOOST_TEST(set(&state, "x", "2").has(KT_ERROR_INVALID_ARGUMENT, "read-only"));
    BOOST_TEST(append(&state, "y", "2").has(KT_ERROR_INVALID_ARGUMENT, "read-only"));
    BOOST_TEST(doc.get("x") == boost::json::value(1));
}

BOOST_AUTO_TEST_SUITE_END()
