/* suite.c - placeholder, being written */
