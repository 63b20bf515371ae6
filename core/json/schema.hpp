#pragma once
// JSON Schema (draft 7) validation through valijson: plugin option schemas now, LLM replies
// later.

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace valijson {
class Schema;
}

namespace kerntune {

class JsonSchema {
public:
    // Parses a schema; throws std::invalid_argument naming what is wrong with it.
    static JsonSchema parse(std::string_view schema_text);

    // Every violation as "<where>: <what>" (where is a path such as "<root>[block_sizes][0]");
    // empty when `document` is valid.
    std::vector<std::string> validate(const boost::json::value& document) const;

private:
    std::shared_ptr<const valijson::Schema> schema_;
};

} // namespace kerntune
