"""Word lists the actor rules read (:mod:`briefgen.extract.actors`): what kind of thing a
capitalised name is, and which capitalised words are not names at all.

Each list is a closed class of English (titles, head nouns of organisations and places,
demonyms, sentence openers) or a fixed set of proper names (the US states, Canada's provinces):
no list names an actor of any one story.
"""

from __future__ import annotations

TITLES = frozenset([
    "president", "minister", "prime", "secretary", "chancellor", "senator", "governor", "mayor",
    "king", "queen", "prince", "princess", "general", "ambassador", "spokesman", "spokeswoman",
    "spokesperson", "mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "pope", "judge",
    "director", "chief", "ceo", "chairman", "chairwoman", "leader", "envoy", "commissioner",
    "professor", "prof", "foreign", "deputy", "vice", "former", "scientist", "expert", "analyst",
    "officer", "inspector", "sheriff", "detective", "sergeant", "sgt", "captain", "capt",
    "lieutenant", "lt", "attorney", "lawyer", "rev", "father", "sister", "brother", "cmdr",
    "commander", "administrator", "gen", "col", "colonel", "adm", "admiral", "justice", "lord",
    "lady", "sir", "dame", "billionaire", "actor", "actress", "singer", "author", "editor",
    "reporter", "correspondent", "founder", "coach", "producer", "director", "officials",
    "patriarch", "cardinal", "bishop", "archbishop", "rabbi", "imam", "sheikh", "emir", "sultan",
    "chairperson", "superintendent", "assemblyman", "assemblywoman", "congressman",
    "congresswoman", "councilman", "councilwoman", "democrat", "republican", "adviser",
    "advisor", "aide", "cmdr", "counsel", "economist", "historian", "researcher", "physician",
    "surgeon", "psychologist", "strategist", "pollster", "columnist", "host", "anchor",
])  # fmt: skip
"""Words before a person's name ("President", "Mr", "political scientist")."""

ORG_WORDS = frozenset([
    "board", "council", "committee", "commission", "ministry", "department", "agency", "union",
    "nations", "party", "bank", "fund", "institute", "university", "court", "congress", "senate",
    "parliament", "assembly", "army", "police", "forces", "government", "reuters", "inc", "corp",
    "corporation", "company", "co", "llc", "ltd", "plc", "group", "forum", "organization",
    "organisation", "association", "news", "times", "post", "press", "accords", "accord",
    "treaty", "office", "foundation", "alliance", "coalition", "federation", "house", "pentagon",
    "nato", "un", "eu", "who", "imf", "opec", "kremlin", "cabinet", "club", "network", "church",
    "brotherhood", "images", "school", "college", "center", "centre", "administration", "caucus",
    "archive", "hospital", "airlines", "airways", "motors", "systems", "media", "journal",
    "daily", "magazine", "tribune", "herald", "guardian", "telegraph", "channel", "studios",
    "pictures", "records", "society", "laboratory", "laboratories", "lab", "league", "bureau",
    "authority", "navy", "division", "service", "services", "security", "guard", "patrol",
    "reporter", "gazette", "chronicle", "observer", "examiner", "sachs", "steel", "healthcare",
    "clinic", "academy", "museum", "library", "commons", "republicans", "democrats", "party's",
    "properties", "homes", "holdings", "partners", "capital", "ventures", "industries", "tech",
    "technologies", "labs", "foods", "energy", "petroleum", "oil", "motor", "bancorp",
    "securities", "insurance", "pharmaceuticals", "university's", "council's", "census",
    "cnn", "bbc", "npr", "nbc", "cbs", "abc", "msnbc", "fox", "ap", "afp", "twitter",
    "facebook", "youtube", "instagram", "google", "microsoft", "apple", "amazon", "forbes",
    "bloomberg", "xinhua", "tass", "interfax", "izvestia", "pravda", "kommersant",
])  # fmt: skip
"""Words that make a name an organisation ("Board of Peace", "Pew Research Center")."""

ORG_HEADS = frozenset([
    "union", "capital", "inc", "archive", "brotherhood", "group", "party", "center", "centre",
    "office", "house", "press", "news", "times", "post", "media", "network", "fund", "bank",
    "court", "board", "council", "committee", "commission", "company", "corp", "co", "llc",
    "ltd", "plc", "holdings", "partners", "ventures", "images", "school", "college", "security",
    "service", "services", "department", "ministry", "agency", "institute", "university",
    "foundation", "association", "society", "division", "bureau", "authority", "daily",
])  # fmt: skip
"""Organisation head nouns that, alone, are a fragment of a name ("the Union", "Capital")."""

PLACE_WORDS = frozenset([
    "east", "west", "north", "south", "asia", "europe", "africa", "america", "americas", "strip",
    "sea", "ocean", "river", "city", "province", "region", "island", "islands", "valley",
    "gulf", "peninsula", "state", "county", "street", "square", "hall", "park", "plaza", "hill",
    "hills", "avenue", "coast", "beach", "airport", "station", "bridge", "road", "heights",
    "falls", "springs", "harbor", "harbour", "bay", "lake", "mountains", "mountain", "canyon",
    "desert", "forest", "village", "town", "district", "borough", "neighborhood", "quarter",
    "boulevard", "lane", "drive", "port", "canal", "strait", "straits", "border", "basin",
    "plateau", "delta", "creek", "pass", "reef", "cave", "shelter", "stadium", "arena",
    "building", "tower", "palace", "cathedral", "mosque", "temple", "prison", "base", "camp",
])  # fmt: skip
"""Head words of place names ("City Hall", "Dilworth Plaza", "Palm Beach")."""

