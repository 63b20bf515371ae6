#include "host/workflow/settings.hpp"

#include "core/cache/tune_result.hpp"
#include "core/errors/error_kind.hpp"
#include "core/json/describe.hpp"

#include <chrono>
#include <cstdint>

namespace kerntune::workflow {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

json::array strings(const std::vector<std::string>& items) {
    json::array out;
    for (const auto& item : items)
        out.emplace_back(item);
    return out;
}

json::value optional_path(const std::optional<fs::path>& path) {
    return path ? json::value(path->string()) : json::value(nullptr);
}

// Reads run.json strictly: a hand-edited or foreign file is named with the key that is wrong.
class Reader {
public:
    Reader(const json::object& run, const fs::path& file) : run_(run), file_(file) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& expected,
                           const json::value* got) const {
        throw KindedError(ErrorKind::invalid_argument,
                          "run file '" + file_.string() + "': " + pointer + ": expected " +
                              expected + (got ? ", got " + describe_json(*got) : "") +
                              "; the file is written by `kerntune tune` and is not meant to be "
                              "edited");
    }

    const json::value& at(const json::object& object, std::string_view key,
                          const std::string& pointer) const {
        const auto* value = object.if_contains(key);
        if (!value)
            fail(pointer, "a value (the key is missing)", nullptr);
        return *value;
    }

    std::string string(const json::object& object, std::string_view key,
                       const std::string& pointer) const {
        const auto& value = at(object, key, pointer);
        if (!value.is_string())
            fail(pointer, "a string", &value);
        return std::string(value.get_string());
    }

    std::optional<fs::path> optional_path(std::string_view key) const {
        const auto& value = at(run_, key, "/" + std::string(key));
        if (value.is_null())
            return std::nullopt;
        if (!value.is_string() || value.get_string().empty())
            fail("/" + std::string(key), "a path or null", &value);
        return fs::path(std::string(value.get_string()));
    }

    const json::object& object(const json::object& parent, std::string_view key,
                               const std::string& pointer) const {
        const auto& value = at(parent, key, pointer);
        if (!value.is_object())
            fail(pointer, "an object", &value);
        return value.get_object();
    }

    const json::array& array(std::string_view key) const {
        const auto& value = at(run_, key, "/" + std::string(key));
        if (!value.is_array())
            fail("/" + std::string(key), "an array", &value);
        return value.get_array();
    }

    std::vector<std::string> string_list(std::string_view key) const {
        std::vector<std::string> out;
        const auto& items = array(key);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (!items[i].is_string())
                fail("/" + std::string(key) + "/" + std::to_string(i), "a string", &items[i]);
            out.emplace_back(items[i].get_string());
        }
        return out;
    }

    double number(const json::object& object, std::string_view key,
                  const std::string& pointer) const {
        const auto& value = at(object, key, pointer);
        if (!value.is_number())
            fail(pointer, "a number", &value);
        return value.to_number<double>();
    }

    bool boolean(const json::object& object, std::string_view key,
                 const std::string& pointer) const {
        const auto& value = at(object, key, pointer);
        if (!value.is_bool())
            fail(pointer, "true or false", &value);
        return value.get_bool();
    }

private:
    const json::object& run_;
    const fs::path& file_;
};

} // namespace

json::object run_json(const RunSettings& s) {
    json::array user_tests;
    for (const auto& test : s.user_tests)
        user_tests.push_back(json::object{{"file", test.file.string()}, {"id", test.id}});
    json::array plugin_dirs;
    for (const auto& dir : s.plugin_dirs)
        plugin_dirs.emplace_back(dir.string());
    return json::object{
        {"version", 1},
        {"kerntune_version", KERNTUNE_VERSION},
        {"created", utc_timestamp()},
        {"argv", strings(s.argv)},
        {"kernel_file", s.kernel_file.string()},
        {"kernel_name", s.kernel_name},
        {"language", s.language},
        {"backend", s.backend},
        {"strategy", s.strategy},
        {"testing_strategies", strings(s.testers)},
        {"options", s.options},
        {"llm",
         {{"base_url", s.llm.base_url},
          {"model", s.llm.model},
          {"dialect", s.llm.dialect},
          {"structured_mode", s.llm.structured_mode},
          {"ca_file", s.llm.ca_file},
          {"timeout_s", s.llm.timeout_s},
          {"retries", s.llm.retries},
          {"probe", s.llm.probe}}},
        {"prompt_dir", optional_path(s.prompt_dir)},
        {"user_tests", std::move(user_tests)},
        {"baseline_params", s.baseline_params},
        {"threshold", s.threshold},
        {"config", optional_path(s.config_file)},
        {"plugin_dirs", std::move(plugin_dirs)},
        {"cache", optional_path(s.cache)},
        {"working_dir", s.working_dir.string()},
        {"status", "running"},
    };
}

