#!/usr/bin/env bash
# Builds the VST3 shim and the test host with gcc, and assembles the bundle. Called by Maven (plugin-shim/pom.xml):
#   build-native.sh compile JAVA_HOME     -> target/native/stemroom.so, target/native/vst3_host, target/native/rt_jitter
#   build-native.sh bundle  VERSION JAVA_HOME -> target/stemroom.vst3/ (after the jar and its dependencies are copied)
#   build-native.sh archive BUNDLE            -> a new class-data archive for a bundle in another folder
#   build-native.sh asan OUT JAVA_HOME        -> OUT/stemroom.so and OUT/vst3_host with AddressSanitizer (tests)
set -euo pipefail
[ "${1:-}" = "archive" ] && archive_bundle="$(realpath "${2:?bundle}")"
cd "$(dirname "${BASH_SOURCE[0]}")"
out=target/native
bundle=target/stemroom.vst3
preset="$PWD/../bench/plugin-bench-preset.json"

# The class-data archive (CDS, -XX:SharedArchiveFile): the classes a plugin start loads (the plugin's, Jackson's and
# the schema validator's from the bundle's jars, which are the class path of a JVM the shim creates, and the JDK's
# they use), stored parsed and verified by one training run of the bundle in the test host as a DAW drives it (state
# restore, set-up, warm-up, blocks, state save). The JVM writes the archive when the host ends it (System.exit) at
# the end. An archive only works with the JVM build that wrote it and the same jars, so the stamp file names that
# libjvm.so and the jars (size, mtime) and the shim offers the archive only when they all match (jvm.c).
# STEMROOM_NO_CDS=1 builds without it; a failed dump leaves a bundle without it (slower start).
class_data_archive() {
  local bundle="${1:-$bundle}"
  local dir="$bundle/Contents/x86_64-linux" tmp log jvm
  rm -f "$dir/stemroom.jsa" "$dir/stemroom.jsa.jvm"
  [ "${STEMROOM_NO_CDS:-0}" = "1" ] && return 0
  tmp="$(mktemp -d)"
  log="$tmp/dump.log"
  if STEMROOM_JVM_OPTIONS="-XX:ArchiveClassesAtExit=$tmp/stemroom.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
      timeout 120 "$out/vst3_host" run "$bundle" --blocks 200 --block 512 --in-ch 2 --out-ch 6 \
      --state-in "$preset" --exit-jvm 1 > "$log" 2>&1 \
      && jvm="$(sed -n 's/^jvm_path=//p' "$log")" && [ -n "$jvm" ] && [ -s "$tmp/stemroom.jsa" ]; then
    cp "$tmp/stemroom.jsa" "$dir/stemroom.jsa"
    # the JVM; the class path's folder and whether this JVM takes the archive with the jars moved elsewhere (Java 25
    # does, Java 17 does not: seen on this machine); the class path's jars in the shim's order (byte order of the
    # names): the JVM drops an archive whose jars changed size or time, printing into the host's output, so the shim
    # checks all of this first (jvm.c)
    local feature relocates=0
    feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$jvm")/../../release" 2>/dev/null || true)"
    [ -n "$feature" ] && [ "$feature" -ge 25 ] && relocates=1
    {
      echo "$jvm $(stat -c '%s %Y' "$jvm")"
      echo "$(realpath "$bundle/Contents/Resources") $relocates"
      (cd "$bundle/Contents/Resources" && LC_ALL=C ls -1 -- *.jar | while read -r j; do echo "$j $(stat -c '%s %Y' "$j")"; done)
    } > "$dir/stemroom.jsa.jvm"
  else
    echo "build-native.sh: warning: no class-data archive (the plugin starts slower); the training run said:" >&2
    tail -5 "$log" >&2
  fi
  rm -rf "$tmp"
}

