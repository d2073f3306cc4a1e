// bench/search_bench.cpp - search-as-you-type latency over a generated 100k-session catalogue.
//
// Generates (in a temporary SQLite file, through Catalogue's own writes, as an import does)
// 10k events x 10 sessions with titles and descriptions in French, Arabic and English drawn from
// word lists (titles also carry a made-up name, a rarer word), spread from a month ago to eleven
// months ahead, with registrations on the next two weeks' sessions. Then measures
// Catalogue::sessions as a kiosk screen calls it (from now, limit 50): text = 1- to 4-letter
// prefixes of title words, Latin and Arabic; and listings without text. Prints p50/p99/max per
// case, in wall and CPU time, with how many queries took over 5 ms and of those how many lost
// the core to another process meanwhile (the machine is shared); then the same prefixes with
// each listing plan forced, grouped by how many events they match, which is how
// chooseListingPlan in core/catalogue/listing.cpp was checked.
//
// Usage: search_bench [--events N] [--sessions-per-event N] [--queries N] [--keep PATH]
//                     [--no-plans]
// Target (issue 2): search p99 under 5 ms.
#include <fmt/format.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "catalogue/listing.hpp"
#include "catalogue/search_index.hpp"
#include "store/database.hpp"
#include "util/time.hpp"

using namespace fadaa;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kFrench = {
    "atelier",         "théâtre",       "concert",      "échecs",     "tournoi",
    "lecture",         "conte",         "musique",      "jeunesse",   "enfants",
    "famille",         "initiation",    "cuisine",      "couture",    "électricité",
    "formation",       "conférence",    "débat",        "poésie",     "danse",
    "chant",           "peinture",      "dessin",       "robotique",  "programmation",
    "entrepreneuriat", "leadership",    "créativité",   "rencontre",  "spectacle",
    "comédie",         "marionnettes",  "cinéma",       "projection", "exposition",
    "patrimoine",      "histoire",      "sciences",     "astronomie", "nature",
    "jardinage",       "environnement", "eau",          "ville",      "quartier",
    "seniors",         "parents",       "adolescents",  "club",       "rallye",
    "olympiade",       "mathématiques", "langue",       "anglais",    "arabe",
    "amazighe",        "calligraphie",  "photographie", "vidéo",      "radio",
    "journal",         "bibliothèque",  "soirée",       "matinée",    "découverte",
    "apprentissage",   "deuxième",      "chance",       "école",      "métier",
    "artisanat",       "céramique",     "tissage",      "broderie",   "pâtisserie",
    "nutrition",       "santé",         "sport",        "football",   "basket",
    "natation",        "yoga",          "méditation"};

const std::vector<std::string> kEnglish = {
    "workshop",         "play",         "concert",     "chess",      "tournament",
    "reading",          "story",        "music",       "youth",      "children",
    "family",           "introduction", "cooking",     "sewing",     "electricity",
    "training",         "conference",   "debate",      "poetry",     "dance",
    "singing",          "painting",     "drawing",     "robotics",   "coding",
    "entrepreneurship", "leadership",   "creativity",  "meeting",    "show",
    "comedy",           "puppets",      "cinema",      "screening",  "exhibition",
    "heritage",         "history",      "science",     "astronomy",  "nature",
    "gardening",        "environment",  "water",       "city",       "neighbourhood",
    "seniors",          "parents",      "teenagers",   "club",       "rally",
    "olympiad",         "mathematics",  "language",    "english",    "arabic",
    "amazigh",          "calligraphy",  "photography", "video",      "radio",
    "newspaper",        "library",      "evening",     "morning",    "discovery",
    "learning",         "second",       "chance",      "school",     "trade",
    "crafts",           "pottery",      "weaving",     "embroidery", "pastry",
    "nutrition",        "health",       "sport",       "football",   "basketball",
    "swimming",         "yoga",         "mindfulness"};

