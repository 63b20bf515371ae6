// Client overhead per call against a zero-latency loopback server: request build, HTTP, parse,
// schema validation and transcript, for a 4 KB reply; then the same with 16 threads at once.
// Not run by ctest. Usage: llm_bench [calls]
#include "script_server.hpp"

#include "core/json/schema.hpp"
#include "core/llm/client.hpp"
#include "core/llm/dialect.hpp"
#include "core/llm/transcript.hpp"
#include "core/net/http_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace bj = boost::json;
namespace llm = kerntune::llm;
namespace net = kerntune::net;
namespace testing = kerntune::testing;
using Clock = std::chrono::steady_clock;

namespace {

// A 4 KB answer: a JSON object (so the structured path validates it) padded with text.
std::string answer_json() {
    std::string pad(3900, 'x');
    return R"({"block_size":128,"name":"tiled","notes":")" + pad + "\"}";
}

double micros(Clock::duration d) {
    return std::chrono::duration<double, std::micro>(d).count();
}

struct Stats {
    double mean_us;
    double p50_us;
    double p99_us;
};

Stats stats(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    double sum = 0;
    for (double s : samples)
        sum += s;
    return {sum / samples.size(), samples[samples.size() / 2],
            samples[std::min(samples.size() - 1, samples.size() * 99 / 100)]};
}

void report(const char* what, const Stats& s) {
    std::printf("%-52s mean %8.1f us   p50 %8.1f us   p99 %8.1f us\n", what, s.mean_us, s.p50_us,
                s.p99_us);
}

} // namespace

int main(int argc, char** argv) {
    const int calls = argc > 1 ? std::max(10, std::atoi(argv[1])) : 2000;
    const std::string reply_body = testing::ScriptServer::openai_reply(answer_json());
    const std::string reply = testing::ScriptServer::response(200, reply_body);
    testing::ScriptServer server(
        [&](const testing::SeenRequest&, testing::ServerConn& c) { c.send(reply); });
    std::printf("reply body: %zu bytes; %d calls per measurement\n", reply_body.size(), calls);

    llm::LlmConfig config;
    config.base_url = server.url("/v1");
    config.model = "bench";
    config.api_key = "sk-bench";
    config.structured_mode = llm::StructuredMode::json_schema;
    const bj::value schema = bj::parse(
        R"({"type":"object","required":["block_size","name"],"properties":{"block_size":{"type":"integer"},"name":{"type":"string"},"notes":{"type":"string"}}})");
    llm::ChatRequest request;
    request.messages = {
        {"system", "You tune GPU kernels."},
        {"user", "Propose tuning parameters for this kernel: " + std::string(1000, 'k')}};

    // 1. The raw loopback round trip (Beast client alone): the floor under every call.
    {
        net::HttpClient http(config.http);
        const auto endpoint = llm::make_endpoint(config);
        const auto http_request = llm::build_request(config, endpoint, request, false);
        std::vector<double> samples;
        for (int i = 0; i < calls; ++i) {
            const auto start = Clock::now();
            http.send(http_request);
            samples.push_back(micros(Clock::now() - start));
        }
        report("HTTP round trip only (loopback floor)", stats(samples));
    }
    // 2. CPU work of one call without I/O: build + parse + think split + validate.
    {
        const auto endpoint = llm::make_endpoint(config);
        const auto validator = kerntune::JsonSchema::parse(bj::serialize(schema));
        std::vector<double> samples;
        for (int i = 0; i < calls; ++i) {
            const auto start = Clock::now();
            const auto http_request = llm::build_request(config, endpoint, request, false);
            const auto body = bj::parse(reply_body);
            const auto result = llm::parse_reply(llm::Dialect::openai, body, config.think);
            const auto value = bj::parse(result.content);
            if (!validator.validate(value).empty() || http_request.body.empty())
                return 1;
            samples.push_back(micros(Clock::now() - start));
        }
        report("client CPU only: build+parse+validate (no I/O)", stats(samples));
    }
    // 3. Full calls through the client.
    llm::Client client(config);
    std::vector<double> plain, structured;
    for (int i = 0; i < calls; ++i) {
        auto start = Clock::now();
        client.chat(request);
        plain.push_back(micros(Clock::now() - start));
        start = Clock::now();
        client.chat_structured(request, schema);
        structured.push_back(micros(Clock::now() - start));
    }
    report("chat() end to end", stats(plain));
    report("chat_structured() end to end (validated)", stats(structured));
    // 4. With a transcript being recorded.
    {
        const auto path = std::filesystem::temp_directory_path() / "kerntune-bench.jsonl";
        std::filesystem::remove(path);
        auto recorder = std::make_shared<llm::RecordingTransport>(
            std::make_shared<net::HttpClient>(config.http), path.string(),
            std::vector<std::string>{config.api_key});
        llm::Client recording(config, recorder);
        std::vector<double> samples;
        for (int i = 0; i < calls; ++i) {
            const auto start = Clock::now();
            recording.chat_structured(request, schema);
            samples.push_back(micros(Clock::now() - start));
        }
        report("chat_structured() + transcript recording", stats(samples));
        std::filesystem::remove(path);
    }
    // 5. 16 threads on one client.
    {
        constexpr int threads = 16;
        const int per_thread = std::max(1, calls / threads);
        std::vector<std::vector<double>> samples(threads);
        const auto start = Clock::now();
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (int i = 0; i < per_thread; ++i) {
                    const auto s = Clock::now();
                    client.chat_structured(request, schema);
                    samples[t].push_back(micros(Clock::now() - s));
                }
            });
        for (auto& t : pool)
            t.join();
        const double wall = micros(Clock::now() - start);
        std::vector<double> all;
        for (auto& s : samples)
            all.insert(all.end(), s.begin(), s.end());
        report("chat_structured() latency, 16 concurrent threads", stats(all));
        std::printf("%-52s %8.1f calls/s (%.1f us of wall per call)\n",
                    "16 concurrent threads throughput", all.size() / (wall / 1e6),
                    wall / all.size());
    }
    std::printf("hardware threads: %u\n", std::thread::hardware_concurrency());
    return 0;
}
