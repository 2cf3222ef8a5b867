#include "error_body.h"

namespace probewise {

Signals error_body_signals(const HeaderMap&, std::string_view, int) { return {}; }

}  // namespace probewise
