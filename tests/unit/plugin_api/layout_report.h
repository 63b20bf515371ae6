#ifndef KERNTUNE_LAYOUT_REPORT_H
#define KERNTUNE_LAYOUT_REPORT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_layout_entry {
    const char* what;
    size_t value;
} kt_layout_entry;

/* Defined in layout_c.c, compiled as C99. */
const kt_layout_entry* kt_layout_as_c(size_t* count);

#ifdef __cplusplus
}
#endif

#endif
