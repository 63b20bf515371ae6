#pragma once
// Prompt templates: text with {{name}} placeholders. Needs nothing but the C ABI header (for
// the error kind), so the host can use the same templates for its own prompts.
//
// A placeholder is "{{", a name of lower-case letters, digits and "_" that does not start with
// a digit, and "}}". Anything else is literal text, so code such as `int a[2][2] = {{1, 2},
// {3, 4}};` needs no escaping. Something that only looks like a placeholder ("{{ Kernel }}",
// "{{kernelCode}}") is refused, because it is almost always a typo that would otherwise reach
// the LLM verbatim.

#include <kerntune/sdk/error.hpp>

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kerntune {
namespace sdk {

class PromptTemplate {
public:
    // Throws Error(KT_ERROR_INVALID_ARGUMENT) naming `origin` (a file or a prompt name) and the
    // line of a malformed placeholder.
    static PromptTemplate parse(std::string text, std::string origin) {
        PromptTemplate prompt;
        prompt.origin_ = std::move(origin);
        std::size_t literal_start = 0;
        for (std::size_t at = text.find("{{"); at != std::string::npos;) {
            const std::size_t close = text.find("}}", at + 2);
            const std::string inner =
                close == std::string::npos ? std::string() : text.substr(at + 2, close - at - 2);
            if (close != std::string::npos && is_name(inner)) {
                prompt.pieces_.push_back({text.substr(literal_start, at - literal_start), false});
                prompt.pieces_.push_back({inner, true});
                prompt.placeholders_.insert(inner);
                literal_start = close + 2;
                at = text.find("{{", literal_start);
                continue;
            }
            if (close != std::string::npos && looks_like_placeholder(inner))
                throw Error(KT_ERROR_INVALID_ARGUMENT,
                            prompt.origin_ + ", line " + std::to_string(line_of(text, at)) +
                                ": \"{{" + inner +
                                "}}\" is not a placeholder; write {{name}} with a lower-case "
                                "name (letters, digits and _) and no spaces");
            at = text.find("{{", at + 1);
        }
        prompt.pieces_.push_back({text.substr(literal_start), false});
        prompt.text_ = std::move(text);
        return prompt;
    }

    // The text with every placeholder replaced by its value. Values are inserted as they are,
    // never scanned for placeholders themselves. Values for names the template does not use are
    // ignored (an override may leave a placeholder out). Throws Error(KT_ERROR_INVALID_ARGUMENT)
    // naming the origin and the missing names when a placeholder has no value.
    std::string render(const std::map<std::string, std::string>& values) const {
        std::vector<std::string> missing;
        for (const auto& name : placeholders_)
            if (values.find(name) == values.end())
                missing.push_back(name);
        if (!missing.empty()) {
            std::string names;
            for (const auto& name : missing)
                names += (names.empty() ? "" : ", ") + ("{{" + name + "}}");
            throw Error(KT_ERROR_INVALID_ARGUMENT, origin_ + " uses " + names +
                                                       ", but the plugin gives no value for " +
                                                       (missing.size() == 1 ? "it" : "them") +
                                                       "; the values given are " + given(values));
        }
        std::string out;
        for (const auto& piece : pieces_)
            out += piece.placeholder ? values.at(piece.text) : piece.text;
        return out;
    }

    const std::set<std::string>& placeholders() const { return placeholders_; }
    const std::string& text() const { return text_; }
    const std::string& origin() const { return origin_; }

private:
    struct Piece {
        std::string text; // literal text, or the placeholder's name
        bool placeholder;
    };

    static bool is_name(const std::string& text) {
        if (text.empty() || !(std::islower(static_cast<unsigned char>(text[0])) || text[0] == '_'))
            return false;
        for (const char c : text)
            if (!(std::islower(static_cast<unsigned char>(c)) ||
                  std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
                return false;
        return true;
    }

    // An identifier with stray spaces or capitals: what a typo of a placeholder looks like.
    static bool looks_like_placeholder(const std::string& inner) {
        const auto first = inner.find_first_not_of(' ');
        if (first == std::string::npos)
            return false;
        const auto last = inner.find_last_not_of(' ');
        const std::string core = inner.substr(first, last - first + 1);
        if (!(std::isalpha(static_cast<unsigned char>(core[0])) || core[0] == '_'))
            return false;
        for (const char c : core)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
                return false;
        return true;
    }

    static std::size_t line_of(const std::string& text, std::size_t offset) {
        std::size_t line = 1;
        for (std::size_t i = 0; i < offset; ++i)
            line += text[i] == '\n' ? 1 : 0;
        return line;
    }

    static std::string given(const std::map<std::string, std::string>& values) {
        if (values.empty())
            return "none";
        std::string names;
        for (const auto& entry : values)
            names += (names.empty() ? "" : ", ") + entry.first;
        return names;
    }

    std::string origin_;
    std::string text_;
    std::vector<Piece> pieces_;
    std::set<std::string> placeholders_;
};

} // namespace sdk
} // namespace kerntune
