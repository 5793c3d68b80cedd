/*
 * fuzz_alloc.h - the spf_alloc_fn the SPF harnesses hand to lib/spf_*.c:
 * every allocation is its own zeroed calloc (so ASan sees the bounds of
 * each one, unlike a bump arena), kept on a list and freed together, with
 * a total budget: past it the allocator returns NULL, which drives the
 * modules' out-of-memory paths.
 */
#ifndef RMX_FUZZ_ALLOC_H
#define RMX_FUZZ_ALLOC_H

#include <stdlib.h>

struct fuzz_block {
	struct fuzz_block *next;
	/* the caller's octets follow (max_align_t aligned) */
};

struct fuzz_arena {
	struct fuzz_block *head;
	size_t used, budget;
	unsigned refused;
};

#define FUZZ_BLOCK_HDR \
	((sizeof(struct fuzz_block) + _Alignof(max_align_t) - 1) / \
	_Alignof(max_align_t) * _Alignof(max_align_t))

static void fuzz_arena_init(struct fuzz_arena *a, size_t budget)
{
	a->head = NULL;
	a->used = 0;
	a->budget = budget;
	a->refused = 0;
}

static void *fuzz_arena_alloc(void *ctx, size_t size)
{
	struct fuzz_arena *a = ctx;
	struct fuzz_block *b;

	if (size > a->budget || a->budget - size < a->used) {
		a->refused++;
		return NULL;
	}
	b = calloc(1, FUZZ_BLOCK_HDR + (size > 0 ? size : 1));
	if (b == NULL)
		abort();
	a->used += size;
	b->next = a->head;
	a->head = b;
	return (char *)b + FUZZ_BLOCK_HDR;
}

static void fuzz_arena_free(struct fuzz_arena *a)
{
	while (a->head != NULL) {
		struct fuzz_block *next = a->head->next;

		free(a->head);
		a->head = next;
	}
	a->used = 0;
}

#endif
