// SPDX-License-Identifier: GPL-2.0
/* Logical router pipeline.  Placeholder. */
#include "lsdp.h"
