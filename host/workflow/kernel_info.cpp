#include "host/workflow/kernel_info.hpp"

#include "core/errors/error_kind.hpp"
#include "core/testspec/expression.hpp"
#include "host/workflow/service_calls.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace kerntune::workflow {
namespace {
namespace json = boost::json;

struct Argument {
    std::string name;
    std::string type;
    bool pointer = false;
    bool const_pointee = false;
};

std::vector<Argument> arguments(const json::array& args) {
    std::vector<Argument> out;
    for (const auto& arg : args) {
        const auto& o = arg.as_object();
        out.push_back({std::string(o.at("name").as_string()), std::string(o.at("type").as_string()),
                       o.at("pointer").as_bool(), o.at("const_pointee").as_bool()});
    }
    return out;
}

// "n (const int), m (int)", or `none` when there are none.
std::string listing(const std::vector<Argument>& args, bool pointers, const std::string& none) {
    std::string text;
    for (const auto& arg : args)
        if (arg.pointer == pointers && !arg.name.empty())
            text += (text.empty() ? "" : ", ") + arg.name + " (" + arg.type + ")";
    return text.empty() ? none : text;
}

std::string scalar_listing(const std::vector<Argument>& args) {
    return listing(args, false, "none (the kernel has no scalar arguments, so give numbers)");
}

std::string pointer_listing(const std::vector<Argument>& args) {
    return listing(args, true, "none");
}

const Argument* find(const std::vector<Argument>& args, std::string_view name) {
    const auto it =
        std::find_if(args.begin(), args.end(), [&](const Argument& a) { return a.name == name; });
    return it == args.end() ? nullptr : &*it;
}

// The identifiers of an expression that are not function names (not followed by '(').
std::vector<std::string> identifiers(const std::string& text) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (std::isdigit(c)) { // a number, exponent letters included
            while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                                       text[i] == '.' || text[i] == '_'))
                ++i;
            continue;
        }
        if (!(std::isalpha(c) || c == '_')) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_'))
            ++i;
        std::size_t next = i;
        while (next < text.size() && std::isspace(static_cast<unsigned char>(text[next])))
            ++next;
        if (next == text.size() || text[next] != '(')
            names.push_back(text.substr(start, i - start));
    }
    return names;
}

[[noreturn]] void invalid_problem_size(const std::string& what, const std::vector<Argument>& args) {
    throw KindedError(ErrorKind::invalid_problem_size,
                      what + ". The kernel's scalar arguments are: " + scalar_listing(args) + ".");
}

[[noreturn]] void invalid_outputs(const std::string& what, const std::vector<Argument>& args) {
    throw KindedError(ErrorKind::invalid_output_variables,
                      what + ". The kernel's pointer arguments are: " + pointer_listing(args) +
                          ".");
}

json::object message(std::string_view role, std::string content) {
    return json::object{{"role", role}, {"content", std::move(content)}};
}

// The conversation of this node's retry loop: fresh on a first attempt, else what the earlier
// attempts and the supervisor's feedback left in state "messages".
json::array conversation(State& state, const NodeContext& context, json::array first) {
    const auto* messages = state.find("messages");
    if (context.attempt == 1 || !messages || !messages->is_array() || messages->as_array().empty())
        state.set("messages", std::move(first));
    return state.get("messages").as_array();
}

std::string trimmed(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

json::value string_list_schema(std::string_view key, std::size_t max_items) {
    json::object list{{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}};
    if (max_items > 0)
        list["maxItems"] = max_items;
    return json::object{{"type", "object"},
                        {"properties", {{key, std::move(list)}}},
                        {"required", json::array{key}},
                        {"additionalProperties", false}};
}

json::array to_array(const std::vector<std::string>& items) {
    json::array out;
    for (const auto& item : items)
        out.emplace_back(item);
    return out;
}

class KernelInfoNodes {
public:
    KernelInfoNodes(kt_llm* llm, const HostPrompts& prompts) : llm_(llm), prompts_(prompts) {}

    void describe(State& state, const NodeContext& context) const {
        const auto& kernel = state.get("kernel").as_object();
        const auto messages = conversation(
            state, context,
            json::array{message(
                "user", prompts_.render("description", {{"language", text(kernel, "language")},
                                                        {"kernel_name", text(kernel, "name")},
                                                        {"kernel", text(kernel, "code")}}))});
        const std::string description = trimmed(chat(llm_, messages));
        if (description.empty())
            throw KindedError(ErrorKind::no_code, "the reply held no description of the kernel");
        state.set("/kernel/description", json::string(description));
        state.set("messages", json::array());
    }

    void problem_size(State& state, const NodeContext& context) const {
        const auto& kernel = state.get("kernel").as_object();
        const auto args = arguments(kernel.at("args").as_array());
        const auto messages = conversation(
            state, context,
            json::array{
                message("system", prompts_.render("problem_size_system")),
                message("user", prompts_.render("problem_size_user",
                                                {{"kernel", text(kernel, "code")},
                                                 {"description", text(kernel, "description")},
                                                 {"scalar_arguments", scalar_listing(args)}}))});
        const json::value answer =
            chat_structured(llm_, messages, string_list_schema("problem_size", 3));
        state.append("messages", message("assistant", json::serialize(answer)));
        const auto sizes =
            check_problem_size(answer.at("problem_size").as_array(), kernel.at("args").as_array());
        state.set("/kernel/problem_size", to_array(sizes));
        state.set("messages", json::array());
    }

    void output_variables(State& state, const NodeContext& context) const {
        const auto& kernel = state.get("kernel").as_object();
        const auto args = arguments(kernel.at("args").as_array());
        const auto messages = conversation(
            state, context,
            json::array{
                message("system", prompts_.render("output_variables_system")),
                message("user", prompts_.render("output_variables_user",
                                                {{"kernel", text(kernel, "code")},
                                                 {"description", text(kernel, "description")},
                                                 {"pointer_arguments", pointer_listing(args)}}))});
        const json::value answer =
            chat_structured(llm_, messages, string_list_schema("output_variables", 0));
        state.append("messages", message("assistant", json::serialize(answer)));
        const auto outputs = check_output_variables(answer.at("output_variables").as_array(),
                                                    kernel.at("args").as_array());
        state.set("/kernel/output_variables", to_array(outputs));
        state.set("messages", json::array());
    }

private:
    static std::string text(const json::object& kernel, std::string_view key) {
        return std::string(kernel.at(key).as_string());
    }

    kt_llm* llm_;
    const HostPrompts& prompts_;
};

} // namespace

