#include "core/worker/protocol.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstring>

namespace kerntune::worker {
namespace {
namespace json = boost::json;

const json::value& field(const json::object& object, std::string_view name,
                         std::string_view where) {
    const auto* value = object.if_contains(name);
    if (!value)
        throw ProtocolError(std::string(where) + " lacks its field \"" + std::string(name) + "\"");
    return *value;
}

std::string text_field(const json::object& object, std::string_view name, std::string_view where) {
    const auto& value = field(object, name, where);
    if (!value.is_string())
        throw ProtocolError(std::string(where) + "'s field \"" + std::string(name) +
                            "\" is not a string");
    return std::string(value.get_string());
}

double number_field(const json::object& object, std::string_view name, std::string_view where) {
    const auto& value = field(object, name, where);
    if (!value.is_number())
        throw ProtocolError(std::string(where) + "'s field \"" + std::string(name) +
                            "\" is not a number");
    return value.to_number<double>();
}

const json::array& array_field(const json::object& object, std::string_view name,
                               std::string_view where) {
    const auto& value = field(object, name, where);
    if (!value.is_array())
        throw ProtocolError(std::string(where) + "'s field \"" + std::string(name) +
                            "\" is not an array");
    return value.get_array();
}

const json::object& object_of(const json::value& value, std::string_view where) {
    if (!value.is_object())
        throw ProtocolError(std::string(where) + " is not a JSON object");
    return value.get_object();
}

std::int64_t integer_of(const json::value& value, std::string_view where) {
    if (value.is_int64())
        return value.get_int64();
    if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(value.get_uint64());
    throw ProtocolError(std::string(where) + " is not a whole number");
}

std::int64_t integer_field(const json::object& object, std::string_view name,
                           std::string_view where) {
    return integer_of(field(object, name, where),
                      std::string(where) + "'s field \"" + std::string(name) + "\"");
}

json::array dim3_json(const Dim3& dims) {
    json::array out;
    for (auto d : dims)
        out.push_back(d);
    return out;
}

Dim3 dim3_from(const json::array& array, std::string_view where) {
    if (array.size() != 3)
        throw ProtocolError(std::string(where) + " has " + std::to_string(array.size()) +
                            " extents instead of 3");
    Dim3 dims{};
    for (std::size_t i = 0; i < 3; ++i)
        dims[i] = integer_of(array[i], where);
    return dims;
}

json::array strings_json(const std::vector<std::string>& strings) {
    json::array out;
    for (const auto& s : strings)
        out.push_back(json::string(s));
    return out;
}

json::array shape_json(const std::vector<std::int64_t>& shape) {
    json::array out;
    for (auto extent : shape)
        out.push_back(extent);
    return out;
}

std::vector<std::int64_t> shape_from(const json::array& array, std::string_view where) {
    std::vector<std::int64_t> shape;
    for (const auto& extent : array) {
        shape.push_back(integer_of(extent, where));
        if (shape.back() < 0)
            throw ProtocolError(std::string(where) + " has a negative extent");
    }
    return shape;
}

DType dtype_from(const json::object& object, std::string_view where) {
    const std::string name = text_field(object, "type", where);
    const auto type = parse_dtype(name);
    if (!type)
        throw ProtocolError(std::string(where) + " has the unknown element type \"" + name + "\"");
    return *type;
}

// A buffer's type and shape; its bytes travel as an attachment.
json::object buffer_json(const HostBuffer& buffer) {
    json::object out;
    out["type"] = std::string(name(buffer.dtype()));
    out["shape"] = shape_json(buffer.shape());
    return out;
}

HostBuffer buffer_from(const json::object& meta, const std::string& bytes, std::string_view where) {
    HostBuffer buffer(dtype_from(meta, where),
                      shape_from(array_field(meta, "shape", where), where));
    if (bytes.size() != buffer.size_bytes())
        throw ProtocolError(std::string(where) + " declares " +
                            std::to_string(buffer.size_bytes()) + " bytes but carries " +
                            std::to_string(bytes.size()));
    if (!bytes.empty())
        std::memcpy(buffer.data(), bytes.data(), bytes.size());
    return buffer;
}

std::string bytes_of(const HostBuffer& buffer) {
    return std::string(reinterpret_cast<const char*>(buffer.data()), buffer.size_bytes());
}

const std::string& attachment(const Frame& frame, std::size_t index, std::string_view where) {
    if (index >= frame.attachments.size())
        throw ProtocolError(std::string(where) + " carries " +
                            std::to_string(frame.attachments.size()) + " attachments, not " +
                            std::to_string(index + 1) + " or more");
    return frame.attachments[index];
}

Frame typed(std::string_view type) {
    Frame frame;
    frame.header["type"] = type;
    return frame;
}

std::optional<RunError::Cause> parse_cause(std::string_view text) {
    if (text == "runtime")
        return RunError::Cause::runtime;
    if (text == "resources")
        return RunError::Cause::resources;
    if (text == "fatal")
        return RunError::Cause::fatal;
    return std::nullopt;
}

std::string_view cause_name(RunError::Cause cause) {
    switch (cause) {
    case RunError::Cause::resources:
        return "resources";
    case RunError::Cause::fatal:
        return "fatal";
    case RunError::Cause::runtime:
        break;
    }
    return "runtime";
}

} // namespace

std::string_view message_type(const Frame& frame) {
    const auto* type = frame.header.if_contains("type");
    if (!type || !type->is_string())
        throw ProtocolError("a message has no \"type\"");
    return type->get_string();
}

double busy_ms(const Frame& reply) {
    return number_field(reply.header, "busy_ms", "a device reply");
}

Frame with_busy_ms(Frame reply, double busy) {
    reply.header["busy_ms"] = busy;
    return reply;
}

Frame error_frame(const std::exception& error) {
    Frame frame = typed("error");
    frame.header["message"] = error.what();
    if (const auto* kinded = dynamic_cast<const KindedError*>(&error)) {
        frame.header["kind"] = std::string(name(kinded->kind()));
        if (const auto* run = dynamic_cast<const RunError*>(&error))
            frame.header["cause"] = std::string(cause_name(run->cause()));
    } else {
        frame.header["kind"] = std::string(name(ErrorKind::internal));
    }
    return frame;
}

const Frame& expect(const Frame& reply, std::string_view type) {
    const std::string_view got = message_type(reply);
    if (got == type)
        return reply;
    if (got != "error")
        throw ProtocolError("expected a \"" + std::string(type) + "\" message, got \"" +
                            std::string(got) + "\"");
    const std::string message = text_field(reply.header, "message", "an error reply");
    const std::string kind_name = text_field(reply.header, "kind", "an error reply");
    const auto kind = parse_error_kind(kind_name);
    if (!kind)
        throw ProtocolError("an error reply has the unknown kind \"" + kind_name + "\"");
    if (const auto* cause = reply.header.if_contains("cause")) {
        const auto parsed = cause->is_string() ? parse_cause(cause->get_string()) : std::nullopt;
        if (!parsed)
            throw ProtocolError("an error reply has an unknown cause");
        throw RunError(message, *parsed);
    }
    throw KindedError(*kind, message);
}

FrameLimits device_frame_limits(const DeviceDescription& device) {
    FrameLimits limits;
    limits.max_frame_bytes =
        std::max(limits.max_frame_bytes, device.global_mem_bytes + (std::uint64_t{64} << 20));
    return limits;
}

Frame hello_frame(const DeviceDescription& device) {
    json::object limits;
    if (device.limits.max_threads_per_block)
        limits["max_threads_per_block"] = *device.limits.max_threads_per_block;
    if (device.limits.max_block_dims)
        limits["max_block_dims"] = dim3_json(*device.limits.max_block_dims);
    json::object out;
    out["backend"] = device.backend;
    out["name"] = device.name;
    out["key"] = device.key;
    out["compile_target"] = device.compile_target;
    out["limits"] = std::move(limits);
    out["global_mem_bytes"] = device.global_mem_bytes;
    out["max_alloc_bytes"] = device.max_alloc_bytes;
    Frame frame = typed("hello");
    frame.header["device"] = std::move(out);
    return frame;
}

Frame compiler_hello_frame() {
    return typed("hello");
}

DeviceDescription device_from_hello(const Frame& hello) {
    constexpr std::string_view where = "the worker's hello";
    const auto& in = object_of(field(expect(hello, "hello").header, "device", where), where);
    DeviceDescription device;
    device.backend = text_field(in, "backend", where);
    device.name = text_field(in, "name", where);
    device.key = text_field(in, "key", where);
    device.compile_target = text_field(in, "compile_target", where);
    const auto& limits = object_of(field(in, "limits", where), where);
    if (limits.contains("max_threads_per_block"))
        device.limits.max_threads_per_block = integer_field(limits, "max_threads_per_block", where);
    if (limits.contains("max_block_dims"))
        device.limits.max_block_dims =
            dim3_from(array_field(limits, "max_block_dims", where), where);
    device.global_mem_bytes =
        static_cast<std::uint64_t>(integer_field(in, "global_mem_bytes", where));
    device.max_alloc_bytes =
        static_cast<std::uint64_t>(integer_field(in, "max_alloc_bytes", where));
    return device;
}

Frame compile_frame(const CompileRequest& request) {
    json::array defines;
    for (const auto& [name, value] : request.defines) {
        json::array pair;
        pair.push_back(json::string(name));
        pair.push_back(json::string(value));
        defines.push_back(std::move(pair));
    }
    Frame frame = typed("compile");
    frame.header["kernel_name"] = request.kernel_name;
    frame.header["defines"] = std::move(defines);
    frame.header["options"] = strings_json(request.options);
    frame.attachments.push_back(request.source);
    return frame;
}

CompileRequest compile_request_from(const Frame& frame) {
    constexpr std::string_view where = "a compile request";
    CompileRequest request;
    request.kernel_name = text_field(frame.header, "kernel_name", where);
    for (const auto& define : array_field(frame.header, "defines", where)) {
        const auto* pair = define.if_array();
        if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string())
            throw ProtocolError("a compile request has a define that is not a [name, value] pair");
        request.defines.emplace_back((*pair)[0].get_string(), (*pair)[1].get_string());
    }
    for (const auto& option : array_field(frame.header, "options", where)) {
        if (!option.is_string())
            throw ProtocolError("a compile request has an option that is not a string");
        request.options.emplace_back(option.get_string());
    }
    request.source = attachment(frame, 0, where);
    return request;
}

