/* tp-segment.h: the event's segment rules applied to a visitor's answers. */
#pragma once

#include <glib.h>

#include "tp-event.h"

G_BEGIN_DECLS

/* What the segment rules give for a submission's answers. */
typedef struct
{
  char      **tags;        /* Union of the matching segments' tags, in order, no repeats. */
  char       *offer;       /* First matching segment's offer, else the default offer. */
  char       *segment;     /* The segment that chose the offer, or NULL for the default. */
} TpSegmentResult;

TpSegmentResult *tp_segments_evaluate  (TpEvent      *event,
                                        GHashTable   *answers);
void             tp_segment_result_free (TpSegmentResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSegmentResult, tp_segment_result_free)

G_END_DECLS
