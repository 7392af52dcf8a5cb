"""Sentence bank of the synthetic demo corpus: varied German statements per code.

Each code has several templates; ``{slots}`` are filled from :data:`SLOTS`, so one template
yields many different sentences. Questions and filler answers carry no code: they are the
material that pre-coding must leave alone.
"""

from __future__ import annotations

import random
import re

__all__ = ["CODE_SENTENCES", "QUESTIONS", "FILLER", "SLOTS", "sentence_for", "fill"]

SLOTS: dict[str, list[str]] = {
    "fach": [
        "Mathe",
        "Fachrechnen",
        "Fachkunde",
        "Deutsch",
        "Wirtschaftskunde",
        "Technisches Zeichnen",
        "Buchführung",
        "Werkstoffkunde",
    ],
    "tag": ["montags", "dienstags", "mittwochs", "donnerstags", "freitags"],
    "uhr": ["um fünf", "um halb sechs", "um sechs", "ab 17 Uhr", "nach Feierabend", "abends"],
    "begleiter": [
        "die Ausbildungsbegleiterin",
        "der Ausbildungsbegleiter",
        "Frau Krause vom Träger",
        "Herr Yilmaz vom Träger",
        "unsere Ansprechpartnerin beim Bildungsträger",
    ],
    "sozpaed": ["die Sozialpädagogin", "der Sozialpädagoge", "die Betreuerin vom Träger"],
    "problem": [
        "Schulden",
        "Ärger mit der Wohnung",
        "Stress zu Hause",
        "Probleme mit dem Jobcenter",
        "eine Trennung",
        "Krankheit in der Familie",
        "Ärger mit Behörden",
    ],
    "pruefung": [
        "Zwischenprüfung",
        "Abschlussprüfung",
        "Gesellenprüfung",
        "Teil 1 der Abschlussprüfung",
    ],
    "note": ["einer Drei", "einer Zwei", "einer knappen Vier", "gutem Ergebnis"],
    "monat": ["im Herbst", "im Winter", "im Frühjahr", "im Sommer", "nach Weihnachten", "im März"],
    "abteilung": [
        "im Lager",
        "in der Werkstatt",
        "an der Kasse",
        "auf der Baustelle",
        "in der Küche",
        "in der Verwaltung",
        "im Verkauf",
    ],
    "chef": ["mein Chef", "meine Chefin", "mein Ausbilder", "meine Ausbilderin", "der Meister"],
    "kosten": ["Geld", "Umsatz", "Lohnkosten", "Produktionszeit"],
    "netz": [
        "die Kammer",
        "die Innung",
        "die Berufsberatung",
        "ein anderer Betrieb",
        "der Arbeitgeberservice",
    ],
}

