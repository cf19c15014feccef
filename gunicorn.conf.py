"""Gunicorn's settings for Kwamdee (`make serve`; README.md, "Production serving").

One sync worker process per core this process may run on (docs/scaling.md, "Production
serving", says why); WEB_CONCURRENCY overrides it. The address comes from `--bind`."""

import os


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # Linux: honours a container's or taskset's CPU set
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


wsgi_app = "kwamdee.wsgi:application"  # kwamdee/wsgi.py defaults to kwamdee.settings.production
workers = int(os.environ.get("WEB_CONCURRENCY") or _cores())
worker_class = "sync"
accesslog = "-"
errorlog = "-"
# Gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl), which two servers
# of one user (a test run beside `make serve`) would take from each other; signals do its work.
control_socket_disable = True
