#include "core/testspec/generate.hpp"
#include "core/testspec/npy.hpp"
#include "core/testspec/parse_spec.hpp"
#include "core/testspec/resolve.hpp"
#include "core/testspec/spec_error.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <string>

using namespace kerntune;

namespace {

TestSpec spec_with(const std::string& args, const std::string& extra = "") {
    return parse_test_spec_text(R"({"variables": {"n": 64, "k": 3}, "problem_size": ["n"],
        "args": [)" + args + R"(], "outputs": [{"name": "out", "atol": 0, "rtol": 0,
        "reference": {"from": "reference_kernel"}}])" +
                                extra + "}");
}

const std::string out_arg =
    R"({"name": "out", "type": "float32", "shape": ["n"], "values": {"constant": {"value": 0}}})";

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const TestSpecError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return e.what();
    }
    return "no error";
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(generate)

BOOST_AUTO_TEST_CASE(shapes_sizes_and_scalars_are_evaluated) {
    const auto spec =
        spec_with(out_arg + R"(, {"name": "m", "type": "float64", "shape": ["n/2", "k+1"],
        "values": {"iota": {"start": 0, "step": 1}}}, {"name": "len", "type": "int64", "value": "n*k"})",
                  R"(, "bytes": "8*n", "flops": "2*n")");
    const auto resolved = resolve_test_spec(spec);
    BOOST_TEST((resolved.problem_size == std::vector<std::int64_t>{64}));
    BOOST_TEST((resolved.args[1].shape == std::vector<std::int64_t>{32, 4}));
    BOOST_TEST(resolved.args[1].bytes == 32u * 4u * 8u);
    BOOST_TEST(resolved.args[2].scalar);
    BOOST_TEST(resolved.args[2].value == 192);
    BOOST_TEST(resolved.total_bytes == 64u * 4u + 32u * 4u * 8u + 8u);
    BOOST_TEST(*resolved.bytes == 512);
    BOOST_TEST(*resolved.flops == 128);
}

BOOST_AUTO_TEST_CASE(a_shape_that_is_not_a_positive_whole_number_is_reported_at_its_dimension) {
    const auto spec = spec_with(R"({"name": "out", "type": "float32", "shape": ["n/5"],
        "values": {"constant": {"value": 0}}})");
    BOOST_TEST(error_of([&] { resolve_test_spec(spec); }) ==
               "/args/0/shape/0: 'n/5' is 12.8, not a whole number");
    const auto zero = spec_with(R"({"name": "out", "type": "float32", "shape": ["n-64"],
        "values": {"constant": {"value": 0}}})");
    BOOST_TEST(has(error_of([&] { resolve_test_spec(zero); }), "it must be at least 1"));
}

BOOST_AUTO_TEST_CASE(a_scalar_or_iota_outside_its_type_is_reported) {
    const auto scalar = spec_with(out_arg + R"(, {"name": "s", "type": "int8", "value": "n*4"})");
    BOOST_TEST(error_of([&] { resolve_test_spec(scalar); }) ==
               "/args/1/value: \"s\" would hold 256, which is not an int8 value");
    const auto iota = spec_with(out_arg + R"(, {"name": "i", "type": "uint8", "shape": ["n*5"],
        "values": {"iota": {"start": 0, "step": 1}}})");
    BOOST_TEST(has(error_of([&] { resolve_test_spec(iota); }), "/args/1/values/iota: "));
}

