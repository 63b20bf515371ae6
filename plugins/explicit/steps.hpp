#pragma once
// The explicit strategy's catalogue of steps: the built-in one (steps.json with one prompt per
// step, prompts/<id>.txt) and a user's steps file that replaces or extends it. Everything is
// checked when the strategy is created, so a bad file fails the run before any LLM call, with
// the file, the JSON pointer and the fix in the message.

#include <kerntune/sdk/error.hpp>
#include <kerntune/sdk/json.hpp>
#include <kerntune/sdk/prompt_template.hpp>
#include <kerntune/sdk/prompts.hpp>
#include <kerntune/sdk/tune_params.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace explicit_steps {

using kerntune::sdk::Error;
using kerntune::sdk::Json;
using kerntune::sdk::PromptTemplate;

struct Step {
    std::string id;
    PromptTemplate prompt;               // renders with {{kernel}} and {{language}}
    Json tune_params = Json::object();   // {name: [values]} the step adds to the space
    std::vector<std::string> depends_on; // ids of steps that must be accepted first
    bool skip_evaluation = false;        // apply without asking the LLM whether it makes sense
    std::string origin;                  // the file it came from, for messages
    std::string pointer;                 // "/steps/<i>" in that file
    std::string where() const { return origin + ": " + pointer; }
};

namespace detail {

[[noreturn]] inline void fail(const std::string& where, const std::string& reason) {
    throw Error(KT_ERROR_INVALID_ARGUMENT, where + ": " + reason);
}

inline Json parse(const std::string& text, const std::string& origin) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        fail(origin, std::string("not valid JSON: ") + e.what());
    }
}

inline std::string quoted_list(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + ("\"" + name + "\"");
    return text.empty() ? "none" : text;
}

inline bool valid_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

// A step prompt must show the LLM the kernel, and may use nothing the strategy does not fill.
inline void check_step_prompt(const PromptTemplate& prompt, const std::string& where) {
    if (prompt.placeholders().count("kernel") == 0)
        fail(where, "the prompt has no {{kernel}} placeholder, so the LLM would never see the "
                    "kernel; put {{kernel}} where the kernel's code belongs");
    for (const auto& name : prompt.placeholders())
        if (name != "kernel" && name != "language")
            fail(where, "the prompt uses {{" + name +
                            "}}, which a step prompt has no value for; it can use {{kernel}} "
                            "and {{language}}");
}

inline Json read_tune_params(const Json& value, const std::string& where) {
    if (!value.is_object())
        fail(where, "expected an object {\"name\": [values]}, got " + value.dump());
    for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string at = where + "/" + it.key();
        if (const auto problem = kerntune::sdk::parameter_name_problem(it.key()))
            fail(at, *problem);
        if (!it.value().is_array() || it.value().empty())
            fail(at, "expected a non-empty array of the values to try, got " + it.value().dump());
        for (std::size_t i = 0; i < it.value().size(); ++i) {
            const Json& number = it.value()[i];
            if (!number.is_number())
                fail(at + "/" + std::to_string(i), "expected a number (it becomes #define " +
                                                       it.key() + " <value>), got " +
                                                       number.dump());
            if (std::find(it.value().begin(), it.value().begin() + static_cast<long>(i), number) !=
                it.value().begin() + static_cast<long>(i))
                fail(at + "/" + std::to_string(i),
                     "the value " + number.dump() + " is listed twice");
        }
    }
    return value;
}

