/* rmx_eval.c - placeholder, being written */
