/* test_pgconn.c - connecting to PostgreSQL without a password ever reaching
 * a message (pgconn.h), with no server: a malformed connection string is
 * reported without its quoted fragments, a server that cannot be reached
 * gives SQLSTATE 08001 and the caller's code, a password is scrubbed from
 * every text of an error, libpq's multi-line messages become one line, and
 * time limits read as people write them; and, against a stand-in server on
 * a local socket, a refusal's SQLSTATE and a server that never answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xcheck/error.h"
#include "core/pgconn.h"

/* No text of err holds s. */
static void assert_nowhere(const xc_err *err, const char *s)
{
    const char *texts[] = {err->msg, err->detail, err->hint, err->where, err->field};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strstr(texts[i], s))
            fail_msg("\"%s\" shows \"%s\"", texts[i], s);
}

static void test_pgconn_malformed_string_is_reported_without_its_fragments(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    char *secret = (char *)"untouched";
    PGconn *c = xc_pg_connect("host=localhost password='s3cr3t-part", "the results database",
                              NULL, XC_EIO, &secret, &err);
    assert_null(c);
    assert_int_equal(err.code, XC_ECONFIG);
    assert_null(secret);
    assert_non_null(strstr(err.msg, "the results database"));
    assert_nowhere(&err, "s3cr3t");
    c = xc_pg_connect("host=localhost bogus_keyword=\"quoted-secret\"", "the database", NULL,
                      XC_EIO, NULL, &err);
    assert_null(c);
    assert_int_equal(err.code, XC_ECONFIG);
    assert_nowhere(&err, "quoted-secret");
}

static void test_pgconn_unreachable_server_is_08001_without_the_password(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    char *secret = NULL;
    /* a socket directory that does not exist: refused at once */
    PGconn *c = xc_pg_connect("host=/nonexistent/xcheck-test port=5 dbname=x user=u "
                              "password=hunter2 connect_timeout=2",
                              "the source database", "check the server", XC_ESOURCE, &secret,
                              &err);
    assert_null(c);
    assert_null(secret);                     /* freed again on failure */
    assert_int_equal(err.code, XC_ESOURCE);
    assert_non_null(strstr(err.msg, "cannot connect to the source database"));
    char state6[6];
    assert_non_null(xc_pg_err_state(&err, state6));
    assert_string_equal(state6, "08001");
    assert_string_equal(err.hint, "check the server");
    assert_nowhere(&err, "hunter2");
    /* a URI, the same */
    xc_err_clear(&err);
    c = xc_pg_connect("postgresql://u:hunter3@/x?host=/nonexistent/xcheck-test&port=5",
                      "the results database", NULL, XC_EIO, NULL, &err);
    assert_null(c);
    assert_int_equal(err.code, XC_EIO);
    assert_nowhere(&err, "hunter3");
    assert_string_equal(err.hint, "");
    /* over TCP to a port nothing listens on: refused while polling */
    xc_err_clear(&err);
    c = xc_pg_connect("host=127.0.0.1 port=1 dbname=x user=u password=hunter4 "
                      "connect_timeout=1", "the source database", NULL, XC_ESOURCE, NULL, &err);
    assert_null(c);
    assert_int_equal(err.code, XC_ESOURCE);
    assert_non_null(xc_pg_err_state(&err, state6));
    assert_string_equal(state6, "08001");
    assert_nowhere(&err, "hunter4");
}

static void test_pgconn_knows_when_a_string_carries_a_password(void **state)
{
    (void)state;
    assert_true(xc_pg_conninfo_has_password("host=db password=x"));
    assert_true(xc_pg_conninfo_has_password("postgresql://u:pw@db/x"));
    assert_false(xc_pg_conninfo_has_password("host=db user=u"));
    assert_false(xc_pg_conninfo_has_password("host=db password="));
    assert_false(xc_pg_conninfo_has_password("postgresql://u@db/x"));
    assert_false(xc_pg_conninfo_has_password("mydb"));          /* a database name */
    assert_false(xc_pg_conninfo_has_password(NULL));
    assert_false(xc_pg_conninfo_has_password("password='unterminated"));
}

static void test_pgconn_scrub_replaces_every_occurrence_in_every_text(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    xc_err_set(&err, XC_EIO, "pw is pw and pw");
    xc_err_detail(&err, "detail pw");
    xc_err_hint(&err, "hint pw");
    xc_err_at(&err, "where pw", 0, "pw");
    xc_pg_scrub_err(&err, "pw");
    assert_string_equal(err.msg, "******** is ******** and ********");
    assert_string_equal(err.detail, "detail ********");
    assert_string_equal(err.hint, "hint ********");
    assert_string_equal(err.where, "where ********");
    assert_string_equal(err.field, "********");
    xc_pg_scrub_err(&err, NULL);
    xc_pg_scrub_err(&err, "");
    xc_pg_scrub_err(NULL, "pw");
    assert_string_equal(err.field, "********");
}

