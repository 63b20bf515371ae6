#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string_view>

namespace kerntune {

// The documented top-level keys of the workflow state (DESIGN.md, "State").
namespace state_key {
inline constexpr std::string_view kernel = "kernel";
inline constexpr std::string_view tests = "tests";
inline constexpr std::string_view messages = "messages";
inline constexpr std::string_view curr_tune_params = "curr_tune_params";
inline constexpr std::string_view best_params = "best_params";
inline constexpr std::string_view performance = "performance";
inline constexpr std::string_view previous_node_error = "previous_node_error";
} // namespace state_key

// The workflow state: one JSON object. A `path` is either a top-level key, taken literally
// ("kernel"), or an RFC 6901 JSON pointer ("/kernel/best_params"); "-" as the last token of a
// pointer means "past the end" of an array. Failures throw KindedError: not_found when a value
// or a parent is absent, invalid_argument for a bad path or a value of the wrong type.
class State {
public:
    State() = default;
    explicit State(boost::json::object document);

    const boost::json::object& document() const noexcept { return root_.get_object(); }
    boost::json::object& document() noexcept { return root_.get_object(); }

    // The value at `path`, or nullptr when it (or a parent) is absent.
    const boost::json::value* find(std::string_view path) const;
    const boost::json::value& get(std::string_view path) const;
    bool contains(std::string_view path) const { return find(path) != nullptr; }

    // Replaces or creates the value at `path`; every parent must already exist.
    void set(std::string_view path, boost::json::value value);
    // Appends to the array at `path`, creating it (as for set) when absent.
    void append(std::string_view path, boost::json::value value);
    // Removes the value at `path`; false when there was none.
    bool erase(std::string_view path);

    friend bool operator==(const State& a, const State& b) { return a.root_ == b.root_; }

private:
    boost::json::value root_ = boost::json::object();
};

} // namespace kerntune