const std::vector<std::string> kArabic = {
    "ورشة",      "مسرحية",  "حفل",        "شطرنج",   "دوري",       "قراءة",     "حكاية",
    "موسيقى",    "الشباب",  "الأطفال",    "العائلة", "مدخل",       "الطبخ",     "الخياطة",
    "الكهرباء",  "تكوين",   "محاضرة",     "نقاش",    "الشعر",      "رقص",       "غناء",
    "الرسم",     "التصوير", "الروبوتات",  "البرمجة", "المقاولة",   "القيادة",   "الإبداع",
    "لقاء",      "عرض",     "كوميديا",    "الدمى",   "السينما",    "معرض",      "التراث",
    "التاريخ",   "العلوم",  "الفلك",      "الطبيعة", "البستنة",    "البيئة",    "الماء",
    "المدينة",   "الحي",    "المسنين",    "الآباء",  "المراهقين",  "نادي",      "أولمبياد",
    "الرياضيات", "اللغة",   "الإنجليزية", "العربية", "الأمازيغية", "الخط",      "الفيديو",
    "الإذاعة",   "الصحيفة", "المكتبة",    "أمسية",   "صباحية",     "اكتشاف",    "تعلم",
    "الفرصة",    "الثانية", "مدرسة",      "حرفة",    "الصناعة",    "التقليدية", "الخزف",
    "النسيج",    "التطريز", "الحلويات",   "التغذية", "الصحة",      "الرياضة",   "كرة",
    "القدم",     "السباحة", "اليوغا",     "التأمل",  "للجميع",     "مجاني",     "مفتوح"};

struct Options {
    int events = 10000;
    int sessionsPerEvent = 10;
    int queries = 200;
    std::string keep;
    bool plans = true;  // also time each listing plan forced (slow: the wrong plan is slow)
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                fmt::print(stderr, "{} needs a value\n", arg);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--events")
            o.events = std::stoi(next());
        else if (arg == "--sessions-per-event")
            o.sessionsPerEvent = std::stoi(next());
        else if (arg == "--queries")
            o.queries = std::stoi(next());
        else if (arg == "--keep")
            o.keep = next();
        else if (arg == "--no-plans")
            o.plans = false;
        else {
            fmt::print(stderr,
                       "usage: search_bench [--events N] [--sessions-per-event N] "
                       "[--queries N] [--keep PATH] [--no-plans]\n");
            std::exit(2);
        }
    }
    return o;
}

std::string words(std::mt19937& rng, const std::vector<std::string>& list, int count) {
    std::uniform_int_distribution<size_t> pick(0, list.size() - 1);
    std::string out;
    for (int i = 0; i < count; ++i) {
        if (i) out += ' ';
        out += list[pick(rng)];
    }
    return out;
}

LocalizedText trilingual(std::mt19937& rng, int count) {
    LocalizedText t;
    t.byLang["fr"] = words(rng, kFrench, count);
    t.byLang["ar"] = words(rng, kArabic, count);
    t.byLang["en"] = words(rng, kEnglish, count);
    return t;
}

// A made-up proper name (a play's, a guest's, a club's) of 2-3 syllables: a rarer word than
// the vocabulary above, so that some prefixes match few events, as real titles do.
const std::vector<std::string> kLatinSyllables = {"ba",  "ri",  "mo",  "la",  "tu", "ké",  "zo",
                                                  "na",  "fi",  "dé",  "lu",  "sa", "gor", "mir",
                                                  "tal", "ven", "bou", "cha", "el", "ya"};
const std::vector<std::string> kArabicSyllables = {"بو", "سا", "مي", "ري", "كا", "لو", "ني",
                                                   "طا", "زي", "فا", "دو", "حي", "جا", "نو",
                                                   "شي", "غا", "عم", "قا", "ته", "وا"};

std::string name(std::mt19937& rng, const std::vector<std::string>& syllables) {
    std::uniform_int_distribution<size_t> pick(0, syllables.size() - 1);
    std::string out;
    for (int i = 0, n = 2 + static_cast<int>(rng() % 2); i < n; ++i) out += syllables[pick(rng)];
    return out;
}

