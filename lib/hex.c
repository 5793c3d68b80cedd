/* hex.c - placeholder, being written */
