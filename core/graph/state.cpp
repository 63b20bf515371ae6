#include "core/graph/state.hpp"

#include "core/errors/error_kind.hpp"
#include "core/graph/json_pointer.hpp"
#include "core/json/describe.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {
namespace {

namespace json = boost::json;

std::vector<std::string> tokens_of(std::string_view path) {
    if (path.empty())
        throw KindedError(ErrorKind::invalid_argument,
                          "empty state path: give a top-level key or a JSON pointer");
    if (path.front() == '/')
        return parse_json_pointer(path);
    return {std::string(path)};
}

// The index an array token names, if it is a canonical decimal number (RFC 6901).
std::optional<std::size_t> array_index(const std::string& token) {
    if (token.empty() || (token.size() > 1 && token.front() == '0'))
        return std::nullopt;
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (ec != std::errc() || end != token.data() + token.size())
        return std::nullopt;
    return index;
}

json::value* child(json::value& container, const std::string& token) {
    if (auto* object = container.if_object()) {
        const auto it = object->find(token);
        return it == object->end() ? nullptr : &it->value();
    }
    if (auto* array = container.if_array()) {
        const auto index = array_index(token);
        return index && *index < array->size() ? &(*array)[*index] : nullptr;
    }
    return nullptr;
}

class Walk {
public:
    Walk(std::string_view path, std::vector<std::string> tokens)
        : path_(path), tokens_(std::move(tokens)) {}

    const std::vector<std::string>& tokens() const { return tokens_; }

    // The value the first `count` tokens lead to. `missing` is the kind thrown for an absent
    // value and `wrong_type` the kind thrown for a scalar that would need to be a container.
    json::value& at(json::value& root, std::size_t count, ErrorKind missing,
                    ErrorKind wrong_type) const {
        json::value* current = &root;
        for (std::size_t i = 0; i < count; ++i) {
            if (!current->is_object() && !current->is_array())
                throw KindedError(wrong_type, prefix() + "'" + pointer(i) + "' is " +
                                                  describe_json(*current) +
                                                  ", not an object or array");
            json::value* next = child(*current, tokens_[i]);
            if (!next && i + 1 == tokens_.size())
                throw KindedError(missing,
                                  "'" + std::string(path_) + "' does not exist in the state");
            if (!next)
                throw KindedError(missing,
                                  prefix() + "parent '" + pointer(i + 1) + "' does not exist");
            current = next;
        }
        return *current;
    }

    json::value* find(json::value& root) const {
        json::value* current = &root;
        for (const auto& token : tokens_) {
            current = child(*current, token);
            if (!current)
                return nullptr;
        }
        return current;
    }

    std::string pointer(std::size_t count) const { return join_json_pointer(tokens_, count); }

    std::string prefix() const { return "state path '" + std::string(path_) + "': "; }

private:
    std::string_view path_;
    std::vector<std::string> tokens_;
};

} // namespace

State::State(boost::json::object document) : root_(std::move(document)) {}

const boost::json::value* State::find(std::string_view path) const {
    // The walk does not modify anything; the cast lets one walker serve both constnesses.
    auto& root = const_cast<json::value&>(root_);
    return Walk(path, tokens_of(path)).find(root);
}

const boost::json::value& State::get(std::string_view path) const {
    auto& root = const_cast<json::value&>(root_);
    const Walk walk(path, tokens_of(path));
    return walk.at(root, walk.tokens().size(), ErrorKind::not_found, ErrorKind::not_found);
}

void State::set(std::string_view path, boost::json::value value) {
    const Walk walk(path, tokens_of(path));
    const auto& tokens = walk.tokens();
    auto& parent =
        walk.at(root_, tokens.size() - 1, ErrorKind::not_found, ErrorKind::invalid_argument);
    const std::string& last = tokens.back();
    if (auto* object = parent.if_object()) {
        (*object)[last] = std::move(value);
        return;
    }
    auto* array = parent.if_array();
    if (!array)
        throw KindedError(ErrorKind::invalid_argument,
                          walk.prefix() + "'" + walk.pointer(tokens.size() - 1) + "' is " +
                              describe_json(parent) + ", not an object or array");
    const auto index = last == "-" ? std::optional(array->size()) : array_index(last);
    if (!index)
        throw KindedError(ErrorKind::invalid_argument, walk.prefix() + "'" + last +
                                                           "' is not an index into the array '" +
                                                           walk.pointer(tokens.size() - 1) + "'");
    if (*index < array->size())
        (*array)[*index] = std::move(value);
    else if (*index == array->size())
        array->push_back(std::move(value));
    else
        throw KindedError(ErrorKind::not_found, walk.prefix() + "index " + last +
                                                    " is past the end of '" +
                                                    walk.pointer(tokens.size() - 1) + "' (size " +
                                                    std::to_string(array->size()) + ")");
}

void State::append(std::string_view path, boost::json::value value) {
    const Walk walk(path, tokens_of(path));
    if (json::value* target = walk.find(root_)) {
        auto* array = target->if_array();
        if (!array)
            throw KindedError(ErrorKind::invalid_argument,
                              walk.prefix() + "'" + walk.pointer(walk.tokens().size()) + "' is " +
                                  describe_json(*target) +
                                  ", not an array, so it cannot be appended to");
        array->push_back(std::move(value));
        return;
    }
    json::array created;
    created.push_back(std::move(value));
    set(path, std::move(created));
}

bool State::erase(std::string_view path) {
    const Walk walk(path, tokens_of(path));
    const auto& tokens = walk.tokens();
    json::value* parent = tokens.size() == 1 ? &root_ : nullptr;
    if (!parent) {
        const Walk parent_walk(path, {tokens.begin(), tokens.end() - 1});
        parent = parent_walk.find(root_);
    }
    if (!parent)
        return false;
    if (auto* object = parent->if_object())
        return object->erase(tokens.back()) > 0;
    if (auto* array = parent->if_array()) {
        const auto index = array_index(tokens.back());
        if (!index || *index >= array->size())
            return false;
        array->erase(array->begin() + static_cast<std::ptrdiff_t>(*index));
        return true;
    }
    return false;
}

} // namespace kerntune
