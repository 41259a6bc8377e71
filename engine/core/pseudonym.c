/*
 * pseudonym.c - keyed pseudonyms (HMAC-SM3 through OpenSSL 3's EVP_MAC),
 * the key file, and SHA-256 for the run record.
 *
 * The key's MAC context is set up once; every pseudonym works on a
 * duplicate of it, so no key schedule is redone and threads share nothing
 * but the read-only original.
 */
#include "xcheck/pseudonym.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xcheck/i18n.h"
#include "xcheck/idno.h"

#define PERSON_TAG "xcheck/person/v1"
#define TEXT_TAG "xcheck/text/v1"
#define KEY_ID_TAG "xcheck/key-id/v1"

struct xc_key {
    EVP_MAC *mac;
    EVP_MAC_CTX *ctx;            /* initialised with the key */
};

static const char hexdig[] = "0123456789abcdef";

static void to_hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdig[b[i] >> 4];
        out[2 * i + 1] = hexdig[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* HMAC-SM3 of the two parts, joined, into out (32 bytes). False when
 * OpenSSL could not allocate the duplicate context: the context was
 * checked when the key was made, so nothing else can fail here. */
static bool mac2_try(const xc_key *k, const void *a, size_t alen, const void *b, size_t blen,
                     uint8_t out[32])
{
    EVP_MAC_CTX *c = EVP_MAC_CTX_dup(k->ctx);
    size_t n = 0;
    bool ok = c && EVP_MAC_update(c, a, alen) && EVP_MAC_update(c, b, blen) &&
              EVP_MAC_final(c, out, &n, 32) && n == 32;
    EVP_MAC_CTX_free(c);
    return ok;
}

/* mac2_try() for the functions that cannot report a failure: a failed MAC
 * must not pass for a pseudonym. */
static void mac2(const xc_key *k, const void *a, size_t alen, const void *b, size_t blen,
                 uint8_t out[32])
{
    if (!mac2_try(k, a, alen, b, blen, out))
        abort();
}

int xc_key_from_bytes(const uint8_t bytes[32], xc_key **ret)
{
    xc_key *k = calloc(1, sizeof *k);
    if (!k)
        return XC_ENOMEM;
    char digest[] = "SM3";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (!(k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) || !(k->ctx = EVP_MAC_CTX_new(k->mac)) ||
        !EVP_MAC_init(k->ctx, bytes, 32, params)) {
        xc_key_free(k);
        return XC_ENOMEM;
    }
    *ret = k;
    return XC_OK;
}

void xc_key_free(xc_key *k)
{
    if (!k)
        return;
    EVP_MAC_CTX_free(k->ctx);     /* clears the key it holds */
    EVP_MAC_free(k->mac);
    free(k);
}

int xc_key_load(const char *path, xc_key **ret, xc_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        xc_err_set(err, XC_ECONFIG, "cannot read the key file \"%s\": %s", path,
                   e == ELOOP ? "it is a symbolic link" : strerror(e));
        xc_err_hint(err, "make one with: xcheck key new FILE, and name it with --key FILE or "
                    "the environment variable %s", XC_KEY_ENV);
        xc_err_at(err, path, 0, NULL);
        return XC_ECONFIG;
    }
    const char *why = NULL;
    if (!S_ISREG(st.st_mode))
        why = N_("it is not a regular file");
    else if (st.st_uid != geteuid())
        why = N_("it is owned by another user");
    else if ((st.st_mode & 07777) != 0600 && (st.st_mode & 07777) != 0400)
        why = N_("others than its owner may read or write it (its mode must be 0600 or "
                 "0400)");
    char text[80];
    ssize_t n = why ? 0 : read(fd, text, sizeof text);
    close(fd);
    if (!why) {
        size_t len = n > 0 ? (size_t)n : 0;
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            len--;
        bool ok = len == 64;
        uint8_t bytes[32];
        for (size_t i = 0; ok && i < 32; i++) {
            int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            bytes[i] = (uint8_t)(ok ? hi << 4 | lo : 0);
        }
        OPENSSL_cleanse(text, sizeof text);
        if (!ok) {
            OPENSSL_cleanse(bytes, sizeof bytes);
            why = N_("it does not hold a key (64 hexadecimal digits)");
        } else {
            int rc = xc_key_from_bytes(bytes, ret);
            OPENSSL_cleanse(bytes, sizeof bytes);
            if (rc < 0)
                return xc_err_set(err, XC_ENOMEM, "out of memory");
            return XC_OK;
        }
    }
    xc_err_set(err, XC_ECONFIG, "the key file \"%s\" is refused: %s", path, _(why));
    xc_err_hint(err, "the key file must be a regular file of your own with mode 0600 "
                "(chmod 600 \"%s\"), holding what xcheck key new wrote", path);
    xc_err_at(err, path, 0, NULL);
    return XC_ECONFIG;
}

