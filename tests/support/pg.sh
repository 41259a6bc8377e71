# pg.sh - a throwaway PostgreSQL cluster for tests. POSIX sh; source it:
#
#     . "$root/tests/support/pg.sh"
#     pg_start || exit $?      # status 77 when no server can be had: meson
#                              # counts the test as skipped
#     psql -c 'SELECT 1'       # PGHOST, PGPORT, PGUSER, PGDATABASE are set
#     ...
#     pg_stop                  # optional: the trap pg_start installs does it
#
# pg_start
#   - finds the server binaries: $PG_BINDIR if set, else `pg_config --bindir`
#     if it has a server, else the newest /usr/lib/postgresql/*/bin, else
#     initdb on PATH; none: returns 77;
#   - makes a new directory with mktemp -d (PG_DIR, xcheck-pg.XXXXXX in
#     $TMPDIR, or in /tmp when root or when $TMPDIR is too long for a socket
#     path) holding the cluster (data/), its log (server.log) and its Unix
#     socket;
#   - runs initdb, pg_ctl and postgres as the user "postgres" through
#     `runuser -u postgres --` when run as root (they refuse root), and
#     hands PG_DIR to that user; as an ordinary user runs them directly;
#   - authentication: trust over the Unix socket, scram-sha-256 over TCP on
#     127.0.0.1 only; the superuser "postgres" gets a random password
#     (PG_PASSWORD), so that a test can log in over TCP and a wrong password
#     is refused;
#   - listens on 127.0.0.1 on a random free port (PGPORT): a port something
#     already listens on is skipped (ss), and a start that lost the race for
#     a port is retried on another, so that parallel tests never collide;
#   - runs with fsync off, wal_level minimal and room for 200 connections;
#   - exports PG_DIR, PG_BINDIR (prepended to PATH), PGHOST (the socket
#     directory), PGPORT, PGUSER=postgres, PGDATABASE=postgres,
#     PG_TCP_HOST=127.0.0.1 and PG_PASSWORD (the superuser's password; not
#     exported as PGPASSWORD: set it where a test means to use it), and
#     unsets the other libpq variables (PGHOSTADDR, PGSERVICE, PGOPTIONS,
#     PGPASSWORD, PGAPPNAME...) that would lead a client elsewhere, and
#     points PGPASSFILE at a file that does not exist;
#   - installs traps: pg_stop on EXIT, and on HUP, INT, TERM and PIPE
#     pg_stop and exit 129, 130, 143 or 141. These REPLACE any trap the
#     caller set before for those conditions (they are not chained): a
#     caller with its own cleanup sets PG_ON_STOP to a command, which
#     pg_stop evaluates first, or keeps its scratch files under $PG_DIR,
#     which pg_stop removes;
#   - returns 0, 77 (no server binaries, or root without a "postgres" user
#     or runuser) or 1 (the cluster would not start: the reason and the end
#     of the server log on stderr).
#
# pg_stop stops the server (pg_ctl stop -m immediate; SIGKILL to the
# postmaster if that fails), removes PG_DIR and unsets the variables. It
# may be called more than once.
#
# pg_psql runs psql quietly, without ~/.psqlrc, stopping at the first error:
# pg_psql -At -c 'SELECT ...'.

_pg_say() { echo "pg.sh: $*" >&2; }

_pg_has_server() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }

# The directory of initdb, pg_ctl and postgres, or status 1.
_pg_find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        _pg_has_server "$PG_BINDIR" && { echo "$PG_BINDIR"; return 0; }
        _pg_say "PG_BINDIR=$PG_BINDIR has no initdb, pg_ctl and postgres"
        return 1
    fi
    if command -v pg_config >/dev/null 2>&1; then
        _pg_d=$(pg_config --bindir 2>/dev/null) && _pg_has_server "$_pg_d" &&
            { echo "$_pg_d"; return 0; }
    fi
    for _pg_d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r); do
        _pg_has_server "$_pg_d" && { echo "$_pg_d"; return 0; }
    done
    if command -v initdb >/dev/null 2>&1; then
        _pg_d=$(dirname "$(command -v initdb)")
        _pg_has_server "$_pg_d" && { echo "$_pg_d"; return 0; }
    fi
    return 1
}

