// SPDX-License-Identifier: MIT
/*
 * objcache.c - type-stable caches of fixed-size objects (see objcache.h)
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "objcache.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void **link_of(struct cmwq_objcache *cache, void *obj)
{
	return (void **)((char *)obj + cache->link_offset);
}

/* Index of the first chunk at or above @addr.  (lock) */
static unsigned long chunk_search(struct cmwq_objcache *cache, uintptr_t addr)
{
	unsigned long lo = 0, hi = cache->nr_chunks;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if ((uintptr_t)cache->chunks[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Add a chunk of fresh objects.  (lock) */
static bool add_chunk(struct cmwq_objcache *cache)
{
	unsigned long pos;
	char *chunk;

	if (cache->nr_chunks == cache->chunks_cap) {
		unsigned long cap = cache->chunks_cap ? 2 * cache->chunks_cap :
							16;
		void **chunks = cmwq_malloc(cap * sizeof(*chunks));

		if (!chunks)
			return false;
		if (cache->nr_chunks)
			memcpy(chunks, cache->chunks,
			       cache->nr_chunks * sizeof(*chunks));
		free(cache->chunks);
		cache->chunks = chunks;
		cache->chunks_cap = cap;
	}
	chunk = cmwq_aligned_alloc(cache->chunk_size, cache->chunk_size);
	if (!chunk)
		return false;
	memset(chunk, 0, cache->chunk_size);
	pos = chunk_search(cache, (uintptr_t)chunk);
	memmove(&cache->chunks[pos + 1], &cache->chunks[pos],
		(cache->nr_chunks - pos) * sizeof(*cache->chunks));
	cache->chunks[pos] = chunk;
	cache->nr_chunks++;
	cache->fresh = chunk;
	cache->fresh_end =
		chunk + cache->chunk_size / cache->obj_size * cache->obj_size;
	return true;
}

void *cmwq_objcache_alloc(struct cmwq_objcache *cache)
{
	void *obj = NULL;

	cmwq_mutex_lock(&cache->lock, LC_OBJCACHE);
	if (cache->nr_free > cache->quarantine) {
		obj = cache->free_head;
		cache->free_head = *link_of(cache, obj);
		if (!cache->free_head)
			cache->free_tail = NULL;
		cache->nr_free--;
		*link_of(cache, obj) = NULL;
	} else if (cache->fresh != cache->fresh_end || add_chunk(cache)) {
		obj = cache->fresh;
		cache->fresh += cache->obj_size;
	}
	if (obj && ++cache->nr_live > cache->peak_live)
		cache->peak_live = cache->nr_live;
	cmwq_mutex_unlock(&cache->lock, LC_OBJCACHE);
	return obj;
}

void cmwq_objcache_free(struct cmwq_objcache *cache, void *obj)
{
	if (!obj)
		return;
	cmwq_mutex_lock(&cache->lock, LC_OBJCACHE);
	*link_of(cache, obj) = NULL;
	if (cache->free_tail)
		*link_of(cache, cache->free_tail) = obj;
	else
		cache->free_head = obj;
	cache->free_tail = obj;
	cache->nr_free++;
	cache->nr_live--;
	cmwq_mutex_unlock(&cache->lock, LC_OBJCACHE);
}

bool cmwq_objcache_owns(struct cmwq_objcache *cache, const void *ptr)
{
	uintptr_t addr = (uintptr_t)ptr;
	uintptr_t base = addr & ~(uintptr_t)(cache->chunk_size - 1);
	unsigned long pos;
	bool owns = false;

	if (!ptr || (addr - base) % cache->obj_size ||
	    addr - base >= cache->chunk_size / cache->obj_size * cache->obj_size)
		return false;
	cmwq_mutex_lock(&cache->lock, LC_OBJCACHE);
	pos = chunk_search(cache, base);
	if (pos < cache->nr_chunks && (uintptr_t)cache->chunks[pos] == base)
		/* In the newest chunk, only what was handed out. */
		owns = base != (((uintptr_t)cache->fresh_end - 1) &
				~(uintptr_t)(cache->chunk_size - 1)) ||
		       addr < (uintptr_t)cache->fresh;
	cmwq_mutex_unlock(&cache->lock, LC_OBJCACHE);
	return owns;
}

void cmwq_objcache_usage(struct cmwq_objcache *cache, unsigned long *live,
			 unsigned long *peak, unsigned long *chunks)
{
	cmwq_mutex_lock(&cache->lock, LC_OBJCACHE);
	if (live)
		*live = cache->nr_live;
	if (peak)
		*peak = cache->peak_live;
	if (chunks)
		*chunks = cache->nr_chunks;
	cmwq_mutex_unlock(&cache->lock, LC_OBJCACHE);
}
