#!/usr/bin/env python3
"""assets/demo/generate_catalogue.py - writes assets/demo/catalogue.json, the demo catalogue.

The committed artifact is the JSON (docs/catalogue-format.md); this script is where its content
is edited. Six weeks (relative days 0..41) of the Benguerir cultural centre, the media library
and reading spaces, and the youth centre. Deterministic: running it twice gives the same file.

    python3 assets/demo/generate_catalogue.py        # rewrites catalogue.json next to it
"""
import json
import pathlib


def T(ar, fr, en, zgh=None):
    text = {"ar": ar, "fr": fr, "en": en}
    if zgh:
        text["zgh"] = zgh
    return text


CATEGORIES = [
    # Tamazight names: see the note in the i18n report; to be reviewed by a native speaker.
    ("play", T("مسرح", "Théâtre", "Theatre", "ⴰⵎⵣⴳⵓⵏ")),
    ("concert", T("حفلات موسيقية", "Concerts", "Concerts", "ⵜⴰⵎⵓⵙⵉⵇⵜ")),
    ("chess", T("شطرنج", "Échecs", "Chess", "ⵛⵛⵟⵔⴰⵏⵊ")),
    ("conference", T("محاضرات ولقاءات", "Conférences", "Talks", "ⵉⵙⴰⵔⴰⴳⵏ")),
    ("workshop", T("ورشات", "Ateliers", "Workshops", "ⵜⵉⵡⵓⵔⵉⵡⵉⵏ")),
    ("bootcamp", T("معسكرات تكوينية", "Boot camps", "Boot camps", "ⴰⵙⵍⵎⴷ ⵉⵣⵔⴱⵏ")),
    ("reading", T("نوادي القراءة", "Clubs de lecture", "Reading clubs", "ⵜⵉⵖⵔⵉ")),
    ("intergenerational", T("بين الأجيال", "Entre générations", "Across generations",
                            "ⴳⵔ ⵉⵙⵓⵜⴰ")),
    ("course", T("مدرسة الفرصة الثانية", "École de la deuxième chance", "Second-chance school",
                 "ⴰⵙⵍⵎⴷ")),
    ("sport", T("رياضة", "Sport", "Sport", "ⴰⴷⴷⴰⵍ")),
]

VENUES = [
    ("centre-grand-hall", T("المركز الثقافي – القاعة الكبرى", "Centre culturel – Grande salle",
                            "Cultural Centre – Main Hall"), "Avenue Mohammed V, Benguerir"),
    ("centre-multipurpose", T("المركز الثقافي – القاعة متعددة الاستعمالات",
                              "Centre culturel – Salle polyvalente",
                              "Cultural Centre – Multipurpose Room"),
     "Avenue Mohammed V, Benguerir"),
    ("centre-workshop-room", T("المركز الثقافي – قاعة الورشات", "Centre culturel – Salle des ateliers",
                               "Cultural Centre – Workshop Room"), "Avenue Mohammed V, Benguerir"),
    ("centre-esplanade", T("المركز الثقافي – الساحة الخارجية", "Centre culturel – Esplanade",
                           "Cultural Centre – Outdoor Esplanade"), "Avenue Mohammed V, Benguerir"),
    ("mediatheque-reading-room", T("الخزانة الوسائطية – قاعة المطالعة", "Médiathèque – Salle de lecture",
                                   "Media Library – Reading Room"), "Médiathèque municipale, Benguerir"),
    ("mediatheque-children", T("الخزانة الوسائطية – فضاء الطفل", "Médiathèque – Espace enfants",
                               "Media Library – Children's Space"), "Médiathèque municipale, Benguerir"),
    ("mediatheque-digital", T("الخزانة الوسائطية – الفضاء الرقمي", "Médiathèque – Espace numérique",
                              "Media Library – Digital Space"), "Médiathèque municipale, Benguerir"),
    ("reading-space-massira", T("فضاء القراءة – حي المسيرة", "Espace de lecture – Hay Al Massira",
                                "Reading Space – Hay Al Massira"), "Hay Al Massira, Benguerir"),
    ("youth-centre-hall", T("دار الشباب – القاعة الكبرى", "Maison des jeunes – Grande salle",
                            "Youth Centre – Main Room"), "Maison des jeunes, Benguerir"),
    ("youth-centre-workshops", T("دار الشباب – مشاغل التكوين", "Maison des jeunes – Ateliers de formation",
                                 "Youth Centre – Training Workshops"), "Maison des jeunes, Benguerir"),
    ("youth-centre-kitchen", T("دار الشباب – المطبخ التربوي", "Maison des jeunes – Cuisine pédagogique",
                               "Youth Centre – Training Kitchen"), "Maison des jeunes, Benguerir"),
    ("sports-ground", T("ملعب القرب – دار الشباب", "Terrain de proximité – Maison des jeunes",
                        "Neighbourhood Sports Ground – Youth Centre"), "Maison des jeunes, Benguerir"),
]

ORGANIZERS = [
    ("centre-culturel-benguerir", T("المركز الثقافي ببنجرير", "Centre culturel de Benguerir",
                                    "Benguerir Cultural Centre")),
    ("mediatheque-benguerir", T("الخزانة الوسائطية ببنجرير", "Médiathèque de Benguerir",
                                "Benguerir Media Library")),
    ("troupe-afaq", T("فرقة آفاق للمسرح", "Troupe de théâtre Afaq", "Afaq Theatre Company")),
    ("association-tifawin", T("جمعية تيفاوين للثقافة الأمازيغية",
                              "Association Tifawin pour la culture amazighe",
                              "Tifawin Amazigh Culture Association", "ⵜⵉⴼⴰⵡⵉⵏ")),
    ("club-echecs-benguerir", T("نادي بنجرير للشطرنج", "Club d'échecs de Benguerir",
                                "Benguerir Chess Club")),
    ("jeunes-leaders-rehamna", T("جمعية شباب الرحامنة للقيادة", "Association Jeunes Leaders des Rehamna",
                                 "Rehamna Young Leaders Association")),
    ("pole-jeunes-entrepreneurs", T("فضاء المقاولين الشباب ببنجرير", "Pôle jeunes entrepreneurs de Benguerir",
                                    "Benguerir Young Entrepreneurs Hub")),
    ("e2c-benguerir", T("مدرسة الفرصة الثانية – الجيل الجديد، بنجرير",
                        "École de la deuxième chance – Nouvelle génération, Benguerir",
                        "Second Chance School – New Generation, Benguerir")),
    ("amis-du-livre", T("جمعية أصدقاء الكتاب", "Association des Amis du livre",
                        "Friends of the Book Association")),
    ("conservatoire-benguerir", T("المعهد الموسيقي ببنجرير", "Conservatoire de musique de Benguerir",
                                  "Benguerir Music Conservatory")),
    ("association-sportive-quartiers", T("الجمعية الرياضية للأحياء", "Association sportive des quartiers",
                                         "Neighbourhood Sports Association")),
    ("association-retraites", T("جمعية المتقاعدين ببنجرير", "Association des retraités de Benguerir",
                                "Benguerir Retirees' Association")),
    ("formateur-amrani", T("هشام العمراني، مكوّن في الكهرباء", "Hicham Amrani, formateur en électricité",
                           "Hicham Amrani, electrical trainer")),
    ("formatrice-bennis", T("نعيمة بنيس، مصممة أزياء ومكوّنة", "Naïma Bennis, styliste et formatrice",
                            "Naima Bennis, fashion designer and trainer")),
    ("cheffe-ouhmad", T("الشيف خديجة أوحماد", "Cheffe Khadija Ouhmad", "Chef Khadija Ouhmad")),
]

