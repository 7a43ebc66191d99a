/* The document order of a layout's elements. */
#ifndef JM_LAYOUT_READING_ORDER_H
#define JM_LAYOUT_READING_ORDER_H

#include <stdbool.h>

#include "layout.h"

/* Sets lo->order: first the frame — title, personas, legend, stage columns, lane bands and
 * labels, the emotion curves, grid lines — in the order made; then the map stage by stage:
 * each model object lying in a stage column (its header, then its actions, cards, faces,
 * texts, badges and metrics, lane by lane) with everything inside it. What a screen reader
 * reads, Tab moves through and a selection copies then follows the journey stage by stage.
 * Objects lie on the frame and do not overlap each other, so drawing in this order gives the
 * picture of the order made, up to anti-aliasing where edges touch. False when out of memory. */
bool jm_layout_reading_order(jm_layout *lo);

#endif
