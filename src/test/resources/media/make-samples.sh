#!/usr/bin/env bash
# Regenerates the tiny sample media used by the tests (committed, so tests need no ffmpeg).
# Needs: apt-get install -y ffmpeg espeak-ng sox
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
espeak-ng -v en -s 150 -w "$tmp/voice.wav" "Hello from the Camel integration test."
sox "$tmp/voice.wav" -r 16000 -c 1 "$tmp/voice3.wav" pad 0 3 trim 0 3
ffmpeg -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=10:duration=3 -i "$tmp/voice3.wav" \
  -c:v libx264 -preset veryfast -crf 35 -pix_fmt yuv420p -c:a aac -b:a 24k -t 3 -movflags +faststart sample.mp4
ffmpeg -loglevel error -y -i "$tmp/voice3.wav" -c:a aac -b:a 24k sample.m4a
rm -rf "$tmp"
ls -l sample.mp4 sample.m4a