# ---------------------------------------------------------------------------------------------
# Forms

GUARDIAN_PHONE = {"key": "guardian_phone", "type": "phone",
                  "label": T("هاتف ولي الأمر (لمن هم دون 18 سنة)",
                             "Téléphone d'un parent (moins de 18 ans)",
                             "Parent's phone (under 18)")}


def chess_form(sections):
    labels = {
        "u8": T("أقل من 8 سنوات", "Moins de 8 ans", "Under 8"),
        "u10": T("أقل من 10 سنوات", "Moins de 10 ans", "Under 10"),
        "u12": T("أقل من 12 سنة", "Moins de 12 ans", "Under 12"),
        "u14": T("أقل من 14 سنة", "Moins de 14 ans", "Under 14"),
        "u18": T("أقل من 18 سنة", "Moins de 18 ans", "Under 18"),
        "open": T("الفئة المفتوحة (كل الأعمار)", "Open (tous âges)", "Open (all ages)"),
        "seniors": T("قدماء اللاعبين (50 سنة فما فوق)", "Vétérans (50 ans et plus)",
                     "Seniors (50 and over)"),
    }
    return [
        {"key": "section", "type": "choice", "required": True,
         "label": T("الفئة", "Section", "Section"),
         "choices": [{"value": s, "label": labels[s]} for s in sections]},
        {"key": "rating", "type": "number", "min": 0, "max": 3000,
         "label": T("التصنيف (إن وُجد)", "Classement Elo (si vous en avez un)", "Rating (if any)")},
        {"key": "fide_id", "type": "text", "max_length": 12,
         "label": T("رقم التعريف لدى الاتحاد الدولي (FIDE)", "Identifiant FIDE", "FIDE ID")},
        {"key": "club", "type": "text", "max_length": 60,
         "label": T("النادي", "Club", "Club")},
        GUARDIAN_PHONE,
    ]


COURSE_FORM = [
    {"key": "school_level", "type": "choice", "required": True,
     "label": T("آخر مستوى دراسي", "Dernier niveau scolaire", "Last school level"),
     "choices": [
         {"value": "none", "label": T("لم أتمدرس", "Jamais scolarisé(e)", "Never went to school")},
         {"value": "primary", "label": T("الابتدائي", "Primaire", "Primary school")},
         {"value": "middle", "label": T("الإعدادي", "Collège", "Middle school")},
         {"value": "secondary", "label": T("الثانوي", "Lycée", "Secondary school")},
     ]},
    GUARDIAN_PHONE,
]

BOOTCAMP_FORM = [
    {"key": "project_idea", "type": "text", "max_length": 200,
     "label": T("فكرة مشروعك في جملة واحدة", "Votre idée de projet, en une phrase",
                "Your project idea, in one sentence")},
    {"key": "has_team", "type": "boolean",
     "label": T("لديّ فريق بالفعل", "J'ai déjà une équipe", "I already have a team")},
]

FOOTBALL_FORM = [
    {"key": "team_name", "type": "text", "required": True, "max_length": 40,
     "label": T("اسم الفريق", "Nom de l'équipe", "Team name")},
    {"key": "players", "type": "number", "required": True, "min": 5, "max": 8,
     "label": T("عدد اللاعبين (5 إلى 8)", "Nombre de joueurs (5 à 8)", "Number of players (5 to 8)")},
    GUARDIAN_PHONE,
]

# ---------------------------------------------------------------------------------------------
# Events. Each session: (venue, day, "HH:MM", duration_min, capacity, taken, extra fields).


def S(venue, day, time, minutes, capacity=None, taken=0, **extra):
    return (venue, day, time, minutes, capacity, taken, extra)


EVENTS = []


def event(eid, category, organizer, title, description, sessions, age_min=None, age_max=None,
          registration=True, form=None, session_ids=None):
    EVENTS.append(dict(id=eid, category=category, organizer=organizer, title=title,
                       description=description, sessions=sessions, age_min=age_min,
                       age_max=age_max, registration_required=registration, form=form or [],
                       session_ids=session_ids))


# --- Theatre ---------------------------------------------------------------------------------
event("play-petit-prince", "play", "troupe-afaq",
      T("الأمير الصغير", "Le Petit Prince", "The Little Prince"),
      T("اقتباس مسرحي لرواية أنطوان دو سانت إكزوبيري بالدارجة المغربية، بالموسيقى والدمى، للأطفال وعائلاتهم.",
        "L'œuvre de Saint-Exupéry adaptée en darija, avec musique et marionnettes, pour les enfants et leur famille.",
        "Saint-Exupéry's story adapted in Moroccan Darija, with music and puppets, for children and their families."),
      [S("centre-grand-hall", 3, "15:00", 70, 280, 271),
       S("centre-grand-hall", 4, "15:00", 70, 280, 280),
       S("centre-grand-hall", 17, "15:00", 70, 280, 96)],
      age_min=5)
event("play-hammou-ounamir", "play", "association-tifawin",
      T("حمو أونامير", "Hammou Ounamir", "Hammou Ounamir", "ⵃⵎⵎⵓ ⵓⵏⴰⵎⵉⵔ"),
      T("مسرحية بالأمازيغية مع ترجمة مكتوبة بالعربية، مستوحاة من الحكاية الشعبية الشهيرة عن حمو أونامير والجنية.",
        "Pièce en tamazight, surtitrée en arabe, inspirée du célèbre conte de Hammou Ounamir et de la fée.",
        "A play in Tamazight with Arabic surtitles, based on the famous folk tale of Hammou Ounamir and the fairy."),
      [S("centre-grand-hall", 10, "18:30", 90, 280, 143),
       S("centre-grand-hall", 11, "16:00", 90, 280, 61)],
      age_min=8)