LocalizedText title(std::mt19937& rng, int count) {
    LocalizedText t = trilingual(rng, count);
    std::string latinName = name(rng, kLatinSyllables);
    t.byLang["fr"] += " " + latinName;
    t.byLang["en"] += " " + latinName;
    t.byLang["ar"] += " " + name(rng, kArabicSyllables);
    return t;
}

void generate(Database& db, const Options& o, Timestamp now) {
    std::mt19937 rng(20270115);
    Catalogue catalogue(db);
    Transaction tx(db);
    const std::vector<std::string> categories = {"play",     "concert",  "chess",   "conference",
                                                 "workshop", "bootcamp", "reading", "course",
                                                 "sport",    "family"};
    for (size_t i = 0; i < categories.size(); ++i)
        catalogue.upsertCategory({categories[i], trilingual(rng, 1), static_cast<int>(i)}, true);
    for (int i = 0; i < 20; ++i)
        catalogue.upsertVenue({fmt::format("venue-{}", i), trilingual(rng, 2), "Benguerir"}, true);
    for (int i = 0; i < 50; ++i)
        catalogue.upsertOrganizer({fmt::format("org-{}", i), trilingual(rng, 3)}, true);

    std::uniform_int_distribution<int> titleWords(2, 5), description(12, 25), venue(0, 19),
        organizer(0, 49), category(0, static_cast<int>(categories.size()) - 1), day(-30, 335),
        hour(9, 20), capacity(0, 60), taken(0, 30);
    for (int e = 0; e < o.events; ++e) {
        Event ev;
        ev.id = fmt::format("event-{}", e);
        ev.categoryId = categories[static_cast<size_t>(category(rng))];
        ev.organizerId = fmt::format("org-{}", organizer(rng));
        ev.title = title(rng, titleWords(rng));
        ev.description = trilingual(rng, description(rng));
        catalogue.upsertEvent(ev, true);
        int home = venue(rng);
        for (int s = 0; s < o.sessionsPerEvent; ++s) {
            Session se;
            se.id = fmt::format("session-{}-{}", e, s);
            se.eventId = ev.id;
            se.venueId = fmt::format("venue-{}", s % 4 == 3 ? venue(rng) : home);
            se.startsAt = now + day(rng) * 86400 + hour(rng) * 3600;
            se.endsAt = se.startsAt + 2 * 3600;
            int cap = capacity(rng);
            if (cap > 0) se.capacity = cap;
            catalogue.upsertSession(se, true);
            if (se.startsAt > now && se.startsAt < now + 14 * 86400) {
                int n = taken(rng);
                for (int r = 0; r < n; ++r) {
                    std::string id = fmt::format("{}-r{}", se.id, r);
                    db.prepare(
                          "INSERT INTO registration(id, session_id, created_at, updated_at, "
                          "  name, phone, status, code, person_key) "
                          "VALUES (?1, ?2, ?3, ?3, 'x', '+212600000000', ?4, ?1, ?1)")
                        .bindAll(id, se.id, now, r % 5 == 4 ? "waitlisted" : "confirmed")
                        .exec();
                }
            }
        }
    }
    tx.commit();
}

// The first `length` code points of a word (UTF-8).
std::string prefix(const std::string& word, int length) {
    size_t i = 0;
    for (int n = 0; n < length && i < word.size(); ++n) {
        ++i;
        while (i < word.size() && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) ++i;
    }
    return word.substr(0, i);
}

// This thread's CPU time in ms. Beside wall time because the machine is shared: CPU time does
// not count the time another process held the core.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Stats {
    double p50 = 0, p99 = 0, max = 0, cpuP50 = 0, cpuP99 = 0, meanRows = 0;
    int over5 = 0;           // queries slower than 5 ms (wall)
    int over5Preempted = 0;  // ... during which another process took the core from this one
};

long involuntarySwitches() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nivcsw;
}

double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