# Runs a command as the cluster's owner, in PG_DIR (root's working
# directory may be closed to that user).
_pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd "$PG_DIR" && "$_pg_runuser" -u postgres -- "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}

# A random number from /dev/urandom (sh has no $RANDOM).
_pg_random() { od -An -N4 -tu4 /dev/urandom | tr -d ' \n'; }

# Status 0 when something listens on TCP port $1 (unknown without ss: 1).
_pg_port_busy() {
    command -v ss >/dev/null 2>&1 || return 1
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
}

# A random port below Linux's ephemeral range (32768-60999), so that no
# client connection holds it, on which nothing listens.
_pg_free_port() {
    _pg_i=0
    while [ "$_pg_i" -lt 100 ]; do
        _pg_p=$((15432 + $(_pg_random) % 17000))
        _pg_port_busy "$_pg_p" || { echo "$_pg_p"; return 0; }
        _pg_i=$((_pg_i + 1))
    done
    return 1
}

pg_psql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

pg_start() {
    if [ -n "${PG_DIR:-}" ]; then
        _pg_say "pg_start: a cluster is already running in $PG_DIR"
        return 1
    fi
    _pg_bindir=$(_pg_find_bindir) || {
        _pg_say "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found"
        return 77
    }
    if [ "$(id -u)" = 0 ]; then
        if ! id -u postgres >/dev/null 2>&1; then
            _pg_say "running as root, and there is no user 'postgres' to run the server as"
            return 77
        fi
        # runuser lives in sbin, which a CI's PATH may lack
        _pg_runuser=$(command -v runuser 2>/dev/null) ||
            for _pg_runuser in /usr/sbin/runuser /sbin/runuser ''; do
                [ -x "$_pg_runuser" ] && break
            done
        if [ -z "$_pg_runuser" ]; then
            _pg_say "running as root, and runuser (util-linux) is missing"
            return 77
        fi
    fi
    # The socket lives in PG_DIR: its path must fit in sun_path (108 bytes),
    # and as root the directory must be reachable by "postgres".
    _pg_base=${TMPDIR:-/tmp}
    if [ "$(id -u)" = 0 ] || [ ${#_pg_base} -gt 60 ]; then
        _pg_base=/tmp
    fi
    PG_DIR=$(mktemp -d "$_pg_base/xcheck-pg.XXXXXX") || { _pg_say "mktemp -d failed"; return 1; }
    export PG_DIR
    PG_BINDIR=$_pg_bindir
    export PG_BINDIR
    case ":$PATH:" in *":$PG_BINDIR:"*) ;; *) PATH=$PG_BINDIR:$PATH; export PATH ;; esac
    # From here on every failure leaves through pg_stop, by the trap.
    trap 'pg_stop' EXIT
    trap 'pg_stop; trap - EXIT; exit 129' HUP
    trap 'pg_stop; trap - EXIT; exit 130' INT
    trap 'pg_stop; trap - EXIT; exit 143' TERM
    trap 'pg_stop; trap - EXIT; exit 141' PIPE

    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$PG_DIR" || { _pg_say "cannot hand $PG_DIR to postgres"; pg_stop; return 1; }
    fi
    chmod 700 "$PG_DIR"

    # Nothing from the caller's environment may lead a client elsewhere.
    unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGOPTIONS PGPASSWORD PGAPPNAME \
        PGSSLMODE PGREQUIRESSL PGCLIENTENCODING PGDATESTYLE PGTZ PGTARGETSESSIONATTRS \
        PGCONNECT_TIMEOUT PGGSSENCMODE PGDATA PGLOCALEDIR PGSYSCONFDIR 2>/dev/null || true
    PGPASSFILE=$PG_DIR/no-pgpass
    export PGPASSFILE

    if ! _pg_as_owner "$PG_BINDIR/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1; then
        _pg_say "initdb failed:"
        tail -n 20 "$PG_DIR/initdb.log" >&2
        pg_stop
        return 1
    fi
    # Appended to files "postgres" owns: they stay its own.
    cat >>"$PG_DIR/data/postgresql.conf" <<'EOF'

# pg.sh: a throwaway test cluster
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_connections = 200
shared_buffers = 32MB
password_encryption = 'scram-sha-256'
logging_collector = off
log_min_messages = warning
EOF
    # More settings for a caller that needs them (the benchmark), one a line.
    if [ -n "${PG_CONF_EXTRA:-}" ]; then
        printf '%s\n' "$PG_CONF_EXTRA" >>"$PG_DIR/data/postgresql.conf"
    fi
    cat >"$PG_DIR/data/pg_hba.conf" <<'EOF'
# pg.sh: trust over the Unix socket, passwords over TCP on 127.0.0.1 only
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   scram-sha-256
EOF

    _pg_try=0
    while :; do
        _pg_try=$((_pg_try + 1))
        PGPORT=$(_pg_free_port) || { _pg_say "no free port found"; pg_stop; return 1; }
        rm -f "$PG_DIR/server.log"
        if _pg_as_owner "$PG_BINDIR/pg_ctl" start -w -t 60 -D "$PG_DIR/data" \
            -l "$PG_DIR/server.log" \
            -o "-k '$PG_DIR' -c listen_addresses=127.0.0.1 -p $PGPORT" >"$PG_DIR/pg_ctl.log" 2>&1; then
            break
        fi
        # Another process took the port between the check and the start:
        # try another one.
        if [ "$_pg_try" -lt 10 ] &&
            grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets|could not create lock file' \
                "$PG_DIR/server.log" 2>/dev/null; then
            continue
        fi
        _pg_say "the server did not start (port $PGPORT, try $_pg_try):"
        cat "$PG_DIR/pg_ctl.log" >&2
        tail -n 20 "$PG_DIR/server.log" >&2 2>/dev/null
        pg_stop
        return 1
    done
    PGHOST=$PG_DIR
    PGUSER=postgres
    PGDATABASE=postgres
    PG_TCP_HOST=127.0.0.1
    PG_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    export PGHOST PGPORT PGUSER PGDATABASE PG_TCP_HOST PG_PASSWORD
    if ! pg_psql -c "ALTER ROLE postgres PASSWORD '$PG_PASSWORD'" >"$PG_DIR/psql.log" 2>&1; then
        _pg_say "cannot set the superuser's password:"
        cat "$PG_DIR/psql.log" >&2
        pg_stop
        return 1
    fi
    return 0
}

