#include "core/graph/checkpoint_store.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace kerntune;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp folder, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("kerntune-checkpoint-" + std::to_string(::getpid()) +
                                            "-" + std::to_string(counter()++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

Checkpoint at(const std::string& next, std::uint64_t steps) {
    Checkpoint checkpoint;
    checkpoint.state = boost::json::object{{"next", next}};
    checkpoint.cursor = {{"", next, 1}};
    checkpoint.steps = steps;
    return checkpoint;
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_store)

BOOST_AUTO_TEST_CASE(a_missing_file_means_no_checkpoint) {
    TempDir dir;
    BOOST_TEST(!FileCheckpointStore(dir.path / "checkpoint.json").load().has_value());
}

BOOST_AUTO_TEST_CASE(the_latest_save_wins_and_no_temporary_file_is_left) {
    TempDir dir;
    const FileCheckpointStore store(dir.path / "checkpoint.json");
    store.save(at("a", 1));
    const auto sink = store.sink();
    sink(at("b", 2));
    const auto loaded = store.load();
    BOOST_REQUIRE(loaded.has_value());
    BOOST_TEST(loaded->cursor.front().next == "b");
    BOOST_TEST(loaded->steps == 2u);
    BOOST_TEST(loaded->state.at("next") == boost::json::value("b"));
    int files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path))
        ++files;
    BOOST_TEST(files == 1);
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_an_error_naming_the_file_and_position) {
    TempDir dir;
    const auto file = dir.path / "checkpoint.json";
    std::ofstream(file) << "{\"format\": \n  oops}";
    BOOST_CHECK_EXCEPTION(FileCheckpointStore(file).load(), KindedError, [&](const KindedError& e) {
        const std::string what = e.what();
        BOOST_TEST_MESSAGE(what);
        return what.find(file.string()) != std::string::npos &&
               what.find("line 2, column 3") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(saving_into_a_missing_folder_names_the_file) {
    TempDir dir;
    const FileCheckpointStore store(dir.path / "no" / "such" / "checkpoint.json");
    BOOST_CHECK_EXCEPTION(store.save(at("a", 1)), KindedError, [](const KindedError& e) {
        return std::string(e.what()).find("checkpoint.json.tmp") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()
