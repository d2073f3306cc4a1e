// core/catalogue/catalogue_io_detail.hpp - helpers shared by the catalogue readers and writers
// (catalogue_io.cpp, catalogue_json.cpp, catalogue_csv.cpp). Not for use outside them.
#pragma once

#include <string>
#include <string_view>

#include "model/model.hpp"

namespace fadaa::detail {

// True when zone names a time zone this machine's tzdata knows (or UTC).
bool isKnownZone(std::string_view zone);

// Local midnight starting the day `dayOffset` days after (or before) today, today being the
// local date of `now` in zone.
Timestamp localDayStart(Timestamp now, int dayOffset, std::string_view zone);

// The instant the wall clock in zone shows hour:minute on that day.
Timestamp localDayTime(Timestamp now, int dayOffset, int hour, int minute, std::string_view zone);

// The place of a field of a record: "events[2].venue" for a JSON path; a CSV place ("line 7")
// stays as it is, since a line is the finest place CSV errors name.
std::string fieldPlace(const std::string& base, std::string_view field);

}  // namespace fadaa::detail
