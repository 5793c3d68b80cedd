/*
 * heapcount.c - a counting allocator for the benchmark's memory figures,
 * loaded with LD_PRELOAD into a C driver (rmx_bench, spf2_bench).
 *
 * It forwards malloc, calloc, realloc, free, posix_memalign, aligned_alloc
 * and memalign to glibc's own (__libc_*) and keeps the bytes live on the
 * heap (as malloc_usable_size counts them: what the allocator really hands
 * out, a little more than asked) and the highest value since the last
 * reset.  A driver finds the two functions below with dlsym(RTLD_DEFAULT)
 * and brackets one check with them:
 *   heapcount_reset()      peak := live now
 *   heapcount_peak_above() peak - live at the reset: the check's peak heap
 * Without the preload the symbols are absent and the driver says so.
 *
 * Counting only: no guard bytes, no checks, atomics so that a library's
 * helper threads do not corrupt the counters.  Not installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

size_t heapcount_reset(void);
size_t heapcount_peak_above(void);

static size_t live, peak, base;

static void count_up(void *p)
{
	size_t now;

	if (p == NULL)
		return;
	now = __atomic_add_fetch(&live, malloc_usable_size(p),
		__ATOMIC_RELAXED);
	if (now > __atomic_load_n(&peak, __ATOMIC_RELAXED))
		__atomic_store_n(&peak, now, __ATOMIC_RELAXED);
}

static void count_down(void *p)
{
	if (p != NULL)
		__atomic_sub_fetch(&live, malloc_usable_size(p),
			__ATOMIC_RELAXED);
}

size_t heapcount_reset(void)
{
	base = __atomic_load_n(&live, __ATOMIC_RELAXED);
	__atomic_store_n(&peak, base, __ATOMIC_RELAXED);
	return base;
}

size_t heapcount_peak_above(void)
{
	return __atomic_load_n(&peak, __ATOMIC_RELAXED) - base;
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);

	count_up(p);
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p = __libc_calloc(n, size);

	count_up(p);
	return p;
}

void *realloc(void *old, size_t n)
{
	size_t was = old != NULL ? malloc_usable_size(old) : 0;
	void *p = __libc_realloc(old, n);

	if (p == NULL)
		return NULL; /* the old block is still there (or n was 0) */
	__atomic_sub_fetch(&live, was, __ATOMIC_RELAXED);
	count_up(p);
	return p;
}

void free(void *p)
{
	count_down(p);
	__libc_free(p);
}

void *memalign(size_t align, size_t n)
{
	void *p = __libc_memalign(align, n);

	count_up(p);
	return p;
}

void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	p = memalign(align, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}
