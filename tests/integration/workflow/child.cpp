#include "child.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

extern char** environ;

namespace kerntune::test {
namespace {

std::string read(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

Child::Child(const std::vector<std::string>& argv, const Environment& env,
             const std::filesystem::path& output)
    : output_(output) {
    std::vector<std::string> variables;
    for (char** entry = environ; *entry; ++entry) {
        const std::string text = *entry;
        if (!env.contains(text.substr(0, text.find('='))))
            variables.push_back(text);
    }
    for (const auto& [name, value] : env)
        if (value)
            variables.push_back(name + "=" + *value);
    std::vector<std::string> args = argv;
    std::vector<char*> arg_pointers, env_pointers;
    for (auto& arg : args)
        arg_pointers.push_back(arg.data());
    arg_pointers.push_back(nullptr);
    for (auto& variable : variables)
        env_pointers.push_back(variable.data());
    env_pointers.push_back(nullptr);
    const std::string out = output.string() + ".out";
    const std::string err = output.string() + ".err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, arg_pointers[0], &actions, nullptr, arg_pointers.data(),
                               env_pointers.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw std::system_error(rc, std::generic_category(), "posix_spawn " + argv[0]);
}

Child::~Child() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        wait();
    }
}

int Child::wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Child::out() const {
    return read(output_.string() + ".out");
}

std::string Child::err() const {
    return read(output_.string() + ".err");
}

} // namespace kerntune::test