event("play-al-awda", "play", "troupe-afaq",
      T("العودة", "Le Retour", "The Return"),
      T("دراما اجتماعية عن شاب يعود إلى بنجرير بعد سنوات من الهجرة، ويجد مدينته وعائلته قد تغيّرتا. يليها نقاش مع الممثلين.",
        "Drame social : un jeune homme revient à Benguerir après des années d'émigration et retrouve une ville et une famille qui ont changé. Suivi d'un échange avec la troupe.",
        "A social drama: a young man comes back to Benguerir after years abroad to find his town and his family changed. Followed by a talk with the cast."),
      [S("centre-grand-hall", 24, "19:00", 100, 280, 112),
       S("centre-grand-hall", 25, "19:00", 100, 280, 40)],
      age_min=14)
event("play-halqa", "play", "centre-culturel-benguerir",
      T("فن الحلقة: رواة الساحة", "L'art de la halqa : conteurs de la place",
        "Halqa: storytellers of the square"),
      T("عرض في الهواء الطلق لرواة الحلقة التقليديين: حكايات وأمثال وفكاهة كما في ساحات المدن المغربية. الدخول حر.",
        "Spectacle en plein air des conteurs de halqa : histoires, proverbes et humour comme sur les places des villes marocaines. Entrée libre.",
        "An open-air show by traditional halqa storytellers: tales, proverbs and humour as on the squares of Moroccan towns. Free entry."),
      [S("centre-esplanade", 6, "17:30", 90),
       S("centre-esplanade", 20, "17:30", 90),
       S("centre-esplanade", 34, "17:30", 90)],
      registration=False)

# --- Concerts --------------------------------------------------------------------------------
event("concert-andalou", "concert", "conservatoire-benguerir",
      T("أمسية الطرب الأندلسي", "Soirée de musique andalouse", "An evening of Andalusian music"),
      T("جوق المعهد الموسيقي يقدم نوبات من طرب الآلة وقصائد من التراث الأندلسي المغربي.",
        "L'orchestre du conservatoire interprète des noubas de la tradition al-âla et des poèmes du patrimoine andalou marocain.",
        "The conservatory orchestra plays noubas of the al-ala tradition and poems from Morocco's Andalusian heritage."),
      [S("centre-grand-hall", 8, "20:00", 120, 280, 203),
       S("centre-grand-hall", 41, "20:00", 120, 280, 31)])
event("concert-aita", "concert", "centre-culturel-benguerir",
      T("ليلة العيطة", "Nuit de l'aïta", "Aita night"),
      T("فن العيطة، الغناء الشعبي لسهول الرحامنة وعبدة والشاوية، مع شيوخ وشيخات من المنطقة.",
        "L'aïta, chant populaire des plaines des Rehamna, des Abda et de la Chaouia, par des cheikhs et cheikhates de la région.",
        "Aita, the folk song of the Rehamna, Abda and Chaouia plains, performed by master singers from the region."),
      [S("centre-esplanade", 13, "20:30", 150)],
      registration=False)
event("concert-ahidous", "concert", "association-tifawin",
      T("أحيدوس الأطلس المتوسط", "Ahidous du Moyen Atlas", "Ahidous from the Middle Atlas", "ⴰⵃⵉⴷⵓⵙ"),
      T("فرقة أحيدوس ضيفة على بنجرير: رقص جماعي وغناء وإيقاع البندير من تراث الأطلس المتوسط.",
        "Une troupe d'ahidous invitée à Benguerir : danse collective, chant et bendir du Moyen Atlas.",
        "An ahidous troupe visits Benguerir: group dance, song and bendir drums from the Middle Atlas."),
      [S("centre-grand-hall", 27, "19:30", 100, 280, 58)])
event("concert-gnaoua", "concert", "centre-culturel-benguerir",
      T("حفل كناوة", "Concert gnaoua", "Gnawa concert"),
      T("ليلة على إيقاع القراقب والهجهوج مع معلّم كناوي وفرقته.",
        "Une soirée au rythme des qraqeb et du guembri avec un maâlem gnaoui et sa troupe.",
        "An evening to the rhythm of qraqeb and guembri with a Gnawa maalem and his troupe."),
      [S("centre-esplanade", 0, "20:30", 120),
       S("centre-esplanade", 35, "20:30", 120)],
      registration=False)
event("concert-chorale-jeunes", "concert", "conservatoire-benguerir",
      T("حفل جوقة الشباب", "Concert de la chorale des jeunes", "Youth choir concert"),
      T("تلاميذ المعهد الموسيقي يغنّون أغاني مغربية وعربية وعالمية بثلاث لغات.",
        "Les élèves du conservatoire chantent des chansons marocaines, arabes et du monde, en trois langues.",
        "Conservatory students sing Moroccan, Arab and world songs in three languages."),
      [S("centre-multipurpose", 15, "18:00", 60, 120, 118),
       S("centre-multipurpose", 29, "18:00", 60, 120, 34)])
event("concert-rways", "concert", "association-tifawin",
      T("أمسية الروايس", "Soirée des rways", "An evening with the rways", "ⵔⵔⵡⴰⵢⵙ"),
      T("الشعر المغنّى لروايس سوس بالرباب واللوطار، في أمسية تحتفي بالتراث الأمازيغي.",
        "La poésie chantée des rways du Souss, au rebab et au loutar, pour une soirée consacrée au patrimoine amazigh.",
        "The sung poetry of the Souss rways, with rebab and loutar, in an evening celebrating Amazigh heritage."),
      [S("centre-grand-hall", 38, "20:00", 120, 280, 22)])

# --- Chess -----------------------------------------------------------------------------------
event("chess-open-rapide", "chess", "club-echecs-benguerir",
      T("دوري بنجرير المفتوح للشطرنج السريع", "Open de Benguerir d'échecs rapides",
        "Benguerir Rapid Chess Open"),
      T("سبع جولات بالنظام السويسري، لكل لاعب 15 دقيقة مع إضافة 10 ثوانٍ عن كل نقلة. كل فئة عمرية في حصة مستقلة. يُرجى الحضور قبل البداية بنصف ساعة.",
        "Sept rondes au système suisse, 15 minutes plus 10 secondes par coup. Chaque section d'âge joue dans sa propre séance. Merci d'arriver une demi-heure avant le début.",
        "Seven Swiss-system rounds, 15 minutes plus 10 seconds per move. Each age section plays in its own session. Please arrive half an hour before the start."),
      [S("centre-multipurpose", 12, "09:00", 240, 40, 37, reg_closes_day=11),
       S("centre-multipurpose", 12, "14:30", 240, 40, 40, reg_closes_day=11),
       S("centre-grand-hall", 13, "09:00", 300, 60, 44, reg_closes_day=12),
       S("centre-grand-hall", 13, "14:30", 300, 80, 51, reg_closes_day=12)],
      age_min=6, form=chess_form(["u10", "u14", "u18", "open"]),
      session_ids=["u10", "u14", "u18", "open"])
