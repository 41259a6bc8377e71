/* spill.c - encrypted, unlinked temporary blocks by bucket (OpenSSL's EVP). */
#include "xcheck/spill.h"

#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xcheck/text.h"

enum { KEY = 32, IV = 12, TAG = 16, MAX_BLOCK = 1 << 30 };

typedef struct block {
    uint64_t at;           /* offset in the file */
    uint64_t seq;          /* its number in the store: the IV */
    uint32_t n;            /* plain bytes; the tag follows them */
} block;

typedef struct bucket_blocks {
    block *v;
    size_t n, cap;
    uint64_t bytes;
} bucket_blocks;

struct xc_spill {
    int fd;
    char dir[PATH_MAX];
    unsigned char key[KEY];
    bucket_blocks *b;
    int n_buckets;
    uint64_t end;          /* where the next block goes */
    uint64_t seq;
    uint64_t total;
    pthread_mutex_t lock;
};

static int open_file(xc_spill *s, xc_err *err)
{
    s->fd = xc_unnamed_file(s->dir);
    if (s->fd >= 0)
        return XC_OK;
    int e = errno;
    if (e == EPERM) {
        xc_err_set(err, XC_EIO, "cannot create a temporary file in %s: anyone may write there "
                   "and the sticky bit is not set", s->dir);
        xc_err_hint(err, "choose a directory of your own with --temp-dir (or TMPDIR)");
    } else {
        xc_err_set(err, XC_EIO, "cannot create a temporary file in %s: %s", s->dir, strerror(e));
        xc_err_hint(err, "choose a writable directory with --temp-dir (or TMPDIR)");
    }
    return XC_EIO;
}

int xc_spill_open(const char *dir, int buckets, xc_spill **ret, xc_err *err)
{
    *ret = NULL;
    if (buckets < 1 || buckets > 65536)
        return xc_err_set(err, XC_EINTERNAL, "spill: %d buckets", buckets);
    if (!dir || !*dir)
        dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    xc_spill *s = calloc(1, sizeof *s);
    if (!s || !(s->b = calloc((size_t)buckets, sizeof *s->b))) {
        free(s);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    s->fd = -1;
    s->n_buckets = buckets;
    pthread_mutex_init(&s->lock, NULL);
    if (snprintf(s->dir, sizeof s->dir, "%s", dir) >= (int)sizeof s->dir) {
        xc_spill_free(s);
        return xc_err_set(err, XC_EIO, "temporary directory name too long: %s", dir);
    }
    if (RAND_bytes(s->key, KEY) != 1) {
        xc_spill_free(s);
        return xc_err_set(err, XC_EINTERNAL, "no random bytes for the temporary file's key");
    }
    int rc = open_file(s, err);
    if (rc < 0) {
        xc_spill_free(s);
        return rc;
    }
    *ret = s;
    return XC_OK;
}

void xc_spill_free(xc_spill *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    OPENSSL_cleanse(s->key, sizeof s->key);
    for (int i = 0; i < s->n_buckets; i++)
        free(s->b[i].v);
    free(s->b);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* The IV of block seq, and what binds it to its bucket. */
static void iv_of(uint64_t seq, unsigned char iv[IV])
{
    memset(iv, 0, IV);
    for (int i = 0; i < 8; i++)
        iv[i] = (unsigned char)(seq >> (8 * i));
}

static void aad_of(int bucket, uint32_t n, unsigned char aad[8])
{
    for (int i = 0; i < 4; i++) {
        aad[i] = (unsigned char)((uint32_t)bucket >> (8 * i));
        aad[4 + i] = (unsigned char)(n >> (8 * i));
    }
}

/* Encrypts (enc) or decrypts in into out, n bytes; tag written or checked. */
static bool crypt_block(const xc_spill *s, bool enc, uint64_t seq, int bucket,
                        const unsigned char *in, size_t n, unsigned char *out,
                        unsigned char tag[TAG])
{
    unsigned char iv[IV], aad[8];
    iv_of(seq, iv);
    aad_of(bucket, (uint32_t)n, aad);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    bool ok = c && EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, s->key, iv, enc) == 1 &&
              EVP_CipherUpdate(c, NULL, &len, aad, sizeof aad) == 1 &&
              EVP_CipherUpdate(c, out, &len, in, (int)n) == 1;
    if (ok && !enc)
        ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG, tag) == 1;
    ok = ok && EVP_CipherFinal_ex(c, out + len, &len) == 1;
    if (ok && enc)
        ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG, tag) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok;
}

static int write_all(int fd, const unsigned char *p, size_t n, uint64_t at)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : ENOSPC;
        p += w;
        n -= (size_t)w;
        at += (uint64_t)w;
    }
    return 0;
}

