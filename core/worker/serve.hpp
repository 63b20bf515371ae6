#pragma once
// The worker's side: what kerntune-worker runs on the socket it inherits. Each returns the
// process's exit status.
#include <string>

namespace kerntune::worker {

enum WorkerExit : int {
    worker_done = 0,      // the host closed the socket
    worker_usage = 2,     // bad command line
    worker_no_device = 3, // the device or compiler did not open; the hello said why
    worker_protocol = 4,  // the host's frames broke the protocol
    worker_fatal = 5,     // the device context is lost; a fresh worker must take over
    worker_host_gone = 6, // the host died or stopped reading
};

// Device mode: opens the device `selector` names on `backend`, says hello, then answers
// setup, references, check, time and run requests until the host closes the socket.
int serve_device(int fd, const std::string& backend, const std::string& selector);

// Compile mode: makes a compiler for `target` on `backend`, says hello, then answers compile
// requests.
int serve_compiler(int fd, const std::string& backend, const std::string& target);

} // namespace kerntune::worker