Frame compiled_frame(const KernelBinary& binary) {
    Frame frame = typed("compiled");
    frame.header["format"] = binary.format;
    frame.header["entry"] = binary.entry;
    frame.header["log"] = binary.log;
    frame.header["compile_ms"] = binary.compile_ms;
    frame.attachments.push_back(binary.bytes);
    return frame;
}

Frame launch_frame(std::string_view type, const KernelBinary& binary, const LaunchShape& shape) {
    Frame frame = compiled_frame(binary);
    frame.header["type"] = type;
    frame.header["grid"] = dim3_json(shape.grid);
    frame.header["block"] = dim3_json(shape.block);
    return frame;
}

Frame measure_frame(const KernelBinary& binary, const LaunchShape& shape, int iterations,
                    bool verify_timed) {
    Frame frame = launch_frame("measure", binary, shape);
    frame.header["iterations"] = iterations;
    if (verify_timed)
        frame.header["verify_timed"] = true;
    return frame;
}

bool verify_timed_from(const Frame& request) {
    const auto* verify = request.header.if_contains("verify_timed");
    if (verify && !verify->is_bool())
        throw ProtocolError("a measure request's field \"verify_timed\" is not a boolean");
    return verify && verify->get_bool();
}

int iterations_from(const Frame& request) {
    const std::int64_t iterations =
        integer_field(request.header, "iterations", "a measure request");
    if (iterations < 1 || iterations > 1'000'000)
        throw ProtocolError("a measure request asks for " + std::to_string(iterations) +
                            " iterations; 1 to 1000000 are allowed");
    return static_cast<int>(iterations);
}