int xc_spill_write(xc_spill *s, int bucket, const void *bytes, size_t n, xc_err *err)
{
    if (bucket < 0 || bucket >= s->n_buckets || n == 0 || n > MAX_BLOCK)
        return xc_err_set(err, XC_EINTERNAL, "spill: block of %zu bytes for bucket %d", n, bucket);
    unsigned char *out = malloc(n + TAG);
    if (!out)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    bucket_blocks *bk = &s->b[bucket];
    pthread_mutex_lock(&s->lock);
    if (bk->n == bk->cap) {
        size_t cap = bk->cap ? bk->cap * 2 : 16;
        block *v = realloc(bk->v, cap * sizeof *v);
        if (!v) {
            pthread_mutex_unlock(&s->lock);
            free(out);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
        bk->v = v;
        bk->cap = cap;
    }
    /* The block's place in the index is taken now, under the lock: writers
     * encrypting and writing at once each fill their own. 2026-12-02: the
     * place was taken after the write, and two writers let in by one free
     * place wrote past the index. */
    block blk = {.at = s->end, .seq = s->seq++, .n = (uint32_t)n};
    size_t at = bk->n++;
    bk->v[at] = (block){.at = blk.at, .seq = blk.seq, .n = 0};     /* not written yet */
    s->end += n + TAG;
    pthread_mutex_unlock(&s->lock);
    if (!crypt_block(s, true, blk.seq, bucket, bytes, n, out, out + n)) {
        free(out);
        return xc_err_set(err, XC_EINTERNAL, "cannot encrypt a block of the temporary file");
    }
    int e = write_all(s->fd, out, n + TAG, blk.at);
    free(out);
    if (e) {
        xc_err_set(err, XC_EIO, "cannot write the temporary file in %s: %s", s->dir, strerror(e));
        xc_err_hint(err, "free space there, choose another directory with --temp-dir, or give "
                         "the run more memory with --memory");
        return XC_EIO;
    }
    pthread_mutex_lock(&s->lock);
    bk->v[at] = blk;
    bk->bytes += n;
    s->total += n + TAG;
    pthread_mutex_unlock(&s->lock);
    return XC_OK;
}

uint64_t xc_spill_bytes(const xc_spill *s, int bucket)
{
    return bucket >= 0 && bucket < s->n_buckets ? s->b[bucket].bytes : 0;
}

uint64_t xc_spill_total(const xc_spill *s)
{
    return s->total;
}

const char *xc_spill_dir(const xc_spill *s)
{
    return s->dir;
}

static int cmp_block(const void *x, const void *y)
{
    const block *a = x, *b = y;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

int xc_spill_read(xc_spill *s, int bucket, int (*fn)(void *user, const void *bytes, size_t n),
                  void *user, xc_err *err)
{
    if (bucket < 0 || bucket >= s->n_buckets)
        return xc_err_set(err, XC_EINTERNAL, "spill: bucket %d", bucket);
    bucket_blocks *bk = &s->b[bucket];
    /* written by several threads: their index entries may be out of order */
    if (bk->n > 1)
        qsort(bk->v, bk->n, sizeof *bk->v, cmp_block);
    unsigned char *in = NULL, *plain = NULL;
    size_t cap = 0;
    int rc = XC_OK;
    for (size_t i = 0; i < bk->n && rc == XC_OK; i++) {
        const block *blk = &bk->v[i];
        if (blk->n == 0)                /* its write failed: the run has too */
            continue;
        if (blk->n + (size_t)TAG > cap) {
            free(in);
            if (plain)
                OPENSSL_cleanse(plain, cap);
            free(plain);
            cap = blk->n + (size_t)TAG;
            in = malloc(cap);
            plain = malloc(cap);
            if (!in || !plain) {
                rc = xc_err_set(err, XC_ENOMEM, "out of memory");
                break;
            }
        }
        size_t got = 0;
        int e = 0;
        while (got < blk->n + (size_t)TAG) {
            ssize_t r = pread(s->fd, in + got, blk->n + TAG - got, (off_t)(blk->at + got));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                e = r < 0 ? errno : 0;
                break;
            }
            got += (size_t)r;
        }
        if (got < blk->n + (size_t)TAG) {
            rc = xc_err_set(err, XC_EIO, "cannot read back the temporary file in %s: %s", s->dir,
                            e ? strerror(e) : "it is shorter than written");
            break;
        }
        if (!crypt_block(s, false, blk->seq, bucket, in, blk->n, plain, in + blk->n)) {
            rc = xc_err_set(err, XC_EIO, "the temporary file in %s is damaged: a block is not "
                                         "what was written", s->dir);
            xc_err_hint(err, "something else wrote into it; run again");
            break;
        }
        rc = fn(user, plain, blk->n);
    }
    if (plain)
        OPENSSL_cleanse(plain, cap);
    free(in);
    free(plain);
    return rc;
}
