/*
 * file.c - the `file` connector: CSV, plain or gzip, UTF-8 or GB18030.
 *
 * Reads the file itself (a path that is not a regular file is refused at
 * open, without blocking) and inflates gzip member after member: with
 * Intel's ISA-L (igzip) where the build found it, as inflating is most of
 * a run's work and ISA-L does it more than twice as fast as zlib; else with
 * zlib. Either way a damaged member fails the read with the same fault and
 * offsets: with ISA-L the reader parses each member's header and checks its
 * trailer itself, as ISA-L's own gzip mode tells neither a bad CRC-32 from a
 * bad length nor a cut header from a corrupt one. Bytes after the last
 * member that start no new one fail the read, NUL padding excepted.
 * Fixed-size chunks keep memory bounded whatever the file size: a few
 * chunks in flight and the current row. A reader thread decompresses ahead
 * while the caller parses, so the two overlap. GB18030 is decoded to UTF-8
 * with iconv (in the reader) before parsing, because its second bytes can
 * collide with ASCII delimiters such as '|'. Bytes that do not decode become
 * 0xFF, which the UTF-8 check of each field then reports as a row-level
 * problem.
 *
 * Most rows lie whole inside a chunk and hold no quote: they are split where
 * they lie, without a copy. The others (quoted fields, a row across two
 * chunks, a lone CR) go through the general parser, which copies the row.
 *
 * CSV follows RFC 4180: quoted fields may hold delimiters, doubled quotes
 * and line breaks; rows end with LF, CRLF or CR; a UTF-8 byte-order mark is
 * skipped; blank lines are not rows. A quoted field that runs past a line
 * end into a row that cannot be right (the wrong number of fields, text
 * after a closing quote, no closing quote before the end of the file or
 * within MAX_ROW) is a stray quote: its first line is handed out alone as a
 * row with a problem and reading starts again at the next line, so the
 * damage is one line.
 *
 * Every line is accounted for: the reader counts line ends in the decoded
 * bytes, apart from the parser, and at the end of the file that count must
 * equal the lines of the header, of blank lines and of the rows handed out,
 * and every decoded byte must have been parsed.
 *
 * A dataset may be many files: `path` is a list of entries joined by ",",
 * each a file or a glob (*, ?, [...], relative to the configuration's
 * directory), expanded in the order given, each glob's matches sorted by
 * name in byte order. The plan (file_prepare) checks every file before any
 * data is read: a regular file, readable, its header with the mapped
 * columns, the same header as the first file (without a header: as many
 * columns). Each file is then one part, and one source of the run record:
 * the run reads up to --jobs of them at once, each counted on its own.
 * The parts of a dataset of several files are opened at once but open
 * their file at their first row, and free their buffers at their last, so
 * that memory holds only the files being read.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xc_build.h"
#if XC_HAVE_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "file.h"
#include "xcheck/i18n.h"
#include "xcheck/plugin/source.h"
#include "xcheck/text.h"

extern const xc_source_ops xc_file_source_ops;

/* The connector's settings of a binding (b->source_conf). */
typedef struct file_conf {
    char **items;          /* the entries of `path`, each resolved against the
                              configuration's directory: a file, or a glob */
    size_t n_items;
    char *given;           /* `path` as resolved, the entries joined by ", ":
                              what the run record names the dataset by */
} file_conf;

enum {
    CHUNK = 1 << 18,
    RAW_KEPT = 16,         /* raw bytes kept before the unused ones */
    BLOCKS = 4,            /* decoded chunks in flight between the threads */
    MAX_ROW = 8 << 20,     /* a longer row means a broken file */
    MAX_COLUMNS = 4096
};

/* Why the reader failed. */
typedef enum read_fault {
    FAULT_IO,              /* read(2) failed */
    FAULT_TRUNCATED,       /* the gzip data ends inside a member */
    FAULT_CORRUPT,         /* the inflater refused the compressed data */
    FAULT_TRAILING,        /* bytes after the last member start no new one */
    FAULT_ENCODING         /* the text is not in the declared encoding */
} read_fault;

/* One chunk of bytes to parse, filled by the reader thread. */
typedef struct block {
    char *data;
    size_t len;            /* 0 with end or failed set: no more blocks */
    uint64_t bytes_in;     /* file bytes read once it was filled */
    uint64_t lines;        /* line ends in the decoded bytes so far; at the
                              end, plus a last line without one */
    uint64_t decoded;      /* decoded bytes so far */
    bool end;
    bool failed;
    read_fault fault;
    long fault_line;       /* FAULT_ENCODING: the line that shows it */
    char why[300];         /* the read error, when failed */
    char hint[200];
} block;

typedef struct file_source {
    xc_source base;
    const char *path;      /* the file read: borrowed from the binding's
                              configuration or the dataset's plan */
    bool deferred;         /* not opened yet: at the first row */
    bool finished;         /* read to the end, its buffers released */
    /* The reader's own state: the file, its raw bytes, the inflater. */
    int fd;
    unsigned char *raw;    /* bytes read from the file, not yet used */
    size_t raw_pos, raw_len;
    uint64_t raw_off;      /* file offset of raw[raw_len] */
    bool raw_eof;
    bool gzip;
    enum { GZ_HEADER, GZ_MEMBER, GZ_TRAILER, GZ_BETWEEN, GZ_PADDING } gz_state;
    uint64_t member_at;    /* file offset where the current member starts */
#if XC_HAVE_ISAL
    struct inflate_state *isal;  /* NULL when the file is not gzip */
    int hdr_step;          /* the header field being read (GZ_HEADER) */
    unsigned hdr_flags;    /* the header's FLG byte */
    size_t hdr_left;       /* bytes of FEXTRA still to skip */
    uint32_t hdr_crc;      /* CRC-32 of the header bytes read so far */
#else
    z_stream zs;
    bool zs_ready;
#endif
    uint64_t lines;        /* line ends counted so far (reader) */
    uint64_t decoded;      /* decoded bytes so far (reader) */
    bool cr_last;          /* the last decoded byte was CR */
    char last_byte;        /* the last decoded byte */
    bool checked_encoding; /* the first chunk was checked */
    iconv_t cd;            /* (iconv_t)-1 when the file is UTF-8 */
    char *in;              /* undecoded bytes (GB18030 only) */
    size_t in_len;
    bool in_eof;           /* the reader reached the end of the file */
    /* The reader thread fills blocks[produced % BLOCKS] while the parser
     * reads blocks[(consumed - 1) % BLOCKS]; released counts the blocks the
     * parser has finished with. */
    block blocks[BLOCKS];
    pthread_t reader;
    bool reader_started;
    pthread_mutex_t lock;
    pthread_cond_t filled, emptied;
    unsigned produced, consumed, released;
    bool stop;
    const char *buf;       /* the block being parsed */
    size_t buf_len, buf_pos;
    bool eof;
    bool skip_lf;          /* the last row ended with CR: skip a following LF */
    long line;             /* physical line the parser is on, 1-based */
    char *row;             /* a row copied out of the blocks (slow path) */
    size_t row_len, row_cap;
    /* A quoted field that ran past a line end: the bytes after that line
     * end, kept to be read again should the row prove damaged. */
    char *keep;
    size_t keep_len, keep_cap, keep_from;
    bool keeping;
    char *replay[2];       /* kept bytes read again, in place of a block */
    size_t replay_cap[2];
    int replay_i;
    bool replaying;        /* fs->buf is a replay buffer */
    /* Where the lines went, for the check at the end. */
    uint64_t header_lines, blank_lines, row_lines;
    uint64_t parsed;       /* decoded bytes the parser is done with */
    uint64_t end_lines, end_decoded;   /* the reader's counts at the end */
    const char **fp;       /* per physical field: its bytes ... */
    size_t *start, *len;   /* ... (slow path: offset in row) and length */
    int n_fields, cap_fields;
    int expected;          /* fields per row */
    bool pending;          /* header = false: the first row is parsed, unread */
    long pending_line, pending_span;
    int col_of[XC_MAX_FIELDS];   /* physical column of each logical field */
    char problem[256];
    bool plain_end[256];   /* bytes that end a run in an unquoted field */
    bool quoted_end[256];  /* ... and in a quoted one */
    bool special[256];     /* bytes the fast path stops at */
} file_source;

