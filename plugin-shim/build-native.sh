#!/usr/bin/env bash
# Builds the VST3 shim and the test host with gcc, and assembles the bundle. Called by Maven (plugin-shim/pom.xml):
#   build-native.sh compile JAVA_HOME     -> target/native/stemroom.so, target/native/vst3_host
#   build-native.sh bundle  VERSION JAVA_HOME -> target/stemroom.vst3/ (after the jar and its dependencies are copied)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
out=target/native
bundle=target/stemroom.vst3

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
  gcc "${cflags[@]}" -o "$out/vst3_host" src/test/c/vst3_host.c -ldl -lpthread -lm
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
  ;;
*)
  echo "usage: $0 compile JAVA_HOME | bundle VERSION" >&2
  exit 2
  ;;
esac
