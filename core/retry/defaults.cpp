#include "core/retry/defaults.hpp"

#include <string>

namespace kerntune {
namespace {

RetryPolicy tuner() {
    RetryPolicy p;
    p.max_attempts = 3;
    p.handlers = {
        {ErrorKind::wrong_arguments,
         "The kernel's argument list changed: {error}\nKeep the original arguments, with the "
         "same names, types and order, and send the whole kernel again."},
        {ErrorKind::failed_tests,
         "The kernel compiled but did not pass the tests:\n{error}\nFix it so that its outputs "
         "match the reference outputs, and send the whole kernel again."},
        {ErrorKind::no_code,
         "No kernel code could be found in your answer. Send the complete kernel source, in the "
         "form the instructions ask for."},
        {ErrorKind::compile_error,
         "The kernel did not compile:\n{error}\nFix these errors and send the whole kernel "
         "again."},
        {ErrorKind::runtime_error,
         "The kernel failed while running:\n{error}\nFix the fault (for example an "
         "out-of-bounds access) and send the whole kernel again."},
        {ErrorKind::timeout,
         "The kernel did not finish in a reasonable time ({error}). Try a different kernel that "
         "cannot hang and does not take much longer than the original."},
        {ErrorKind::wrong_structure,
         "Your answer did not have the required structure:\n{error}\nAnswer again, following "
         "the requested format (JSON that matches the schema, or the tool call) exactly."},
        {ErrorKind::restriction_check,
         "The restrictions are not valid:\n{error}\nA restriction may use only the tuning "
         "parameter names listed above. Write the restrictions again."},
    };
    p.default_feedback = "Something went wrong with your kernel ({kind}):\n{error}\nPlease try "
                         "again.";
    return p;
}

RetryPolicy tester() {
    RetryPolicy p;
    p.max_attempts = 10;
    p.handlers = {
        {ErrorKind::no_code,
         "No test could be found in your answer. Send the complete test specification, in the "
         "form the instructions ask for."},
        {ErrorKind::wrong_structure,
         "Your answer did not have the required structure:\n{error}\nAnswer again, following "
         "the requested format (JSON that matches the schema, or the tool call) exactly."},
        {ErrorKind::invalid_test,
         "The test is not valid:\n{error}\nFix the test specification and send it again."},
        {ErrorKind::test_too_short,
         "The kernel runs too briefly on these inputs to be timed reliably ({error}). Make the "
         "problem larger and send the test again."},
        {ErrorKind::test_too_long,
         "The kernel runs too long on these inputs ({error}). Make the problem smaller and send "
         "the test again."},
        {ErrorKind::timeout,
         "Running the kernel on this test did not finish in time ({error}). Make the problem "
         "smaller and send the test again."},
    };
    p.default_feedback = "Creating the test failed ({kind}):\n{error}\nPlease try again.";
    return p;
}

RetryPolicy transformer() {
    RetryPolicy p;
    p.max_attempts = 3;
    p.handlers = {
        {ErrorKind::invalid_problem_size,
         "The problem size is not valid:\n{error}\nIt must be given with the names of the "
         "kernel's arguments, spelled exactly as in the kernel signature (names are "
         "case-sensitive)."},
        {ErrorKind::invalid_output_variables,
         "The output variables are not valid:\n{error}\nName at least one argument that the "
         "kernel writes to, spelled exactly as in the kernel signature (names are "
         "case-sensitive)."},
    };
    p.default_feedback = "Something went wrong ({kind}):\n{error}\nPlease try again.";
    return p;
}

} // namespace

RetryPolicy default_policy(std::string_view role) {
    if (role == "tuner")
        return tuner();
    if (role == "tester")
        return tester();
    if (role == "transformer")
        return transformer();
    throw KindedError(ErrorKind::invalid_argument,
                      "no default retry policy for '" + std::string(role) +
                          "' (expected one of: " + std::string(policy_roles()) + ")");
}

std::string_view policy_roles() {
    return "tuner, tester, transformer";
}

} // namespace kerntune
