// The separately compiled parts of Asio, Asio SSL and Beast, built once for the whole project
// (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are PUBLIC definitions of
// kerntune_core).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
