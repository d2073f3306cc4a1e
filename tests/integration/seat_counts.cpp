// tests/integration/seat_counts.cpp - stored seat counts against a recount of registrations.
#include "seat_counts.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

namespace fadaa::test {

std::vector<std::string> seatCountMismatches(server::SqlConnection& conn) {
    std::vector<std::string> out;
    for (const server::SqlRow& row :
         conn.query("SELECT s.id, s.taken, s.waitlisted, "
                    "(SELECT COUNT(*) FROM registration r WHERE r.session_id = s.id "
                    "AND (r.status = 'confirmed' OR r.status = 'attended')), "
                    "(SELECT COUNT(*) FROM registration r WHERE r.session_id = s.id "
                    "AND r.status = 'waitlisted') "
                    "FROM session s ORDER BY s.id")) {
        if (row.integer(1) != row.integer(3) || row.integer(2) != row.integer(4))
            out.push_back(fmt::format("{}: stored {}/{}, counted {}/{}", row.text(0),
                                      row.integer(1), row.integer(2), row.integer(3),
                                      row.integer(4)));
    }
    return out;
}

void checkSeatCounts(server::SqlBackend& backend) {
    auto conn = backend.acquire();
    CHECK(std::stoll(conn->scalar("SELECT COUNT(*) FROM session").value_or("0")) > 0);
    std::vector<std::string> wrong = seatCountMismatches(*conn);
    INFO("sessions whose stored seat counts (taken/waitlisted) differ from a recount");
    CHECK(wrong == std::vector<std::string>{});
}

void checkSeatCounts(const ServerProcess& server) {
    checkSeatCounts(*server.openStore());
}

}  // namespace fadaa::test
