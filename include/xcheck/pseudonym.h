/*
 * pseudonym.h - keyed pseudonyms of ID numbers, the key they are made
 * with, and the digests of the run record.
 *
 * A pseudonym is HMAC-SM3 (SM3: GB/T 32905; HMAC: RFC 2104) under a
 * 256-bit secret key of the text
 *
 *     "xcheck/person/v1" 0x00 <the normalised 18-character ID number>
 *
 * (upper-case X), cut to its first 128 bits and written as 32 lower-case
 * hex digits. The same number gives the same pseudonym under the same key,
 * so runs can be compared and a department can pseudonymise its own export;
 * without the key nothing about the number can be learned from it, not
 * even by trying every possible number.
 *
 * The key lives in a file of its own: 64 hex digits and a line feed,
 * written by xc_key_generate(). Like libpq's .pgpass, it is refused unless
 * it is a regular file owned by the user and readable by no one else (mode
 * 0600 or 0400). A key id, HMAC-SM3 of "xcheck/key-id/v1" cut to 64 bits,
 * names the key in the run record without revealing it.
 */
#ifndef XCHECK_PSEUDONYM_H
#define XCHECK_PSEUDONYM_H

#include <stddef.h>
#include <stdint.h>

#include "xcheck/error.h"

#define XC_PSEUDONYM_LEN 32        /* hex digits of a pseudonym */
#define XC_KEY_ID_LEN 16           /* hex digits of a key id */
#define XC_KEY_ENV "XCHECK_KEY_FILE"   /* the variable naming the key file */
#define XC_EXCHANGE_KEY_ENV "XCHECK_EXCHANGE_KEY_FILE"   /* the departments' key */

typedef struct xc_key xc_key;

/* Reads the key file at path. Returns XC_OK with *ret (caller frees with
 * xc_key_free()), or XC_ECONFIG with err naming the file: missing, not a
 * regular file, owned by another user, readable or writable by group or
 * others, or not 64 hex digits. */
int xc_key_load(const char *path, xc_key **ret, xc_err *err);

/* A key made from 32 given bytes (tests, vectors). Returns XC_OK or
 * XC_ENOMEM. */
int xc_key_from_bytes(const uint8_t bytes[32], xc_key **ret);

/* Writes a new random key into a new file at path, mode 0600; never
 * replaces an existing file. Returns XC_OK, or XC_EIO with err. */
int xc_key_generate(const char *path, xc_err *err);

/* Frees k (its bytes wiped); NULL does nothing. */
void xc_key_free(xc_key *k);

/* The key's id: XC_KEY_ID_LEN hex digits and a NUL into out. Returns out. */
char *xc_key_id(const xc_key *k, char out[static XC_KEY_ID_LEN + 1]);

/* The pseudonym of a normalised 18-character number: XC_PSEUDONYM_LEN
 * hex digits and a NUL into out. Thread-safe. Returns out. */
char *xc_pseudonym(const xc_key *k, const char id[static 18],
                   char out[static XC_PSEUDONYM_LEN + 1]);

/* The pseudonym of a packed ID number (xc_id_pack()). Returns out. */
char *xc_pseudonym_of_key(const xc_key *k, uint64_t key,
                          char out[static XC_PSEUDONYM_LEN + 1]);

/* The pseudonym of a text that is no valid number (an archive's invalid
 * ID, normalised), under its own tag "xcheck/text/v1", so it can never
 * equal a number's. Returns out. */
char *xc_pseudonym_text(const xc_key *k, const char *s, size_t len,
                        char out[static XC_PSEUDONYM_LEN + 1]);

/* Parses s[0..len) as a pseudonym (32 hex digits, either case, blanks
 * around allowed) into its 16 bytes. Returns 0, or -1 when it is not one. */
int xc_pseudonym_parse(const char *s, size_t len, uint8_t out[static 16]);

/* The pseudonyms of a set of packed ID numbers, to match an export whose
 * ID column holds pseudonyms. Read-only once built: any number of threads
 * may look up. */
typedef struct xc_pseudomap xc_pseudomap;

/* Pseudonymises keys[0..n) (0 entries skipped) under k. Returns XC_OK with
 * *ret (caller frees with xc_pseudomap_free()), or XC_ENOMEM (also when
 * OpenSSL runs out of memory) with *ret untouched. */
int xc_pseudomap_new(const xc_key *k, const uint64_t *keys, size_t n, xc_pseudomap **ret);

/* The packed ID number whose pseudonym is p, or 0 when none of the set. */
uint64_t xc_pseudomap_find(const xc_pseudomap *m, const uint8_t p[static 16]);

/* The pseudonym of keys[i] as given to xc_pseudomap_new(), hex; "" for a
 * skipped entry. Borrowed from m. */
const char *xc_pseudomap_text(const xc_pseudomap *m, size_t i);

void xc_pseudomap_free(xc_pseudomap *m);

/* SHA-256 of s[0..len): 64 hex digits and a NUL into out. Returns out. */
char *xc_sha256_hex(const void *s, size_t len, char out[static 65]);

#endif