RunSettings settings_from_run_json(const json::object& run, const fs::path& file) {
    const Reader r(run, file);
    if (const auto& version = r.at(run, "version", "/version"); version != json::value(1))
        r.fail("/version", "1 (a run of another kerntune version cannot be resumed by this one)",
               &version);
    RunSettings s;
    s.argv = r.string_list("argv");
    s.kernel_file = r.string(run, "kernel_file", "/kernel_file");
    s.kernel_name = r.string(run, "kernel_name", "/kernel_name");
    s.language = r.string(run, "language", "/language");
    s.backend = r.string(run, "backend", "/backend");
    s.strategy = r.string(run, "strategy", "/strategy");
    s.testers = r.string_list("testing_strategies");
    s.options = r.object(run, "options", "/options");
    const auto& llm = r.object(run, "llm", "/llm");
    s.llm.base_url = r.string(llm, "base_url", "/llm/base_url");
    s.llm.model = r.string(llm, "model", "/llm/model");
    s.llm.dialect = r.string(llm, "dialect", "/llm/dialect");
    s.llm.structured_mode = r.string(llm, "structured_mode", "/llm/structured_mode");
    if (!llm::parse_dialect(s.llm.dialect))
        r.fail("/llm/dialect", "\"openai\" or \"anthropic\"", &llm.at("dialect"));
    if (!llm::parse_structured_mode(s.llm.structured_mode))
        r.fail("/llm/structured_mode", "auto, json_schema, json_object, tool or prompt",
               &llm.at("structured_mode"));
    s.llm.ca_file = r.string(llm, "ca_file", "/llm/ca_file");
    s.llm.timeout_s = r.number(llm, "timeout_s", "/llm/timeout_s");
    s.llm.retries = static_cast<int>(r.number(llm, "retries", "/llm/retries"));
    s.llm.probe = r.boolean(llm, "probe", "/llm/probe");
    s.prompt_dir = r.optional_path("prompt_dir");
    const auto& tests = r.array("user_tests");
    for (std::size_t i = 0; i < tests.size(); ++i) {
        const std::string pointer = "/user_tests/" + std::to_string(i);
        if (!tests[i].is_object())
            r.fail(pointer, "an object with \"file\" and \"id\"", &tests[i]);
        s.user_tests.push_back({r.string(tests[i].get_object(), "file", pointer + "/file"),
                                r.string(tests[i].get_object(), "id", pointer + "/id")});
    }
    s.baseline_params = r.object(run, "baseline_params", "/baseline_params");
    s.threshold = r.number(run, "threshold", "/threshold");
    s.config_file = r.optional_path("config");
    for (const auto& dir : r.string_list("plugin_dirs"))
        s.plugin_dirs.emplace_back(dir);
    s.cache = r.optional_path("cache");
    s.working_dir = r.string(run, "working_dir", "/working_dir");
    return s;
}

LlmEndpoint endpoint_of(const host::LlmSetup& setup) {
    llm::LlmConfig config = setup.config;
    llm::apply_environment(config);
    LlmEndpoint out;
    out.base_url = config.base_url;
    out.model = config.model;
    out.dialect = config.dialect == llm::Dialect::anthropic ? "anthropic" : "openai";
    out.structured_mode = std::string(llm::name(config.structured_mode));
    out.ca_file = config.http.ca_file;
    out.timeout_s = std::chrono::duration<double>(config.http.total_timeout).count();
    out.retries = config.retry.max_retries;
    out.probe = setup.probe;
    return out;
}

void apply_endpoint(host::LlmSetup& setup, const LlmEndpoint& endpoint) {
    llm::LlmConfig& config = setup.config;
    config.base_url = endpoint.base_url;
    config.model = endpoint.model;
    config.dialect = llm::parse_dialect(endpoint.dialect).value();
    config.structured_mode = llm::parse_structured_mode(endpoint.structured_mode).value();
    config.http.ca_file = endpoint.ca_file;
    config.http.total_timeout =
        std::chrono::milliseconds(static_cast<std::int64_t>(endpoint.timeout_s * 1000));
    config.retry.max_retries = endpoint.retries;
    setup.probe = endpoint.probe;
}

} // namespace kerntune::workflow