BOOST_AUTO_TEST_CASE(generated_values_follow_their_generator_and_seed) {
    const auto spec = spec_with(
        out_arg +
        R"(, {"name": "u", "type": "float64", "shape": ["n"], "values": {"uniform": {"min": 2, "max": 3}}},
        {"name": "g", "type": "float32", "shape": ["n*64"], "values": {"normal": {"mean": 5, "stddev": 2}}},
        {"name": "r", "type": "int16", "shape": ["n"], "values": {"integers": {"min": -3, "max": 3}}},
        {"name": "i", "type": "int32", "shape": ["n"], "values": {"iota": {"start": 10, "step": -2}}},
        {"name": "c", "type": "uint32", "shape": ["n"], "values": {"constant": {"value": 9}}})");
    const auto buffers = generate_arguments(spec, resolve_test_spec(spec), ".", 1 << 20);
    for (const double u : buffers[1].as<double>()) {
        BOOST_TEST((u >= 2 && u < 3));
    }
    double sum = 0, squares = 0;
    for (const float g : buffers[2].as<float>()) {
        sum += g;
        squares += g * g;
    }
    const double count = 64 * 64;
    const double mean = sum / count;
    BOOST_TEST(std::fabs(mean - 5) < 0.15);
    BOOST_TEST(std::fabs(std::sqrt(squares / count - mean * mean) - 2) < 0.15);
    bool saw_low = false, saw_high = false;
    for (const auto r : buffers[3].as<std::int16_t>()) {
        BOOST_TEST((r >= -3 && r <= 3));
        saw_low = saw_low || r == -3;
        saw_high = saw_high || r == 3;
    }
    BOOST_TEST((saw_low && saw_high));
    BOOST_TEST(buffers[4].as<std::int32_t>()[3] == 4);
    BOOST_TEST(buffers[5].as<std::uint32_t>()[63] == 9u);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_data_and_another_seed_does_not) {
    const std::string arg =
        R"(, {"name": "u", "type": "float32", "shape": ["n"], "values": {"uniform": {"min": 0, "max": 1}}})";
    const auto spec = spec_with(out_arg + arg, R"(, "seed": 1)");
    const auto first = generate_arguments(spec, resolve_test_spec(spec), ".", 1 << 20);
    const auto again = generate_arguments(spec, resolve_test_spec(spec), ".", 1 << 20);
    BOOST_TEST((first[1] == again[1]));
    const auto other = spec_with(out_arg + arg, R"(, "seed": 2)");
    BOOST_TEST((generate_arguments(other, resolve_test_spec(other), ".", 1 << 20)[1] != first[1]));
    // Adding an argument in front leaves this one's values alone: streams follow names.
    const auto longer = spec_with(out_arg +
                                      R"(, {"name": "v", "type": "float32", "shape": ["n"],
        "values": {"uniform": {"min": 0, "max": 1}}})" +
                                      arg,
                                  R"(, "seed": 1)");
    BOOST_TEST(
        (generate_arguments(longer, resolve_test_spec(longer), ".", 1 << 20)[2] == first[1]));
}

BOOST_AUTO_TEST_CASE(data_over_the_cap_is_refused_before_allocating) {
    const auto spec = spec_with(out_arg + R"(, {"name": "big", "type": "float64",
        "shape": ["n", "n", "n"], "values": {"constant": {"value": 1}}})");
    const auto message =
        error_of([&] { generate_arguments(spec, resolve_test_spec(spec), ".", 1 << 20); });
    BOOST_TEST(has(message, "/args/1/shape: the arguments need 2.0 MiB, over the limit of 1.0 MiB; "
                            "the largest is \"big\", float64 of shape (64, 64, 64)"));
}

BOOST_AUTO_TEST_CASE(npy_inputs_and_references_must_match_the_declared_shape) {
    test::TempDir dir;
    HostBuffer values(DType::float32, {64});
    values.as<float>()[5] = 2.5f;
    write_npy(dir.path / "in.npy", values);
    write_npy(dir.path / "short.npy", HostBuffer(DType::float32, {63}));
    write_npy(dir.path / "ref.npy", HostBuffer(DType::float64, {64}));
    const auto spec = parse_test_spec_text(R"({"variables": {"n": 64}, "problem_size": ["n"],
        "args": [{"name": "out", "type": "float32", "shape": ["n"], "values": {"npy": "in.npy"}}],
        "outputs": [{"name": "out", "atol": 0, "rtol": 0, "reference": {"npy": "ref.npy"}}]})");
    const auto resolved = resolve_test_spec(spec);
    BOOST_TEST(generate_arguments(spec, resolved, dir.path, 1 << 20)[0].as<float>()[5] == 2.5f);
    const auto references = load_npy_references(spec, resolved, dir.path);
    BOOST_TEST(references.at("out").dtype() == DType::float64);

    auto wrong = spec;
    std::get<NpyValues>(std::get<ArrayArgument>(wrong.args[0].kind).values).path = "short.npy";
    BOOST_TEST(error_of([&] { generate_arguments(wrong, resolved, dir.path, 1 << 20); }) ==
               "/args/0/values/npy: short.npy holds float32 values of shape (63,), but \"out\" "
               "is declared float32 of shape (64,)");
    std::get<NpyValues>(wrong.outputs[0].reference).path = "missing.npy";
    BOOST_TEST(has(error_of([&] { load_npy_references(wrong, resolved, dir.path); }),
                   "/outputs/0/reference/npy: "));
}

BOOST_AUTO_TEST_SUITE_END()
