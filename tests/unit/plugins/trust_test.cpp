// What makes a plugin file or directory untrusted, and how the refusal reads.
#include "host/plugins/trust.hpp"

#include <boost/test/unit_test.hpp>

namespace kerntune::plugins {

BOOST_AUTO_TEST_SUITE(plugin_trust)

BOOST_AUTO_TEST_CASE(owner_writable_only_is_trusted) {
    BOOST_TEST(!untrusted_reason("it", "/p/x.so", 0755, TrustedThing::file));
    BOOST_TEST(!untrusted_reason("it", "/p/x.so", 0700, TrustedThing::file));
}

BOOST_AUTO_TEST_CASE(group_and_world_writable_directory_names_both_the_mode_and_the_fix) {
    BOOST_TEST(untrusted_reason("the directory", "/p", 040777, TrustedThing::directory).value() ==
               "the directory is group- and world-writable (mode 0777), so other users could put "
               "code in it that kerntune would run; fix it with: chmod go-w '/p'");
}

BOOST_AUTO_TEST_CASE(group_writable_file_says_its_code_could_be_changed) {
    BOOST_TEST(untrusted_reason("it", "/p/x.so", 0664, TrustedThing::file).value() ==
               "it is group-writable (mode 0664), so other users could change the code kerntune "
               "would run; fix it with: chmod go-w '/p/x.so'");
}

BOOST_AUTO_TEST_CASE(chmod_fix_quotes_paths_for_the_shell) {
    const auto reason = untrusted_reason("it", "/p/it's.so", 0646, TrustedThing::file).value();
    BOOST_TEST(reason.ends_with("chmod go-w '/p/it'\\''s.so'"), reason);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::plugins
