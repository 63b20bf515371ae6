// kerntune-worker: started by kerntune, never by hand. It talks over the socket at --fd.
//
//     kerntune-worker device  --backend NAME [--device SELECTOR] --fd N
//     kerntune-worker compile --backend NAME --target TARGET --fd N
//
// Device mode owns the device: a kernel that hangs or crashes takes down this process, not
// kerntune. Compile mode is one process of the compile pool.
#include "core/worker/serve.hpp"

#include <csignal>
#include <cstdio>
#include <malloc.h>
#include <map>
#include <string>
#include <string_view>

namespace {

constexpr const char* usage =
    "usage: kerntune-worker device --backend NAME [--device SELECTOR] --fd N\n"
    "       kerntune-worker compile --backend NAME --target TARGET --fd N\n"
    "kerntune starts this program itself; there is no need to run it by hand.\n";

int usage_error(const std::string& problem) {
    std::fprintf(stderr, "kerntune-worker: %s\n%s", problem.c_str(), usage);
    return kerntune::worker::worker_usage;
}

} // namespace

int main(int argc, char** argv) {
    // A host that went away must not kill us mid-write; the write's error says so.
    std::signal(SIGPIPE, SIG_IGN);
    // Every configuration reads its arrays back into buffers of the same sizes. Served from the
    // heap and kept there when freed, they are reused; mapped afresh each time, every page
    // faults again, which costs milliseconds per configuration (more under gVisor).
    mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's largest allowed on 64-bit
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    if (argc < 2)
        return usage_error("name a mode, device or compile");
    const std::string_view mode = argv[1];
    std::map<std::string, std::string> flags;
    for (int i = 2; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag != "--backend" && flag != "--device" && flag != "--target" && flag != "--fd")
            return usage_error("unknown option '" + flag + "'");
        if (i + 1 >= argc)
            return usage_error(flag + " needs a value");
        flags[flag] = argv[i + 1];
    }
    if (!flags.contains("--backend") || !flags.contains("--fd"))
        return usage_error("--backend and --fd are required");
    const std::string& fd_text = flags["--fd"];
    if (fd_text.empty() || fd_text.size() > 4 ||
        fd_text.find_first_not_of("0123456789") != std::string::npos)
        return usage_error("--fd wants a descriptor number, not '" + fd_text + "'");
    const int fd = std::stoi(fd_text);
    if (mode == "device")
        return kerntune::worker::serve_device(fd, flags["--backend"], flags["--device"]);
    if (mode == "compile") {
        if (!flags.contains("--target"))
            return usage_error("compile mode needs --target");
        return kerntune::worker::serve_compiler(fd, flags["--backend"], flags["--target"]);
    }
    return usage_error("unknown mode '" + std::string(mode) + "'; it is device or compile");
}
