"""The resident pages' words in Finnish, Swedish and English: the chat's labels, the
privacy notice and the accessibility statement.

Facts only the operator knows (the data protection officer's contact, where accessibility
feedback goes) are `OPERATOR_FACTS`: each is read from an environment variable and, while
unset, shown on the page as a visible "[to be filled in by the operator]" mark rather than
made up. docs/web.md lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from navigator.settings import CONTACT_RETENTION_DAYS, CONVERSATION_RETENTION_HOURS

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"

#: The day the accessibility statement was written (and last reviewed).
STATEMENT_DATE = date(2026, 11, 23)

#: Each language's name in itself, for the language switch.
LANGUAGE_NAMES = {"fi": "suomeksi", "sv": "på svenska", "en": "in English"}

#: The published controller (from the catalogue's provider entries) and its website.
CONTROLLER = {
    "fi": "Pohjois-Pohjanmaan hyvinvointialue (Pohde)",
    "sv": "Norra Österbottens välfärdsområde (Pohde)",
    "en": "Wellbeing services county of North Ostrobothnia (Pohde)",
}
CONTROLLER_WEB = "https://pohde.fi"

#: Where a resident complains about data protection (the Data Protection Ombudsman).
OMBUDSMAN_WEB = {
    "fi": "https://tietosuoja.fi",
    "sv": "https://tietosuoja.fi/sv",
    "en": "https://tietosuoja.fi/en",
}

#: The accessibility supervisor's pages: Traficom since 1.1.2025 (HE 71/2024), before that
#: the Regional State Administrative Agency for Southern Finland.
SUPERVISOR_WEB = {
    "fi": "https://www.saavutettavuusvaatimukset.fi",
    "sv": "https://www.tillganglighetskrav.fi",
    "en": "https://www.webaccessibility.fi",
}

_TO_BE_FILLED = {
    "fi": "[ylläpitäjä täydentää]",
    "sv": "[fylls i av administratören]",
    "en": "[to be filled in by the operator]",
}


@dataclass(frozen=True)
class OperatorFact:
    """A fact of the deployment that the code cannot know, set in the environment."""

    variable: str
    what: str


#: Set these in the environment of `navigator serve` (see docs/web.md).
OPERATOR_FACTS = {
    "dpo": OperatorFact(
        "NAVIGATOR_DPO_CONTACT", "the county's data protection officer: e-mail or address"
    ),
    "data_requests": OperatorFact(
        "NAVIGATOR_DATA_REQUESTS_CONTACT",
        "where residents send requests about their data (the registry office)",
    ),
    "accessibility_email": OperatorFact(
        "NAVIGATOR_ACCESSIBILITY_EMAIL", "the e-mail address that takes accessibility feedback"
    ),
}


class Fact(TypedDict):
    """An operator fact as a page shows it."""

    value: str  # the value, or the visible to-be-filled mark
    missing: bool  # True when the operator has not set it


def operator_fact(key: str, lang: str) -> Fact:
    """The operator's value for `key` (OPERATOR_FACTS), or the visible to-be-filled mark."""
    value = os.environ.get(OPERATOR_FACTS[key].variable, "").strip()
    if value:
        return {"value": value, "missing": False}
    return {"value": _TO_BE_FILLED[lang], "missing": True}


def statement_date(lang: str) -> str:
    """The statement's date as each language writes it."""
    if lang == "en":
        return f"{STATEMENT_DATE.day} {STATEMENT_DATE:%B} {STATEMENT_DATE.year}"
    return f"{STATEMENT_DATE.day}.{STATEMENT_DATE.month}.{STATEMENT_DATE.year}"


# The chat page and the frame of every page ----------------------------------------------------