static void fail_block(block *bk, read_fault fault, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_block(block *bk, read_fault fault, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(bk->why, sizeof bk->why, fmt, ap);
    va_end(ap);
    bk->failed = true;
    bk->fault = fault;
    bk->len = 0;
}

/* Makes at least `want` (at most CHUNK - RAW_KEPT) unused raw bytes
 * available, fewer only at the end of the file. Returns the number
 * available, or -1 with bk failed. The RAW_KEPT bytes before the unused ones
 * stay in front of them: ISA-L, at the end of a member, gives back the whole
 * bytes left in its bit buffer, which may have come from an earlier call. */
static long raw_fill(file_source *fs, block *bk, size_t want)
{
    if (fs->raw_pos > RAW_KEPT && fs->raw_len - fs->raw_pos < want) {
        size_t from = fs->raw_pos - RAW_KEPT;
        memmove(fs->raw, fs->raw + from, fs->raw_len - from);
        fs->raw_len -= from;
        fs->raw_pos = RAW_KEPT;
    }
    while (fs->raw_len - fs->raw_pos < want && !fs->raw_eof) {
        ssize_t n = read(fs->fd, fs->raw + fs->raw_len, CHUNK - fs->raw_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fail_block(bk, FAULT_IO, "%s", strerror(errno));
            return -1;
        }
        if (n == 0)
            fs->raw_eof = true;
        fs->raw_len += (size_t)n;
        fs->raw_off += (uint64_t)n;
    }
    return (long)(fs->raw_len - fs->raw_pos);
}

/* The file offset of the next unused raw byte. */
static uint64_t raw_at(const file_source *fs)
{
    return fs->raw_off - (fs->raw_len - fs->raw_pos);
}

static void fail_corrupt(file_source *fs, block *bk, uint64_t near, const char *why)
{
    fail_block(bk, FAULT_CORRUPT, "the gzip member that starts at byte offset %llu is corrupt "
               "near byte offset %llu (%s)", (unsigned long long)fs->member_at,
               (unsigned long long)near, why);
}

static void fail_truncated(file_source *fs, block *bk)
{
    fail_block(bk, FAULT_TRUNCATED, "the gzip data ends at byte offset %llu inside the member "
               "that starts at byte offset %llu", (unsigned long long)fs->raw_off,
               (unsigned long long)fs->member_at);
}

#if XC_HAVE_ISAL
enum { GZ_FTEXT = 1, GZ_FHCRC = 2, GZ_FEXTRA = 4, GZ_FNAME = 8, GZ_FCOMMENT = 16 };
enum { HDR_START, HDR_REST, HDR_XLEN, HDR_EXTRA, HDR_NAME, HDR_COMMENT, HDR_CRC, HDR_DONE };

/* Takes n raw bytes into the header's CRC. */
static const unsigned char *hdr_take(file_source *fs, size_t n)
{
    const unsigned char *p = fs->raw + fs->raw_pos;
    fs->hdr_crc = crc32_gzip_refl(fs->hdr_crc, p, n);
    fs->raw_pos += n;
    return p;
}

/* Reads what has come of the member's header (RFC 1952 2.3), one field after
 * another, as zlib does, and with zlib's faults and offsets: the method and
 * flags are checked once their two bytes are in, the header CRC once its
 * own. Returns 0 (more to read, or the header done: gz_state GZ_MEMBER), -1
 * with bk failed. */
static int read_gz_header(file_source *fs, block *bk)
{
    static const size_t fixed[HDR_DONE] = {[HDR_START] = 4, [HDR_REST] = 6, [HDR_XLEN] = 2,
                                           [HDR_CRC] = 2};
    int step = fs->hdr_step;
    if (step == HDR_XLEN && !(fs->hdr_flags & GZ_FEXTRA))
        step = HDR_NAME;
    if (step == HDR_EXTRA && fs->hdr_left == 0)
        step = HDR_NAME;
    if (step == HDR_NAME && !(fs->hdr_flags & GZ_FNAME))
        step = HDR_COMMENT;
    if (step == HDR_COMMENT && !(fs->hdr_flags & GZ_FCOMMENT))
        step = HDR_CRC;
    if (step == HDR_CRC && !(fs->hdr_flags & GZ_FHCRC))
        step = HDR_DONE;
    fs->hdr_step = step;
    if (step == HDR_DONE) {
        fs->gz_state = GZ_MEMBER;
        return 0;
    }
    long have = raw_fill(fs, bk, fixed[step] ? fixed[step] : 1);
    if (have < 0)
        return -1;
    if (have == 0 || (size_t)have < fixed[step]) {
        fail_truncated(fs, bk);
        return -1;
    }
    if (step == HDR_START) {
        const unsigned char *p = hdr_take(fs, 4);
        if (p[2] != 8) {
            fail_corrupt(fs, bk, raw_at(fs), "unknown compression method");
            return -1;
        }
        if (p[3] & 0xE0) {
            fail_corrupt(fs, bk, raw_at(fs), "unknown header flags set");
            return -1;
        }
        fs->hdr_flags = p[3];
        fs->hdr_step = HDR_REST;
    } else if (step == HDR_REST) {
        hdr_take(fs, 6);
        fs->hdr_step = HDR_XLEN;
    } else if (step == HDR_XLEN) {
        const unsigned char *p = hdr_take(fs, 2);
        fs->hdr_left = (size_t)p[0] | (size_t)p[1] << 8;
        fs->hdr_step = HDR_EXTRA;
    } else if (step == HDR_EXTRA) {
        size_t n = (size_t)have < fs->hdr_left ? (size_t)have : fs->hdr_left;
        hdr_take(fs, n);
        fs->hdr_left -= n;
    } else if (step == HDR_NAME || step == HDR_COMMENT) {
        const unsigned char *p = fs->raw + fs->raw_pos;
        const unsigned char *nul = memchr(p, 0, (size_t)have);
        hdr_take(fs, nul ? (size_t)(nul - p) + 1 : (size_t)have);
        if (nul)
            fs->hdr_step = step + 1;
    } else {
        const unsigned char *p = fs->raw + fs->raw_pos;
        unsigned want = fs->hdr_crc & 0xFFFF;
        fs->raw_pos += 2;
        if (((unsigned)p[0] | (unsigned)p[1] << 8) != want) {
            fail_corrupt(fs, bk, raw_at(fs), "header crc mismatch");
            return -1;
        }
        fs->hdr_step = HDR_DONE;
    }
    return 0;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Checks the member's trailer: the CRC-32 of its data, then its length
 * modulo 2^32, each where zlib checks it. Returns 0 (gz_state GZ_BETWEEN),
 * -1 with bk failed. */
static int read_trailer(file_source *fs, block *bk)
{
    for (int i = 0; i < 2; i++) {
        long have = raw_fill(fs, bk, 4);
        if (have < 0)
            return -1;
        if (have < 4) {
            fail_truncated(fs, bk);
            return -1;
        }
        uint32_t got = le32(fs->raw + fs->raw_pos);
        fs->raw_pos += 4;
        if (got != (i == 0 ? fs->isal->crc : fs->isal->total_out)) {
            fail_corrupt(fs, bk, raw_at(fs), i == 0 ? "incorrect data check"
                                                    : "incorrect length check");
            return -1;
        }
    }
    fs->gz_state = GZ_BETWEEN;
    return 0;
}

/* What an ISA-L error code means, in words like zlib's. */
static const char *isal_why(int rc)
{
    switch (rc) {
    case ISAL_INVALID_BLOCK:    return "invalid block";
    case ISAL_INVALID_SYMBOL:   return "invalid code";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_NEED_DICT:        return "a preset dictionary is needed";
    default:                    return "inflate error";
    }
}

static int start_member(file_source *fs)
{
    isal_inflate_reset(fs->isal);
    fs->gz_state = GZ_HEADER;
    fs->hdr_step = HDR_START;
    fs->hdr_crc = 0;
    return 0;
}

/* Inflates the member's deflate data into dst: the bytes made (maybe 0),
 * -1 with bk failed. */
static long inflate_member(file_source *fs, block *bk, char *dst, size_t want)
{
    struct inflate_state *st = fs->isal;
    /* Large inputs keep ISA-L off its slow path for short ones. */
    long have = raw_fill(fs, bk, CHUNK / 4);
    if (have < 0)
        return -1;
    const unsigned char *from = fs->raw + fs->raw_pos;
    st->next_in = fs->raw + fs->raw_pos;
    st->avail_in = (uint32_t)have;
    st->next_out = (uint8_t *)dst;
    st->avail_out = (uint32_t)(want > UINT32_MAX ? UINT32_MAX : want);
    uint32_t out_before = st->avail_out;
    int rc = isal_inflate(st);
    if (rc >= 0 && st->block_state == ISAL_BLOCK_FINISH && st->read_in_length >= 8) {
        /* The member's end: the whole bytes left in the bit buffer are the
         * trailer's and what follows (ISA-L 2.30 keeps them there in its
         * raw modes), maybe taken before from: RAW_KEPT keeps them. */
        uint32_t back = (uint32_t)st->read_in_length / 8;
        st->next_in -= back;
        st->avail_in += back;
        st->read_in = 0;
        st->read_in_length = 0;
    }
    assert(st->next_in >= fs->raw && st->next_in <= fs->raw + fs->raw_len);
    fs->raw_pos = (size_t)(st->next_in - fs->raw);
    size_t got = out_before - st->avail_out;
    if (rc < 0) {
        uint64_t at = raw_at(fs), buffered = st->read_in_length > 0 ? (uint64_t)st->read_in_length / 8 : 0;
        fail_corrupt(fs, bk, at - (buffered < at ? buffered : 0), isal_why(rc));
        return -1;
    }
    if (st->block_state == ISAL_BLOCK_FINISH)
        fs->gz_state = GZ_TRAILER;
    else if (got == 0 && have == 0 && st->next_in == from) {
        fail_truncated(fs, bk);
        return -1;
    }
    return (long)got;
}
#else
static int start_member(file_source *fs)
{
    if (inflateReset(&fs->zs) != Z_OK)
        return -1;
    fs->gz_state = GZ_MEMBER;
    return 0;
}

/* Inflates the member (zlib reads its header and trailer too) into dst: the
 * bytes made (maybe 0), -1 with bk failed. */
static long inflate_member(file_source *fs, block *bk, char *dst, size_t want)
{
    long have = raw_fill(fs, bk, 1);
    if (have < 0)
        return -1;
    if (have == 0) {
        fail_truncated(fs, bk);
        return -1;
    }
    fs->zs.next_in = fs->raw + fs->raw_pos;
    fs->zs.avail_in = (uInt)have;
    fs->zs.next_out = (unsigned char *)dst;
    fs->zs.avail_out = (uInt)want;
    int rc = inflate(&fs->zs, Z_NO_FLUSH);
    fs->raw_pos = (size_t)(fs->zs.next_in - fs->raw);
    if (rc == Z_STREAM_END) {
        fs->gz_state = GZ_BETWEEN;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        fail_corrupt(fs, bk, raw_at(fs), fs->zs.msg ? fs->zs.msg : "zlib error");
        return -1;
    }
    return (long)(want - fs->zs.avail_out);
}
#endif

/* Inflates into dst: the number of bytes, 0 at the end of the data, -1 with
 * bk failed. Members follow one another (cat a.gz b.gz); after the last one
 * only NUL bytes may follow (padding, as gzip(1) allows). */
static long inflate_some(file_source *fs, block *bk, char *dst, size_t want)
{
    for (;;) {
        if (fs->gz_state == GZ_BETWEEN || fs->gz_state == GZ_PADDING) {
            long have = raw_fill(fs, bk, 2);
            if (have < 0)
                return -1;
            if (have == 0)
                return 0;
            const unsigned char *p = fs->raw + fs->raw_pos;
            if (fs->gz_state == GZ_BETWEEN && have >= 2 && p[0] == 0x1F && p[1] == 0x8B) {
                fs->member_at = raw_at(fs);
                if (start_member(fs) != 0) {
                    fail_block(bk, FAULT_CORRUPT, "zlib failed");
                    return -1;
                }
                continue;
            }
            if (p[0] == 0) {              /* padding: NUL bytes up to the end */
                fs->gz_state = GZ_PADDING;
                const unsigned char *q = p, *stop = fs->raw + fs->raw_len;
                while (q < stop && *q == 0)
                    q++;
                fs->raw_pos = (size_t)(q - fs->raw);
                if (q == stop)
                    continue;
            }
            fail_block(bk, FAULT_TRAILING, "bytes after the end of the gzip data, from byte "
                       "offset %llu, do not start a gzip member",
                       (unsigned long long)raw_at(fs));
            return -1;
        }
#if XC_HAVE_ISAL
        if (fs->gz_state == GZ_HEADER) {
            if (read_gz_header(fs, bk) < 0)
                return -1;
            continue;
        }
        if (fs->gz_state == GZ_TRAILER) {
            if (read_trailer(fs, bk) < 0)
                return -1;
            continue;
        }
#endif
        long got = inflate_member(fs, bk, dst, want);
        if (got != 0)
            return got;
    }
}

/* Up to want bytes of the file's content: the number, 0 at the end, -1 with
 * bk failed. */
static long read_some(file_source *fs, block *bk, char *dst, size_t want)
{
    if (fs->gzip)
        return inflate_some(fs, bk, dst, want);
    long have = raw_fill(fs, bk, 1);
    if (have <= 0)
        return have;
    size_t n = (size_t)have < want ? (size_t)have : want;
    memcpy(dst, fs->raw + fs->raw_pos, n);
    fs->raw_pos += n;
    return (long)n;
}

/* Decodes fs->in into bk; keeps an incomplete trailing sequence. */
static void decode(file_source *fs, block *bk)
{
    char *ip = fs->in, *op = bk->data;
    size_t il = fs->in_len, ol = CHUNK * 4;
    while (il > 0) {
        if (iconv(fs->cd, &ip, &il, &op, &ol) != (size_t)-1)
            break;
        if (errno == EILSEQ || (errno == EINVAL && fs->in_eof)) {
            *op++ = (char)0xFF;    /* not UTF-8: flagged by the field check */
            ol--;
            ip++, il--;
        } else {
            break;                 /* EINVAL: wait for more bytes; E2BIG: cannot
                                      happen, the output has room for 4x */
        }
    }
    bk->len = (size_t)(op - bk->data);
    memmove(fs->in, ip, il);
    fs->in_len = il;
}

/* Whether s[0..len) is well-formed GB18030: ASCII, two-byte sequences (lead
 * 0x81-0xFE, trail 0x40-0x7E or 0x80-0xFE) and four-byte ones (lead,
 * 0x30-0x39, 0x81-0xFE, 0x30-0x39). */
static bool gb18030_valid(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c == 0x80 || c == 0xFF || i + 1 >= len)
            return false;
        unsigned t = s[i + 1];
        if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) {
            i += 2;
        } else if (t >= 0x30 && t <= 0x39 && i + 3 < len && s[i + 2] >= 0x81 &&
                   s[i + 2] <= 0xFE && s[i + 3] >= 0x30 && s[i + 3] <= 0x39) {
            i += 4;
        } else {
            return false;
        }
    }
    return true;
}

