#include "host/services/call_journal.hpp"

#include "core/cache/sha256.hpp"
#include "core/llm/json_util.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace kerntune::host {
namespace {
namespace json = boost::json;

constexpr std::string_view format_name = "kerntune-journal";
constexpr std::int64_t format_version = 1;

std::string header_line() {
    return json::serialize(json::object{{"format", format_name}, {"version", format_version}}) +
           "\n";
}

[[noreturn]] void io_failure(const std::filesystem::path& path, const std::string& what,
                             int error) {
    throw KindedError(ErrorKind::internal, "call journal '" + path.string() + "': " + what + ": " +
                                               std::strerror(error) +
                                               "; check the run directory's permissions and "
                                               "free space");
}

[[noreturn]] void not_a_journal(const std::filesystem::path& path, std::size_t line,
                                const std::string& problem) {
    throw KindedError(ErrorKind::invalid_argument, "call journal '" + path.string() + "', line " +
                                                       std::to_string(line) + ": " + problem);
}

void write_all(int fd, const std::filesystem::path& path, std::string_view bytes) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            io_failure(path, "cannot append", errno);
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0)
        io_failure(path, "cannot flush", errno);
}

std::string read_all(int fd, const std::filesystem::path& path) {
    std::string text;
    char chunk[65536];
    while (true) {
        const ssize_t n = ::pread(fd, chunk, sizeof chunk, static_cast<off_t>(text.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            io_failure(path, "cannot read", errno);
        if (n == 0)
            return text;
        text.append(chunk, static_cast<std::size_t>(n));
    }
}

// The number tokens of JSON text, in document order.
std::vector<std::string_view> number_tokens(std::string_view text) {
    std::vector<std::string_view> tokens;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\')
                    ++i;
            ++i;
        } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
            const std::size_t start = i;
            while (i < text.size() && std::strchr("+-.eE0123456789", text[i]) != nullptr)
                ++i;
            tokens.push_back(text.substr(start, i - start));
        } else {
            ++i;
        }
    }
    return tokens;
}

// Replaces every double of `value` by the correctly rounded value of its token: Boost.JSON's
// parser may be one unit in the last place off, and a replayed answer must be the same number.
void exact_doubles(json::value& value, const std::vector<std::string_view>& tokens,
                   std::size_t& next) {
    switch (value.kind()) {
    case json::kind::object:
        for (auto& member : value.get_object())
            exact_doubles(member.value(), tokens, next);
        break;
    case json::kind::array:
        for (auto& element : value.get_array())
            exact_doubles(element, tokens, next);
        break;
    case json::kind::double_: {
        const std::string_view token = tokens.at(next);
        std::from_chars(token.data(), token.data() + token.size(), value.get_double());
        ++next;
        break;
    }
    case json::kind::int64:
    case json::kind::uint64:
        ++next;
        break;
    default:
        break;
    }
}

// Only errors that follow from the request itself; the others may not recur on a resume.
bool recordable(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::cancelled:
    case ErrorKind::unavailable:
    case ErrorKind::llm_unavailable:
    case ErrorKind::internal:
        return false;
    default:
        return true;
    }
}

const json::value& member(const json::object& record, std::string_view key,
                          const std::filesystem::path& path, std::size_t line) {
    const auto* value = record.if_contains(key);
    if (!value)
        not_a_journal(path, line, "the record has no \"" + std::string(key) + "\"");
    return *value;
}

std::string text_member(const json::object& record, std::string_view key,
                        const std::filesystem::path& path, std::size_t line) {
    const auto& value = member(record, key, path, line);
    if (!value.is_string())
        not_a_journal(path, line, "\"" + std::string(key) + "\" is not a string");
    return std::string(value.get_string());
}

} // namespace

JournalAnswer capture(const std::function<json::value()>& run) {
    JournalAnswer answer;
    try {
        answer.result = run();
    } catch (const KindedError& e) {
        answer.error = e;
    } catch (const std::invalid_argument& e) {
        answer.error.emplace(ErrorKind::invalid_argument, e.what());
    } catch (const std::exception& e) {
        answer.error.emplace(ErrorKind::internal, e.what());
    }
    return answer;
}

JournalAnswer journaled_call(CallJournal* journal, std::string_view function,
                             const json::value& request, const std::function<json::value()>& run) {
    return journal ? journal->call(function, request, run) : capture(run);
}

const json::value& JournalAnswer::value() const {
    if (error)
        throw *error;
    return *result;
}

