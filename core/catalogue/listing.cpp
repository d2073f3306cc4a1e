// core/catalogue/listing.cpp - the session listing's queries and the store-row readers.
//
// How a listing is found (bench/search_bench.cpp measures it; target p99 < 5 ms at 100k
// sessions). Each plan first picks the page: the rowids of the sessions, in order; then
// fetchPage reads those sessions' columns and seat counts, so counts are computed for at most
// `limit` rows.
//  - Walk (no text): walk session(starts_at, id) from the first session that can still be
//    running at `from` (from minus the longest session's duration) and stop after
//    offset + limit rows.
//  - WalkMatching (text matching many events; a 1-letter prefix matches most of them): the
//    same walk, keeping the sessions whose event is among the matches (a binary search in
//    TextMatch::events), stopping as soon as the page is full. Dense matches end it early.
//  - FromMatches (text matching few events): the matching events' sessions in the date range,
//    through session(event_id, starts_at), sorted.
// The text is searched once (findMatches), and that one FTS5 pass also tells the plans apart.
// A first cut let SQLite filter the walk with `IN (SELECT rowid FROM event_search ...)`; it
// built a temporary index of every match on each keystroke, which cost more than the walk.
#include "catalogue/listing.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "catalogue/search_index.hpp"
#include "registration/lease_clock.hpp"
#include "store/database.hpp"
#include "sync/sync_client.hpp"
#include "util/time.hpp"

