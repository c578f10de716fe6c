#!/bin/sh
# Copy the national code lists from the project's shared data into the catalogue, unchanged,
# so that the catalogue carries them (a test checks the copies still match the originals).
set -eu
shared="${1:-$(dirname "$0")/../../shared/data/codelists}"
here="$(dirname "$0")/../catalog/taxonomy"
mkdir -p "$here/codelists"
cp "$shared/municipalities_pohjois_pohjanmaa.yaml" "$here/areas.yaml"
cp "$shared/ptv_target_groups.yaml" "$shared/ptv_service_classes.yaml" "$here/codelists/"
echo "copied code lists from $shared"
