#!/usr/bin/env bash
# fingerprint_udf.so must export exactly the UDF entry points mysqld looks up with
# dlsym, and no C++ symbol that could interpose on (or be interposed by) mysqld's own.
#   tests/mysql/check_exports.sh path/to/fingerprint_udf.so
set -euo pipefail
lib=$1
expected="fingerprint_advance
fingerprint_advance_add
fingerprint_advance_clear
fingerprint_advance_deinit
fingerprint_advance_init
fingerprint_agg
fingerprint_agg_add
fingerprint_agg_clear
fingerprint_agg_deinit
fingerprint_agg_init
fingerprint_algorithm
fingerprint_algorithm_deinit
fingerprint_algorithm_init
fingerprint_bucket_of
fingerprint_bucket_of_deinit
fingerprint_bucket_of_init
fingerprint_buckets
fingerprint_buckets_add
fingerprint_buckets_clear
fingerprint_buckets_deinit
fingerprint_buckets_init
fingerprint_capture_part
fingerprint_capture_part_deinit
fingerprint_capture_part_init
fingerprint_capture_row
fingerprint_capture_row_deinit
fingerprint_capture_row_init
fingerprint_image
fingerprint_image_deinit
fingerprint_image_diff
fingerprint_image_diff_deinit
fingerprint_image_diff_init
fingerprint_image_init
fingerprint_image_json
fingerprint_image_json_deinit
fingerprint_image_json_init
fingerprint_key_json
fingerprint_key_json_deinit
fingerprint_key_json_init
row_fingerprint
row_fingerprint_deinit
row_fingerprint_init"
actual=$(nm -D --defined-only "$lib" | awk '{ print $NF }' | LC_ALL=C sort)
if [ "$actual" != "$expected" ]; then
	echo "unexpected export list of $lib:"
	diff <(echo "$expected") <(echo "$actual") || true
	exit 1
fi
echo "exports ok: $(echo "$actual" | tr '\n' ' ')"