UI: dict[str, dict[str, str]] = {
    "fi": {
        "site_name": "Navigator",
        "site_tagline": "Sosiaali- ja terveyspalvelujen opas, Pohjois-Pohjanmaa",
        "chat_title": "Navigator – löydä sopiva apu",
        "emergency": "Hätätilanteessa soita 112",
        "skip_link": "Siirry keskusteluun",
        "language_nav": "Kieli",
        "start_heading": "Ennen kuin aloitat",
        "start_notice": "Tämä on automaattinen palveluopas: vastaukset tulevat ohjelmalta, eivät "
        "ihmiseltä. Se ei ole hätäpalvelu. Kerro omin sanoin, mikä mieltäsi painaa, niin opas "
        "ehdottaa sopivia palveluja Pohjois-Pohjanmaalla. Älä kirjoita nimeäsi tai "
        "henkilötunnustasi.",
        "start_privacy": "Miten tietojasi käsitellään",
        "log_heading": "Keskustelu",
        "you": "Sinä",
        "bot": "Opas",
        "input_label": "Kirjoita viestisi",
        "input_hint": "Enter lähettää viestin, Shift + Enter vaihtaa riviä.",
        "send": "Lähetä",
        "clear": "Tyhjennä keskustelu",
        "clear_confirm": "Tyhjennetäänkö keskustelu? Viestit poistuvat tältä sivulta, ja "
        "keskustelu alkaa alusta.",
        "cleared": "Keskustelu tyhjennetty.",
        "quick_replies": "Vastausvaihtoehdot",
        "waiting": "Opas kirjoittaa…",
        "unavailable": "Opas ei vastaa juuri nyt. Yritä hetken kuluttua uudelleen – "
        "kirjoittamasi teksti on yhä kirjoituskentässä. Hätätilanteessa soita 112.",
        "degraded": "Opas ei vastaa juuri nyt. Viestisi perusteella tässä apua heti:",
        "too_long": "Viesti on liian pitkä. Lyhennä sitä ja lähetä uudelleen.",
        "card_provider": "Järjestäjä",
        "card_reason": "Miksi tämä",
        "card_contacts": "Yhteystiedot",
        "card_alert": "Huom.",
        "today": "tänään",
        "open_now": "auki nyt",
        "closed_now": "nyt kiinni",
        "noscript": "Keskustelu tarvitsee JavaScriptin. Palveluja löydät myös osoitteesta "
        "pohde.fi.",
        "footer_privacy": "Tietosuojaseloste",
        "footer_accessibility": "Saavutettavuusseloste",
        "footer_chat": "Keskusteluun",
        "privacy_title": "Tietosuojaseloste",
        "accessibility_title": "Saavutettavuusseloste",
        "not_found_title": "Sivua ei löytynyt",
        "not_found_text": "Osoitteessa ei ole sivua. Se on voinut muuttua tai poistua.",
        "not_allowed_title": "Toimintoa ei voi tehdä tällä sivulla",
        "not_found_back": "Palaa keskusteluun",
        "to_be_filled_note": "Hakasulkeissa oleva kohta on vielä täydentämättä.",
    },
    "sv": {
        "site_name": "Navigator",
        "site_tagline": "Guide till social- och hälsovårdstjänster, Norra Österbotten",
        "chat_title": "Navigator – hitta rätt hjälp",
        "emergency": "Ring 112 i nödsituationer",
        "skip_link": "Till chatten",
        "language_nav": "Språk",
        "start_heading": "Innan du börjar",
        "start_notice": "Det här är en automatisk tjänsteguide: svaren kommer från ett program, "
        "inte från en människa. Den är ingen nödtjänst. Berätta med egna ord vad du oroar dig "
        "för, så föreslår guiden tjänster i Norra Österbotten. Skriv inte ditt namn eller din "
        "personbeteckning.",
        "start_privacy": "Hur dina uppgifter behandlas",
        "log_heading": "Samtal",
        "you": "Du",
        "bot": "Guiden",
        "input_label": "Skriv ditt meddelande",
        "input_hint": "Enter skickar meddelandet, Skift + Enter ger en ny rad.",
        "send": "Skicka",
        "clear": "Töm samtalet",
        "clear_confirm": "Vill du tömma samtalet? Meddelandena försvinner från sidan och samtalet "
        "börjar om.",
        "cleared": "Samtalet har tömts.",
        "quick_replies": "Svarsalternativ",
        "waiting": "Guiden skriver…",
        "unavailable": "Guiden svarar inte just nu. Försök igen om en stund – texten du skrev "
        "finns kvar i skrivfältet. Ring 112 i nödsituationer.",
        "degraded": "Guiden svarar inte just nu. Utgående från ditt meddelande finns hjälp "
        "här genast:",
        "too_long": "Meddelandet är för långt. Korta av det och skicka igen.",
        "card_provider": "Anordnare",
        "card_reason": "Varför den här",
        "card_contacts": "Kontaktuppgifter",
        "card_alert": "Obs.",
        "today": "i dag",
        "open_now": "öppet nu",
        "closed_now": "stängt nu",
        "noscript": "Chatten behöver JavaScript. Du hittar tjänsterna också på pohde.fi.",
        "footer_privacy": "Dataskyddsbeskrivning",
        "footer_accessibility": "Tillgänglighetsutlåtande",
        "footer_chat": "Till chatten",
        "privacy_title": "Dataskyddsbeskrivning",
        "accessibility_title": "Tillgänglighetsutlåtande",
        "not_found_title": "Sidan hittades inte",
        "not_found_text": "Det finns ingen sida på den här adressen. Den kan ha flyttats eller "
        "tagits bort.",
        "not_allowed_title": "Det går inte att göra så på den här sidan",
        "not_found_back": "Tillbaka till chatten",
        "to_be_filled_note": "Uppgiften inom hakparentes har ännu inte fyllts i.",
    },
    "en": {
        "site_name": "Navigator",
        "site_tagline": "A guide to social and health services in North Ostrobothnia",
        "chat_title": "Navigator – find the right help",
        "emergency": "In an emergency, call 112",
        "skip_link": "Skip to the chat",
        "language_nav": "Language",
        "start_heading": "Before you start",
        "start_notice": "This is an automated service guide: the answers come from a program, "
        "not from a person. It is not an emergency service. Tell it in your own words what is "
        "troubling you, and it suggests services in North Ostrobothnia. Please do not write "
        "your name or personal identity code.",
        "start_privacy": "How your data is handled",
        "log_heading": "Conversation",
        "you": "You",
        "bot": "Guide",
        "input_label": "Write your message",
        "input_hint": "Enter sends the message, Shift + Enter starts a new line.",
        "send": "Send",
        "clear": "Clear the conversation",
        "clear_confirm": "Clear the conversation? The messages disappear from this page and the "
        "conversation starts again.",
        "cleared": "The conversation was cleared.",
        "quick_replies": "Reply options",
        "waiting": "The guide is writing…",
        "unavailable": "The guide is not answering right now. Please try again in a moment – "
        "what you wrote is still in the message box. In an emergency, call 112.",
        "degraded": "The guide is not answering right now. From your message, here is help "
        "straight away:",
        "too_long": "The message is too long. Please shorten it and send it again.",
        "card_provider": "Provided by",
        "card_reason": "Why this one",
        "card_contacts": "How to reach it",
        "card_alert": "Note",
        "today": "today",
        "open_now": "open now",
        "closed_now": "closed now",
        "noscript": "The chat needs JavaScript. You can also find the services at pohde.fi.",
        "footer_privacy": "Privacy notice",
        "footer_accessibility": "Accessibility statement",
        "footer_chat": "To the chat",
        "privacy_title": "Privacy notice",
        "accessibility_title": "Accessibility statement",
        "not_found_title": "Page not found",
        "not_found_text": "There is no page at this address. It may have moved or been removed.",
        "not_allowed_title": "That cannot be done on this page",
        "not_found_back": "Back to the chat",
        "to_be_filled_note": "The item in square brackets has not been filled in yet.",
    },
}

