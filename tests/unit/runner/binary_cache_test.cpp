#include "core/runner/binary_cache.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>

namespace kerntune {
namespace {

CompileRequest request() {
    return CompileRequest{"__kernel void k() {}",
                          "k",
                          {{"block_size_x", "8"}, {"tile", "2"}},
                          {"-cl-fast-relaxed-math"}};
}

KernelBinary binary() {
    return KernelBinary{"opencl-binary", "k", std::string("\0\1binary\xff", 9), "a warning", 12.5};
}

} // namespace

BOOST_AUTO_TEST_SUITE(binary_cache)

BOOST_AUTO_TEST_CASE(a_stored_binary_is_found_again_with_every_field) {
    const test::TempDir dir;
    const BinaryCache cache(dir.path / "binaries");
    const std::string key = BinaryCache::key(request(), "opencl | 0:0 | PoCL");
    BOOST_TEST(!cache.find(key).has_value());
    cache.store(key, binary());
    const auto found = cache.find(key);
    BOOST_REQUIRE(found.has_value());
    BOOST_TEST(found->format == "opencl-binary");
    BOOST_TEST(found->entry == "k");
    BOOST_TEST(found->bytes == binary().bytes);
    BOOST_TEST(found->log == "a warning");
    BOOST_TEST(found->compile_ms == 12.5);
    // Stored under its key alone: the temporary file was renamed, not left behind.
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path / "binaries")) {
        BOOST_TEST(entry.path().filename().string() == key + ".ktbin");
        ++files;
    }
    BOOST_TEST(files == 1u);
}

BOOST_AUTO_TEST_CASE(every_input_of_the_binary_changes_the_key) {
    const std::string compiler = "opencl | 0:0 | PoCL";
    std::set<std::string> keys{BinaryCache::key(request(), compiler),
                               BinaryCache::key(request(), "opencl | 0:1 | PoCL")};
    auto changed = request();
    changed.source += " ";
    keys.insert(BinaryCache::key(changed, compiler));
    changed = request();
    changed.kernel_name = "k2";
    keys.insert(BinaryCache::key(changed, compiler));
    changed = request();
    changed.defines[1].second = "4";
    keys.insert(BinaryCache::key(changed, compiler));
    changed = request();
    std::swap(changed.defines[0], changed.defines[1]);
    keys.insert(BinaryCache::key(changed, compiler));
    changed = request();
    changed.options.clear();
    keys.insert(BinaryCache::key(changed, compiler));
    BOOST_TEST(keys.size() == 7u);
    BOOST_TEST(BinaryCache::key(request(), compiler) == BinaryCache::key(request(), compiler));
}

BOOST_AUTO_TEST_CASE(a_damaged_file_is_a_miss_and_the_next_store_replaces_it) {
    const test::TempDir dir;
    const BinaryCache cache(dir.path);
    const std::string key = BinaryCache::key(request(), "c");
    cache.store(key, binary());
    const auto file = dir.path / (key + ".ktbin");
    std::filesystem::resize_file(file, std::filesystem::file_size(file) - 3);
    BOOST_TEST(!cache.find(key).has_value());
    std::ofstream(file, std::ios::trunc) << "garbage";
    BOOST_TEST(!cache.find(key).has_value());
    cache.store(key, binary());
    BOOST_TEST(cache.find(key).has_value());
}

BOOST_AUTO_TEST_CASE(a_folder_that_cannot_be_made_is_unavailable_naming_it) {
    const test::TempDir dir;
    std::ofstream(dir.path / "file") << "x";
    try {
        BinaryCache cache(dir.path / "file" / "binaries");
        BOOST_FAIL("expected an error");
    } catch (const KindedError& e) {
        BOOST_TEST(name(e.kind()) == name(ErrorKind::unavailable));
        BOOST_TEST(std::string(e.what()).find("file/binaries") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
