#include "cli/app.h"
#include "util/keep.h"

int main(int argc, char** argv) { distill::ExitWithoutCleanup(distill::cli::Main(argc, argv)); }
