#pragma once
// An OpenAI-compatible LLM on loopback that answers by what is asked: a structured request is
// routed by the top-level property names of its schema ("problem_size", "code,
// tunable_parameters"), a free-text one by "text". It records every chat request, so a test can
// tell which were answered, and can leave one unanswered (a process killed mid-call).

#include "script_server.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kerntune::test {

struct ChatSeen {
    std::string route;
    std::string body;
    boost::json::array messages;
    bool answered = false;
};

class ScriptedLlm {
public:
    // For each route, the replies in order; the last one answers every later request.
    using Replies = std::map<std::string, std::vector<std::string>>;
    // Called before answering; false: no reply, and the connection stays open (for a caller
    // that is being killed, which must not see a failure it could retry).
    using BeforeReply = std::function<bool(const std::string& route)>;

    explicit ScriptedLlm(Replies replies)
        : replies_(std::move(replies)),
          server_([this](const testing::SeenRequest& request, testing::ServerConn& conn) {
              serve(request, conn);
          }) {}

    std::string url() const { return server_.url(); }

    void before_reply(BeforeReply hook) {
        const std::lock_guard lock(mutex_);
        before_reply_ = std::move(hook);
    }

    std::vector<ChatSeen> chats() const {
        const std::lock_guard lock(mutex_);
        return chats_;
    }

    // The route of a chat request body: the schema's property names, sorted and joined by ", ",
    // or "text" for a request without a schema.
    static std::string route_of(const boost::json::object& body) {
        const boost::json::value* schema = nullptr;
        if (const auto* format = body.if_contains("response_format"))
            if (const auto* named = format->as_object().if_contains("json_schema"))
                schema = named->as_object().if_contains("schema");
        if (const auto* tools = body.if_contains("tools"); !schema && tools)
            schema = tools->as_array().at(0).at("function").as_object().if_contains("parameters");
        if (!schema)
            return "text";
        std::vector<std::string> names;
        for (const auto& [name, _] : schema->at("properties").as_object())
            names.emplace_back(name);
        std::sort(names.begin(), names.end());
        std::string route;
        for (const auto& name : names)
            route += (route.empty() ? "" : ", ") + name;
        return route;
    }

private:
    void serve(const testing::SeenRequest& request, testing::ServerConn& conn) {
        if (request.method == "GET") {
            conn.send(testing::ScriptServer::response(
                200, R"({"object":"list","data":[{"id":"test-model","object":"model"}]})"));
            return;
        }
        const auto body = boost::json::parse(request.body).as_object();
        const std::string route = route_of(body);
        std::string content;
        BeforeReply hook;
        std::size_t index = 0;
        {
            const std::lock_guard lock(mutex_);
            chats_.push_back({route, request.body, body.at("messages").as_array(), false});
            index = chats_.size() - 1;
            hook = before_reply_;
            const auto found = replies_.find(route);
            if (found != replies_.end()) {
                auto& used = used_[route];
                content = found->second.at(std::min(used, found->second.size() - 1));
                ++used;
            }
        }
        if (hook && !hook(route))
            return;
        if (content.empty()) {
            conn.send(testing::ScriptServer::response(
                400, R"({"error":{"message":"the script has no reply for )" + route + "\"}}"));
            return;
        }
        const boost::json::object reply{
            {"id", "chatcmpl-" + std::to_string(index)},
            {"object", "chat.completion"},
            {"model", "test-model"},
            {"choices", boost::json::array{boost::json::object{
                            {"index", 0},
                            {"message", {{"role", "assistant"}, {"content", content}}},
                            {"finish_reason", "stop"}}}},
            {"usage", {{"prompt_tokens", 100}, {"completion_tokens", 20}, {"total_tokens", 120}}}};
        conn.send(testing::ScriptServer::response(200, boost::json::serialize(reply)));
        const std::lock_guard lock(mutex_);
        chats_[index].answered = true;
    }

    mutable std::mutex mutex_;
    Replies replies_;
    std::map<std::string, std::size_t> used_;
    BeforeReply before_reply_;
    std::vector<ChatSeen> chats_;
    testing::ScriptServer server_;
};

} // namespace kerntune::test