/* Checks the encoding against the file's first chunk (p, n: undecoded; end:
 * the chunk is the whole file). A UTF-8 binding fails when every line with
 * bytes beyond ASCII is GB18030 and none is UTF-8; a GB18030 binding fails
 * when every such line is UTF-8 and they hold at least two characters beyond
 * ASCII. Only whole lines are judged. */
static void check_encoding(file_source *fs, block *bk, const char *p, size_t n, bool end)
{
    const xc_binding *b = fs->base.binding;
    if (!end) {
        while (n > 0 && p[n - 1] != '\n')
            n--;
    }
    long line = 1, first = 0;
    size_t wide = 0, utf8_lines = 0, gb_lines = 0, lines = 0;
    for (size_t i = 0; i < n; line++) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (p + i)) : n - i;
        const unsigned char *l = (const unsigned char *)p + i;
        size_t high = 0;
        for (size_t k = 0; k < len; k++)
            high += l[k] >= 0x80;
        if (high > 0) {
            lines++;
            wide += high;
            if (!first)
                first = line;
            utf8_lines += xc_utf8_valid((const char *)l, len);
            gb_lines += gb18030_valid(l, len);
        }
        i += len + 1;
    }
    if (lines == 0)
        return;
    if (b->encoding == XC_ENC_UTF8 && utf8_lines == 0 && gb_lines == lines) {
        fail_block(bk, FAULT_ENCODING, "file \"%s\" is not UTF-8: its text (from line %ld) "
                   "reads as GB18030", fs->base.where, first);
        snprintf(bk->hint, sizeof bk->hint, "set encoding = gb18030 in the [%s] section",
                 b->ds->name);
    } else if (b->encoding == XC_ENC_GB18030 && utf8_lines == lines && wide >= 6) {
        fail_block(bk, FAULT_ENCODING, "file \"%s\" is UTF-8, not GB18030: its text (from "
                   "line %ld) reads as UTF-8", fs->base.where, first);
        snprintf(bk->hint, sizeof bk->hint, "set encoding = utf-8 in the [%s] section",
                 b->ds->name);
    } else {
        return;
    }
    bk->fault_line = first;
}

/* Counts the line ends (LF, CRLF, lone CR) of a decoded chunk. */
static void count_lines(file_source *fs, const char *p, size_t n)
{
    if (n == 0)
        return;
    uint64_t lines = 0;
    const char *stop = p + n;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(stop - q))); q++)
        lines++;
    for (const char *q = p; (q = memchr(q, '\r', (size_t)(stop - q))); q++)
        lines += q + 1 == stop || q[1] != '\n';
    if (fs->cr_last && p[0] == '\n')
        lines--;                   /* the LF of a CRLF split between chunks */
    fs->cr_last = stop[-1] == '\r';
    fs->lines += lines;
    fs->decoded += n;
}

/* Fills one block from the file: some bytes, or none with end or failed. */
static void read_block(file_source *fs, block *bk)
{
    bk->len = 0;
    bk->end = bk->failed = false;
    bk->hint[0] = '\0';
    bk->fault_line = 0;
    while (bk->len == 0 && !fs->in_eof) {
        char *dst = fs->cd == (iconv_t)-1 ? bk->data : fs->in + fs->in_len;
        size_t want = fs->cd == (iconv_t)-1 ? CHUNK : CHUNK - fs->in_len;
        size_t got = 0;
        /* The first chunk is read whole, for the encoding check. */
        do {
            long n = read_some(fs, bk, dst + got, want - got);
            if (n < 0)
                return;
            if (n == 0)
                fs->in_eof = true;
            got += (size_t)n;
        } while (!fs->checked_encoding && !fs->in_eof && got < want);
        if (!fs->checked_encoding) {
            fs->checked_encoding = true;
            check_encoding(fs, bk, dst, got, fs->in_eof);
            if (bk->failed)
                return;
        }
        if (fs->cd == (iconv_t)-1) {
            bk->len = got;
        } else {
            fs->in_len += got;
            decode(fs, bk);
        }
    }
    bk->bytes_in = raw_at(fs);
    count_lines(fs, bk->data, bk->len);
    bk->end = bk->len == 0;
    if (bk->end && fs->decoded > 0 && !fs->cr_last && fs->last_byte != '\n')
        fs->lines++;               /* a last line without a line end */
    if (bk->len > 0)
        fs->last_byte = bk->data[bk->len - 1];
    bk->lines = fs->lines;
    bk->decoded = fs->decoded;
}

/* The reader thread: decompresses (and decodes) ahead of the parser, so the
 * two overlap on different cores. */
static void *reader_main(void *arg)
{
    file_source *fs = arg;
    for (;;) {
        pthread_mutex_lock(&fs->lock);
        while (fs->produced - fs->released == BLOCKS && !fs->stop)
            pthread_cond_wait(&fs->emptied, &fs->lock);
        bool stop = fs->stop;
        pthread_mutex_unlock(&fs->lock);
        if (stop)
            return NULL;
        block *bk = &fs->blocks[fs->produced % BLOCKS];
        read_block(fs, bk);
        pthread_mutex_lock(&fs->lock);
        fs->produced++;
        pthread_cond_signal(&fs->filled);
        pthread_mutex_unlock(&fs->lock);
        if (bk->len == 0)
            return NULL;
    }
}

/* Moves the parser to the next block. Returns XC_OK (buf_len is 0 only at
 * the end), XC_EIO (a read failed, the gzip data is damaged) or XC_EINPUT
 * (the text is not in the declared encoding). */
