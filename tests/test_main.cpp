#define BOOST_TEST_MODULE kerntune
#include <boost/test/unit_test.hpp>
