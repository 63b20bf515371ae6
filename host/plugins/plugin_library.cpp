#include "host/plugins/plugin_library.hpp"

#include "core/text/utf8.hpp"
#include "host/plugins/descriptor_check.hpp"
#include "host/plugins/escaped_exception.hpp"
#include "host/plugins/quiet_stdout.hpp"

#include <boost/dll/shared_library.hpp>

#include <deque>
#include <dlfcn.h>
#include <mutex>

namespace kerntune::plugins {
namespace {

using EntryFunction = const kt_plugin_descriptor*(const kt_host_info*, const kt_error_sink*);

constexpr std::size_t max_sink_message = 4096;

// Never destroyed: destroying these would dlclose plugins during static destruction.
struct Resident {
    std::mutex mutex;
    std::deque<boost::dll::shared_library> libraries;
    std::deque<kt_plugin_handle> handles;
};

Resident& resident() {
    static Resident* const instance = new Resident;
    return *instance;
}

void report_to_string(void* ctx, const char* message, size_t length) noexcept {
    try {
        auto& text = *static_cast<std::string*>(ctx);
        if (!text.empty())
            text += "; ";
        text.append(message ? message : "", message ? length : 0);
        if (text.size() > max_sink_message)
            text.resize(max_sink_message);
    } catch (...) {
        // Out of memory while keeping a plugin's explanation: drop the explanation.
    }
}

std::string dlopen_failure() {
    const char* text = dlerror();
    return "it cannot be loaded: " +
           (text ? text::to_valid_utf8(text) : std::string("dlopen failed"));
}

} // namespace

std::variant<LoadedLibrary, std::string> load_plugin_library(const std::filesystem::path& file,
                                                             AbiVersion host) {
    auto& state = resident();
    std::lock_guard lock(state.mutex);

    namespace dll = boost::dll;
    std::error_code ec;
    dll::shared_library library(file, dll::load_mode::rtld_now | dll::load_mode::rtld_local, ec);
    if (ec)
        return dlopen_failure();
    if (!library.has(KT_PLUGIN_ENTRY_SYMBOL))
        return std::string("it does not export " KT_PLUGIN_ENTRY_SYMBOL
                           ", so it is not a kerntune plugin (build plugins with the SDK's "
                           "kerntune_add_plugin())");
    auto& entry = library.get<EntryFunction>(KT_PLUGIN_ENTRY_SYMBOL);
    state.libraries.push_back(library);
    kt_plugin_handle& handle =
        state.handles.emplace_back(kt_plugin_handle{file.filename().string()});

    const kt_host_info info{
        .struct_size = sizeof(kt_host_info),
        .abi_major = host.major,
        .abi_minor = host.minor,
        .api = host::host_api(),
        .plugin = &handle,
        .host_version = KERNTUNE_VERSION,
    };
    std::string refusal;
    const kt_error_sink sink{
        .struct_size = sizeof(kt_error_sink), .ctx = &refusal, .report = report_to_string};
    const kt_plugin_descriptor* raw = nullptr;
    try {
        const QuietStdout quiet;
        raw = entry(&info, &sink);
    } catch (...) {
        return escaped_exception_reason(KT_PLUGIN_ENTRY_SYMBOL);
    }
    if (!raw)
        return refusal.empty() ? std::string("its " KT_PLUGIN_ENTRY_SYMBOL
                                             " returned no descriptor and gave no reason")
                               : "its " KT_PLUGIN_ENTRY_SYMBOL " refused this host: " +
                                     text::to_valid_utf8(refusal);

    auto checked = check_descriptor(*raw, host);
    if (auto* reason = std::get_if<std::string>(&checked))
        return std::move(*reason);
    auto& valid = std::get<CheckedDescriptor>(checked);
    handle.name = valid.info.id;
    valid.info.file = file;
    return LoadedLibrary{valid.descriptor, std::move(valid.info), &handle};
}

} // namespace kerntune::plugins