template <typename F>
Stats measure(const std::vector<std::string>& texts, F&& run) {
    std::vector<double> wall, cpu;
    double rows = 0;
    int over5 = 0, over5Preempted = 0;
    for (const std::string& t : texts) run(t);  // warm-up: page cache and statement cache
    for (const std::string& t : texts) {
        long switches = involuntarySwitches();
        double cpuStart = threadCpuMs();
        auto start = Clock::now();
        size_t n = run(t);
        wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        cpu.push_back(threadCpuMs() - cpuStart);
        if (wall.back() > 5.0) {
            ++over5;
            over5Preempted += involuntarySwitches() > switches;
        }
        rows += static_cast<double>(n);
    }
    return {percentile(wall, 0.50),
            percentile(wall, 0.99),
            percentile(wall, 1.0),
            percentile(cpu, 0.50),
            percentile(cpu, 0.99),
            rows / static_cast<double>(texts.size()),
            over5,
            over5Preempted};
}

void printHeader() {
    fmt::print("| {:<34} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>6} | {:>16} |\n", "case",
               "p50", "p99", "max", "cpu p50", "cpu p99", "rows", ">5ms (preempted)");
    fmt::print("|{:-<36}|{:-<9}|{:-<9}|{:-<9}|{:-<9}|{:-<9}|{:-<8}|{:-<18}|\n", "", "", "", "", "",
               "", "", "");
}