event("chess-scolaire", "chess", "club-echecs-benguerir",
      T("البطولة المدرسية للشطرنج – التصفيات المحلية", "Championnat scolaire d'échecs – qualifications locales",
        "School Chess Championship – local qualifiers"),
      T("تصفيات مفتوحة لتلاميذ مدارس إقليم الرحامنة، والمتأهلون يمثلون الإقليم في البطولة الجهوية.",
        "Qualifications ouvertes aux élèves des écoles de la province des Rehamna ; les qualifiés représenteront la province au championnat régional.",
        "Qualifiers open to pupils of the Rehamna province's schools; those who qualify represent the province at the regional championship."),
      [S("youth-centre-hall", 26, "09:30", 180, 32, 30, reg_closes_day=24),
       S("youth-centre-hall", 26, "14:00", 180, 32, 21, reg_closes_day=24),
       S("youth-centre-hall", 27, "09:30", 180, 32, 14, reg_closes_day=25),
       S("youth-centre-hall", 27, "14:00", 180, 32, 9, reg_closes_day=25)],
      age_min=6, age_max=15, form=chess_form(["u8", "u10", "u12", "u14"]),
      session_ids=["u8", "u10", "u12", "u14"])
event("chess-blitz-generations", "chess", "club-echecs-benguerir",
      T("دوري الشطرنج الخاطف: الشباب والقدماء", "Tournoi de blitz : jeunes et vétérans",
        "Blitz tournament: juniors and seniors"),
      T("دوري خاطف (5 دقائق لكل لاعب) بفئتين: الشباب دون 18 سنة واللاعبون القدماء من 50 سنة فما فوق، ثم مباراة ودية بين الفائزين.",
        "Blitz de 5 minutes par joueur en deux sections, moins de 18 ans et vétérans de 50 ans et plus, puis une partie amicale entre les vainqueurs.",
        "Five-minute blitz in two sections, under 18 and seniors aged 50 and over, followed by a friendly game between the winners."),
      [S("mediatheque-reading-room", 33, "15:00", 150, 24, 11),
       S("mediatheque-reading-room", 33, "15:00", 150, 24, 6)],
      age_min=8, form=chess_form(["u18", "seniors"]), session_ids=["u18", "seniors"])
event("chess-initiation", "chess", "club-echecs-benguerir",
      T("تعلّم الشطرنج للمبتدئين", "Initiation aux échecs", "Chess for beginners"),
      T("حصص أسبوعية لتعلّم حركات القطع وأولى الخطط. الرقع متوفرة، ولا يُشترط أي مستوى.",
        "Séances hebdomadaires pour apprendre la marche des pièces et les premières tactiques. Échiquiers fournis, aucun niveau requis.",
        "Weekly sessions to learn how the pieces move and the first tactics. Boards provided, no experience needed."),
      [S("mediatheque-children", d, "17:00", 90, 16, t)
       for d, t in [(2, 16), (9, 12), (16, 8), (23, 5), (30, 2), (37, 0)]],
      age_min=7, age_max=14)

# --- Talks -----------------------------------------------------------------------------------
event("conf-ville-verte", "conference", "centre-culturel-benguerir",
      T("بنجرير مدينة خضراء: كيف نسكن الغد؟", "Benguerir, ville verte : habiter demain",
        "Benguerir, a green city: how will we live tomorrow?"),
      T("مهندسون معماريون وباحثون يتحدثون عن البناء المقتصد في الطاقة والمساحات الخضراء والتنقل داخل المدينة، مع وقت للأسئلة.",
        "Architectes et chercheurs parlent de construction économe en énergie, d'espaces verts et de mobilité en ville, avec un temps de questions.",
        "Architects and researchers talk about energy-saving buildings, green spaces and getting around town, with time for questions."),
      [S("centre-multipurpose", 5, "18:30", 90, 120, 64)], age_min=15)
event("conf-eau", "conference", "centre-culturel-benguerir",
      T("الماء في المغرب: كل قطرة مهمة", "L'eau au Maroc : chaque goutte compte",
        "Water in Morocco: every drop counts"),
      T("لقاء حول الجفاف وترشيد استهلاك الماء في البيت والحقل، مع نصائح عملية للأسر والفلاحين.",
        "Rencontre sur la sécheresse et les économies d'eau à la maison et aux champs, avec des conseils pratiques pour les familles et les agriculteurs.",
        "A talk on drought and saving water at home and in the fields, with practical advice for families and farmers."),
      [S("centre-multipurpose", 14, "18:30", 90, 120, 37),
       S("reading-space-massira", 21, "10:30", 90, 40, 39)])
event("conf-sante-ados", "conference", "mediatheque-benguerir",
      T("الصحة النفسية للمراهقين: لنتحدث قبل فوات الأوان", "Santé mentale des adolescents : en parler pour prévenir",
        "Teenagers' mental health: talking helps"),
      T("طبيبة نفسية ومستشار تربوي يجيبان عن أسئلة الآباء والأمهات حول القلق والشاشات والتنمر.",
        "Une psychiatre et un conseiller d'orientation répondent aux questions des parents sur l'anxiété, les écrans et le harcèlement.",
        "A psychiatrist and a school counsellor answer parents' questions about anxiety, screens and bullying."),
      [S("mediatheque-reading-room", 19, "18:00", 90, 60, 60)], age_min=16)
event("conf-memoire-rehamna", "conference", "amis-du-livre",
      T("تاريخ الرحامنة: ذاكرة شفوية", "Histoire des Rehamna : une mémoire orale",
        "The history of the Rehamna: an oral memory"),
      T("مؤرخ من المنطقة يروي تاريخ قبائل الرحامنة ومدينة بنجرير من خلال الروايات الشفوية والصور القديمة.",
        "Un historien de la région retrace l'histoire des tribus Rehamna et de Benguerir à partir de récits oraux et de photographies anciennes.",
        "A local historian traces the history of the Rehamna tribes and of Benguerir through oral accounts and old photographs."),
      [S("mediatheque-reading-room", 28, "18:00", 90, 60, 23)])
event("conf-ia-emploi", "conference", "pole-jeunes-entrepreneurs",
      T("الذكاء الاصطناعي: ما الذي يتغير في تشغيل الشباب؟", "Intelligence artificielle : ce qui change pour l'emploi des jeunes",
        "Artificial intelligence: what changes for young people's jobs"),
      T("ما المهن التي تتطور، وما المهارات المطلوبة، وكيف يمكن الاستعداد لها؟ لقاء مفتوح مع مهنيين من القطاع الرقمي.",
        "Quels métiers évoluent, quelles compétences sont demandées, comment s'y préparer ? Rencontre ouverte avec des professionnels du numérique.",
        "Which jobs are changing, which skills are in demand, and how to prepare? An open talk with people working in the digital sector."),
      [S("centre-multipurpose", 31, "18:00", 90, 120, 88)], age_min=15)