static int fill(file_source *fs, xc_err *err)
{
    if (fs->replaying)
        fs->replaying = false;     /* its block was counted when it began */
    else
        fs->parsed += fs->buf_pos;
    if (fs->keeping && fs->buf_len > fs->keep_from) {
        /* bounded by MAX_ROW: parse_row stops keeping beyond it */
        size_t n = fs->buf_len - fs->keep_from;
        if (fs->keep_len + n > fs->keep_cap) {
            size_t cap = fs->keep_cap ? fs->keep_cap : CHUNK;
            while (cap < fs->keep_len + n)
                cap *= 2;
            char *k = realloc(fs->keep, cap);
            if (!k) {
                fs->eof = true;
                return xc_err_set(err, XC_ENOMEM, "out of memory");
            }
            fs->keep = k;
            fs->keep_cap = cap;
        }
        memcpy(fs->keep + fs->keep_len, fs->buf + fs->keep_from, n);
        fs->keep_len += n;
    }
    fs->keep_from = 0;
    pthread_mutex_lock(&fs->lock);
    if (fs->released < fs->consumed) {
        fs->released++;               /* done with the current block */
        pthread_cond_signal(&fs->emptied);
    }
    if (fs->eof) {
        pthread_mutex_unlock(&fs->lock);
        fs->buf_len = fs->buf_pos = 0;
        return XC_OK;
    }
    while (fs->consumed == fs->produced)
        pthread_cond_wait(&fs->filled, &fs->lock);
    block *bk = &fs->blocks[fs->consumed++ % BLOCKS];
    pthread_mutex_unlock(&fs->lock);
    fs->buf = bk->data;
    fs->buf_len = bk->len;
    fs->buf_pos = 0;
    if (bk->failed) {
        fs->eof = true;
        fs->buf_len = 0;
        fs->base.bytes_in = fs->base.bytes_total;
        if (bk->fault == FAULT_ENCODING) {
            xc_err_set(err, XC_EINPUT, "%s", bk->why);
            xc_err_at(err, fs->base.where, bk->fault_line, NULL);
            xc_err_hint(err, "%s", bk->hint);
            return XC_EINPUT;
        }
        xc_err_set(err, XC_EIO, "file \"%s\": read failed: %s", fs->base.where, bk->why);
        xc_err_at(err, fs->base.where, fs->line, NULL);
        if (bk->fault == FAULT_TRUNCATED || bk->fault == FAULT_CORRUPT)
            xc_err_hint(err, "the gzip file is truncated or corrupt; export it again");
        else if (bk->fault == FAULT_TRAILING)
            xc_err_hint(err, "the file holds damaged data after its gzip data (a broken "
                        "second member?); export it again");
        return XC_EIO;
    }
    fs->base.bytes_in = bk->bytes_in;
    fs->base.physical_rows = bk->lines;
    fs->eof = bk->end;
    if (bk->end) {
        fs->end_lines = bk->lines;
        fs->end_decoded = bk->decoded;
    }
    return XC_OK;
}

static int row_push(file_source *fs, char c)
{
    if (fs->row_len == fs->row_cap) {
        if (fs->row_cap >= MAX_ROW)
            return -1;
        size_t cap = fs->row_cap * 2;
        char *r = realloc(fs->row, cap);
        if (!r)
            return -1;
        fs->row = r;
        fs->row_cap = cap;
    }
    fs->row[fs->row_len++] = c;
    return 0;
}

/* Appends n bytes at once (the run of ordinary bytes after one). */
static int row_append(file_source *fs, const char *p, size_t n)
{
    if (fs->row_len + n > fs->row_cap) {
        size_t cap = fs->row_cap;
        while (cap < fs->row_len + n)
            cap *= 2;
        if (cap > MAX_ROW)
            return -1;
        char *r = realloc(fs->row, cap);
        if (!r)
            return -1;
        fs->row = r;
        fs->row_cap = cap;
    }
    memcpy(fs->row + fs->row_len, p, n);
    fs->row_len += n;
    return 0;
}

/* The number of bytes from the read position up to the next one in `end`. */
static size_t run_until(const file_source *fs, const bool end[256])
{
    const unsigned char *p = (const unsigned char *)fs->buf + fs->buf_pos;
    const unsigned char *stop = (const unsigned char *)fs->buf + fs->buf_len;
    const unsigned char *q = p;
    while (q < stop && !end[*q])
        q++;
    return (size_t)(q - p);
}

static int field_begin(file_source *fs)
{
    if (fs->n_fields == fs->cap_fields) {
        if (fs->cap_fields >= MAX_COLUMNS)
            return -1;
        int cap = fs->cap_fields * 2;
        size_t *s = realloc(fs->start, (size_t)cap * sizeof *s);
        if (!s)
            return -1;
        fs->start = s;
        size_t *l = realloc(fs->len, (size_t)cap * sizeof *l);
        if (!l)
            return -1;
        fs->len = l;
        const char **p = realloc(fs->fp, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        fs->fp = p;
        fs->cap_fields = cap;
    }
    fs->start[fs->n_fields] = fs->row_len;
    fs->len[fs->n_fields] = 0;
    fs->n_fields++;
    return 0;
}

static void field_end(file_source *fs)
{
    int f = fs->n_fields - 1;
    fs->len[f] = fs->row_len - fs->start[f];
}

/* Ends field n of the fast path at `at`; false when the field table is full
 * (the general parser grows it). */
static inline bool cut(file_source *fs, int *n, const char **field, const char *at)
{
    if (*n + 1 == fs->cap_fields)
        return false;
    fs->fp[*n] = *field;
    fs->len[(*n)++] = (size_t)(at - *field);
    *field = at + 1;
    return true;
}

/* The fast path: a row that lies whole inside the current block, with no
 * quote and no CR but the one before its LF, is split where it lies. Returns
 * true, or false when the row needs the general parser. */
static bool split_in_place(file_source *fs)
{
    const char delim = fs->base.binding->delimiter;
    const char *p = fs->buf + fs->buf_pos, *stop = fs->buf + fs->buf_len;
    const char *field = p, *q = p;
    int n = 0;
#if defined(__SSE2__)
    /* Sixteen bytes at a time: delimiters in one mask, row ends and quotes
     * in another. */
    const char quote = fs->base.binding->quote ? fs->base.binding->quote : '\n';
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8(quote), vr = _mm_set1_epi8('\r');
    for (; stop - q >= 16; q += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        unsigned md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));
        unsigned me = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vq)),
                         _mm_cmpeq_epi8(v, vr)));
        unsigned first = me ? (unsigned)__builtin_ctz(me) : 16;
        md &= (1u << first) - 1;       /* the delimiters before the row's end */
        for (; md; md &= md - 1)
            if (!cut(fs, &n, &field, q + __builtin_ctz(md)))
                return false;
        if (me) {
            q += first;
            goto row_end;
        }
    }
#endif
    for (;; q++) {
        if (q == stop)
            return false;            /* the row goes on in the next block */
        if (!fs->special[(unsigned char)*q])
            continue;
        if (*q != delim)
            break;
        if (!cut(fs, &n, &field, q))
            return false;
    }
#if defined(__SSE2__)
row_end:
#endif
    {
        const char *row_end = q;
        if (*q == '\r') {
            if (q + 1 == stop || q[1] != '\n')
                return false;        /* a lone CR, or CR at the block's end */
            q++;
        } else if (*q != '\n') {
            return false;            /* a quote */
        }
        fs->fp[n] = field;
        fs->len[n++] = (size_t)(row_end - field);
        fs->n_fields = n;
        fs->problem[0] = '\0';
        fs->buf_pos = (size_t)(q + 1 - fs->buf);
        fs->line++;
        return true;
    }
}

/* Reads the kept bytes (the lines after a stray quote's first one) again
 * before the rest of the block being parsed: in place when they all lie in
 * it, else through a replay buffer that stands in for the block. */
static int replay_kept(file_source *fs, xc_err *err)
{
    fs->keeping = false;
    if (fs->keep_len == 0) {
        fs->buf_pos = fs->keep_from;
        return XC_OK;
    }
    size_t rest = fs->buf_len - fs->keep_from, n = fs->keep_len + rest;
    int i = fs->replay_i ^ 1;      /* not the one being read, if any */
    if (fs->replay_cap[i] < n) {
        char *r = realloc(fs->replay[i], n);
        if (!r)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        fs->replay[i] = r;
        fs->replay_cap[i] = n;
    }
    memcpy(fs->replay[i], fs->keep, fs->keep_len);
    memcpy(fs->replay[i] + fs->keep_len, fs->buf + fs->keep_from, rest);
    if (!fs->replaying)
        fs->parsed += fs->buf_len;     /* the block's rest is read in the replay */
    fs->replaying = true;
    fs->replay_i = i;
    fs->buf = fs->replay[i];
    fs->buf_len = n;
    fs->buf_pos = 0;
    fs->keep_len = 0;
    return XC_OK;
}

/* Parses one physical row into fs->fp / len. Returns XC_OK, XC_DONE at the
 * end of the file, or a negative code. Blank lines are skipped. *ret_line is
 * the line the row starts on; fs->line is then the line after it. */
