"""Safety triage: does a message signal danger now (emergency) or a crisis?

`triage()` runs on every resident message, in Finnish, Swedish and English at once (a message
may mix them), before and independently of anything else; see docs in SAFETY.md.

How it decides, in three steps:

1. Words become *concepts*. Each word is folded, looked up with Voikko (Finnish lemmas and
   compound parts, colloquial forms from colloquial_fi.yaml), compared with the surface
   words and stems of Swedish and English, and - if it is an unknown word of 6+ letters - with
   a few key words allowing one typo (two for long words), so "itsemurah" still means suicide.
2. Rules combine concepts within a clause: "WANT near DIE" is a wish to die, "TAKEN (past) +
   MEDS + QUANTITY" is an overdose just taken. A rule may be cancelled by negation ("en
   halua kuolla"), may need negation ("en halua elää", "ei hengitä"), and may change level
   with time: an act in the distant past ("viime vuonna yritin itsemurhaa") is a crisis, not
   an emergency; "nyt" turns violence at home into violence happening now.
3. The highest level of any rule wins; negation and distance only touch the rule they belong
   to, so they never lower another signal in the same message.

Only the first MAX_TEXT_CHARS characters are read, so that a pasted 100 kB text costs no
more than a long message; signals within that cap are found wherever they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rapidfuzz import utils
from rapidfuzz.distance import OSA

from navigator.language.analysis import analyzer, words

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 5_000  # how much of a message triage reads (about 700 words)
_WORD_CACHE_LIMIT = 100_000  # distinct words whose concepts are remembered
_NEGATION_REACH = 5  # words a negator may stand before what it negates


class SafetyLevel(str, Enum):
    """How urgent the help must be: 112, crisis services, or the ordinary ladder."""

    NONE = "none"
    CRISIS = "crisis"
    EMERGENCY = "emergency"


_RANK = {SafetyLevel.NONE: 0, SafetyLevel.CRISIS: 1, SafetyLevel.EMERGENCY: 2}
TOPICS = (
    "suicide",
    "self_harm",
    "poisoning",
    "medical",
    "violence",
    "sexual_violence",
    "loss",
    "mental_crisis",
)


@dataclass(frozen=True)
class Triage:
    """The triage of one message: level, what it is about, and which rules fired."""

    level: SafetyLevel
    topics: tuple[str, ...]  # subset of TOPICS, in that order
    signals: tuple[str, ...]  # rule ids, never message text


# --------------------------------------------------------------------------------------------
# Concepts. Each field is a space-separated list; "phrases" are comma-separated word sequences.
#   lemmas  - Finnish base forms from Voikko (or colloquial_fi.yaml), matched exactly
#   parts   - base forms that may also be a part of a compound (itsemurha in itsemurhayritys)
#   words   - exact folded surface words, any language
#   stems   - a surface word or lemma starting with one of these
#   fuzzy   - key words (6+ letters) an unknown word may match with a typo
#   phrases - word sequences; every word of the sequence gets the concept
#   past    - "yes": only past-tense forms count (Voikko tense/participle, or listed words)
#   includes - other concepts whose words also stand for this one (a union)
# Concept names are upper case; rules below refer to them.
# --------------------------------------------------------------------------------------------
CONCEPTS: dict[str, dict[str, str]] = {
    # ---- grammar and time ----
    "NEG": {
        "lemmas": "ei",
        "words": "en et ei emme ette eivät enkä eikä etten ettei älä "
        "not don't dont doesn't doesnt didn't didnt can't cant cannot won't wont wouldn't "
        "wouldnt couldn't couldnt never isn't aren't wasn't haven't hasn't no "
        "isnt arent wasnt werent havent hasnt "
        "inte ej aldrig icke inga",
    },
    "TRANSPARENT": {  # words a negation reaches over ("en ole koskaan ajatellut ...")
        "lemmas": "olla haluta halu tahtoa aikoa ajatella koskaan ikinä enää kyllä oikeasti "
        "todellakaan mitenkään vielä minä ihan yhtään kuitenkaan itse nähdä mikään",
        "words": "ajatellut halunnut aikonut ollut oo oon ole mä mää mulla mul "
        "i i'm im do does did really want wanna to be am is have has been ever actually "
        "going gonna at all plan planning thinking think thought about of any anymore feel see "
        "jag vill har är någonsin alls att ska tänker på verkligen längre ser någon ingen",
    },
    "NOW": {  # happening now or a moment ago: turns some rules into emergencies
        "lemmas": "nyt parhaillaan tänään äsken juuri kohta heti",
        "words": "nyt nytte parhaillaan tänään tänäänkin äsken juuri kohta heti justiin "
        "äskettäin minuuttia minuutteja minuutin tunti tuntia tunnin varttia vartti varttitunti "
        "minutes minute "
        "hour hours minuter timme timmar halvtimme halvtimma "
        "tekemässä now tonight today currently immediately committing "
        "nu ikväll inatt idag nyss precis strax "
        "hitting beating attacking choking strangling stabbing kicking punching breaking",
        "phrases": "tänä iltana, tänä yönä, tällä hetkellä, hetki sitten, minuutti sitten, "
        "tunti sitten, about to, right now, at the moment, this evening, just now, "
        "minutes ago, an hour ago, i natt, i kväll, just nu, för en stund sedan, "
        "a moment ago, puoli tuntia sitten",
    },
    "DISTANT": {  # long enough ago that an act is history, not under way
        "lemmas": "aikoinaan aiemmin ennen nuorena",
        "words": "nuorena lapsena teininä aikoinaan aiemmin ennen kerran vuonna "
        "våras somras höstas vintras "
        "once teen teenager teens past childhood previously "
        "förr tidigare tonåring tonåren barndomen",
        "phrases": "when i was, as a child, used to, när jag var, som barn",
    },
    "TIME_UNIT": {  # with "ago" or "last": long enough ago to be history
        "lemmas": "vuosi kuukausi vuosikymmen kevät kesä syksy talvi tammikuu helmikuu "
        "maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu marraskuu joulukuu",
        "words": "year years month months decade år året månad månaden månader spring summer "
        "autumn fall winter våren sommaren hösten vintern january february march april may "
        "june july august september october november december",
    },
    "RECENT_UNIT": {  # with "ago" or "last": recent, neither now nor history
        "lemmas": "viikko viikonloppu päivä yö",
        "words": "week weeks weekend days night vecka veckan veckor helgen dagar",
    },
    "AGO": {
        "lemmas": "sitten viime",
        "words": "sitten viime ago last sedan förra back",
    },
    "HABITUAL": {
        "lemmas": "usein joskus välillä toisinaan",
        "words": "often sometimes usually occasionally ibland ofta brukar öisin",
    },
    "INTENT": {  # a wish, plan or thought rather than an act
        "lemmas": "haluta halu tahtoa aikoa ajatella miettiä suunnitella harkita meinata toivoa",
        "stems": "halu",
        "words": "want wanna going gonna plan planning think thinking considering will "
        "vill ska tänker funderar planerar överväger",
    },
    "THAN": {"words": "kuin than än"},
    # ---- people ----
    "SELF": {
        "lemmas": "itse",
        "words": "itteni itteäni ittees itseni ittensä itelleni ittelleni itellensä itelles "
        "ittelles itteään iteään myself himself herself themselves själv",
    },
    "AGENT": {  # someone who may do harm (the subject of a violent verb)
        "lemmas": "hän he mies isä äiti puoliso poikaystävä tyttöystävä vaimo exä "
        "joku naapuri veli isäpuoli äitipuoli kumppani isoveli setä eno poika avomies "
        "avovaimo",
        "words": "he she they someone somebody husband wife partner boyfriend girlfriend "
        "dad father mom mother mum stepdad stepfather brother son ex man guy neighbour "
        "neighbor uncle he's she's they're someone's "
        "han hon någon fru sambo pojkvän flickvän pappa mamma styvpappa bror exet "
        "grannen killen mannen min",
    },
    "VICTIM": {  # Finnish and Swedish object pronouns and relatives
        "words": "minua mua minut mut meitä meidät häntä hänet lasta lapsia lapsiani "
        "lastani lapseni äitiä äitiäni vaimoa vaimoani siskoa siskoani veljeä sinua sua "
        "sinut sut mig oss barnen henne honom",
    },
    "CHILD": {
        "lemmas": "lapsi vauva taapero poika tytär kersa",
        "words": "skidi mukula child kid kids toddler baby son daughter barn bebis "
        "barnet dotter sonen dottern",
    },
    "CLOSE": {  # someone whose sudden death is a loss
        "lemmas": "äiti isä mies vaimo puoliso lapsi poika tytär veli sisko sisar ystävä "
        "kaveri isoäiti isoisä vauva kumppani poikaystävä tyttöystävä avomies avovaimo "
        "mummo mummi vaari ukki",
        "words": "mom mum mother dad father husband wife partner child son daughter "
        "brother sister friend baby grandma grandmother grandpa grandfather boyfriend "
        "girlfriend mamma pappa man fru sambo barn dotter bror syster vän kompis bebis "
        "mormor farmor morfar farfar",
    },
    "PET": {
        "lemmas": "kissa koira lemmikki hevonen",
        "words": "cat pet horse katt hund katten hunden",  # not "dog": Swedish "died"
    },
    "PHONE": {"lemmas": "puhelin akku", "words": "phone battery laptop car"},
    # ---- suicide and self-harm ----
    "SUICIDE": {
        "parts": "itsemurha itsetuho itsetuhoinen",
        "lemmas": "itsemurha",
        "words": "itsari itsarii itsarin itsaria itari suicide suicidal suicidality "
        "självmord självmordet självmordstankar suicidal suicidala",
        "stems": "suicid självmord itsemurh itsetuho itsar",
        "fuzzy": "itsemurha itsemurhaa itsetuhoinen suicide suicidal självmord",
    },
    "KILL": {
        "lemmas": "tappaa surmata hirttää ampua",
        "stems": "hirttäyty tappa hirtt ampun",
        "words": "kill killing killed shoot hang döda dödar skjuta",
    },
    "TAKE_LIFE": {
        "phrases": "ta livet av, tar livet av, tog livet av, tagit livet av, ta mitt liv, "
        "take my own life, take my life, took his own life, took her own life, "
        "end it all, päättää päiväni, tehdä itsestäni lopun, begå självmord, "
        "slut på allt, slut på mig själv, slut på livet",
    },
    "END": {
        "lemmas": "lopettaa päättää",
        "words": "end ending avsluta",
    },
    "LIFE": {
        "lemmas": "elämä",
        "words": "elämäni life liv livet",
    },
    "CARE": {"words": "care hoito vård planning"},
    "WANT": {
        "lemmas": "haluta halu tahtoa toivoa toive",
        "stems": "halu",
        "words": "kunpa kumpa olisinpa jospa mieli want wanna wish rather vill önskar hellre",
        "phrases": "tekis mieli, tekee mieli, better off",
    },
    "DIE": {
        "lemmas": "kuolla kuollut",
        "words": "kuolis kuolisin kuollu die dead dying dö död",
        "phrases": "nukkua pois, nukkuisin pois, sleep forever, somna in för alltid",
    },
    "LIVE": {
        "lemmas": "elää",
        "words": "live living alive leva levande",
    },
    "LIVE_HEAD": {  # what, negated, makes "live" a wish not to live
        "lemmas": "haluta halu tahtoa jaksaa viitsiä syy järki merkitys arvo kannattaa",
        "stems": "halu",
        "words": "want wanna wish can't cant cannot reason point worth vill orkar orka "
        "kan anledning mening värt",
    },
    "PLACE": {  # "I don't want to live here" is about housing
        "words": "täällä siellä tässä yksin kotona here there in with at near alone "
        "together home here här där med ensam hemma",
    },
    "WAKE": {
        "lemmas": "herätä herättää hereillä",
        "words": "wake waking woke vakna vaknar väcka",
    },
    "EARLY": {
        "lemmas": "aamu aikaisin ajoissa koulu työ herätyskello",
        "words": "early morning school work alarm tidigt morgon skolan jobbet",
    },
    "BORN": {"lemmas": "syntyä syntynyt", "words": "syntynyt born född fött"},
    "EXIST": {"words": "olemassa exist existing finnas existera"},
    "BETTER": {"lemmas": "parempi", "words": "parempi parempaa paremmin better bättre"},
    "WITHOUT": {"lemmas": "ilman", "words": "without utan"},
    "ME": {"lemmas": "minä", "words": "me mig"},
    "ATTEMPT": {
        "lemmas": "yrittää yritys yrittänyt",
        "parts": "yritys",
        "words": "yrittänyt attempt attempted attempts tried try trying försök försökte försökt",
    },
    "DO": {  # doing it, or about to
        "lemmas": "aikoa tehdä",
        "words": "tekemässä teen aion going gonna commit committing doing ska gör göra tänker",
    },
    "EDGE": {  # means at hand, a ledge, a farewell: with suicide in the message, act now
        "lemmas": "hyvästi jäähyväiset köysi silta katto raide ase",
        "words": "valmiina kädessä hyvästi goodbye farewell bridge roof tracks rope ledge "
        "adjö bron taket spåret repet gun pistol vapen",
        "phrases": "viimeinen viestini, last message, sista meddelande, in my hand, i handen",
    },
    "SELF_HARM": {
        "lemmas": "viillellä viiltely itsetuhoisuus",
        "parts": "viiltely",
        "words": "viiltelen viiltelin viillellyt selfharm självskada självskadebeteende",
        "stems": "self-harm självskad viiltel viillel",
        "fuzzy": "viiltely viiltelen selfharm",
        "phrases": "self harm, self harming, cut myself, cutting myself, skär mig, "
        "skära mig, skar mig, skurit mig",
    },
    "HURT": {
        "lemmas": "satuttaa vahingoittaa vahingoitta polttaa",
        "stems": "satut vahingoit",
        "words": "hurt hurting harm harming burn burning skada skadar",
    },
    "ACCIDENT_MINOR": {  # an everyday injury, not self-harm
        "lemmas": "vahinko vahingossa kaatua liukastua kokata parranajo urheilu",
        "words": "vahingossa kaaduin kaatuessa accidentally accident fell falling cooking "
        "shaving kitchen råkade ramlade föll",
    },
    "CUT": {
        "lemmas": "viiltää viillellä",
        "words": "viilsin viiltää viiltelee cut cuts cutting slit slashed skar skär skurit",
        "fuzzy": "viiltää viiltelee cutting",
    },
    "WRIST": {"lemmas": "ranne", "words": "wrist wrists handleden handlederna"},
    # ---- poisoning ----
    "OVERDOSE": {
        "lemmas": "yliannostus",
        "parts": "yliannostus",
        "words": "överit överi överin överii överdosi överdoosi od overdose overdosed "
        "overdosing överdos överdosen",
        "stems": "yliannost overdos överdos",
        "fuzzy": "yliannostus overdose överdos",
    },
    "MEDS": {
        "stems": "burana panadol paraset ibupro opamox tenox xanax diapam zolpidem ketipinor "
        "pamol panodil oxycontin tramadol tylenol advil alvedon ipren ibumax aspiri disperin treo "
        "pronaxen naproxen voltaren panacod tramal oxynorm imovane tsopiklon zopiklon "
        "stilnoct temesta lorazepam oxazepam diazepam alpraz seroquel ketiapiini quetiapin "
        "sertral escitalopram mirtatsap mirtazap litium lithium unilääk särkylääk",
        "lemmas": "pilleri lääke tabletti unilääke kapseli särkylääke parasetamoli "
        "panadol burana lääkepurkki",
        "parts": "lääke tabletti pilleri",
        "words": "pillerit pillerei kamaa kama huumeita pills pill tablets tablet meds medication "
        "medicine drugs droger "
        "medicines painkillers paracetamol sleeping tabletter tabletterna piller "
        "mediciner medicin sömntabletter värktabletter",
        "fuzzy": "pillerit pilleri pillereitä tabletti tabletit tabletteja lääke lääkkeet "
        "lääkkeitä unilääke unilääkkeet särkylääke pills tablets tabletter tabletterna piller "
        "medicine medication painkillers paracetamol ibuprofen burana panadol",
    },
    "QUANTITY": {
        "lemmas": "kaikki liikaa paljon koko purkki purkillinen kourallinen kymmeniä levy "
        "kokonainen paketti pakkaus rasia pullo liuska läpipainolevy puolitoista kymmenen "
        "kaksikymmentä kolmekymmentä neljäkymmentä viisikymmentä sata parikymmentä",
        "words": "kaikki liikaa paljon koko all too many whole bottle handful lots bunch "
        "alla för många hela burken massa kakskymmentä kolkyt nelkyt viiskyt "
        "pack packet box jar strip blister sheet ten twenty thirty forty fifty hundred dozen "
        "burk ask förpackning karta flaska tio tjugo trettio fyrtio femtio hundra",
    },
    "TAKE": {
        "lemmas": "ottaa niellä nielaista syödä vetää popsia juoda napata ahmia",
        "words": "take taking took taken swallow swallowed ate eaten drank drunk "
        "ta tar tog tagit svälja svalde svalt åt ätit drack druckit",
    },
    "TAKEN": {  # the same, in the past: the act is done
        "lemmas": "ottaa niellä nielaista syödä vetää popsia juoda ottanut syönyt "
        "juonut nielaissut niellyt napata ahmia",
        "words": "otin otti ottanut nielin nielaisi nielaissut söi söin joi join vedin veti "
        "ottanu nielaissu syöny took taken swallowed ate eaten drank drunk "
        "tog tagit svalde svalt åt ätit drack druckit vetäsin vetäs vetäisin nappasin "
        "popsin nielasin nielasi had downed",
        "fuzzy": "nielaisi nielaisin nielaissut swallowed",
        "past": "yes",
    },
    "INGESTED": {  # swallowing, not "taking" (so "get the child to take medicine" is fine)
        "lemmas": "niellä nielaista syödä juoda maistaa nielaissut niellyt syönyt juonut",
        "words": "nielaisi nielaissut söi joi nieli nielasi maistoi swallowed ate drank "
        "eaten svalde svalt åt drack ätit druckit",
        "fuzzy": "nielaisi nielaissut swallowed",
        "past": "yes",
    },
    "DANGEROUS": {
        "lemmas": "pesuaine konetiskiaine valkaisuaine kloori lipeä paristo nappiparisto "
        "myrkky rotanmyrkky lamppuöljy bensiini tuulilasinpesuneste jäähdytinneste "
        "metanoli myrkkysieni kemikaali pesuneste huuhteluaine tiskiaine magneetti "
        "nikotiinineste nestenikotiini sytytysneste viemärinavaaja kärpässieni",
        "parts": "pesuaine paristo myrkky kemikaali pesuneste magneetti nikotiinineste",
        "words": "bleach detergent battery batteries poison chemicals chemical antifreeze "
        "tvättmedel batteri batteriet knappcell knappcellen knappcellsbatteri knappcellsbatteriet "
        "gift klorin diskmedel magnet magnets magneter magneten "
        "dishwasher lye e-liquid lampolja tändvätska",
        "phrases": "laundry pod, dishwasher tablet, button battery, lamp oil, drain cleaner, "
        "washing up liquid, liquid nicotine",
        "fuzzy": "nappiparisto paristo battery magneetti",
    },
    "POISONING": {
        "lemmas": "myrkytys häkämyrkytys myrkyttyä myrkyttää",
        "words": "poisoned poisoning förgiftning förgiftad",
    },
    "FOOD": {"lemmas": "ruoka", "words": "food mat matförgiftning"},
    # ---- medical ----
    "UNCONSCIOUS": {
        "lemmas": "tajuton",
        "words": "unconscious unresponsive medvetslös medvetslösa",
        "fuzzy": "tajuton tajuttomana unconscious medvetslös",
    },
    "LOSE": {"lemmas": "menettää", "words": "lost menetti lose förlorade"},
    "CONSCIOUSNESS": {
        "lemmas": "taju tajunta",
        "words": "consciousness medvetandet",
    },
    "PERSON3": {
        "lemmas": "hän äiti isä mies vaimo lapsi vauva poika tytär isoäiti isoisä kaveri "
        "ystävä puoliso",
        "words": "he she him her mom dad baby child son daughter friend husband wife "
        "han hon honom henne barnet bebisen mamma pappa",
    },
    "BREATHE": {
        "lemmas": "hengittää hengitys henki",
        "words": "henkeä breathe breathing andas andning",
    },
    "BREATH_TROUBLE": {
        "words": "gasping haukkoo",
        "phrases": "haukkoo henkeä, kippar efter andan, struggling to breathe, "
        "difficulty breathing, hard to breathe, svårt att andas, vaikea hengittää, "
        "andas konstigt, andas oregelbundet, breathing strangely, breathing weird, "
        "hengittää oudosti, hengittää kummallisesti",
    },
    "CHEST_PAIN": {
        "lemmas": "rintakipu",
        "parts": "rintakipu",
        "words": "bröstsmärta bröstsmärtor",
        "phrases": "chest pain, chest pains, ont i bröstet",
    },
    "PAIN": {"lemmas": "kipu sattua särkeä", "words": "pain hurts ont smärta värker värk"},
    "CHEST": {"lemmas": "rinta", "words": "chest bröstet"},
    "CHEST_COMPANION": {
        "lemmas": "hikoilla hiki kylmänhiki säteillä puristaa puristava kova äkillinen "
        "hengenahdistus pahoinvointi pyörtyä huimata",
        "parts": "hiki",
        "words": "sweating sweaty sweat radiating crushing severe sudden pressure dizzy faint "
        "svettas svettig strålar kraftig plötslig andfådd svimmar svimma",
        "phrases": "left arm, vasempaan käteen, short of breath, vänster arm, svårt att andas, "
        "pass out, vaikea hengittää, hard to breathe",
    },
    "HEART_ATTACK": {
        "lemmas": "sydänkohtaus sydäninfarkti infarkti",
        "words": "hjärtinfarkt hjärtattack",
        "phrases": "heart attack",
    },
    "FACE": {
        "lemmas": "kasvot kasvo suupieli naama suu",
        "words": "face mouth ansiktet mungipan mungipa",
    },
    "DROOP": {
        "lemmas": "roikkua lurpsahtaa valahtaa vino valua lerpattaa lerpahtaa",
        "words": "drooping droops droopy drooped sagging saggy hänger hängande sned",
        "fuzzy": "roikkuu drooping droopy",
    },
    "SLUR": {
        "lemmas": "sammaltaa puuroutua sössöttää",
        "words": "slurred slurring slurry slurs sluddrar sluddrigt sluddrig sluddrade",
        "fuzzy": "sammaltaa slurred slurring sluddrar",
    },
    "SPEECH": {
        "lemmas": "puhe sana puhua",
        "words": "speech words word talking speaking tal talet ord orden pratar talar",
    },
    "UNCLEAR": {
        "lemmas": "epäselvä sekava sotkeutua sotkuinen puuroinen",
        "words": "unclear garbled mumbled jumbled otydligt sluddrigt",
    },
    "SPEECH_ODD": {  # odd speech: a stroke sign only with another one
        "lemmas": "outo kummallinen",
        "words": "oudosti kummallisesti funny weird strange oddly konstigt",
    },
    "GET_OUT": {"lemmas": "saada", "words": "get får få"},
    "MOUTH_OUT": {"lemmas": "suu", "words": "out fram ulos"},
    "LIFT": {
        "lemmas": "nostaa kohottaa liikuttaa",
        "words": "lift raise move lyfta röra",
    },
    "SHOULDER": {  # an arm that will not lift for an everyday reason
        "lemmas": "olkapää kipsi murtua murtunut jäätynyt",
        "words": "shoulder broken cast sling axeln axel gips bruten",
    },
    "ARM": {"lemmas": "käsi", "words": "arm armen"},
    "WEAK": {
        "lemmas": "heikko voimaton halvaantua halvaantunut",
        "words": "weak limp paralysed paralyzed svag förlamad",
    },
    "STROKE": {
        "lemmas": "aivohalvaus aivoinfarkti aivoverenvuoto halvaus",
        "words": "stroke slaganfall stroke",
    },
    "AFTER": {  # rehabilitation or risk talk about a past medical event
        "lemmas": "jälkeen jälkeinen kuntoutus riski kuntoutua fysioterapia toipua fysioterapeutti",
        "parts": "kuntoutus fysioterapia",
        "words": "after since rehab rehabilitation risk efter sedan rehabilitering physio "
        "physiotherapy recovering recovery fysioterapi återhämtning",
    },
    "BLEED": {
        "lemmas": "vuotaa verenvuoto veri vuoto",
        "parts": "verenvuoto",
        "words": "verta bleeding bleeds bleed blood blöder blödning blod",
    },
    "HEAVY": {
        "lemmas": "runsas paljo paljon kova valtava",
        "words": "paljon runsaasti kovasti heavy heavily lot lots badly massive kraftigt mycket",
    },
    "STOP": {
        "lemmas": "lakata loppua tyrehtyä",
        "words": "stop stopping sluta slutar stanna",
    },
    "MENSES": {
        "lemmas": "kuukautiset menkat",
        "parts": "kuukautiset",
        "words": "period menstruation mens",
    },
    "SEIZURE": {
        "lemmas": "kouristella kouristus kouristuskohtaus",
        "parts": "kouristus",
        "words": "seizure seizing convulsing kramper krampanfall",
    },
    "ANAPHYLAXIS": {
        "lemmas": "anafylaksia anafylaktinen",
        "words": "anaphylaxis anaphylactic anafylaxi",
    },
    "DROWN": {
        "lemmas": "hukkua",
        "words": "hukkumassa drowning drunknar drunknade",
        "phrases": "putosi jäihin, putos jäihin, pudonnut jäihin, meni jäihin, "
        "fell through the ice, gick genom isen, gått genom isen",
    },
    "LOAD": {  # what one "drowns" in figuratively
        "lemmas": "velka laina pikavippi lasku työ paperi sähköposti kotitehtävä opiskelu "
        "vippi luotto",
        "parts": "velka laina vippi lasku",
        "words": "debt debts loan loans bills bill work paperwork emails homework payday credit "
        "skulder skuld lån räkningar jobb papper",
    },
    "ACCIDENT": {
        "lemmas": "onnettomuus kolari tulipalo",
        "parts": "onnettomuus tulipalo",
        "words": "accident crash fire olycka olyckan krock branden",
        "phrases": "car crash",
    },
    "INJURED": {
        "lemmas": "loukkaantua loukkaantunut",
        "words": "injured hurt skadad skadade",
    },
    # ---- violence ----
    "VIOLENT": {
        "lemmas": "lyödä hakata potkia kuristaa pahoinpidellä läimiä puukottaa kägistää "
        "retuuttaa tönäistä lyönyt hakannut potkinut kuristanut",
        "stems": "hakka hakan lyö löi potki kurist pahoinpit puukott",
        "words": "hit hits hitting beat beats beating beaten punch punched punches kick "
        "kicks kicked strangle strangled choke choked choking slap slapped stab stabbed "
        "attack attacked attacking slår slog slagit sparkar sparkade stryper ströp "
        "misshandlar misshandlade knivhögg stryptag",
    },
    "VIOLENCE": {
        "lemmas": "väkivalta väkivaltainen pahoinpitely perheväkivalta lähisuhdeväkivalta",
        "parts": "väkivalta",
        "words": "violence violent abuse abusive abused assaulted våld våldsam "
        "misshandel misshandlad",
        "fuzzy": "väkivalta väkivaltainen",
    },
    "MEDIA": {
        "lemmas": "peli elokuva uutinen sarja video pelata",
        "words": "game games movie movies film news series spel filmen nyheterna",
    },
    "SUBSTANCE": {"words": "substance alcohol drug drugs päihde"},
    "THREAT": {
        "lemmas": "uhata uhkailla uhka uhkaava uhkaus",
        "stems": "uhann uhkail uhkas uhkaav uhkau",
        "words": "threaten threatens threatened threatening threats hotar hotade hot hotat "
        "hotfulla hotelser",
    },
    "KILL_OR_WEAPON": {
        "lemmas": "tappaa ase puukko veitsi pistooli kivääri haulikko",
        "words": "kill knife gun weapon pistol döda kniv pistol vapen",
    },
    "WEAPON": {
        "lemmas": "ase puukko veitsi pistooli kivääri haulikko",
        "words": "knife gun weapon pistol kniv pistol vapen",
    },
    "HUNT": {
        "lemmas": "metsästys metsästää metsästäjä keittiö",
        "words": "hunting hunter kitchen jakt jägare",
    },
    "BREAK_IN": {
        "lemmas": "murtautua tunkeutua",
        "stems": "murtautu tunkeutu",
        "phrases": "breaking in, break in, breaking into, break into, broke in, broke into, "
        "bryter sig in, försöker ta sig in, trying to get in, trying to get into",
    },
    "BEATEN": {  # the passive: the resident is being beaten, by nobody named
        "words": "slagen misshandlad lyödään hakataan pahoinpidellään",
        "phrases": "being beaten, getting beaten, being hit, getting hit",
    },
    "LOCKED_IN": {
        "lemmas": "lukita teljetä",
        "words": "locked låste inlåst",
    },
    "HELP_ME_NOW": {  # a plea, not "now I need help with ..."
        "phrases": "hjälp mig nu, help me now, auta mua nyt, auta minua nyt, auttakaa nyt",
    },
    "SAY": {  # someone said or wrote what they mean to do
        "lemmas": "sanoa kirjoittaa",
        "words": "sano sanoi kirjotti said says wrote texted sa skrev",
    },
    "TURN_BLUE": {
        "words": "sinertää sinertävä cyanotic",
        "phrases": "on ihan sininen, oli ihan sininen, turning blue, turned blue, "
        "went blue, is blue, blev blå, är blå",
    },
    # ---- sexual violence ----
    "RAPE": {
        "lemmas": "raiskata raiskaus raiskattu raiskaaja",
        "stems": "raiskat raiskas raiskau våldt",
        "words": "rape raped raping rapist molested molest molesting våldtäkt våldtog "
        "våldtagen förgrep förgripit förgriper förgrepp incest insesti",
        "fuzzy": "raiskattiin raiskasi raiskaus",
    },
    "SEXUAL": {
        "lemmas": "seksuaalinen seksi",
        "stems": "seksuaal",
        "words": "sexual sexually sexuella sexuellt sexuell",
    },
    "ABUSE": {
        "lemmas": "hyväksikäyttö hyväksikäyttää väkivalta ahdistelu ahdistella",
        "stems": "hyväksikäy utnyttj",
        "words": "abuse abused assault assaulted övergrepp utnyttjad utnyttjade",
    },
    "FORCE": {"lemmas": "pakottaa", "words": "forced force tvingade tvingar"},
    "USE": {"lemmas": "käyttää", "words": "käytti käytettiin käyttäny käyttänyt"},
    "HYVAKSI": {"words": "hyväksi hyväks hyväkseen hyväksensä"},
    "CHILDHOOD": {
        "lemmas": "lapsuus",
        "words": "lapsena pienenä nuorena lapsuudessa teininä alaikäisenä",
        "phrases": "kun olin, as a child, as a kid, when i was, som barn, som liten, "
        "när jag var, i was a child, i was little",
    },
    "SEX": {"lemmas": "seksi", "words": "seksiin sex"},
    # ---- loss ----
    "DEATH": {
        "lemmas": "kuolla kuollut menehtyä menehtynyt",
        "words": "kuoli kuollut died dead killed dog avled omkom menehtyi",
        "phrases": "passed away, gick bort",
    },
    "SUDDEN": {
        "lemmas": "yllättäen äkillisesti äkkiä yhtäkkiä odottamatta yllättävä äkillinen",
        "words": "yllättäen äkillisesti äkkiä yhtäkkiä yhtäkkii odottamatta suddenly unexpectedly "
        "plötsligt oväntat hastigt oväntad",
        "phrases": "out of nowhere, out of the blue, helt oväntat",
    },
    "LOSS_CUE": {"includes": "SUDDEN SHOCK"},
    "SHOCK": {
        "lemmas": "shokki sokki järkytys järkyttynyt lamaantua traumatisoitua",
        "words": "shokissa sokissa shokis sokis shock shocked chock chocken chockad "
        "traumatized traumatised traumatiserad järkyttynyt",
    },
    "INTRUSIVE": {  # a scene that will not leave the mind
        "lemmas": "takauma",
        "words": "flashback flashbacks takaumia takaumat",
        "phrases": "ei lähde päästä, ei lähde mielestä, en saa sitä pois päästä, "
        "out of my head, out of my mind, keep seeing it, can't stop thinking about, "
        "kan inte sluta tänka, ur huvudet, näen sen koko ajan",
    },
    "NATURAL": {  # a death at the end of a long life
        "lemmas": "vanhuus rauhallisesti rauhallinen",
        "words": "vanhuuteen peacefully peaceful ålderdom fridfullt stilla lugnt",
        "phrases": "old age, nukkui pois, somnade in",
    },
    "LOSS_OBJECT": {  # "lost his job" is not a death
        "lemmas": "työ työpaikka koti asunto raha ajokortti huoltajuus lompakko avain puhelin "
        "paino tavara",
        "words": "job jobs work home house apartment money license licence custody wallet keys "
        "phone weight temper mind jobb jobbet arbete hem lägenhet pengar körkort vårdnad "
        "plånbok nycklar",
    },
    "ROBBED": {
        "lemmas": "ryöstää ryöstö ryöstäjä",
        "words": "ryöstettiin ryöstivät robbed robbery mugged mugging carjacked rånad rånade "
        "rånet rånades",
        "phrases": "at knifepoint, at gunpoint",
    },
    "BURNED": {
        "lemmas": "palaa",
        "words": "paloi palanut palaneet",
        "phrases": "burned down, burnt down, burned to the ground, caught fire, brann ner, "
        "brann upp, brunnit ner, brunnit upp",
        "past": "yes",
    },
    "HOME": {
        "lemmas": "talo koti asunto mökki kerrostalo omakotitalo",
        "words": "house home flat apartment huset hus lägenhet lägenheten hemmet stugan",
    },
    "RUN_OVER": {
        "phrases": "hit by a train, hit by a car, hit by a bus, hit by a truck, run over, "
        "ran over, got run over, blev påkörd, påkörd, körde på, jäi auton alle, "
        "jäi junan alle, jäi bussin alle, jäi rekan alle, junan alle, under tåget, "
        "framför tåget, under a train",
    },
    "DRIVE": {"lemmas": "ajaa", "words": "ajoi ajo"},
    "OVER": {"words": "yli päälle"},
    # ---- mental crisis ----
    "PANIC": {  # a panic attack: a crisis by itself
        "lemmas": "paniikkikohtaus",
        "words": "panikattack panikattacker panikångest",
        "phrases": "panic attack",
    },
    "PANIC_MOOD": {  # "in a panic" about a decision: a crisis only with bodily symptoms
        "lemmas": "paniikki",
        "words": "paniikissa panicking panicked panic panik panikslagen",
    },
    "PANIC_SYMPTOM": {
        "lemmas": "hyperventiloida täristä vapista huimata",
        "stems": "hyperventil",
        "words": "henkeä breathe breathing andas andning tärisen tärisee vapisen shaking trembling "
        "skakar darrar dizzy yr",
        "phrases": "sydän hakkaa, sydän lyö, heart racing, heart is racing, heart pounding, "
        "heart is pounding, hjärtat rusar, hjärtat bultar, hjärtat slår, luulen että kuolen, "
        "luulin että kuolen, think i'm dying, thought i was dying, tror att jag dör, "
        "tror jag dör, chest is tight",
    },
    "HEART_RACE": {
        "phrases": "sydän hakkaa, sydän lyö, sydän jyskyttää, heart racing, heart is racing, "
        "heart pounding, heart is pounding, hjärtat rusar, hjärtat bultar, hjärtat slår",
    },
    "FEAR_DYING": {
        "phrases": "luulen että kuolen, luulin että kuolen, kuolen kohta, think i'm dying, "
        "thought i was dying, think i am dying, tror att jag dör, tror jag dör, "
        "tror att jag ska dö",
    },
    "VOICES": {
        "words": "voices röster",
    },
    "HEAR": {"lemmas": "kuulla", "words": "hear hearing hör hörde"},
    "HEAR_NOW": {  # sounds heard now: violence heard through a wall
        "lemmas": "kuulla kuulua",
        "words": "hear hearing hör hörs låter sounds sounding",
    },
    "VOICE_FI": {"lemmas": "ääni"},
    "COMMAND": {
        "lemmas": "käskeä komentaa pää",
        "words": "päässä päässäni",
    },
    "THINK": {
        "lemmas": "ajatella miettiä ajatus pohtia",
        "words": "think thinking thoughts tänker tankar tanke",
    },
    "DEATH_THOUGHT": {
        "lemmas": "kuolema kuoleminen kuolla",
        "words": "death dying döden dö",
    },
    "TOUCH": {
        "lemmas": "kosketella kopeloida",
        "words": "koskettelee kopeloi touches touched touching groped tafsar tafsade",
    },
    "NOBODY": {"lemmas": "kukaan", "words": "kukaan nobody ingen", "phrases": "no one"},
    "MISS_CARE": {
        "lemmas": "kaivata välittää huomata",
        "words": "miss care notice sakna saknar bry bryr märka",
    },
    "GONE": {
        "lemmas": "kadota kuolla",
        "words": "katoaisin kuolisin disappeared disappear died die gone dead försvann dog dö",
    },
    # ---- a call for emergency help in so many words ("soittakaa ambulanssi", "I'm in
    # danger", "it's bleeding"); the assistant's NLU examples of `emergency` are its tests ----
    "CALL_112": {
        "words": "hätätilanne hätätilanteessa nödsituation nödläge ambulanssi ambulanssin "
        "ambulance ambulans sähköisku sähköiskun halvausoireita halvausoire",
        "phrases": "soita 112, soittakaa 112, soitan 112, call 112, ring 112, apua nyt, "
        "apua heti, apua apua, help now, help help, hjälp nu, hjälp hjälp, "
        "olen vaarassa, oon vaarassa, i'm in danger, im in danger, i am in danger, "
        "jag är i fara, en oo turvassa, en ole turvassa, vuotaa verta, blöder mycket, "
        "bleeding a lot, uhkaa ampua, threatening to shoot, hotar att skjuta, "
        "tulkaa tänne, auttakaa, it's an emergency, this is an emergency, "
        "somebody help me, someone help me, joku auttakoon",
    },
    "DISAPPEAR": {  # "haluaisin vain kadota", "I want to disappear for good"
        "lemmas": "kadota hävitä haihtua",
        "words": "katoaisin katoisin häviäisin disappear vanish försvinna",
    },
    "PERSECUTE": {"lemmas": "vainota vainoaminen", "words": "vainoaa"},
    "STALK": {
        "lemmas": "vaania väijyä jäljittää vainoaja vainoaminen",
        "words": "stalk stalks stalking stalked stalker förföljer förföljde förföljd förföljare "
        "förföljelse",
        "fuzzy": "stalking förföljer",
    },
    "FOLLOW": {
        "lemmas": "seurata perässä",
        "words": "follows following followed följer följde förföljer",
    },
    "SOCIAL": {
        "lemmas": "instagram tiktok some facebook twitter youtube snapchat",
        "words": "insta instagram tiktok facebook twitter youtube snapchat online twitch",
    },
    "LEAVE_REL": {  # "threatens to leave me" is not violence
        "lemmas": "jättää erota avioero lähteä",
        "words": "leave leaving divorce break lämna skilja skilsmässa",
    },
    "ME_OBJ": {"words": "minua mua minut mut me mig minulle mulle mulla"},
    "MONEY_ENFORCE": {
        "lemmas": "ulosotto perintä häätö perintätoimisto vuokranantaja pankki",
        "words": "eviction evict landlord bank collector collectors kronofogden inkasso "
        "hyresvärden banken",
    },
    "CRISIS_WORD": {
        "stems": "kriisi",
        "words": "crisis kris krisen krishjälp krisstöd krisjour kriscentrum krismottagning",
    },
    "NOT_ACUTE_CRISIS": {  # crises of other kinds: money, climate, a relationship
        "lemmas": "talous parisuhde ilmasto energia",
        "words": "financial economic climate energy housing midlife ekonomisk",
    },
    # ---- acts under way, preparations ----
    "HOPELESS": {  # "I can't take it any more", said with an act
        "phrases": "can't take it anymore, cant take it anymore, can't do this anymore, "
        "cant do this anymore, can't take this anymore, can't go on, cannot go on, "
        "orkar inte mer, orkar inte längre, klarar inte mer, pysty enää",
    },
    "ENDURE": {
        "lemmas": "kestää jaksaa",
        "words": "kestä jaksa kestäny jaksanu orkar orka klarar",
    },
    "ANYMORE": {"words": "enää enään anymore longer mer längre"},
    "ALCOHOL": {
        "lemmas": "viina alkoholi vodka viski kossu viini olut kalja siideri lonkero",
        "parts": "viina viini",
        "words": "vodka whisky whiskey wine beer booze alcohol liquor sprit vin öl vodkan",
    },
    "FAREWELL": {
        "lemmas": "hyvästi jäähyväiset hyvästit",
        "words": "hyvästi hyvästit goodbye goodbyes farewell adjö farväl",
        "phrases": "viimeinen viestini, viimeinen viesti, last message, sista meddelande, "
        "bye forever",
    },
    "DO_IT": {
        "phrases": "teen sen, tehdä sen, teen tän, do it, doing it, ending it, end it, "
        "gör det, göra det, lopetan tämän, lopetan tän, lopetan kaiken, avslutar det",
    },
    "MEANS": {  # means of hanging or shooting, ready at hand
        "lemmas": "köysi hirttosilmukka silmukka hirttoköysi",
        "words": "noose rope snara snaran rep repet",
    },
    "READY": {
        "lemmas": "valmis ladattu",
        "words": "valmiina valmis ready klart klar redo prepared loaded laddad laddat",
    },
    "CEILING": {
        "lemmas": "katto kattokoukku koukku palkki",
        "words": "ceiling hook beam taket taket kroken bjälken",
    },
    "LINED": {
        "lemmas": "rivi",
        "words": "rivissä riviin uppradade uppradat",
        "phrases": "lined up, laid out, på rad",
    },
    "JUMP": {
        "lemmas": "hypätä hyppy",
        "words": "hyppään hyppäisin hyppää jump jumping hoppa hoppar hoppade",
        "fuzzy": "hypätä hyppään",
    },
    "HEIGHT": {  # where one may jump from, or in front of
        "lemmas": "silta kaide parveke katto reuna junarata raide rata kallio ikkuna juna "
        "metro jyrkänne",
        "parts": "silta parveke raide",
        "words": "bridge balcony roof rooftop ledge edge railing rail rails tracks track cliff "
        "window train bron broräcket balkongen balkong taket räcket kanten spåret spåren "
        "rälsen stupet fönstret tåget tunnelbanan",
    },
    "SPORT": {  # jumps that are play
        "lemmas": "trampoliini laskuvarjo benjihyppy uimahyppy laituri järvi meri uida uima "
        "mäkihyppy hyppytunti",
        "words": "trampoline parachute bungee pool lake sea swim swimming ski dive trampolin "
        "fallskärm sjön havet bada",
    },
    "RUMINATE": {  # thinking of it, not doing it
        "lemmas": "ajatella miettiä haaveilla fantasioida pohtia",
        "words": "think thinking thought dream dreaming fantasize fantasise funderar",
    },
    # ---- a small child and what it swallowed ----
    "CHILD_HAZARD": {  # dangerous in a small child's mouth
        "lemmas": "sieni marja kasvi lääke tabletti pilleri nikotiini tupakka nuuska alkoholi "
        "viina kolikko magneetti paristo sähkötupakka",
        "parts": "sieni marja lääke nikotiini tupakka",
        "words": "mushroom mushrooms berries berry plant leaves medicine pills tablets nicotine "
        "cigarette cigarettes snus vape alcohol coin svamp svampar bär växt tabletter piller "
        "nikotin cigarett",
    },
    "SYMPTOM": {  # signs after swallowing something
        "lemmas": "kuolata tukehtua tokkurainen kouristella veltto",
        "words": "kuolaa drooling choking drowsy limp unresponsive dreglar slö",
    },
    # ---- violence heard, seen, threatened, controlling ----
    "SCREAM": {
        "lemmas": "huutaa kirkua karjua parkua huuto kirkuna",
        "words": "screaming screams screamed scream yelling yelled yells shouting shouts shrieking "
        "skriker skrek skrika skrik vrålar",
    },
    "HELP_CRY": {"lemmas": "apu", "words": "apua help hjälp"},
    "FIGHT": {
        "lemmas": "tapella tappelu nujakka joukkotappelu",
        "words": "brawl slagsmål slåss",
    },
    "WITNESS_PLACE": {
        "lemmas": "naapuri rappu rappukäytävä porraskäytävä katu piha seinä yläkerta alakerta "
        "käytävä",
        "words": "neighbour neighbor neighbours neighbors outside street stairwell upstairs "
        "downstairs wall hallway grannen grannarna utanför gatan trapphuset väggen",
        "phrases": "next door",
    },
    "PARTNER": {
        "lemmas": "mies vaimo puoliso avopuoliso avomies avovaimo poikaystävä tyttöystävä "
        "kumppani exä miesystävä naisystävä ex-mies ex-vaimo",
        "words": "husband wife partner boyfriend girlfriend ex spouse he she hän han hon sambo "
        "man fru pojkvän flickvän exet maken",
    },
    "CONTROL": {
        "lemmas": "kontrolloida valvoa tarkistaa tarkastaa vahtia urkkia rajoittaa kieltää "
        "päättää lukea päästää",
        "words": "controls controlling control checks checking monitors tracks tracking reads "
        "forbids takes kontrollerar kollar övervakar förbjuder läser bestämmer spårar",
    },
    "LET": {"lemmas": "antaa päästää", "words": "let allow allows låter låta"},
    "DOMAIN": {  # what a controlling partner keeps from one
        "lemmas": "raha tili pankkikortti palkka puhelin viesti kaveri ystävä sukulainen perhe "
        "minnekään mihinkään ulos kukaan",
        "parts": "raha puhelin viesti tili",
        "words": "kenen money account card salary phone messages texts friends family anywhere "
        "out pengar konto kort lön telefon mobil meddelanden vänner kompisar familj ut",
    },
    "SOCIAL_LIFE": {  # whom and where a controlling partner does not "let" one see or go
        "lemmas": "kaveri ystävä sukulainen perhe minnekään mihinkään ulos tavata nähdä",
        "words": "minnekään mihinkään kenenkään friends family anywhere out see meet vänner "
        "kompisar familj ut träffa",
    },
    "TAKE_AWAY": {"lemmas": "viedä", "words": "take vie viedä ta"},
    "THREAT_TARGET": {"includes": "ME_OBJ VICTIM"},
    "AUTHORITY": {
        "lemmas": "lastensuojelu sosiaalityöntekijä sossu huostaanotto",
        "words": "cps socialtjänsten soc",
        "phrases": "child protection, social services",
    },
    "ATTACK_SOUND": {"includes": "VIOLENT FIGHT"},
    "HEARD_OR_NEAR": {"includes": "HEAR_NOW WITNESS_PLACE"},
    # ---- breakdown and death wishes ----
    "DO_ACT": {"lemmas": "tehdä", "words": "do did might göra gör"},
    "KNOW_FEAR": {
        "lemmas": "tietää pelätä pelottaa",
        "words": "tiedä tiiä tiä know scared afraid fear frightened terrified trust vet rädd",
    },
    "SELF_TO": {
        "words": "itselleni itelleni ittelleni itselleen itellensä",
        "phrases": "to myself, mot mig själv, med mig själv, mig själv illa",
    },
    "BREAKDOWN": {
        "lemmas": "hajota romahtaa murtua hermoromahdus",
        "words": "hajoan hajoon romahdan",
        "phrases": "falling apart, breaking down, break down, gå sönder, går sönder, "
        "bryter ihop, faller sönder, faller isär, nervous breakdown, mental breakdown",
    },
    "CRY": {
        "lemmas": "itkeä itku",
        "words": "crying cry sobbing sob gråta gråter gråt gråtit",
    },
    "CEASE": {
        "lemmas": "lakata loppua lopettaa tyrehtyä",
        "words": "stop stopping sluta slutar",
    },
    "ALLURE": {
        "lemmas": "houkutella houkuttaa houkutteleva helpotus kiehtoa",
        "words": "houkuttaa tempting appealing relief attractive lockande frestande lättnad lockar",
        "phrases": "sounds good, sounds nice, låter skönt",
    },
    "WAKE_COND": {
        "words": "heräisi heräisin heräis heräisikään vaknade",
    },
    "SLEEP": {
        "lemmas": "nukkua nukahtaa uni",
        "words": "sleep asleep somna sova",
    },
    "FOREVER": {
        "words": "enää koskaan ikinä again ever anymore igen mer längre never aldrig forever "
        "ikuisesti",
    },
    "BE_COND": {"words": "olis olisi olisin oisin ois were wasn't weren't fanns vore"},
    "EASIER": {
        "lemmas": "helppo parempi",
        "words": "helpompaa helpompi easier better happier lättare enklare bättre",
    },
    "SIG": {"words": "sig"},
    "LIMB": {
        "lemmas": "käsivarsi reisi ranne",
        "words": "arms wrists thighs legs armarna låren benen handlederna",
    },
    "FINGER": {"lemmas": "sormi peukalo", "words": "finger fingers thumb fingret tummen"},
    "ILLNESS_FIG": {  # the subject of a figurative "killing me"
        "lemmas": "flunssa influenssa nuha krapula kuumuus helle liikenne työ pomo",
        "words": "flu cold hangover heat traffic work boss homework förkylning förkylningen "
        "influensan influensa baksmälla baksmällan värmen trafiken jobbet chefen",
    },
}

# Words a fuzzy match must not take for a key word (real words one letter away).
_FUZZY_EXCLUDE = frozenset(
    {
        "overdone",
        "overdue",
        "suicides",
        "raiskaa",
        "meditation",
        "meditations",
        "tables",
        "stable",
        "tablespoon",
        "battered",
        "batter",
        "jumper",
        "dropping",
        "roskat",
        "pillows",
        "pillow",
        "pilates",
        "medicare",
        "medicaid",
        "swallow",
        "swallows",
    }
)


@dataclass(frozen=True)
class Rule:
    """One signal: concepts near each other in a clause, with a level and topics."""

    id: str
    level: SafetyLevel
    topics: tuple[str, ...]
    needs: tuple[str, ...]  # concepts that must all occur within `window` words of the first
    window: int = 5
    negation: str = "ignored"  # "cancels" the rule, is "required" by it, or is "ignored"
    unless: tuple[str, ...] = ()  # a concept anywhere in the clause means another sense
    unless_next: tuple[str, ...] = ()  # ... or in the two words after the match
    now: SafetyLevel | None = None  # level when the nearest time word says "now"
    distant: SafetyLevel | None = None  # level when it says "long ago"
    recent: SafetyLevel | None = None  # level when "last week", "days ago" (else as distant)
    intent: SafetyLevel | None = None  # level when a wish or plan, not an act (and not now)
    past: SafetyLevel | None = None  # level when the matched verb is in the past tense
    unless_before: tuple[str, ...] = ()  # ... or in the two words before (its subject)


E, C, N = SafetyLevel.EMERGENCY, SafetyLevel.CRISIS, SafetyLevel.NONE

RULES: tuple[Rule, ...] = (
    # -- suicide: thoughts and wishes are a crisis; an act under way is an emergency --
    Rule("suicide_mention", C, ("suicide",), ("SUICIDE",), negation="cancels"),
    Rule("suicide_plan_now", C, ("suicide",), ("SUICIDE", "DO"), window=6, now=E),
    Rule("suicide_attempt", C, ("suicide",), ("ATTEMPT", "SUICIDE"), window=4, now=E),
    Rule(
        "kill_self",
        C,
        ("suicide",),
        ("KILL", "SELF"),
        window=3,
        negation="cancels",
        now=E,
        unless_before=("ILLNESS_FIG",),
    ),
    Rule(
        "take_own_life",
        C,
        ("suicide",),
        ("TAKE_LIFE",),
        negation="cancels",
        now=E,
        unless_before=("ILLNESS_FIG",),
    ),
    Rule("end_life", C, ("suicide",), ("END", "LIFE"), window=3, unless_next=("CARE",)),
    Rule(
        "wish_to_die",
        C,
        ("suicide",),
        ("WANT", "DIE"),
        window=4,
        negation="cancels",
        unless_next=("THAN",),
    ),
    Rule(
        "not_want_to_live",
        C,
        ("suicide",),
        ("LIVE_HEAD", "LIVE"),
        window=5,
        negation="required",
        unless_next=("PLACE",),
    ),
    Rule(
        "not_want_to_wake",
        C,
        ("suicide",),
        ("WANT", "WAKE"),
        window=5,
        negation="required",
        unless=("EARLY",),
    ),
    Rule(  # "anymore" makes it about living, even with a time of day ("enää aamulla")
        "not_want_to_wake_anymore",
        C,
        ("suicide",),
        ("WANT", "ANYMORE", "WAKE"),
        window=6,
        negation="required",
    ),
    Rule("not_want_born", C, ("suicide",), ("WANT", "BORN"), window=5, negation="required"),
    Rule("not_want_exist", C, ("suicide",), ("WANT", "EXIST"), window=5, negation="required"),
    Rule("wish_to_disappear", C, ("suicide",), ("WANT", "DISAPPEAR"), window=5, negation="cancels"),
    Rule("better_without_me", C, ("suicide",), ("BETTER", "WITHOUT", "ME"), window=4),
    Rule("nobody_would_miss_me", C, ("suicide",), ("NOBODY", "MISS_CARE", "GONE"), window=6),
    Rule("better_dead", C, ("suicide",), ("BETTER", "DIE"), window=4, negation="cancels"),
    Rule(
        "thinking_of_death",
        C,
        ("suicide",),
        ("THINK", "DEATH_THOUGHT"),
        window=3,
        negation="cancels",
        unless=("PHONE",),
    ),
    # -- self-harm --
    Rule(
        "self_harm",
        C,
        ("self_harm",),
        ("SELF_HARM",),
        negation="cancels",
        unless=("ACCIDENT_MINOR",),
    ),
    Rule(
        "hurt_self",
        C,
        ("self_harm",),
        ("HURT", "SELF"),
        window=3,
        negation="cancels",
        unless=("ACCIDENT_MINOR",),
    ),
    Rule(
        "cut_wrists",
        E,
        ("self_harm", "suicide"),
        ("CUT", "WRIST"),
        window=4,
        negation="cancels",
        distant=C,
        intent=C,
    ),
    # -- poisoning --
    Rule("overdose", E, ("poisoning",), ("OVERDOSE",), negation="cancels", distant=C, intent=C),
    Rule(
        "pills_taken",
        E,
        ("poisoning",),
        ("TAKEN", "MEDS", "QUANTITY"),
        window=5,
        negation="cancels",
        distant=C,
    ),
    Rule(
        "pills_intent",
        C,
        ("poisoning", "suicide"),
        ("INTENT", "TAKE", "MEDS", "QUANTITY"),
        window=6,
        negation="cancels",
        now=E,
    ),
    Rule(
        "swallowed_dangerous",
        E,
        ("poisoning",),
        ("INGESTED", "DANGEROUS"),
        window=5,
        negation="cancels",
        distant=N,
    ),
    Rule(
        "child_swallowed_meds",
        E,
        ("poisoning",),
        ("CHILD", "INGESTED", "MEDS"),
        window=6,
        negation="cancels",
        distant=N,
    ),
    Rule(
        "poisoning",
        E,
        ("poisoning",),
        ("POISONING",),
        negation="cancels",
        distant=N,
        unless=("FOOD",),
    ),
    # -- medical emergencies --
    Rule("unconscious", E, ("medical",), ("UNCONSCIOUS",), negation="cancels", distant=N),
    Rule("lost_consciousness", E, ("medical",), ("LOSE", "CONSCIOUSNESS"), window=3, distant=N),
    Rule(
        "not_waking",
        E,
        ("medical",),
        ("PERSON3", "WAKE"),
        window=5,
        negation="required",
        unless=("EARLY",),
    ),
    Rule("not_breathing", E, ("medical",), ("BREATHE",), negation="required"),
    Rule("calls_for_emergency_help", E, (), ("CALL_112",), window=1),
    Rule("gasping", E, ("medical",), ("BREATH_TROUBLE",)),
    Rule("chest_pain", E, ("medical",), ("CHEST_PAIN", "CHEST_COMPANION"), window=12, distant=N),
    Rule(
        "pain_in_chest", E, ("medical",), ("PAIN", "CHEST", "CHEST_COMPANION"), window=12, distant=N
    ),
    Rule(
        "heart_attack",
        E,
        ("medical",),
        ("HEART_ATTACK",),
        negation="cancels",
        distant=N,
        unless=("AFTER",),
    ),
    Rule("face_drooping", E, ("medical",), ("FACE", "DROOP"), window=3, distant=N),
    Rule("speech_slurred", E, ("medical",), ("SLUR",), distant=N),
    Rule("speech_unclear", E, ("medical",), ("SPEECH", "UNCLEAR"), window=3, distant=N),
    Rule("arm_weak", E, ("medical",), ("ARM", "WEAK"), window=4, distant=N, unless=("HABITUAL",)),
    Rule("stroke", E, ("medical",), ("STROKE",), negation="cancels", distant=N, unless=("AFTER",)),
    Rule(
        "heavy_bleeding",
        E,
        ("medical",),
        ("BLEED", "HEAVY"),
        window=4,
        distant=N,
        unless=("MENSES",),
    ),
    Rule(
        "bleeding_not_stopping",
        E,
        ("medical",),
        ("BLEED", "STOP"),
        window=4,
        negation="required",
        unless=("MENSES",),
    ),
    Rule("seizure", E, ("medical",), ("SEIZURE",), distant=N, unless=("HABITUAL", "AFTER")),
    Rule("anaphylaxis", E, ("medical",), ("ANAPHYLAXIS",), distant=N),
    Rule("drowning", E, ("medical",), ("DROWN",), distant=N, unless=("LOAD",)),
    Rule("turning_blue", E, ("medical",), ("PERSON3", "TURN_BLUE"), window=4, distant=N),
    Rule("accident_injured_now", N, ("medical",), ("ACCIDENT", "INJURED"), window=8, now=E),
    # -- violence: at home is a crisis; happening now is an emergency --
    Rule(
        "violent_act",
        C,
        ("violence",),
        ("VIOLENT", "AGENT"),
        window=5,
        negation="cancels",
        unless=("HEART_ATTACK", "PANIC"),
        now=E,
    ),
    Rule(
        "violent_act_victim",
        C,
        ("violence",),
        ("VIOLENT", "VICTIM"),
        window=4,
        negation="cancels",
        unless=("HEART_ATTACK", "PANIC"),
        now=E,
    ),
    Rule(
        "violence",
        C,
        ("violence",),
        ("VIOLENCE",),
        negation="cancels",
        unless=("MEDIA", "SUBSTANCE"),
        now=E,
    ),
    Rule("threat", C, ("violence",), ("THREAT", "KILL_OR_WEAPON"), window=6, now=E),
    Rule(
        "kill_threat",
        C,
        ("violence",),
        ("AGENT", "KILL", "VICTIM"),
        window=5,
        negation="cancels",
        now=E,
    ),
    Rule("kill_me", C, ("violence",), ("AGENT", "KILL", "ME"), window=5, negation="cancels", now=E),
    Rule("armed_person", C, ("violence",), ("WEAPON", "AGENT"), window=5, unless=("HUNT",), now=E),
    Rule("break_in", E, ("violence",), ("BREAK_IN",), distant=C, past=C),
    Rule("beaten", C, ("violence",), ("BEATEN",), negation="cancels", now=E),
    Rule(
        "locked_in", C, ("violence",), ("AGENT", "LOCKED_IN"), window=4, negation="cancels", now=E
    ),
    # -- sexual violence --
    Rule("rape", C, ("sexual_violence",), ("RAPE",), negation="cancels", now=E),
    Rule("sexual_abuse", C, ("sexual_violence",), ("SEXUAL", "ABUSE"), window=4, now=E),
    Rule("forced_sex", C, ("sexual_violence",), ("FORCE", "SEX"), window=5, now=E),
    Rule("touching", C, ("sexual_violence",), ("AGENT", "TOUCH"), window=4, now=E),
    # -- sudden loss or trauma --
    Rule(
        "sudden_death",
        C,
        ("loss",),
        ("DEATH", "CLOSE"),
        window=5,
        distant=N,
        recent=C,
        unless=("PET", "PHONE", "NATURAL"),
    ),
    Rule("sudden_death_shock", C, ("loss",), ("DEATH", "LOSS_CUE"), window=8, distant=N, recent=C),
    Rule(
        "lost_close",
        C,
        ("loss",),
        ("LOSE", "CLOSE"),
        window=3,
        distant=N,
        recent=C,
        unless=("LOSS_OBJECT", "PET", "NATURAL"),
    ),
    Rule("accident", C, ("loss",), ("ACCIDENT",), distant=N, recent=C),
    Rule("house_burned", C, ("loss",), ("BURNED", "HOME"), window=4, distant=N, recent=C),
    Rule("run_over", C, ("loss",), ("RUN_OVER",), distant=N, recent=C, now=E),
    Rule("driven_over", C, ("loss",), ("DRIVE", "OVER"), window=2, distant=N, recent=C, now=E),
    Rule(
        "robbed",
        C,
        ("violence",),
        ("ROBBED",),
        negation="cancels",
        distant=N,
        recent=C,
        now=E,
        unless=("MEDIA",),
    ),
    # -- acute mental crisis --
    Rule("panic", C, ("mental_crisis",), ("PANIC",), negation="cancels", unless=("HABITUAL",)),
    Rule(
        "crying_nonstop",
        C,
        ("mental_crisis",),
        ("CRY", "CEASE"),
        window=4,
        negation="required",
        unless=("CHILD", "MEDIA"),
    ),
    Rule("breakdown_crying", C, ("mental_crisis",), ("BREAKDOWN", "CRY"), window=10),
    Rule(
        "fear_of_own_acts",
        C,
        ("suicide", "mental_crisis"),
        ("KNOW_FEAR", "DO_ACT", "SELF_TO"),
        window=6,
        now=C,
    ),
    Rule("hearing_voices", C, ("mental_crisis",), ("HEAR", "VOICES"), window=4),
    Rule("commanding_voices", C, ("mental_crisis",), ("VOICE_FI", "COMMAND"), window=4),
    Rule("persecuted", C, ("mental_crisis", "violence"), ("PERSECUTE",), negation="cancels"),
    Rule(
        "in_crisis",
        C,
        ("mental_crisis",),
        ("CRISIS_WORD",),
        negation="cancels",
        unless=("NOT_ACUTE_CRISIS",),
    ),
    # -- suicide: preparations, jumping, passive wishes --
    Rule("means_ready", E, ("suicide",), ("MEANS", "READY"), window=5, negation="cancels"),
    Rule("means_hung", E, ("suicide",), ("MEANS", "CEILING"), window=5, negation="cancels"),
    Rule("pills_lined_up", C, ("suicide", "poisoning"), ("MEDS", "LINED"), window=5, now=E),
    Rule(
        "jump_from_height",
        E,
        ("suicide",),
        ("JUMP", "HEIGHT"),
        window=8,
        negation="cancels",
        distant=C,
        unless=("SPORT", "HABITUAL", "RUMINATE"),
    ),
    # "se sano et hyppää sillalta": colloquial "et" is "that", not a negation, after "said"
    Rule("said_will_jump", E, ("suicide",), ("SAY", "JUMP", "HEIGHT"), window=8, distant=C),
    Rule(
        "thinking_of_jumping",
        C,
        ("suicide",),
        ("JUMP", "HEIGHT"),
        window=8,
        negation="cancels",
        unless=("SPORT",),
        now=E,
    ),
    Rule(
        "death_appeals", C, ("suicide",), ("DEATH_THOUGHT", "ALLURE"), window=4, negation="cancels"
    ),
    Rule(
        "wish_not_to_wake",
        C,
        ("suicide",),
        ("WANT", "WAKE_COND"),
        window=5,
        negation="required",
    ),
    Rule(
        "sleep_and_never_wake",
        C,
        ("suicide",),
        ("SLEEP", "WAKE", "FOREVER"),
        window=8,
        negation="required",
    ),
    Rule(
        "wish_to_sleep_away",
        C,
        ("suicide",),
        ("WANT", "SLEEP", "WAKE"),
        window=8,
        negation="required",
        unless=("EARLY",),
    ),
    Rule(
        "better_if_gone",
        C,
        ("suicide",),
        ("EASIER", "BE_COND", "FOREVER"),
        window=8,
        negation="required",
    ),
    # -- self-harm seen by someone else --
    Rule(
        "cuts_self",
        C,
        ("self_harm",),
        ("CUT", "SELF"),
        window=3,
        negation="cancels",
        unless=("ACCIDENT_MINOR", "FINGER"),
    ),
    Rule(
        "cuts_sig",
        C,
        ("self_harm",),
        ("CUT", "SIG"),
        window=1,
        negation="cancels",
        unless=("ACCIDENT_MINOR", "FINGER"),
    ),
    Rule(
        "cuts_limbs",
        C,
        ("self_harm",),
        ("CUT", "LIMB"),
        window=3,
        negation="cancels",
        unless=("ACCIDENT_MINOR",),
    ),
    # -- a small child swallowed something --
    Rule(
        "child_swallowed_hazard",
        E,
        ("poisoning",),
        ("CHILD", "INGESTED", "CHILD_HAZARD"),
        window=8,
        negation="cancels",
        distant=N,
    ),
    Rule(
        "child_swallowed_symptoms",
        E,
        ("poisoning",),
        ("CHILD", "INGESTED", "SYMPTOM"),
        window=10,
        negation="cancels",
        distant=N,
    ),
    # -- stroke signs in lay words --
    Rule(
        "arm_will_not_lift",
        E,
        ("medical",),
        ("LIFT", "ARM"),
        window=4,
        negation="required",
        distant=N,
        unless=("SHOULDER", "HABITUAL", "AFTER"),
    ),
    Rule(
        "words_will_not_come",
        E,
        ("medical",),
        ("SPEECH", "GET_OUT", "MOUTH_OUT"),
        window=3,
        negation="required",
        distant=N,
        unless=("HABITUAL", "AFTER"),
    ),
    # -- violence heard or seen now --
    Rule(
        "violence_heard",
        E,
        ("violence",),
        ("ATTACK_SOUND", "HEARD_OR_NEAR"),
        window=8,
        negation="cancels",
        distant=C,
        past=C,
        unless=("HABITUAL", "MEDIA"),
    ),
    Rule("screaming_for_help", E, ("violence",), ("SCREAM", "HELP_CRY"), window=4, distant=C),
    Rule("help_me_now", C, (), ("HELP_ME_NOW",)),
    # -- threats, stalking, control --
    Rule(
        "threatened",
        C,
        ("violence",),
        ("THREAT", "THREAT_TARGET"),
        window=4,
        negation="cancels",
        unless=("LEAVE_REL", "MONEY_ENFORCE", "NOT_ACUTE_CRISIS", "AUTHORITY"),
        now=E,
    ),
    Rule(
        "threatening_person",
        C,
        ("violence",),
        ("PARTNER", "THREAT"),
        window=4,
        negation="cancels",
        unless=("LEAVE_REL", "MONEY_ENFORCE", "NOT_ACUTE_CRISIS", "AUTHORITY"),
    ),
    Rule(
        "threat_to_children",
        C,
        ("violence",),
        ("THREAT", "CHILD"),
        window=6,
        negation="cancels",
        unless=("AUTHORITY",),
    ),
    Rule(
        "take_children_if_leave",
        C,
        ("violence",),
        ("TAKE_AWAY", "CHILD", "LEAVE_REL"),
        window=8,
        unless=("AUTHORITY",),
    ),
    Rule("stalking", C, ("violence",), ("STALK",), negation="cancels", unless=("MEDIA",)),
    Rule(
        "followed",
        C,
        ("violence",),
        ("FOLLOW", "ME_OBJ", "AGENT"),
        window=5,
        negation="cancels",
        unless=("SOCIAL",),
    ),
    Rule(
        "coercive_control",
        C,
        ("violence",),
        ("PARTNER", "CONTROL", "DOMAIN"),
        window=8,
        negation="cancels",
    ),
    Rule(
        "not_allowed_out",
        C,
        ("violence",),
        ("PARTNER", "LET", "SOCIAL_LIFE"),
        window=8,
        negation="required",
    ),
    # -- sexual abuse in childhood --
    Rule(
        "exploited_as_child",
        C,
        ("sexual_violence",),
        ("USE", "HYVAKSI", "CHILDHOOD"),
        window=8,
    ),
    Rule("exploited_sexually", C, ("sexual_violence",), ("USE", "HYVAKSI", "SEXUAL"), window=5),
    Rule(
        "sexual_acts_in_childhood",
        C,
        ("sexual_violence",),
        ("SEXUAL", "CHILDHOOD", "ME_OBJ"),
        window=8,
    ),
)


@dataclass(frozen=True)
class Combo:
    """A signal spread over a message: one item of every group, anywhere in it.

    An item is a concept ("FAREWELL") or concepts that must share a clause ("TAKEN+MEDS").
    """

    id: str
    level: SafetyLevel
    topics: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]


_EVENT = (
    "ACCIDENT",
    "DEATH",
    "ROBBED",
    "BURNED",
    "RUN_OVER",
    "DRIVE+OVER",
    "VIOLENT",
    "VIOLENCE",
    "RAPE",
)

COMBOS: tuple[Combo, ...] = (
    Combo(
        "pills_and_despair",
        E,
        ("poisoning", "suicide"),
        (("TAKEN+MEDS",), ("HOPELESS", "NEG+ENDURE+ANYMORE")),
    ),
    Combo(
        "pills_and_alcohol",
        E,
        ("poisoning",),
        (("TAKEN+MEDS",), ("ALCOHOL",), ("QUANTITY",)),
    ),
    Combo(
        "farewell_and_act",
        E,
        ("suicide",),
        (("FAREWELL",), ("DO_IT", "NOW", "MEANS", "READY", "LINED")),
    ),
    Combo("panic_with_symptoms", C, ("mental_crisis",), (("PANIC_MOOD",), ("PANIC_SYMPTOM",))),
    Combo("panic_body", C, ("mental_crisis",), (("HEART_RACE",), ("FEAR_DYING",))),
    Combo("shock_after_event", C, ("loss",), (("SHOCK", "INTRUSIVE"), _EVENT)),
    Combo(
        "stroke_odd_speech",
        E,
        ("medical",),
        (("SPEECH+SPEECH_ODD",), ("FACE+DROOP", "ARM", "SLUR", "STROKE")),
    ),
)

# A suicide signal anywhere in the message plus means at hand, a ledge or a farewell, or "I am
# doing it now", in any clause: an attempt may be under way.
SUICIDE_WITH_MEANS = "suicide_with_means"


@dataclass(frozen=True)
class _Concept:
    name: str
    lemmas: frozenset[str]
    parts: frozenset[str]
    words: frozenset[str]
    stems: tuple[str, ...]
    fuzzy: tuple[str, ...]
    past: bool
    includes: tuple[str, ...]


def _split(value: str) -> list[str]:
    return value.split()


@dataclass(frozen=True)
class _Lexicon:
    concepts: tuple[_Concept, ...]
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first word -> (words, concept)
    fuzzy: tuple[tuple[str, str], ...]  # (key word, concept)
    unions: tuple[tuple[str, frozenset[str]], ...]  # concept made of others


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    concepts = []
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    fuzzy: list[tuple[str, str]] = []
    for name, spec in CONCEPTS.items():
        concept = _Concept(
            name=name,
            lemmas=frozenset(_split(spec.get("lemmas", ""))),
            parts=frozenset(_split(spec.get("parts", ""))),
            words=frozenset(_split(spec.get("words", ""))),
            stems=tuple(_split(spec.get("stems", ""))),
            fuzzy=tuple(_split(spec.get("fuzzy", ""))),
            past=spec.get("past") == "yes",
            includes=tuple(_split(spec.get("includes", ""))),
        )
        concepts.append(concept)
        fuzzy.extend((key, name) for key in concept.fuzzy)
        for phrase in spec.get("phrases", "").split(","):
            sequence = tuple(words(phrase))
            if sequence:
                phrases.setdefault(sequence[0], []).append((sequence, name))
    unions = tuple((c.name, frozenset(c.includes)) for c in concepts if c.includes)
    return _Lexicon(tuple(concepts), phrases, tuple(fuzzy), unions)


_word_cache: dict[str, frozenset[str]] = {}
_AGE = re.compile(r"(\d{1,3})-?(?:v\b|vuotia|year|yr|yo\b|år|åring|months|kk\b|kuukautta)")
_SMALL_NUMBER = (
    "yksi|yksi|kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|one|two|three|four|five|six|"
    "seven|eight|ett|två|tre|fyra|fem|sex|sju|åtta|puoli|puolitoista"
)
_AGE_WORD = re.compile(rf"(?:{_SMALL_NUMBER})-?(?:vuotia|year|åring|månader|months)")
_AGE_NEXT = frozenset({"year", "years", "yr", "yrs", "yo", "v", "år", "åring", "months", "kk"})


@lru_cache(maxsize=65_536)
def _voikko_facts(word: str) -> tuple[bool, bool, bool]:
    """(known to Voikko, has a past-tense reading, has a verb reading) for one word."""
    voikko = analyzer().voikko
    if voikko is None:
        return False, False, False
    analyses = voikko.analyze(word)
    past = any(
        a.get("TENSE") == "past_imperfective"
        or a.get("PARTICIPLE") in ("past_active", "past_passive")
        for a in analyses
    )
    verb = any(a.get("CLASS") in ("teonsana", "kieltosana") for a in analyses)
    return bool(analyses), past, verb


# Finnish case and number endings stripped before a misspelt word is compared with key words,
# so that "unilääkeitä" and "tabeltia" meet "unilääke" and "tabletti".
_FI_ENDINGS = _split(
    "issa issä ista istä ille illa illä ilta iltä ihin ita itä ssa ssä sta stä lla llä lta ltä "
    "lle ksi ia iä ja jä ta tä na nä en in an än t n a ä"
)
_DOUBLE = re.compile(r"(.)\1+")


def _collapse(word: str) -> str:
    """Doubled letters made single: typos drop and double them ("pils", "tabletit")."""
    return _DOUBLE.sub(r"\1", word)


@lru_cache(maxsize=1)
def _fuzzy_keys() -> tuple[tuple[str, frozenset[str], str], ...]:
    """(collapsed key, its collapsed forms without a final vowel, concept) per fuzzy key."""
    keys = []
    for key, name in _lexicon().fuzzy:
        folded = _collapse(utils.default_process(key))
        forms = {folded}
        if folded[-1] in "aeiouyäö" and len(folded) > 5:
            forms.add(folded[:-1])
        keys.append((folded, frozenset(forms), name))
    return tuple(keys)


def _fuzzy_concepts(word: str, lexicon: _Lexicon) -> set[str]:
    """Concepts whose key word this unknown word is, allowing a typo.

    Doubled letters are made single first ("pils" is "pills"); a word of 4-5 letters must
    then match exactly, one of 6+ letters may have one typo (two against keys of 9+ letters).
    Finnish endings are stripped too, so inflected typos ("unilääkeitä") match.
    """
    if len(word) < 4 or word in _FUZZY_EXCLUDE or not word.isalpha():
        return set()
    found = set()
    folded = _collapse(word)
    stems = {folded}
    for ending in _FI_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            stems.add(_collapse(word[: -len(ending)]))
    for key, forms, name in _fuzzy_keys():
        if name in found:
            continue
        allowed = 0 if len(word) < 6 else 2 if len(key) >= 9 else 1
        # The whole word, its stems, and its beginning ("itsmurhasta" against "itsemurha").
        candidates = stems | {folded[: len(key) + d] for d in (-1, 0, 1)}
        for candidate in candidates:
            if len(candidate) < 4 or (allowed and len(candidate) < 5):
                continue
            for form in forms:
                if abs(len(candidate) - len(form)) > allowed:
                    continue
                if OSA.distance(candidate, form, score_cutoff=allowed) <= allowed:
                    found.add(name)
                    break
            if name in found:
                break
    return found


# Spoken Finnish forms Voikko does not know, and written forms to try: "jaksais" (jaksaisi),
# "olis" (olisi), "heräis" (heräisi).
_SPOKEN_CONDITIONAL = ("is", "äis", "ais")


def _spoken_lemmas(word: str) -> tuple[str, ...]:
    if not word.endswith(_SPOKEN_CONDITIONAL) or len(word) < 5:
        return ()
    return analyzer().token(word + "i", "fi").lemmas if _voikko_facts(word + "i")[0] else ()


def _concepts_of(word: str) -> frozenset[str]:
    """The concepts one folded word stands for (cached per word)."""
    cached = _word_cache.get(word)
    if cached is not None:
        return cached
    lexicon = _lexicon()
    token = analyzer().token(word, "fi")
    lemmas = set(token.lemmas)
    terms = set(token.terms)
    known, past, _ = _voikko_facts(word)
    if not known:
        spoken = _spoken_lemmas(word)
        lemmas |= set(spoken)
        terms |= set(spoken)
        known = bool(spoken)
    keys = lemmas | {word}
    found: set[str] = set()
    for concept in lexicon.concepts:
        hit = (
            word in concept.words
            or not lemmas.isdisjoint(concept.lemmas)
            or not terms.isdisjoint(concept.parts)
            or (bool(concept.stems) and any(k.startswith(concept.stems) for k in keys))
        )
        if not hit:
            continue
        if concept.past and not (past or word in concept.words):
            continue  # a present form of a past-only concept ("ottaa" is not "otin")
        found.add(concept.name)
    if not known and not found:
        found |= _fuzzy_concepts(word, lexicon)
    if word.isdecimal() and 10 <= int(word[:6]) < 1900:
        found.add("QUANTITY")  # "otin 30 tablettia" (a year such as 2019 is a time word)
    age = _AGE.match(word)
    if (age and int(age.group(1)) <= 12) or _AGE_WORD.match(word):
        found.add("CHILD")  # "2-vuotias", "3-year-old", "4-åring", "kaksivuotias"
    if age and 70 <= int(age.group(1)) <= 120:
        found.add("NATURAL")  # "kuoli 92-vuotiaana": a death at the end of a long life
    result = frozenset(found)
    if len(_word_cache) < _WORD_CACHE_LIMIT:
        _word_cache[word] = result
    return result


# Clauses end at sentence punctuation, line breaks, and "but": negation and time stay inside.
_CLAUSE_END = re.compile(r"[.!?;:\n\r…]+|\s[-–—]\s|\b(?:mutta|mut|but|men|however|vaikka)\b", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_TAG = re.compile(r"<[^<>]{0,200}>")


def _clauses(text: str) -> list[list[tuple[str, frozenset[str]]]]:
    """The message as clauses of (word, concepts), phrases marked on every word."""
    text = _TAG.sub(" ", _CONTROL.sub(" ", text))
    lexicon = _lexicon()
    result = []
    for piece in _CLAUSE_END.split(text):
        if not piece or not piece.strip():
            continue
        ws = words(piece)
        if not ws:
            continue
        sets = [set(_concepts_of(w)) for w in ws]
        for i, w in enumerate(ws):
            for sequence, name in lexicon.phrases.get(w, ()):
                if tuple(ws[i : i + len(sequence)]) == sequence:
                    for j in range(i, i + len(sequence)):
                        sets[j].add(name)
        for i, w in enumerate(ws):
            if w in ("en", "et") and not _finnish_verb_follows(ws, i):
                # Swedish "en" (a, one): "jag tog en överdos"; spoken "et" (that): "mietin et"
                sets[i].discard("NEG")
            if w.isdecimal() and i + 1 < len(ws) and ws[i + 1] in _AGE_NEXT:
                number = int(w[:4])
                if number <= 12:
                    sets[i].add("CHILD")  # "my 2 year old"
                elif 70 <= number <= 120:
                    sets[i].add("NATURAL")  # "93 år gammal"
        for name, members in lexicon.unions:
            for concepts in sets:
                if not members.isdisjoint(concepts):
                    concepts.add(name)
        result.append([(w, frozenset(s)) for w, s in zip(ws, sets, strict=True)])
    return result


_PRONOUNS = frozenset({"mä", "mää", "mie", "minä", "sä", "sää", "sie", "sinä"})


def _finnish_verb_follows(ws: Sequence[str], i: int) -> bool:
    """True if a Finnish verb comes next, maybe after a pronoun ("en mä halua").

    If Voikko is missing we cannot tell, and keep the negation.
    """
    if analyzer().voikko is None:
        return True
    following = list(ws[i + 1 : i + 3])
    if following and following[0] in _PRONOUNS:
        following = following[1:]
    if not following:
        return False
    word = following[0]
    if _voikko_facts(word)[2]:
        return True
    # A spoken form ("oo", "tiiä", "jaksais"): a verb if its written lemma is one.
    lemmas = set(analyzer().token(word, "fi").lemmas) | set(_spoken_lemmas(word))
    return any(lemma != word and _voikko_facts(lemma)[2] for lemma in lemmas)


_Clause = Sequence[tuple[str, frozenset[str]]]


def _positions(clause: _Clause) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for i, (_, concepts) in enumerate(clause):
        for name in concepts:
            found.setdefault(name, []).append(i)
    return found


def _negated(clause: _Clause, lo: int, hi: int, loose: bool) -> bool:
    """True if a negation word governs the span lo..hi.

    It does when it stands inside the span ("jag vill inte dö"), or before it with only
    transparent words between ("en ole koskaan ajatellut itsemurhaa"); "en voi lopettaa
    viiltelyä" is not negated, since "lopettaa" is not transparent. A rule that needs a
    negation also accepts one just after ("hengitys ei kulje").
    """
    if any("NEG" in clause[i][1] for i in range(lo, hi + 1)):
        return True
    for i in range(lo - 1, max(-1, lo - 1 - _NEGATION_REACH), -1):
        word, concepts = clause[i]
        if "NEG" in concepts:
            return word != "no" or i == lo - 1  # "no suicidal thoughts", not "No, I want…"
        if "TRANSPARENT" not in concepts:
            break
    if loose:
        return any("NEG" in clause[i][1] for i in range(hi + 1, min(len(clause), hi + 3)))
    return False


def _time(clause: _Clause, positions: dict[str, list[int]], lo: int, hi: int) -> str | None:
    """'now', 'recent' or 'distant' by the time word nearest to the span; ties go to 'now'."""
    marks: list[tuple[int, int, str]] = []  # (distance, priority, kind)
    for i in positions.get("NOW", ()):
        marks.append((_gap(i, lo, hi), 0, "now"))
    for i in positions.get("DISTANT", ()):
        marks.append((_gap(i, lo, hi), 1, "distant"))
    for i in positions.get("TIME_UNIT", ()):
        if any(abs(i - j) <= 2 for j in positions.get("AGO", ())):
            marks.append((_gap(i, lo, hi), 1, "distant"))
    for i in positions.get("RECENT_UNIT", ()):
        if any(abs(i - j) <= 2 for j in positions.get("AGO", ())):
            marks.append((_gap(i, lo, hi), 1, "recent"))  # "last week", "viime yönä"
    for i, (word, _) in enumerate(clause):
        if len(word) == 4 and word.isdecimal() and word[:2] in ("19", "20"):
            marks.append((_gap(i, lo, hi), 1, "distant"))  # a year: "vuonna 2019"
    return min(marks)[2] if marks else None


def _gap(i: int, lo: int, hi: int) -> int:
    return 0 if lo <= i <= hi else (lo - i if i < lo else i - hi)


def _apply(rule: Rule, clause: _Clause, positions: dict[str, list[int]]) -> SafetyLevel | None:
    """The level a rule gives this clause, or None if it does not apply."""
    if any(not positions.get(name) for name in rule.needs):
        return None
    if any(positions.get(name) for name in rule.unless):
        return None
    best: SafetyLevel | None = None
    for anchor in positions[rule.needs[0]]:
        lo = hi = last = anchor
        matched = True
        for name in rule.needs[1:]:
            near = [p for p in positions[name] if abs(p - anchor) <= rule.window]
            if not near:
                matched = False
                break
            last = min(near, key=lambda q: abs(q - anchor))
            lo, hi = min(lo, last), max(hi, last)
        if not matched:
            continue
        # The words right after the last concept: "live here", "rather die than".
        if rule.unless_next and any(
            name in clause[i][1]
            for i in range(last + 1, min(len(clause), last + 3))
            for name in rule.unless_next
        ):
            continue
        # The words right before: the subject of "tar livet av mig" ("förkylningen ...").
        start = lo
        while start > 0 and rule.needs[0] in clause[start - 1][1]:
            start -= 1  # the beginning of a phrase
        if rule.unless_before and any(
            name in clause[i][1]
            for i in range(max(0, start - 2), start)
            for name in rule.unless_before
        ):
            continue
        if rule.negation != "ignored":
            negated = _negated(clause, lo, hi, loose=rule.negation == "required")
            if negated != (rule.negation == "required"):
                continue
        level = _adjust(rule, clause, positions, lo, hi)
        if best is None or _RANK[level] > _RANK[best]:
            best = level
    return best


def _adjust(
    rule: Rule, clause: _Clause, positions: dict[str, list[int]], lo: int, hi: int
) -> SafetyLevel:
    """The rule's level, moved by time (now, long ago), intent, or past tense."""
    when = _time(clause, positions, lo, hi)
    if when == "now":
        return rule.now or rule.level
    if when == "recent" and rule.recent is not None:
        return rule.recent
    if when in ("distant", "recent") and rule.distant is not None:
        return rule.distant
    if rule.intent is not None and any(
        max(0, lo - 5) <= p <= hi for p in positions.get("INTENT", ())
    ):
        return rule.intent
    if rule.past is not None and any(
        "TAKEN" in clause[i][1] or _voikko_facts(clause[i][0])[1] for i in range(lo, hi + 1)
    ):
        return rule.past
    return rule.level


