/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel for kmod/lpm.c to build and run in userspace.
 *
 * The test is single-threaded, so RCU accessors are plain pointer accesses
 * and a grace period is immediate (kfree_rcu frees at once, which also lets
 * AddressSanitizer catch a node used after it was unlinked).  Allocations
 * are counted, and one can be made to fail, to check that nothing leaks and
 * that a failed insert leaves the trie as it was.
 */
#ifndef _LSDP_LPM_SHIM_H
#define _LSDP_LPM_SHIM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint32_t __be32;	/* sparse's bitwise types mean nothing here */

#define __rcu
#define GFP_KERNEL	0

struct rcu_head {
	void *next;
	void *func;
};

struct mutex {
	int unused;
};

#define lockdep_is_held(lock)		((void)(lock), 1)
#define lockdep_assert_held(lock)	((void)(lock))
#define RCU_LOCKDEP_WARN(c, s)		do { } while (0)
#define rcu_dereference(p)		(p)
#define rcu_dereference_protected(p, c)	((void)(c), (p))
#define rcu_access_pointer(p)		(p)
#define rcu_assign_pointer(p, v)	((p) = (v))
#define RCU_INIT_POINTER(p, v)		((p) = (v))

/* Allocations not yet freed. */
extern long lpm_shim_allocated;
/* When > 0, counts allocations down: the one that brings it to 0 fails. */
extern int lpm_shim_fail_in;

static inline void *kzalloc(size_t size, int gfp)
{
	void *p;

	(void)gfp;
	if (lpm_shim_fail_in > 0 && --lpm_shim_fail_in == 0)
		return NULL;
	/* Aligned like the kmalloc-64 slab a node comes from in the kernel. */
	size = (size + 63) & ~(size_t)63;
	p = aligned_alloc(64, size);
	if (!p)
		return NULL;
	lpm_shim_allocated++;
	return memset(p, 0, size);
}

static inline void kfree(const void *p)
{
	if (!p)
		return;
	lpm_shim_allocated--;
	free((void *)p);
}

#define kfree_rcu(p, field)	kfree(p)

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define be32_to_cpu(x)	__builtin_bswap32(x)
#define cpu_to_be32(x)	__builtin_bswap32(x)
#else
#define be32_to_cpu(x)	((u32)(x))
#define cpu_to_be32(x)	((u32)(x))
#endif

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#define min_t(type, a, b) ({		\
	type __a = (a), __b = (b);	\
	__a < __b ? __a : __b;		\
})

#endif /* _LSDP_LPM_SHIM_H */
