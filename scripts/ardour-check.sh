#!/usr/bin/env bash
# Checks the plugin in a real DAW, headless: Ardour 7 with the "None (Dummy)" backend. NOT run by CI or
# scripts/test.sh (installing Ardour costs more than the test budget); run it by hand after a build.
#   1. installs the bundle to ~/.vst3 and has Ardour's own scanner index it (no JVM may start here);
#   2. ardour7-lua: new session, stereo track, stemroom inserted, a parameter set, session saved, closed,
#      re-opened: the parameter must come back from the plugin's saved state;
#   3. ardour7-export: renders the session, which makes Ardour set up processing: the JVM starts inside Ardour.
# Needs: apt-get install ardour (Debian 12: Ardour 7.3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v ardour7-lua >/dev/null || { echo "ardour7-lua not found: apt-get install ardour" >&2; exit 2; }
scripts/install-plugin.sh
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
echo "== Ardour's VST3 scanner"
# The scanner stamps its cache with whole seconds; a cache not newer than the module counts as stale.
sleep 2
# Ardour keeps a scan log; an entry marked "updated" after a reinstall hides the plugin until rescanned.
sed -i '\|path="'"$HOME"'/.vst3/stemroom.vst3"|d' "$HOME"/.config/ardour7/plugin_metadata/scan_log 2>/dev/null || true
LD_LIBRARY_PATH=/usr/lib/ardour7 /usr/lib/ardour7/ardour-vst3-scanner -v "$HOME/.vst3/stemroom.vst3" 2>&1 \
  | grep -E "Found Plugin|VST3Info|error" || { echo "FAIL: scanner did not find stemroom"; exit 1; }
cat > "$dir/check.lua" <<LUA
AudioEngine:set_backend("None (Dummy)", "", "")
s = create_session("$dir/session", "sr", 48000)
local t = s:new_audio_track(2, 2, nil, 1, "music", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true):front()
local p = ARDOUR.LuaAPI.new_plugin(s, "stemroom", ARDOUR.PluginType.VST3, "")
if p:isnil() then print("RESULT plugin-not-found") close_session() return end
t:add_processor_by_index(p, 0, nil, true)
print("RESULT loaded params=" .. p:to_insert():plugin(0):parameter_count())
ARDOUR.LuaAPI.set_plugin_insert_param(p:to_insert(), 0, 45)
s:save_state("", false, false, false, false, false)
close_session()
s = load_session("$dir/session", "sr")
for r in s:get_routes():iter() do
  local proc = r:nth_plugin(0)
  if not proc:isnil() then
    print("RESULT restored azimuth=" .. ARDOUR.LuaAPI.get_plugin_insert_param(proc:to_insert(), 0, false))
  end
end
close_session()
LUA
echo "== ardour7-lua: load, set, save, reload"
out="$(timeout 300 ardour7-lua "$dir/check.lua" 2>&1 | grep RESULT || true)"
echo "$out"
echo "$out" | grep -q "restored azimuth=45" || { echo "FAIL: state not restored"; exit 1; }
echo "== ardour7-export (the JVM starts inside Ardour)"
STEMROOM_TRACE=1 timeout 300 ardour7-export "$dir/session" sr 2>&1 | grep -E "stemroom|Done|rror" || true
echo "OK: Ardour scanned, loaded, saved and restored stemroom, and ran it in an export"
