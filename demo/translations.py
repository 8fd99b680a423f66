"""Demo translations: the seed article in Albanian and Serbian, and an Albanian-only article.

These are demo translations written for the demo, not The Balkan Report's own: each one says so
in its standfirst ("Përkthim demonstrues", "Демо превод"), which readers see under the headline
and editors see in the translation editor. They are made the way an editor makes them, with
wagtail-localize (a translation source, its strings translated, the translation saved and
published), so the admin shows them as synced translations that "Sync translated pages" can
update. Serbian is written once, in Cyrillic; ``/sr-latn/`` shows it in Latin.

Every function is idempotent: a page that already exists is left as it is.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from wagtail.models import Locale

from home.models import HomePage
from news.models import ArticlePage, Author, NewsIndexPage

ALBANIAN_GROUPING = "\u202f"  # CLDR's thousands separator for Albanian (narrow no-break space)

# Titles of each language's home page and news index.
TREE_TITLES = {
    "sq": {"home": "The Balkan Report", "news": "Lajme"},
    "sr": {"home": "The Balkan Report", "news": "Вести"},
}
NEWS_INTRO = {
    "sq": "Lajmet më të fundit nga Kosova dhe Ballkani Perëndimor.",
    "sr": "Најновије вести са Косова и Западног Балкана.",
}
DEMO_NOTE = {
    "sq": "(Përkthim demonstrues nga anglishtja.)",
    "sr": "(Демо превод са енглеског.)",
}

# The seed article's strings (as wagtail-localize extracts them) in each language.
SEED_TRANSLATIONS: dict[str, dict[str, str]] = {
    "NATO will not allow a security vacuum in the Balkans, KFOR remains strong": {
        "sq": "NATO nuk do të lejojë vakum sigurie në Ballkan, KFOR mbetet i fortë",
        "sr": "НАТО неће дозволити безбедносни вакуум на Балкану, КФОР остаје снажан",
    },
    "nato-will-not-allow-security-vacuum-balkans-kfor-remains-strong": {
        "sq": "nato-nuk-do-te-lejoje-vakum-sigurie-ne-ballkan",
        "sr": "nato-nece-dozvoliti-bezbednosni-vakuum-na-balkanu",
    },
    "The Pentagon has announced that there is no notification of any change in the deployment "
    "of forces within KFOR": {
        "sq": "Pentagoni ka njoftuar se nuk ka asnjë njoftim për ndryshim në vendosjen e forcave "
        "brenda KFOR-it",
        "sr": "Пентагон је саопштио да нема обавештења о било каквој промени у распореду снага "
        "у оквиру КФОР-а",
    },
    "Illustration: KFOR soldiers on patrol in northern Kosova": {
        "sq": "Ilustrim: ushtarë të KFOR-it në patrullë në veri të Kosovës",
        "sr": "Илустрација: војници КФОР-а у патроли на северу Косова",
    },
    "KFOR remains operationally focused in the north of the country.": {
        "sq": "KFOR mbetet i përqendruar operacionalisht në veri të vendit.",
        "sr": "КФОР остаје оперативно усредсређен на север земље.",
    },
    "The Balkan Report (illustration)": {
        "sq": "The Balkan Report (ilustrim)",
        "sr": "The Balkan Report (илустрација)",
    },
    "The Secretary General of the North Atlantic Treaty Organization (NATO), Mark Rutte, has "
    "stated that the alliance will not allow the creation of a security vacuum in the Western "
    "Balkans, emphasizing that the peacekeeping mission in Kosova will remain strong and fully "
    "ready to carry out its mandate.": {
        "sq": "Sekretari i Përgjithshëm i Organizatës së Traktatit të Atlantikut të Veriut "
        "(NATO), Mark Rutte, ka deklaruar se aleanca nuk do të lejojë krijimin e një vakumi "
        "sigurie në Ballkanin Perëndimor, duke theksuar se misioni paqeruajtës në Kosovë do të "
        "mbetet i fortë dhe plotësisht i gatshëm për të përmbushur mandatin e tij.",
        "sr": "Генерални секретар Организације северноатлантског споразума (НАТО) Марк Руте "
        "изјавио је да алијанса неће дозволити стварање безбедносног вакуума на Западном "
        "Балкану, наглашавајући да ће мировна мисија на Косову остати снажна и потпуно спремна "
        "да извршава свој мандат.",
    },
    "According to him, KFOR continues to play a fundamental role in supporting lasting security, "
    "for the benefit of all citizens living in Kosova, while cooperation among allies remains "
    "key to preserving regional stability.": {
        "sq": "Sipas tij, KFOR vazhdon të luajë një rol themelor në mbështetjen e sigurisë së "
        "qëndrueshme, në të mirë të të gjithë qytetarëve që jetojnë në Kosovë, ndërsa "
        "bashkëpunimi mes aleatëve mbetet kyç për ruajtjen e stabilitetit rajonal.",
        "sr": "Према његовим речима, КФОР и даље има кључну улогу у подршци трајној "
        "безбедности, за добробит свих грађана који живе на Косову, док сарадња међу "
        "савезницима остаје кључна за очување регионалне стабилности.",
    },
    "“We will continue to ensure that KFOR remains strong and capable of fulfilling its "
    "mission,” Rutte said, adding that “cooperation among allies is essential for collective "
    "security.”": {
        "sq": "“Do të vazhdojmë të sigurojmë që KFOR të mbetet i fortë dhe i aftë për të "
        "përmbushur misionin e tij”, tha Rutte, duke shtuar se “bashkëpunimi mes aleatëve është "
        "thelbësor për sigurinë kolektive.”",
        "sr": "„Наставићемо да обезбеђујемо да КФОР остане снажан и способан да испуни своју "
        "мисију”, рекао је Руте, додајући да је „сарадња међу савезницима од суштинског значаја "
        "за колективну безбедност.”",
    },
    "We will continue to ensure that KFOR remains strong and capable of fulfilling its mission": {
        "sq": "Do të vazhdojmë të sigurojmë që KFOR të mbetet i fortë dhe i aftë për të "
        "përmbushur misionin e tij",
        "sr": "Наставићемо да обезбеђујемо да КФОР остане снажан и способан да испуни своју мисију",
    },
    "Mark Rutte": {"sq": "Mark Rutte", "sr": "Марк Руте"},
    "NATO Secretary General": {
        "sq": "Sekretari i Përgjithshëm i NATO-s",
        "sr": "Генерални секретар НАТО-а",
    },
    "Rutte’s statements come at a sensitive moment for security in the region. The Western "
    "Balkans remains a space where geopolitical interests intersect and where unresolved "
    "historical tensions continue to generate uncertainty. In this context, Kosova remains the "
    "most fragile point, due to Serbia’s continued refusal to recognize its independence and the "
    "concrete actions Belgrade has taken in recent years.": {
        "sq": "Deklaratat e Rutte-s vijnë në një moment të ndjeshëm për sigurinë në rajon. "
        "Ballkani Perëndimor mbetet një hapësirë ku ndërthuren interesat gjeopolitike dhe ku "
        "tensionet historike të pazgjidhura vazhdojnë të krijojnë pasiguri. Në këtë kontekst, "
        "Kosova mbetet pika më e brishtë, për shkak të refuzimit të vazhdueshëm të Serbisë për "
        "të njohur pavarësinë e saj dhe të veprimeve konkrete që Beogradi ka ndërmarrë vitet e "
        "fundit.",
        "sr": "Рутеове изјаве долазе у осетљивом тренутку за безбедност у региону. Западни "
        "Балкан остаје простор у којем се укрштају геополитички интереси и у којем нерешене "
        "историјске тензије и даље стварају неизвесност. У том контексту, Косово остаје "
        "најкрхкија тачка, због сталног одбијања Србије да призна његову независност и "
        "конкретних корака које је Београд предузео последњих година.",
    },
    "The KFOR mission was established in June 1999, following the end of the war, with the aim "
    "of creating a safe environment and preventing a return to violence. From more than 50,000 "
    "troops at the outset, today around 4,767 soldiers from 33 countries serve in Kosova. Nearly "
    "half of them come from Italy, the United States, Hungary, and Turkey. Although numerically "
    "smaller, the mission remains operationally focused, particularly in the north of the "
    "country and along the border line with Serbia.": {
        "sq": "Misioni i KFOR-it u themelua në qershor 1999, pas përfundimit të luftës, me "
        "qëllim krijimin e një mjedisi të sigurt dhe parandalimin e kthimit të dhunës. Nga më "
        f"shumë se 50{ALBANIAN_GROUPING}000 trupa në fillim, sot rreth 4{ALBANIAN_GROUPING}767 "
        "ushtarë nga 33 vende shërbejnë në Kosovë. Gati gjysma e tyre vijnë nga Italia, Shtetet "
        "e Bashkuara, Hungaria dhe Turqia. Edhe pse më i vogël në numër, misioni mbetet i "
        "përqendruar operacionalisht, veçanërisht në veri të vendit dhe përgjatë vijës kufitare "
        "me Serbinë.",
        "sr": "Мисија КФОР-а успостављена је у јуну 1999, после завршетка рата, с циљем да се "
        "створи безбедно окружење и спречи повратак насиља. Од више од 50.000 војника на "
        "почетку, данас на Косову служи око 4.767 војника из 33 земље. Готово половина њих "
        "долази из Италије, Сједињених Држава, Мађарске и Турске. Иако бројчано мања, мисија "
        "остаје оперативно усредсређена, посебно на север земље и на линију границе са "
        "Србијом.",
    },
    "KFOR in numbers": {"sq": "KFOR në shifra", "sr": "КФОР у бројкама"},
    "June 1999": {"sq": "Qershor 1999", "sr": "Јун 1999."},
    "mission established": {"sq": "themelimi i misionit", "sr": "успостављена мисија"},
    "50,000": {"sq": f"50{ALBANIAN_GROUPING}000", "sr": "50.000"},
    "more than": {"sq": "më shumë se", "sr": "више од"},
    "troops at the outset": {"sq": "trupa në fillim", "sr": "војника на почетку"},
    "4,767": {"sq": f"4{ALBANIAN_GROUPING}767", "sr": "4.767"},
    "around": {"sq": "rreth", "sr": "око"},
    "soldiers serve today": {"sq": "ushtarë shërbejnë sot", "sr": "војника служи данас"},
    "33": {"sq": "33", "sr": "33"},
    "countries contribute troops": {
        "sq": "vende kontribuojnë me trupa",
        "sr": "земље шаље војнике",
    },
    "The north of Kosova continues to be an area of recurring tensions. Serbian parallel "
    "structures supported by the regime in Belgrade, orchestrated resignations from Kosova "
    "institutions, election boycotts, and violent incidents against the Kosova Police and KFOR "
    "itself have demonstrated that stability remains fragile. In several instances, Serbian "
    "armed forces have been placed on heightened alert near the border, deploying armored "
    "vehicles and special units. These movements have been interpreted as direct political "
    "pressure and a warning signal toward Pristina.": {
        "sq": "Veriu i Kosovës vazhdon të jetë një zonë me tensione të përsëritura. Strukturat "
        "paralele serbe të mbështetura nga regjimi në Beograd, dorëheqjet e orkestruara nga "
        "institucionet e Kosovës, bojkotet e zgjedhjeve dhe incidentet e dhunshme ndaj Policisë "
        "së Kosovës dhe vetë KFOR-it kanë treguar se stabiliteti mbetet i brishtë. Në disa "
        "raste, forcat e armatosura serbe janë vënë në gatishmëri të shtuar pranë kufirit, duke "
        "vendosur automjete të blinduara dhe njësi speciale. Këto lëvizje janë interpretuar si "
        "presion i drejtpërdrejtë politik dhe sinjal paralajmërues ndaj Prishtinës.",
        "sr": "Север Косова и даље је подручје понављаних тензија. Српске паралелне структуре "
        "које подржава режим у Београду, организоване оставке у институцијама Косова, бојкоти "
        "избора и насилни инциденти против Косовске полиције и самог КФОР-а показали су да "
        "стабилност остаје крхка. У неколико наврата српске оружане снаге стављане су у стање "
        "повећане приправности близу границе, уз распоређивање оклопних возила и специјалних "
        "јединица. Ти покрети тумачени су као непосредан политички притисак и сигнал упозорења "
        "Приштини.",
    },
    "Beyond the military dimension, the threat has also taken on a hybrid form. Disinformation "
    "campaigns, often synchronized with Russian narratives, have portrayed Kosova as a source of "
    "instability, while Serbia has intensified diplomatic efforts to block new international "
    "recognitions and Kosova’s membership in international organizations. This "
    "multidimensional strategy aims to keep the situation tense and limit the international "
    "consolidation of Kosova’s statehood.": {
        "sq": "Përtej dimensionit ushtarak, kërcënimi ka marrë edhe një formë hibride. Fushatat "
        "e dezinformimit, shpesh të sinkronizuara me narrativat ruse, e kanë paraqitur Kosovën si "
        "burim paqëndrueshmërie, ndërsa Serbia ka intensifikuar përpjekjet diplomatike për të "
        "bllokuar njohjet e reja ndërkombëtare dhe anëtarësimin e Kosovës në organizata "
        "ndërkombëtare. Kjo strategji shumëdimensionale synon ta mbajë situatën të tensionuar "
        "dhe të kufizojë konsolidimin ndërkombëtar të shtetësisë së Kosovës.",
        "sr": "Осим војне димензије, претња је попримила и хибридни облик. Кампање "
        "дезинформација, често усклађене са руским наративима, приказују Косово као извор "
        "нестабилности, док је Србија појачала дипломатске напоре да блокира нова међународна "
        "признања и чланство Косова у међународним организацијама. Ова вишедимензионална "
        "стратегија има за циљ да одржи напету ситуацију и ограничи међународно учвршћивање "
        "државности Косова.",
    },
    "Rutte’s statements carry particular weight in light of recent discussions about the "
    "possibility of reviewing the American engagement in NATO’s external missions. However, the "
    "Pentagon has clarified that there is no notification of any change in the deployment of "
    "forces within KFOR. This is an important guarantee, as the American presence in Kosova is "
    "considered a key deterrent factor against any potential escalation.": {
        "sq": "Deklaratat e Rutte-s kanë peshë të veçantë në dritën e diskutimeve të fundit për "
        "mundësinë e rishikimit të angazhimit amerikan në misionet e jashtme të NATO-s. "
        "Megjithatë, Pentagoni ka sqaruar se nuk ka asnjë njoftim për ndryshim në vendosjen e "
        "forcave brenda KFOR-it. Kjo është një garanci e rëndësishme, pasi prania amerikane në "
        "Kosovë konsiderohet faktor kyç parandalues ndaj çdo përshkallëzimi të mundshëm.",
        "sr": "Рутеове изјаве имају посебну тежину у светлу недавних расправа о могућности "
        "преиспитивања америчког ангажмана у спољним мисијама НАТО-а. Ипак, Пентагон је "
        "појаснио да нема обавештења о било каквој промени у распореду снага у оквиру КФОР-а. "
        "То је важна гаранција, јер се америчко присуство на Косову сматра кључним фактором "
        "одвраћања од сваке могуће ескалације.",
    },
    "In practical terms, NATO’s message is direct: any attempt to create instability or test "
    "security boundaries in Kosova will face an organized and coordinated international "
    "presence. In a region where balances are sensitive and external influences remain active, "
    "maintaining a strong KFOR presence is seen as essential to preventing a new spiral of "
    "destabilization.": {
        "sq": "Në terma praktikë, mesazhi i NATO-s është i drejtpërdrejtë: çdo përpjekje për të "
        "krijuar paqëndrueshmëri ose për të testuar kufijtë e sigurisë në Kosovë do të përballet "
        "me një prani ndërkombëtare të organizuar dhe të koordinuar. Në një rajon ku balancat "
        "janë të ndjeshme dhe ndikimet e jashtme mbeten aktive, ruajtja e një pranie të fortë "
        "të KFOR-it shihet si thelbësore për parandalimin e një spiraleje të re destabilizimi.",
        "sr": "У практичном смислу, порука НАТО-а је директна: сваки покушај да се створи "
        "нестабилност или испитају границе безбедности на Косову суочиће се са организованим и "
        "координисаним међународним присуством. У региону у којем су равнотеже осетљиве, а "
        "спољни утицаји и даље активни, одржавање снажног присуства КФОР-а сматра се суштински "
        "важним за спречавање нове спирале дестабилизације.",
    },
    "Security in Kosova is not merely a local issue; it is directly linked to the stability of "
    "the entire Western Balkans. As long as Serbia continues to apply political, military, and "
    "informational pressure on Kosova, the role of NATO and KFOR remains essential. The "
    "alliance’s current message is clear: there will be no space for a security vacuum, nor for "
    "a return to the scenarios of the past.": {
        "sq": "Siguria në Kosovë nuk është thjesht çështje lokale; ajo është e lidhur drejtpërdrejt "
        "me stabilitetin e gjithë Ballkanit Perëndimor. Për sa kohë që Serbia vazhdon të ushtrojë "
        "presion politik, ushtarak dhe informativ mbi Kosovën, roli i NATO-s dhe i KFOR-it mbetet "
        "thelbësor. Mesazhi aktual i aleancës është i qartë: nuk do të ketë hapësirë për vakum "
        "sigurie, as për kthim te skenarët e së kaluarës.",
        "sr": "Безбедност на Косову није само локално питање; она је непосредно повезана са "
        "стабилношћу целог Западног Балкана. Све док Србија наставља да врши политички, војни и "
        "информациони притисак на Косово, улога НАТО-а и КФОР-а остаје суштинска. Тренутна "
        "порука алијансе је јасна: неће бити простора за безбедносни вакуум, нити за повратак "
        "сценаријима из прошлости.",
    },
}

# An article in Albanian only (an illustrative placeholder like the other demo articles).
ALBANIAN_ONLY = {
    "slug": "panairi-i-librit-ne-prishtine",
    "title": "Panairi i librit në Prishtinë sjell botues nga i gjithë rajoni",
    "standfirst": "Botuesit thonë se lexuesit e rinj kërkojnë më shumë përkthime dhe libra "
    "në format elektronik.",
    "tags": ["Kosova", "Media"],
    "authors": ["arta-berisha"],
    "paragraphs": [
        "Panairi vjetor i librit në Prishtinë i hapi dyert këtë javë me botues nga Kosova, "
        "Shqipëria, Maqedonia e Veriut dhe Mali i Zi.",
        "Organizatorët thonë se programi i këtij viti u kushtohet përkthimeve mes gjuhëve të "
        "rajonit dhe lexuesve të rinj, që gjithnjë e më shpesh lexojnë në telefon.",
        "Disa botues të vegjël kanë sjellë për herë të parë libra elektronikë dhe audio, ndërsa "
        "bibliotekat komunale kanë ngritur stenda për regjistrimin e anëtarëve të rinj.",
        "(Artikull demonstrues, vetëm në shqip: emrat dhe shifrat janë ilustruese.)",
    ],
}


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False))


def content_languages() -> list[str]:
    """The site's languages other than English that the demo translates into."""
    codes = [code for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", [])]
    return [code for code in codes if code in TREE_TITLES]


def _locale(code: str) -> Locale:
    locale, _ = Locale.objects.get_or_create(language_code=code)
    return locale


def ensure_language_tree(home: HomePage, index: NewsIndexPage) -> dict[str, NewsIndexPage]:
    """Each language's home page and news index, published (made once, then left alone)."""
    indexes = {}
    for code in content_languages():
        locale = _locale(code)
        titles = TREE_TITLES[code]
        translated_home = home.get_translation_or_none(locale)
        if translated_home is None:
            translated_home = home.copy_for_translation(locale).specific
            translated_home.title = titles["home"]
            translated_home.save_revision().publish()
        translated_index = index.get_translation_or_none(locale)
        if translated_index is None:
            translated_index = index.copy_for_translation(locale).specific
            translated_index.title = titles["news"]
            translated_index.intro = NEWS_INTRO[code]
            translated_index.save_revision().publish()
        indexes[code] = translated_index.specific
    return indexes


def _translated(code: str, text: str) -> str | None:
    entry = SEED_TRANSLATIONS.get(text)
    return None if entry is None else entry.get(code)


def ensure_seed_translations(seed: ArticlePage) -> list[ArticlePage]:
    """The seed article in each language, through wagtail-localize, published; returns the
    translations made now."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    made = []
    for code in content_languages():
        locale = _locale(code)
        if seed.get_translation_or_none(locale) is not None:
            continue
        source, _ = TranslationSource.get_or_create_from_instance(seed)
        translation, _ = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        for segment in segments:
            text = _translated(code, segment.string.data)
            if text is None:
                continue
            if segment.context.path == "standfirst":
                text = f"{text} {DEMO_NOTE[code]}"
            StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        # A draft first, then published here (wagtail-localize would publish on commit).
        translation.save_target(publish=False)
        page = seed.get_translation(locale).specific
        page.get_latest_revision().publish()
        made.append(page)
    return made


def ensure_albanian_only_article(
    indexes: dict[str, NewsIndexPage], authors: dict[str, Author], now: datetime.datetime
) -> ArticlePage | None:
    """An article written in Albanian, with no English or Serbian version."""
    from .build import demo_image, paragraph_html, publish_article

    index = indexes.get("sq")
    if index is None:
        return None
    data = ALBANIAN_ONLY
    page, _ = publish_article(
        index,
        slug=data["slug"],
        title=data["title"],
        standfirst=data["standfirst"],
        body=[("paragraph", paragraph_html(text)) for text in data["paragraphs"]],
        tags=data["tags"],
        authors=[authors[slug] for slug in data["authors"]],
        published=now - datetime.timedelta(hours=5),
        lead_image=demo_image("Book fair in Prishtina (illustration)", 21),
        lead_image_alt="Ilustrim: stenda librash në një panair",
        lead_image_credit="The Balkan Report (ilustrim)",
    )
    return page


def load_translations(
    home: HomePage,
    index: NewsIndexPage,
    seed: ArticlePage,
    authors: dict[str, Author],
    now: datetime.datetime,
) -> dict[str, int]:
    """Everything above, on a site with several languages (nothing on a one-language site)."""
    if not enabled():
        return {"translations_created": 0}
    indexes = ensure_language_tree(home, index)
    made = ensure_seed_translations(seed)
    ensure_albanian_only_article(indexes, authors, now)
    return {"translations_created": len(made)}