pg_stop() {
    if [ -n "${PG_ON_STOP:-}" ]; then
        _pg_hook=$PG_ON_STOP
        PG_ON_STOP=
        eval "$_pg_hook"
    fi
    [ -n "${PG_DIR:-}" ] || return 0
    _pg_pid=
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        _pg_pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)
        case $_pg_pid in '' | *[!0-9]*) _pg_pid= ;; esac
        if ! _pg_as_owner "$PG_BINDIR/pg_ctl" stop -D "$PG_DIR/data" -m immediate -w -t 30 \
            >/dev/null 2>&1; then
            # Still there: kill the postmaster; its children follow it.
            [ -n "$_pg_pid" ] && [ "$(cat "/proc/$_pg_pid/comm" 2>/dev/null)" = postgres ] &&
                kill -KILL "$_pg_pid" 2>/dev/null
        fi
        # pg_ctl returns when the pid file is gone, a moment before the
        # postmaster itself: wait for it (at most 10 s).
        _pg_i=0
        while [ -n "$_pg_pid" ] && [ "$_pg_i" -lt 100 ] &&
            [ "$(cat "/proc/$_pg_pid/comm" 2>/dev/null)" = postgres ]; do
            sleep 0.1
            _pg_i=$((_pg_i + 1))
        done
    fi
    rm -rf "$PG_DIR"
    unset PG_DIR PGHOST PGPORT PG_TCP_HOST PG_PASSWORD
    return 0
}

# pg_start_or_skip: pg_start for a test script. When no server can be had
# (77) it prints SKIP and exits 77, but under CI=true, where a server must
# be there, it fails; any other failure prints FAIL and exits 1.
pg_start_or_skip() {
    pg_start
    _pg_rc=$?
    [ "$_pg_rc" = 0 ] && return 0
    if [ "$_pg_rc" = 77 ] && [ "${CI:-}" != true ]; then
        echo "SKIP: no PostgreSQL server to test with"
        exit 77
    fi
    echo "FAIL: no PostgreSQL test cluster to test with"
    echo "0 passed, 1 failed"
    exit 1
}
