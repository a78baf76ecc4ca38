// The CoNLL-U reader and writer are public (the CLI and the benches use them): see
// newsgraph/conllu.h.
#pragma once

#include "newsgraph/conllu.h"
