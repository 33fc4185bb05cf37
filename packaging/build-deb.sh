#!/usr/bin/env bash
# Builds the Debian package with dpkg-deb (no packaging tool to install): the release binary,
# /etc/langso/langso.toml (a conffile), the systemd unit, the nginx example, and the
# maintainer scripts of packaging/debian/. Prints the path of the .deb.
#   packaging/build-deb.sh            # cargo build --release, then package
#   LANGSO_SKIP_BUILD=1 packaging/build-deb.sh   # package the release binary already built
#   LANGSO_DEB_BINARY=path packaging/build-deb.sh # package that binary (a quick local check)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"

bin="${LANGSO_DEB_BINARY:-$target/release/langso}"
if [ "${LANGSO_SKIP_BUILD:-}" != 1 ] && [ -z "${LANGSO_DEB_BINARY:-}" ]; then
  cargo build --release --locked -p langso >&2
fi

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

install -D -m 0755 "$bin" "$root/usr/bin/langso"
strip --strip-unneeded "$root/usr/bin/langso" 2>/dev/null || true
install -D -m 0644 packaging/langso.toml "$root/etc/langso/langso.toml"
install -D -m 0644 packaging/langso.service "$root/lib/systemd/system/langso.service"
install -D -m 0644 packaging/nginx-langso.conf "$root/usr/share/doc/langso/examples/nginx-langso.conf"
install -D -m 0644 README.md "$root/usr/share/doc/langso/README.md"
install -d "$root/DEBIAN"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
install -m 0644 packaging/debian/conffiles "$root/DEBIAN/"

# The C libraries the binary links (the rest is Rust, linked in).
glibc=$(objdump -T "$root/usr/bin/langso" | sed -n 's/.*GLIBC_\([0-9.]*\).*/\1/p' | sort -V | tail -n1)
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: langso
Version: $version
Architecture: $arch
Maintainer: Langso project <langso@localhost>
Installed-Size: $size
Depends: adduser, libc6 (>= $glibc), libgcc-s1
Recommends: nginx | caddy
Suggests: postgresql-client, mosquitto
Section: web
Priority: optional
Description: smart-village platform for Vietnamese communes
 Langso keeps a commune's household register, digital teams, QR guides to
 public procedures, village devices and fault reports, on one SQLite file or
 a shared PostgreSQL. This package runs it as the langso system user under
 systemd, with its settings in /etc/langso/langso.toml and its data in
 /var/lib/langso.
CONTROL

mkdir -p "$target/debian"
deb="$target/debian/langso_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
