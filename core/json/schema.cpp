#include "core/json/schema.hpp"

#include <boost/json/parse.hpp>

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <stdexcept>

namespace kerntune {

JsonSchema JsonSchema::parse(std::string_view schema_text) {
    boost::system::error_code ec;
    const boost::json::value document = boost::json::parse(schema_text, ec);
    if (ec)
        throw std::invalid_argument("the schema is not valid JSON: " + ec.message());
    auto schema = std::make_shared<valijson::Schema>();
    try {
        valijson::SchemaParser parser;
        const valijson::adapters::BoostJsonAdapter adapter(document);
        parser.populateSchema(adapter, *schema);
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string("the schema is not a valid JSON Schema: ") +
                                    e.what());
    }
    JsonSchema result;
    result.schema_ = std::move(schema);
    return result;
}

std::vector<std::string> JsonSchema::validate(const boost::json::value& document) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    const valijson::adapters::BoostJsonAdapter adapter(document);
    std::vector<std::string> errors;
    if (validator.validate(*schema_, adapter, &results))
        return errors;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        std::string where;
        for (const auto& part : error.context)
            where += part;
        errors.push_back(where + ": " + error.description);
    }
    return errors;
}

} // namespace kerntune
