// Boost.JSON's separately compiled part, built once for the whole project.
#include <boost/json/src.hpp>