#: The words the chat script needs (sent to the page as data, rendered as text).
SCRIPT_KEYS = (
    "you",
    "bot",
    "waiting",
    "unavailable",
    "too_long",
    "clear_confirm",
    "cleared",
    "quick_replies",
    "card_provider",
    "card_reason",
    "card_contacts",
    "card_alert",
    "today",
    "open_now",
    "closed_now",
)


def script_texts(lang: str) -> dict[str, str]:
    """The chat script's words in `lang`."""
    return {key: UI[lang][key] for key in SCRIPT_KEYS}


# The privacy notice and the accessibility statement -------------------------------------------


class Link(TypedDict):
    """A link on a notice page (always https: or mailto:)."""

    text: str
    href: str


class FactLine(TypedDict):
    """A labelled fact; an operator fact that is not set yet is shown marked."""

    label: str
    value: str
    href: str  # "" when the value is not a link
    missing: bool


class Section(TypedDict):
    """One part of a notice page: a heading, paragraphs, a list, facts and links."""

    heading: str
    paragraphs: list[str]
    items: list[str]
    facts: list[FactLine]
    links: list[Link]


def _section(
    heading: str,
    paragraphs: list[str],
    items: list[str] | None = None,
    *,
    facts: list[FactLine] | None = None,
    links: list[Link] | None = None,
) -> Section:
    return {
        "heading": heading,
        "paragraphs": paragraphs,
        "items": items or [],
        "facts": facts or [],
        "links": links or [],
    }