namespace fadaa {

const char* const kSessionColumns =
    "s.id, s.event_id, s.venue_id, s.starts_at, s.ends_at, s.capacity, s.reg_opens_at, "
    "s.reg_closes_at, s.status, s.updated_at";

namespace {

// Filters shared by every plan. ?1 lower bound on starts_at (from minus the longest duration),
// ?2 from, ?3 to, ?4 category, ?5 age, ?6 include cancelled.
constexpr const char* kFilters =
    "s.starts_at >= ?1 AND s.ends_at >= ?2 AND s.starts_at < ?3 "
    "AND (?4 IS NULL OR e.category_id = ?4) "
    "AND (?5 IS NULL OR ((e.age_min IS NULL OR e.age_min <= ?5) "
    "                    AND (e.age_max IS NULL OR e.age_max >= ?5))) "
    "AND (?6 OR s.status = 'scheduled') ";

// CROSS JOIN fixes the join order (SQLite never reorders around it): sessions outside, in
// the order of the index on (starts_at, id). INDEXED BY: without ANALYZE statistics (a kiosk
// store has none) SQLite would look events up by their primary key and read the wide rows.
// ?7 limit, ?8 offset.
constexpr const char* kWalkFrom =
    "FROM session s CROSS JOIN event e INDEXED BY event_listing ON e.id = s.event_id WHERE ";
const std::string kWalkSql = std::string("SELECT s.rowid ") + kWalkFrom + kFilters +
                             "ORDER BY s.starts_at, s.id LIMIT ?7 OFFSET ?8";
// Unbounded: the caller stops stepping when its page is full.
const std::string kWalkMatchingSql = std::string("SELECT s.rowid, e.search_rowid ") + kWalkFrom +
                                     kFilters + "ORDER BY s.starts_at, s.id";
// ?9 the matching events' search_rowids as a JSON array.
const std::string kFromMatchesSql =
    std::string(
        "SELECT s.rowid FROM event e CROSS JOIN session s ON s.event_id = e.id "
        "WHERE e.search_rowid IN (SELECT value FROM json_each(?9)) AND ") +
    kFilters + "ORDER BY s.starts_at, s.id LIMIT ?7 OFFSET ?8";

// The listing row: the session (kSessionColumns), its event and venue, seat counts (columns
// 16-23, read by readListing). Two forms, chosen per call:
//  - standalone: the local registrations' counts (16, 17); 18-23 are NULL/0.
//  - enrolled (a kiosk token): also what the kiosk knows of the city:
//    18-20 sc.*: the server's counts as of the last pull (taken, waitlisted, leased = unused
//       seats of every kiosk's leases, this kiosk's included; NULL if never pulled);
//    21, 22: the kiosk's seat-holding registrations the pulled counts do not include yet
//       (register op pending, or answered after the last full pull began: seq > ?3 =
//       counts_seq), apart from those confirmed from its current lease (21), and those (22);
//       counted once per call in `mine` (a correlated count per row re-read the outbox per row);
//    23: the unused seats of this kiosk's lease on the session if the lease may still be used
//       (expires_at > ?2, the deadline of registration/lease_clock.hpp).
// ?1 is left to the callers (the page's rowids, or a session id).
const char* const kListingTail =
    "FROM session s JOIN event e ON e.id = s.event_id "
    "LEFT JOIN venue v ON v.id = s.venue_id ";

std::string listingHead() {
    return std::string("SELECT ") + kSessionColumns +
           ", e.title, e.category_id, v.name, e.registration_required, e.age_min, e.age_max, "
           // Seats taken (confirmed, provisional, attended) = live - waitlisted: both are
           // counted in an index (schema v6), the statuses of live ones are in none.
           "  (SELECT count(*) FROM registration r WHERE r.session_id = s.id "
           "     AND r.cancelled = 0) - "
           "  (SELECT count(*) FROM registration r WHERE r.session_id = s.id "
           "     AND r.status = 'waitlisted'), "
           "  (SELECT count(*) FROM registration r WHERE r.session_id = s.id "
           "     AND r.status = 'waitlisted'), ";
}

const std::string& listingColumns(bool enrolled) {
    static const std::string kStandalone =
        listingHead() + "NULL, NULL, NULL, 0, 0, 0 " + kListingTail;
    static const std::string kEnrolled =
        "WITH mine(session_id, other, from_lease) AS MATERIALIZED ("
        "  SELECT r.session_id, sum(r.lease_id IS NULL OR r.lease_id IS NOT ml.lease_id), "
        "         sum(r.lease_id IS NOT NULL AND r.lease_id IS ml.lease_id) "
        "  FROM outbox o JOIN registration r ON r.id = json_extract(o.payload, "
        "'$.registration_id') "
        "  LEFT JOIN seat_lease ml ON ml.session_id = r.session_id "
        // Pending ops as a list of seqs: the pending-op index is partial (schema v6), and
        // SQLite takes a partial index for one side of an OR only in this form.
        "  WHERE o.kind = 'register' "
        "    AND (o.seq IN (SELECT seq FROM outbox WHERE state = 'pending') OR o.seq > ?3) "
        "    AND r.status IN ('confirmed', 'provisional', 'attended') "
        "  GROUP BY r.session_id) " +
        listingHead() +
        "sc.taken, sc.waitlisted, sc.leased, coalesce(m.other, 0), coalesce(m.from_lease, 0), "
        "  CASE WHEN l.expires_at > ?2 THEN max(0, l.seats - l.used) ELSE 0 END " +
        kListingTail +
        "LEFT JOIN session_counts sc ON sc.session_id = s.id "
        "LEFT JOIN seat_lease l ON l.session_id = s.id "
        "LEFT JOIN mine m ON m.session_id = s.id ";
    return enrolled ? kEnrolled : kStandalone;
}

// Prepares a listing statement ending in `where` (which uses ?1) in the form this store needs,
// with ?2 and ?3 bound when enrolled: what the kiosk's lease and counts are compared with.
Statement& prepareListing(Database& db, std::string_view where) {
    const bool enrolled = isEnrolled(db);
    Statement& st = db.prepare(listingColumns(enrolled) + std::string(where));
    if (!enrolled) return st;
    std::int64_t countsSeq = 0;
    if (auto text = syncStateGet(db, "counts_seq")) {
        try {
            countsSeq = std::stoll(*text);
        } catch (const std::exception&) {
            countsSeq = 0;  // unreadable: count every answered op as not yet in the counts
        }
    }
    st.bind(2, leaseDeadlineClock(db, readClocks())).bind(3, countsSeq);
    return st;
}

std::int64_t scalar(Database& db, const char* sql) {
    Statement& st = db.prepare(sql);
    st.step();
    std::int64_t value = st.getInt(0);
    st.reset();
    return value;
}

// Binds the filters ?1-?6 of q.
void bindFilters(Database& db, Statement& st, const SessionQuery& q) {
    constexpr Timestamp kMin = std::numeric_limits<Timestamp>::min();
    Timestamp from = q.from.value_or(nowUtc());
    Timestamp to = q.to.value_or(std::numeric_limits<Timestamp>::max());
    // Served by the index on (ends_at - starts_at): one lookup.
    Timestamp longest = scalar(db, "SELECT COALESCE(MAX(ends_at - starts_at), 0) FROM session");
    Timestamp earliestStart = from < kMin + longest ? kMin : from - longest;
    st.bind(1, earliestStart).bind(2, from).bind(3, to).bind(4, q.categoryId).bind(5, q.age);
    st.bind(6, q.includeCancelled ? 1 : 0);
}

std::vector<std::int64_t> pageRows(Statement& st) {
    std::vector<std::int64_t> rows;
    while (st.step()) rows.push_back(st.getInt(0));
    return rows;
}

std::vector<std::int64_t> walkMatching(Database& db, const SessionQuery& q,
                                       const TextMatch& match) {
    std::vector<std::int64_t> rows;
    Statement& st = db.prepare(kWalkMatchingSql);
    bindFilters(db, st, q);
    int skip = std::max(q.offset, 0);
    while (static_cast<int>(rows.size()) < q.limit && st.step()) {
        if (!std::binary_search(match.events.begin(), match.events.end(), st.getInt(1))) continue;
        if (skip > 0) {
            --skip;
            continue;
        }
        rows.push_back(st.getInt(0));
    }
    st.reset();  // stopped early: release the read transaction
    return rows;
}

std::string jsonArray(const std::vector<std::int64_t>& values) {
    std::string out = "[";
    for (std::int64_t v : values) {
        if (out.size() > 1) out += ',';
        out += std::to_string(v);
    }
    return out + "]";
}

std::vector<SessionListing> fetchPage(Database& db, const std::vector<std::int64_t>& rows) {
    if (rows.empty()) return {};
    // One statement for the page; its rows come back in the page's order (start, then id).
    std::vector<SessionListing> page;
    page.reserve(rows.size());
    std::map<std::string, LocalizedText> venueNames;  // a page has a few venues, many times
    Statement& st = prepareListing(db,
                                   "WHERE s.rowid IN (SELECT value FROM json_each(?1)) "
                                   "ORDER BY s.starts_at, s.id");
    st.bind(1, jsonArray(rows));
    while (st.step()) page.push_back(readListing(st, &venueNames));
    return page;
}

}  // namespace

ReadSnapshot::ReadSnapshot(Database& db) : m_db(db) {
    m_db.exec("SAVEPOINT fadaa_read");
}

ReadSnapshot::~ReadSnapshot() {
    try {
        m_db.exec("RELEASE fadaa_read");
    } catch (...) {
        // Nothing was written under it: a failed release leaves nothing to undo.
    }
}

TextMatch findMatches(Database& db, std::string_view typed) {
    TextMatch match;
    match.expression = searchMatchExpression(db, typed);
    if (match.expression.empty()) return match;
    Statement& st = db.prepare("SELECT rowid FROM event_search WHERE event_search MATCH ?");
    st.bindAll(match.expression);
    while (st.step()) match.events.push_back(st.getInt(0));
    // FTS5 yields rowids in ascending order already; sorting keeps the binary search correct
    // should that ever change.
    if (!std::is_sorted(match.events.begin(), match.events.end()))
        std::sort(match.events.begin(), match.events.end());
    return match;
}

ListingPlan chooseListingPlan(Database& db, const SessionQuery& q, const TextMatch& match) {
    if (match.expression.empty()) return ListingPlan::Walk;
    if (match.events.empty()) return ListingPlan::FromMatches;  // finds nothing, at once
    // Rows each plan reads, if matching events' sessions are spread evenly in time. Row counts
    // are estimated by the largest rowid: one index lookup each, exact enough for a choice.
    double events = static_cast<double>(
        std::max<std::int64_t>(1, scalar(db, "SELECT COALESCE(MAX(search_rowid), 1) FROM event")));
    double sessions = static_cast<double>(
        std::max<std::int64_t>(1, scalar(db, "SELECT COALESCE(MAX(rowid), 1) FROM session")));
    double matches = static_cast<double>(match.events.size());
    double page = static_cast<double>(q.limit + std::max(q.offset, 0));
    double walkRows = page * events / matches;
    double fromRows = matches * sessions / events;
    return fromRows <= walkRows ? ListingPlan::FromMatches : ListingPlan::WalkMatching;
}

std::vector<SessionListing> listSessions(Database& db, const SessionQuery& q,
                                         const TextMatch& match, ListingPlan plan) {
    if (q.limit <= 0) return {};
    if (match.expression.empty()) plan = ListingPlan::Walk;
    ReadSnapshot snapshot(db);
    std::vector<std::int64_t> rows;
    switch (plan) {
        case ListingPlan::Walk: {
            Statement& st = db.prepare(kWalkSql);
            bindFilters(db, st, q);
            st.bind(7, q.limit).bind(8, std::max(q.offset, 0));
            rows = pageRows(st);
            break;
        }
        case ListingPlan::WalkMatching:
            rows = walkMatching(db, q, match);
            break;
        case ListingPlan::FromMatches: {
            if (match.events.empty()) return {};
            Statement& st = db.prepare(kFromMatchesSql);
            bindFilters(db, st, q);
            st.bind(7, q.limit).bind(8, std::max(q.offset, 0)).bind(9, jsonArray(match.events));
            rows = pageRows(st);
            break;
        }
    }
    return fetchPage(db, rows);
}

std::optional<SessionListing> findListing(Database& db, const std::string& sessionId) {
    Statement& st = prepareListing(db, "WHERE s.id = ?1");
    st.bind(1, sessionId);
    if (!st.step()) {
        st.reset();
        return std::nullopt;
    }
    SessionListing listing = readListing(st);
    st.reset();
    return listing;
}

Session readSession(Statement& st, int first) {
    Session s;
    s.id = st.getText(first);
    s.eventId = st.getText(first + 1);
    s.venueId = st.getOptText(first + 2);
    s.startsAt = st.getInt(first + 3);
    s.endsAt = st.getInt(first + 4);
    s.capacity = readOptInt(st, first + 5);
    s.regOpensAt = st.getOptInt(first + 6);
    s.regClosesAt = st.getOptInt(first + 7);
    s.status = sessionStatusFromString(st.getText(first + 8)).value_or(SessionStatus::Scheduled);
    s.updatedAt = st.getInt(first + 9);
    return s;
}

SessionListing readListing(Statement& st, std::map<std::string, LocalizedText>* venueNames) {
    SessionListing l;
    l.session = readSession(st, 0);
    l.eventId = l.session.eventId;
    l.eventTitle = readText(st.getText(10));
    l.categoryId = st.getText(11);
    if (!st.isNull(12)) {
        std::string json = st.getText(12);
        if (!venueNames) {
            l.venueName = readText(json);
        } else {
            auto it = venueNames->find(json);
            if (it == venueNames->end()) it = venueNames->emplace(json, readText(json)).first;
            l.venueName = it->second;
        }
    }
    l.registrationRequired = st.getInt(13) != 0;
    l.ageMin = readOptInt(st, 14);
    l.ageMax = readOptInt(st, 15);
    if (st.isNull(18)) {  // standalone, or the server's counts not pulled yet: local counts
        l.taken = static_cast<int>(st.getInt(16));
        l.waitlisted = static_cast<int>(st.getInt(17));
        if (l.session.capacity) l.seatsLeft = std::max(0, *l.session.capacity - l.taken);
        return l;
    }
    // Enrolled (listingColumns() names the columns). Seats left = the seats free in the city
    // less the kiosk's registrations the server has not counted yet (they take free seats
    // first), plus what the kiosk's own usable lease still holds: never a seat the city gave
    // away, never fewer than this kiosk can confirm itself.
    const std::int64_t cityTaken = st.getInt(18), cityLeased = st.getInt(20);
    const std::int64_t notCounted = st.getInt(21), notCountedFromLease = st.getInt(22);
    const std::int64_t leaseUnused = st.getInt(23);
    l.taken = static_cast<int>(cityTaken + notCounted + notCountedFromLease);
    l.waitlisted = static_cast<int>(st.getInt(19));
    if (l.session.capacity) {
        std::int64_t cityFree = *l.session.capacity - cityTaken - cityLeased - notCounted;
        l.seatsLeft = static_cast<int>(std::max<std::int64_t>(0, cityFree) + leaseUnused);
    }
    return l;
}

LocalizedText readText(const std::string& json) {
    try {
        return LocalizedText::fromJson(json);
    } catch (const std::invalid_argument&) {
        LocalizedText text;
        text.byLang["fr"] = json;
        return text;
    }
}

std::optional<int> readOptInt(Statement& st, int column) {
    if (st.isNull(column)) return std::nullopt;
    return static_cast<int>(st.getInt(column));
}

}  // namespace fadaa
