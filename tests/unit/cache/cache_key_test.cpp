#include "core/cache/cache_key.hpp"
#include "core/cache/sha256.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace kerntune;

namespace {

CacheKeyInput base() {
    return {"__global__ void k() {}",
            {{"block_size_x", 128}, {"tile", 2}},
            {"-O3"},
            "NVIDIA H100 sm_90",
            "abc",
            7};
}

} // namespace

BOOST_AUTO_TEST_SUITE(cache_key_suite)

BOOST_AUTO_TEST_CASE(sha256_matches_the_standard_test_vectors) {
    BOOST_TEST(sha256_hex("") ==
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(sha256_hex("abc") ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(length_prefixed_fields_cannot_run_into_each_other) {
    BOOST_TEST(Sha256().field("ab").field("c").hex() != Sha256().field("a").field("bc").hex());
}

BOOST_AUTO_TEST_CASE(every_part_of_the_input_changes_the_key) {
    std::set<std::string> keys{cache_key(base())};
    auto input = base();
    input.kernel_source += " ";
    keys.insert(cache_key(input));
    input = base();
    input.configuration[1].second = 4;
    keys.insert(cache_key(input));
    input = base();
    std::swap(input.configuration[0].first, input.configuration[1].first);
    keys.insert(cache_key(input));
    input = base();
    input.compiler_options.push_back("-use_fast_math");
    keys.insert(cache_key(input));
    input = base();
    input.device = "NVIDIA H200 sm_90";
    keys.insert(cache_key(input));
    input = base();
    input.test_data_hash = "abd";
    keys.insert(cache_key(input));
    input = base();
    input.iterations = 8;
    keys.insert(cache_key(input));
    BOOST_TEST(keys.size() == 8u);
    BOOST_TEST(cache_key(base()) == cache_key(base()));
    BOOST_TEST(cache_key(base()).size() == 64u);
}

BOOST_AUTO_TEST_CASE(the_test_data_hash_covers_type_shape_and_bytes) {
    HostBuffer a(DType::float32, {4});
    const auto original = test_data_hash({a});
    BOOST_TEST(test_data_hash({HostBuffer(DType::int32, {4})}) != original);
    BOOST_TEST(test_data_hash({HostBuffer(DType::float32, {2, 2})}) != original);
    a.as<float>()[3] = 1;
    BOOST_TEST(test_data_hash({a}) != original);
    BOOST_TEST(test_data_hash({HostBuffer(DType::float32, {4})}) == original);
}

BOOST_AUTO_TEST_SUITE_END()
