"""Demo articles for a first run.

Only the KFOR article (``balkan-report-article.txt``) is a real Balkan Report story. The other
articles are illustrative placeholders written for the demo: fictional reporters, no quotes
attributed to real people, and figures labelled as illustrative.
"""

AUTHORS = [
    {
        "slug": "newsroom",
        "name": "The Balkan Report Newsroom",
        "role": "Staff",
        "bio": "<p>Reporting from across the Western Balkans.</p>",
    },
    {
        "slug": "arta-berisha",
        "name": "Arta Berisha",
        "role": "Pristina correspondent",
        "bio": "<p>Arta covers politics and security in Kosova. (Demo author.)</p>",
    },
    {
        "slug": "nikola-jovanovic",
        "name": "Nikola Jovanović",
        "role": "Belgrade correspondent",
        "bio": "<p>Nikola writes about Serbia and the region's diplomacy. (Demo author.)</p>",
    },
    {
        "slug": "elira-hoxha",
        "name": "Elira Hoxha",
        "role": "Economy editor",
        "bio": "<p>Elira follows trade, energy and the labour market. (Demo author.)</p>",
    },
]

# (slug, headline, standfirst, tags, authors, days ago, paragraphs, extras)
ARTICLES = [
    {
        "slug": "regional-rail-link-feasibility-study",
        "title": "Feasibility study for a regional rail link enters its final phase",
        "standfirst": "Engineers are weighing three routes for a line that would connect the "
        "region's capitals in under four hours.",
        "tags": ["Economy", "Transport"],
        "authors": ["elira-hoxha"],
        "days_ago": 1,
        "paragraphs": [
            "A feasibility study for a passenger rail link across the Western Balkans has entered "
            "its final phase, with engineers comparing three possible routes.",
            "The study weighs construction cost against travel time and the number of towns each "
            "route would serve. A decision on the preferred option is expected next year.",
            "Business groups say faster links between capitals would lower the cost of trade, "
            "while environmental organisations have asked for river valleys to be protected.",
        ],
        "fact_box": {
            "title": "The plan in figures (illustrative)",
            "facts": [
                {"qualifier": "", "figure": "3", "label": "routes under study"},
                {"qualifier": "under", "figure": "4 hours", "label": "target journey time"},
            ],
        },
    },
    {
        "slug": "young-voters-turnout-local-elections",
        "title": "Young voters could decide the local elections, survey suggests",
        "standfirst": "First-time voters say housing and jobs matter more to them than party "
        "loyalty.",
        "tags": ["Politics", "Kosova"],
        "authors": ["arta-berisha"],
        "days_ago": 2,
        "paragraphs": [
            "Young voters could tip the balance in several municipalities at the coming local "
            "elections, according to a survey of first-time voters.",
            "Respondents ranked affordable housing and stable jobs as their main concerns, ahead "
            "of party loyalty or national questions.",
            "Civil society groups plan information stands at universities to explain how to "
            "register and where to vote.",
        ],
        "pull_quote": {
            "quote": "We want to stay here, but we need a reason to stay",
            "attribution": "A first-time voter",
            "role": "Survey respondent",
        },
    },
    {
        "slug": "energy-prices-winter-households",
        "title": "Households brace for a costlier winter as energy prices climb",
        "standfirst": "Utilities warn that tariffs may rise again, and governments weigh targeted "
        "support for the poorest families.",
        "tags": ["Economy", "Energy"],
        "authors": ["elira-hoxha"],
        "days_ago": 3,
        "paragraphs": [
            "Households across the region are preparing for a more expensive winter after "
            "utilities signalled further increases in electricity tariffs.",
            "Economists recommend support aimed at low-income families rather than blanket "
            "subsidies, which they say reward the biggest consumers.",
            "Energy agencies are also promoting insulation grants to cut demand over the longer "
            "term.",
        ],
    },
    {
        "slug": "eu-accession-talks-new-chapter",
        "title": "Accession talks open a new chapter on the rule of law",
        "standfirst": "Negotiators say judicial reform remains the benchmark that will decide the "
        "pace of enlargement.",
        "tags": ["EU", "Politics"],
        "authors": ["nikola-jovanovic"],
        "days_ago": 4,
        "paragraphs": [
            "Accession negotiations have moved on to a new chapter dealing with the judiciary and "
            "fundamental rights.",
            "Diplomats say the independence of prosecutors and the fight against corruption will "
            "be judged on results rather than on new laws alone.",
            "Candidate countries hope to close several chapters before the end of the year.",
        ],
    },
    {
        "slug": "border-crossing-waiting-times",
        "title": "Waiting times at border crossings fall after new lanes open",
        "standfirst": "Dedicated lanes for lorries have shortened queues at the busiest crossings, "
        "hauliers say.",
        "tags": ["Transport", "Economy"],
        "authors": ["elira-hoxha", "arta-berisha"],
        "days_ago": 5,
        "paragraphs": [
            "Queues at several busy border crossings have shortened since separate lanes for "
            "freight traffic opened this month.",
            "Hauliers report that the time lost at the border has fallen noticeably, although "
            "peak days are still difficult.",
        ],
    },
    {
        "slug": "media-freedom-report-journalists",
        "title": "Media freedom report calls for better protection of journalists",
        "standfirst": "Press associations recorded threats against reporters and urged faster "
        "investigations.",
        "tags": ["Media", "Politics"],
        "authors": ["newsroom"],
        "days_ago": 6,
        "paragraphs": [
            "An annual report on media freedom calls on authorities to investigate threats "
            "against journalists more quickly.",
            "Press associations say that online harassment has become the most common form of "
            "pressure, particularly against women reporters.",
            "The report also recommends transparent rules for state advertising in the media.",
        ],
    },
    {
        "slug": "diaspora-summer-return-tourism",
        "title": "Diaspora summer visits give tourism its strongest season",
        "standfirst": "Restaurants and guesthouses report full bookings as families return for "
        "the holidays.",
        "tags": ["Economy", "Kosova"],
        "authors": ["arta-berisha"],
        "days_ago": 8,
        "paragraphs": [
            "Families from the diaspora returning for the summer have given tourism businesses "
            "their strongest season in years.",
            "Owners of guesthouses say bookings now stretch into September as visitors combine "
            "family visits with trips to the mountains.",
        ],
    },
    {
        "slug": "dialogue-technical-agreements-implementation",
        "title": "Technical agreements from the dialogue still wait to be implemented",
        "standfirst": "Analysts say that unimplemented deals on energy and licence plates weaken "
        "trust in the process.",
        "tags": ["Serbia", "Kosova", "EU"],
        "authors": ["nikola-jovanovic"],
        "days_ago": 10,
        "paragraphs": [
            "Several technical agreements reached in the EU-facilitated dialogue have still not "
            "been fully implemented, according to analysts who follow the talks.",
            "They argue that deals on energy supply and freedom of movement matter most to "
            "ordinary citizens and should be completed first.",
        ],
        "subheading": "What is still open",
    },
    {
        "slug": "wildfire-season-preparation",
        "title": "Fire services prepare for a long wildfire season",
        "standfirst": "New equipment and volunteer training aim to contain fires before they "
        "reach villages.",
        "tags": ["Environment"],
        "authors": ["newsroom"],
        "days_ago": 12,
        "paragraphs": [
            "Fire services are preparing for a long and dry summer with new vehicles and "
            "training for volunteer brigades in rural areas.",
            "Officials ask residents not to burn stubble in the fields during hot and windy "
            "weather.",
        ],
    },
    {
        "slug": "startups-tech-hubs-growth",
        "title": "Tech hubs help young companies find their first customers",
        "standfirst": "Co-working spaces in regional capitals now host hundreds of small software "
        "firms.",
        "tags": ["Economy", "Technology"],
        "authors": ["elira-hoxha"],
        "days_ago": 14,
        "paragraphs": [
            "Co-working spaces and tech hubs have become the first address for young software "
            "companies looking for customers abroad.",
            "Founders say that reliable internet, simpler company registration and access to "
            "early-stage funding would help them grow faster.",
        ],
    },
    {
        "slug": "water-supply-investment-municipalities",
        "title": "Municipalities plan investment in ageing water networks",
        "standfirst": "Leaking pipes lose a large share of drinking water before it reaches homes.",
        "tags": ["Environment", "Economy"],
        "authors": ["arta-berisha"],
        "days_ago": 16,
        "paragraphs": [
            "Municipalities are preparing projects to replace ageing water pipes, which lose a "
            "large share of drinking water before it reaches homes.",
            "Residents in several towns still face summer cuts, and utilities say metering and "
            "repairs are the fastest way to reduce losses.",
        ],
    },
]

SEED_TAGS = ["KFOR", "NATO", "Kosova", "Security"]
SEED_SLUG = "nato-will-not-allow-security-vacuum-balkans-kfor-remains-strong"
