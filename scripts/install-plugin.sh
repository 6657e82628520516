#!/usr/bin/env bash
# Builds the stemroom VST3 bundle if needed and installs it for the current user (~/.vst3/stemroom.vst3),
# where Linux hosts (Ardour, Bitwig, Reaper, Carla) look for VST3 plugins.
#   scripts/install-plugin.sh            build (unless already built) and install
#   scripts/install-plugin.sh --rebuild  always rebuild first
#   VST3_DIR=/usr/lib/vst3 scripts/install-plugin.sh   install elsewhere (system-wide needs root)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bundle=plugin-shim/target/stemroom.vst3
if [ "${1:-}" = "--rebuild" ] || [ ! -f "$bundle/Contents/x86_64-linux/stemroom.so" ]; then
  scripts/install-deps.sh build
  mvn -B -ntp -q -DskipTests package -pl plugin-shim -am
fi
dest="${VST3_DIR:-$HOME/.vst3}"
mkdir -p "$dest"
# Keep a user's edited JVM configuration across reinstalls.
conf="$dest/stemroom.vst3/Contents/x86_64-linux/stemroom-jvm.conf"
saved=""
if [ -f "$conf" ]; then saved="$(mktemp)"; cp "$conf" "$saved"; fi
rm -rf "$dest/stemroom.vst3"
# -a keeps the jars' times: the class-data archive is only offered with the very jars it was made with
cp -a "$bundle" "$dest/"
if [ -n "$saved" ]; then cp "$saved" "$conf"; rm -f "$saved"; fi
# A JVM older than Java 25 takes the archive only in the folder it was made in (see plugin-shim/build-native.sh):
# make it again where the bundle now lives
stamp="$dest/stemroom.vst3/Contents/x86_64-linux/stemroom.jsa.jvm"
if [ -f "$stamp" ] && [ "$(sed -n '2s/.* //p' "$stamp")" != "1" ]; then
  echo "making the class-data archive for $dest/stemroom.vst3 (faster plugin start; about 15 s)"
  plugin-shim/build-native.sh archive "$dest/stemroom.vst3"
fi
echo "installed $dest/stemroom.vst3 (rescan plugins in your DAW)"