CODE_SENTENCES: dict[str, list[str]] = {
    "Entlastung > Stütz- und Förderunterricht": [
        "Den Stoff in {fach} kann ich im Betrieb nicht auch noch nachholen, das übernimmt zum Glück der Förderunterricht.",
        "Seit er zum Förderunterricht geht, sind seine Noten in der Berufsschule besser geworden, das entlastet uns spürbar.",
        "Die Prüfungsvorbereitung macht jetzt der Träger, darum müssen wir uns nicht mehr selbst kümmern.",
        "Wissenslücken in {fach} werden beim Bildungsträger aufgearbeitet, das nimmt uns viel Arbeit ab.",
        "Für Nachhilfe in {fach} hätten wir keine Zeit, deshalb ist der Stützunterricht für uns eine echte Hilfe.",
        "Der Förderunterricht fängt die schulischen Defizite auf, und wir können uns auf die Praxis konzentrieren.",
    ],
    "Entlastung > Sozialpädagogische Begleitung": [
        "Wenn es privat brennt, zum Beispiel {problem}, kümmert sich {sozpaed} darum, dafür hätten wir gar keine Zeit.",
        "Die Motivation war im ersten Jahr ein großes Thema, da hat uns die sozialpädagogische Begleitung sehr entlastet.",
        "Um Behördenkram und Anträge muss ich mich nicht kümmern, das macht {sozpaed} mit ihr.",
        "Bei persönlichen Problemen wie {problem} verweisen wir ihn an die Sozialpädagogin, das entlastet mich als Ausbilder.",
        "Dass jemand mit ihm an Pünktlichkeit und Selbstorganisation arbeitet, nimmt uns eine Menge Druck.",
    ],
    "Entlastung > Ausbildungsbegleitung": [
        "Ich habe eine feste Ansprechpartnerin beim Träger, die rufe ich an und die klärt das dann mit der Berufsschule.",
        "{begleiter} hält den Kontakt zur Berufsschule, das müssen wir nicht mehr selbst machen.",
        "Es ist Gold wert, dass es eine feste Person gibt, die alle Fäden zwischen Schule, Träger und uns zusammenhält.",
        "Wenn etwas ist, rufe ich {begleiter} an, und die Sache wird geklärt, ohne dass ich hinterhertelefonieren muss.",
        "Die Koordination mit der Berufsschule läuft über {begleiter}, das spart mir viel Zeit.",
    ],
    "Entlastung > Personelle und zeitliche Ressourcen": [
        "Wir sind ein kleiner Betrieb, ich stehe selbst {abteilung}, für lange Gespräche fehlt uns einfach das Personal.",
        "Uns fehlen Leute und Zeit, deshalb sind wir froh, dass der Träger einen Teil der Betreuung übernimmt.",
        "Einen eigenen Ausbilder nur für die Azubis können wir uns personell nicht leisten, da springt AsA flex ein.",
        "In der Hochsaison hat niemand Zeit, sich um die Azubis zu kümmern, da hilft uns die Unterstützung von außen enorm.",
        "Bei unserer dünnen Personaldecke geben wir die Lernbegleitung gern an den Bildungsträger ab.",
    ],
    "Entlastung > keine Entlastung": [
        "Ehrlich gesagt merken wir davon nichts, die Arbeit mit dem Azubi bleibt bei uns.",
        "Eine Entlastung sehe ich nicht, eher im Gegenteil, ich muss noch Termine abstimmen.",
        "Für uns als Betrieb ändert sich durch AsA flex nichts, die Betreuung machen wir weiterhin selbst.",
        "Entlastet werden wir dadurch nicht, das ist eher ein Angebot für den Jugendlichen selbst.",
    ],
    "Vorphase > Praktikum und Kennenlernen": [
        "Über das Praktikum in der Vorphase konnten wir ihn drei Wochen im Alltag sehen, da wussten wir, dass er motiviert ist.",
        "Im Praktikum vor der Ausbildung hat sie gezeigt, dass sie anpacken kann, das hat uns überzeugt.",
        "Der Träger hat ein Praktikum vermittelt, so konnten wir uns gegenseitig erst mal kennenlernen.",
        "Ohne das Kennenlernen im Praktikum hätten wir ihn nach den Zeugnissen wohl aussortiert.",
        "Zwei Wochen Probearbeiten über die Vorphase, danach war klar, dass es passt.",
    ],
    "Vorphase > Einstellungsverfahren": [
        "Der Träger hat uns passende Bewerber vorgeschlagen und beim Ausbildungsvertrag geholfen.",
        "Bei den Bewerbungsunterlagen und dem Vorstellungsgespräch hat der Bildungsträger unterstützt.",
        "Die Vorauswahl der Bewerberinnen hat uns der Träger abgenommen, das hat das Verfahren deutlich beschleunigt.",
        "Im Einstellungsverfahren hat uns {begleiter} bei allen Formalitäten begleitet.",
    ],
    "Abbruchvermeidung": [
        "Ohne die Begleitung hätten wir den Vertrag im ersten Jahr aufgelöst, jetzt steht er kurz vor der Prüfung.",
        "Es stand auf der Kippe, aber durch AsA flex haben wir die Ausbildung gemeinsam gerettet.",
        "Sie wollte {monat} hinschmeißen, der Träger hat mit ihr geredet und sie ist geblieben.",
        "Ich bin sicher, dass er ohne die Unterstützung abgebrochen hätte.",
        "Die Begleitung hat das Ausbildungsverhältnis stabilisiert, als es zwischen uns richtig gekracht hat.",
    ],
    "Freistellung > vollständig": [
        "Der Förderunterricht ist bei uns Arbeitszeit, da wird er ganz normal freigestellt.",
        "Wir stellen sie für die Termine beim Träger komplett frei, das ist für uns selbstverständlich.",
        "Die Stunden bei AsA flex gelten als Arbeitszeit, sie geht {tag} während der Schicht hin.",
        "Er wird für den Stützunterricht voll von der Arbeit freigestellt, auch wenn es manchmal eng wird.",
        "Bei uns findet das während der bezahlten Arbeitszeit statt, das haben wir von Anfang an so geregelt.",
    ],
    "Freistellung > Wegezeiten": [
        "Den Unterricht macht sie abends, aber die Fahrt in die Stadt darf sie während der Arbeitszeit antreten.",
        "Die Wegezeit zum Träger rechnen wir als Arbeitszeit an, den Unterricht selbst nicht.",
        "Er fährt eine Stunde mit dem Bus, diese Fahrzeit stellen wir ihm frei.",
        "Bei uns auf dem Land ist der Weg weit, deshalb darf er früher gehen, um rechtzeitig beim Träger zu sein.",
        "Für die Anfahrt gibt es frei, die Förderstunden selbst liegen nach Feierabend.",
    ],
    "Freistellung > Räumlichkeiten": [
        "Freistellen können wir nicht, aber der Begleiter kann gern bei uns im Besprechungsraum mit ihm arbeiten.",
        "Wir stellen einen Raum im Betrieb zur Verfügung, damit die Gespräche nach der Arbeit hier stattfinden können.",
        "Unseren Schulungsraum darf der Träger nutzen, die Zeit selbst ist aber keine Arbeitszeit.",
        "Die Nachhilfe findet nach Feierabend bei uns im Pausenraum statt, so spart sie sich den Weg.",
    ],
    "Freistellung > keine": [
        "Nein, wir stellen nicht frei, das muss nach Feierabend laufen, wie bei allen anderen auch.",
        "Eine Freistellung gibt es bei uns nicht, der Förderunterricht ist Privatsache.",
        "Während der Arbeitszeit geht das nicht, das macht er in seiner Freizeit.",
        "Wir haben uns gegen eine Freistellung entschieden, die Termine liegen {uhr}.",
        "Freigestellt wird bei uns niemand, die Unterstützung findet komplett außerhalb der Arbeitszeit statt.",
        "Das ist nicht in der Arbeitszeit, sie geht {tag} {uhr} hin.",
    ],
    "Freistellung > Gründe > Kosten": [
        "Jede Stunde, die er nicht da ist, kostet uns {kosten}, das können wir uns nicht leisten.",
        "Wenn ich freistelle, fehlt mir die Arbeitskraft, und das kostet am Ende {kosten}.",
        "Wirtschaftlich ist eine Freistellung für einen Betrieb unserer Größe nicht drin.",
        "Die Auftragslage ist angespannt, jeder Ausfall kostet uns bares Geld.",
    ],
    "Freistellung > Gründe > Gleichbehandlung": [
        "Wenn ich einen freistelle, wollen das alle anderen Azubis auch, das wäre nicht gerecht.",
        "Wir behandeln alle Auszubildenden gleich, da kann ich keine Ausnahme machen.",
        "Die anderen Lehrlinge würden sich zu Recht beschweren, wenn einer früher gehen darf.",
        "Aus Gründen der Fairness gegenüber den anderen Azubis gibt es keine Sonderregel.",
    ],
    "Freistellung > Bedingungen": [
        "Vor der {pruefung} würde ich ihn schon freistellen, wenn es wirklich brennt.",
        "Wenn die Agentur einen Teil der Zeit bezahlen würde, könnten wir über eine Freistellung reden.",
        "Bei akutem Bedarf finden wir eine Lösung, aber nicht als Dauerzustand.",
        "Unter der Bedingung, dass die Arbeit nicht liegen bleibt, darf sie ausnahmsweise während der Schicht gehen.",
        "Mit einem Zuschuss von der Arbeitsagentur wäre eine Freistellung denkbar.",
    ],
    "Einstellungsbereitschaft > Voraussetzung": [
        "Ohne AsA flex hätten wir ihn nicht genommen, das war für uns die Bedingung.",
        "Die Zusage der Förderung war die Voraussetzung dafür, dass wir den Vertrag unterschrieben haben.",
        "Mit seinen Noten hätten wir ihn ohne die Unterstützung nie eingestellt.",
        "Nur weil es AsA flex gibt, trauen wir uns, Jugendliche mit Schwierigkeiten auszubilden.",
    ],
    "Einstellungsbereitschaft > Argument": [
        "Dass es die Unterstützung gibt, hat bei der Entscheidung schon mitgespielt.",
        "AsA flex war ein Pluspunkt, als wir über die Bewerberin gesprochen haben.",
        "Die Förderung war ein Argument unter mehreren, sie hat uns die Entscheidung leichter gemacht.",
        "Mit der Aussicht auf Unterstützung haben wir eher ja gesagt.",
    ],
    "Einstellungsbereitschaft > kein Kriterium": [
        "Bei der Einstellung haben wir daran gar nicht gedacht, das kam erst später.",
        "Für die Entscheidung spielte die Förderung keine Rolle, wir kannten sie da noch nicht.",
        "Ob es AsA flex gibt oder nicht, war für die Einstellung kein Kriterium.",
        "Wir haben nach dem Vorstellungsgespräch entschieden, von der Förderung wussten wir da nichts.",
    ],
    "Einstellungsbereitschaft > unabhängig von Förderung": [
        "Wir geben grundsätzlich jedem eine Chance, ob mit oder ohne Förderung.",
        "Auch schwächere Bewerber stellen wir ein, das hängt bei uns nicht an einer Förderung.",
        "Wir hätten sie auch ohne Unterstützung eingestellt, das machen wir seit Jahren so.",
        "Benachteiligte Jugendliche bilden wir ohnehin aus, das gehört zu unserem Selbstverständnis.",
    ],
    "Bekanntheit": [
        "Von AsA flex hatte ich vorher nie gehört, das hat mir erst {netz} erzählt.",
        "Das Angebot ist bei den Betrieben hier kaum bekannt, ich erzähle es inzwischen weiter.",
        "Auf AsA flex aufmerksam geworden sind wir über {netz}.",
        "Viele Kollegen in der Branche kennen die Assistierte Ausbildung gar nicht.",
        "Wir kannten das noch von der alten AsA, deshalb haben wir direkt nachgefragt.",
    ],
    "Lernortkooperation": [
        "Einmal im Halbjahr sitzen wir mit der Klassenlehrerin und dem Träger zusammen und sprechen über seinen Stand.",
        "Die Abstimmung zwischen Berufsschule, Träger und uns läuft inzwischen richtig gut.",
        "Wenn die Lehrerin Fehlzeiten meldet, wissen es der Träger und wir am selben Tag.",
        "Mit der Berufsschule haben wir wenig Kontakt, das läuft eigentlich nur über den Bildungsträger.",
        "Wir tauschen uns regelmäßig mit Schule und Träger aus, damit alle auf dem gleichen Stand sind.",
    ],
    "Arbeitsfähigkeit > steigend": [
        "Seit ich die {pruefung} geschafft habe, traue ich mir {abteilung} viel mehr zu.",
        "Inzwischen lässt mich {chef} allein arbeiten, das hätte ich am Anfang nie gedacht.",
        "Nach dem Wechsel {abteilung} lief es auf einmal richtig gut, ich komme viel besser mit.",
        "Ich merke, dass ich schneller und sicherer geworden bin, die Arbeit fällt mir leichter.",
        "{monat} ging es bergauf, ich hatte wieder Kraft für die Arbeit.",
        "Seit ich weiß, wie die Abläufe funktionieren, schaffe ich mein Pensum locker.",
    ],
    "Arbeitsfähigkeit > fallend": [
        "Nach dem Wechsel {abteilung} lief gar nichts mehr, ich war nur noch müde.",
        "{monat} war ich oft krank und habe bei der Arbeit kaum etwas geschafft.",
        "Als {chef} ständig Druck gemacht hat, konnte ich mich überhaupt nicht mehr konzentrieren.",
        "Durch die Schichtarbeit war ich so erschöpft, dass mir Fehler über Fehler passiert sind.",
        "Nach dem Unfall konnte ich wochenlang nicht richtig arbeiten.",
        "Es ging mit meiner Leistung bergab, ich kam morgens kaum aus dem Bett.",
    ],
    "Bewältigungsfähigkeit > steigend": [
        "Mittlerweile weiß ich, wie ich mit Stress umgehe, ich plane meine Woche und gerate nicht mehr in Panik.",
        "Ich habe gelernt, Probleme anzusprechen, statt alles in mich hineinzufressen.",
        "Wenn heute etwas schiefgeht, bleibe ich ruhig und suche mir Hilfe.",
        "Mit den Tipps von {sozpaed} komme ich mit dem Druck viel besser klar.",
        "Ich kann jetzt besser einschätzen, was ich schaffe, und sage auch mal nein.",
    ],
    "Bewältigungsfähigkeit > fallend": [
        "{monat} wurde mir alles zu viel, ich wusste nicht mehr, wie ich das schaffen soll.",
        "Als dann noch {problem} dazukam, habe ich komplett den Überblick verloren.",
        "Ich hatte keine Kraft mehr, mich um irgendetwas zu kümmern, nicht mal um die Post.",
        "Früher bin ich mit Stress klargekommen, aber seit {monat} klappt das nicht mehr.",
    ],
    "Belastung > Überforderung": [
        "Arbeit, Berufsschule, dann noch lernen, das war mir einfach zu viel.",
        "In {fach} verstehe ich nur Bahnhof, und im Betrieb soll ich trotzdem alles können.",
        "Manchmal sitze ich abends da und weiß nicht, wo ich anfangen soll.",
        "Die Menge an Stoff vor der {pruefung} hat mich total überfordert.",
        "Ich hatte das Gefühl, allen Anforderungen hinterherzulaufen.",
    ],
    "Belastung > Teilnahme in der Freizeit": [
        "Der Förderunterricht ist immer nach der Arbeit, {uhr}, da bin ich eigentlich schon fertig.",
        "Ich muss {tag} nach Feierabend noch zum Träger, das ist meine Freizeit.",
        "Für den Stützunterricht geht mein freier Nachmittag drauf.",
        "Nach acht Stunden {abteilung} noch zwei Stunden Unterricht, das schlaucht.",
        "Die Termine beim Träger liegen alle außerhalb der Arbeitszeit, also abends oder am Samstag.",
    ],
    "Unterstützung > Stütz- und Förderunterricht": [
        "Im Förderunterricht gehen wir die Aufgaben aus der Berufsschule noch mal langsam durch.",
        "Die Nachhilfe in {fach} beim Träger hilft mir richtig.",
        "Einmal die Woche habe ich Stützunterricht, da üben wir für die {pruefung}.",
        "Seit ich zum Förderunterricht gehe, verstehe ich {fach} endlich.",
        "Wir machen im Förderunterricht alte Prüfungsaufgaben, das bringt mir viel.",
    ],
    "Unterstützung > Sozialpädagogische Begleitung": [
        "Mit {sozpaed} habe ich den Antrag für die Berufsausbildungsbeihilfe ausgefüllt.",
        "Als ich {problem} hatte, hat mir {sozpaed} geholfen, das zu regeln.",
        "Ich rede mit {sozpaed} auch über private Sachen, das tut gut.",
        "{sozpaed} hat mit mir einen Plan gemacht, wie ich morgens pünktlich komme.",
    ],
    "Unterstützung > Ausbildungsbegleitung": [
        "Wenn es im Betrieb Stress gibt, rufe ich {begleiter} an, der vermittelt dann.",
        "{begleiter} kommt regelmäßig vorbei und fragt, wie es läuft.",
        "Ich habe eine feste Ansprechperson beim Träger, an die ich mich immer wenden kann.",
        "Bei dem Streit mit {chef} hat {begleiter} ein Gespräch mit uns beiden organisiert.",
    ],
    "Unterstützung > Deutschförderung": [
        "Die Fachbegriffe lerne ich im Deutschkurs beim Träger, vorher habe ich die Prüfungsfragen oft nicht verstanden.",
        "Ich bekomme zusätzlich Deutschunterricht, damit ich die Texte in der Berufsschule besser verstehe.",
        "Im Sprachkurs üben wir, wie man Berichte für das Berichtsheft schreibt.",
        "Mein Deutsch ist viel besser geworden, seit ich die Sprachförderung mache.",
    ],
    "Ausbildungsverlauf > Abbruchgedanken": [
        "{monat} wollte ich hinschmeißen, ich hatte schon die Kündigung im Kopf.",
        "Ich habe ernsthaft überlegt, die Ausbildung abzubrechen.",
        "Es gab Tage, da wollte ich einfach nicht mehr hingehen und alles hinwerfen.",
        "Nach dem Streit mit {chef} dachte ich, das war es jetzt mit der Ausbildung.",
    ],
    "Ausbildungsverlauf > Abbruch": [
        "{monat} habe ich den Ausbildungsvertrag aufgelöst, es ging einfach nicht mehr.",
        "Ich habe die Ausbildung abgebrochen und jobbe jetzt erst mal.",
        "Der Betrieb hat mir in der Probezeit gekündigt, seitdem bin ich raus.",
        "Wir haben den Vertrag im gegenseitigen Einvernehmen beendet.",
    ],
    "Ausbildungsverlauf > Prüfung bestanden": [
        "Die {pruefung} habe ich bestanden, sogar mit {note}.",
        "Ich habe die {pruefung} geschafft, da war ich echt stolz.",
        "Bestanden, mit {note}, das hätte mir vor einem Jahr keiner zugetraut.",
        "Die {pruefung} lief gut, ich bin durch.",
    ],
}

