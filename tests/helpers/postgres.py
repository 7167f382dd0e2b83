"""A throwaway PostgreSQL server for tests and benchmarks: Debian's initdb and pg_ctl into a temporary folder,
listening on 127.0.0.1 only, with a password (scram-sha-256), stopped and deleted on exit."""
from __future__ import annotations
import os, shutil, socket, subprocess, tempfile
from contextlib import contextmanager
from pathlib import Path


def find_pg_bin() -> Path | None:
    "The folder holding initdb/pg_ctl (PATH, then /usr/lib/postgresql/*/bin, newest first), or None."
    if (p := shutil.which('initdb')) and Path(p).resolve().with_name('pg_ctl').exists():
        return Path(p).resolve().parent
    for d in sorted(
        Path('/usr/lib/postgresql').glob('*/bin'),
        key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0,
        reverse=True,
    ):
        if (d / 'initdb').exists() and (d / 'pg_ctl').exists():
            return d
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@contextmanager
def temporary_postgres(password: str = 'tweetnb-pg-test-pw', dbname: str = 'tweetnb'):
    "Start a private PostgreSQL on 127.0.0.1; yields its URL (with password). Stops and deletes it on exit."
    bindir = find_pg_bin()
    if bindir is None:
        raise FileNotFoundError('no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql')
    as_root = os.geteuid() == 0
    if as_root:
        import pwd

        pw = pwd.getpwnam('postgres')
    tmp = Path(tempfile.mkdtemp(prefix='tweetnb-pg-'))
    data = tmp / 'data'

    def run(*args):
        cmd = [str(bindir / args[0]), *map(str, args[1:])]
        if as_root:
            cmd = ['runuser', '-u', 'postgres', '--', *cmd]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if r.returncode:
            raise RuntimeError(f'{args[0]} failed ({r.returncode}): {(r.stdout + r.stderr)[-2000:]}')

    try:
        (tmp / 'pw').write_text(password + '\n')
        if as_root:
            os.chown(tmp, pw.pw_uid, pw.pw_gid)
            os.chown(tmp / 'pw', pw.pw_uid, pw.pw_gid)
        run(
            'initdb',
            '-D',
            data,
            '-U',
            'postgres',
            '--pwfile',
            tmp / 'pw',
            '--auth-host=scram-sha-256',
            '--auth-local=trust',
            '-E',
            'UTF8',
            '--no-locale',
        )
        (tmp / 'pw').unlink()
        port = _free_port()
        run(
            'pg_ctl',
            '-D',
            data,
            '-l',
            tmp / 'server.log',
            '-w',
            '-t',
            '60',
            'start',
            '-o',
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='{tmp}' -c fsync=off -c full_page_writes=off",
        )
        try:
            import psycopg

            with psycopg.connect(
                host='127.0.0.1', port=port, user='postgres', password=password, dbname='postgres', autocommit=True
            ) as c:
                c.execute(f'create database "{dbname}"')
            yield f'postgresql://postgres:{password}@127.0.0.1:{port}/{dbname}'
        finally:
            run('pg_ctl', '-D', data, '-m', 'fast', '-w', 'stop')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
