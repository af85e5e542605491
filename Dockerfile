# dogsite web image: gunicorn serving Django, built to run under OpenShift's
# restricted security context (a random UID in group 0, all capabilities
# dropped, read-only root file system with an emptyDir on /tmp).
#
# BASE_IMAGE must provide python3 with the venv module and /bin/sh. The
# default is the official slim image; ci/image-test.sh substitutes a Debian
# base made with debootstrap because no registry is reachable there.
ARG BASE_IMAGE=docker.io/library/python:3.12-slim-bookworm

# ---- build stage: the virtual environment, compiled code and static files.
FROM ${BASE_IMAGE} AS build

# Red Hat's UBI Python images start as UID 1001, which cannot write /opt.
# hadolint ignore=DL3002
USER 0

# PIP_CERT is only needed where TLS to the package index is intercepted:
# pass the path of a CA bundle that the build mounts (see ci/image-test.sh).
ARG PIP_CERT
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python3 -m venv /opt/venv

# Dependencies first, so a code change reuses this layer.
COPY requirements.txt /tmp/requirements.txt
# pip compiles the bytecode of what it installs. It then removes itself,
# because nothing installs packages at run time.
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt \
    && /opt/venv/bin/pip uninstall --yes pip

WORKDIR /app
COPY . .

# The root file system is read-only at run time, so Python cannot write
# bytecode then: compile it now. collectstatic needs no database, and
# SECRET_KEY only has to be non-empty for the settings to load; this
# throwaway value never reaches the final image's environment.
RUN /opt/venv/bin/python -m compileall -q dogsite breeds \
    && SECRET_KEY=collectstatic-only-not-a-secret \
       /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0

# Group 0 gets the owner's permissions, so the random UID that OpenShift
# assigns (always in group 0) can do whatever the owner can. COPY --from
# keeps these modes, and its --chown below sets the group to 0.
RUN chmod -R g=u /opt/venv /app

# ---- runtime stage: no pip, compilers or build caches.
FROM ${BASE_IMAGE}

COPY --from=build --chown=1001:0 /opt/venv /opt/venv
COPY --from=build --chown=1001:0 /app /app

# HOME and TMPDIR point at /tmp, the only writable path when the root file
# system is read-only (the Deployment mounts an emptyDir there). Python would
# otherwise look up a home directory for a UID with no passwd entry.
ENV PATH=/opt/venv/bin:$PATH \
    HOME=/tmp \
    TMPDIR=/tmp \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=dogsite.settings

WORKDIR /app

# A numeric, non-root user: Kubernetes can check runAsNonRoot only against a
# numeric UID, and OpenShift replaces it with a UID from the project's range.
USER 1001

# gunicorn.conf.py binds 0.0.0.0:8080 unless GUNICORN_BIND is set.
EXPOSE 8080

# Exec form, so gunicorn is PID 1 and receives SIGTERM for a graceful drain.
# Migrations run in their own Job, never at start.
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py"]
