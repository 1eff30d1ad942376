#!/bin/sh
# check-kiosk-files.sh: the kiosk deployment files are valid: the scripts parse, the session
# runs cage with the right command, and systemd accepts the unit.
# Usage: check-kiosk-files.sh BUILD_KIOSK_DIR BINDIR
set -eu

dir=$1
bindir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sh -n "$dir/touchpoint-kiosk-session"
sh -n "$dir/install-kiosk"

# The session script with a stand-in cage that prints what it was asked to run.
mkdir "$tmp/bin"
cat > "$tmp/bin/cage" <<'CAGE'
#!/bin/sh
printf '%s\n' "$@"
CAGE
chmod +x "$tmp/bin/cage"
cp "$dir/touchpoint-kiosk-session" "$tmp/session"
chmod +x "$tmp/session"

got=$(PATH="$tmp/bin:$PATH" TOUCHPOINT_EVENT="/etc/touchpoint/my event.json" TOUCHPOINT_CAGE_OPTIONS="-r" "$tmp/session" | tr '\n' '|')
want="-d|-r|--|$bindir/touchpoint|--event|/etc/touchpoint/my event.json|"
if [ "$got" != "$want" ]; then
  echo "session ran cage with: $got" >&2
  echo "expected:              $want" >&2
  exit 1
fi
got=$(PATH="$tmp/bin:$PATH" env -u TOUCHPOINT_EVENT -u TOUCHPOINT_CAGE_OPTIONS "$tmp/session" | tr '\n' '|')
if [ "$got" != "-d|--|$bindir/touchpoint|" ]; then
  echo "without settings the session ran cage with: $got" >&2
  exit 1
fi

# The service sets a UTF-8 locale: without one, messages with a count stayed in English.
grep -qx 'Environment=LANG=C.UTF-8' "$dir/touchpoint-kiosk.service"

# systemd's own check of the unit, with the session script where the unit expects it.
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s|^ExecStart=.*|ExecStart=$tmp/session|" "$dir/touchpoint-kiosk.service" > "$tmp/touchpoint-kiosk.service"
  systemd-analyze verify --man=no "$tmp/touchpoint-kiosk.service"
  grep -q '^Restart=on-failure$' "$dir/touchpoint-kiosk.service"
  grep -q '^Conflicts=getty@tty1.service$' "$dir/touchpoint-kiosk.service"
fi
echo "kiosk files OK"