PLACE_PREFIXES = frozenset([
    "new", "los", "las", "san", "santa", "saint", "st", "fort", "ft", "port", "mount", "mt",
    "lake", "cape", "el", "la", "le", "rio", "sao", "upper", "lower", "greater", "central",
])  # fmt: skip
"""First words of place names ("New York", "Los Angeles", "Fort Worth")."""

OTHER_WORDS = frozenset([
    "war", "amendment", "act", "day", "games", "olympics", "cup", "prize", "award", "awards",
    "trial", "law", "bill", "rule", "protocol", "doctrine", "festival", "summit", "conference",
    "championship", "series", "show", "film", "book", "album", "machine", "operation",
    "revolution", "era", "age", "plan", "program", "programme", "project", "initiative",
    "convention", "declaration", "remembrance", "week", "month", "year", "syndrome", "disease",
    "virus", "photo", "photos", "reprints", "caption", "share", "editing", "contact",
    "reporting", "byline", "copyright", "video", "index", "poll", "survey", "report", "study",
])  # fmt: skip
"""Head words of names that are not actors: events, laws, works, products, page furniture."""

NOT_NAMES = frozenset([
    "i", "i'm", "i'd", "i've", "i'll", "it's", "ok", "okay", "mr", "mrs", "ms", "dr", "gen",
    "ceo", "cfo", "ipo", "cpr", "gdp", "dna", "tv", "pdf", "faq", "am", "pm", "usd", "file",
    "byline", "god", "lord", "internet", "web", "christmas", "easter", "thanksgiving", "jr",
    "sr", "phd", "md", "vs", "via", "etc", "re", "oh", "yes", "no", "hey", "wow",
])  # fmt: skip
"""Capitalised words that never name an actor on their own."""

GROUPS = frozenset([
    "american", "european", "african", "asian", "arab", "christian", "jewish", "muslim",
    "catholic", "orthodox", "islamist", "islamic", "republican", "democrat", "democratic",
    "soviet", "western", "eastern", "hispanic", "latino", "latina", "sunni", "shiite", "shia",
    "kurdish", "jews", "christians", "muslims", "catholics", "protestant", "evangelical",
    "aboriginal", "indigenous", "native", "nazi", "nazis", "communist", "socialist", "liberal",
    "conservative", "israeli", "palestinian", "british", "french", "dutch", "swiss", "irish",
    "scottish", "welsh", "english", "spanish", "portuguese", "danish", "swedish", "finnish",
    "polish", "turkish", "greek", "thai", "chinese", "japanese", "vietnamese", "lebanese",
    "sudanese", "congolese", "senegalese", "taiwanese", "nepalese", "burmese", "iraqi", "kuwaiti",
    "saudi", "yemeni", "omani", "qatari", "emirati", "pakistani", "bangladeshi", "afghan",
    "uzbek", "kazakh", "tajik", "kyrgyz", "turkmen", "filipino", "filipina",
])  # fmt: skip
"""Demonyms and group adjectives ("Russian", "Islamist"): words about actors, not actors."""

US_STATES = frozenset([
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Ontario",
    "Quebec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia",
    "England", "Scotland", "Wales", "Northern Ireland", "Bavaria", "Siberia", "Crimea", "Kashmir",
    "Tibet", "Xinjiang", "Gaza", "West Bank", "Sinai", "Kurdistan", "Catalonia", "Silicon Valley",
])  # fmt: skip
"""States, provinces and regions: places (Georgia, the US state, is a country to pycountry)."""

OPENERS = frozenset([
    "but", "and", "or", "so", "yet", "if", "when", "while", "as", "after", "before", "since",
    "because", "although", "though", "with", "without", "on", "in", "at", "by", "for", "from",
    "to", "of", "into", "under", "over", "during", "despite", "like", "unlike", "then", "now",
    "yesterday", "today", "tomorrow", "also", "even", "still", "says", "said", "did", "does",
    "do", "is", "was", "are", "were", "am", "will", "would", "can", "could", "should", "may",
    "might", "has", "have", "had", "why", "how", "what", "who", "where", "which", "that",
    "this", "these", "those", "there", "here", "the", "a", "an", "my", "our", "your", "his",
    "her", "their", "its", "every", "each", "all", "some", "many", "most", "several", "both",
    "ask", "blame", "contact", "additional", "editing", "reporting", "photo", "meanwhile",
    "however", "instead", "later", "earlier", "once", "last", "next", "dear", "thanks",
    "according", "unless", "until", "whether", "let", "please", "see", "read", "watch",
    "follow", "not", "no", "yes", "just", "only", "about", "around", "among", "between",
])  # fmt: skip
"""Words that open a sentence before a name ("But Ross said", "When CNN asked"): never part
of it."""

PLACE_CUES = frozenset([
    "in", "at", "from", "near", "across", "outside", "inside", "throughout", "around", "into",
    "toward", "towards", "via", "visited", "visit", "downtown",
])  # fmt: skip
"""Words before a place: "in X", "from X"."""
PERSON_CUES = frozenset([
    "said", "says", "told", "added", "wrote", "asked", "argued", "explained", "noted", "insisted",
    "testified", "tweeted", "who", "whose", "himself", "herself", "recalled", "replied",
])  # fmt: skip
"""Words after a person: "X said", "X, who"."""
ORG_CUES = frozenset([
    "newspaper", "daily", "magazine", "agency", "company", "firm", "channel", "network",
    "broadcaster", "outlet", "website", "group", "the", "paper", "station", "publisher", "brand",
])  # fmt: skip
"""Words before an organisation: "newspaper X", "the X" (not for a single word)."""

MONTHS = frozenset([
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday",
])  # fmt: skip
"""Month and weekday names: dates, not actors."""
