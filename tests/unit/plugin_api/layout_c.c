/* The layout as a C compiler sees it, reported to the C++ test. */
#include KT_PINS_HEADER

#include "layout_report.h"

#define KT_REPORT_MEMBER(s, m, offset) {#s "." #m, offsetof(s, m)},
#define KT_REPORT_SIZE(s, size) {"sizeof " #s, sizeof(s)},

static const kt_layout_entry entries[] = {KT_PINNED_LAYOUT(KT_REPORT_MEMBER, KT_REPORT_SIZE)};

const kt_layout_entry* kt_layout_as_c(size_t* count) {
    *count = sizeof entries / sizeof entries[0];
    return entries;
}
