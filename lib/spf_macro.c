/* spf_macro.c - placeholder, being written */
