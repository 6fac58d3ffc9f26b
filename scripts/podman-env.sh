# Sourced by `make image` and `make image-test`: podman settings for this
# kind of machine (no Docker engine, no registry; see README, Deploy and scale).
# IMAGE_WORK holds the image store and the configuration, one per checkout.
repo=$(pwd)
IMAGE_WORK=${IMAGE_WORK:-${TMPDIR:-/tmp}/moderation-image-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)}
mkdir -p "$IMAGE_WORK"
# runc: crun refuses hybrid cgroups. The machine's open-file limit: podman's
# default asks for more and fails. The machine's CA bundle is mounted into
# builds and containers (HTTPS to the package registries), never baked in.
cat > "$IMAGE_WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
volumes = ["/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro"]
[engine]
runtime = "runc"
CONF
cat > "$IMAGE_WORK/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$IMAGE_WORK/storage"
runroot = "$IMAGE_WORK/run"
CONF
export IMAGE_WORK CONTAINERS_CONF="$IMAGE_WORK/containers.conf"
export CONTAINERS_STORAGE_CONF="$IMAGE_WORK/storage.conf"
export BUILDAH_FORMAT=docker  # the OCI format drops HEALTHCHECK
