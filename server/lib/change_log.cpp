// server/lib/change_log.cpp - buffering, writing, paging and purging the change log.
#include "change_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "api_error.hpp"
#include "server_schema.hpp"
#include "sql.hpp"
#include "sync/json_scan.hpp"
#include "sync/wire.hpp"

namespace fadaa::server {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

void ChangeBuffer::upsert(std::string_view entity, std::string id, json data, std::string audience,
                          std::string echo) {
    Entry& e = m_entries[{std::string(entity), id, audience}];
    e = Entry{std::string(entity), std::move(id), std::move(audience),
              std::move(echo),     false,         std::move(data),
              std::nullopt,        m_next++};
}

void ChangeBuffer::upsertText(std::string_view entity, std::string id, std::string dataText,
                              std::string audience, std::string echo) {
    Entry& e = m_entries[{std::string(entity), id, audience}];
    e = Entry{std::string(entity), std::move(id), std::move(audience),
              std::move(echo),     false,         nullptr,
              std::move(dataText), m_next++};
}

void ChangeBuffer::remove(std::string_view entity, std::string id, std::string audience) {
    Entry& e = m_entries[{std::string(entity), id, audience}];
    e = Entry{std::string(entity), std::move(id), std::move(audience), "", true, nullptr,
              std::nullopt,        m_next++};
}

void ChangeBuffer::flush(SqlConnection& conn, Timestamp now) {
    if (m_entries.empty()) return;
    std::vector<const Entry*> order;
    order.reserve(m_entries.size());
    for (const auto& [key, e] : m_entries) order.push_back(&e);
    // Parents before children for upserts, children before parents for deletes, otherwise in
    // the order the changes were made: a kiosk applying in log order never meets a dangling
    // reference.
    std::stable_sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
        auto key = [](const Entry* e) {
            int rank = wire::entityRank(e->entity);
            return std::make_tuple(e->deleted ? 1 : 0, e->deleted ? -rank : rank, e->order);
        };
        return key(a) < key(b);
    });
    std::int64_t seq = reserveCounter(conn, "change", static_cast<std::int64_t>(order.size()));
    std::vector<SqlParams> rows;
    rows.reserve(order.size());
    for (const Entry* e : order)
        rows.push_back({seq++, e->entity, e->id, e->audience, e->echo,
                        std::string(e->deleted ? "delete" : "upsert"),
                        e->deleted ? sqlNull() : SqlValue(e->text ? *e->text : e->data.dump()),
                        now});
    insertRows(conn, "change_log", "(seq, entity, entity_id, audience, echo, op, data, at)", 8,
               rows,
               "ON CONFLICT (entity, entity_id, audience) DO UPDATE SET seq = excluded.seq, "
               "echo = excluded.echo, op = excluded.op, data = excluded.data, at = excluded.at");
    m_entries.clear();
    m_next = 0;
}

// ---------------------------------------------------------------------------------------------
// Cursors
// ---------------------------------------------------------------------------------------------

std::string formatCursor(const std::string& epoch, std::int64_t seq) {
    return fmt::format("{}.{}", epoch, seq);
}

namespace {

// The cursor forms (docs/sync-protocol.md): "" or "0" begins a snapshot; "<epoch>.<seq>" is an
// incremental pull after seq; a snapshot goes on with "<epoch>.<seq>.s" (its catalogue part,
// after seq) and then "<epoch>.<seq>.r[<id>]" (this kiosk's registrations after id, the
// catalogue having been read up to seq).
Cursor parseCursor(const std::string& text) {
    Cursor c;
    if (text.empty() || text == "0") {
        c.part = Cursor::Part::Catalogue;
        return c;
    }
    auto bad = [] {
        return ApiError(400, "invalid_value", "since: not a cursor this server gave out");
    };
    auto dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 >= text.size() || text.size() > 120)
        throw bad();
    c.epoch = text.substr(0, dot);
    const char* begin = text.data() + dot + 1;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, c.seq);
    if (ec != std::errc() || c.seq < 0) throw bad();
    if (ptr == end) return c;
    if (end - ptr < 2 || ptr[0] != '.') throw bad();
    if (ptr[1] == 's' && end - ptr == 2) {
        c.part = Cursor::Part::Catalogue;
    } else if (ptr[1] == 'r') {
        c.part = Cursor::Part::Registrations;
        c.afterId.assign(ptr + 2, end);
    } else {
        throw bad();
    }
    return c;
}