def _fact(label: str, key: str, lang: str, *, mailto: bool = False) -> FactLine:
    fact = operator_fact(key, lang)
    href = f"mailto:{fact['value']}" if mailto and not fact["missing"] else ""
    return {"label": label, "value": fact["value"], "href": href, "missing": fact["missing"]}


def _link(href: str) -> Link:
    return {"text": href.removeprefix("https://").rstrip("/"), "href": href}


_HOURS = CONVERSATION_RETENTION_HOURS
_DAYS = CONTACT_RETENTION_DAYS


def privacy_sections(lang: str) -> list[Section]:
    """The privacy notice: what is processed, why, for how long, and the resident's rights."""
    return _PRIVACY[lang]()


def _privacy_fi() -> list[Section]:
    return [
        _section(
            "Rekisterinpitäjä",
            [CONTROLLER["fi"]],
            facts=[_fact("Tietosuojavastaava", "dpo", "fi")],
            links=[_link(CONTROLLER_WEB)],
        ),
        _section(
            "Mitä tietoja käsitellään ja miksi",
            [],
            [
                "Keskustelun viestit: kirjoittamasi viestit välitetään palveluoppaan "
                "keskusteluohjelmalle, jotta se voi ehdottaa sopivia palveluja. Keskustelu "
                f"säilyy palvelimen muistissa {_HOURS} tuntia viimeisestä viestistä, ja sitten "
                "se poistetaan. Puhelinnumerot ja sähköpostiosoitteet korvataan keskustelun "
                "tallenteessa merkinnällä.",
                "Yhteydenottopyyntö: vain jos pyydät yhteydenottoa ja annat siihen "
                "suostumuksen. Pyyntöön tallennetaan puhelinnumerosi tai sähköpostiosoitteesi, "
                "toivomasi yhteydenottoaika, kieli, aihe, kunta, ehdotetut palvelut ja – vain "
                "jos erikseen hyväksyt – omat sanasi ilman yhteystietoja. Pyyntö tallennetaan "
                "yhteydenottopyyntöjen tietokantaan, jota hyvinvointialueen palveluohjaajat "
                f"käsittelevät, ja se poistetaan {_DAYS} päivän kuluttua.",
                "Tällä sivulla: keskustelun satunnainen tunniste ja viestit säilyvät vain "
                "selaimesi tässä välilehdessä (sessionStorage), jotta sivun päivittäminen ei "
                "hävitä keskustelua. Ne poistuvat, kun suljet selaimen tai painat "
                "Tyhjennä keskustelu.",
                "Evästeet: sivusto käyttää vain yhtä evästettä, valitsemaasi kieltä (lang). "
                "Sivulla ei ole analytiikkaa eikä mainontaa, eikä se lataa mitään kolmansilta "
                "osapuolilta.",
                "Lokit: palvelimen tekniset lokit sisältävät pyyntöjen ajan ja osoitteen, eivät "
                "viestiesi sisältöä.",
            ],
        ),
        _section(
            "Käsittelyn peruste",
            [
                "Palveluohjaus on hyvinvointialueen lakisääteinen tehtävä (EU:n yleinen "
                "tietosuoja-asetus, 6 artiklan 1 kohdan e alakohta). Yhteydenottopyyntö "
                "käsitellään suostumuksesi perusteella (6 artiklan 1 kohdan a alakohta ja 9 "
                "artiklan 2 kohdan a alakohta). Voit perua yhteydenottopyynnön missä "
                "vaiheessa tahansa ennen lähettämistä, jolloin mitään ei tallenneta.",
            ],
        ),
        _section(
            "Kuka tiedot näkee",
            [
                "Yhteydenottopyynnöt näkevät vain hyvinvointialueen palveluohjaajat, jotka "
                "kirjautuvat omilla tunnuksillaan; pyyntöjen katselu ja muutokset kirjataan. "
                "Tietoja ei luovuteta muille. Opas ehdottaa palveluja automaattisesti, mutta "
                "se ei tee sinua koskevia päätöksiä.",
            ],
        ),
        _section(
            "Oikeutesi",
            [
                "Sinulla on oikeus saada tietää, mitä tietoja sinusta on tallennettu, pyytää "
                "virheellisten tietojen korjaamista ja tietojesi poistamista, rajoittaa "
                "käsittelyä ja perua suostumuksesi.",
                "Jos katsot, että tietojasi käsitellään lainvastaisesti, voit tehdä valituksen "
                "tietosuojavaltuutetun toimistolle.",
            ],
            facts=[_fact("Pyynnöt tiedoistasi", "data_requests", "fi")],
            links=[_link(OMBUDSMAN_WEB["fi"])],
        ),
    ]


