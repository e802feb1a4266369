#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to run EnrichmentWorker (PostgreSQL server binaries for the
# embedded database) and, with --tests, to run its test suite (Chromium for the browser tests, systemd-analyze, and
# sox, flac, lame, opus-tools and ffmpeg to make the music folder tests' audio files).
# Safe to run again: it installs only what is missing. Needs root or sudo when something is missing.
set -euo pipefail

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null || need+=(postgresql)
if [[ "${1:-}" == "--tests" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  command -v systemd-analyze >/dev/null || need+=(systemd)
  # Encoders the music folder tests make real audio files with.
  for tool in sox:sox flac:flac metaflac:flac lame:lame opusenc:opus-tools ffmpeg:ffmpeg; do
    command -v "${tool%%:*}" >/dev/null || [[ " ${need[*]} " == *" ${tool##*:} "* ]] || need+=("${tool##*:}")
  done
fi

if ((${#need[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Missing packages: ${need[*]}; install them as root (apt-get install -y ${need[*]})." >&2; exit 1; }
  sudo="sudo"
fi
if ! command -v apt-get >/dev/null; then
  echo "Missing: ${need[*]}. This script knows apt-get only; install them with your package manager." >&2
  exit 1
fi
echo "Installing: ${need[*]}"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
# Debian's package creates and starts a cluster of its own; the service does not use it.
if [[ " ${need[*]} " == *" postgresql "* ]] && command -v pg_ctlcluster >/dev/null; then
  $sudo pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | while read -r v c; do $sudo pg_ctlcluster "$v" "$c" stop || true; done
fi