KernelBinary binary_from(const Frame& frame) {
    constexpr std::string_view where = "a compiled kernel";
    KernelBinary binary;
    binary.format = text_field(frame.header, "format", where);
    binary.entry = text_field(frame.header, "entry", where);
    binary.log = text_field(frame.header, "log", where);
    binary.compile_ms = number_field(frame.header, "compile_ms", where);
    binary.bytes = attachment(frame, 0, where);
    return binary;
}

LaunchShape shape_from(const Frame& frame) {
    constexpr std::string_view where = "a launch request";
    LaunchShape shape;
    shape.grid = dim3_from(array_field(frame.header, "grid", where), "its grid");
    shape.block = dim3_from(array_field(frame.header, "block", where), "its block");
    for (std::size_t d = 0; d < 3; ++d)
        if (shape.grid[d] < 1 || shape.block[d] < 1)
            throw ProtocolError("a launch request has a grid or block extent below 1");
    return shape;
}

Frame setup_frame(const TestSetup& setup) {
    json::array arguments;
    Frame frame = typed("setup");
    for (std::size_t i = 0; i < setup.arguments.size(); ++i) {
        json::object argument = buffer_json(setup.values.at(i));
        argument["name"] = setup.arguments[i].name;
        argument["scalar"] = setup.arguments[i].scalar;
        arguments.push_back(std::move(argument));
        frame.attachments.push_back(bytes_of(setup.values[i]));
    }
    json::array outputs;
    for (const auto& output : setup.outputs) {
        json::object rule;
        rule["argument"] = output.argument;
        rule["atol"] = output.tolerance.atol;
        rule["rtol"] = output.tolerance.rtol;
        outputs.push_back(std::move(rule));
    }
    frame.header["arguments"] = std::move(arguments);
    frame.header["outputs"] = std::move(outputs);
    return frame;
}