int xc_key_generate(const char *path, xc_err *err)
{
    uint8_t bytes[32];
    char text[66];
    if (RAND_priv_bytes(bytes, sizeof bytes) != 1)
        return xc_err_set(err, XC_EIO, "no random numbers for a key");
    to_hex(bytes, sizeof bytes, text);
    OPENSSL_cleanse(bytes, sizeof bytes);
    text[64] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int rc = XC_OK;
    if (fd < 0) {
        rc = xc_err_set(err, XC_EIO, "cannot create the key file \"%s\": %s", path,
                        strerror(errno));
        if (errno == EEXIST)
            xc_err_hint(err, "a key is never overwritten: choose a new file name, or remove "
                        "the old key once nothing needs it");
    } else if (fchmod(fd, 0600) < 0 || write(fd, text, 65) != 65 || fsync(fd) < 0) {
        rc = xc_err_set(err, XC_EIO, "cannot write the key file \"%s\": %s", path,
                        strerror(errno));
        unlink(path);
    }
    if (fd >= 0 && close(fd) < 0 && rc == XC_OK)
        rc = xc_err_set(err, XC_EIO, "cannot write the key file \"%s\": %s", path,
                        strerror(errno));
    OPENSSL_cleanse(text, sizeof text);
    if (rc < 0)
        xc_err_at(err, path, 0, NULL);
    return rc;
}

char *xc_key_id(const xc_key *k, char out[static XC_KEY_ID_LEN + 1])
{
    uint8_t m[32];
    mac2(k, KEY_ID_TAG, sizeof KEY_ID_TAG - 1, "", 0, m);
    to_hex(m, XC_KEY_ID_LEN / 2, out);
    return out;
}

/* A number's MAC; false as mac2_try(). */
static bool pseudonym_bytes(const xc_key *k, const char id[18], uint8_t out[32])
{
    return mac2_try(k, PERSON_TAG, sizeof PERSON_TAG, id, 18, out);   /* the tag's NUL included */
}

char *xc_pseudonym(const xc_key *k, const char id[static 18],
                   char out[static XC_PSEUDONYM_LEN + 1])
{
    uint8_t m[32];
    if (!pseudonym_bytes(k, id, m))
        abort();                 /* as mac2() */
    to_hex(m, XC_PSEUDONYM_LEN / 2, out);
    return out;
}

char *xc_pseudonym_of_key(const xc_key *k, uint64_t key, char out[static XC_PSEUDONYM_LEN + 1])
{
    char id[19];
    xc_id_unpack(key, id);
    return xc_pseudonym(k, id, out);
}

char *xc_pseudonym_text(const xc_key *k, const char *s, size_t len,
                        char out[static XC_PSEUDONYM_LEN + 1])
{
    uint8_t m[32];
    mac2(k, TEXT_TAG, sizeof TEXT_TAG, s, len, m);
    to_hex(m, XC_PSEUDONYM_LEN / 2, out);
    return out;
}

int xc_pseudonym_parse(const char *s, size_t len, uint8_t out[static 16])
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (len != XC_PSEUDONYM_LEN)
        return -1;
    for (size_t i = 0; i < 16; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* ---- the map ------------------------------------------------------------ */

typedef struct slot {
    uint8_t p[16];
    uint64_t key;                /* 0: empty */
} slot;

struct xc_pseudomap {
    slot *slots;
    size_t mask;
    char (*text)[XC_PSEUDONYM_LEN + 1];
    size_t n;
};

static size_t slot_of(const uint8_t p[16], size_t mask)
{
    uint64_t h;
    memcpy(&h, p, sizeof h);     /* a MAC's bytes: already uniform */
    return (size_t)h & mask;
}

int xc_pseudomap_new(const xc_key *k, const uint64_t *keys, size_t n, xc_pseudomap **ret)
{
    xc_pseudomap *m = calloc(1, sizeof *m);
    size_t cap = 16;
    while (cap < 2 * n + 1)
        cap *= 2;
    if (!m || !(m->slots = calloc(cap, sizeof *m->slots)) ||
        !(m->text = calloc(n ? n : 1, sizeof *m->text))) {
        xc_pseudomap_free(m);
        return XC_ENOMEM;
    }
    m->mask = cap - 1;
    m->n = n;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i])
            continue;
        char id[19];
        uint8_t mac[32];
        xc_id_unpack(keys[i], id);
        if (!pseudonym_bytes(k, id, mac)) {
            xc_pseudomap_free(m);
            return XC_ENOMEM;
        }
        to_hex(mac, 16, m->text[i]);
        size_t s = slot_of(mac, m->mask);
        while (m->slots[s].key && memcmp(m->slots[s].p, mac, 16) != 0)
            s = (s + 1) & m->mask;
        memcpy(m->slots[s].p, mac, 16);
        m->slots[s].key = keys[i];
    }
    *ret = m;
    return XC_OK;
}

uint64_t xc_pseudomap_find(const xc_pseudomap *m, const uint8_t p[static 16])
{
    for (size_t s = slot_of(p, m->mask); m->slots[s].key; s = (s + 1) & m->mask)
        if (memcmp(m->slots[s].p, p, 16) == 0)
            return m->slots[s].key;
    return 0;
}

const char *xc_pseudomap_text(const xc_pseudomap *m, size_t i)
{
    return i < m->n ? m->text[i] : "";
}

void xc_pseudomap_free(xc_pseudomap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m->text);
    free(m);
}

char *xc_sha256_hex(const void *s, size_t len, char out[static 65])
{
    uint8_t d[32];
    unsigned int n = 0;
    if (!EVP_Digest(s, len, d, &n, EVP_sha256(), NULL) || n != 32)
        abort();                 /* only allocation can fail */
    to_hex(d, 32, out);
    return out;
}