def _privacy_sv() -> list[Section]:
    return [
        _section(
            "Personuppgiftsansvarig",
            [CONTROLLER["sv"]],
            facts=[_fact("Dataskyddsombud", "dpo", "sv")],
            links=[_link(CONTROLLER_WEB)],
        ),
        _section(
            "Vilka uppgifter behandlas och varför",
            [],
            [
                "Meddelandena i samtalet: det du skriver skickas till tjänsteguidens "
                "dialogprogram så att det kan föreslå tjänster. Samtalet finns kvar i serverns "
                f"minne i {_HOURS} timmar efter det senaste meddelandet och raderas sedan. "
                "Telefonnummer och e-postadresser ersätts med en markering i det som sparas om "
                "samtalet.",
                "Kontaktbegäran: bara om du ber om att bli kontaktad och ger ditt samtycke. "
                "Begäran innehåller ditt telefonnummer eller din e-postadress, när du vill bli "
                "kontaktad, språk, ämne, kommun, de föreslagna tjänsterna och – bara om du "
                "särskilt godkänner det – dina egna ord utan kontaktuppgifter. Den sparas i "
                "databasen för kontaktbegäran, som välfärdsområdets servicehandledare "
                f"behandlar, och raderas efter {_DAYS} dagar.",
                "På den här sidan: samtalets slumpmässiga identifierare och meddelandena finns "
                "bara kvar i den här fliken i din webbläsare (sessionStorage), så att samtalet "
                "inte försvinner om du laddar om sidan. De försvinner när du stänger "
                "webbläsaren eller trycker på Töm samtalet.",
                "Kakor: webbplatsen använder bara en kaka, det språk du valt (lang). Sidan har "
                "ingen analys eller reklam och hämtar ingenting från tredje parter.",
                "Loggar: serverns tekniska loggar innehåller tid och adress för förfrågningar, "
                "inte innehållet i dina meddelanden.",
            ],
        ),
        _section(
            "Grund för behandlingen",
            [
                "Servicehandledning är en lagstadgad uppgift för välfärdsområdet (EU:s "
                "allmänna dataskyddsförordning, artikel 6.1 e). Kontaktbegäran behandlas med "
                "ditt samtycke (artikel 6.1 a och 9.2 a). Du kan avbryta kontaktbegäran när "
                "som helst innan den skickas, och då sparas ingenting.",
            ],
        ),
        _section(
            "Vem ser uppgifterna",
            [
                "Kontaktbegäran ses bara av välfärdsområdets servicehandledare, som loggar in "
                "med egna användarnamn; visningar och ändringar registreras. Uppgifterna lämnas "
                "inte ut till andra. Guiden föreslår tjänster automatiskt, men den fattar inga "
                "beslut om dig.",
            ],
        ),
        _section(
            "Dina rättigheter",
            [
                "Du har rätt att få veta vilka uppgifter om dig som har sparats, att begära att "
                "felaktiga uppgifter rättas och att uppgifterna raderas, att begränsa "
                "behandlingen och att återkalla ditt samtycke.",
                "Om du anser att dina uppgifter behandlas i strid med lagen kan du klaga hos "
                "dataombudsmannens byrå.",
            ],
            facts=[_fact("Begäran om dina uppgifter", "data_requests", "sv")],
            links=[_link(OMBUDSMAN_WEB["sv"])],
        ),
    ]