static int parse_row(file_source *fs, long *ret_line, xc_err *err)
{
    enum { START, UNQUOTED, QUOTED, QUOTE_SEEN } st;
    enum { DMG_FIELDS, DMG_EOF, DMG_LONG } dmg;
    const char delim = fs->base.binding->delimiter;
    const char quote = fs->base.binding->quote;
    long quote_line = 0;
    int quote_col = 0, broke_col = 0;
    bool after_quote = false;   /* text followed a closing quote */
    bool broke = false;         /* a quoted field ran past a line end */
    bool prev_cr = false, broke_cr = false;
    for (;;) {                  /* the fast path, past blank lines */
        if (fs->buf_pos == fs->buf_len) {
            int rc = fill(fs, err);
            if (rc < 0)
                return rc;
            if (fs->buf_len == 0)
                return XC_DONE;
        }
        if (fs->skip_lf) {
            fs->skip_lf = false;
            if (fs->buf[fs->buf_pos] == '\n') {
                fs->buf_pos++;
                continue;
            }
        }
        *ret_line = fs->line;
        if (!split_in_place(fs))
            break;
        if (fs->n_fields > 1 || fs->len[0] > 0)
            return XC_OK;
        fs->blank_lines++;
    }
restart:
    fs->row_len = 0;
    fs->n_fields = 0;
    fs->problem[0] = '\0';
    fs->keeping = false;
    fs->keep_len = 0;
    st = START;
    *ret_line = fs->line;
    if (field_begin(fs) < 0)
        goto too_long;
    for (;;) {
        if (fs->buf_pos == fs->buf_len) {
            int rc = fill(fs, err);
            if (rc < 0)
                return rc;
            if (fs->buf_len == 0)
                break;     /* end of file */
        }
        char c = fs->buf[fs->buf_pos++];
        if (fs->skip_lf) {
            fs->skip_lf = false;
            if (c == '\n')
                continue;
        }
        switch (st) {
        case START:
            if (quote && c == quote) {
                st = QUOTED;
                quote_line = fs->line;
                quote_col = fs->n_fields;
                continue;
            }
            st = UNQUOTED;
            XC_FALLTHROUGH;
        case UNQUOTED:
            if (c == delim) {
                field_end(fs);
                if (field_begin(fs) < 0)
                    goto too_long;
                st = START;
            } else if (c == '\n' || c == '\r') {
                fs->line++;
                fs->skip_lf = c == '\r';
                field_end(fs);
                if (fs->n_fields == 1 && fs->len[0] == 0) {
                    fs->blank_lines++;
                    goto restart;
                }
                goto done;
            } else {
                /* this byte and the ordinary ones after it, at once */
                size_t n = run_until(fs, fs->plain_end);
                if (row_append(fs, fs->buf + fs->buf_pos - 1, n + 1) < 0)
                    goto too_long;
                fs->buf_pos += n;
            }
            continue;
        case QUOTED:
            if (c == quote) {
                st = QUOTE_SEEN;
                prev_cr = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' || !prev_cr)
                    fs->line++;
                prev_cr = c == '\r';
                if (!broke) {          /* keep what follows, to read it again */
                    broke = true;
                    broke_col = quote_col;
                    broke_cr = prev_cr;
                    fs->keeping = true;
                    fs->keep_from = fs->buf_pos;
                    fs->keep_len = 0;
                }
                if (row_push(fs, c) < 0)
                    goto too_long;
            } else {
                prev_cr = false;
                size_t n = run_until(fs, fs->quoted_end);
                if (row_append(fs, fs->buf + fs->buf_pos - 1, n + 1) < 0)
                    goto too_long;
                fs->buf_pos += n;
            }
            continue;
        case QUOTE_SEEN:
            if (c == quote) {
                st = QUOTED;
                if (row_push(fs, c) < 0)
                    goto too_long;
            } else if (c == delim || c == '\n' || c == '\r') {
                st = UNQUOTED;
                fs->buf_pos--;          /* handle it as after a plain field */
            } else {
                if (!after_quote)
                    snprintf(fs->problem, sizeof fs->problem,
                             _("text after the closing quote of column %d"), fs->n_fields);
                after_quote = true;
                st = UNQUOTED;
                if (row_push(fs, c) < 0)
                    goto too_long;
            }
            continue;
        }
    }
    /* End of file. */
    if (st == QUOTED) {
        if (broke) {
            dmg = DMG_EOF;
            goto damaged;
        }
        snprintf(fs->problem, sizeof fs->problem,
                 _("quoted field opened on line %ld is never closed"), quote_line);
        field_end(fs);
        fs->line++;                     /* the last line, without a line end */
        goto done;
    }
    field_end(fs);
    if (fs->n_fields == 1 && fs->len[0] == 0 && st == START)
        return XC_DONE;
    fs->line++;
done:
    if (broke && (fs->problem[0] || (fs->expected > 0 && fs->n_fields != fs->expected))) {
        dmg = DMG_FIELDS;
        goto damaged;
    }
    fs->keeping = false;
    for (int f = 0; f < fs->n_fields; f++)
        fs->fp[f] = fs->row + fs->start[f];
    return XC_OK;
damaged:
    /* 2026-12-01: a stray quote made the rest of the file (up to the next
     * quote) one rejected row; now its first line alone is the damage. */
    if (dmg == DMG_FIELDS && fs->problem[0])
        snprintf(fs->problem, sizeof fs->problem, _("unterminated quote in column %d: closed "
                 "on line %ld, it is followed by text after the closing quote; the line is "
                 "read alone"), broke_col, fs->line - 1);
    else if (dmg == DMG_FIELDS)
        snprintf(fs->problem, sizeof fs->problem, fs->base.binding->header
                 ? _("unterminated quote in column %d: closed on line %ld, it makes %d fields "
                     "where the header has %d; the line is read alone")
                 : _("unterminated quote in column %d: closed on line %ld, it makes %d fields "
                     "where the first row has %d; the line is read alone"),
                 broke_col, fs->line - 1, fs->n_fields, fs->expected);
    else if (dmg == DMG_EOF)
        snprintf(fs->problem, sizeof fs->problem, _("unterminated quote in column %d: not "
                 "closed before the end of the file; the line is read alone"), broke_col);
    else
        snprintf(fs->problem, sizeof fs->problem, _("unterminated quote in column %d: not "
                 "closed within %d MiB; the line is read alone"), broke_col, MAX_ROW >> 20);
    fs->n_fields = 0;
    fs->line = *ret_line + 1;
    fs->skip_lf = broke_cr;
    {
        int rc = replay_kept(fs, err);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
too_long:
    if (broke) {
        dmg = DMG_LONG;
        goto damaged;
    }
    xc_err_set(err, XC_EINPUT, "file \"%s\": row starting on line %ld is longer than %d MiB "
               "or has more than %d columns", fs->base.where, *ret_line, MAX_ROW >> 20,
               MAX_COLUMNS);
    xc_err_at(err, fs->base.where, *ret_line, NULL);
    xc_err_hint(err, "check the delimiter and quote settings");
    return XC_EINPUT;
}

static bool same_name(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    return alen == blen && strncasecmp(a, b, alen) == 0;
}

/* Whether the header looks like text in another encoding read wrongly
 * (mojibake): undecodable bytes (0xFF from the GB18030 decoder), U+FFFD, or
 * two or more Latin-1 letters (U+00C0-U+00FF: GB18030 bytes taken for
 * Latin-1), which Chinese column names do not hold. */
static bool looks_garbled(const file_source *fs)
{
    int latin = 0;
    for (int c = 0; c < fs->n_fields; c++) {
        const unsigned char *p = (const unsigned char *)fs->fp[c];
        for (size_t i = 0; i < fs->len[c]; i++) {
            if (p[i] == 0xFF)
                return true;
            if (i + 2 < fs->len[c] && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD)
                return true;
            latin += p[i] == 0xC3 && i + 1 < fs->len[c];
        }
    }
    return latin >= 2;
}

static int read_header(file_source *fs, xc_err *err)
{
    const xc_binding *b = fs->base.binding;
    long line;
    /* Skip a UTF-8 byte-order mark (decoded GB18030 can start with one too). */
    int rc = fill(fs, err);
    if (rc < 0)
        return rc;
    if (fs->buf_len >= 3 && memcmp(fs->buf, "\xEF\xBB\xBF", 3) == 0)
        fs->buf_pos = 3;
    rc = parse_row(fs, &line, err);
    if (rc < 0)
        return rc;
    if (rc == XC_DONE) {
        xc_err_set(err, XC_EINPUT, "file \"%s\" is empty: no %s", fs->base.where,
                   b->header ? "header row" : "rows");
        xc_err_at(err, fs->base.where, 1, NULL);
        return XC_EINPUT;
    }
    if (fs->n_fields == 0) {   /* a stray quote: the line alone is no header */
        xc_err_set(err, XC_EINPUT, "file \"%s\": the %s on line %ld is damaged: %s",
                   fs->base.where, b->header ? "header" : "first row", line, fs->problem);
        xc_err_at(err, fs->base.where, line, NULL);
        xc_err_hint(err, "check the quote setting (quote = none when the file has no "
                    "quoting)");
        return XC_EINPUT;
    }
    fs->expected = fs->n_fields;
    if (!b->header) {
        fs->pending = true;    /* the first row is data */
        fs->pending_line = line;
        fs->pending_span = fs->line - line;
        return XC_OK;
    }
    fs->header_lines = (uint64_t)(fs->line - line);
    for (int f = 0; f < b->ds->n_fields; f++) {
        const char *want = b->field[f].column;
        if (!want)
            continue;
        for (int c = 0; c < fs->n_fields; c++) {
            size_t n = fs->len[c];
            const char *name = xc_trim(fs->fp[c], &n);
            if (!same_name(name, n, want))
                continue;
            if (fs->col_of[f] >= 0) {
                xc_err_set(err, XC_EINPUT, "file \"%s\": column \"%s\" appears twice in the "
                           "header (columns %d and %d)", fs->base.where, want,
                           fs->col_of[f] + 1, c + 1);
                xc_err_at(err, fs->base.where, line, b->ds->fields[f].name);
                return XC_EINPUT;
            }
            fs->col_of[f] = c;
        }
        if (fs->col_of[f] < 0) {
            char cols[400] = "";
            for (int c = 0; c < fs->n_fields && strlen(cols) < 300; c++) {
                size_t n = fs->len[c];
                const char *name = xc_trim(fs->fp[c], &n);
                snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%.*s",
                         c ? ", " : "", (int)(n < 40 ? n : 40), name);
            }
            xc_err_set(err, XC_EINPUT, "file \"%s\": column \"%s\" (field %s.%s) is not in "
                       "the header", fs->base.where, want, b->ds->name, b->ds->fields[f].name);
            xc_err_detail(err, "The header has: %s", cols);
            if (looks_garbled(fs))
                xc_err_hint(err, "the header looks garbled (mojibake): %s",
                            b->encoding == XC_ENC_UTF8
                            ? "is the file GB18030? set encoding = gb18030"
                            : "the file may not be GB18030 (encoding = gb18030): check "
                              "the encoding, or export it again");
            else
                xc_err_hint(err, "fix field.%s in the [%s] section of the configuration "
                            "(line %d), or the delimiter", b->ds->fields[f].name,
                            b->ds->name, b->field[f].line);
            xc_err_at(err, fs->base.where, line, b->ds->fields[f].name);
            return XC_EINPUT;
        }
    }
    return XC_OK;
}

/* Hands out the row just parsed (fs->fp / len) as *row. */
static void emit_row(file_source *fs, xc_raw_row *row, long line)
{
    const xc_binding *b = fs->base.binding;
    fs->base.rows++;
    row->line = line;
    row->format = NULL;
    row->problem = NULL;
    row->problem_field = -1;
    for (int f = 0; f < XC_MAX_FIELDS; f++)
        row->f[f] = (xc_raw_field){NULL, 0};
    if (fs->problem[0]) {
        row->problem = fs->problem;
        return;
    }
    if (fs->n_fields != fs->expected) {
        snprintf(fs->problem, sizeof fs->problem, b->header ? _("%d fields where the header has %d")
                 : _("%d fields where the first row has %d"), fs->n_fields, fs->expected);
        row->problem = fs->problem;
        return;
    }
    for (int f = 0; f < b->ds->n_fields; f++) {
        int c = fs->col_of[f];
        if (c < 0)
            continue;
        if (c >= fs->n_fields) {
            snprintf(fs->problem, sizeof fs->problem, _("no column %d in this row"), c + 1);
            row->problem = fs->problem;
            row->problem_field = f;
            return;
        }
        /* text is checked as UTF-8 when the field is converted */
        row->f[f].p = fs->fp[c];
        row->f[f].len = fs->len[c];
    }
}

