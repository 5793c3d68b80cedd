/* spf_parse.c - placeholder, being written */