def _privacy_en() -> list[Section]:
    return [
        _section(
            "Controller",
            [CONTROLLER["en"]],
            facts=[_fact("Data protection officer", "dpo", "en")],
            links=[_link(CONTROLLER_WEB)],
        ),
        _section(
            "What is processed and why",
            [],
            [
                "Chat messages: what you write is passed to the service guide's dialogue "
                "program so that it can suggest services. The conversation is kept in the "
                f"server's memory for {_HOURS} hours after its last message and then deleted. "
                "Phone numbers and e-mail addresses are replaced with a mark in what is kept of "
                "the conversation.",
                "Contact request: only if you ask to be contacted and give your consent. The "
                "request holds your phone number or e-mail address, when you would like to be "
                "contacted, the language, the topic, the municipality, the services suggested "
                "and – only if you agree separately – your own words without contact details. "
                "It is stored in the contact request database that the county's service "
                f"counsellors work with, and deleted after {_DAYS} days.",
                "On this page: the conversation's random identifier and its messages are kept "
                "only in this tab of your browser (sessionStorage), so that reloading the page "
                "does not lose the conversation. They are gone when you close the browser or "
                "press Clear the conversation.",
                "Cookies: the site uses one cookie only, the language you chose (lang). There "
                "are no analytics or ads, and the page loads nothing from third parties.",
                "Logs: the server's technical logs hold the time and address of requests, not "
                "what your messages say.",
            ],
        ),
        _section(
            "Legal basis",
            [
                "Service counselling is a statutory task of the wellbeing services county (EU "
                "General Data Protection Regulation, Article 6(1)(e)). A contact request is "
                "processed with your consent (Articles 6(1)(a) and 9(2)(a)). You can cancel a "
                "contact request at any step before it is sent, and then nothing is stored.",
            ],
        ),
        _section(
            "Who sees the data",
            [
                "Contact requests are seen only by the county's service counsellors, who sign "
                "in with their own accounts; every view and change is recorded. The data is "
                "not disclosed to anyone else. The guide suggests services automatically, but "
                "it makes no decisions about you.",
            ],
        ),
        _section(
            "Your rights",
            [
                "You have the right to know what data about you is stored, to ask for wrong "
                "data to be corrected and for your data to be erased, to restrict processing, "
                "and to withdraw your consent.",
                "If you think your data is processed unlawfully, you can complain to the Office "
                "of the Data Protection Ombudsman.",
            ],
            facts=[_fact("Requests about your data", "data_requests", "en")],
            links=[_link(OMBUDSMAN_WEB["en"])],
        ),
    ]


_PRIVACY = {"fi": _privacy_fi, "sv": _privacy_sv, "en": _privacy_en}


def accessibility_sections(lang: str) -> list[Section]:
    """The accessibility statement required by the Act on the Provision of Digital Services."""
    return _ACCESSIBILITY[lang](statement_date(lang))