/* At the end of the file: every line and every decoded byte is accounted
 * for. Returns XC_DONE, or XC_EINPUT when they are not. */
static int check_end(file_source *fs, xc_err *err)
{
    uint64_t lines = fs->header_lines + fs->blank_lines + fs->row_lines;
    fs->base.physical_rows = fs->end_lines;
    fs->base.other_lines = fs->header_lines + fs->blank_lines +
                           (fs->row_lines - fs->base.rows);
    if (fs->end_lines == lines && fs->parsed == fs->end_decoded && !fs->replaying)
        return XC_DONE;
    xc_err_set(err, XC_EINPUT, "file \"%s\": %llu lines (%llu bytes) in the file, but %llu "
               "lines (%llu bytes) read: %llu of the header, %llu blank and %llu of %llu rows",
               fs->base.where, (unsigned long long)fs->end_lines,
               (unsigned long long)fs->end_decoded, (unsigned long long)lines,
               (unsigned long long)fs->parsed, (unsigned long long)fs->header_lines,
               (unsigned long long)fs->blank_lines, (unsigned long long)fs->row_lines,
               (unsigned long long)fs->base.rows);
    xc_err_at(err, fs->base.where, fs->line, NULL);
    xc_err_hint(err, "the reader lost track of lines: keep the file and report it");
    return XC_EINPUT;
}

static int source_start(file_source *fs, xc_err *err);

/* Stops the reader and frees what only reading needs: the buffers, the
 * inflater, the decoder, the descriptor. The counts stay. */
static void release(file_source *fs)
{
    if (fs->reader_started) {
        pthread_mutex_lock(&fs->lock);
        fs->stop = true;
        pthread_cond_signal(&fs->emptied);
        pthread_mutex_unlock(&fs->lock);
        pthread_join(fs->reader, NULL);
        fs->reader_started = false;
    }
    if (fs->fd >= 0)
        close(fs->fd);
    fs->fd = -1;
#if XC_HAVE_ISAL
    free(fs->isal);
    fs->isal = NULL;
#else
    if (fs->zs_ready)
        inflateEnd(&fs->zs);
    fs->zs_ready = false;
#endif
    if (fs->cd != (iconv_t)-1)
        iconv_close(fs->cd);
    fs->cd = (iconv_t)-1;
    char **bufs[] = {&fs->keep, &fs->replay[0], &fs->replay[1], &fs->in, &fs->row,
                     &fs->blocks[0].data, &fs->blocks[1].data, &fs->blocks[2].data,
                     &fs->blocks[3].data};
    _Static_assert(BLOCKS == 4, "every block is in bufs");
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
        free(*bufs[i]);
        *bufs[i] = NULL;
    }
    free(fs->raw);
    fs->raw = NULL;
    fs->buf = NULL;
    fs->buf_len = fs->buf_pos = 0;
}

static int file_next(xc_source *src, xc_raw_row *row, xc_err *err)
{
    file_source *fs = (file_source *)src;
    if (fs->finished)
        return XC_DONE;
    if (fs->deferred) {
        int rc = source_start(fs, err);
        if (rc < 0)
            return rc;
    }
    long line = fs->pending_line;
    int rc = XC_OK;
    if (fs->pending) {          /* header = false: the row read at open */
        fs->pending = false;
        fs->row_lines += (uint64_t)fs->pending_span;
    } else {
        rc = parse_row(fs, &line, err);
        if (rc == XC_OK)
            fs->row_lines += (uint64_t)(fs->line - line);
    }
    if (rc == XC_OK)
        emit_row(fs, row, line);
    else if (rc == XC_DONE)
        rc = check_end(fs, err);
    if (rc == XC_DONE) {
        release(fs);
        fs->finished = true;
    }
    return rc;
}

/* After the first row, more rows only as long as they lie whole, without a
 * problem, in the block being read: the next block would replace the bytes
 * they point to, and a problem's text is kept for one row only. */
static int file_next_batch(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err)
{
    file_source *fs = (file_source *)src;
    *ret_n = 0;
    int rc = file_next(src, &rows[0], err);
    if (rc != XC_OK)
        return rc;
    int n = 1;
    while (n < max && !rows[n - 1].problem && fs->buf_pos < fs->buf_len) {
        if (fs->skip_lf) {
            fs->skip_lf = false;
            if (fs->buf[fs->buf_pos] == '\n') {
                fs->buf_pos++;
                continue;
            }
        }
        long line = fs->line;
        if (!split_in_place(fs))
            break;
        if (fs->n_fields == 1 && fs->len[0] == 0) {
            fs->blank_lines++;
            continue;
        }
        fs->row_lines++;
        emit_row(fs, &rows[n++], line);
    }
    *ret_n = n;
    return XC_OK;
}

static void file_close(xc_source *src)
{
    file_source *fs = (file_source *)src;
    if (!fs)
        return;
    if (fs->reader_started) {
        pthread_mutex_lock(&fs->lock);
        fs->stop = true;
        pthread_cond_signal(&fs->emptied);
        pthread_mutex_unlock(&fs->lock);
        pthread_join(fs->reader, NULL);
    }
    pthread_mutex_destroy(&fs->lock);
    pthread_cond_destroy(&fs->filled);
    pthread_cond_destroy(&fs->emptied);
    if (fs->fd >= 0)
        close(fs->fd);
#if XC_HAVE_ISAL
    free(fs->isal);
#else
    if (fs->zs_ready)
        inflateEnd(&fs->zs);
#endif
    free(fs->raw);
    free(fs->keep);
    free(fs->replay[0]);
    free(fs->replay[1]);
    if (fs->cd != (iconv_t)-1)
        iconv_close(fs->cd);
    for (int i = 0; i < BLOCKS; i++)
        free(fs->blocks[i].data);
    free(fs->in);
    free(fs->row);
    free(fs->fp);
    free(fs->start);
    free(fs->len);
    free(fs);
}

static const char *file_path_of(const xc_binding *b)
{
    const file_conf *c = b->source_conf;
    return c && c->n_items ? c->items[0] : "";
}

const char *xc_file_path(const xc_binding *b)
{
    return b->source == &xc_file_source_ops ? file_path_of(b) : NULL;
}

/* What a file that is not a regular one is, for the message. */
static const char *file_kind(mode_t mode)
{
    return S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO (named pipe)"
         : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device"
         : S_ISSOCK(mode) ? "a socket" : S_ISLNK(mode) ? "a symbolic link"
         : "not a regular file";
}

/* Opens the binding's path, refusing anything but a regular file without
 * blocking: O_NONBLOCK keeps open(2) of a FIFO from waiting for a writer, and
 * the opened descriptor itself is checked, so the file cannot be swapped in
 * between. Reads its first bytes to tell gzip from plain. */
