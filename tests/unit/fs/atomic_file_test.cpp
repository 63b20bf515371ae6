// Writing files: whole or not at all, and never over a user's file unless asked.
#include "core/fs/atomic_file.hpp"
#include "tests/support/file_text.hpp"
#include "tests/support/kinded_error_of.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <iterator>

namespace kerntune::test {
namespace {

std::size_t entries(const std::filesystem::path& dir) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                  std::filesystem::directory_iterator()));
}

} // namespace

BOOST_AUTO_TEST_SUITE(atomic_file)

BOOST_AUTO_TEST_CASE(an_existing_file_is_left_alone_unless_replacing_is_asked) {
    TempDir dir;
    const auto file = dir.write("report.html", "mine");
    const std::string message = testing::error_of(
        [&] { write_file_atomically(file, "new", false); }, ErrorKind::invalid_argument);
    BOOST_TEST(message.find("already exists; kerntune leaves it alone") != std::string::npos);
    BOOST_TEST(read_file(file) == "mine");
    write_file_atomically(file, "new", true);
    BOOST_TEST(read_file(file) == "new");
    BOOST_TEST(entries(dir.path) == 1u); // no temporary file is left behind
}

BOOST_AUTO_TEST_CASE(a_new_file_is_written_whole) {
    TempDir dir;
    const std::string text(100000, 'x');
    write_file_atomically(dir.path / "page.html", text, false);
    BOOST_TEST(read_file(dir.path / "page.html") == text);
    BOOST_TEST(entries(dir.path) == 1u);
}

BOOST_AUTO_TEST_CASE(a_missing_folder_is_named) {
    TempDir dir;
    const std::string message = testing::error_of(
        [&] { write_file_atomically(dir.path / "no/such.html", "x", true); }, ErrorKind::not_found);
    BOOST_TEST(message.find("does the folder exist?") != std::string::npos, message);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