# --- Workshops: leadership, entrepreneurship, creativity -------------------------------------
event("workshop-prise-de-parole", "workshop", "jeunes-leaders-rehamna",
      T("فن الإلقاء والتحدث أمام الجمهور", "Prendre la parole en public", "Speaking in public"),
      T("ثلاث حصص تطبيقية لتنظيم الأفكار والتحكم في الصوت والتوتر والإقناع، بالعربية أو الفرنسية حسب اختيارك.",
        "Trois séances pratiques pour structurer ses idées, maîtriser sa voix et son trac, et convaincre, en arabe ou en français au choix.",
        "Three hands-on sessions to organise your ideas, control your voice and nerves, and persuade, in Arabic or French as you prefer."),
      [S("youth-centre-hall", 2, "16:30", 120, 20, 19),
       S("youth-centre-hall", 9, "16:30", 120, 20, 12),
       S("youth-centre-hall", 16, "16:30", 120, 20, 7)], age_min=15, age_max=30)
event("workshop-leadership-associatif", "workshop", "jeunes-leaders-rehamna",
      T("قيادة الشباب: كيف تدير مشروعًا جمعويًا", "Leadership des jeunes : mener un projet associatif",
        "Youth leadership: running a community project"),
      T("من فكرة المبادرة إلى تنفيذها: تحديد الحاجات، وبناء فريق، وإعداد ميزانية بسيطة، والتواصل مع الشركاء.",
        "De l'idée à l'action : identifier les besoins, constituer une équipe, établir un budget simple et convaincre des partenaires.",
        "From an idea to action: finding out what people need, building a team, drawing up a simple budget and winning partners."),
      [S("centre-workshop-room", 4, "10:00", 180, 25, 18),
       S("centre-workshop-room", 11, "10:00", 180, 25, 14),
       S("centre-workshop-room", 18, "10:00", 180, 25, 9)], age_min=16, age_max=30)
event("workshop-business-plan", "workshop", "pole-jeunes-entrepreneurs",
      T("من الفكرة إلى المشروع: خطة العمل", "Monter son projet : de l'idée au business plan",
        "From idea to business: writing a business plan"),
      T("ورشة لتحويل فكرة إلى مشروع: دراسة السوق، والتكاليف، والتمويل، وبرامج الدعم المتاحة للشباب في المغرب.",
        "Transformer une idée en projet : étude de marché, coûts, financement et dispositifs d'appui ouverts aux jeunes au Maroc.",
        "Turning an idea into a business: market research, costs, funding and the support programmes open to young people in Morocco."),
      [S("centre-workshop-room", 7, "14:30", 180, 24, 24),
       S("centre-workshop-room", 21, "14:30", 180, 24, 15),
       S("centre-workshop-room", 35, "14:30", 180, 24, 3)], age_min=18)
event("workshop-education-financiere", "workshop", "pole-jeunes-entrepreneurs",
      T("التربية المالية: الميزانية والادخار", "Éducation financière : budget et épargne",
        "Money skills: budgeting and saving"),
      T("كيف تُعدّ ميزانية شهرية، وتدّخر، وتتجنب فخاخ القروض الاستهلاكية؟ أمثلة بسيطة وتمارين عملية.",
        "Faire un budget mensuel, épargner, éviter les pièges du crédit à la consommation : exemples simples et exercices pratiques.",
        "Making a monthly budget, saving, and avoiding consumer credit traps: simple examples and practical exercises."),
      [S("mediatheque-reading-room", 8, "10:00", 120, 30, 11),
       S("reading-space-massira", 22, "10:00", 120, 20, 6)], age_min=16)
event("workshop-theatre-ados", "workshop", "troupe-afaq",
      T("ورشة المسرح للمراهقين", "Atelier théâtre ados", "Drama workshop for teenagers"),
      T("ارتجال وتعبير جسدي وكتابة مشاهد قصيرة، تُختتم بعرض صغير أمام العائلات في الحصة الأخيرة.",
        "Improvisation, expression corporelle et écriture de courtes scènes, avec une petite représentation devant les familles à la dernière séance.",
        "Improvisation, movement and writing short scenes, ending with a small show for families at the last session."),
      [S("centre-multipurpose", d, "15:00", 120, 18, t)
       for d, t in [(1, 18), (8, 17), (15, 15), (22, 12), (29, 10)]], age_min=12, age_max=17)
event("workshop-calligraphie", "workshop", "centre-culturel-benguerir",
      T("ورشة الخط العربي", "Atelier de calligraphie arabe", "Arabic calligraphy workshop"),
      T("اكتشاف خطّي الرقعة والمغربي بالقلم والحبر، مع خطاط محترف. الأدوات متوفرة.",
        "Découverte des écritures roqaa et maghribi au calame et à l'encre, avec un calligraphe professionnel. Matériel fourni.",
        "Discover the ruq'ah and Maghribi scripts with reed pen and ink, taught by a professional calligrapher. Materials provided."),
      [S("centre-workshop-room", 5, "15:00", 120, 15, 13),
       S("centre-workshop-room", 19, "15:00", 120, 15, 6),
       S("centre-workshop-room", 33, "15:00", 120, 15, 1)], age_min=10)
event("workshop-tifinagh", "workshop", "association-tifawin",
      T("تعلّم حروف تيفيناغ", "Initiation au tifinagh", "Learn to write Tifinagh",
        "ⴰⵍⵎⵎⵓⴷ ⵏ ⵜⵉⴼⵉⵏⴰⵖ"),
      T("أربع حصص لتعلّم قراءة وكتابة حروف تيفيناغ، الحرف الرسمي للغة الأمازيغية، مع كلمات من الحياة اليومية.",
        "Quatre séances pour apprendre à lire et écrire le tifinagh, l'alphabet officiel de l'amazigh, avec des mots de la vie de tous les jours.",
        "Four sessions to learn to read and write Tifinagh, the official alphabet of Amazigh, using everyday words."),
      [S("mediatheque-reading-room", d, "17:30", 90, 20, t)
       for d, t in [(3, 9), (10, 7), (17, 5), (24, 4)]], age_min=9)
