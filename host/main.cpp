#include "host/cli/commands.hpp"

int main(int argc, char** argv) {
    return kerntune::cli::run(argc, argv);
}
