// Included last by every core file. The core defines what "the same value" means for
// both engines, so it must never see an engine's headers: if one slipped in (directly
// or through another header), its include guard is defined here and the build stops.
#pragma once

#if defined(POSTGRES_H) || defined(FMGR_H)
#error "shared/ must not include PostgreSQL headers"
#endif
#if defined(_mysql_h) || defined(_mysql_com_h) || defined(_mariadb_com_h) || defined(UDF_REGISTRATION_TYPES_H)
#error "shared/ must not include MySQL/MariaDB headers"
#endif
