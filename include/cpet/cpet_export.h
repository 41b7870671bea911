/* cpet_export.h - symbol visibility. The library is built with -fvisibility=hidden; only
 * declarations marked CPET_API are exported from libcpet.so. */
#ifndef CPET_EXPORT_H
#define CPET_EXPORT_H

#if defined(CPET_STATIC_DEFINE)
#define CPET_API
#elif defined(_WIN32)
#ifdef CPET_BUILDING
#define CPET_API __declspec(dllexport)
#else
#define CPET_API __declspec(dllimport)
#endif
#else
#define CPET_API __attribute__((visibility("default")))
#endif

#endif
