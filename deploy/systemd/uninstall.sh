#!/usr/bin/env bash
# Removes the EnrichmentWorker systemd service. Keeps its data (/var/lib/enrichment-worker), settings and token
# unless --purge is given, which also deletes them and the service user. Safe to run again.
#   sudo deploy/systemd/uninstall.sh [--purge]
set -euo pipefail

readonly APP_DIR=/opt/enrichment-worker
readonly CONF_DIR=/etc/enrichment-worker
readonly DATA_DIR=/var/lib/enrichment-worker
readonly SERVICE_USER=enrichment-worker
readonly UNIT=enrichment-worker.service
readonly UNIT_PATH=/etc/systemd/system/$UNIT

purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  *) echo "Usage: $0 [--purge]" >&2; exit 64 ;;
esac
[[ $(id -u) -eq 0 ]] || { echo "Run as root (sudo $0)." >&2; exit 1; }

if [[ -e "$UNIT_PATH" ]]; then
  # stop waits for the graceful stop (TimeoutStopSec): in-flight jobs finish or go back to the queue.
  systemctl disable --now "$UNIT" || true
  rm -f "$UNIT_PATH"
  systemctl daemon-reload
  systemctl reset-failed "$UNIT" 2>/dev/null || true
fi
rm -rf "$APP_DIR"

if $purge; then
  rm -rf "$CONF_DIR" "$DATA_DIR"
  if getent passwd "$SERVICE_USER" >/dev/null; then userdel "$SERVICE_USER"; fi
  if getent group "$SERVICE_USER" >/dev/null; then groupdel "$SERVICE_USER"; fi
  echo "Removed EnrichmentWorker, its settings, token, data and user."
else
  echo "Removed EnrichmentWorker. Kept: $CONF_DIR (settings, token), $DATA_DIR (database). --purge removes them."
fi
