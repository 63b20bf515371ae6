#include "host/services/test_store.hpp"

#include "core/cache/sha256.hpp"
#include "core/testspec/json_reader.hpp"
#include "core/testspec/parse_spec.hpp"
#include "core/testspec/resolve.hpp"

#include <boost/json/serialize.hpp>

#include <mutex>

namespace kerntune::host {
namespace {

// A file reference must name a file now, while the one who registers the spec can still fix it.
void check_file(const NpyValues& npy, const std::string& pointer,
                const std::filesystem::path& data_dir) {
    const std::filesystem::path path = data_dir / npy.path; // an absolute npy.path wins
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw TestSpecError(pointer, "the file '" + path.string() +
                                         "' does not exist; a relative path is relative to the "
                                         "working directory of kerntune (" +
                                         data_dir.string() + ")");
}

// Whether the spec reads files, so that its data depends on the folder they are found in.
bool names_files(const TestSpec& spec) {
    for (const auto& arg : spec.args)
        if (const auto* array = std::get_if<ArrayArgument>(&arg.kind))
            if (std::holds_alternative<NpyValues>(array->values))
                return true;
    for (const auto& output : spec.outputs)
        if (std::holds_alternative<NpyValues>(output.reference))
            return true;
    return false;
}

RegisteredTest check_spec(const boost::json::value& value, const std::filesystem::path& data_dir) {
    RegisteredTest test;
    test.spec = parse_test_spec(value);
    resolve_test_spec(test.spec);
    for (std::size_t i = 0; i < test.spec.args.size(); ++i)
        if (const auto* array = std::get_if<ArrayArgument>(&test.spec.args[i].kind))
            if (const auto* npy = std::get_if<NpyValues>(&array->values))
                check_file(*npy, spec_json::child("/args", i) + "/values/npy", data_dir);
    for (std::size_t i = 0; i < test.spec.outputs.size(); ++i)
        if (const auto* npy = std::get_if<NpyValues>(&test.spec.outputs[i].reference))
            check_file(*npy, spec_json::child("/outputs", i) + "/reference/npy", data_dir);
    test.data_dir = data_dir;
    Sha256 hash;
    hash.field(boost::json::serialize(value));
    if (names_files(test.spec))
        hash.field(data_dir.string());
    test.id = "t-" + hash.hex().substr(0, 16);
    return test;
}

} // namespace

std::vector<std::string> TestStore::add(const boost::json::value& specs,
                                        const std::filesystem::path& data_dir) {
    if (!specs.is_array() || specs.get_array().empty())
        throw KindedError(ErrorKind::invalid_argument,
                          "expected a non-empty JSON array of test specs (docs/test-spec.md)");
    std::vector<std::shared_ptr<const RegisteredTest>> checked;
    const auto& array = specs.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        try {
            checked.push_back(
                std::make_shared<const RegisteredTest>(check_spec(array[i], data_dir)));
        } catch (const TestSpecError& e) {
            throw TestSpecError(spec_json::child("", i) + e.pointer(), e.problem());
        }
    }
    std::vector<std::string> ids;
    std::unique_lock lock(mutex_);
    for (auto& test : checked) {
        ids.push_back(test->id);
        if (tests_.emplace(test->id, test).second)
            order_.push_back(test->id);
    }
    return ids;
}

std::shared_ptr<const RegisteredTest> TestStore::find(std::string_view id) const {
    std::shared_lock lock(mutex_);
    const auto it = tests_.find(id);
    return it == tests_.end() ? nullptr : it->second;
}

std::vector<std::string> TestStore::ids() const {
    std::shared_lock lock(mutex_);
    return order_;
}

} // namespace kerntune::host