CallJournal::CallJournal(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0)
        io_failure(path_, "cannot open", errno);
    try {
        load();
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

CallJournal::~CallJournal() {
    ::close(fd_);
}

void CallJournal::load() {
    const std::string text = read_all(fd_, path_);
    const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    const std::string_view torn = std::string_view(text).substr(complete);
    if (complete == 0 && !header_line().starts_with(torn))
        not_a_journal(path_, 1,
                      "this is not a kerntune call journal (it does not begin with " +
                          header_line().substr(0, header_line().size() - 1) +
                          "); give the journal.jsonl of a run directory, or move this file away");
    if (!torn.empty() && ::ftruncate(fd_, static_cast<off_t>(complete)) != 0)
        io_failure(path_, "cannot cut off the torn last line", errno);
    if (complete == 0) {
        write_all(fd_, path_, header_line());
        return;
    }

    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < complete) {
        const std::size_t end = text.find('\n', start);
        const std::string_view line(text.data() + start, end - start);
        start = end + 1;
        ++line_number;
        boost::system::error_code ec;
        json::value value = json::parse(line, ec);
        if (!ec) {
            std::size_t next = 0;
            exact_doubles(value, number_tokens(line), next);
        }
        if (ec || !value.is_object())
            not_a_journal(path_, line_number,
                          line_number == 1
                              ? "this is not a kerntune call journal (its first line is not "
                                "JSON); give the journal.jsonl of a run directory, or move this "
                                "file away"
                              : "the line is not a JSON object; the file was edited or damaged: "
                                "delete it to measure and ask again from the checkpoint");
        const auto& record = value.get_object();
        if (line_number == 1) {
            const auto* format = record.if_contains("format");
            const auto* version = record.if_contains("version");
            if (!format || *format != json::value(format_name))
                not_a_journal(path_, 1,
                              "this is not a kerntune call journal (\"format\" is not \"" +
                                  std::string(format_name) +
                                  "\"); give the journal.jsonl of a run directory, or move this "
                                  "file away");
            if (!version || *version != json::value(format_version))
                not_a_journal(path_, 1,
                              "the journal has version " +
                                  (version ? json::serialize(*version) : std::string("(none)")) +
                                  ", and this kerntune reads version 1; resume the run with the "
                                  "kerntune that started it");
            continue;
        }
        const auto& occurrence = member(record, "occurrence", path_, line_number);
        if (!occurrence.is_int64() || occurrence.get_int64() < 0)
            not_a_journal(path_, line_number, "\"occurrence\" is not a count");
        Key key{text_member(record, "function", path_, line_number),
                text_member(record, "key", path_, line_number),
                static_cast<std::size_t>(occurrence.get_int64())};
        JournalAnswer answer;
        answer.replayed = true;
        if (const auto* result = record.if_contains("result")) {
            answer.result = *result;
        } else {
            const auto& error = member(record, "error", path_, line_number);
            if (!error.is_object())
                not_a_journal(path_, line_number, "\"error\" is not an object");
            const std::string kind_name =
                text_member(error.get_object(), "kind", path_, line_number);
            const auto kind = parse_error_kind(kind_name);
            if (!kind)
                not_a_journal(path_, line_number, "unknown error kind \"" + kind_name + "\"");
            answer.error.emplace(*kind,
                                 text_member(error.get_object(), "message", path_, line_number));
        }
        answers_.emplace(std::move(key), std::move(answer));
    }
}

void CallJournal::append(const Key& key, const JournalAnswer& answer) {
    json::object record{{"function", std::get<0>(key)},
                        {"key", std::get<1>(key)},
                        {"occurrence", std::get<2>(key)}};
    if (answer.error)
        record["error"] =
            json::object{{"kind", name(answer.error->kind())}, {"message", answer.error->what()}};
    else
        record["result"] = *answer.result;
    write_all(fd_, path_, json::serialize(record) + "\n");
}

JournalAnswer CallJournal::call(std::string_view function, const json::value& request,
                                const std::function<json::value()>& run) {
    std::unique_lock lock(mutex_);
    const std::string hash = sha256_hex(llm::canonical_json(request));
    const Key key{std::string(function), hash, occurrences_[{std::string(function), hash}]++};
    if (const auto found = answers_.find(key); found != answers_.end())
        return found->second;
    lock.unlock();

    const JournalAnswer answer = capture(run);
    if (answer.error && !recordable(answer.error->kind()))
        return answer;
    lock.lock();
    append(key, answer);
    answers_.emplace(key, answer);
    return answer;
}

std::size_t CallJournal::size() const {
    std::lock_guard lock(mutex_);
    return answers_.size();
}

} // namespace kerntune::host