// One entry of a "steps" array. `prompts` is the built-in catalogue's prompt table (its
// entries have no "prompt" key), or nullptr for a user's file (every entry has one).
inline Step read_step(const Json& entry, const std::string& origin, const std::string& pointer,
                      const kerntune::sdk::Prompts* prompts) {
    const std::string where = origin + ": " + pointer;
    if (!entry.is_object())
        fail(where, "expected a step object {\"id\", \"prompt\", \"tune_params\", "
                    "\"depends_on\", \"skip_evaluation\"}, got " +
                        entry.dump());
    for (auto it = entry.begin(); it != entry.end(); ++it) {
        const bool known = it.key() == "id" || it.key() == "tune_params" ||
                           it.key() == "depends_on" || it.key() == "skip_evaluation" ||
                           (it.key() == "prompt" && prompts == nullptr);
        if (!known)
            fail(where + "/" + it.key(),
                 std::string("unknown key; a step has \"id\", ") + (prompts ? "" : "\"prompt\", ") +
                     "\"tune_params\", \"depends_on\" and \"skip_evaluation\"");
    }
    if (!entry.contains("id") || !entry.at("id").is_string())
        fail(where + "/id", "missing: every step needs an \"id\" string");
    const std::string id = entry.at("id").get<std::string>();
    if (!valid_id(id))
        fail(where + "/id", "\"" + id + "\" is not a step id; use letters, digits, _, - and .");

    std::optional<PromptTemplate> prompt;
    if (prompts != nullptr) {
        prompt = prompts->get(id);
        check_step_prompt(*prompt, prompt->origin());
    } else {
        if (!entry.contains("prompt") || !entry.at("prompt").is_string())
            fail(where + "/prompt",
                 "missing: every step needs a \"prompt\" string with a {{kernel}} placeholder");
        prompt = PromptTemplate::parse(entry.at("prompt").get<std::string>(), where + "/prompt");
        check_step_prompt(*prompt, where + "/prompt");
    }

    Step step{id, *prompt, Json::object(), {}, false, origin, pointer};
    if (entry.contains("tune_params"))
        step.tune_params = read_tune_params(entry.at("tune_params"), where + "/tune_params");
    if (entry.contains("depends_on")) {
        const Json& deps = entry.at("depends_on");
        if (!deps.is_array())
            fail(where + "/depends_on", "expected an array of step ids, got " + deps.dump());
        for (std::size_t i = 0; i < deps.size(); ++i) {
            if (!deps[i].is_string())
                fail(where + "/depends_on/" + std::to_string(i),
                     "expected a step id, got " + deps[i].dump());
            step.depends_on.push_back(deps[i].get<std::string>());
        }
    }
    if (entry.contains("skip_evaluation")) {
        if (!entry.at("skip_evaluation").is_boolean())
            fail(where + "/skip_evaluation",
                 "expected true or false, got " + entry.at("skip_evaluation").dump());
        step.skip_evaluation = entry.at("skip_evaluation").get<bool>();
    }
    return step;
}

inline std::vector<Step> read_steps(const Json& list, const std::string& origin,
                                    const kerntune::sdk::Prompts* prompts) {
    if (!list.is_array() || list.empty())
        fail(origin + ": /steps", "expected a non-empty array of steps");
    std::vector<Step> steps;
    for (std::size_t i = 0; i < list.size(); ++i)
        steps.push_back(read_step(list[i], origin, "/steps/" + std::to_string(i), prompts));
    return steps;
}

