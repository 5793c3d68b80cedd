/* cmd_check.c - placeholder, being written */
#include "cli.h"
int cmd_check(int argc, char **argv) { (void)argc; (void)argv; return cli_usage(NULL, "not built yet"); }
