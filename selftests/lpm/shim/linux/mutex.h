/* SPDX-License-Identifier: GPL-2.0 */
/* Stands in for the kernel header of this name: see ../shim.h. */
#include "../shim.h"