std::vector<std::string> check_problem_size(const json::array& expressions,
                                            const json::array& args_json) {
    const auto args = arguments(args_json);
    if (expressions.empty() || expressions.size() > 3)
        invalid_problem_size("the problem size has " + std::to_string(expressions.size()) +
                                 " dimensions; give one to three expressions (x, y, z)",
                             args);
    std::map<std::string, double> values;
    for (const auto& arg : args)
        if (!arg.pointer && !arg.name.empty())
            values[arg.name] = 1;
    VariableBindings bindings;
    for (auto& [name, value] : values)
        bindings[name] = &value;
    std::vector<std::string> out;
    for (const auto& item : expressions) {
        const std::string expression = trimmed(std::string(item.as_string()));
        if (expression.empty())
            invalid_problem_size("an expression of the problem size is empty", args);
        for (const auto& name : identifiers(expression)) {
            if (values.contains(name))
                continue;
            const Argument* arg = find(args, name);
            invalid_problem_size("the problem size \"" + expression + "\" names '" + name + "', " +
                                     (arg ? "which is a pointer argument (a buffer, not a count)"
                                          : "which is not an argument of the kernel"),
                                 args);
        }
        try {
            const Expression compiled(expression, bindings);
        } catch (const ExpressionError& e) {
            invalid_problem_size("the problem size \"" + expression +
                                     "\" is not a valid expression: " + e.what(),
                                 args);
        }
        out.push_back(expression);
    }
    return out;
}

std::vector<std::string> check_output_variables(const json::array& names,
                                                const json::array& args_json) {
    const auto args = arguments(args_json);
    if (names.empty())
        invalid_outputs("no output variable was named; name every pointer argument the kernel "
                        "writes to",
                        args);
    const bool writable_pointer = std::any_of(
        args.begin(), args.end(), [](const Argument& a) { return a.pointer && !a.const_pointee; });
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& item : names) {
        const std::string name = trimmed(std::string(item.as_string()));
        const Argument* arg = find(args, name);
        if (!arg)
            invalid_outputs("'" + name + "' is not an argument of the kernel", args);
        if (!arg->pointer)
            invalid_outputs("'" + name + "' is a scalar argument (" + arg->type +
                                "), which a kernel cannot write back",
                            args);
        if (arg->const_pointee && writable_pointer)
            invalid_outputs("'" + name + "' is declared const (" + arg->type +
                                "), so the kernel cannot write to it",
                            args);
        if (seen.insert(name).second)
            out.push_back(name);
    }
    return out;
}

Graph kernel_info_graph(kt_llm* llm, const HostPrompts& prompts, const RetryPolicy& policy) {
    const auto nodes = std::make_shared<const KernelInfoNodes>(llm, prompts);
    Graph graph;
    graph.add_node("describe", [nodes](State& s, const NodeContext& c) { nodes->describe(s, c); });
    graph.add_node("problem_size",
                   [nodes](State& s, const NodeContext& c) { nodes->problem_size(s, c); });
    graph.add_node("output_variables",
                   [nodes](State& s, const NodeContext& c) { nodes->output_variables(s, c); });
    graph.add_edge(std::string(START), "describe");
    graph.add_edge("describe", "problem_size");
    graph.add_edge("problem_size", "output_variables");
    graph.add_edge("output_variables", std::string(END));
    for (const char* node : {"describe", "problem_size", "output_variables"})
        graph.set_retry_policy(node, policy);
    return graph;
}

} // namespace kerntune::workflow
