#pragma once
// The workflow's own LLM and test-runner calls. They go through the same service tables as a
// plugin's, so the call journal, the transcript and the observers see them too.

#include <kerntune/plugin_api.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace kerntune::workflow {

// The reply's text. Throws KindedError of the service's error kind.
std::string chat(kt_llm* llm, const boost::json::array& messages);
// The reply, validated against `schema`. Throws KindedError (wrong_structure and the others).
boost::json::value chat_structured(kt_llm* llm, const boost::json::array& messages,
                                   const boost::json::value& schema);
// kerntune.test_runner/1 run_tests. Throws KindedError of the runner's error kind.
boost::json::value run_tests(kt_test_runner* runner, const boost::json::object& request);

} // namespace kerntune::workflow
