/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/list_sort.c - the kernel's list_sort: bottom-up merge sort
 *
 * Elements are taken one at a time onto a list of pending sorted sublists,
 * all of power-of-two sizes.  After element number count is added, the bits
 * of count say what to merge: two pending lists of size 2^k are merged once
 * a third list of that size's worth follows them, which keeps every merge
 * at worst 2:1 unbalanced (the kernel's rule, which saves comparisons
 * against the plain "merge as soon as two are equal" and stays cache
 * friendly: no merge is larger than needed).  At the end the pending lists
 * are merged smallest first, and the last merge rebuilds the prev links.
 * The pending lists are chained through ->prev; each is NULL-terminated
 * through ->next.  Stable: ties keep the element that came first.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

/* Merge two NULL-terminated lists; the result is linked by ->next only. */
static struct list_head *merge(void *priv, ksort_list_cmp_t cmp,
			       struct list_head *a, struct list_head *b)
{
	struct list_head *head = NULL, **tail = &head;

	for (;;) {
		if (cmp(priv, a, b) <= 0) {
			*tail = a;
			tail = &a->next;
			a = a->next;
			if (!a) {
				*tail = b;
				break;
			}
		} else {
			*tail = b;
			tail = &b->next;
			b = b->next;
			if (!b) {
				*tail = a;
				break;
			}
		}
	}
	return head;
}

/* The last merge: links both ways and closes the circle at @head. */
static void merge_final(void *priv, ksort_list_cmp_t cmp,
			struct list_head *head, struct list_head *a,
			struct list_head *b)
{
	struct list_head *tail = head;

	for (;;) {
		if (cmp(priv, a, b) <= 0) {
			tail->next = a;
			a->prev = tail;
			tail = a;
			a = a->next;
			if (!a)
				break;
		} else {
			tail->next = b;
			b->prev = tail;
			tail = b;
			b = b->next;
			if (!b) {
				b = a;
				break;
			}
		}
	}
	/* The rest of one list is in order: fix its prev links. */
	tail->next = b;
	do {
		b->prev = tail;
		tail = b;
		b = b->next;
	} while (b);
	tail->next = head;
	head->prev = tail;
}

void ksort_list_sort(void *priv, struct list_head *head, ksort_list_cmp_t cmp)
{
	struct list_head *list = head->next, *pending = NULL;
	size_t count = 0;

	if (list == head->prev)		/* zero or one element */
		return;
	head->prev->next = NULL;

	do {
		size_t bits;
		struct list_head **tail = &pending;

		/* Find the least significant clear bit of count. */
		for (bits = count; bits & 1; bits >>= 1)
			tail = &(*tail)->prev;
		/* Unless count + 1 is a power of two, merge two lists. */
		if (bits) {
			struct list_head *a = *tail, *b = a->prev;

			a = merge(priv, cmp, b, a);
			a->prev = b->prev;
			*tail = a;
		}
		/* Move one element from the input onto pending. */
		list->prev = pending;
		pending = list;
		list = list->next;
		pending->next = NULL;
		count++;
	} while (list);

	/* Merge all pending lists, smallest first. */
	list = pending;
	pending = pending->prev;
	for (;;) {
		struct list_head *next = pending->prev;

		if (!next)
			break;
		list = merge(priv, cmp, pending, list);
		pending = next;
	}
	merge_final(priv, cmp, head, pending, list);
}

struct ls_node {
	struct list_head link;
	char *elem;
};

static int ls_cmp(void *priv, const struct list_head *a,
		  const struct list_head *b)
{
	const struct ls_node *x = container_of(a, struct ls_node, link);
	const struct ls_node *y = container_of(b, struct ls_node, link);

	return ks_cmp(priv, x->elem, y->elem);
}

int ks_list_sort_array(struct ks_ctx *c, char *a, size_t n)
{
	struct ls_node *nodes;
	struct list_head head, *pos;
	char *out, *o;
	size_t i;

	if (n < 2)
		return 0;
	nodes = malloc(n * sizeof(*nodes));
	out = malloc(n * c->size);
	if (!nodes || !out) {
		free(nodes);
		free(out);
		return -ENOMEM;
	}
	head.next = &nodes[0].link;
	head.prev = &nodes[n - 1].link;
	for (i = 0; i < n; i++) {
		nodes[i].elem = a + i * c->size;
		nodes[i].link.next = i + 1 < n ? &nodes[i + 1].link : &head;
		nodes[i].link.prev = i ? &nodes[i - 1].link : &head;
	}
	ksort_list_sort(c, &head, ls_cmp);
	o = out;
	for (pos = head.next; pos != &head; pos = pos->next) {
		memcpy(o, container_of(pos, struct ls_node, link)->elem,
		       c->size);
		o += c->size;
	}
	memcpy(a, out, n * c->size);
	free(out);
	free(nodes);
	return 0;
}
