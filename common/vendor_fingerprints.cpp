#include "vendor_fingerprints.h"

namespace probewise {

Signals vendor_signals(const HeaderMap&, std::string_view, int) { return {}; }

}  // namespace probewise
