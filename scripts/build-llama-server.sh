#!/usr/bin/env bash
# Build llama-server (llama.cpp's HTTP server) from the llama.cpp source that
# ships inside node-llama-cpp (node_modules/node-llama-cpp/llama/gitRelease.bundle),
# CPU only, static, offline.
#
# Output: .cache/llama-server/bin/llama-server
# Idempotent: exits at once when that binary exists and the stamp file records
# the same release tag and commit.
#
# Environment:
#   JOBS=N          parallel build jobs (default 2)
#   FORCE=1         rebuild even when the stamp matches
#   NATIVE=ON|OFF   GGML_NATIVE (default ON: -march=native, binary is tied to this CPU)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LLAMA_DIR="$ROOT/node_modules/node-llama-cpp/llama"
BUNDLE="$LLAMA_DIR/gitRelease.bundle"
INFO="$LLAMA_DIR/llama.cpp.info.json"

CACHE="$ROOT/.cache/llama-server"
SRC="$CACHE/src"
BUILD="$CACHE/build"
BIN="$CACHE/bin"
STAMP="$BIN/.stamp"

JOBS="${JOBS:-2}"
NATIVE="${NATIVE:-ON}"

if [[ ! -f "$BUNDLE" || ! -f "$INFO" ]]; then
    echo "error: $BUNDLE or $INFO not found (run npm install first)" >&2
    exit 1
fi

# Release tag named by node-llama-cpp (no node/jq needed).
TAG="$(sed -n 's/.*"tag"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$INFO" | head -n1)"
if [[ -z "$TAG" ]]; then
    echo "error: no \"tag\" in $INFO" >&2
    exit 1
fi

# The bundle's HEAD commit identifies the source without cloning it.
BUNDLE_HEAD="$(git bundle list-heads "$BUNDLE" | awk '$2 == "HEAD" { print $1; exit }')"
if [[ -z "$BUNDLE_HEAD" ]]; then
    BUNDLE_HEAD="$(git bundle list-heads "$BUNDLE" | awk '{ print $1; exit }')"
fi
STAMP_VALUE="tag=$TAG commit=$BUNDLE_HEAD native=$NATIVE"

if [[ "${FORCE:-0}" != "1" && -x "$BIN/llama-server" && -f "$STAMP" ]] \
    && [[ "$(cat "$STAMP")" == "$STAMP_VALUE" ]]; then
    echo "llama-server is up to date ($STAMP_VALUE): $BIN/llama-server"
    exit 0
fi

# Build tools: install via apt only when missing.
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || command -v ninja >/dev/null 2>&1 || missing+=(make)
command -v git >/dev/null 2>&1 || missing+=(git)
if (( ${#missing[@]} > 0 )); then
    echo "installing missing build tools via apt: ${missing[*]}"
    SUDO=""
    if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

start=$(date +%s)

# Source: clone the bundle; check out the tag if the bundle carries it,
# otherwise the bundle's HEAD (node-llama-cpp ships the release as one
# squashed commit with no tags).
if [[ ! -d "$SRC/.git" ]] || [[ "$(git -C "$SRC" rev-parse HEAD 2>/dev/null || true)" != "$BUNDLE_HEAD" ]]; then
    rm -rf "$SRC"
    mkdir -p "$CACHE"
    echo "cloning $BUNDLE -> $SRC"
    git -c advice.detachedHead=false clone --quiet "$BUNDLE" "$SRC"
fi
if git -C "$SRC" rev-parse --verify --quiet "refs/tags/$TAG" >/dev/null; then
    git -C "$SRC" -c advice.detachedHead=false checkout --quiet "refs/tags/$TAG"
else
    echo "note: tag $TAG is not in the bundle; using bundle HEAD $BUNDLE_HEAD"
    git -C "$SRC" -c advice.detachedHead=false checkout --quiet "$BUNDLE_HEAD"
fi

GENERATOR=()
if command -v ninja >/dev/null 2>&1; then GENERATOR=(-G Ninja); fi
# A build dir configured with another generator cannot be reused.
if [[ -f "$BUILD/CMakeCache.txt" ]] && ! grep -q "^CMAKE_HOME_DIRECTORY:INTERNAL=$SRC\$" "$BUILD/CMakeCache.txt"; then
    rm -rf "$BUILD"
fi
if [[ -f "$BUILD/CMakeCache.txt" && ${#GENERATOR[@]} -gt 0 ]] && ! grep -q "^CMAKE_GENERATOR:INTERNAL=Ninja\$" "$BUILD/CMakeCache.txt"; then
    rm -rf "$BUILD"
fi

CMAKE_FLAGS=(
    -DCMAKE_BUILD_TYPE=Release
    -DBUILD_SHARED_LIBS=OFF
    -DLLAMA_CURL=OFF
    -DLLAMA_OPENSSL=OFF
    -DLLAMA_BUILD_TESTS=OFF
    -DLLAMA_BUILD_EXAMPLES=OFF
    -DLLAMA_BUILD_TOOLS=ON
    -DLLAMA_BUILD_SERVER=ON
    -DLLAMA_BUILD_APP=OFF
    -DLLAMA_BUILD_UI=OFF
    -DLLAMA_USE_PREBUILT_UI=OFF
    -DGGML_NATIVE="$NATIVE"
    -DGGML_CUDA=OFF
    -DGGML_VULKAN=OFF
    -DGGML_METAL=OFF
    -DGGML_HIP=OFF
    -DGGML_SYCL=OFF
    -DGGML_BLAS=OFF
    -DGGML_RPC=OFF
    -DGGML_BACKEND_DL=OFF
)

echo "configuring: cmake ${GENERATOR[*]} ${CMAKE_FLAGS[*]}"
nice -n 19 cmake -S "$SRC" -B "$BUILD" "${GENERATOR[@]}" "${CMAKE_FLAGS[@]}"

echo "building llama-server with -j$JOBS"
nice -n 19 cmake --build "$BUILD" --config Release --target llama-server -j "$JOBS"

mkdir -p "$BIN"
cp -f "$BUILD/bin/llama-server" "$BIN/llama-server"
# With BUILD_SHARED_LIBS=OFF nothing but system libraries should be needed;
# copy any project-built shared library the binary still references.
while read -r lib; do
    [[ -n "$lib" && -f "$lib" ]] && cp -f "$lib" "$BIN/"
done < <(ldd "$BIN/llama-server" 2>/dev/null | awk -v b="$BUILD" '$3 ~ "^"b { print $3 }')
printf '%s\n' "$STAMP_VALUE" > "$STAMP"

end=$(date +%s)
echo "llama-server built: $BIN/llama-server ($(du -h "$BIN/llama-server" | cut -f1))"
echo "build time: $((end - start)) s"