def _coerce(text: object) -> str:
    """Any input as a string of at most MAX_TEXT_CHARS characters."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text[: MAX_TEXT_CHARS * 4]).decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    return text[:MAX_TEXT_CHARS]


def triage(text: str) -> Triage:
    """Triage one message: emergency, crisis or none, with topics and the rules that fired."""
    try:
        return _triage(_coerce(text))
    except Exception as exc:  # never fail a resident's message; err on the side of help
        log.error("safety triage failed (%s); answering as a crisis", type(exc).__name__)
        return Triage(SafetyLevel.CRISIS, (), ("triage_error",))


def _triage(text: str) -> Triage:
    fired: dict[str, tuple[SafetyLevel, tuple[str, ...]]] = {}
    clauses = _clauses(text)
    edge = False
    for clause in clauses:
        positions = _positions(clause)
        if positions.get("EDGE") or (positions.get("DO") and positions.get("NOW")):
            edge = True
        for rule in RULES:
            level = _apply(rule, clause, positions)
            if level is None or level is SafetyLevel.NONE:
                continue
            previous = fired.get(rule.id)
            if previous is None or _RANK[level] > _RANK[previous[0]]:
                fired[rule.id] = (level, rule.topics)
    if edge and any("suicide" in topics for _, topics in fired.values()):
        fired[SUICIDE_WITH_MEANS] = (SafetyLevel.EMERGENCY, ("suicide",))
    for combo in COMBOS:
        if combo.id not in fired and _combo_holds(combo, clauses):
            fired[combo.id] = (combo.level, combo.topics)
    return _result(fired)


def _combo_holds(combo: Combo, clauses: Sequence[_Clause]) -> bool:
    """True if every group of the combo has an item somewhere in the message."""
    sets = [frozenset().union(*(c for _, c in clause)) for clause in clauses]
    return all(
        any(
            any(all(part in concepts for part in item.split("+")) for concepts in sets)
            for item in group
        )
        for group in combo.groups
    )


def _result(fired: dict[str, tuple[SafetyLevel, tuple[str, ...]]]) -> Triage:
    if not fired:
        return Triage(SafetyLevel.NONE, (), ())
    level = max((lvl for lvl, _ in fired.values()), key=_RANK.__getitem__)
    topics = {t for _, ts in fired.values() for t in ts}
    return Triage(level, tuple(t for t in TOPICS if t in topics), tuple(fired))


def explain(text: str) -> list[tuple[str, list[str]]]:
    """The words of a message with their concepts (for developers tuning the rules)."""
    return [(w, sorted(c)) for clause in _clauses(_coerce(text)) for w, c in clause]


def concept_names() -> Iterable[str]:
    """The names of all concepts (for tests that check rules refer to real ones)."""
    return CONCEPTS.keys()
