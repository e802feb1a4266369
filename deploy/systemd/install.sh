#!/usr/bin/env bash
# Installs EnrichmentWorker as a systemd system service. Run as root from a checkout:
#   sudo deploy/systemd/install.sh [--token-file FILE] [--music-folder DIR ...]
# The Discogs token is read from --token-file, else $DISCOGS_TOKEN, else an existing /etc/enrichment-worker/discogs-token
# is kept; without any, the service starts and accepts albums but keeps its queue paused until you add one and restart.
# --music-folder (repeatable) gives the service your music folders, read-only (deploy/systemd/music-folders.sh); the
# service user also needs read permission there, e.g. setfacl -R -m u:enrichment-worker:rX -m d:u:enrichment-worker:rX DIR.
# Safe to run again: it updates the binary and the unit, keeps your settings, token, music folders and data.
set -euo pipefail

readonly APP_DIR=/opt/enrichment-worker
readonly CONF_DIR=/etc/enrichment-worker
readonly DATA_DIR=/var/lib/enrichment-worker
readonly SERVICE_USER=enrichment-worker
readonly UNIT=enrichment-worker.service
readonly UNIT_PATH=/etc/systemd/system/$UNIT

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
token_file=""
music_folders=()
while (($#)); do
  case "$1" in
    --token-file) token_file="${2:?--token-file needs a file}"; shift 2 ;;
    --music-folder) music_folders+=("$(realpath -m "${2:?--music-folder needs a folder}")"); shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "Unknown option: $1" >&2; exit 64 ;;
  esac
done

[[ $(id -u) -eq 0 ]] || { echo "Run as root (sudo $0)." >&2; exit 1; }
command -v systemctl >/dev/null || { echo "systemctl not found: this script is for systemd machines." >&2; exit 1; }
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed to publish (https://learn.microsoft.com/dotnet/core/install/linux)." >&2; exit 1; }

echo "Publishing to $APP_DIR"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
dotnet publish "$repo/src/EnrichmentWorker/EnrichmentWorker.csproj" -c Release -o "$staging" --nologo -v quiet
# Replace the files, keep the folder (and the settings link below); a running service keeps its mapped files.
install -d -m 0755 "$APP_DIR"
cp -a "$staging/." "$APP_DIR/"
chown -R root:root "$APP_DIR"
chmod -R u=rwX,go=rX "$APP_DIR"

if ! getent group "$SERVICE_USER" >/dev/null; then
  groupadd --system "$SERVICE_USER"
fi
if ! getent passwd "$SERVICE_USER" >/dev/null; then
  # Home = the state directory, so ASP.NET Core's data-protection keys (antiforgery) persist there.
  useradd --system --gid "$SERVICE_USER" --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin \
    --comment "EnrichmentWorker service" "$SERVICE_USER"
fi

install -d -m 0755 -o root -g root "$CONF_DIR"
install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR"
if [[ ! -e "$CONF_DIR/appsettings.json" ]]; then
  # Site settings; the shipped defaults stay in $APP_DIR/appsettings.json. Keys here override them.
  cat > "$CONF_DIR/appsettings.json" <<'JSON'
{
  "Urls": "http://127.0.0.1:5080",
  "ConnectionStrings": {
    "Postgres": ""
  }
}
JSON
  # 0640: a connection string with a password may go here.
  chmod 0640 "$CONF_DIR/appsettings.json"
  chgrp "$SERVICE_USER" "$CONF_DIR/appsettings.json"
fi
# The host loads appsettings.{Environment}.json from its own folder; Production is set by the unit.
ln -sfn "$CONF_DIR/appsettings.json" "$APP_DIR/appsettings.Production.json"

if [[ ! -e "$CONF_DIR/environment" ]]; then
  {
    echo "# KEY=value lines for the service (see README): OTEL_EXPORTER_OTLP_ENDPOINT, ConnectionStrings__Postgres, ..."
    dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
    # The published binary finds .NET in /usr/share/dotnet, /usr/lib/dotnet or /etc/dotnet/install_location; say where else.
    if [[ "$dotnet_root" != /usr/share/dotnet && "$dotnet_root" != /usr/lib/dotnet ]]; then
      echo "DOTNET_ROOT=$dotnet_root"
    fi
  } > "$CONF_DIR/environment"
  chmod 0640 "$CONF_DIR/environment"
  chgrp "$SERVICE_USER" "$CONF_DIR/environment"
fi

# The token: root-owned, 0400. systemd reads it (LoadCredential=) and hands the service a private copy in
# $CREDENTIALS_DIRECTORY that only the service user can read; no other user, and not the service's environment.
umask 077
if [[ -n "$token_file" ]]; then
  install -m 0400 -o root -g root "$token_file" "$CONF_DIR/discogs-token"
elif [[ -n "${DISCOGS_TOKEN:-}" ]]; then
  printf '%s' "$DISCOGS_TOKEN" > "$CONF_DIR/discogs-token.new"
  chmod 0400 "$CONF_DIR/discogs-token.new"
  mv -f "$CONF_DIR/discogs-token.new" "$CONF_DIR/discogs-token"
elif [[ ! -e "$CONF_DIR/discogs-token" ]]; then
  echo "No Discogs token given: the service will accept albums but enrich nothing until you add one with: $0 --token-file FILE" >&2
  : > "$CONF_DIR/discogs-token"
  chmod 0400 "$CONF_DIR/discogs-token"
fi
umask 022

install -m 0644 -o root -g root "$repo/deploy/systemd/$UNIT" "$UNIT_PATH"
if ((${#music_folders[@]} > 0)); then
  install -d -m 0755 "$UNIT_PATH.d"
  "$repo/deploy/systemd/music-folders.sh" "${music_folders[@]}" > "$UNIT_PATH.d/music-folders.conf.new"
  mv -f "$UNIT_PATH.d/music-folders.conf.new" "$UNIT_PATH.d/music-folders.conf"
  for folder in "${music_folders[@]}"; do
    runuser -u "$SERVICE_USER" -- test -r "$folder" -a -x "$folder" 2>/dev/null \
      || echo "Note: $SERVICE_USER cannot read $folder yet; grant it, e.g. setfacl -R -m u:$SERVICE_USER:rX -m d:u:$SERVICE_USER:rX '$folder'" >&2
  done
fi
systemctl daemon-reload
systemctl enable "$UNIT" >/dev/null
# restart (not just start) so a re-run picks up the new binary and unit.
systemctl restart "$UNIT"
echo "Installed. Status: systemctl status $UNIT   Logs: journalctl -u $UNIT -f"
