#pragma once
// Tuning-parameter spaces ({name: [values]}) as the LLM proposes them: the answer schema of a
// "fix parameters" call, and the checks and merge every tuning strategy needs before a rewrite
// is tuned.

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/error.hpp>
#include <kerntune/sdk/json.hpp>
#include <kerntune/sdk/kernel_text.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace kerntune {
namespace sdk {

// The answer of a "fix parameters" call: the kernel adjusted to the parameters, and values for
// each parameter. Top-level properties: kernel_code, new_params.
inline Json fix_params_schema() {
    return Json{
        {"type", "object"},
        {"properties",
         {{"kernel_code",
           {{"type", "string"}, {"description", "the whole kernel, using every parameter"}}},
          {"new_params",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"name", {{"type", "string"}}},
                {"values", {{"type", "array"}, {"items", {{"type", "number"}}}}}}},
              {"required", {"name", "values"}},
              {"additionalProperties", false}}}}}}},
        {"required", {"kernel_code", "new_params"}},
        {"additionalProperties", false}};
}

// The names the host reads the thread-block size from.
inline bool is_block_size_name(const std::string& name) {
    return name == "block_size_x" || name == "block_size_y" || name == "block_size_z";
}

// Why `name` cannot be a tuning parameter, or nothing when it can. A parameter is a lower-case
// identifier, exactly as the code uses it (it arrives as a #define of that name), and the block
// size is always block_size_x, block_size_y or block_size_z, because the host derives the
// launch's block and grid from those names.
inline std::optional<std::string> parameter_name_problem(const std::string& name) {
    static const std::regex identifier("[a-z_][a-z0-9_]*");
    static const std::regex block_like(
        "(thread_?)?(block|blk|tb|cta)_?(size|dim|threads|len)(_?[xyz0-2])?|"
        "threads_?per_?block(_?[xyz])?|block_[xyz]|num_threads(_?[xyz])?");
    if (!std::regex_match(name, identifier))
        return "'" + name +
               "' is not a valid parameter name: use lower-case letters, digits and _ (not "
               "starting with a digit), exactly as the kernel code spells it";
    if (!is_block_size_name(name) && std::regex_match(name, block_like))
        return "'" + name +
               "' looks like a thread-block size: name it block_size_x (and block_size_y, "
               "block_size_z for more dimensions), the names the launch's block size is read "
               "from";
    return std::nullopt;
}

// Whether `code` uses `name` as a whole identifier.
inline bool code_uses(const std::string& code, const std::string& name) {
    auto is_name_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    };
    for (auto at = code.find(name); at != std::string::npos; at = code.find(name, at + 1)) {
        const bool starts = at == 0 || !is_name_char(code[at - 1]);
        const auto after = at + name.size();
        const bool ends = after == code.size() || !is_name_char(code[after]);
        if (starts && ends)
            return true;
    }
    return false;
}

// The space for `code`: `current` merged with `new_params` ([{"name", "values"}], the
// answer's values win for a name in both). Parameters of `current` that `code` no longer uses
// are dropped, since tuning a value nothing reads only multiplies the configurations; the
// block-size parameters stay, because the launch reads them even when the code does not.
// Values keep their order, without repeats. Throws Error(KT_ERROR_WRONG_STRUCTURE) naming the
// parameter and the fix for a bad name, an empty or non-numeric value list, a block size below
// 1, or a new parameter the code does not use.
inline Json merge_tune_params(const std::string& code, const Json& current,
                              const Json& new_params) {
    Json merged = Json::object();
    if (current.is_object())
        for (auto it = current.begin(); it != current.end(); ++it)
            if (is_block_size_name(it.key()) || code_uses(code, it.key()))
                merged[it.key()] = it.value();
    if (!new_params.is_array())
        throw Error(KT_ERROR_WRONG_STRUCTURE,
                    "new_params must be a list of {\"name\": ..., \"values\": [...]} objects");
    for (const Json& param : new_params) {
        if (!param.is_object() || !param.contains("name") || !param.at("name").is_string())
            throw Error(KT_ERROR_WRONG_STRUCTURE,
                        "each entry of new_params needs a \"name\" string, got " + param.dump());
        const std::string name = param.at("name").get<std::string>();
        if (const auto problem = parameter_name_problem(name))
            throw Error(KT_ERROR_WRONG_STRUCTURE, *problem);
        const Json values = param.value("values", Json());
        if (!values.is_array() || values.empty())
            throw Error(KT_ERROR_WRONG_STRUCTURE,
                        "parameter " + name + " needs a non-empty list of values to try");
        Json unique = Json::array();
        for (const Json& value : values) {
            if (!value.is_number())
                throw Error(KT_ERROR_WRONG_STRUCTURE,
                            "parameter " + name + " has the value " + value.dump() +
                                "; every value must be a number, as it becomes a #define");
            if (is_block_size_name(name) && value.get<double>() < 1)
                throw Error(KT_ERROR_WRONG_STRUCTURE, name + " has the value " + value.dump() +
                                                          "; a block size must be at least 1");
            if (std::find(unique.begin(), unique.end(), value) == unique.end())
                unique.push_back(value);
        }
        if (!is_block_size_name(name) && !code_uses(code, name))
            throw Error(KT_ERROR_WRONG_STRUCTURE,
                        "parameter " + name +
                            " does not appear in the kernel code; use it there by that exact "
                            "name (it arrives as #define " +
                            name + " <value>) or leave it out");
        merged[name] = unique;
    }
    return merged;
}

struct FixedParams {
    std::string code; // the kernel from the answer, without #define lines
    Json tune_params; // the merged space
};

// Reads a fix-parameters answer (fix_params_schema()) against the `current` space; see
// merge_tune_params. Throws Error(KT_ERROR_NO_CODE) when kernel_code holds no code.
inline FixedParams merge_fixed_params(const Json& answer, const Json& current) {
    const auto code = extract_and_sanitize_kernel(answer.value("kernel_code", std::string()));
    if (!code)
        throw Error(KT_ERROR_NO_CODE, "the answer's kernel_code holds no kernel code");
    return FixedParams{*code,
                       merge_tune_params(*code, current, answer.value("new_params", Json()))};
}

// One configuration of a space: the first value of every parameter.
inline Json first_values(const Json& tune_params) {
    Json params = Json::object();
    for (auto it = tune_params.begin(); it != tune_params.end(); ++it)
        if (it.value().is_array() && !it.value().empty())
            params[it.key()] = it.value().front();
    return params;
}

} // namespace sdk
} // namespace kerntune
