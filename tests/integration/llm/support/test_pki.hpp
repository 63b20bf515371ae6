#pragma once
// A throwaway certificate authority and a server certificate it signs, made with OpenSSL at test
// time (EC P-256, valid for a day).

#include <string>
#include <vector>

namespace kerntune::testing {

struct TestPki {
    std::string ca_pem;          // the CA certificate: what the client must trust
    std::string server_cert_pem; // signed by the CA
    std::string server_key_pem;
};

// `dns_names` and `ips` become the server certificate's subjectAltName entries.
TestPki make_test_pki(const std::vector<std::string>& dns_names = {"localhost"},
                      const std::vector<std::string>& ips = {"127.0.0.1"});

// Writes `text` to a new file under the temporary directory and returns its path.
std::string write_temp_file(const std::string& stem, const std::string& text);

} // namespace kerntune::testing
