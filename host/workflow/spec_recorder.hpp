#pragma once
// Keeps a copy of every test spec registered during a run in RUN_DIR/tests/<id>.json, so that
// the report can show it and `kerntune resume` can register it again after the process that
// registered it is gone. While a SpecRecorder lives, the kerntune.test_runner/1 table that
// plugins get is the host's with register_tests wrapped.

#include "host/workflow/run_dir.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace kerntune::workflow {

class SpecRecorder {
public:
    // One recorder at a time: the table is the process's.
    explicit SpecRecorder(const RunDir& run_dir);
    ~SpecRecorder();
    SpecRecorder(const SpecRecorder&) = delete;
    SpecRecorder& operator=(const SpecRecorder&) = delete;

    // Writes tests/<id>.json for each spec of `specs` (a JSON array) and its id.
    void record(const boost::json::value& specs, const std::vector<std::string>& ids) const;

private:
    const RunDir& run_dir_;
};

} // namespace kerntune::workflow
