#!/bin/sh
# image.sh build|test [PYTEST ARGS]: build the container image with Debian's
# podman (no Docker engine needed), then optionally smoke-test it.
#
# Where no registry can be reached, the Dockerfile's base images are replaced by
# local stand-ins made from Debian's own packages with mmdebstrap: python:3.11-slim
# becomes Debian bookworm's Python 3.11, redis:7 Debian's redis-server. Elsewhere
# `docker build .` or `podman build .` use the official images unchanged.
set -eu
action=${1:-build}
[ $# -gt 0 ] && shift
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${IMAGE_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/moderation-image}
IMAGE=${IMAGE:-localhost/moderation:latest}
mkdir -p "$WORK"
say() { echo "image.sh: $*" >&2; }

for pair in podman:podman buildah:buildah runc:runc slirp4netns:slirp4netns \
        newuidmap:uidmap fuse-overlayfs:fuse-overlayfs mmdebstrap:mmdebstrap; do
    sh "$REPO/scripts/apt-ensure.sh" "/usr/bin/${pair%%:*}" "${pair#*:}"
done

# runc: crun refuses hybrid cgroups. The open-file limit cannot be raised in a
# sandbox, so containers get the machine's own hard limit. Builds and containers
# see the machine's CA bundle (some networks intercept HTTPS) without baking it in.
cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
volumes = ["/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro"]
[engine]
runtime = "runc"
CONF
cat > "$WORK/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$WORK/storage"
runroot = "$WORK/run"
CONF
export CONTAINERS_CONF="$WORK/containers.conf" CONTAINERS_STORAGE_CONF="$WORK/storage.conf"
export BUILDAH_FORMAT=docker  # the OCI format drops HEALTHCHECK

# mmdebstrap reads the same mirrors as this machine's apt.
sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$sources" ]; then
    uris=$(awk '/^URIs:/ {print $2}' "$sources")
    mirror=$(echo "$uris" | sed -n 1p)
    security=$(echo "$uris" | sed -n 2p)
else
    mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
    security=""
fi
debootstrap_to() {  # debootstrap_to TARBALL MMDEBSTRAP-ARGS...
    tarball=$1; shift
    mmdebstrap --quiet --variant=minbase "$@" \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
        bookworm "$tarball" "deb $mirror bookworm main" \
        ${security:+"deb $security bookworm-security main"}
}

build() {
    python=docker.io/library/python:3.11-slim
    if ! podman image exists $python; then
        say "making a stand-in for $python from Debian's packages"
        debootstrap_to "$WORK/python.tar" \
            --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
            --customize-hook='rm -f "$1"/usr/lib/python3.*/EXTERNALLY-MANAGED'
        podman import --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' \
            "$WORK/python.tar" $python >/dev/null
        rm -f "$WORK/python.tar"
    fi
    redis=docker.io/library/redis:7
    if ! podman image exists $redis; then
        say "making a stand-in for $redis from Debian's packages"
        printf '%s\n' '#!/bin/sh' \
            'if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi' \
            'if [ "$1" = redis-server ]; then set -- "$@" --protected-mode no; fi' \
            'exec "$@"' > "$WORK/redis-entrypoint.sh"
        debootstrap_to "$WORK/redis.tar" --include=redis-server \
            --customize-hook='mkdir -p "$1"/data' \
            --customize-hook="upload $WORK/redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh" \
            --customize-hook='chmod 755 "$1"/usr/local/bin/docker-entrypoint.sh'
        podman import --change 'WORKDIR /data' --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
            --change 'CMD ["redis-server"]' "$WORK/redis.tar" $redis >/dev/null
        rm -f "$WORK/redis.tar"
    fi
    say "building $IMAGE"
    podman build -q -t "$IMAGE" "$REPO" >/dev/null
}

case $action in
    build) build ;;
    test)
        build
        sh "$REPO/scripts/apt-ensure.sh" /usr/bin/redis-server redis-server
        [ -x "$WORK/compose/bin/podman-compose" ] || {
            python3 -m venv "$WORK/compose"
            "$WORK/compose/bin/pip" install --quiet 'podman-compose>=1.6'; }
        export IMAGE PODMAN_COMPOSE="$WORK/compose/bin/podman-compose"
        exec "$REPO/.venv/bin/python" -m pytest -q -p no:cacheprovider --image tests/image "$@"
        ;;
    *) echo "usage: image.sh build|test" >&2; exit 2 ;;
esac
