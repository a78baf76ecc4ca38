// Leftover HTML in scraped articles ("<p>", "<br/>", "&nbsp;", a stray <script>), cleaned in place
// and byte for byte, so that every span still points into the text as it was read.
#pragma once

#include <cstddef>
#include <string>

namespace newsgraph::html {

// Blanks out the tags of known HTML elements (block elements become a paragraph break, so that a
// sentence never runs across "</p><p>"), comments, <!DOCTYPE> and the content of <script> and
// <style>; decodes the common named entities and numeric character references, padded with
// spaces to their original length. Plain text is left alone: "a < b", "AT&T" and unknown
// "<words>" are not markup. The text stays valid UTF-8 if it was. Returns how many pieces of
// markup were cleaned.
std::size_t clean(std::string& text);

}  // namespace newsgraph::html