TestSetup setup_from(Frame frame) {
    constexpr std::string_view where = "a setup request";
    TestSetup setup;
    const auto& arguments = array_field(frame.header, "arguments", where);
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const auto& in = object_of(arguments[i], "an argument of a setup request");
        HostBuffer value = buffer_from(in, attachment(frame, i, where), where);
        ResolvedArgument argument;
        argument.name = text_field(in, "name", where);
        const auto& scalar = field(in, "scalar", where);
        if (!scalar.is_bool())
            throw ProtocolError("a setup request's argument has a \"scalar\" that is not true or "
                                "false");
        argument.scalar = scalar.get_bool();
        argument.type = value.dtype();
        argument.shape = value.shape();
        argument.elements = value.elements();
        argument.bytes = value.size_bytes();
        if (argument.scalar)
            argument.value = value.value_at(0);
        setup.arguments.push_back(std::move(argument));
        setup.values.push_back(std::move(value));
        frame.attachments[i].clear();
        frame.attachments[i].shrink_to_fit();
    }
    for (const auto& output : array_field(frame.header, "outputs", where)) {
        const auto& in = object_of(output, "an output of a setup request");
        OutputRule rule;
        const std::int64_t argument = integer_field(in, "argument", where);
        if (argument < 0 || static_cast<std::size_t>(argument) >= setup.arguments.size())
            throw ProtocolError("a setup request's output names argument " +
                                std::to_string(argument) + " of " +
                                std::to_string(setup.arguments.size()));
        rule.argument = static_cast<std::size_t>(argument);
        rule.tolerance.atol = number_field(in, "atol", where);
        rule.tolerance.rtol = number_field(in, "rtol", where);
        setup.outputs.push_back(rule);
    }
    return setup;
}

