/* rmx/suite.h - placeholder, being written (suite YAML loading) */
#ifndef RMX_SUITE_H
#define RMX_SUITE_H
#endif