Change rowToChange(const SqlRow& row) {
    Change c;
    c.seq = row.integer(0);
    c.entity = row.text(1);
    c.id = row.text(2);
    c.deleted = row.text(3) == "delete";
    c.data = c.deleted ? "null" : row.text(4);
    return c;
}

// The (entity, id) pairs a record refers to.
void parentsOf(const Change& c, std::set<std::pair<std::string, std::string>>& out) {
    if (c.deleted || c.entity == wire::kCategory || c.entity == wire::kVenue ||
        c.entity == wire::kOrganizer)
        return;
    // The record's top-level members read from its text: a page has a thousand sessions, and
    // a JSON tree of each cost more than finding two members. Keys and values written with
    // escapes are decoded by the JSON library.
    auto members = jsonscan::objectMembers(c.data);
    if (!members) return;
    auto add = [&](std::string_view entity, std::string_view field) {
        for (const jsonscan::Member& m : *members) {
            const bool escapedKey = m.key.find('\\') != std::string_view::npos;
            if ((m.key != field && !escapedKey) || m.value.front() != '"') continue;
            if (escapedKey &&
                json::parse("\"" + std::string(m.key) + "\"").get<std::string>() != field)
                continue;
            if (m.value.find('\\') == std::string_view::npos)
                out.emplace(entity, m.value.substr(1, m.value.size() - 2));
            else
                out.emplace(entity, json::parse(m.value).get<std::string>());
        }
    };
    if (c.entity == wire::kEvent) {
        add(wire::kCategory, "category_id");
        add(wire::kOrganizer, "organizer_id");
    } else if (c.entity == wire::kSession) {
        add(wire::kEvent, "event_id");
        add(wire::kVenue, "venue_id");
    } else if (c.entity == wire::kRegistration) {
        add(wire::kSession, "session_id");
    }
}

}  // namespace

