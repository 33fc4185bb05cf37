#!/usr/bin/env bash
# CI: builds the .deb, installs it with dpkg -i, checks the systemd unit with
# systemd-analyze verify (CI has no running systemd), then starts the installed binary as the
# langso user with the packaged configuration, gets /readyz, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
deb=$(packaging/build-deb.sh)
echo "package: $deb ($(du -h "$deb" | cut -f1), built in $(( $(date +%s) - start )) s)"

command -v adduser >/dev/null || { apt-get update -qq && apt-get install -y -qq adduser; }
dpkg -i "$deb"
dpkg -s langso | grep -E '^(Status|Version):'
test -f /etc/langso/langso.toml
getent passwd langso >/dev/null
test "$(stat -c %U /var/lib/langso)" = langso

if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/langso.service
  echo "systemd-analyze verify: ok"
  systemd-analyze security --offline=true /lib/systemd/system/langso.service 2>/dev/null | tail -n1 || true
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
# As the unit does: the langso user, the packaged configuration; only the port is moved
# (the environment takes precedence over the file) so a developer's 8080 is not needed.
setpriv --reuid=langso --regid=langso --init-groups env LANGSO_CONFIG=/etc/langso/langso.toml LANGSO_LISTEN="127.0.0.1:$port" \
  /usr/bin/langso serve >"$log" 2>&1 &
pid=$!
ok=""
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.2
done
cat "$log"
if [ -z "$ok" ]; then
  kill "$pid" 2>/dev/null || true
  echo "the packaged langso did not answer /readyz" >&2
  exit 1
fi
curl -fsS "http://127.0.0.1:$port/readyz"; echo
kill -TERM "$pid"
wait "$pid" || true
test -f /var/lib/langso/langso.db
echo "the .deb installs and serves"
