#!/usr/bin/env bash
# Speaks each prompt of prompts.txt with espeak-ng (Debian) and writes it as OUT_DIR/<name>.wav, 8 kHz 16-bit
# mono PCM (sox converts): what the music player sends without resampling. Run by Maven at process-resources.
# usage: generate.sh OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: generate.sh OUT_DIR}
for tool in espeak-ng sox; do
	command -v "$tool" >/dev/null || { echo "generate.sh: $tool is needed (apt-get install espeak-ng sox)" >&2; exit 1; }
done
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS='=' read -r name text; do
	[[ -z $name || $name == \#* ]] && continue
	[[ $name =~ ^[a-z0-9-]+$ ]] || { echo "generate.sh: bad prompt name '$name'" >&2; exit 1; }
	espeak-ng -v en-us -s 150 -w "$tmp/$name.wav" "$text"
	sox -q "$tmp/$name.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$name.wav"
done < "$here/prompts.txt"
