#include "core/llm/config_section.hpp"

#include "core/config/config.hpp"
#include "core/json/describe.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace kerntune::llm {
namespace {

namespace json = boost::json;

class SectionReader {
public:
    SectionReader(const json::object& section, const std::filesystem::path& source)
        : section_(section), source_(source) {}

    [[noreturn]] void fail(const std::string& key, const std::string& expected,
                           const json::value& got) const {
        throw ConfigError(source_, "/llm/" + key,
                          "expected " + expected + ", got " + describe_json(got));
    }

    const json::value* find(const char* key) const { return section_.if_contains(key); }

    void string(const char* key, std::string& target) const {
        if (const auto* v = find(key)) {
            if (!v->is_string() || v->get_string().empty())
                fail(key, "a non-empty string", *v);
            target = v->get_string();
        }
    }

    double positive_number(const char* key, const json::value& v) const {
        if (!v.is_number() || v.to_number<double>() <= 0)
            fail(key, "a positive number", v);
        return v.to_number<double>();
    }

private:
    const json::object& section_;
    const std::filesystem::path& source_;
};

constexpr const char* known_keys[] = {"base_url",    "model",     "dialect", "structured_mode",
                                      "temperature", "stream",    "ca_file", "timeout_s",
                                      "retries",     "think_tags"};

} // namespace

void apply_config_section(LlmConfig& config, const json::value& section,
                          const std::filesystem::path& source) {
    if (!section.is_object())
        throw ConfigError(source, "/llm", "expected an object, got " + describe_json(section));
    const json::object& object = section.get_object();
    for (const auto& [key, value] : object) {
        bool known = false;
        for (const char* k : known_keys)
            known |= key == k;
        if (!known)
            throw ConfigError(source, "/llm/" + std::string(key),
                              key == "api_key"
                                  ? "the API key is not read from the config file; put it in "
                                    "KERNTUNE_API_KEY"
                                  : "unknown key; the llm section takes base_url, model, dialect, "
                                    "structured_mode, temperature, stream, ca_file, timeout_s, "
                                    "retries and think_tags");
    }
    const SectionReader read(object, source);
    read.string("base_url", config.base_url);
    read.string("model", config.model);
    if (const auto* v = read.find("dialect")) {
        const auto dialect = v->is_string() ? parse_dialect(v->get_string()) : std::nullopt;
        if (!dialect)
            read.fail("dialect", "\"openai\" or \"anthropic\"", *v);
        config.dialect = *dialect;
    }
    if (const auto* v = read.find("structured_mode")) {
        const auto mode = v->is_string() ? parse_structured_mode(v->get_string()) : std::nullopt;
        if (!mode)
            read.fail("structured_mode",
                      "one of \"auto\", \"json_schema\", \"json_object\", \"tool\", \"prompt\"",
                      *v);
        config.structured_mode = *mode;
    }
    if (const auto* v = read.find("temperature")) {
        if (!v->is_number() || v->to_number<double>() < 0 || v->to_number<double>() > 2)
            read.fail("temperature", "a number from 0 to 2", *v);
        config.temperature = v->to_number<double>();
    }
    if (const auto* v = read.find("stream")) {
        if (!v->is_bool())
            read.fail("stream", "true or false", *v);
        config.stream = v->get_bool();
    }
    std::string ca_file;
    read.string("ca_file", ca_file);
    if (!ca_file.empty())
        config.http.ca_file = std::filesystem::path(ca_file).is_absolute()
                                  ? ca_file
                                  : (source.parent_path() / ca_file).string();
    if (const auto* v = read.find("timeout_s"))
        config.http.total_timeout = std::chrono::milliseconds(
            static_cast<long long>(read.positive_number("timeout_s", *v) * 1000));
    if (const auto* v = read.find("retries")) {
        if (!v->is_int64() || v->get_int64() < 0 || v->get_int64() > 20)
            read.fail("retries", "an integer from 0 to 20", *v);
        config.retry.max_retries = static_cast<int>(v->get_int64());
    }
    if (const auto* v = read.find("think_tags")) {
        const auto* tags = v->if_object();
        const auto* open = tags ? tags->if_contains("open") : nullptr;
        const auto* close = tags ? tags->if_contains("close") : nullptr;
        if (!open || !close || !open->is_string() || !close->is_string() ||
            open->get_string().empty() || close->get_string().empty() || tags->size() != 2)
            read.fail("think_tags", "{\"open\": \"<tag>\", \"close\": \"</tag>\"}", *v);
        config.think.open = open->get_string();
        config.think.close = close->get_string();
    }
}

} // namespace kerntune::llm
