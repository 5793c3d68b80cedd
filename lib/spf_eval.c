/* spf_eval.c - placeholder, being written */