QUESTIONS: dict[str, list[str]] = {
    "Auszubildende": [
        "Wie ist es dir seit unserem letzten Gespräch in der Ausbildung ergangen?",
        "Was hat sich im Betrieb verändert?",
        "Wie läuft es in der Berufsschule?",
        "Welche Angebote vom Träger nutzt du gerade?",
        "Gab es Momente, in denen es dir besonders gut oder schlecht ging?",
        "Wie würdest du deine Arbeitsfähigkeit im Moment beschreiben?",
        "Wann finden die Termine beim Träger statt?",
        "Wie geht es dir mit dem Lernen für die Prüfungen?",
        "Was hat dir in der letzten Zeit am meisten geholfen?",
        "Gibt es noch etwas, das du erzählen möchtest?",
    ],
    "Ausbildungsbetrieb": [
        "Wie sind Sie auf AsA flex aufmerksam geworden?",
        "Welche Rolle hat die Förderung bei der Einstellung gespielt?",
        "Wie regeln Sie die Teilnahme am Förderunterricht, stellen Sie frei?",
        "Inwiefern entlastet Sie die Assistierte Ausbildung?",
        "Wie läuft die Zusammenarbeit mit Berufsschule und Bildungsträger?",
        "Gab es Situationen, in denen das Ausbildungsverhältnis gefährdet war?",
        "Wie haben Sie die Vorphase erlebt?",
        "Was würden Sie sich für die Weiterentwicklung wünschen?",
        "Können Sie das an einem Beispiel erläutern?",
        "Gibt es aus Ihrer Sicht noch etwas Wichtiges?",
    ],
    "andere": [
        "Wie ist AsA flex bei Ihnen organisiert?",
        "Wie erleben Sie die Zusammenarbeit mit den Betrieben?",
        "Welche Jugendlichen erreichen Sie mit dem Angebot?",
        "Wo sehen Sie Schwierigkeiten in der Umsetzung?",
        "Wie läuft die Abstimmung zwischen den Beteiligten?",
        "Was hat sich seit der Einführung verändert?",
        "Gibt es noch etwas, das Sie ergänzen möchten?",
    ],
}

