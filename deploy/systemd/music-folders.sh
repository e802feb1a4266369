#!/usr/bin/env bash
# Prints the systemd drop-in that gives EnrichmentWorker its music folders, read-only:
#   deploy/systemd/music-folders.sh /srv/music [/home/me/Music ...] > /etc/systemd/system/enrichment-worker.service.d/music-folders.conf
# install.sh --music-folder DIR writes it. The folders become Library:Folders, and the sandbox binds each one in
# read-only: the unit's ProtectSystem=strict already makes every path outside /var/lib/enrichment-worker read-only,
# and ProtectHome=tmpfs keeps /home hidden except for the folders bound in here. The service never writes to them.
set -euo pipefail
(($# > 0)) || { echo "Usage: $0 FOLDER [FOLDER ...]" >&2; exit 64; }
echo "# Written by deploy/systemd/install.sh --music-folder: the music folders, read-only. Re-run it to change them."
echo "[Service]"
i=0
for folder in "$@"; do
  [[ "$folder" == /* ]] || { echo "$folder: give the folder as an absolute path." >&2; exit 64; }
  [[ "$folder" != *[[:space:]\"\\]* ]] || { echo "$folder: paths with spaces, quotes or backslashes cannot be bound in by systemd; bind-mount it to a plain path (e.g. /srv/music) and give that." >&2; exit 64; }
  echo "Environment=\"Library__Folders__$i=${folder%/}\""
  i=$((i + 1))
done
echo "ProtectHome=tmpfs"
for folder in "$@"; do
  # '-': a share not mounted at start does not stop the service; the library page shows the folder as unavailable.
  echo "BindReadOnlyPaths=-${folder%/}"
done
