/* apl.c - placeholder, being written */
