#pragma once
// The tests of one run, as kerntune.test_runner/1 registers them: each spec is checked when it
// arrives and kept under an id derived from its content, so the state and the plugins carry only
// ids. Thread-safe: registrations and lookups may come from any thread.

#include "core/testspec/spec.hpp"

#include <boost/json/value.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune::host {

struct RegisteredTest {
    std::string id;
    TestSpec spec;
    // Where the spec's relative .npy paths lead: the working directory when it was registered.
    std::filesystem::path data_dir;
};

class TestStore {
public:
    // Checks every spec of `specs`, a JSON array of test-spec objects (docs/test-spec.md), and
    // stores them all, or none when one is wrong. A spec must parse, its expressions must
    // evaluate and every .npy file it names must exist. Throws TestSpecError (invalid_test) at
    // "/<index in the array><pointer in the spec>", and KindedError(invalid_argument) when
    // `specs` is not a non-empty array. Returns the ids in order: "t-" and 16 hex digits of a hash
    // of the spec (and of `data_dir` when it names files), so a spec registered again gets the
    // same id.
    std::vector<std::string> add(const boost::json::value& specs,
                                 const std::filesystem::path& data_dir);

    // The test with this id, or null.
    std::shared_ptr<const RegisteredTest> find(std::string_view id) const;

    // Every id, in the order first registered.
    std::vector<std::string> ids() const;

private:
    mutable std::shared_mutex mutex_;
    std::map<std::string, std::shared_ptr<const RegisteredTest>, std::less<>> tests_;
    std::vector<std::string> order_;
};

} // namespace kerntune::host
