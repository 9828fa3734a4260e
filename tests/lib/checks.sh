# shellcheck shell=bash
# The check helper of the shell tests (tests/cross/run_cross.sh, tests/pg/install_paths.sh);
# the Python tests' one is tests/capture/checks.py. Sourced, not run.
#
#   check NAME STATUS [DETAIL]   passed when STATUS (an exit status) is 0
#   same NAME A B                passed when A and B are equal and not empty
#   differ NAME A B              passed when A and B are both non-empty and differ
#   checks_summary WHAT          prints "WHAT: N passed, M failed"; fails if any failed
#
# Each check prints "ok   NAME" or "FAIL NAME" and its detail, indented, and the run goes
# on, so one run reports every failure. same's detail names A and B by
# check_labels (default: first, second).
checks_passed=0
checks_failed=0
check_labels=(first second)

check() {
    if [ "$2" -eq 0 ]; then
        checks_passed=$((checks_passed + 1))
        echo "ok   $1"
    else
        checks_failed=$((checks_failed + 1))
        echo "FAIL $1"
        echo "${3:-}" | sed 's/^/     /'
    fi
}

same() {
    [ "$2" == "$3" ] && [ -n "$2" ]
    check "$1" $? "$(printf '%-12s%s\n%-12s%s' "${check_labels[0]}:" "$2" "${check_labels[1]}:" "$3")"
}

differ() {
    [ "$2" != "$3" ] && [ -n "$2" ] && [ -n "$3" ]
    check "$1" $? "both: $2"
}

checks_summary() {
    echo
    echo "$1: $checks_passed passed, $checks_failed failed"
    [ "$checks_failed" -eq 0 ]
}
