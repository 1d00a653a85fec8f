/* SPDX-License-Identifier: MIT */
/*
 * objcache.h - type-stable caches of fixed-size objects
 *
 * The memory of an object freed to its cache is never returned to malloc:
 * it is kept, still of the same type, and handed out again by a later
 * allocation of the same cache.  A thread that read a pointer to such an
 * object without holding a reference may therefore still dereference it:
 * it finds either the object it meant or a later incarnation, and must
 * recheck under the object's lock that the object is the one it wanted
 * (the kernel's SLAB_TYPESAFE_BY_RCU, with no grace period needed because
 * nothing is ever unmapped).  Lifetime itself is decided by the objects'
 * reference counts; the cache only keeps the memory valid.
 *
 * Freed objects are reused oldest first, and only once more than
 * @quarantine of them wait: a handle kept after its object was freed (a
 * workqueue used after destroy_workqueue(), say) reads the dead object and
 * gets a diagnostic, not another object, for the next @quarantine frees.
 *
 * Objects are allocated in naturally aligned chunks, so whether a pointer
 * is an object of a cache is found without dereferencing it
 * (cmwq_objcache_owns()).  The lowest layer: calls only platform/fault.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_OBJCACHE_H
#define CMWQ_OBJCACHE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct cmwq_objcache {
	const char *name; /* (I) */
	/* (I) a multiple of the objects' alignment */
	size_t obj_size;
	/* (I) a power of two, above obj_size: chunks are that aligned */
	size_t chunk_size;
	size_t link_offset; /* (I) where a freed object keeps its link */
	unsigned int quarantine; /* (I) freed objects held before reuse */
	pthread_mutex_t lock;
	/* The freed objects, oldest first.  (lock) */
	void *free_head, *free_tail;
	unsigned long nr_free; /* (lock) */
	/* Fresh objects left in the newest chunk.  (lock) */
	char *fresh, *fresh_end;
	/* Every chunk's address, sorted, for cmwq_objcache_owns().  (lock) */
	void **chunks;
	unsigned long nr_chunks, chunks_cap;
	unsigned long nr_live, peak_live; /* (lock) */
};

#define CMWQ_OBJCACHE_INIT(nm, objsz, chunksz, link, quar)                  \
	{                                                                   \
		.name = (nm), .obj_size = (objsz), .chunk_size = (chunksz), \
		.link_offset = (link), .quarantine = (quar),                \
		.lock = PTHREAD_MUTEX_INITIALIZER,                          \
	}

/*
 * An object: a freed one (its old contents kept, except the link word) or
 * a fresh one (all zero).  NULL when memory runs out (fault-injectable).
 */
void *cmwq_objcache_alloc(struct cmwq_objcache *cache);
/* Give @obj back; it stays readable memory of the cache's type. */
void cmwq_objcache_free(struct cmwq_objcache *cache, void *obj);
/* Is @ptr an object (live or freed) of @cache?  Never dereferences it. */
bool cmwq_objcache_owns(struct cmwq_objcache *cache, const void *ptr);
/* Objects handed out and not freed; the most there ever were. */
void cmwq_objcache_usage(struct cmwq_objcache *cache, unsigned long *live,
			 unsigned long *peak, unsigned long *chunks);

#endif /* CMWQ_OBJCACHE_H */