event("workshop-robotique", "workshop", "mediatheque-benguerir",
      T("البرمجة والروبوتات للأطفال", "Code et robotique pour les enfants", "Coding and robots for children"),
      T("يتعلّم الأطفال أساسيات البرمجة بالمكعبات، ثم يبرمجون روبوتًا صغيرًا ليتحرك ويتفادى العوائق.",
        "Les enfants découvrent la programmation par blocs, puis programment un petit robot qui avance et évite les obstacles.",
        "Children learn block-based coding, then program a small robot to move and avoid obstacles."),
      [S("mediatheque-digital", 6, "10:00", 120, 12, 12),
       S("mediatheque-digital", 20, "10:00", 120, 12, 10),
       S("mediatheque-digital", 34, "10:00", 120, 12, 2)], age_min=8, age_max=12)
event("workshop-photo-smartphone", "workshop", "mediatheque-benguerir",
      T("التصوير بالهاتف الذكي", "La photo au smartphone", "Smartphone photography"),
      T("الضوء والتأطير والتعديل: كيف تلتقط صورًا جميلة لمدينتك بهاتفك، مع جولة تصوير قصيرة في الحي.",
        "Lumière, cadrage, retouche : réussir de belles photos de sa ville au téléphone, avec une courte sortie photo dans le quartier.",
        "Light, framing and editing: taking good photos of your town with your phone, with a short photo walk in the neighbourhood."),
      [S("mediatheque-digital", 12, "16:00", 120, 15, 4),
       S("mediatheque-digital", 26, "16:00", 120, 15, 0)], age_min=12)

# --- Boot camps --------------------------------------------------------------------------------
event("bootcamp-entrepreneuriat", "bootcamp", "pole-jeunes-entrepreneurs",
      T("المعسكر التكويني للمقاولة الشابة", "Boot camp jeunes entrepreneurs", "Young entrepreneurs boot camp"),
      T("خمسة أيام مكثفة لتطوير مشروعك مع مؤطرين: النموذج الاقتصادي، والنموذج الأولي، والعرض أمام لجنة في اليوم الأخير.",
        "Cinq jours intensifs pour faire avancer votre projet avec des coachs : modèle économique, prototype, et pitch devant un jury le dernier jour.",
        "Five intensive days to move your project forward with coaches: business model, prototype, and a pitch to a jury on the last day."),
      [S("youth-centre-hall", d, "09:00", 420, 25, 23) for d in range(14, 19)],
      age_min=18, age_max=35, form=BOOTCAMP_FORM)
event("bootcamp-web", "bootcamp", "mediatheque-benguerir",
      T("معسكر رقمي: أنشئ موقعك في أربعة أيام", "Boot camp numérique : créer son site web en quatre jours",
        "Digital boot camp: build your website in four days"),
      T("HTML وCSS وأساسيات النشر على الإنترنت، مع إنجاز موقع شخصي أو موقع لجمعية. يُنصح بإحضار حاسوب محمول إن وُجد.",
        "HTML, CSS et bases de la mise en ligne, pour réaliser un site personnel ou celui d'une association. Apportez un ordinateur portable si vous en avez un.",
        "HTML, CSS and the basics of publishing online, building a personal or community website. Bring a laptop if you have one."),
      [S("mediatheque-digital", d, "09:30", 360, 14, 14 if d == 28 else 13) for d in range(28, 32)],
      age_min=16, age_max=30)
event("bootcamp-leadership-feminin", "bootcamp", "jeunes-leaders-rehamna",
      T("معسكر القيادة النسائية «هنّ يقدن»", "Boot camp leadership féminin « Elles mènent »",
        "Women's leadership boot camp \"She Leads\""),
      T("ثلاثة أيام للشابات: الثقة بالنفس، والتفاوض، والمشاركة في الحياة المحلية، مع شهادات نساء رائدات من الإقليم.",
        "Trois jours pour les jeunes femmes : confiance en soi, négociation, participation à la vie locale, avec des témoignages de femmes engagées de la province.",
        "Three days for young women: self-confidence, negotiation and taking part in local life, with stories from women leaders of the province."),
      [S("centre-workshop-room", d, "09:30", 360, 20, t) for d, t in [(37, 8), (38, 8), (39, 7)]],
      age_min=17, age_max=35)

# --- Reading ---------------------------------------------------------------------------------
event("reading-club-adultes", "reading", "amis-du-livre",
      T("نادي القراءة للكبار", "Club de lecture adultes", "Adult reading club"),
      T("نقاش ودّي حول رواية مغربية معاصرة نقرؤها معًا خلال الشهر. نسخ متوفرة للإعارة في الخزانة.",
        "Discussion conviviale autour d'un roman marocain contemporain lu ensemble au fil du mois. Exemplaires à emprunter à la médiathèque.",
        "A friendly discussion of a contemporary Moroccan novel read together over the month. Copies to borrow at the media library."),
      [S("mediatheque-reading-room", 7, "18:00", 90, 20, 14),
       S("mediatheque-reading-room", 21, "18:00", 90, 20, 9),
       S("mediatheque-reading-room", 35, "18:00", 90, 20, 3)], age_min=16)
event("reading-heure-du-conte", "reading", "mediatheque-benguerir",
      T("ساعة الحكاية", "L'heure du conte", "Story time"),
      T("حكايات مصورة تُقرأ بصوت عالٍ للصغار بالعربية والفرنسية، ثم نشاط رسم. الدخول حر في حدود المقاعد.",
        "Albums lus à voix haute aux petits, en arabe et en français, suivis d'un coloriage. Entrée libre dans la limite des places.",
        "Picture books read aloud to little ones in Arabic and French, followed by colouring. Free entry while places last."),
      [S("mediatheque-children", d, "16:30", 60) for d in (0, 3, 7, 10, 14, 17, 21, 24, 28, 31, 35, 38, 41)],
      age_min=3, age_max=8, registration=False)
event("reading-club-ados", "reading", "mediatheque-benguerir",
      T("نادي القراءة لليافعين", "Club de lecture ados", "Teen book club"),
      T("يختار المشاركون كتبهم ويقدّمونها لبعضهم: روايات، وقصص مصورة، ومانغا، بالعربية أو الفرنسية أو الإنجليزية.",
        "Les participants choisissent et présentent leurs lectures : romans, BD, mangas, en arabe, en français ou en anglais.",
        "Members choose and present their own reads: novels, comics and manga, in Arabic, French or English."),
      [S("mediatheque-reading-room", d, "15:00", 90, 15, t) for d, t in [(6, 11), (20, 8), (34, 4)]],
      age_min=12, age_max=17)
event("reading-lire-en-francais", "reading", "amis-du-livre",
      T("دائرة القراءة بالفرنسية للمبتدئين", "Cercle « Lire en français » pour débutants",
        "Reading in French for beginners"),
      T("نقرأ نصوصًا قصيرة وبسيطة بالفرنسية ونتحدث عنها بهدوء، دون امتحان ولا تنقيط.",
        "On lit ensemble des textes courts et simples en français et on en parle tranquillement, sans examen ni note.",
        "We read short, simple texts in French together and talk about them calmly, with no tests or marks."),
      [S("reading-space-massira", d, "17:00", 90, 12, t) for d, t in [(1, 12), (8, 10), (15, 7), (22, 5), (40, 0)]],
      age_min=14)
