#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace kerntune {

// What a JSON value is, for error messages: "an object", "a string", "null", "the number 3"...
std::string describe_json(const boost::json::value& value);

} // namespace kerntune