def _accessibility_fi(day: str) -> list[Section]:
    return [
        _section(
            "Mitä tämä seloste koskee",
            [
                "Seloste koskee Navigator-palveluopasta: keskustelusivua, tietosuojaselostetta "
                "ja tätä sivua. Lain digitaalisten palvelujen tarjoamisesta (306/2019) mukaan "
                "hyvinvointialueen verkkopalvelujen on oltava saavutettavia. Seloste on "
                f"laadittu {day}, ja se on tarkistettu viimeksi {day}.",
            ],
        ),
        _section(
            "Saavutettavuuden tila",
            ["Palvelu täyttää saavutettavuusvaatimukset (WCAG 2.1, taso AA) osittain."],
        ),
        _section(
            "Miten saavutettavuus on arvioitu",
            [
                "Arvio on itsearvio. Jokainen muutos testataan automaattisesti oikealla "
                "selaimella (Chromium):",
            ],
            [
                "axe-core-tarkistus jokaiselle sivulle: ei vakavia eikä kriittisiä virheitä",
                "koko keskustelu palveluehdotuksiin ja yhteydenottopyyntö pelkällä näppäimistöllä",
                "sivu toimii 360 pikselin leveydellä ja 200 %:n suurennuksella ilman "
                "vaakavieritystä",
                "uudet viestit ilmoitetaan ruudunlukijalle (live-alue), kohdistus näkyy, "
                "kentillä on nimet",
            ],
        ),
        _section(
            "Tunnetut puutteet",
            [],
            [
                "Palvelua ei ole arvioinut ulkopuolinen saavutettavuusasiantuntija, eikä sitä "
                "ole testattu ruudunlukijoiden käyttäjien kanssa. Automaattiset testit löytävät "
                "vain osan ongelmista.",
                "Jos palvelusta ei ole ruotsin- tai englanninkielistä kuvausta, se näytetään "
                "suomeksi, eikä tekstiä ole merkitty suomenkieliseksi (WCAG 3.1.2).",
                "Uusien viestien ääneen lukeminen vaihtelee ruudunlukijoiden välillä.",
                "Keskustelu tarvitsee JavaScriptin. Ilman sitä näkyvät hätänumero ja tämä seloste.",
            ],
        ),
        _section(
            "Anna palautetta saavutettavuudesta",
            [
                "Huomasitko puutteen? Kerro siitä meille, niin korjaamme sen. Vastaamme "
                "kahden viikon kuluessa.",
            ],
            facts=[_fact("Sähköposti", "accessibility_email", "fi", mailto=True)],
        ),
        _section(
            "Valvontaviranomainen",
            [
                "Jos huomaat saavutettavuusongelmia, anna ensin palautetta meille. Jos et ole "
                "tyytyväinen vastaukseen tai et saa vastausta kahden viikon kuluessa, voit "
                "tehdä ilmoituksen valvontaviranomaiselle. Saavutettavuusvaatimusten "
                "noudattamista valvoo 1.1.2025 alkaen Liikenne- ja viestintävirasto Traficom "
                "(aiemmin Etelä-Suomen aluehallintovirasto). Ohjeet ilmoituksen tekemiseen:",
            ],
            links=[_link(SUPERVISOR_WEB["fi"])],
        ),
    ]


