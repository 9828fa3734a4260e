# cmake -D OUTPUT=... -D SOURCE_DIR=... -D FRAGMENTS=a,b,... -D RELEASE=1.2 -P assemble.cmake
# Concatenates SOURCE_DIR/src/<fragment>.sql in the order given into OUTPUT, each after a
# line naming its file, and puts RELEASE where a fragment says @FINGERPRINT_RELEASE@.
# Written to a temporary file first, so that a failed run leaves no half install.sql.
foreach(var OUTPUT SOURCE_DIR FRAGMENTS RELEASE)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "assemble.cmake: ${var} is not set")
    endif()
endforeach()
string(REPLACE "," ";" FRAGMENTS "${FRAGMENTS}")
set(text "-- Assembled by the build from sql/mysql/src/*.sql (sql/mysql/CMakeLists.txt): edit those\n")
string(APPEND text "-- files, not this one. fingerprint ${RELEASE} for MariaDB.\n")
foreach(name IN LISTS FRAGMENTS)
    set(file "${SOURCE_DIR}/src/${name}.sql")
    if(NOT EXISTS "${file}")
        message(FATAL_ERROR "assemble.cmake: ${file} does not exist")
    endif()
    file(READ "${file}" fragment)
    string(REPLACE "@FINGERPRINT_RELEASE@" "${RELEASE}" fragment "${fragment}")
    # Each fragment opens with its own section header ("-- ==== Title ===="); the line
    # above it names the file to edit.
    string(APPEND text "\n-- -------------------------------------------------------------- sql/mysql/src/${name}.sql\n"
        "${fragment}")
endforeach()
if(text MATCHES "@FINGERPRINT_[A-Z_]+@")
    message(FATAL_ERROR "assemble.cmake: ${CMAKE_MATCH_0} left in the assembled script")
endif()
file(WRITE "${OUTPUT}.tmp" "${text}")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
