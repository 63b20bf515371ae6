#pragma once
// A plugin's prompts: its own templates (usually kerntune_embedded_prompts()), each of which the
// user may replace with a file "<name>.txt" in the plugin's prompt directory
// (PluginArgs::prompt_dir). Overrides are checked once, when the strategy is created, so a typo
// in a file name or a placeholder fails the run at its start instead of at the tenth LLM call.

#include <kerntune/sdk/error.hpp>
#include <kerntune/sdk/host.hpp>
#include <kerntune/sdk/prompt_template.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kerntune {
namespace sdk {

class Prompts {
public:
    // `defaults` maps a prompt name to its text. Every file in `prompt_dir` (when given and
    // present) must be "<name>.txt" for one of those names and may use only the placeholders
    // of that default; hidden files are ignored. Throws Error(KT_ERROR_INVALID_ARGUMENT) naming
    // the file and what is allowed.
    Prompts(const std::map<std::string, std::string>& defaults,
            const std::optional<std::string>& prompt_dir = std::nullopt) {
        for (const auto& entry : defaults)
            templates_.emplace(
                entry.first,
                PromptTemplate::parse(entry.second, "the default prompt '" + entry.first + "'"));
        if (prompt_dir)
            load_overrides(*prompt_dir);
    }

    // The template in force for `name`: the user's file when there is one, else the default.
    // Throws Error(KT_ERROR_NOT_FOUND) for a name the plugin has no prompt for.
    const PromptTemplate& get(const std::string& name) const {
        const auto found = templates_.find(name);
        if (found == templates_.end())
            throw Error(KT_ERROR_NOT_FOUND,
                        "there is no prompt '" + name + "'; the prompts are " + names());
        return found->second;
    }

    std::string render(const std::string& name,
                       const std::map<std::string, std::string>& values = {}) const {
        return get(name).render(values);
    }

    // The files that replaced a default, by prompt name.
    const std::map<std::string, std::string>& overridden() const { return override_files_; }

private:
    void load_overrides(const std::string& dir) {
        namespace fs = std::filesystem;
        std::error_code ec;
        const fs::file_status status = fs::status(dir, ec);
        if (!fs::exists(status))
            return;
        if (!fs::is_directory(status))
            throw Error(KT_ERROR_INVALID_ARGUMENT,
                        "the prompt directory " + dir +
                            " is not a directory; give a directory holding <name>.txt files");
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().filename().string().rfind('.', 0) != 0)
                files.push_back(it->path());
        if (ec)
            throw Error(KT_ERROR_INVALID_ARGUMENT,
                        "the prompt directory " + dir + " cannot be read: " + ec.message());
        for (const auto& file : files)
            load_override(file);
    }

    void load_override(const std::filesystem::path& file) {
        const std::string name = file.stem().string();
        const auto found = templates_.find(name);
        if (file.extension() != ".txt" || found == templates_.end() ||
            !std::filesystem::is_regular_file(file))
            throw Error(KT_ERROR_INVALID_ARGUMENT,
                        "the prompt override " + file.string() +
                            " does not replace any prompt of this plugin; the files it reads "
                            "are " +
                            file_names() + " (rename or remove the file)");
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in)
            throw Error(KT_ERROR_INVALID_ARGUMENT,
                        "the prompt override " + file.string() + " cannot be read");
        PromptTemplate replacement = PromptTemplate::parse(text.str(), file.string());
        const std::set<std::string>& allowed = found->second.placeholders();
        for (const auto& placeholder : replacement.placeholders())
            if (allowed.count(placeholder) == 0)
                throw Error(KT_ERROR_INVALID_ARGUMENT,
                            file.string() + " uses {{" + placeholder + "}}, which prompt '" + name +
                                "' has no value for; it can use " + list(allowed));
        for (const auto& placeholder : allowed)
            if (replacement.placeholders().count(placeholder) == 0)
                log(LogLevel::warning, file.string() + " leaves out {{" + placeholder +
                                           "}}, so the LLM will not see it");
        found->second = std::move(replacement);
        override_files_[name] = file.string();
    }

    std::string names() const {
        std::string text;
        for (const auto& entry : templates_)
            text += (text.empty() ? "" : ", ") + entry.first;
        return text.empty() ? "none" : text;
    }

    std::string file_names() const {
        std::string text;
        for (const auto& entry : templates_)
            text += (text.empty() ? "" : ", ") + entry.first + ".txt";
        return text.empty() ? "none" : text;
    }

    static std::string list(const std::set<std::string>& placeholders) {
        if (placeholders.empty())
            return "no placeholders";
        std::string text;
        for (const auto& name : placeholders)
            text += (text.empty() ? "" : ", ") + ("{{" + name + "}}");
        return text;
    }

    std::map<std::string, PromptTemplate> templates_;
    std::map<std::string, std::string> override_files_;
};

} // namespace sdk
} // namespace kerntune
