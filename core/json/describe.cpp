#include "core/json/describe.hpp"

#include <boost/json/serialize.hpp>

namespace kerntune {

std::string describe_json(const boost::json::value& value) {
    switch (value.kind()) {
    case boost::json::kind::object:
        return "an object";
    case boost::json::kind::array:
        return "an array";
    case boost::json::kind::string:
        return "a string";
    case boost::json::kind::bool_:
        return "a boolean";
    case boost::json::kind::null:
        return "null";
    default:
        return "the number " + boost::json::serialize(value);
    }
}

} // namespace kerntune
