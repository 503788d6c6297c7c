/* version.h: pagoda's version string (/proc/version, the boot banner). */
#ifndef PAGODA_VERSION_H
#define PAGODA_VERSION_H

#define PAGODA_VERSION "0.1.0"

#endif
