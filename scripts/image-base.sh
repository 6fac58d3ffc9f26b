#!/bin/sh
# Stand-ins for the Dockerfile's and compose file's base images, made from
# Debian's packages (no registry is reachable here): python:3.11-slim is
# Debian bookworm with its Python 3.11.2, redis:7 is Debian's redis 7.0 with
# the official image's entry point behaviour. Made once per image store.
set -eu
. scripts/podman-env.sh
# The machine's own apt sources (deb822), so no host name is written here.
uris=$(awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/debian.sources)
mirror="deb $(echo "$uris" | sed -n 1p) bookworm main"
security="deb $(echo "$uris" | sed -n 2p) bookworm-security main"

podman image exists docker.io/library/python:3.11-slim || {
    echo "making a stand-in for python:3.11-slim (Debian bookworm)"
    mmdebstrap --quiet --variant=minbase \
        --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
        --customize-hook='rm -f "$1"/usr/lib/python3.*/EXTERNALLY-MANAGED' \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
        bookworm "$IMAGE_WORK/python.tar" "$mirror" "$security"
    podman import --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' \
        "$IMAGE_WORK/python.tar" docker.io/library/python:3.11-slim
    rm -f "$IMAGE_WORK/python.tar"
}

podman image exists docker.io/library/redis:7 || {
    echo "making a stand-in for redis:7 (Debian's redis-server)"
    printf '%s\n' '#!/bin/sh' \
        'if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi' \
        'if [ "$1" = redis-server ]; then set -- "$@" --protected-mode no; fi' \
        'exec "$@"' > "$IMAGE_WORK/redis-entrypoint.sh"
    mmdebstrap --quiet --variant=minbase --include=redis-server \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
        --customize-hook='mkdir -p "$1"/data' \
        --customize-hook="upload $IMAGE_WORK/redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh" \
        --customize-hook='chmod 755 "$1"/usr/local/bin/docker-entrypoint.sh' \
        bookworm "$IMAGE_WORK/redis.tar" "$mirror" "$security"
    podman import --change 'WORKDIR /data' --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
        --change 'CMD ["redis-server"]' "$IMAGE_WORK/redis.tar" docker.io/library/redis:7
    rm -f "$IMAGE_WORK/redis.tar"
}