event("reading-contes-amazighs", "reading", "association-tifawin",
      T("حكايات أمازيغية", "Contes amazighs", "Amazigh tales", "ⵜⵉⵏⴼⵓⵙⵉⵏ ⵏ ⵉⵎⴰⵣⵉⵖⵏ"),
      T("راوية تحكي للأطفال حكايات أمازيغية بالأمازيغية مع شرح بالعربية، وتعلّمهم بعض الكلمات الأولى.",
        "Une conteuse raconte aux enfants des contes amazighs en tamazight, expliqués en arabe, et leur apprend quelques premiers mots.",
        "A storyteller tells children Amazigh tales in Tamazight, explained in Arabic, and teaches them a few first words."),
      [S("mediatheque-children", 9, "16:30", 60, 25, 17),
       S("reading-space-massira", 23, "16:30", 60, 25, 6)], age_min=5, age_max=12)
event("reading-rencontre-auteur", "reading", "amis-du-livre",
      T("لقاء مع كاتبة: الرواية والمدينة", "Rencontre d'autrice : le roman et la ville",
        "Meet the author: the novel and the town"),
      T("روائية مغربية تتحدث عن الكتابة والمدن الصغيرة، ثم توقّع كتبها. الدخول حر.",
        "Une romancière marocaine parle d'écriture et des petites villes, puis dédicace ses livres. Entrée libre.",
        "A Moroccan novelist talks about writing and small towns, then signs her books. Free entry."),
      [S("mediatheque-reading-room", 16, "18:30", 90)], registration=False)
event("reading-poesie-amazighe", "reading", "association-tifawin",
      T("أمسية الشعر الأمازيغي", "Soirée de poésie amazighe", "Amazigh poetry evening", "ⵜⴰⵎⴷⵢⴰⵣⵜ ⵜⴰⵎⴰⵣⵉⵖⵜ"),
      T("شعراء شباب وقدامى يلقون قصائدهم بالأمازيغية، مع ترجمة إلى العربية والفرنسية.",
        "Des poètes jeunes et moins jeunes disent leurs textes en tamazight, traduits en arabe et en français.",
        "Young and older poets read their work in Tamazight, translated into Arabic and French."),
      [S("mediatheque-reading-room", 30, "18:30", 90, 60, 27)])

# --- Across generations ------------------------------------------------------------------------
event("gen-jeux-traditionnels", "intergenerational", "association-retraites",
      T("الأجداد والأحفاد: ألعاب تقليدية", "Grands-parents et petits-enfants : jeux traditionnels",
        "Grandparents and grandchildren: traditional games"),
      T("الخربڭة والضامة وألعاب الطفولة القديمة: يعلّمها الأجداد للأحفاد، ويتعلّمون منهم بدورهم لعبة جديدة.",
        "Kharbga, dames et jeux d'autrefois : les aînés les transmettent aux enfants, qui leur apprennent à leur tour un jeu d'aujourd'hui.",
        "Kharbga, draughts and old childhood games: elders teach them to children, who in turn teach them a game of today."),
      [S("mediatheque-children", d, "15:00", 120, 30, t) for d, t in [(5, 22), (19, 15), (33, 6)]])
event("gen-memoire-quartier", "intergenerational", "amis-du-livre",
      T("ذاكرة الحي: حكايات الكبار بأصوات الشباب", "Mémoire du quartier : les anciens racontent, les jeunes enregistrent",
        "Neighbourhood memory: elders tell, young people record"),
      T("يسجّل الشباب شهادات كبار السن عن بنجرير في الماضي، ثم تُحفظ التسجيلات في الخزانة الوسائطية.",
        "Des jeunes enregistrent les souvenirs des anciens sur le Benguerir d'autrefois ; les enregistrements rejoignent les fonds de la médiathèque.",
        "Young people record elders' memories of Benguerir in the old days; the recordings go into the media library's collection."),
      [S("reading-space-massira", d, "10:00", 150, 16, t) for d, t in [(4, 10), (18, 6), (32, 2)]])
event("gen-smartphone-aines", "intergenerational", "mediatheque-benguerir",
      T("الشباب يساعدون الكبار على استعمال الهاتف الذكي", "Les jeunes aident les aînés avec le smartphone",
        "Young people help elders with smartphones"),
      T("مكالمات الفيديو، والرسائل الصوتية، والخدمات الإدارية على الإنترنت، والاحتراس من الاحتيال: متطوعون شباب يشرحون بصبر.",
        "Appels vidéo, messages vocaux, démarches administratives en ligne et pièges des arnaques : de jeunes bénévoles expliquent avec patience.",
        "Video calls, voice messages, online paperwork and avoiding scams: young volunteers explain patiently."),
      [S("mediatheque-digital", d, "10:00", 120, 12, t) for d, t in [(2, 12), (9, 11), (23, 4), (37, 0)]],
      age_min=55)
event("gen-cuisine-grands-meres", "intergenerational", "association-retraites",
      T("مطبخ الجدّات", "La cuisine des grands-mères", "Grandmothers' kitchen"),
      T("جدّات يعلّمن الشباب تحضير الرفيسة والمسمن وخبز الدار، ثم يتقاسم الجميع الطعام.",
        "Des grands-mères apprennent aux jeunes à préparer la rfissa, le msemen et le pain maison, puis tout le monde partage le repas.",
        "Grandmothers teach young people to make rfissa, msemen and homemade bread, then everyone shares the meal."),
      [S("youth-centre-kitchen", 11, "10:00", 180, 14, 13),
       S("youth-centre-kitchen", 25, "10:00", 180, 14, 7)])

# --- Second-chance school --------------------------------------------------------------------
E2C_DAYS = [0, 2, 7, 9, 14, 16, 21, 23, 28, 30]
event("course-electricite", "course", "formateur-amrani",
      T("الكهرباء المنزلية – مدرسة الفرصة الثانية", "Électricité du bâtiment – École de la deuxième chance",
        "Building electrics – Second-chance school"),
      T("تكوين تطبيقي في التركيبات الكهربائية المنزلية وقواعد السلامة، للشباب المنقطعين عن الدراسة، مع تدريب في مقاولة محلية.",
        "Formation pratique aux installations électriques domestiques et aux règles de sécurité, pour les jeunes sortis de l'école, avec un stage dans une entreprise locale.",
        "Practical training in home electrical installations and safety rules for young people who left school, with a placement in a local firm."),
      [S("youth-centre-workshops", d, "09:00", 240, 15, 14 if i < 4 else 12) for i, d in enumerate(E2C_DAYS)],
      age_min=15, age_max=22, form=COURSE_FORM)
