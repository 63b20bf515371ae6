#pragma once
// Plugins must never print, but one that does must not corrupt what kerntune writes to stdout
// (`plugins list --json` is read by scripts). While a QuietStdout lives, file descriptor 1 points
// at /dev/null; pending output of the host is flushed first, and the plugin's own buffered stdio
// output is flushed into /dev/null before stdout comes back.

namespace kerntune::plugins {

class QuietStdout {
public:
    QuietStdout();
    ~QuietStdout();
    QuietStdout(const QuietStdout&) = delete;
    QuietStdout& operator=(const QuietStdout&) = delete;

private:
    int saved_ = -1;
};

} // namespace kerntune::plugins