case "${1:-}" in
compile)
  java_home="${2:?java home}"
  mkdir -p "$out"
  cflags=(-std=gnu11 -O2 -g -Wall -Wextra -Werror -fno-strict-aliasing)
  # -z nodelete: the .so stays mapped after dlclose, so JVM threads and the pthread-key destructor that
  # detaches audio threads can never run code that has been unmapped.
  gcc "${cflags[@]}" -fPIC -shared -fvisibility=hidden \
      -I"$java_home/include" -I"$java_home/include/linux" \
      -Wl,-z,nodelete -Wl,--no-undefined \
      -o "$out/stemroom.so" src/main/c/params.c src/main/c/jvm.c src/main/c/stemroom_shim.c -ldl -lpthread -lm
  gcc "${cflags[@]}" -I"$java_home/include" -I"$java_home/include/linux" \
      -o "$out/vst3_host" src/test/c/vst3_host.c -ldl -lpthread -lm
  # the machine's own real-time jitter under the host's pacing, the plugin bench's control (bench/plugin-bench.sh)
  gcc "${cflags[@]}" -o "$out/rt_jitter" src/test/c/rt_jitter.c -lpthread
  ;;
bundle)
  version="${2:?version}"
  jar="${3:+$3/bin/}jar"
  rm -rf "$bundle"
  mkdir -p "$bundle/Contents/x86_64-linux" "$bundle/Contents/Resources"
  cp "$out/stemroom.so" "$bundle/Contents/x86_64-linux/stemroom.so"
  cp src/main/bundle/stemroom-jvm.conf "$bundle/Contents/x86_64-linux/stemroom-jvm.conf"
  res="$bundle/Contents/Resources"
  cp target/plugin-shim-"$version".jar "$res/"
  for lib in target/bundle-lib/*.jar; do
    name="$(basename "$lib")"
    case "$name" in
      onnxruntime-*.jar)
        # ONNX Runtime unpacks its natives to a temp folder at each start unless onnxruntime.native.path
        # names them: ship them extracted (linux-x64 only) and a jar without the other platforms' natives.
        tmp="$(mktemp -d)"
        (cd "$tmp" && "$jar" xf "$OLDPWD/$lib")
        mkdir -p "$res/onnxruntime-native"
        cp "$tmp"/ai/onnxruntime/native/linux-x64/*.so "$res/onnxruntime-native/"
        rm -rf "$tmp/ai/onnxruntime/native" "$tmp/META-INF"/*.SF "$tmp/META-INF"/*.RSA "$tmp/META-INF"/*.DSA
        (cd "$tmp" && "$jar" cf "$OLDPWD/$res/${name%.jar}-classes.jar" .)
        rm -rf "$tmp"
        ;;
      jna-*.jar|junit-*|opentest4j-*|apiguardian-*) ;; # not needed at run time
      *) cp "$lib" "$res/" ;;
    esac
  done
  sed "s/@VERSION@/$version/" src/main/bundle/moduleinfo.json > "$res/moduleinfo.json"
  class_data_archive
  ;;
asan)
  # the shim and the test host built with AddressSanitizer and UndefinedBehaviorSanitizer, for the test that runs
  # them with a real JVM (PluginBundleIT): valgrind cannot follow a JVM's generated code at a useful speed
  asan_out="${2:?output folder}"
  java_home="${3:?java home}"
  mkdir -p "$asan_out"
  sflags=(-std=gnu11 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
          -Wall -Wextra -Werror -fno-strict-aliasing -I"$java_home/include" -I"$java_home/include/linux")
  gcc "${sflags[@]}" -fPIC -shared -fvisibility=hidden -Wl,-z,nodelete -o "$asan_out/stemroom.so" \
      src/main/c/params.c src/main/c/jvm.c src/main/c/stemroom_shim.c -ldl -lpthread -lm
  gcc "${sflags[@]}" -o "$asan_out/vst3_host" src/test/c/vst3_host.c -ldl -lpthread -lm
  ;;
archive)
  # an installed copy (scripts/install-plugin.sh) whose JVM cannot use the build's archive in another folder
  class_data_archive "$archive_bundle"
  ;;
*)
  echo "usage: $0 compile JAVA_HOME | bundle VERSION JAVA_HOME | archive BUNDLE | asan OUT JAVA_HOME" >&2
  exit 2
  ;;
esac