FILLER: list[str] = [
    "Also, das ist schwer zu sagen, ich muss kurz überlegen.",
    "Ja, genau, so ungefähr war das.",
    "Das Wetter war an dem Tag furchtbar, aber das ist eine andere Geschichte.",
    "Wir haben im Team gerade viele neue Kollegen, da ist einiges in Bewegung.",
    "Die Berufsschule liegt zwanzig Minuten mit dem Bus entfernt.",
    "Im Moment ist im Betrieb viel los, es ist Hochsaison.",
    "Mein Bruder macht auch eine Ausbildung, allerdings in einem ganz anderen Beruf.",
    "Das Gespräch heute passt gut, ich habe gerade Mittagspause.",
    "Ich weiß nicht genau, ob ich das richtig verstanden habe.",
    "Am Wochenende spiele ich Fußball, das ist mein Ausgleich.",
    "Ehrlich gesagt habe ich darüber noch nicht so viel nachgedacht.",
    "Das kann ich Ihnen gern später noch schicken.",
    "Der Betrieb hat letztes Jahr eine neue Halle gebaut.",
    "Da müsste ich nachschauen, das weiß ich nicht mehr auswendig.",
    "Mit den Kollegen verstehe ich mich eigentlich ganz gut.",
    "Wir bilden seit über zwanzig Jahren aus, meistens zwei oder drei pro Jahrgang.",
    "Die Berufsschule hat nach den Ferien den Stundenplan umgestellt.",
    "Das war am Anfang alles neu für mich, die Abläufe, die Leute.",
    "Gute Frage, da gibt es verschiedene Sichtweisen.",
    "Die Anfahrt ist mit dem Auto kein Problem.",
]

