/* unbound.c - placeholder, being written */
