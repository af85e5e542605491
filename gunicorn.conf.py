"""gunicorn settings for the container image, read from the environment.

The image starts gunicorn with `--config /app/gunicorn.conf.py`. Each value
below can be changed through the variable named beside it.
"""

import os


def _positive_int(name, default):
    """Read environment variable *name* as an integer of at least 1."""
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, got {value}")
    return value


wsgi_app = "dogsite.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8080")

# Two processes with four threads each suit a pod with one CPU. Raise
# GUNICORN_WORKERS together with the container's CPU limit.
workers = _positive_int("GUNICORN_WORKERS", 2)
threads = _positive_int("GUNICORN_THREADS", 4)

# The OpenShift router gives up on a request after 30 s (its default
# haproxy.router.openshift.io/timeout), so a worker process that stops
# sending gunicorn's heartbeat is killed and replaced well before that.
# With threads > 1 (the gthread worker) this does not cut off one slow
# request: the Dog API client's own timeouts keep requests short.
timeout = _positive_int("GUNICORN_TIMEOUT", 25)
# On SIGTERM, requests in flight get this long to finish. It must stay below
# the pod's terminationGracePeriodSeconds minus the preStop pause.
graceful_timeout = _positive_int("GUNICORN_GRACEFUL_TIMEOUT", 20)

# Workers update a heartbeat file here while they run. /dev/shm is a memory
# file system, so this costs no disk I/O and works with a read-only root.
worker_tmp_dir = "/dev/shm"

# gunicorn 25.1 and later open a control socket for `gunicornc` under
# $XDG_RUNTIME_DIR or $HOME/.gunicorn. Nothing in the pod uses it, and under
# a random UID it is one more file to place, so it is switched off.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The access log records the client address that the router forwards.
access_log_format = (
    '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss'
)