#: themes that the codebook does not cover: the uncoded turns of the interviews talk about
#: them, so the inductive step (BERTopic) has categories to find. Slots as in SLOTS.
THEMES: dict[str, list[str]] = {
    "Wohnen und Geld": [
        "Die Miete frisst fast meine ganze Ausbildungsvergütung auf.",
        "Ich suche seit Monaten eine bezahlbare Wohnung in der Nähe vom Betrieb.",
        "Mit der Vergütung komme ich am Monatsende kaum über die Runden.",
        "Eigentlich würde ich gern ausziehen, aber eine eigene Wohnung kann ich mir nicht leisten.",
        "Im Wohnheim für Auszubildende war leider kein Zimmer mehr frei.",
        "Das Geld reicht gerade so für Miete, Handy und Essen.",
        "Für die Kaution der Wohnung musste ich mir Geld von meiner Oma leihen.",
        "Die Nebenkostenabrechnung kam {monat}, das war ein richtiger Schock.",
    ],
    "Digitales Lernen": [
        "Die Lernplattform der Berufsschule läuft auf dem Handy kaum.",
        "Zu Hause haben wir kein stabiles WLAN, die Lernvideos laden ewig.",
        "Für die Online-Aufgaben bräuchte ich eigentlich einen eigenen Laptop.",
        "Das digitale Berichtsheft spart Zeit, aber die App stürzt oft ab.",
        "Die Lehrer stellen alles in die Lern-App, da verliert man schnell den Überblick.",
        "Mit dem Tablet aus dem Betrieb kann ich die Übungen jetzt auch unterwegs machen.",
        "Die Videokonferenz mit der Klasse hat ständig gehakt, der Ton war weg.",
        "Ohne Laptop und Drucker ist das Lernen für die Berufsschule echt schwierig.",
    ],
    "Mobilität": [
        "Ohne Führerschein bin ich auf dem Land total aufgeschmissen.",
        "Der letzte Zug fährt um neun, nach der Spätschicht komme ich kaum nach Hause.",
        "Ich spare gerade auf den Führerschein, der kostet fast dreitausend Euro.",
        "Wenn der Zug ausfällt, muss mich meine Mutter mit dem Auto fahren.",
        "Das Deutschlandticket hilft mir sehr, vorher war die Monatskarte viel zu teuer.",
        "Bei Glatteis im Winter komme ich mit dem Roller gar nicht zur Arbeit.",
        "Die Fahrprüfung habe ich {monat} leider nicht bestanden.",
        "Mit dem Fahrrad brauche ich morgens fast eine Stunde über die Landstraße.",
    ],
    "Fachkräftemangel": [
        "Wir finden kaum noch Fachkräfte, manche Stellen sind seit einem Jahr offen.",
        "Die Auftragsbücher sind voll, aber uns fehlen einfach die Leute.",
        "Zwei erfahrene Gesellen gehen nächstes Jahr in Rente, das reißt eine Lücke.",
        "Fachkräfte wechseln zur Konkurrenz, weil dort ein paar Euro mehr gezahlt werden.",
        "Ohne eigenen Nachwuchs können wir die Aufträge bald nicht mehr annehmen.",
        "Der Personalmangel zieht sich durch die ganze Branche, nicht nur bei uns.",
        "Stellenanzeigen bringen kaum noch Rückmeldungen, das war früher anders.",
        "Wir müssen Aufträge ablehnen, weil die Kapazitäten im Team fehlen.",
    ],
    "Ehrenamt": [
        "Ich bin bei der freiwilligen Feuerwehr, da haben wir jede Woche Übung.",
        "Am Wochenende trainiere ich die Jugendmannschaft in unserem Sportverein.",
        "Im Jugendzentrum helfe ich ehrenamtlich bei der Hausaufgabenbetreuung.",
        "Bei der Tafel sortiere ich samstags Lebensmittel, das macht mir Spaß.",
        "Nach einem Feuerwehreinsatz in der Nacht bin ich morgens ziemlich müde.",
        "Im Verein habe ich gelernt, Verantwortung für eine Gruppe zu übernehmen.",
        "Beim Roten Kreuz mache ich gerade die Ausbildung zum Sanitätshelfer.",
        "Das Ehrenamt im Verein ist mir wichtig, auch wenn die Zeit knapp ist.",
    ],
}

