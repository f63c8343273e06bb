/* pool.c - power-of-two size classes for the graph's many small arrays.
 *
 * Loading 500k edges grows a million adjacency arrays; with malloc that is
 * a million-plus calls and as many headers. Here blocks of 16..4096 bytes
 * are carved from 64 KiB chunks and recycled through one free list per
 * class, so growth costs a pointer pop and the whole pool is released in
 * one sweep with the graph. Larger blocks fall through to kg_malloc. The
 * caller remembers each block's capacity (it has to anyway, to know when
 * to grow), so blocks carry no header.
 */
#include <string.h>

#include "graph_int.h"

/* Under AddressSanitizer, free and not-yet-carved pool memory is poisoned,
 * so a borrowed adjacency or property pointer used after the write that
 * moved its array is reported like a heap use-after-free. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK_SIZE (64 * 1024)

struct kg_pool_chunk { /* 16 bytes: blocks stay 16-aligned */
    kg_pool_chunk *next;
    size_t pad_;
};
_Static_assert(sizeof(kg_pool_chunk) % 16 == 0, "pool block alignment");

void kg_pool__init(kg_pool *p)
{
    memset(p, 0, sizeof *p);
}

void kg_pool__free_all(kg_pool *p)
{
    kg_pool_chunk *c, *next;

    for (c = p->chunks; c != NULL; c = next) {
        UNPOISON(c + 1, CHUNK_SIZE);
        next = c->next;
        kg_free(c);
    }
    memset(p, 0, sizeof *p);
}

/* Size class of a request: 0 for <= 16 bytes, 8 for <= 4096. */
static int size_class(size_t bytes)
{
    int c = 0;
    size_t s = KG_POOL_MIN;
    while (s < bytes) {
        s <<= 1;
        c++;
    }
    return c;
}

void *kg_pool__alloc(kg_pool *p, size_t *bytes)
{
    size_t size;
    void *blk;
    int c;

    if (*bytes > KG_POOL_MAX) return kg_malloc(*bytes);
    c = size_class(*bytes);
    size = (size_t)KG_POOL_MIN << c;
    *bytes = size;
    if (p->freelist[c] != NULL) {
        blk = p->freelist[c];
        p->freelist[c] = *(void **)blk;
        UNPOISON(blk, size);
        return blk;
    }
    if (p->left < size) {
        kg_pool_chunk *ch;
        /* The unused tail of the old chunk is handed to the free lists so
         * nothing is lost. Its size is a multiple of 16. */
        while (p->left >= KG_POOL_MIN) {
            int tc = size_class(p->left);
            if (((size_t)KG_POOL_MIN << tc) > p->left) tc--;
            UNPOISON(p->cur, sizeof(void *));
            *(void **)p->cur = p->freelist[tc];
            p->freelist[tc] = p->cur;
            p->cur += (size_t)KG_POOL_MIN << tc;
            p->left -= (size_t)KG_POOL_MIN << tc;
        }
        ch = kg_malloc(sizeof *ch + CHUNK_SIZE);
        if (ch == NULL) return NULL;
        ch->next = p->chunks;
        p->chunks = ch;
        p->cur = (char *)(ch + 1);
        p->left = CHUNK_SIZE;
        POISON(p->cur, CHUNK_SIZE);
    }
    blk = p->cur;
    UNPOISON(blk, size);
    p->cur += size;
    p->left -= size;
    return blk;
}

void kg_pool__release(kg_pool *p, void *ptr, size_t bytes)
{
    int c;

    if (ptr == NULL || bytes == 0) return;
    if (bytes > KG_POOL_MAX) {
        kg_free(ptr);
        return;
    }
    c = size_class(bytes);
    *(void **)ptr = p->freelist[c];
    p->freelist[c] = ptr;
    POISON((char *)ptr + sizeof(void *),
           ((size_t)KG_POOL_MIN << c) - sizeof(void *));
}

int kg_pool__reserve(kg_pool *p, void **ptr, uint32_t *cap, uint32_t need,
                     size_t elem)
{
    size_t ncap, bytes, oldbytes;
    void *blk;

    if (need <= *cap) return KG_OK;
    ncap = *cap ? (size_t)*cap * 2 : 2;
    while (ncap < need) ncap *= 2;
    if (ncap > UINT32_MAX) ncap = UINT32_MAX;
    if (ncap < need || kg_mul_overflow(&bytes, ncap, elem))
        return KG_ENOMEM;
    blk = kg_pool__alloc(p, &bytes);
    if (blk == NULL) return KG_ENOMEM;
    oldbytes = (size_t)*cap * elem;
    if (*cap) memcpy(blk, *ptr, oldbytes);
    if (oldbytes > KG_POOL_MAX) {
        kg_free(*ptr);
    } else if (oldbytes > 0) {
        kg_pool__release(p, *ptr, oldbytes);
    }
    *ptr = blk;
    /* A class block may be larger than asked; use all of it. */
    *cap = bytes / elem > UINT32_MAX ? UINT32_MAX : (uint32_t)(bytes / elem);
    return KG_OK;
}