static void test_pgconn_scrub_of_a_full_text_stays_within_it(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    /* the field is nearly full of one-letter secrets: each mask is longer
     * than what it replaces, so the text must be cut, never overrun */
    memset(err.field, 'q', sizeof err.field - 1);
    err.field[sizeof err.field - 1] = '\0';
    xc_pg_scrub_err(&err, "q");
    assert_true(strlen(err.field) < sizeof err.field);
    assert_null(strchr(err.field, 'q'));
    for (const char *p = err.field; *p; p++)
        assert_int_equal(*p, '*');
}

static void test_pgconn_one_line_joins_libpq_messages(void **state)
{
    (void)state;
    char out[128];
    const char *m = "connection failed:  FATAL\n\tthe detail\nsecond line\n";
    const char *rest = xc_pg_one_line(m, out, sizeof out, false);
    assert_string_equal(out, "connection failed: FATAL the detail; second line");
    assert_int_equal(*rest, '\0');
    rest = xc_pg_one_line(m, out, sizeof out, true);
    assert_string_equal(out, "connection failed: FATAL");
    assert_string_equal(rest, "\tthe detail\nsecond line\n");
    char tiny[8];
    xc_pg_one_line("a long message that does not fit", tiny, sizeof tiny, false);
    assert_string_equal(tiny, "a long ");
}

static void test_pgconn_wait_text_reads_as_people_write_it(void **state)
{
    (void)state;
    char buf[32];
    xc_pg_wait_text(120000, buf, sizeof buf);
    assert_string_equal(buf, "2 min");
    xc_pg_wait_text(60000, buf, sizeof buf);
    assert_string_equal(buf, "1 min");
    xc_pg_wait_text(90000, buf, sizeof buf);
    assert_string_equal(buf, "90 s");
    xc_pg_wait_text(2000, buf, sizeof buf);
    assert_string_equal(buf, "2 s");
    xc_pg_wait_text(1500, buf, sizeof buf);
    assert_string_equal(buf, "1.5 s");
    xc_pg_wait_text(0, buf, sizeof buf);
    assert_string_equal(buf, "0 s");
}

static void test_pgconn_err_fields_without_a_result(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    xc_err_set(&err, XC_ESOURCE, "query failed");
    assert_null(xc_pg_err_fields(&err, NULL, NULL));
    assert_string_equal(err.detail, "");
    char st[6];
    assert_null(xc_pg_err_state(&err, st));
    assert_null(xc_pg_err_state(NULL, st));
    xc_err_detail(&err, "SQLSTATE 4");                     /* too short for a code */
    assert_null(xc_pg_err_state(&err, st));
    xc_err_detail(&err, "SQLSTATE 42P01: no such table");
    assert_non_null(xc_pg_err_state(&err, st));
    assert_string_equal(st, "42P01");
}

static void test_pgconn_explain_leaves_other_states_and_own_hints(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    xc_err_set(&err, XC_ESOURCE, "hukou: ERROR: terminating connection");
    xc_err_hint(&err, "ours");
    xc_pg_explain(&err, "57P01", "hukou", NULL, 0);
    assert_string_equal(err.hint, "ours");                 /* kept */
    xc_err_clear(&err);
    xc_err_set(&err, XC_ESOURCE, "hukou: ERROR: syntax error");
    xc_pg_explain(&err, "42601", "hukou", NULL, 0);
    assert_string_equal(err.hint, "");
    xc_pg_explain(&err, NULL, "hukou", NULL, 0);
    xc_pg_explain(NULL, "55P03", "hukou", NULL, 0);
    /* a lock wait without a limit names the relation, or "the table" */
    xc_err_clear(&err);
    xc_err_set(&err, XC_ESOURCE, "hukou: ERROR: canceling statement due to lock timeout");
    xc_pg_explain(&err, "55P03", "hukou", "", 0);
    assert_string_equal(err.msg, "hukou: could not get a lock on the table");
    assert_string_equal(err.detail, "SQLSTATE 55P03: canceling statement due to lock timeout");
}

/* ---- a stand-in server ---- */