// Refuses duplicate ids, unknown dependencies and dependency cycles. `origin` names the file
// for a cycle, which no single step owns.
inline void check_catalogue(const std::vector<Step>& steps, const std::string& origin) {
    std::map<std::string, const Step*> by_id;
    for (const auto& step : steps) {
        const auto [found, inserted] = by_id.emplace(step.id, &step);
        if (!inserted && found->second->origin == step.origin)
            fail(step.where() + "/id", "duplicate id \"" + step.id +
                                           "\": " + found->second->pointer +
                                           " already has it; give each step its own id");
        if (!inserted)
            fail(step.where() + "/id",
                 "duplicate id \"" + step.id + "\": " + found->second->where() +
                     " already has it; mode \"extend\" only adds steps (to redefine the "
                     "built-in ones, use mode \"replace\")");
    }
    std::vector<std::string> ids;
    for (const auto& step : steps)
        ids.push_back(step.id);
    for (const auto& step : steps)
        for (std::size_t i = 0; i < step.depends_on.size(); ++i)
            if (by_id.count(step.depends_on[i]) == 0)
                fail(step.where() + "/depends_on/" + std::to_string(i),
                     "unknown dependency \"" + step.depends_on[i] + "\"; the steps are " +
                         quoted_list(ids));

    // Depth-first search; `path` holds the steps being visited, so meeting one again closes a
    // cycle, which is reported from its first step.
    std::map<std::string, int> state; // 1: on the path, 2: done
    std::vector<std::string> path;
    std::function<void(const Step&)> visit = [&](const Step& step) {
        state[step.id] = 1;
        path.push_back(step.id);
        for (const auto& dependency : step.depends_on) {
            if (state[dependency] == 1) {
                std::string cycle;
                for (auto it = std::find(path.begin(), path.end(), dependency); it != path.end();
                     ++it)
                    cycle += *it + " -> ";
                fail(origin, "the dependencies form a cycle: " + cycle + dependency +
                                 "; remove one of these dependencies");
            }
            if (state[dependency] == 0)
                visit(*by_id.at(dependency));
        }
        path.pop_back();
        state[step.id] = 2;
    };
    for (const auto& step : steps)
        if (state[step.id] == 0)
            visit(step);
}

} // namespace detail

// The built-in catalogue: `catalogue` is steps.json's text, and each step's prompt is the
// prompt of the same name in `prompts` (so a prompt directory can override it).
inline std::vector<Step> builtin_steps(const std::string& catalogue,
                                       const kerntune::sdk::Prompts& prompts) {
    const std::string origin = "the built-in step catalogue steps.json";
    const Json json = detail::parse(catalogue, origin);
    if (!json.is_object() || !json.contains("steps"))
        detail::fail(origin, "expected an object with \"steps\"");
    auto steps = detail::read_steps(json.at("steps"), origin, &prompts);
    detail::check_catalogue(steps, origin);
    return steps;
}

// The catalogue after a steps file's text: {"mode": "replace" | "extend", "steps": [{"id",
// "prompt", "tune_params", "depends_on", "skip_evaluation"}]}. "replace" runs only the file's
// steps; "extend" runs the built-in ones first, then the file's, which may depend on built-in
// ones. `origin` names the file in messages.
inline std::vector<Step> apply_steps_file(const std::string& text, const std::string& origin,
                                          std::vector<Step> builtin) {
    const Json json = detail::parse(text, origin);
    if (!json.is_object())
        detail::fail(origin, "expected an object {\"mode\": \"replace\" | \"extend\", "
                             "\"steps\": [...]}, got " +
                                 json.dump());
    for (auto it = json.begin(); it != json.end(); ++it)
        if (it.key() != "mode" && it.key() != "steps")
            detail::fail(origin + ": /" + it.key(),
                         "unknown key; a steps file has \"mode\" and \"steps\"");
    const Json mode = json.value("mode", Json());
    if (mode != "replace" && mode != "extend")
        detail::fail(origin + ": /mode",
                     (mode.is_null() ? std::string("missing") : "got " + mode.dump()) +
                         "; say \"replace\" to run only this file's steps or \"extend\" to run "
                         "them after the built-in ones");
    if (!json.contains("steps"))
        detail::fail(origin + ": /steps", "missing: the file needs a non-empty \"steps\" array");
    auto steps = detail::read_steps(json.at("steps"), origin, nullptr);
    if (mode == "extend")
        steps.insert(steps.begin(), std::make_move_iterator(builtin.begin()),
                     std::make_move_iterator(builtin.end()));
    detail::check_catalogue(steps, origin);
    return steps;
}

// apply_steps_file with the file at `path`.
inline std::vector<Step> load_steps_file(const std::string& path, std::vector<Step> builtin) {
    const std::string origin = "steps file '" + path + "'";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        detail::fail(origin, "cannot be read; the option steps_file must name a JSON file "
                             "{\"mode\": \"replace\" | \"extend\", \"steps\": [...]}");
    return apply_steps_file(text.str(), origin, std::move(builtin));
}

} // namespace explicit_steps