#: which themes an interviewee of each interview kind talks about
THEMES_BY_ROLE: dict[str, list[str]] = {
    "Auszubildende": ["Wohnen und Geld", "Digitales Lernen", "Mobilität", "Ehrenamt"],
    "Ausbildungsbetrieb": ["Fachkräftemangel", "Digitales Lernen", "Mobilität"],
    "andere": ["Fachkräftemangel", "Digitales Lernen"],
}

_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, rng: random.Random) -> str:
    """Fill every ``{slot}`` of a template; capitalise the first letter."""
    text = _SLOT.sub(lambda m: rng.choice(SLOTS[m.group(1)]), template)
    return text[0].upper() + text[1:]


#: spoken-language frames around a statement; they vary the wording, not the meaning
OPENERS = [
    "",
    "",
    "",
    "Ehrlich gesagt: ",
    "Also, kurz gesagt: ",
    "Ich sag mal so: ",
    "Das muss man so sehen: ",
    "Na ja, ",
]
TAILS = [
    "",
    "",
    "",
    ", sag ich mal",
    ", ehrlich gesagt",
    ", wissen Sie",
    ", ne",
    ", so ungefähr",
    ", kann man so sagen",
]


def sentence_for(code: str, rng: random.Random) -> str:
    """One sentence that a coder would code with ``code``, in varied spoken wording."""
    text = fill(rng.choice(CODE_SENTENCES[code]), rng)
    opener, tail = rng.choice(OPENERS), rng.choice(TAILS)
    if opener == "Na ja, " and not text.startswith(("Ich ", "Wir ")):
        opener = ""
    if opener == "Na ja, ":
        text = text[0].lower() + text[1:]
    if tail and text.endswith("."):
        text = text[:-1] + tail + "."
    return opener + text