void printRow(const std::string& label, const Stats& s) {
    fmt::print(
        "| {:<34} | {:>7.3f} | {:>7.3f} | {:>7.3f} | {:>7.3f} | {:>7.3f} | {:>6.1f} | {:>16} |\n",
        label, s.p50, s.p99, s.max, s.cpuP50, s.cpuP99, s.meanRows,
        fmt::format("{} ({})", s.over5, s.over5Preempted));
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    std::filesystem::path dir;
    std::filesystem::path file;
    if (o.keep.empty()) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "fadaa-search-bench-XXXXXX").string();
        if (!mkdtemp(pattern.data())) return 1;
        dir = pattern;
        file = dir / "kiosk.sqlite";
    } else {
        file = o.keep;
    }
    Timestamp now = nowUtc();
    {
        Database db(file, DatabaseOptions{.durability = Durability::Normal});
        Statement& count = db.prepare("SELECT count(*) FROM session");
        count.step();
        bool fresh = count.getInt(0) == 0;
        count.reset();
        if (fresh) {
            auto start = Clock::now();
            generate(db, o, now);
            double s = std::chrono::duration<double>(Clock::now() - start).count();
            fmt::print("generated {} events x {} sessions through Catalogue upserts in {:.1f} s\n",
                       o.events, o.sessionsPerEvent, s);
        }
    }

    Database db(file);
    Catalogue catalogue(db);
    // Residents type the words they see: queries are prefixes of words of the stored titles
    // (so frequent words are typed more often), Latin from fr/en titles, Arabic from ar ones.
    std::vector<std::string> latin, arabic;
    {
        Statement& st = db.prepare("SELECT title FROM event");
        while (st.step()) {
            LocalizedText t = LocalizedText::fromJson(st.getText(0));
            for (const auto& [lang, text] : t.byLang) {
                size_t start = 0;
                while (start < text.size()) {
                    size_t end = std::min(text.find(' ', start), text.size());
                    (lang == "ar" ? arabic : latin).push_back(text.substr(start, end - start));
                    start = end + 1;
                }
            }
        }
    }
    std::mt19937 rng(7);
    auto texts = [&](const std::vector<std::string>& list, int length) {
        std::vector<std::string> out;
        std::uniform_int_distribution<size_t> pick(0, list.size() - 1);
        for (int i = 0; i < o.queries; ++i) out.push_back(prefix(list[pick(rng)], length));
        return out;
    };
    auto listing = [&](const std::string& text) {
        SessionQuery q;
        q.from = now;
        q.text = text;
        q.limit = 50;
        return catalogue.sessions(q).size();
    };

    fmt::print("\nCatalogue::sessions, from now, limit 50, {} queries per row (ms)\n", o.queries);
    printHeader();
    std::vector<std::pair<std::string, std::vector<std::string>>> cases;
    for (int length = 1; length <= 4; ++length) {
        cases.push_back({fmt::format("Latin prefix, {} letter(s)", length), texts(latin, length)});
        cases.push_back(
            {fmt::format("Arabic prefix, {} letter(s)", length), texts(arabic, length)});
    }
    for (const auto& [label, list] : cases) printRow(label, measure(list, listing));
    std::vector<std::string> two;
    for (int i = 0; i < o.queries; ++i)
        two.push_back(prefix(latin[rng() % latin.size()], 4) + " " +
                      prefix(latin[rng() % latin.size()], 2));
    printRow("Latin, two words (4 + 2 letters)", measure(two, listing));
    std::vector<std::string> none(static_cast<size_t>(o.queries), "");
    printRow("no text, from now", measure(none, listing));
    printRow("no text, one week", measure(none, [&](const std::string&) {
                 SessionQuery q;
                 q.from = now;
                 q.to = now + 7 * 86400;
                 q.limit = 50;
                 return catalogue.sessions(q).size();
             }));
    printRow("no text, one week, category chess", measure(none, [&](const std::string&) {
                 SessionQuery q;
                 q.from = now;
                 q.to = now + 7 * 86400;
                 q.categoryId = "chess";
                 q.limit = 50;
                 return catalogue.sessions(q).size();
             }));

    if (!o.plans) {
        if (!dir.empty()) std::filesystem::remove_all(dir);
        return 0;
    }
    // Each plan forced, queries grouped by how many events they match: where the lines cross
    // is where chooseListingPlan should switch.
    fmt::print("\nEach listing plan forced, by number of matching events: CPU ms p50 / p99\n");
    fmt::print("| {:<18} | {:>7} | {:>17} | {:>17} | {:>12} |\n", "matching events", "queries",
               "WalkMatching", "FromMatches", "chosen");
    fmt::print("|{:-<20}|{:-<9}|{:-<19}|{:-<19}|{:-<14}|\n", "", "", "", "", "");
    const std::vector<std::pair<size_t, size_t>> buckets = {
        {0, 0}, {1, 30}, {31, 100}, {101, 300}, {301, 1000}, {1001, 3000}, {3001, 1u << 30}};
    std::vector<std::vector<std::string>> grouped(buckets.size());
    for (const auto& [label, list] : cases)
        for (size_t i = 0; i < std::min<size_t>(list.size(), 60); ++i) {
            size_t n = findMatches(db, list[i]).events.size();
            for (size_t b = 0; b < buckets.size(); ++b)
                if (n >= buckets[b].first && n <= buckets[b].second) grouped[b].push_back(list[i]);
        }
    for (size_t b = 0; b < buckets.size(); ++b) {
        if (grouped[b].empty()) continue;
        SessionQuery q;
        q.from = now;
        q.limit = 50;
        auto forced = [&](ListingPlan plan) {
            return [&, plan](const std::string& text) {
                return listSessions(db, q, findMatches(db, text), plan).size();
            };
        };
        Stats walk = measure(grouped[b], forced(ListingPlan::WalkMatching));
        Stats from = measure(grouped[b], forced(ListingPlan::FromMatches));
        int chosenWalk = 0;
        for (const std::string& t : grouped[b])
            chosenWalk += chooseListingPlan(db, q, findMatches(db, t)) == ListingPlan::WalkMatching;
        std::string range = buckets[b].second == buckets[b].first
                                ? fmt::format("{}", buckets[b].first)
                            : buckets[b].second > 100000
                                ? fmt::format("{}+", buckets[b].first)
                                : fmt::format("{}-{}", buckets[b].first, buckets[b].second);
        fmt::print("| {:<18} | {:>7} | {:>7.3f} / {:>7.3f} | {:>7.3f} / {:>7.3f} | {:>5} walk |\n",
                   range, grouped[b].size(), walk.cpuP50, walk.cpuP99, from.cpuP50, from.cpuP99,
                   chosenWalk);
    }
    if (!dir.empty()) std::filesystem::remove_all(dir);
    return 0;
}