event("course-cuisine", "course", "cheffe-ouhmad",
      T("فنون الطبخ – مدرسة الفرصة الثانية", "Arts culinaires – École de la deuxième chance",
        "Culinary arts – Second-chance school"),
      T("أساسيات المطبخ المغربي والعالمي، والنظافة وسلامة الأغذية، والعمل في مطبخ مطعم، مع تدريب في فندق بالجهة.",
        "Bases de la cuisine marocaine et internationale, hygiène et sécurité alimentaire, travail en cuisine de restaurant, avec un stage dans un hôtel de la région.",
        "The basics of Moroccan and international cooking, food hygiene and safety, and working in a restaurant kitchen, with a placement in a hotel in the region."),
      [S("youth-centre-kitchen", d, "14:00", 240, 12, 12 if i < 2 else 10) for i, d in enumerate(E2C_DAYS)],
      age_min=15, age_max=22, form=COURSE_FORM)
event("course-couture", "course", "formatrice-bennis",
      T("الخياطة والتصميم – مدرسة الفرصة الثانية", "Couture et stylisme – École de la deuxième chance",
        "Sewing and fashion design – Second-chance school"),
      T("أخذ المقاسات، والتفصيل، والخياطة بالآلة، وإنجاز قطعة كاملة من التصميم إلى التشطيب، مع أفكار لمشروع صغير.",
        "Prise de mesures, patronage, couture à la machine et réalisation d'une pièce complète du dessin aux finitions, avec des pistes pour créer son activité.",
        "Taking measurements, pattern making, machine sewing and making a whole garment from sketch to finish, with ideas for starting a small business."),
      [S("youth-centre-workshops", d + 1, "14:00", 240, 14, 9) for d in E2C_DAYS],
      age_min=15, age_max=22, form=COURSE_FORM)

# --- Sport -----------------------------------------------------------------------------------
event("sport-course-solidaire", "sport", "association-sportive-quartiers",
      T("السباق التضامني 5 كلم", "Course solidaire 5 km", "5 km charity run"),
      T("سباق مفتوح للجميع، يمكن قطعه جريًا أو مشيًا، وتُخصّص المساهمات لتجهيز فضاءات القراءة في الأحياء.",
        "Course ouverte à tous, en courant ou en marchant ; les contributions servent à équiper les espaces de lecture des quartiers.",
        "A run open to everyone, running or walking; contributions go to equipping the neighbourhood reading spaces."),
      [S("sports-ground", 20, "08:30", 120, 400, 236, reg_closes_day=18)], age_min=10)
event("sport-tournoi-football", "sport", "association-sportive-quartiers",
      T("دوري كرة القدم المصغرة للأحياء", "Tournoi de foot à cinq des quartiers",
        "Neighbourhood five-a-side football tournament"),
      T("فرق من خمسة إلى ثمانية لاعبين تمثل أحياء المدينة. تسجّل كل فرقة مرة واحدة باسم قائدها.",
        "Des équipes de cinq à huit joueurs représentent les quartiers de la ville. Chaque équipe s'inscrit une fois, au nom de son capitaine.",
        "Teams of five to eight players represent the town's neighbourhoods. Each team registers once, in its captain's name."),
      [S("sports-ground", 6, "16:00", 180, 12, 10),
       S("sports-ground", 13, "16:00", 180, 12, 12, status="cancelled"),
       S("sports-ground", 27, "16:00", 180, 12, 4)], age_min=13, age_max=18, form=FOOTBALL_FORM)
event("sport-yoga-seniors", "sport", "association-retraites",
      T("رياضة لطيفة لكبار السن", "Gym douce et yoga pour les aînés", "Gentle exercise and yoga for elders"),
      T("تمارين تنفّس وتوازن ومرونة على الكرسي أو البساط، يؤطرها مدرب مختص. لا حاجة إلى تسجيل.",
        "Respiration, équilibre et souplesse sur chaise ou sur tapis, avec un coach spécialisé. Sans inscription.",
        "Breathing, balance and flexibility on a chair or a mat, with a specialised coach. No registration needed."),
      [S("youth-centre-hall", d, "09:30", 60) for d in (1, 8, 15, 22, 29, 36)],
      age_min=55, registration=False)
event("sport-basket-filles", "sport", "association-sportive-quartiers",
      T("كرة السلة للفتيات", "Basket pour les filles", "Basketball for girls"),
      T("حصص تدريب للفتيات من جميع المستويات مع مدرّبة، وتُوفَّر الكرات والأقمصة.",
        "Entraînements pour les filles de tous niveaux avec une coach ; ballons et maillots fournis.",
        "Training sessions for girls of every level with a woman coach; balls and shirts provided."),
      [S("sports-ground", d, "17:30", 90, 20, t) for d, t in [(3, 17), (10, 14), (17, 11), (24, 8), (31, 5), (38, 1)]],
      age_min=10, age_max=17)


# ---------------------------------------------------------------------------------------------

def build():
    events = []
    for e in EVENTS:
        sessions = []
        for n, (venue, day, time, minutes, capacity, taken, extra) in enumerate(e["sessions"]):
            suffix = e["session_ids"][n] if e["session_ids"] else str(n + 1)
            session = {"id": f"{e['id']}-{suffix}", "venue": venue, "day": day, "time": time,
                       "duration_min": minutes, "capacity": capacity}
            if capacity is not None:
                session["taken"] = taken
            session["status"] = extra.pop("status", "scheduled")
            session.update(extra)
            sessions.append(session)
        out = {"id": e["id"], "category": e["category"], "organizer": e["organizer"],
               "title": e["title"], "description": e["description"],
               "age_min": e["age_min"], "age_max": e["age_max"],
               "registration_required": e["registration_required"], "form": e["form"],
               "sessions": sessions}
        events.append(out)
    return {
        "format": "fadaa-catalogue",
        "version": 1,
        "timezone": "Africa/Casablanca",
        "categories": [{"id": c, "name": n, "sort_order": i + 1}
                       for i, (c, n) in enumerate(CATEGORIES)],
        "venues": [{"id": v, "name": n, "address": a} for v, n, a in VENUES],
        "organizers": [{"id": o, "name": n} for o, n in ORGANIZERS],
        "events": events,
    }


if __name__ == "__main__":
    path = pathlib.Path(__file__).with_name("catalogue.json")
    doc = build()
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n_sessions = sum(len(e["sessions"]) for e in doc["events"])
    print(f"{path}: {len(doc['events'])} events, {n_sessions} sessions")