typedef struct fake {
    int listen_fd;
    int port;
    bool answer;             /* false: accept and never answer */
    pthread_t tid;
} fake;

static void put_field(char *buf, size_t *n, char code, const char *text)
{
    buf[(*n)++] = code;
    memcpy(buf + *n, text, strlen(text) + 1);
    *n += strlen(text) + 1;
}

/* Accepts one connection, reads the startup message and answers it with a
 * FATAL error whose message repeats the password, as a careless server or
 * proxy might; or, without answer, keeps the connection open unanswered. */
static void *fake_main(void *arg)
{
    fake *f = arg;
    int c = accept(f->listen_fd, NULL, NULL);
    if (c < 0)
        return NULL;
    char in[1024];
    if (read(c, in, sizeof in) > 0 && f->answer) {
        char msg[512];
        size_t n = 5;
        put_field(msg, &n, 'S', "FATAL");
        put_field(msg, &n, 'V', "FATAL");
        put_field(msg, &n, 'C', "28P01");
        put_field(msg, &n, 'M', "password authentication failed for user \"u\" (hunter6)");
        msg[n++] = '\0';
        msg[0] = 'E';
        uint32_t len = htonl((uint32_t)(n - 1));
        memcpy(msg + 1, &len, 4);
        if (write(c, msg, n) != (ssize_t)n)
            fprintf(stderr, "fake server: short write\n");
    }
    if (!f->answer) {
        /* hold the connection until the client gives up and closes it */
        while (read(c, in, sizeof in) > 0)
            ;
    }
    close(c);
    return NULL;
}

static void fake_start(fake *f, bool answer)
{
    f->answer = answer;
    f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(f->listen_fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(f->listen_fd, 4), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(f->listen_fd, (struct sockaddr *)&a, &len), 0);
    f->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&f->tid, NULL, fake_main, f), 0);
}

static void fake_stop(fake *f)
{
    shutdown(f->listen_fd, SHUT_RDWR);
    pthread_join(f->tid, NULL);
    close(f->listen_fd);
}

static void test_pgconn_refusal_keeps_its_sqlstate_and_loses_the_password(void **state)
{
    (void)state;
    fake f;
    fake_start(&f, true);
    char ci[256];
    snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d dbname=x user=u password=hunter6 "
             "sslmode=disable gssencmode=disable connect_timeout=5", f.port);
    xc_err err;
    xc_err_clear(&err);
    PGconn *c = xc_pg_connect(ci, "the results database", NULL, XC_EIO, NULL, &err);
    fake_stop(&f);
    assert_null(c);
    assert_int_equal(err.code, XC_EIO);
    char st[6];
    assert_non_null(xc_pg_err_state(&err, st));
    assert_string_equal(st, "28P01");                  /* the server's, not 08001 */
    assert_non_null(strstr(err.msg, "password authentication failed"));
    assert_nowhere(&err, "hunter6");
}

static void test_pgconn_server_that_never_answers_times_out(void **state)
{
    (void)state;
    fake f;
    fake_start(&f, false);
    char ci[256];
    snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d dbname=x user=u sslmode=disable "
             "gssencmode=disable connect_timeout=2", f.port);
    xc_err err;
    xc_err_clear(&err);
    PGconn *c = xc_pg_connect(ci, "the source database", NULL, XC_ESOURCE, NULL, &err);
    assert_null(c);
    assert_int_equal(err.code, XC_ESOURCE);
    assert_non_null(strstr(err.msg, "cannot connect to the source database"));
    char st[6];
    assert_non_null(xc_pg_err_state(&err, st));
    assert_string_equal(st, "08001");
    fake_stop(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pgconn_malformed_string_is_reported_without_its_fragments),
        cmocka_unit_test(test_pgconn_unreachable_server_is_08001_without_the_password),
        cmocka_unit_test(test_pgconn_knows_when_a_string_carries_a_password),
        cmocka_unit_test(test_pgconn_scrub_replaces_every_occurrence_in_every_text),
        cmocka_unit_test(test_pgconn_scrub_of_a_full_text_stays_within_it),
        cmocka_unit_test(test_pgconn_one_line_joins_libpq_messages),
        cmocka_unit_test(test_pgconn_wait_text_reads_as_people_write_it),
        cmocka_unit_test(test_pgconn_err_fields_without_a_result),
        cmocka_unit_test(test_pgconn_explain_leaves_other_states_and_own_hints),
        cmocka_unit_test(test_pgconn_refusal_keeps_its_sqlstate_and_loses_the_password),
        cmocka_unit_test(test_pgconn_server_that_never_answers_times_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