static int open_file(file_source *fs, xc_err *err)
{
    const xc_binding *b = fs->base.binding;
    fs->fd = open(fs->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fs->fd < 0) {
        int e = errno;
        if (e == ENXIO && stat(fs->path, &st) == 0 && !S_ISREG(st.st_mode)) {
            xc_err_set(err, XC_EIO, "file \"%s\" (dataset %s) is %s, not a regular file",
                       fs->path, b->ds->name, file_kind(st.st_mode));
            xc_err_at(err, fs->path, 0, NULL);
            xc_err_hint(err, "path must name a file (a copy of the export), not a pipe, "
                        "device or socket");
            return XC_EIO;
        }
        xc_err_set(err, XC_EIO, "cannot open file \"%s\" (dataset %s): %s", fs->path,
                   b->ds->name, strerror(e));
        xc_err_at(err, fs->path, 0, NULL);
        xc_err_hint(err, "paths in the configuration are relative to its own directory");
        return XC_EIO;
    }
    if (fstat(fs->fd, &st) != 0) {
        xc_err_set(err, XC_EIO, "file \"%s\": %s", fs->path, strerror(errno));
        xc_err_at(err, fs->path, 0, NULL);
        return XC_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        /* 2026-12-01: a FIFO as path blocked the run in open(2) for ever. */
        xc_err_set(err, XC_EIO, "file \"%s\" (dataset %s) is %s, not a regular file", fs->path,
                   b->ds->name, file_kind(st.st_mode));
        xc_err_at(err, fs->path, 0, NULL);
        xc_err_hint(err, S_ISDIR(st.st_mode)
                    ? "path must name a file in the directory (or a glob such as dir/*.csv)"
                    : "path must name a file (a copy of the export), not a pipe, device or "
                      "socket");
        return XC_EIO;
    }
    int flags = fcntl(fs->fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fs->fd, F_SETFL, flags & ~O_NONBLOCK);
    fs->base.bytes_total = (uint64_t)st.st_size;
    if (!(fs->raw = malloc(CHUNK)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    block probe = {0};
    if (raw_fill(fs, &probe, 2) < 0) {
        xc_err_set(err, XC_EIO, "cannot read file \"%s\": %s", fs->path, probe.why);
        xc_err_at(err, fs->path, 0, NULL);
        return XC_EIO;
    }
    fs->gzip = fs->raw_len >= 2 && fs->raw[0] == 0x1F && fs->raw[1] == 0x8B;
    if (fs->gzip) {
        fs->member_at = 0;
#if XC_HAVE_ISAL
        /* ISAL_GZIP_NO_HDR: the deflate data alone, its CRC-32 kept in
         * crc; the header and trailer are read_gz_header's and read_trailer's. */
        if (!(fs->isal = malloc(sizeof *fs->isal)))
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        isal_inflate_init(fs->isal);
        fs->isal->crc_flag = ISAL_GZIP_NO_HDR;
        start_member(fs);
#else
        if (inflateInit2(&fs->zs, 16 + MAX_WBITS) != Z_OK)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        fs->zs_ready = true;
        fs->gz_state = GZ_MEMBER;
#endif
    }
    return XC_OK;
}

/* A source of b reading the file at path (borrowed: it must outlive the
 * source), its buffers not yet made nor the file opened. */
static int source_new(const xc_binding *b, const char *path, file_source **ret, xc_err *err)
{
    file_source *fs = calloc(1, sizeof *fs);
    if (!fs)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    fs->fd = -1;
    fs->path = path;
    fs->base.ops = &xc_file_source_ops;
    fs->base.binding = b;
    fs->plain_end[(unsigned char)b->delimiter] = true;
    fs->plain_end['\n'] = fs->plain_end['\r'] = true;
    fs->quoted_end['\n'] = fs->quoted_end['\r'] = true;
    if (b->quote)
        fs->quoted_end[(unsigned char)b->quote] = true;
    memcpy(fs->special, fs->plain_end, sizeof fs->special);
    if (b->quote)
        fs->special[(unsigned char)b->quote] = true;
    pthread_mutex_init(&fs->lock, NULL);
    pthread_cond_init(&fs->filled, NULL);
    pthread_cond_init(&fs->emptied, NULL);
    fs->cd = (iconv_t)-1;
    fs->line = 1;
    snprintf(fs->base.where, sizeof fs->base.where, "%s", fs->path);
    for (int f = 0; f < XC_MAX_FIELDS; f++)
        fs->col_of[f] = !b->header && b->field[f].column ? b->field[f].column_no - 1 : -1;
    *ret = fs;
    return XC_OK;
}

/* Makes the buffers, opens the file, starts the reader and reads the
 * header. Returns XC_OK or a negative code with err naming the file; the
 * caller closes fs either way. */
static int source_start(file_source *fs, xc_err *err)
{
    const xc_binding *b = fs->base.binding;
    fs->deferred = false;
    int rc = XC_ENOMEM;
    fs->row_cap = 4096;
    fs->cap_fields = 32;
    fs->row = malloc(fs->row_cap);
    fs->fp = malloc((size_t)fs->cap_fields * sizeof *fs->fp);
    fs->start = malloc((size_t)fs->cap_fields * sizeof *fs->start);
    fs->len = malloc((size_t)fs->cap_fields * sizeof *fs->len);
    if (!fs->row || !fs->fp || !fs->start || !fs->len)
        goto fail;
    for (int i = 0; i < BLOCKS; i++)
        if (!(fs->blocks[i].data = malloc(b->encoding == XC_ENC_UTF8 ? CHUNK : CHUNK * 4)))
            goto fail;
    if (b->encoding == XC_ENC_GB18030) {
        fs->in = malloc(CHUNK);
        if (!fs->in)
            goto fail;
        fs->cd = iconv_open("UTF-8", "GB18030");
        if (fs->cd == (iconv_t)-1) {
            rc = xc_err_set(err, XC_EIO, "file \"%s\": this system cannot decode GB18030: %s",
                            fs->path, strerror(errno));
            goto fail;
        }
    }
    rc = open_file(fs, err);
    if (rc < 0)
        goto fail;
    if (pthread_create(&fs->reader, NULL, reader_main, fs) != 0) {
        rc = xc_err_set(err, XC_ENOMEM, "file \"%s\": cannot start a reader thread", fs->path);
        goto fail;
    }
    fs->reader_started = true;
    rc = read_header(fs, err);
    if (rc < 0)
        goto fail;
    if (!b->header) {
        for (int f = 0; f < b->ds->n_fields; f++)
            if (fs->col_of[f] >= fs->expected) {
                rc = xc_err_set(err, XC_EINPUT, "file \"%s\": field %s.%s is column %d, but "
                                "the first row has %d columns", fs->path, b->ds->name,
                                b->ds->fields[f].name, fs->col_of[f] + 1, fs->expected);
                xc_err_at(err, fs->path, 1, b->ds->fields[f].name);
                goto fail;
            }
    }
    return XC_OK;
fail:
    if (rc == XC_ENOMEM && (!err || err->code == XC_OK))
        xc_err_set(err, XC_ENOMEM, "out of memory");
    return rc;
}

/* Opens the file at path (borrowed) as a source of b, its header read and
 * checked. */
static int open_path(const xc_binding *b, const char *path, file_source **ret, xc_err *err)
{
    file_source *fs;
    int rc = source_new(b, path, &fs, err);
    if (rc < 0)
        return rc;
    if ((rc = source_start(fs, err)) < 0) {
        file_close(&fs->base);
        return rc;
    }
    *ret = fs;
    return XC_OK;
}

/* Opens the file at path (borrowed) as a source of b to be read later: the
 * file is opened, and its header read again, at the first row. A dataset of
 * many files opens all its parts at once, and so holds the buffers and the
 * reader thread of only the files being read; the files were checked
 * before (file_prepare). */
static int open_deferred(const xc_binding *b, const char *path, file_source **ret, xc_err *err)
{
    file_source *fs;
    int rc = source_new(b, path, &fs, err);
    if (rc < 0)
        return rc;
    fs->deferred = true;
    struct stat st;
    if (stat(path, &st) == 0)
        fs->base.bytes_total = (uint64_t)st.st_size;
    *ret = fs;
    return XC_OK;
}

/* ---- configuration: path, a file, a glob or a list of them -------------- */

static const char *const file_keys[] = {"path", NULL};

/* Whether an entry of `path` is a glob: it holds *, ? or [. */
static bool is_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* The entry `value` (n bytes) resolved against basedir; in a glob the
 * directory's own *, ?, [ and \ are escaped, so that only the entry's own
 * are wildcards. Returns NULL when out of memory. */
static char *resolve(const char *basedir, const char *value, size_t n)
{
    bool glob_entry = false;
    for (size_t i = 0; i < n; i++)
        glob_entry |= value[i] == '*' || value[i] == '?' || value[i] == '[';
    bool rel = value[0] != '/' && basedir && *basedir;
    size_t dn = rel ? strlen(basedir) : 0;
    char *out = malloc(2 * dn + n + 2), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < dn; i++) {
        if (glob_entry && strchr("*?[\\", basedir[i]))
            *o++ = '\\';
        *o++ = basedir[i];
    }
    if (rel)
        *o++ = '/';
    memcpy(o, value, n);
    o[n] = '\0';
    return out;
}

static int file_conf_key(xc_binding *b, const char *key, const char *value, const char *basedir,
                         xc_err *err)
{
    file_conf *c = b->source_conf;
    if (!c && !(c = b->source_conf = calloc(1, sizeof *c)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (!*value) {
        xc_err_set(err, XC_ECONFIG, "[%s] %s: empty value", b->ds->name, key);
        xc_err_hint(err, "give a value, or leave the key out");
        return XC_ECONFIG;
    }
    /* A list: entries joined by ",", each a file or a glob. */
    size_t given = 0;
    for (const char *p = value;; p++) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n > 0 && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == 0) {
            xc_err_set(err, XC_ECONFIG, "[%s] %s: an empty entry in the list \"%s\"",
                       b->ds->name, key, value);
            xc_err_hint(err, "entries of path are joined by \",\": a file or a glob such as "
                        "exports/sbjf-*.csv.gz each");
            return XC_ECONFIG;
        }
        char **items = realloc(c->items, (c->n_items + 1) * sizeof *items);
        if (!items)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        c->items = items;
        if (!(items[c->n_items] = resolve(basedir, p, n)))
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        given += strlen(items[c->n_items++]) + 2;
        if (!end)
            break;
        p = end;
    }
    if (!(c->given = malloc(given + 1)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    c->given[0] = '\0';
    for (size_t i = 0; i < c->n_items; i++) {
        if (i)
            strcat(c->given, ", ");
        strcat(c->given, c->items[i]);
    }
    return XC_OK;
}

static int file_conf_check(const xc_binding *b, xc_err *err)
{
    const file_conf *c = b->source_conf;
    if (c && c->n_items)
        return XC_OK;
    xc_err_set(err, XC_ECONFIG, "[%s]: a file source needs 'path'", b->ds->name);
    xc_err_at(err, NULL, 0, "path");
    return XC_ECONFIG;
}

static void file_conf_free(void *conf)
{
    file_conf *c = conf;
    if (!c)
        return;
    for (size_t i = 0; i < c->n_items; i++)
        free(c->items[i]);
    free(c->items);
    free(c->given);
    free(c);
}

/* ---- the files of a dataset --------------------------------------------- */

static int cmp_path(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

void xc_file_paths_free(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}

/* A directory glob(3) could not read: a missing one matches nothing, any
 * other failure (permissions, I/O) stops the expansion. */
static int glob_error(const char *path, int e)
{
    (void)path;
    return e != ENOENT && e != ENOTDIR;
}

/* Adds the files glob `pattern` matches, sorted by name in byte order, to
 * *paths. */
static int add_glob(const xc_binding *b, const char *pattern, char ***paths, size_t *n,
                    xc_err *err)
{
    glob_t g;
    int grc = glob(pattern, GLOB_NOSORT, glob_error, &g);
    if (grc == GLOB_NOMATCH || (grc == 0 && g.gl_pathc == 0)) {
        globfree(&g);
        xc_err_set(err, XC_EIO, "path \"%s\" (dataset %s) matches no file", pattern,
                   b->ds->name);
        xc_err_at(err, pattern, 0, NULL);
        xc_err_hint(err, "paths in the configuration are relative to its own directory; "
                    "names starting with \".\" are matched only by a pattern starting so");
        return XC_EIO;
    }
    if (grc == GLOB_NOSPACE) {
        globfree(&g);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    if (grc != 0) {
        globfree(&g);
        xc_err_set(err, XC_EIO, "path \"%s\" (dataset %s): a directory of the pattern cannot "
                   "be read", pattern, b->ds->name);
        xc_err_at(err, pattern, 0, NULL);
        return XC_EIO;
    }
    qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, cmp_path);
    char **more = realloc(*paths, (*n + g.gl_pathc) * sizeof *more);
    if (!more) {
        globfree(&g);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    *paths = more;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        if (!(more[*n] = strdup(g.gl_pathv[i]))) {
            globfree(&g);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
        (*n)++;
    }
    globfree(&g);
    return XC_OK;
}

/* Fails when a file is named twice (by two entries of the list): it would
 * be read and counted twice. */
static int check_distinct(const xc_binding *b, char **paths, size_t n, xc_err *err)
{
    char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    memcpy(sorted, paths, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_path);
    int rc = XC_OK;
    for (size_t i = 1; i < n && rc == XC_OK; i++)
        if (strcmp(sorted[i - 1], sorted[i]) == 0) {
            rc = xc_err_set(err, XC_ECONFIG, "[%s] path names file \"%s\" twice", b->ds->name,
                            sorted[i]);
            xc_err_at(err, sorted[i], 0, "path");
            xc_err_hint(err, "each file of a dataset is read once: drop the entry, or narrow "
                        "the glob, that names it again");
        }
    free(sorted);
    return rc;
}

int xc_file_expand(const xc_binding *b, char ***ret, size_t *ret_n, xc_err *err)
{
    const file_conf *c = b->source == &xc_file_source_ops ? b->source_conf : NULL;
    if (!c || !c->n_items)
        return xc_err_set(err, XC_EINTERNAL, "[%s]: no file source", b->ds->name);
    char **paths = NULL;
    size_t n = 0;
    int rc = XC_OK;
    for (size_t i = 0; i < c->n_items && rc == XC_OK; i++) {
        if (is_glob(c->items[i])) {
            rc = add_glob(b, c->items[i], &paths, &n, err);
            continue;
        }
        char **more = realloc(paths, (n + 1) * sizeof *more);
        if (!more || !(more[n] = strdup(c->items[i]))) {
            if (more)
                paths = more;
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
            break;
        }
        paths = more;
        n++;
    }
    if (rc == XC_OK)
        rc = check_distinct(b, paths, n, err);
    if (rc < 0) {
        xc_file_paths_free(paths, n);
        return rc;
    }
    *ret = paths;
    *ret_n = n;
    return XC_OK;
}

/* ---- the plan: one part per file ---------------------------------------- */

typedef struct file_plan {
    xc_source_plan base;
    char **paths;          /* the dataset's files, in reading order */
    size_t n;
    const char *given;     /* the binding's path, borrowed */
    char **header;         /* the first file's header (its trimmed names), or
                              NULL without a header */
    int columns;           /* the first file's columns */
} file_plan;

static void file_plan_free(xc_source_plan *p)
{
    file_plan *fp = (file_plan *)p;
    if (!fp)
        return;
    xc_file_paths_free(fp->paths, fp->n);
    for (int i = 0; fp->header && i < fp->columns; i++)
        free(fp->header[i]);
    free(fp->header);
    free(fp);
}

/* A header name of fs, trimmed, cut at 60 bytes for messages. */
static void name_of(const file_source *fs, int c, char *out, size_t size)
{
    size_t n = fs->len[c];
    const char *name = xc_trim(fs->fp[c], &n);
    n = xc_utf8_prefix(name, n, n < size - 1 ? n : size - 1);
    memcpy(out, name, n);
    out[n] = '\0';
}

/* Keeps the first file's shape: its columns and header names. */
static int keep_shape(file_plan *fp, const file_source *fs, xc_err *err)
{
    fp->columns = fs->expected;
    if (!fs->base.binding->header)
        return XC_OK;
    if (!(fp->header = calloc((size_t)fs->expected, sizeof *fp->header)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    for (int c = 0; c < fs->expected; c++) {
        size_t n = fs->len[c];
        const char *name = xc_trim(fs->fp[c], &n);
        if (!(fp->header[c] = strndup(name, n)))
            return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    return XC_OK;
}

/* Checks that a further file has the first file's shape: the same header,
 * or without a header the same number of columns. */
static int same_shape(const file_plan *fp, const file_source *fs, xc_err *err)
{
    const xc_binding *b = fs->base.binding;
    int n = fs->expected < fp->columns ? fs->expected : fp->columns;
    for (int c = 0; b->header && c < n; c++) {
        size_t len = fs->len[c];
        const char *name = xc_trim(fs->fp[c], &len);
        if (same_name(name, len, fp->header[c]))
            continue;
        char got[64];
        name_of(fs, c, got, sizeof got);
        xc_err_set(err, XC_EINPUT, "file \"%s\" (dataset %s): its header differs from the "
                   "first file's: column %d is \"%s\", in \"%s\" it is \"%.60s\"", fs->path,
                   b->ds->name, c + 1, got, fp->paths[0], fp->header[c]);
        xc_err_at(err, fs->path, 1, NULL);
        xc_err_hint(err, "every file of a dataset must have the same columns in the same "
                    "order: export it again, or bind it as a dataset of its own");
        return XC_EINPUT;
    }
    if (fs->expected == fp->columns)
        return XC_OK;
    xc_err_set(err, XC_EINPUT, "file \"%s\" (dataset %s): its %s has %d columns, the first "
               "file's (\"%s\") has %d", fs->path, b->ds->name,
               b->header ? "header" : "first row", fs->expected, fp->paths[0], fp->columns);
    if (b->header && fs->expected > fp->columns) {
        char got[64];
        name_of(fs, fp->columns, got, sizeof got);
        xc_err_detail(err, "The first difference: column %d, \"%s\", is not in the first file",
                      fp->columns + 1, got);
    } else if (b->header) {
        xc_err_detail(err, "The first difference: column %d of the first file, \"%.60s\", is "
                      "missing", fs->expected + 1, fp->header[fs->expected]);
    }
    xc_err_at(err, fs->path, 1, NULL);
    xc_err_hint(err, "every file of a dataset must have the same columns in the same order");
    return XC_EINPUT;
}

/* Checks every file before any data is read: present, a regular file,
 * readable, its header with the mapped columns, the first file's shape. */
static int file_prepare(xc_source_shared *shared, const xc_binding *b, const xc_source_env *env,
                        xc_source_plan **ret, xc_err *err)
{
    (void)shared;
    (void)env;
    file_plan *fp = calloc(1, sizeof *fp);
    if (!fp)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    fp->base = (xc_source_plan){.ops = &xc_file_source_ops, .binding = b, .parts = 1};
    fp->given = ((const file_conf *)b->source_conf)->given;
    int rc = xc_file_expand(b, &fp->paths, &fp->n, err);
    for (size_t i = 0; rc == XC_OK && i < fp->n; i++) {
        file_source *fs = NULL;
        rc = open_path(b, fp->paths[i], &fs, err);
        if (rc == XC_OK)
            rc = i == 0 ? keep_shape(fp, fs, err) : same_shape(fp, fs, err);
        if (fs)
            file_close(&fs->base);
    }
    if (rc < 0) {
        file_plan_free(&fp->base);
        return rc;
    }
    *ret = &fp->base;
    return XC_OK;
}

/* One part per file, whatever the jobs: the run reads up to `jobs` of them
 * at once; a dataset read whole in one pass (the archive) reads its parts
 * one after another. */
static int file_plan_decide(xc_source_plan *p, const xc_source_plan_in *in, xc_err *err)
{
    (void)in;
    file_plan *fp = (file_plan *)p;
    if (fp->n > 1000000)
        return xc_err_set(err, XC_ECONFIG, "[%s] path names %zu files, more than a run reads",
                          p->binding->ds->name, fp->n);
    p->parts = (int)fp->n;
    return XC_OK;
}

static void file_record(const xc_source_plan *p, xc_source_record *ret)
{
    const file_plan *fp = (const file_plan *)p;
    ret->strategy = "file";
    ret->reason = "";
    ret->where = fp->n == 1 ? fp->paths[0] : fp->given;
}

static int file_n_sources(const xc_source_plan *p)
{
    return p->parts;
}

static const char *file_source_label(const xc_source_plan *p, int i)
{
    const file_plan *fp = (const file_plan *)p;
    return i >= 0 && (size_t)i < fp->n ? fp->paths[i] : "";
}

static int file_part_source(const xc_source_plan *p, int part)
{
    (void)p;
    return part;
}

static int file_open(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret,
                     xc_err *err)
{
    file_source *fs = NULL;
    int rc;
    if (ctx && ctx->plan && ctx->plan->ops == &xc_file_source_ops) {
        const file_plan *fp = (const file_plan *)ctx->plan;
        if (ctx->part < 0 || (size_t)ctx->part >= fp->n)
            return xc_err_set(err, XC_EINTERNAL, "[%s]: no file for part %d", b->ds->name,
                              ctx->part);
        /* The files were checked by file_prepare: a single one is opened
         * now, as before, the others when they are read. */
        rc = fp->n == 1 ? open_path(b, fp->paths[0], &fs, err)
                        : open_deferred(b, fp->paths[ctx->part], &fs, err);
    } else {
        /* Without a plan: a binding of one file. */
        const file_conf *c = b->source_conf;
        if (!c || c->n_items != 1 || is_glob(c->items[0])) {
            xc_err_set(err, XC_ECONFIG, "[%s] path \"%s\" names several files: they are read "
                       "in a run", b->ds->name, c ? c->given : "");
            return XC_ECONFIG;
        }
        rc = open_path(b, c->items[0], &fs, err);
    }
    if (rc < 0)
        return rc;
    *ret = &fs->base;
    return XC_OK;
}

const xc_source_ops xc_file_source_ops = {
    .abi = XC_SOURCE_ABI,
    .kind = "file",
    .open = file_open,
    .next = file_next,
    .close = file_close,
    .next_batch = file_next_batch,
    .keys = file_keys,
    .conf_key = file_conf_key,
    .conf_check = file_conf_check,
    .conf_free = file_conf_free,
    .prepare = file_prepare,
    .plan = file_plan_decide,
    .plan_free = file_plan_free,
    .record = file_record,
    .n_sources = file_n_sources,
    .source_label = file_source_label,
    .part_source = file_part_source,
};
