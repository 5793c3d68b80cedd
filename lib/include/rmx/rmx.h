/* rmx/rmx.h - everything librmx offers, in one include. */
#ifndef RMX_RMX_H
#define RMX_RMX_H
#include <rmx/error.h>
#include <rmx/name.h>
#include <rmx/record.h>
#include <rmx/resolver.h>
#include <rmx/zone.h>
#include <rmx/unbound.h>
#include <rmx/check.h>
#include <rmx/suite.h>
#include <rmx/lint.h>
#include <rmx/cache.h>
#endif