def _accessibility_sv(day: str) -> list[Section]:
    return [
        _section(
            "Vad utlåtandet gäller",
            [
                "Utlåtandet gäller tjänsteguiden Navigator: chattsidan, dataskydds"
                "beskrivningen och den här sidan. Enligt lagen om tillhandahållande av "
                "digitala tjänster (306/2019) ska välfärdsområdets webbtjänster vara "
                f"tillgängliga. Utlåtandet har upprättats {day} och granskades senast {day}.",
            ],
        ),
        _section(
            "Tillgänglighetsstatus",
            ["Tjänsten uppfyller tillgänglighetskraven (WCAG 2.1, nivå AA) delvis."],
        ),
        _section(
            "Hur tillgängligheten har bedömts",
            [
                "Bedömningen är en självbedömning. Varje ändring testas automatiskt i en riktig "
                "webbläsare (Chromium):",
            ],
            [
                "axe-core-granskning av varje sida: inga allvarliga eller kritiska fel",
                "ett helt samtal fram till tjänsteförslag och en kontaktbegäran med enbart "
                "tangentbordet",
                "sidan fungerar i 360 pixlars bredd och med 200 % förstoring utan vågrät rullning",
                "nya meddelanden meddelas skärmläsare (live-region), fokus syns, fälten har namn",
            ],
        ),
        _section(
            "Kända brister",
            [],
            [
                "Tjänsten har inte bedömts av en extern tillgänglighetsexpert och inte testats "
                "med skärmläsaranvändare. Automatiska test hittar bara en del av problemen.",
                "Om en tjänst saknar beskrivning på svenska eller engelska visas den på finska, "
                "och texten är inte märkt som finska (WCAG 3.1.2).",
                "Hur nya meddelanden läses upp varierar mellan skärmläsare.",
                "Chatten behöver JavaScript. Utan det syns nödnumret och detta utlåtande.",
            ],
        ),
        _section(
            "Ge respons om tillgängligheten",
            [
                "Har du märkt en brist? Berätta det för oss så åtgärdar vi den. Vi svarar "
                "inom två veckor.",
            ],
            facts=[_fact("E-post", "accessibility_email", "sv", mailto=True)],
        ),
        _section(
            "Tillsynsmyndighet",
            [
                "Om du märker problem med tillgängligheten, ge först respons till oss. Om du "
                "inte är nöjd med svaret eller inte får svar inom två veckor kan du göra en "
                "anmälan till tillsynsmyndigheten. Från 1.1.2025 övervakar Transport- och "
                "kommunikationsverket Traficom tillgänglighetskraven (tidigare "
                "Regionförvaltningsverket i Södra Finland). Så gör du en anmälan:",
            ],
            links=[_link(SUPERVISOR_WEB["sv"])],
        ),
    ]


def _accessibility_en(day: str) -> list[Section]:
    return [
        _section(
            "What this statement covers",
            [
                "This statement covers the Navigator service guide: the chat page, the privacy "
                "notice and this page. Under the Act on the Provision of Digital Services "
                "(306/2019) the wellbeing services county's online services must be "
                f"accessible. The statement was prepared on {day} and last reviewed on {day}.",
            ],
        ),
        _section(
            "Compliance status",
            ["The service partially meets the accessibility requirements (WCAG 2.1, level AA)."],
        ),
        _section(
            "How accessibility was assessed",
            [
                "This is a self-assessment. Every change is tested automatically in a real "
                "browser (Chromium):",
            ],
            [
                "an axe-core scan of every page: no serious or critical violations",
                "a whole conversation up to service suggestions and a contact request with the "
                "keyboard only",
                "the page works at 360 pixels wide and at 200 % zoom without horizontal scrolling",
                "new messages are announced to screen readers (a live region), focus is "
                "visible, fields have labels",
            ],
        ),
        _section(
            "Known gaps",
            [],
            [
                "The service has not been assessed by an external accessibility expert nor "
                "tested with screen reader users. Automated tests find only some problems.",
                "When a service has no Swedish or English description it is shown in Finnish, "
                "and that text is not marked as Finnish (WCAG 3.1.2).",
                "How new messages are read out varies between screen readers.",
                "The chat needs JavaScript. Without it the emergency number and this statement "
                "are still shown.",
            ],
        ),
        _section(
            "Give feedback on accessibility",
            [
                "Have you noticed a gap? Tell us and we will fix it. We answer within two weeks.",
            ],
            facts=[_fact("E-mail", "accessibility_email", "en", mailto=True)],
        ),
        _section(
            "Enforcement",
            [
                "If you notice accessibility problems, first give feedback to us. If you are "
                "not satisfied with the answer or get none within two weeks, you can report it "
                "to the supervisory authority. Since 1 January 2025 the Finnish Transport and "
                "Communications Agency Traficom supervises the accessibility requirements "
                "(before that, the Regional State Administrative Agency for Southern Finland). "
                "How to report:",
            ],
            links=[_link(SUPERVISOR_WEB["en"])],
        ),
    ]


_ACCESSIBILITY = {"fi": _accessibility_fi, "sv": _accessibility_sv, "en": _accessibility_en}