Frame references_frame(const std::map<std::size_t, HostBuffer>& references) {
    json::array entries;
    Frame frame = typed("references");
    for (const auto& [argument, values] : references) {
        json::object entry = buffer_json(values);
        entry["argument"] = argument;
        entries.push_back(std::move(entry));
        frame.attachments.push_back(bytes_of(values));
    }
    frame.header["references"] = std::move(entries);
    return frame;
}

std::map<std::size_t, HostBuffer> references_from(Frame frame) {
    constexpr std::string_view where = "a references request";
    std::map<std::size_t, HostBuffer> references;
    const auto& entries = array_field(frame.header, "references", where);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& in = object_of(entries[i], "a reference");
        const std::int64_t argument = integer_field(in, "argument", where);
        if (argument < 0)
            throw ProtocolError("a reference names a negative argument");
        references[static_cast<std::size_t>(argument)] =
            buffer_from(in, attachment(frame, i, where), where);
    }
    return references;
}

Frame ready_frame() {
    return typed("ready");
}

Frame checked_frame(const CheckReport& report) {
    Frame frame = typed("checked");
    frame.header["check_ms"] = report.check_ms;
    if (report.failure)
        frame.header["failure"] = *report.failure;
    return frame;
}

CheckReport check_report_from(const Frame& reply) {
    constexpr std::string_view where = "a checked reply";
    const Frame& checked = expect(reply, "checked");
    CheckReport report;
    report.check_ms = number_field(checked.header, "check_ms", where);
    if (checked.header.contains("failure"))
        report.failure = text_field(checked.header, "failure", where);
    return report;
}

Frame timed_frame(const Timing& timing, const std::optional<std::string>& failure) {
    json::array times;
    for (double t : timing.times_ms)
        times.push_back(t);
    Frame frame = typed("timed");
    frame.header["times_ms"] = std::move(times);
    frame.header["device_state"] = timing.device_state;
    if (failure)
        frame.header["failure"] = *failure;
    return frame;
}

std::optional<std::string> timed_failure_from(const Frame& reply) {
    const Frame& timed = expect(reply, "timed");
    if (!timed.header.contains("failure"))
        return std::nullopt;
    return text_field(timed.header, "failure", "a timed reply");
}

Timing timing_from(const Frame& reply) {
    constexpr std::string_view where = "a timed reply";
    const Frame& timed = expect(reply, "timed");
    Timing timing;
    for (const auto& t : array_field(timed.header, "times_ms", where)) {
        if (!t.is_number())
            throw ProtocolError("a timed reply has a time that is not a number");
        timing.times_ms.push_back(t.to_number<double>());
    }
    timing.device_state = object_of(field(timed.header, "device_state", where), where);
    return timing;
}

Frame outputs_frame(const std::vector<HostBuffer>& outputs) {
    json::array metas;
    Frame frame = typed("outputs");
    for (const auto& output : outputs) {
        metas.push_back(buffer_json(output));
        frame.attachments.push_back(bytes_of(output));
    }
    frame.header["outputs"] = std::move(metas);
    return frame;
}

std::vector<HostBuffer> outputs_from(Frame reply) {
    constexpr std::string_view where = "an outputs reply";
    expect(reply, "outputs");
    std::vector<HostBuffer> outputs;
    const auto& metas = array_field(reply.header, "outputs", where);
    for (std::size_t i = 0; i < metas.size(); ++i)
        outputs.push_back(
            buffer_from(object_of(metas[i], where), attachment(reply, i, where), where));
    return outputs;
}

} // namespace kerntune::worker
