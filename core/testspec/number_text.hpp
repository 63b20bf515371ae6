#pragma once

#include <string>

namespace kerntune {

// The shortest text that reads back as the same double ("0.1", "1024", "1e-06", "nan"), for
// error messages and reports that people and LLMs read.
std::string number_text(double value);

} // namespace kerntune