PullPage readChanges(SqlConnection& conn, const std::string& kioskId, const std::string& cursor,
                     int limit) {
    Cursor since = parseCursor(cursor);
    std::string epoch = metaGet(conn, "epoch").value_or("");
    std::int64_t head = counterValue(conn, "change");
    std::int64_t minCursor = std::stoll(metaGet(conn, "min_cursor").value_or("0"));
    if (!since.epoch.empty()) {
        if (since.epoch != epoch)
            throw ApiError(410, "cursor_expired",
                           "this cursor comes from another server database; take a snapshot");
        if (since.seq > head)
            throw ApiError(410, "cursor_expired",
                           "this cursor is ahead of the server (restored from a backup?); take a "
                           "snapshot");
        if (since.seq < minCursor)
            throw ApiError(410, "cursor_expired",
                           "this cursor is older than the server keeps deletions; take a snapshot");
    }

    PullPage page;
    std::vector<Change> body;
    std::int64_t last = since.seq;
    if (since.part != Cursor::Part::Registrations) {
        // Incremental: the two audiences walked in seq order each (change_log_audience) and
        // merged (with `audience IN (...)` SQLite sorted every row after the cursor), without
        // the rows whose state this kiosk got as its own push's answer. A snapshot's catalogue
        // part reads the shared audience only: its registrations come from their table after.
        const bool snapshot = since.part == Cursor::Part::Catalogue;
        SqlRows rows =
            snapshot ? conn.query(
                           "SELECT seq, entity, entity_id, op, data FROM change_log "
                           "WHERE audience = '' AND seq > $1 ORDER BY seq LIMIT $2",
                           {since.seq, static_cast<std::int64_t>(limit) + 1})
                     : conn.query(
                           "SELECT seq, entity, entity_id, op, data FROM change_log "
                           "WHERE audience = '' AND seq > $1 "
                           "UNION ALL SELECT seq, entity, entity_id, op, data FROM change_log "
                           "WHERE audience = $2 AND seq > $1 AND echo <> $2 ORDER BY seq LIMIT $3",
                           {since.seq, kioskId, static_cast<std::int64_t>(limit) + 1});
        page.hasMore = static_cast<int>(rows.size()) > limit;
        if (page.hasMore) rows.pop_back();
        body.reserve(rows.size());
        for (const SqlRow& row : rows) body.push_back(rowToChange(row));
        if (!body.empty()) last = body.back().seq;
        // With nothing left to read, jump to the head: rows for other kiosks need not be
        // rescanned.
        if (!page.hasMore) last = std::max(last, head);
        page.nextCursor = formatCursor(epoch, last) + (snapshot ? ".s" : "");
        if (snapshot && !page.hasMore) {
            // The catalogue is done: this kiosk's registrations follow, in this page if room.
            since.part = Cursor::Part::Registrations;
            since.seq = last;
        }
    }
    if (since.part == Cursor::Part::Registrations) {
        const int room = limit - static_cast<int>(body.size());
        // The snapshot ends with a plain cursor at the catalogue's end: what changed since is
        // pulled incrementally, registrations too (a state is never older than the table's).
        page.nextCursor = formatCursor(epoch, since.seq);
        if (room > 0) {
            SqlRows regs = conn.query(
                "SELECT id, session_id, status, code, waitlist_pos FROM registration "
                "WHERE kiosk_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                {kioskId, since.afterId, static_cast<std::int64_t>(room) + 1});
            const bool more = static_cast<int>(regs.size()) > room;
            if (more) regs.pop_back();
            for (const SqlRow& row : regs) {
                Change c;
                c.seq = since.seq;
                c.entity = wire::kRegistration;
                c.id = row.text(0);
                c.data = wire::toWireText(wire::RegistrationState{
                    row.text(0), row.text(1), row.text(2), row.text(3), row.optInteger(4)});
                body.push_back(std::move(c));
            }
            if (more) {
                page.hasMore = true;
                page.nextCursor = formatCursor(epoch, since.seq) + ".r" + body.back().id;
            }
        } else {
            page.hasMore = true;  // the catalogue filled the page
            page.nextCursor += ".r";
        }
    }

    // Records the page refers to that only a later page would bring: send them now as well.
    // (Not for a registrations page: every catalogue record came before it.)
    if (page.hasMore && since.part != Cursor::Part::Registrations) {
        std::set<std::pair<std::string, std::string>> seen, wanted;
        for (const Change& c : body) seen.emplace(c.entity, c.id);
        std::vector<Change> extra;
        for (const Change& c : body) parentsOf(c, wanted);
        for (int depth = 0; depth < 4 && !wanted.empty(); ++depth) {
            std::map<std::string, std::vector<std::string>> byEntity;
            for (const auto& key : wanted)
                if (!seen.count(key)) byEntity[key.first].push_back(key.second);
            wanted.clear();
            for (const auto& [entity, ids] : byEntity) {
                for (size_t start = 0; start < ids.size(); start += 200) {
                    size_t n = std::min<size_t>(200, ids.size() - start);
                    SqlParams params{entity, last};
                    std::string list;
                    for (size_t i = 0; i < n; ++i) {
                        params.emplace_back(ids[start + i]);
                        list += fmt::format("{}(${})", i ? "," : "", i + 3);
                    }
                    // Joined from a list, so each is one change_log_key lookup (with
                    // `entity_id IN (...)` SQLite walked every row after `last` instead).
                    SqlRows more =
                        conn.query("WITH w(id) AS (VALUES " + list +
                                       ") SELECT c.seq, c.entity, c.entity_id, c.op, c.data FROM w "
                                       "JOIN change_log c ON c.entity = $1 AND c.entity_id = w.id "
                                       "AND c.audience = '' WHERE c.seq > $2 AND c.op = 'upsert'",
                                   params);
                    for (const SqlRow& row : more) {
                        Change c = rowToChange(row);
                        seen.emplace(c.entity, c.id);
                        parentsOf(c, wanted);
                        extra.push_back(std::move(c));
                    }
                }
            }
        }
        std::stable_sort(extra.begin(), extra.end(), [](const Change& a, const Change& b) {
            return wire::entityRank(a.entity) < wire::entityRank(b.entity);
        });
        page.changes = std::move(extra);
    }
    for (Change& c : body) page.changes.push_back(std::move(c));
    return page;
}

std::int64_t purgeTombstones(SqlConnection& conn, Timestamp before) {
    auto top =
        conn.scalar("SELECT MAX(seq) FROM change_log WHERE op = 'delete' AND at < $1", {before});
    if (!top) return 0;
    SqlRows gone = conn.query(
        "DELETE FROM change_log WHERE op = 'delete' AND at < $1 RETURNING seq", {before});
    std::int64_t minCursor = std::stoll(metaGet(conn, "min_cursor").value_or("0"));
    metaSet(conn, "min_cursor",
            std::to_string(std::max<std::int64_t>(minCursor, std::stoll(*top))));
    return static_cast<std::int64_t>(gone.size());
}

}  // namespace fadaa::server
